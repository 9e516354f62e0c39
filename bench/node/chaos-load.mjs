// The load of bench/chaos.sh: for SECONDS, KEEPALIVE clients reuse one connection each, FRESH clients open a new
// connection per request (GET PATH, 10 ms think time), and WS clients stay in a WebSocket room, reconnecting when
// the server closes (1012 on a reload, 1001 on a stop) or the connection drops. Prints one JSON line of counts:
// requests, failures by kind (reset, 5xx, timeout, refused, other), WebSocket closes by code and reconnects.
// Load goes to 127.0.0.1 only (bench/chaos.sh passes it) and stops on SIGTERM or after SECONDS.
// Usage: node chaos-load.mjs PORT PATH SECONDS KEEPALIVE FRESH WS
import http from 'node:http';
import WebSocket from 'ws';

const [port, path, seconds, keepAliveClients, freshClients, wsClients] =
  [+process.argv[2], process.argv[3], +process.argv[4], +process.argv[5], +process.argv[6], +process.argv[7]];
// SECONDS is the longest it runs; bench/chaos.sh ends it earlier with SIGTERM once its events are done.
let deadline = Date.now() + seconds * 1000;
const open = new Set();  // how to end each open WebSocket, for SIGTERM
process.on('SIGTERM', () => {
  deadline = Date.now();
  for (const end of open) end();
});
const counts = { requests: 0, ok: 0, failed: {}, ws_closes: {}, ws_reconnects: 0, ws_failed_connects: 0,
  ws_open_at_end: 0, ws_connecting_at_end: 0 };
const failedAt = [];  // epoch milliseconds, one entry per failed request, for chaos.sh to blame an event
const fail = (kind) => {
  counts.failed[kind] = (counts.failed[kind] || 0) + 1;
  failedAt.push(Date.now());
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function request(agent) {
  return new Promise((resolve) => {
    counts.requests++;
    const req = http.get({ host: '127.0.0.1', port, path, agent, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode === 200) counts.ok++;
        else fail(res.statusCode >= 500 ? '5xx' : 'status ' + res.statusCode);
        resolve();
      });
      res.on('error', () => { fail('reset'); resolve(); });
    });
    req.on('timeout', () => { req.destroy(new Error('timeout')); });
    req.on('error', (e) => {
      fail(e.message === 'timeout' ? 'timeout' : e.code === 'ECONNRESET' ? 'reset'
        : e.code === 'ECONNREFUSED' ? 'refused' : e.code || e.message);
      resolve();
    });
  });
}

async function httpClient(agent) {
  while (Date.now() < deadline) {
    await request(agent);
    await sleep(10);
  }
}

async function wsClient(id) {
  let first = true;
  while (Date.now() < deadline) {
    await new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws/chaos`, { perMessageDeflate: false });
      ws.on('open', () => { if (!first) counts.ws_reconnects++; first = false; });
      ws.on('unexpected-response', () => { counts.ws_failed_connects++; });
      ws.on('error', () => {});
      let endedByUs = false;  // the close at the deadline is ours, not the server's
      const end = () => {
        endedByUs = true;
        if (ws.readyState === WebSocket.OPEN) counts.ws_open_at_end++;
        else counts.ws_connecting_at_end++;
        ws.terminate();
      };
      const stop = setTimeout(end, Math.max(0, deadline - Date.now()));
      open.add(end);
      ws.on('close', (code) => {
        clearTimeout(stop);
        open.delete(end);
        if (!endedByUs) counts.ws_closes[code] = (counts.ws_closes[code] || 0) + 1;
        resolve();
      });
    });
    await sleep(100);  // a client's reconnect back-off
  }
}

const clients = [];
for (let i = 0; i < keepAliveClients; i++) clients.push(httpClient(new http.Agent({ keepAlive: true, maxSockets: 1 })));
for (let i = 0; i < freshClients; i++) clients.push(httpClient(false));
for (let i = 0; i < wsClients; i++) clients.push(wsClient(i));
await Promise.all(clients);
counts.failed_at = failedAt;
console.log(JSON.stringify(counts));
process.exit(0);
