// Corral Chat's web client: ES modules, no build step (docs/chat-protocol.md for what it speaks). This module holds
// the state and the room on screen; timeline.js the history model, outbox.js the messages on their way, socket.js
// the connection, view.js the drawing, composer.js the message box, panels.js members, search and profile.
import { api, session, ApiError } from './api.js';
import { Timeline, ROOM_NOTES } from './timeline.js';
import { Outbox } from './outbox.js';
import { Connection } from './socket.js';
import { TimelineView, element } from './view.js';
import { Composer } from './composer.js';
import { Panels } from './panels.js';

export const $ = (id) => document.getElementById(id);
const PAGE = 50;

export const state = {
  me: null,
  rooms: new Map(),      // my rooms and conversations by id, as /api/rooms says, with `title` to show
  current: null,         // the id of the room on screen
  timelines: new Map(),  // room id -> Timeline
  members: new Map(),    // room id -> members, as /api/rooms/{id}/members says, with markers kept up to date
  token: session.token,  // the sign-in this tab runs on
  connection: null,
  outbox: null,
  subscribed: null,      // the room whose feed we asked for on this connection
};

const view = new TimelineView($('messages'));
let composer;
let panels;

// --- signing in and out -------------------------------------------------------------------------------------------
async function signIn(register) {
  const credentials = { username: $('username').value, password: $('password').value };
  $('auth-error').textContent = '';
  try {
    if (register) await api('POST', '/api/register', credentials);
    const { token } = await api('POST', '/api/login', credentials);
    session.token = token;
    state.token = token;
    await start();
  } catch (e) {
    $('auth-error').textContent = e.message;
  }
}

/** This tab is signed out (here, in another tab, or by the server): back to the sign-in form, nothing kept. */
export function signedOut() {
  if (session.token === state.token) session.token = null;  // not a newer sign-in of another tab
  state.outbox?.clear();
  location.reload();
}

async function signOut() {
  state.connection?.close();
  await api('POST', '/api/logout').catch(() => {});
  signedOut();
}

async function start() {
  if (!session.token) {
    $('signin').hidden = false;
    return;
  }
  try {
    state.me = await api('GET', '/api/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      session.token = null;
      $('signin').hidden = false;
      return;
    }
    throw e;
  }
  $('signin').hidden = true;
  $('chat').hidden = false;
  $('me').textContent = state.me.displayName || state.me.username;
  state.outbox = new Outbox(state.me.id, () => redraw());
  composer = new Composer({ state, send: queueMessage, flush, goto, status });
  panels = new Panels({ state, openRoom, refreshRooms, redraw, goto, status, signedOut });
  state.connection = new Connection(session.token, { onReady: connected, onFrame: receive,
    onDown: disconnected, onSignedOut: signedOut });
  state.connection.open();
  if ('Notification' in window && Notification.permission === 'default') $('notify').hidden = false;
  await firstRoom();
}

/** The room of last time, or the first one; a server away for a moment is waited for, never a sign-in again. */
async function firstRoom() {
  try {
    await refreshRooms();
    const last = Number(localStorage.getItem(roomKey()));
    const first = state.rooms.get(last) ? last : [...state.rooms.keys()][0];
    if (first && state.current === null) await openRoom(first, { restore: true });
  } catch (e) {
    status(e.message + ': trying again…', { lasting: true });
    setTimeout(firstRoom, 3000);
  }
}

const roomKey = () => `corral.room.${state.me.id}`;
const positionKey = (room) => `corral.position.${state.me.id}.${room}`;

