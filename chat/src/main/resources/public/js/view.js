// Draws a room's timeline into its list: day separators, messages (with time, quote, files, reactions and the
// actions on them), room changes, read receipts and the messages still on their way. Only what changed is rebuilt,
// and the rest of the list stays in place, so the scroll position holds and a screen reader hears only new lines.
// Every user-supplied string reaches the page through textContent (never innerHTML): a message cannot inject markup.
import { isDeleted } from './timeline.js';
import { blobUrl } from './api.js';

export function element(tag, text, className, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  return node;
}

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function dayKey(at) {
  const d = new Date(at);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function dayLabel(at, now = new Date()) {
  const key = dayKey(at);
  if (key === dayKey(now)) return 'Today';
  if (key === dayKey(now.getTime() - 86400000)) return 'Yesterday';
  return date.format(new Date(at));
}

const NOTES = { renamed: (e) => `renamed the room to “${e.text}”`, archived: () => 'archived the room',
  unarchived: () => 'unarchived the room' };

/** Message text with links and @mentions marked; `me` is my username, whose mentions stand out. */
function textNode(text, me) {
  const node = element('div', undefined, 'text', { dir: 'auto' });
  // dir=auto: each message in its own direction, so an override inside cannot reorder what is around it.
  const pattern = /(https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'])|(?<![\p{L}\p{N}_.-])@([\p{L}\p{N}_.-]*[\p{L}\p{N}_])/gu;
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    node.append(text.slice(at, match.index));
    if (match[1]) {
      node.append(element('a', match[1], undefined, { href: match[1], target: '_blank', rel: 'noopener noreferrer' }));
    } else {
      const self = match[2].toLowerCase() === me.toLowerCase();
      node.append(element('span', match[0], self ? 'mention me' : 'mention'));
    }
    at = match.index + match[0].length;
  }
  node.append(text.slice(at));
  return node;
}

function attachmentNode(file) {
  if (/^image\/(png|jpeg|gif|webp)$/.test(file.contentType)) {
    const image = element('img', undefined, 'preview', { alt: file.name, width: 240, height: 160 });
    blobUrl(file.url).then((url) => { image.src = url; }, () => { image.alt = file.name + ' (unavailable)'; });
    const link = element('button', undefined, 'file image', { type: 'button', 'data-action': 'download',
      'data-url': file.url, 'data-name': file.name, title: file.name });
    link.append(image);
    return link;
  }
  return element('button', `${file.name} · ${size(file.size)}`, 'file', { type: 'button', 'data-action': 'download',
    'data-url': file.url, 'data-name': file.name });
}

function size(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1048576) return Math.ceil(bytes / 1024) + ' KB';
  return (bytes / 1048576).toFixed(1) + ' MB';
}

function messageNode(row, timeline, ctx) {
  const deleted = isDeleted(row);
  const item = element('li', undefined, 'msg' + (row.userId === ctx.me.id ? ' mine' : '') + (deleted ? ' deleted' : ''),
    { id: `m${row.seq}`, 'data-seq': row.seq, tabindex: '-1' });
  const meta = element('div', undefined, 'meta');
  const person = ctx.people.get(row.userId);  // a member's display name and avatar; a past member's name only
  if (person?.avatar) {
    const avatar = element('img', undefined, 'avatar', { alt: '', width: 20, height: 20 });
    blobUrl(person.avatar).then((url) => { avatar.src = url; }, () => avatar.remove());
    meta.append(avatar);
  }
  meta.append(element('span', person?.displayName || row.username, 'author',
    { title: person?.displayName ? '@' + row.username : null }));
  meta.append(element('time', time.format(new Date(row.at)), undefined,
    { datetime: row.at, title: full.format(new Date(row.at)) }));
  if (row.editedAt && !deleted) meta.append(element('span', '(edited)', 'edited', { title: full.format(new Date(row.editedAt)) }));
  item.append(meta);
  const quote = timeline.quoteOf(row);
  if (quote && !deleted) {
    const q = element('button', undefined, 'quote', { type: 'button', 'data-action': 'goto', 'data-target': quote.seq });
    q.append(element('span', quote.username, 'author'),
      element('span', quote.deleted ? 'message deleted' : quote.text, quote.deleted ? 'gone' : undefined, { dir: 'auto' }));
    item.append(q);
  }
  if (deleted) {
    item.append(element('div', 'message deleted', 'text gone'));
    return item;
  }
  if (row.text) item.append(textNode(row.text, ctx.me.username));
  if (row.attachments?.length) {
    const files = element('div', undefined, 'files');
    files.append(...row.attachments.map(attachmentNode));
    item.append(files);
  }
  const counts = Object.entries(row.reactions || {});
  if (counts.length) {
    const reactions = element('div', undefined, 'reactions');
    for (const [emoji, n] of counts) {
      const mine = timeline.reacted(row.seq, emoji);
      reactions.append(element('button', `${emoji} ${n}`, 'chip' + (mine ? ' on' : ''), { type: 'button',
        'data-action': 'toggle-reaction', 'data-emoji': emoji, 'aria-pressed': String(mine),
        'aria-label': `${emoji} ${n}${mine ? ', yours' : ''}` }));
    }
    item.append(reactions);
  }
  if (!ctx.readOnly) {
    const actions = element('div', undefined, 'actions');
    actions.append(element('button', 'Reply', undefined, { type: 'button', 'data-action': 'reply' }));
    actions.append(element('button', 'React', undefined, { type: 'button', 'data-action': 'react' }));
    if (row.userId === ctx.me.id) {
      actions.append(element('button', 'Edit', undefined, { type: 'button', 'data-action': 'edit' }));
      actions.append(element('button', 'Delete', undefined, { type: 'button', 'data-action': 'delete' }));
    }
    item.append(actions);
  } else if (row.userId === ctx.me.id) {
    const actions = element('div', undefined, 'actions');  // an archived room: authors may still delete
    actions.append(element('button', 'Delete', undefined, { type: 'button', 'data-action': 'delete' }));
    item.append(actions);
  }
  return item;
}

