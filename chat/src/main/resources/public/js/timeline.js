// One room's history as the client knows it: every event by its seq, whichever way it came (a history page, the
// catch-up after a subscribe, a live event). Rows are what the list shows (messages and room changes); edits,
// deletions and reactions are kept by the message they change and applied in seq order, so a message looks the same
// whether its changes arrived before it (scrolling back), after it (live), or twice. No DOM here.

const CHANGES = new Set(['edit', 'delete', 'react', 'unreact']);
export const ROOM_NOTES = new Set(['renamed', 'archived', 'unarchived']);

export class Timeline {
  constructor(room, me) {
    this.room = room;
    this.me = me;
    this.rows = new Map();      // seq -> row, as shown now: a new object whenever it changes
    this.originals = new Map(); // seq -> the message event as it came, before any change applied
    this.changes = new Map();   // target seq -> change events, by seq
    this.first = null;          // the lowest seq held: everything from here to `last` is known
    this.last = 0;              // the highest seq held, with none missing below it down to `first`
    this.complete = false;      // `first` is the room's first event
  }

  /** A page of history: `events` oldest first, `complete` when nothing lies before them. Returns changed seqs. */
  addPage(events, complete) {
    if (complete) this.complete = true;
    const changed = this.add(events);
    if (events.length) this.first = this.first === null ? events[0].seq : Math.min(this.first, events[0].seq);
    else if (this.first === null) this.first = this.last + 1;
    return changed;
  }

  /** Events of the feed, in order from `last`; anything at or below `last` is already known and only re-applied. */
  add(events) {
    const changed = new Set();
    for (const event of events) {
      if (event.seq > this.last) this.last = event.seq;
      if (CHANGES.has(event.kind)) {
        const list = this.changes.get(event.target) || [];
        if (list.some((e) => e.seq === event.seq)) continue;
        list.push(event);
        list.sort((a, b) => a.seq - b.seq);
        this.changes.set(event.target, list);
        if (this.originals.has(event.target)) this.rows.set(event.target, this.#rebuild(event.target));
        changed.add(event.target);  // a reply quoting it changes too, held or not
      } else if (!this.originals.has(event.seq)) {
        this.originals.set(event.seq, event);
        this.rows.set(event.seq, this.#rebuild(event.seq));
        changed.add(event.seq);
      }
    }
    // A reply shows the message it answers as that message is now.
    for (const row of this.rows.values()) {
      if (row.quote && changed.has(row.quote.seq) && !changed.has(row.seq)) {
        this.rows.set(row.seq, this.#rebuild(row.seq));  // a new object: views compare rows by identity
        changed.add(row.seq);
      }
    }
    return changed;
  }

  /** The message or note at `seq` with every change known to it applied. */
  #rebuild(seq) {
    const row = { ...this.originals.get(seq) };
    for (const change of this.changes.get(seq) || []) applyChange(row, change);
    return row;
  }

  /** Whether my latest reaction change with `emoji` on message `seq` added it, as far as the events seen tell. */
  reacted(seq, emoji) {
    let mine = false;
    for (const change of this.changes.get(seq) || []) {
      if (change.userId === this.me && change.text === emoji) mine = change.kind === 'react';
    }
    return mine;
  }

  /** The quote of a reply as it is now: the answered message's current state where we hold it. */
  quoteOf(row) {
    if (!row.quote) return null;
    const held = this.rows.get(row.quote.seq);
    if (held) return { seq: held.seq, username: held.username, text: held.text, deleted: isDeleted(held) };
    const quote = { ...row.quote };
    for (const change of this.changes.get(quote.seq) || []) {
      if (change.kind === 'edit' && change.text !== null) quote.text = change.text;
      if (change.kind === 'delete') { quote.text = null; quote.deleted = true; }
    }
    return quote;
  }

  /** The rows in seq order. */
  ordered() {
    return [...this.rows.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Whether the event with this clientId is in the log already. */
  hasClientId(clientId) {
    for (const row of this.originals.values()) if (row.clientId === clientId) return true;
    return false;
  }
}

export function isDeleted(row) {
  return row.deletedAt !== null && row.deletedAt !== undefined;
}

function applyChange(row, change) {
  switch (change.kind) {
    case 'edit':
      // An edit whose text is null was replaced by a later edit or the deletion, which follows in the log.
      if (change.text !== null && !isDeleted(row)) { row.text = change.text; row.editedAt = change.at; }
      break;
    case 'delete':
      row.text = null; row.deletedAt = change.at; row.reactions = {}; row.attachments = [];
      break;
    default:  // react, unreact: the counts the change left
      if (!isDeleted(row) && change.reactions) row.reactions = change.reactions;
  }
}
