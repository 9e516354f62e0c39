// Messages typed but not yet in the room's log. Each keeps its clientId from the moment it is typed, so sending it
// again (after a reconnect, a reload of the tab, a refusal for rate) can never make a second message: the server
// answers a known clientId with the first one. Kept in sessionStorage: this tab's, surviving its reload.
// Per user: what one account typed never goes out under another signing in on this tab.
export class Outbox {
  constructor(userId, onChange) {
    this.key = 'corral.outbox.' + userId;
    this.onChange = onChange;
    this.entries = JSON.parse(sessionStorage.getItem(this.key) || '[]');
    // Sent before the reload, its event perhaps not seen: sending again is harmless, losing it is not.
    for (const entry of this.entries) if (entry.state === 'sending' || entry.state === 'sent') entry.state = 'queued';
  }

  #save() {
    sessionStorage.setItem(this.key, JSON.stringify(this.entries));
    this.onChange();
  }

  add(room, text, replyTo, attachments) {
    const entry = { clientId: uuid(), room, text, replyTo: replyTo ?? null, attachments,
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
    sessionStorage.removeItem(this.key);
  }
}

/** crypto.randomUUID exists on secure origins only (https, localhost); the random bytes everywhere. */
function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const hex = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}