function noteNode(row) {
  const item = element('li', undefined, 'note', { id: `m${row.seq}`, 'data-seq': row.seq });
  item.append(element('span', row.username, 'author'), ' ' + NOTES[row.kind](row) + ' · ',
    element('time', time.format(new Date(row.at)), undefined, { datetime: row.at, title: full.format(new Date(row.at)) }));
  return item;
}

function pendingNode(entry, ctx) {
  const item = element('li', undefined, 'msg mine pending' + (entry.state === 'failed' ? ' failed' : ''),
    { 'data-client-id': entry.clientId });
  const meta = element('div', undefined, 'meta');
  meta.append(element('span', ctx.me.username, 'author'));
  meta.append(element('span', { queued: 'waiting for the connection…', sending: 'sending…', sent: 'sent',
    failed: 'not sent: ' + entry.error }[entry.state], 'state', { role: entry.state === 'failed' ? 'alert' : null }));
  item.append(meta);
  if (entry.text) item.append(textNode(entry.text, ctx.me.username));
  if (entry.attachments?.length) item.append(element('div', entry.attachments.map((f) => f.name).join(', '), 'files'));
  if (entry.state === 'failed') {
    const actions = element('div', undefined, 'actions shown');
    actions.append(element('button', 'Retry', undefined, { type: 'button', 'data-action': 'retry' }),
      element('button', 'Discard', undefined, { type: 'button', 'data-action': 'discard' }));
    item.append(actions);
  }
  return item;
}

/** Who has read up to which row: {seq -> [usernames]}, each reader at the last row at or below their marker. */
function receipts(rows, readers, me) {
  const at = new Map();
  for (const reader of readers) {
    if (reader.id === me || !reader.seq) continue;
    let place = null;
    for (const row of rows) {
      if (row.seq > reader.seq) break;
      place = row.seq;
    }
    if (place === null) continue;  // read up to before what is loaded
    at.set(place, [...(at.get(place) || []), reader.username]);
  }
  return at;
}

const ids = new WeakMap();
let nextId = 0;
/** A number per row object: the timeline makes a new object whenever a row changes. */
function identity(row) {
  if (!ids.has(row)) ids.set(row, ++nextId);
  return ids.get(row);
}

export class TimelineView {
  constructor(list) {
    this.list = list;
    this.cache = new Map();  // key -> { node, version }
  }

  /** Redraws `timeline` and the `pending` outbox entries, keeping every node whose content did not change. */
  render(timeline, pending, ctx) {
    // A row rebuilt under the keyboard's focus (a reaction came, an edit) gets the focus back on its twin.
    const active = document.activeElement;
    const focusedRow = this.list.contains(active) ? active.closest('li') : null;
    const focusKey = focusedRow && [...this.cache].find(([, c]) => c.node === focusedRow)?.[0];
    const focusAction = active?.dataset?.action;
    const focusEmoji = active?.dataset?.emoji;
    const rows = timeline.ordered();
    const seen = receipts(rows, ctx.readers, ctx.me.id);
    const wanted = [];
    let day = null;
    const want = (key, version, build) => {
      let cached = this.cache.get(key);
      if (!cached || cached.version !== version) {
        cached = { node: build(), version };
        this.cache.get(key)?.node.remove();
        this.cache.set(key, cached);
      }
      wanted.push([key, cached.node]);
    };
    for (const row of rows) {
      const rowDay = dayKey(row.at);
      if (rowDay !== day) {
        day = rowDay;
        const label = dayLabel(row.at);
        want('day ' + rowDay, label, () => element('li', label, 'day', { role: 'separator' }));
      }
      want('row ' + row.seq, identity(row) + (ctx.readOnly ? ' read-only ' : ' ') + ctx.peopleVersion,
        () => (row.kind === 'message' ? messageNode(row, timeline, ctx) : noteNode(row)));
      const readers = seen.get(row.seq);
      if (readers) {
        const label = 'Seen by ' + readers.join(', ');
        want('seen ' + row.seq, label, () => element('li', label, 'seen'));
      }
    }
    for (const entry of pending) {
      want('out ' + entry.clientId, entry.state + entry.error, () => pendingNode(entry, ctx));
    }
    const keys = new Set(wanted.map(([key]) => key));
    for (const key of [...this.cache.keys()]) if (!keys.has(key)) this.cache.delete(key);
    let cursor = this.list.firstChild;
    for (const [, node] of wanted) {
      if (cursor === node) cursor = node.nextSibling;
      else this.list.insertBefore(node, cursor);
    }
    while (cursor) {
      const next = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
    const twin = focusKey && this.cache.get(focusKey)?.node;
    if (twin && twin !== focusedRow) {
      const again = focusAction && [...twin.querySelectorAll(`[data-action="${focusAction}"]`)]
        .find((node) => node.dataset.emoji === focusEmoji);
      (again || twin).focus({ preventScroll: true });
    }
  }

  clear() {
    this.cache.clear();
    this.list.replaceChildren();
  }
}
