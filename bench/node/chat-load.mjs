// The chat load of bench/chat.sh: CONCURRENCY clients post messages to one room as fast as answers come back, for
// SECONDS (after WARMUP unmeasured seconds), while one WebSocket member of the room measures the time from each
// post's sending to its delivery. STACK is "corral" (Corral Chat: accounts, a room, /ws with a subscribe) or
// "reference" (the FastAPI app of bench/reference). Prints one JSON line. Targets 127.0.0.1:PORT only.
// Usage: node chat-load.mjs STACK PORT SECONDS CONCURRENCY [WARMUP=3]
// bench/run.sh repeats runs until the rate stops improving before it measures (its warm_chat).
import { caller } from './http-call.mjs';
import WebSocket from 'ws';

const [stack, port, seconds, concurrency] = [process.argv[2], +process.argv[3], +process.argv[4], +process.argv[5]];
const warmup = +(process.argv[6] ?? 3);
const call = caller(port, concurrency + 4);

let token, postPath, wsPath, subscribe;
if (stack === 'corral') {
  const credentials = { username: 'bench' + Date.now(), password: 'bench-password' };
  await call('POST', '/api/register', credentials);
  token = (await call('POST', '/api/login', credentials)).body.token;
  const room = (await call('POST', '/api/rooms', { name: 'bench' }, token)).body.id;
  postPath = `/api/rooms/${room}/messages`;
  wsPath = '/ws';
  subscribe = (ws) => {
    ws.send(JSON.stringify({ type: 'auth', token }));
    ws.send(JSON.stringify({ type: 'subscribe', room, after: 0 }));
  };
} else {
  postPath = '/rooms/bench/messages';
  wsPath = '/ws/bench';
  subscribe = () => {};
}

let measuring = false;
const delivery = [];
const answers = [];
let posted = 0;
let failed = 0;
const member = new WebSocket(`ws://127.0.0.1:${port}${wsPath}`, { perMessageDeflate: false });
await new Promise((resolve) => member.on('open', resolve));
subscribe(member);
member.on('message', (data) => {
  const message = JSON.parse(data.toString());
  const text = message.type === 'event' ? message.event.text : message.text;
  if (!measuring || !text || !text.startsWith('t=')) return;
  delivery.push(Number(process.hrtime.bigint() - BigInt(text.slice(2).split(' ')[0])) / 1e6);
});
await new Promise((r) => setTimeout(r, 500));

async function poster(until) {
  while (Date.now() < until) {
    const sentAt = process.hrtime.bigint();
    try {
      const reply = await call('POST', postPath, { text: `t=${sentAt} from the bench` }, token);
      if (!measuring) continue;
      if (reply.status === 201) {
        posted++;
        answers.push(Number(process.hrtime.bigint() - sentAt) / 1e6);
      } else failed++;
    } catch {
      if (measuring) failed++;
    }
  }
}
const run = (duration) => Promise.all(Array.from({ length: concurrency }, () => poster(Date.now() + duration * 1000)));
await run(warmup);
measuring = true;
const started = Date.now();
await run(seconds);
const elapsed = (Date.now() - started) / 1000;
await new Promise((r) => setTimeout(r, 500));  // the last posts' deliveries
measuring = false;
const pct = (list, p) => {
  if (!list.length) return null;
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
};
console.log(JSON.stringify({ stack, concurrency, seconds, posted, failed, posts_per_s: Math.round(posted / elapsed),
  post_p50_ms: pct(answers, 0.5), post_p99_ms: pct(answers, 0.99), delivered: delivery.length,
  delivery_p50_ms: pct(delivery, 0.5), delivery_p99_ms: pct(delivery, 0.99) }));
member.terminate();
process.exit(0);
