// Messages typed but not yet in the room's log. Each keeps its clientId from the moment it is typed, so sending it
// again (after a reconnect, a reload of the tab, a refusal for rate) can never make a second message: the server
// answers a known clientId with the first one. Kept in sessionStorage: this tab's, surviving its reload.
const KEY = 'corral.outbox';

export class Outbox {
  constructor(onChange) {
    this.onChange = onChange;
    this.entries = JSON.parse(sessionStorage.getItem(KEY) || '[]');
    for (const entry of this.entries) if (entry.state === 'sending') entry.state = 'queued';
  }

  #save() {
    sessionStorage.setItem(KEY, JSON.stringify(this.entries));
    this.onChange();
  }

  add(room, text, replyTo, attachments) {
    const entry = { clientId: crypto.randomUUID(), room, text, replyTo: replyTo ?? null, attachments,
      state: 'queued', error: null, notBefore: 0 };
    this.entries.push(entry);
    this.#save();
    return entry;
  }

  get(clientId) {
    return this.entries.find((e) => e.clientId === clientId);
  }

  forRoom(room) {
    return this.entries.filter((e) => e.room === room);
  }

  /** Entries to (re)send now: queued, or sent on a socket that went away before its answer. */
  due(now) {
    return this.entries.filter((e) => e.state === 'queued' && e.notBefore <= now);
  }

  mark(clientId, state, error = null, notBefore = 0) {
    const entry = this.get(clientId);
    if (!entry) return;
    Object.assign(entry, { state, error, notBefore });
    this.#save();
  }

  /** After a socket closed: what was sent on it without an answer goes again on the next one. */
  requeue() {
    let any = false;
    for (const entry of this.entries) if (entry.state === 'sending') { entry.state = 'queued'; any = true; }
    if (any) this.#save();
  }

  /** The message is in the log (its event came, carrying the clientId): no longer pending. */
  done(clientId) {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.clientId !== clientId);
    if (this.entries.length !== before) this.#save();
  }

  clear() {
    this.entries = [];
    sessionStorage.removeItem(KEY);
  }
}
