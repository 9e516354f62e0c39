// The search load of bench/chat.sh: seeds MESSAGES messages into one room of Corral Chat (16 posters; one message in
// ten names a common word, one in a thousand a rare one), then times SEARCHES searches of each kind, one at a time:
// the rare word (a handful of hits), the common word (the newest page of 20 of 1,000 hits), and the common word's
// next page (a cursor). Prints one JSON line of p50/p99 latencies in ms. Targets 127.0.0.1:PORT only.
// Usage: node chat-search.mjs PORT [MESSAGES=10000] [SEARCHES=200]
import { caller } from './http-call.mjs';

const port = +process.argv[2];
const messages = +(process.argv[3] ?? 10000);
const searches = +(process.argv[4] ?? 200);
const call = caller(port, 20);

const credentials = { username: 'search' + Date.now(), password: 'bench-password' };
await call('POST', '/api/register', credentials);
const token = (await call('POST', '/api/login', credentials)).body.token;
const room = (await call('POST', '/api/rooms', { name: 'search bench' }, token)).body.id;
const tag = 'k' + Date.now().toString(36);
let next = 0;
const seedStarted = Date.now();
await Promise.all(Array.from({ length: 16 }, async () => {
  for (let n = next++; n < messages; n = next++) {
    const text = `message ${n} of the search bench` + (n % 10 === 0 ? ` common${tag}` : '')
      + (n % 1000 === 0 ? ` rare${tag}` : '');
    const reply = await call('POST', `/api/rooms/${room}/messages`, { text }, token);
    if (reply.status !== 201) throw new Error(`post ${n}: ${reply.status}`);
  }
}));
const seedSeconds = (Date.now() - seedStarted) / 1000;

async function time(path) {
  const started = process.hrtime.bigint();
  const reply = await call('GET', path, undefined, token);
  if (reply.status !== 200) throw new Error(`${path}: ${reply.status}`);
  return [Number(process.hrtime.bigint() - started) / 1e6, reply.body];
}
const pct = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))];
const kinds = { rare: [], common: [], common_page2: [] };
let hits = {};
for (let i = 0; i < searches; i++) {
  const [rare, rareBody] = await time(`/api/search?q=rare${tag}`);
  const [common, commonBody] = await time(`/api/search?q=common${tag}`);
  const [page2] = await time(`/api/search?q=common${tag}&before=${encodeURIComponent(commonBody.next)}`);
  kinds.rare.push(rare); kinds.common.push(common); kinds.common_page2.push(page2);
  hits = { rare: rareBody.hits.length, common_page: commonBody.hits.length };
}
const result = { messages, seed_posts_per_s: Math.round(messages / seedSeconds), searches, hits };
for (const [kind, list] of Object.entries(kinds)) {
  result[`${kind}_p50_ms`] = +pct(list, 0.5).toFixed(2);
  result[`${kind}_p99_ms`] = +pct(list, 0.99).toFixed(2);
}
console.log(JSON.stringify(result));
process.exit(0);