// --- the room list ------------------------------------------------------------------------------------------------
let roomsShown = null;
export async function refreshRooms() {
  if (!session.token) return;
  const answer = await api('GET', '/api/rooms');
  const signature = JSON.stringify(answer) + state.current;
  if (signature === roomsShown) return;  // redrawn only when changed: a keyboard user's focus stays put
  roomsShown = signature;
  const { mine, direct, public: open } = answer;
  state.rooms.clear();
  for (const room of mine) state.rooms.set(room.id, { ...room, title: room.name });
  for (const room of direct) {
    const others = (room.members || []).filter((name) => name !== state.me.username);
    state.rooms.set(room.id, { ...room, title: others.join(', ') || room.name });
  }
  $('my-rooms').replaceChildren(...mine.map((room) => roomItem(state.rooms.get(room.id), true)));
  $('direct-rooms').replaceChildren(...direct.map((room) => roomItem(state.rooms.get(room.id), true)));
  $('public-rooms').replaceChildren(...open.map((room) => roomItem({ ...room, title: room.name }, false)));
  showRoomHeader();
  updateTitle();
}

function roomItem(room, member) {
  const item = element('li');
  const here = state.current === room.id;
  const button = element('button', undefined, 'room' + (here ? ' active' : ''), { type: 'button',
    'data-room': room.id, 'aria-current': here ? 'true' : null });
  const sign = room.kind === 'direct' ? '@' : room.isPrivate ? '🔒' : '#';
  button.append(element('span', sign, 'sign', { 'aria-hidden': 'true' }), element('span', room.title, 'name'));
  if (member && !here && room.mentions > 0) {
    button.append(element('span', '@' + room.mentions, 'badge mention', { 'aria-label': room.mentions + ' mentions' }));
  }
  if (member && !here && room.unread > 0) {
    button.append(element('span', String(room.unread), 'badge', { 'aria-label': room.unread + ' unread' }));
  }
  if (room.archived) button.append(element('span', 'archived', 'tag'));
  button.addEventListener('click', async () => {
    try {
      if (!member) await api('POST', `/api/rooms/${room.id}/join`);
      if (!member) await refreshRooms();
      await openRoom(room.id);
    } catch (e) {
      status(e.message);
    }
  });
  item.append(button);
  return item;
}

function updateTitle() {
  let unread = 0;
  for (const room of state.rooms.values()) if (room.id !== state.current || document.hidden) unread += room.unread || 0;
  document.title = (unread ? `(${unread}) ` : '') + (state.rooms.get(state.current)?.title || 'Corral Chat')
    + (state.current ? ' · Corral Chat' : '');
}

// --- the room on screen -------------------------------------------------------------------------------------------
export async function openRoom(id, { restore = false } = {}) {
  const again = state.current === id;
  if (state.current !== null && state.current !== id && state.subscribed === state.current) {
    state.connection.send({ type: 'unsubscribe', room: state.current });
    state.subscribed = null;
  }
  savePosition();
  state.current = id;
  localStorage.setItem(roomKey(), String(id));
  document.body.classList.remove('drawer-open');
  $('menu').setAttribute('aria-expanded', 'false');
  $('scrim').hidden = true;
  $('presence').textContent = '';
  $('typing').textContent = '';
  if (!again) composer.reset();  // the same room again keeps what was being typed
  view.clear();
  showRoomHeader();
  let timeline = state.timelines.get(id);
  if (!timeline) {
    timeline = new Timeline(id, state.me.id);
    const { events } = await api('GET', `/api/rooms/${id}/messages?limit=${PAGE}`);
    if (state.current !== id) return;
    if (!state.timelines.has(id)) {
      timeline.addPage(events, events.length < PAGE);
      settle(events);
      state.timelines.set(id, timeline);
    }
  }
  subscribe();
  loadMembers(id).catch(() => {});
  await refreshRooms();
  if (state.current !== id) return;  // another room was picked meanwhile
  busy(redraw);
  const saved = restore ? JSON.parse(localStorage.getItem(positionKey(id)) || 'null') : null;
  if (saved && !saved.bottom && saved.seq) await goto(saved.seq, { block: 'start', focus: false });
  else scrollToBottom();
  if (state.current !== id) return;
  if (!restore) composer.focus();
  markRead();
}

/** A redraw of many rows at once (a room opened, a page of history): not read out row by row. */
function busy(draw) {
  $('messages').setAttribute('aria-busy', 'true');
  draw();
  requestAnimationFrame(() => $('messages').removeAttribute('aria-busy'));
}

