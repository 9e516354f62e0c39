// The message box: Enter sends and Shift+Enter starts a new line; replying, editing (↑ in an empty box edits my
// last message), @-completion of the room's members, files attached by upload before the message is sent, and the
// actions on a message of the list (reply, react, edit, delete, download), which all end up here or in the API.
import { api, upload, blobUrl } from './api.js';
import { element } from './view.js';
import { isDeleted } from './timeline.js';

const $ = (id) => document.getElementById(id);
const EMOJI = ['👍', '❤️', '😂', '🎉', '😮', '😢', '👀', '🙏'];
const MENTION = /(?:^|[^\p{L}\p{N}_.-])@([\p{L}\p{N}_.-]*)$/u;

export class Composer {
  constructor({ state, send, flush, goto, status }) {
    Object.assign(this, { state, send, flush, goto, status });
    this.mode = null;       // { kind: 'reply' | 'edit', seq }
    this.files = [];        // uploaded, waiting for this message: { id, name, contentType, size, url }
    this.uploading = 0;
    this.choices = [];
    this.lastTyping = 0;
    const text = $('text');
    $('composer').addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    text.addEventListener('keydown', (e) => this.key(e));
    text.addEventListener('input', () => { this.complete(); this.typing(); });
    $('composing-cancel').addEventListener('click', () => this.reset());
    $('file').addEventListener('change', () => this.attach([...$('file').files]));
    $('completion').addEventListener('mousedown', (e) => {
      const choice = e.target.closest('[data-name]');
      if (choice) { e.preventDefault(); this.pick(choice.dataset.name); }
    });
    $('messages').addEventListener('click', (e) => this.action(e));
    $('picker').addEventListener('click', (e) => this.react(e));
    $('picker').addEventListener('keydown', (e) => {
      const items = [...$('picker').children];
      const at = items.indexOf(document.activeElement);
      if (e.key === 'Escape') { $('picker').hidden = true; this.focus(); }
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        items[(at + (e.key === 'ArrowRight' ? 1 : items.length - 1)) % items.length].focus();
      }
    });
    document.addEventListener('click', (e) => {
      if (!$('picker').hidden && !e.target.closest('#picker, [data-action=react]')) $('picker').hidden = true;
    });
  }

  focus() {
    $('text').focus({ preventScroll: true });
  }

  reset() {
    this.mode = null;
    this.files = [];
    $('text').value = '';
    $('composing').hidden = true;
    $('files').replaceChildren();
    $('completion').hidden = true;
    $('picker').hidden = true;
  }

  setMode(mode, label) {
    this.mode = mode;
    $('composing').hidden = false;
    $('composing-what').textContent = label;
    this.focus();
  }

  key(e) {
    if (!$('completion').hidden && this.choices.length) {
      const items = [...$('completion').children];
      let at = items.findIndex((item) => item.getAttribute('aria-selected') === 'true');
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        at = (at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
        items.forEach((item, i) => item.setAttribute('aria-selected', String(i === at)));
        $('text').setAttribute('aria-activedescendant', items[at].id);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        this.pick(items[Math.max(at, 0)].dataset.name);
        return;
      }
      if (e.key === 'Escape') { $('completion').hidden = true; return; }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    } else if (e.key === 'Escape' && this.mode) {
      this.reset();
    } else if (e.key === 'ArrowUp' && !$('text').value) {
      const timeline = this.state.timelines.get(this.state.current);
      const last = timeline?.ordered().reverse().find((row) => row.kind === 'message' && row.userId === this.state.me.id
        && !isDeleted(row));
      if (last) { e.preventDefault(); this.edit(last); }
    }
  }

  async submit() {
    const text = $('text').value;
    if (this.uploading) { this.status('Wait for the files to finish uploading.'); return; }
    if (!text.trim() && !this.files.length) return;
    if (this.mode?.kind === 'edit') {
      const { seq } = this.mode;
      try {
        await api('PATCH', `/api/rooms/${this.state.current}/messages/${seq}`, { text });
        this.reset();
      } catch (e) {
        this.status('Not edited: ' + e.message);
      }
      return;
    }
    this.send(text, this.mode?.kind === 'reply' ? this.mode.seq : null, this.files);
    this.reset();
  }

  edit(row) {
    $('text').value = row.text;
    this.setMode({ kind: 'edit', seq: row.seq }, 'Editing your message');
  }

  // --- actions on a message of the list ---------------------------------------------------------------------------
  async action(e) {
    const button = e.target.closest('[data-action]');
    if (!button) return;
    const item = button.closest('li');
    const timeline = this.state.timelines.get(this.state.current);
    const row = timeline?.rows.get(Number(item?.dataset.seq));
    const room = this.state.current;
    try {
      switch (button.dataset.action) {
        case 'reply':
          this.setMode({ kind: 'reply', seq: row.seq }, `Replying to ${row.username}: ${(row.text || '').slice(0, 80)}`);
          break;
        case 'edit': this.edit(row); break;
        case 'delete':
          if (confirm('Delete this message for everyone?')) await api('DELETE', `/api/rooms/${room}/messages/${row.seq}`);
          break;
        case 'react': {
          const picker = $('picker');
          picker.replaceChildren(...EMOJI.map((emoji) => element('button', emoji, undefined,
            { type: 'button', role: 'menuitem', 'data-emoji': emoji, 'aria-label': 'React with ' + emoji })));
          picker.dataset.seq = row.seq;
          const box = button.getBoundingClientRect();
          picker.style.top = Math.max(8, box.top - 48) + 'px';
          picker.style.left = Math.max(8, Math.min(box.left - 120, innerWidth - 300)) + 'px';
          picker.hidden = false;
          picker.firstElementChild.focus();
          break;
        }
        case 'toggle-reaction': await this.toggle(row.seq, button.dataset.emoji); break;
        case 'goto': await this.goto(Number(button.dataset.target)); break;
        case 'download': {
          const link = element('a', undefined, undefined, { href: await blobUrl(button.dataset.url, true),
            download: button.dataset.name });
          link.click();
          break;
        }
        case 'retry':
          this.state.outbox.mark(item.dataset.clientId, 'queued');
          this.flush();
          break;
        case 'discard': this.state.outbox.done(item.dataset.clientId); break;
        default:
      }
    } catch (error) {
      this.status(error.message);
    }
  }

  async react(e) {
    const choice = e.target.closest('[data-emoji]');
    if (!choice) return;
    $('picker').hidden = true;
    try {
      await this.toggle(Number($('picker').dataset.seq), choice.dataset.emoji, true);
    } catch (error) {
      this.status(error.message);
    }
  }

  /** Adds my reaction, or takes it away when I have it already (as far as the events seen tell, or the 204 says). */
  async toggle(seq, emoji, add) {
    const path = `/api/rooms/${this.state.current}/messages/${seq}/reactions/${encodeURIComponent(emoji)}`;
    const timeline = this.state.timelines.get(this.state.current);
    if (!add && timeline.reacted(seq, emoji)) {
      await api('DELETE', path);
      return;
    }
    const added = await api('PUT', path);
    if (added === null && !add) await api('DELETE', path);  // 204: it was mine already
  }

  // --- @-completion -----------------------------------------------------------------------------------------------
  complete() {
    const text = $('text');
    const match = MENTION.exec(text.value.slice(0, text.selectionStart));
    const members = this.state.members.get(this.state.current) || [];
    const prefix = match?.[1].toLowerCase();
    this.choices = match ? members.filter((m) => m.id !== this.state.me.id
      && m.username.toLowerCase().startsWith(prefix)).slice(0, 8) : [];
    const list = $('completion');
    list.replaceChildren(...this.choices.map((m, i) => {
      const item = element('li', undefined, undefined, { role: 'option', id: 'choice-' + i,
        'aria-selected': String(i === 0), 'data-name': m.username });
      item.append(element('span', m.username, 'author'));
      if (m.displayName) item.append(' ', element('span', m.displayName, 'hint'));
      return item;
    }));
    list.hidden = !this.choices.length;
    text.setAttribute('aria-expanded', String(!list.hidden));
    if (this.choices.length) text.setAttribute('aria-activedescendant', 'choice-0');
    else text.removeAttribute('aria-activedescendant');
  }

  pick(name) {
    const text = $('text');
    const before = text.value.slice(0, text.selectionStart).replace(/@[\p{L}\p{N}_.-]*$/u, '@' + name + ' ');
    text.value = before + text.value.slice(text.selectionStart);
    text.selectionStart = text.selectionEnd = before.length;
    $('completion').hidden = true;
    this.choices = [];
    this.focus();
  }

  typing() {
    if (Date.now() - this.lastTyping < 2000 || !$('text').value) return;
    this.lastTyping = Date.now();
    this.state.connection.send({ type: 'typing', room: this.state.current });
  }

  // --- files ------------------------------------------------------------------------------------------------------
  async attach(files) {
    $('file').value = '';
    const room = this.state.current;
    for (const file of files) {
      const chip = element('span', `${file.name} · uploading…`, 'chip');
      $('files').append(chip);
      this.uploading++;
      try {
        const stored = await upload('POST', `/api/rooms/${room}/attachments?name=${encodeURIComponent(file.name)}`,
          file);
        if (this.state.current !== room) return;
        this.files.push(stored);
        chip.textContent = stored.name + ' ';
        const remove = element('button', '✕', 'plain small', { type: 'button', 'aria-label': 'Remove ' + stored.name });
        remove.addEventListener('click', () => { this.files = this.files.filter((f) => f !== stored); chip.remove(); });
        chip.append(remove);
      } catch (e) {
        chip.remove();
        this.status(`${file.name} not attached: ${e.message}`);
      } finally {
        this.uploading--;
      }
    }
  }
}
