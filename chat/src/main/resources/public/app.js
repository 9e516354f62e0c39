// Corral Chat's web client: plain ES module, no build step. Every user-supplied string reaches the page through
// textContent (never innerHTML), so a message cannot inject markup. Protocol: docs/chat-protocol.md.
const $ = (id) => document.getElementById(id);
const state = { token: sessionStorage.getItem('token'), me: null, room: null, rooms: new Map(), socket: null,
  seen: new Map(), retry: 500 };

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(state.token ? { Authorization: 'Bearer ' + state.token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const reason = data?.detail ? data.detail.map((d) => d.loc.at(-1) + ': ' + d.msg).join('; ') : data?.error;
    throw new Error(reason || response.statusText);
  }
  return data;
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// --- signing in ---------------------------------------------------------------------------------------------------
async function signIn(register) {
  const credentials = { username: $('username').value, password: $('password').value };
  $('auth-error').textContent = '';
  try {
    if (register) await api('POST', '/api/register', credentials);
    const { token } = await api('POST', '/api/login', credentials);
    state.token = token;
    sessionStorage.setItem('token', token);
    await start();
  } catch (e) {
    $('auth-error').textContent = e.message;
  }
}

async function start() {
  try {
    state.me = await api('GET', '/api/me');
  } catch {
    sessionStorage.removeItem('token');
    state.token = null;
    return;
  }
  $('signin').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = state.me.username;
  await refreshRooms();
  connect();
}

// --- rooms --------------------------------------------------------------------------------------------------------
async function refreshRooms() {
  const { mine, direct, public: open } = await api('GET', '/api/rooms');
  const conversations = (direct || []).map((room) => ({ ...room, name: room.members.filter(
    (name) => name !== state.me.username).join(', ') || room.name }));
  $('my-rooms').replaceChildren(...[...mine, ...conversations].map((room) => roomItem(room, true)));
  $('public-rooms').replaceChildren(...open.map((room) => roomItem(room, false)));
  [...mine, ...conversations].forEach((room) => state.rooms.set(room.id, room));
}

function roomItem(room, member) {
  const item = element('li', undefined, state.room === room.id ? 'active' : '');
  item.append(element('span', (room.kind === 'direct' ? '@ ' : room.isPrivate ? '🔒 ' : '# ') + room.name));
  if (member && room.mentions > 0 && state.room !== room.id) item.append(element('span', '@' + room.mentions, 'badge'));
  if (member && room.unread > 0 && state.room !== room.id) item.append(element('span', String(room.unread), 'badge'));
  item.dataset.room = room.id;
  item.addEventListener('click', async () => {
    if (!member) await api('POST', `/api/rooms/${room.id}/join`);
    await openRoom(room.id, room.name);
  });
  return item;
}

async function openRoom(id, name) {
  if (state.room !== null) send({ type: 'unsubscribe', room: state.room });
  state.room = id;
  $('room-title').textContent = name;
  $('messages').replaceChildren();
  $('composer').hidden = Boolean(state.rooms.get(id)?.archived);
  const { events } = await api('GET', `/api/rooms/${id}/messages?limit=50`);
  events.forEach((event) => show(event));  // not forEach(show): the index would be atTop
  state.seen.set(id, events.length ? events.at(-1).seq : 0);
  $('older').hidden = events.length < 50;
  send({ type: 'subscribe', room: id, after: state.seen.get(id) });
  await refreshRooms();
  markRead();
}

async function loadOlder() {
  const first = $('messages').firstElementChild;
  if (!first) return;
  const { events } = await api('GET', `/api/rooms/${state.room}/messages?before=${first.dataset.seq}&limit=50`);
  events.reverse().forEach((event) => show(event, true));
  $('older').hidden = events.length < 50;
}

// --- messages -----------------------------------------------------------------------------------------------------
// Events that change a message shown already, or the room: never a message line of their own.
function apply(event) {
  const line = $('messages').querySelector(`li[data-seq="${event.target}"]`);
  switch (event.kind) {
    case 'react': case 'unreact':
      if (line) showReactions(line, event.reactions);
      return true;
    case 'renamed':
      $('room-title').textContent = event.text;
      return false;
    case 'archived': case 'unarchived':
      $('composer').hidden = event.kind === 'archived';
      return false;
    default:
      return event.kind !== 'message';
  }
}

function showReactions(line, reactions) {
  line.querySelector('.reactions')?.remove();
  const counts = Object.entries(reactions || {});
  if (counts.length) line.append(element('span', counts.map(([emoji, n]) => `${emoji} ${n}`).join('  '), 'reactions'));
}

function show(event, atTop = false) {
  if (event.kind !== 'edit' && event.kind !== 'delete' && apply(event)) return;
  if (event.kind !== 'message' && event.kind !== 'edit' && event.kind !== 'delete') {
    const note = element('li', { renamed: `renamed the room to “${event.text}”`, archived: 'archived the room',
      unarchived: 'unarchived the room' }[event.kind] || event.kind, 'note');
    note.dataset.seq = event.seq;
    note.prepend(element('span', event.username, 'author'));
    if (atTop) $('messages').prepend(note); else $('messages').append(note);
    return;
  }
  if (event.kind === 'edit' || event.kind === 'delete') {
    // An edit whose text is null was replaced by a later edit or the deletion, which follows in the log.
    if (event.kind === 'edit' && event.text === null) return;
    const target = $('messages').querySelector(`li[data-seq="${event.target}"] .text`);
    if (target) {
      target.textContent = event.kind === 'edit' ? event.text + ' (edited)' : 'message deleted';
      if (event.kind === 'delete') target.className = 'text deleted';
    }
    return;
  }
  const item = element('li');
  item.dataset.seq = event.seq;
  const deleted = event.deletedAt !== null && event.deletedAt !== undefined;
  const text = element('span', deleted ? 'message deleted' : event.text + (event.editedAt ? ' (edited)' : ''),
    deleted ? 'text deleted' : 'text');
  text.dir = 'auto';  // each message in its own direction: an override inside cannot reorder what is around it
  item.append(element('span', event.username, 'author'));
  if (event.quote) {
    item.append(element('span', '↪ ' + event.quote.username + ': ' + (event.quote.deleted ? 'message deleted'
      : event.quote.text), 'quote'));
  }
  item.append(text);
  for (const file of (deleted ? [] : event.attachments || [])) {
    item.append(element('span', `📎 ${file.name} (${Math.ceil(file.size / 1024)} KiB)`, 'attachment'));
  }
  showReactions(item, event.reactions);
  if (atTop) $('messages').prepend(item);
  else {
    $('messages').append(item);
    item.scrollIntoView({ block: 'end' });
  }
}

function markRead() {
  const seq = state.seen.get(state.room);
  if (seq) send({ type: 'read', room: state.room, seq });
}

// --- the socket, with resume --------------------------------------------------------------------------------------
function connect() {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  state.socket = socket;
  socket.onopen = () => {
    state.retry = 500;
    socket.send(JSON.stringify({ type: 'auth', token: state.token }));
  };
  socket.onmessage = (message) => receive(JSON.parse(message.data));
  socket.onclose = (close) => {
    $('status').textContent = 'reconnecting…';
    if (close.code === 4401) {  // signed out (here or elsewhere), the password changed, the session expired
      sessionStorage.removeItem('token');
      return location.reload();
    }
    setTimeout(connect, state.retry);  // 1012: a worker was replaced; come back with what we saw
    state.retry = Math.min(state.retry * 2, 8000);
  };
}

function send(message) {
  if (state.socket?.readyState === WebSocket.OPEN) state.socket.send(JSON.stringify(message));
}

let typingTimer;
function receive(message) {
  switch (message.type) {
    case 'ready':
      $('status').textContent = '';
      if (state.room !== null) send({ type: 'subscribe', room: state.room, after: state.seen.get(state.room) || 0 });
      break;
    case 'event':
      if (message.event.room === state.room && message.event.seq > (state.seen.get(state.room) || 0)) {
        show(message.event);
        state.seen.set(state.room, message.event.seq);
        markRead();
      }
      break;
    case 'presence':
      if (message.room === state.room) $('presence').textContent = 'online: ' + message.online.join(', ');
      break;
    case 'mention': case 'room_added':
      refreshRooms().catch(() => {});
      break;
    case 'typing':
      if (message.room === state.room && message.user !== state.me.username) {
        $('typing').textContent = message.user + ' is typing…';
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => { $('typing').textContent = ''; }, 3000);
      }
      break;
    case 'error':
      $('status').textContent = message.message;
      if (message.code === 'room_lost') refreshRooms().catch(() => {});
      break;
  }
}

// --- wiring -------------------------------------------------------------------------------------------------------
$('auth-form').addEventListener('submit', (e) => { e.preventDefault(); signIn(false); });
$('register').addEventListener('click', () => signIn(true));
$('logout').addEventListener('click', async () => {
  await api('POST', '/api/logout').catch(() => {});
  sessionStorage.removeItem('token');
  location.reload();
});
$('new-room').addEventListener('submit', async (e) => {
  e.preventDefault();
  const room = await api('POST', '/api/rooms', { name: $('room-name').value, isPrivate: $('room-private').checked });
  $('room-name').value = '';
  await openRoom(room.id, room.name);
});
$('composer').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('text').value;
  if (!text.trim()) return;
  send({ type: 'send', room: state.room, text, clientId: crypto.randomUUID() });
  $('text').value = '';
});
let lastTyping = 0;
$('text').addEventListener('input', () => {
  if (Date.now() - lastTyping > 2000) {
    lastTyping = Date.now();
    send({ type: 'typing', room: state.room });
  }
});
$('older').addEventListener('click', loadOlder);
setInterval(() => { if (state.me) refreshRooms().catch(() => {}); }, 5000);
if (state.token) start();