/** Messages of mine in the log are no longer pending, however they came (an ack lost with a reload, say). */
function settle(events) {
  for (const event of events) if (event.clientId && state.outbox.get(event.clientId)) state.outbox.done(event.clientId);
}

function subscribe() {
  const timeline = state.timelines.get(state.current);
  if (!timeline || !state.connection.ready) return;
  state.connection.send({ type: 'subscribe', room: state.current, after: timeline.last });
  state.subscribed = state.current;
}

function showRoomHeader() {
  const room = state.rooms.get(state.current);
  $('room-title').textContent = room ? (room.kind === 'direct' ? '@ ' : '# ') + room.title : 'Pick a room';
  $('members-open').hidden = !room;
  $('composer').hidden = !room || room.archived;
  $('archived-note').hidden = !room?.archived;
}

async function loadMembers(id) {
  const members = await api('GET', `/api/rooms/${id}/members`);
  state.members.set(id, members);
  if (id === state.current) {
    redraw();
    panels.refresh();
  }
}

/** Draws the room on screen, keeping what the reader is looking at where it is (or the bottom, if there). */
export function redraw() {
  const timeline = state.timelines.get(state.current);
  if (!timeline) return;
  const box = $('timeline');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  const anchor = atBottom ? null : firstVisible();
  const offset = anchor ? document.getElementById(anchor).getBoundingClientRect().top : 0;
  const room = state.rooms.get(state.current);
  const members = state.members.get(state.current) || [];
  const readers = members.map((m) => ({ id: m.id, username: m.username, seq: m.lastReadSeq }));
  const people = new Map(members.map((m) => [m.id, m]));
  view.render(timeline, state.outbox.forRoom(state.current), { me: state.me, readers, people,
    peopleVersion: peopleVersion(members), readOnly: Boolean(room?.archived) });
  $('older').hidden = timeline.complete;
  $('beginning').hidden = !timeline.complete;
  if (atBottom) box.scrollTop = box.scrollHeight;
  else if (anchor && document.getElementById(anchor)) {
    box.scrollTop += document.getElementById(anchor).getBoundingClientRect().top - offset;
  }
}

const versions = new WeakMap();
/** Changes when a name or avatar shown on messages does (not when a read marker moves). */
function peopleVersion(members) {
  if (!versions.has(members)) versions.set(members, members.map((m) => `${m.id}:${m.displayName}:${m.avatar}`).join());
  return versions.get(members);
}

function firstVisible() {
  const top = $('timeline').getBoundingClientRect().top;
  for (const item of $('messages').children) {
    if (item.id && item.getBoundingClientRect().bottom > top) return item.id;
  }
  return null;
}

function scrollToBottom() {
  $('timeline').scrollTop = $('timeline').scrollHeight;
}

const loadingOlder = new Map();  // room -> the page on its way
/** The page before the oldest we hold; the scroll position stays on what the reader was looking at. */
export function loadOlder() {
  const timeline = state.timelines.get(state.current);
  if (!timeline || timeline.complete) return Promise.resolve();
  if (!loadingOlder.has(timeline.room)) {
    loadingOlder.set(timeline.room, api('GET',
      `/api/rooms/${timeline.room}/messages?before=${timeline.first}&limit=${PAGE}`).then(({ events }) => {
      timeline.addPage(events, events.length < PAGE);
      settle(events);
      if (timeline.room === state.current) busy(redraw);
    }).finally(() => loadingOlder.delete(timeline.room)));
  }
  return loadingOlder.get(timeline.room);
}

/** Brings message `seq` of the room on screen into view, loading older pages up to it. */
export async function goto(seq, { block = 'center', focus = true } = {}) {
  const timeline = state.timelines.get(state.current);
  for (let pages = 0; timeline && !timeline.complete && timeline.first > seq && pages < 40; pages++) {
    await loadOlder();
    if (state.timelines.get(state.current) !== timeline) return;  // another room was picked meanwhile
  }
  const item = document.getElementById('m' + seq);
  if (!item) return;
  item.scrollIntoView({ block });
  if (focus) {
    item.classList.add('flash');
    item.focus({ preventScroll: true });
    setTimeout(() => item.classList.remove('flash'), 1600);
  }
}

