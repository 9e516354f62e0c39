// The WebSocket broadcast load of bench/ws.sh: CLIENTS members join the room at URL, one more client publishes
// RATE messages a second for WARMUP seconds (unmeasured) and then SECONDS, each carrying its send time; every member
// measures delivery latency. Prints one JSON line. Load goes to the URL given (bench/ws.sh passes 127.0.0.1 only)
// and stops after WARMUP + SECONDS.
// Usage: node ws-load.mjs URL CLIENTS RATE SECONDS [WARMUP=5]
import WebSocket from 'ws';

const [url, clients, rate, seconds] = [process.argv[2], +process.argv[3], +process.argv[4], +process.argv[5]];
const warmup = +(process.argv[6] ?? 5);  // seconds published at the same rate before measuring (JIT, caches)
const latencies = [];
let delivered = 0;
let measuring = false;

const open = (onMessage) => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on('open', () => resolve(ws));
  ws.on('error', reject);
  if (onMessage) ws.on('message', onMessage);
});

const members = [];
for (let i = 0; i < clients; i += 50) {  // connect in batches so the accept queue never overflows
  const batch = [];
  for (let j = i; j < Math.min(clients, i + 50); j++) {
    batch.push(open((data) => {
      if (!measuring) return;
      const sentAt = BigInt(data.toString().split(' ')[0]);
      latencies.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      delivered++;
    }));
  }
  members.push(...await Promise.all(batch));
}
const publisher = await open(null);
const padding = 'x'.repeat(64);
let sent = 0;
const publish = (duration) => new Promise((resolve) => {  // RATE a second, in 10 ms ticks, for DURATION seconds
  const started = Date.now();
  const perTick = Math.max(1, Math.round(rate / 100));
  const timer = setInterval(() => {
    for (let k = 0; k < perTick; k++) {
      publisher.send(`${process.hrtime.bigint()} ${sent++} ${padding}`);
    }
    if (Date.now() - started >= duration * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, 10);
});
await publish(warmup);
await new Promise((r) => setTimeout(r, 1000));  // the warm-up's deliveries drain, unmeasured
sent = 0;
measuring = true;
const started = Date.now();
await publish(seconds);
await new Promise((r) => setTimeout(r, 1000));  // deliveries in flight (p99 is a few ms; a GC pause tens)
measuring = false;
const elapsed = (Date.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] : null);
console.log(JSON.stringify({
  clients, rate, seconds, sent, expected: sent * clients, delivered,
  delivered_per_s: Math.round(delivered / elapsed), p50_ms: pct(0.5), p99_ms: pct(0.99),
}));
for (const ws of [...members, publisher]) ws.terminate();
process.exit(0);
