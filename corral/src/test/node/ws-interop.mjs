// Runs each WebSocket scenario of NodeWsClientIT with Node's ws client against the Corral worker at argv[2]
// (ws://127.0.0.1:PORT) and prints one JSON line: {"scenario": result, ...}. The Java test asserts the results.
import WebSocket from 'ws';

const base = process.argv[2];

function open(path, options = {}, protocols = undefined) {
  return new Promise((resolve, reject) => {
    const ws = protocols ? new WebSocket(base + path, protocols, options) : new WebSocket(base + path, options);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (req, res) => reject(new Error('status ' + res.statusCode)));
    ws.once('error', reject);
  });
}

const nextMessage = (ws) => new Promise((resolve) => ws.once('message', (data, binary) => resolve({ data, binary })));
const closed = (ws) => new Promise((resolve) => ws.once('close', (code) => resolve(code)));
const withTimeout = (promise, ms = 10000) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

const scenarios = {
  async textAndSubprotocol() {
    const ws = await open('/ws/echo', {}, ['chat.v1']);
    ws.send('hello from node');
    const { data } = await nextMessage(ws);
    ws.close(1000);
    return { protocol: ws.protocol, echo: data.toString() };
  },
  async binary() {
    const ws = await open('/ws/echo');
    ws.send(Buffer.from([0, 1, 2, 255]));
    const { data, binary } = await nextMessage(ws);
    ws.close(1000);
    return { binary, bytes: [...data] };
  },
  async fragments() {
    const ws = await open('/ws/echo', { perMessageDeflate: false });
    ws.send('frag', { fin: false });
    ws.send('men', { fin: false });
    ws.send('ted', { fin: true });
    const { data } = await nextMessage(ws);
    ws.close(1000);
    return data.toString();
  },
  async pingPong() {
    const ws = await open('/ws/echo');
    const pong = new Promise((resolve) => ws.once('pong', (data) => resolve(data.toString())));
    ws.ping('are you there');
    const answer = await pong;
    ws.close(1000);
    return answer;
  },
  async deflate() {
    const ws = await open('/ws/echo', { perMessageDeflate: { threshold: 0 } });
    const text = 'compress me '.repeat(200);
    ws.send(text);
    const { data } = await nextMessage(ws);
    ws.close(1000);
    return { extensions: ws.extensions, same: data.toString() === text };
  },
  async maxSize() {
    const ws = await open('/ws/echo');
    const code = closed(ws);
    ws.send(Buffer.alloc(5000));
    return await code;
  },
  async invalidUtf8() {
    const ws = await open('/ws/echo', { perMessageDeflate: false });
    const code = closed(ws);
    ws.send(Buffer.from([0x6f, 0x6b, 0xc3, 0x28]), { binary: false });
    return await code;
  },
  async appFailure() {
    const ws = await open('/ws/echo');
    const code = closed(ws);
    ws.send('boom');
    return await code;
  },
  async serverClose() {
    const ws = await open('/ws/echo');
    const code = closed(ws);
    ws.send('close 4001');
    return await code;
  },
  async clientClose() {
    const ws = await open('/ws/echo');
    const code = closed(ws);
    ws.close(1000, 'bye');
    return await code;
  },
  async foreignOrigin() {
    try {
      const ws = await open('/ws/echo', { origin: 'https://evil.example' });
      ws.close();
      return 'opened';
    } catch (e) {
      return e.message;
    }
  },
  async slowReader() {
    const ws = await open('/ws/echo', { perMessageDeflate: false });
    const code = closed(ws);
    ws._socket.pause();  // stop reading, as a stuck client would
    ws.send('flood 3200 65536');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    ws._socket.resume();
    return await code;
  },
};

const results = {};
for (const [name, run] of Object.entries(scenarios)) {
  try {
    results[name] = await withTimeout(run());
  } catch (e) {
    results[name] = 'error: ' + e.message;
  }
}
console.log(JSON.stringify(results));
process.exit(0);