let saveTimer;
function savePosition() {
  if (state.current === null || !state.me) return;
  const box = $('timeline');
  const bottom = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  const seq = Number(firstVisible()?.slice(1)) || null;
  localStorage.setItem(positionKey(state.current), JSON.stringify({ bottom, seq }));
}

/** Moves my read marker to the last message, when I can see it. */
function markRead() {
  const timeline = state.timelines.get(state.current);
  const box = $('timeline');
  if (!timeline || !timeline.last || document.hidden || !state.rooms.has(state.current)) return;
  if (box.scrollHeight - box.scrollTop - box.clientHeight > 48) return;
  const mine = (state.members.get(state.current) || []).find((m) => m.id === state.me.id);
  if (mine && mine.lastReadSeq >= timeline.last) return;
  if (!state.connection.send({ type: 'read', room: state.current, seq: timeline.last })) return;
  if (mine) mine.lastReadSeq = timeline.last;
  const room = state.rooms.get(state.current);
  if (room) { room.unread = 0; room.mentions = 0; }
  updateTitle();
}

// --- sending ------------------------------------------------------------------------------------------------------
/** A message typed: shown at once as pending, sent when the socket is up, resent until the log has it. */
function queueMessage(text, replyTo, attachments) {
  state.outbox.add(state.current, text, replyTo, attachments);
  scrollToBottom();
  flush();
}

function flush() {
  const now = Date.now();
  for (const entry of state.outbox.due(now)) {
    const sent = state.connection.send({ type: 'send', room: entry.room, text: entry.text, clientId: entry.clientId,
      replyTo: entry.replyTo, attachments: (entry.attachments || []).map((f) => f.id) });
    if (!sent) return;
    state.outbox.mark(entry.clientId, 'sending');
  }
  const later = state.outbox.entries.filter((e) => e.state === 'queued' && e.notBefore > now);
  if (later.length) setTimeout(flush, Math.min(...later.map((e) => e.notBefore)) - now + 10);
}

// --- the socket ---------------------------------------------------------------------------------------------------
function connected() {
  status('');
  document.body.dataset.connection = 'open';
  state.subscribed = null;
  subscribe();
  flush();
}

function disconnected() {
  document.body.dataset.connection = 'connecting';
  status('Reconnecting…', { lasting: true });
  state.outbox.requeue();
}

let typingTimer;
function receive(frame) {
  switch (frame.type) {
    case 'event': return onEvent(frame.event);
    case 'ack': {
      const timeline = state.timelines.get(frame.room);
      if (!timeline || timeline.hasClientId(frame.clientId) || frame.room !== state.current) {
        state.outbox.done(frame.clientId);
      } else {
        state.outbox.mark(frame.clientId, 'sent');
      }
      return;
    }
    case 'presence':
      if (frame.room === state.current) {
        $('presence').textContent = `● ${frame.online.length} online`;
        $('presence').title = frame.online.join(', ');
      }
      return;
    case 'typing':
      if (frame.room === state.current && frame.user !== state.me.username) {
        $('typing').textContent = frame.user + ' is typing…';
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => { $('typing').textContent = ''; }, 3000);
      }
      return;
    case 'read': {
      const member = (state.members.get(frame.room) || []).find((m) => m.id === frame.userId);
      if (member && frame.seq > (member.lastReadSeq || 0)) {
        member.lastReadSeq = frame.seq;
        if (frame.room === state.current) redraw();
      }
      return;
    }
    case 'mention': return onMention(frame);
    case 'room_added': refreshRooms().catch(() => {}); return;
    case 'error': return onError(frame);
    default:
  }
}

function onEvent(event) {
  const timeline = state.timelines.get(event.room);
  if (!timeline) return;
  timeline.add([event]);
  settle([event]);
  if (ROOM_NOTES.has(event.kind)) {
    const room = state.rooms.get(event.room);
    if (room && event.kind === 'renamed' && room.kind !== 'direct') { room.name = event.text; room.title = event.text; }
    if (room && event.kind !== 'renamed') room.archived = event.kind === 'archived';
    refreshRooms().catch(() => {});
  }
  if (event.room === state.current) {
    redraw();
    markRead();
  }
}

function onMention(frame) {
  refreshRooms().catch(() => {});
  if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
  const room = state.rooms.get(frame.room);
  try {
    const note = new Notification(`${frame.by} mentioned you in ${room?.title || 'a room'}`,
      { body: frame.text, tag: `mention-${frame.room}-${frame.seq}` });
    note.onclick = () => {
      window.focus();
      openRoom(frame.room).then(() => goto(frame.seq)).catch((e) => status(e.message));
    };
  } catch {
    // Android's Chrome has no Notification constructor (only a service worker's): the badge says it instead.
  }
}

function onError(frame) {
  if (frame.clientId && state.outbox.get(frame.clientId)) {
    if (frame.code === 'rate_limited' || frame.code === 'unavailable') {
      state.outbox.mark(frame.clientId, 'queued', null, Date.now() + 1000 * (frame.retryAfter || 2));
      flush();
    } else {
      state.outbox.mark(frame.clientId, 'failed', frame.message);
    }
    return;
  }
  if (frame.code === 'room_lost') {
    state.timelines.delete(frame.room);
    if (frame.room === state.current) {
      state.current = null;
      view.clear();
      status('You are no longer a member of that room.');
    }
    refreshRooms().catch(() => {});
    return;
  }
  if (frame.code === 'after_beyond_end' && frame.room === state.current) {
    state.timelines.delete(frame.room);  // numbers from another database: start the room afresh
    openRoom(frame.room).catch((e) => status(e.message));
    return;
  }
  if (frame.code === 'unavailable' && state.subscribed !== null) {
    setTimeout(subscribe, 2000);  // the subscribe found the database away: ask again (the log has it all)
  }
  status(frame.message || frame.code);
}

let statusTimer;
/** A line in the header: a passing one goes after 6 s, a lasting one ("Reconnecting…") when replaced. */
export function status(text, { lasting = false } = {}) {
  $('status').textContent = text;
  clearTimeout(statusTimer);
  if (text && !lasting) statusTimer = setTimeout(() => { $('status').textContent = ''; }, 6000);
}

// --- wiring -------------------------------------------------------------------------------------------------------
$('auth-form').addEventListener('submit', (e) => { e.preventDefault(); signIn(false); });
$('register').addEventListener('click', () => signIn(true));
$('logout').addEventListener('click', signOut);
$('older').addEventListener('click', () => loadOlder().catch((e) => status(e.message)));
$('timeline').addEventListener('scroll', () => {
  const box = $('timeline');
  if (box.scrollTop < 300) loadOlder().catch(() => {});
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => { savePosition(); markRead(); }, 250);
});
$('new-room').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const room = await api('POST', '/api/rooms', { name: $('room-name').value, isPrivate: $('room-private').checked });
    $('room-name').value = '';
    await refreshRooms();
    await openRoom(room.id);
  } catch (error) {
    status(error.message);
  }
});
$('menu').addEventListener('click', () => {
  const open = document.body.classList.toggle('drawer-open');
  $('menu').setAttribute('aria-expanded', String(open));
  $('scrim').hidden = !open;
});
$('scrim').addEventListener('click', () => { document.body.classList.remove('drawer-open'); $('scrim').hidden = true; });
$('notify').addEventListener('click', async () => {
  await Notification.requestPermission();
  $('notify').hidden = Notification.permission !== 'default';
});
document.addEventListener('visibilitychange', () => { updateTitle(); if (!document.hidden) markRead(); });
// Another tab signed out, or in as someone else: this one follows.
window.addEventListener('storage', (e) => { if (e.key === 'corral.token' && e.newValue !== state.token) location.reload(); });
window.addEventListener('pagehide', savePosition);
setInterval(() => { if (state.me && !document.hidden) refreshRooms().catch(() => {}); }, 15000);
start().catch((e) => { $('auth-error').textContent = e.message; $('signin').hidden = false; });
