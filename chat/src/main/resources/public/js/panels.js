// The side panel beside the messages: the room's members (roles, invite, remove, leave; rename and archive for the
// owner), search results, and my profile. One panel at a time; each redraws from the API's answers.
import { api, upload } from './api.js';
import { element } from './view.js';

const $ = (id) => document.getElementById(id);
const ROLE = { owner: 'owner', admin: 'admin', member: '' };

export class Panels {
  constructor({ state, openRoom, refreshRooms, redraw, goto, status, signedOut }) {
    Object.assign(this, { state, openRoom, refreshRooms, redraw, goto, status, signedOut });
    this.showing = null;
    $('members-open').addEventListener('click', () => (this.showing === 'members' ? this.close() : this.members()));
    $('profile-open').addEventListener('click', () => this.profile());
    $('panel-close').addEventListener('click', () => this.close());
    $('search-form').addEventListener('submit', (e) => { e.preventDefault(); this.search($('search').value); });
    $('new-dm').addEventListener('submit', (e) => { e.preventDefault(); this.direct($('dm-names').value); });
    $('dm-names').addEventListener('input', () => this.suggest());
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.showing) this.close(); });
  }

  open(name, title, ...content) {
    this.showing = name;
    $('panel').hidden = false;
    $('panel-title').textContent = title;
    $('panel-body').replaceChildren(...content);
    $('members-open').setAttribute('aria-expanded', String(name === 'members'));
  }

  close() {
    this.showing = null;
    $('panel').hidden = true;
    $('members-open').setAttribute('aria-expanded', 'false');
  }

  /** Redraws the members panel when the members it shows changed. */
  refresh() {
    if (this.showing === 'members') this.members();
  }

  async act(call) {
    try {
      await call();
      await this.refreshRooms();
      await this.reloadMembers();
    } catch (e) {
      this.status(e.message);
    }
  }

  /** The room's members again (roles, names, avatars changed), and everything that shows them. */
  async reloadMembers() {
    const room = this.state.current;
    if (room === null || !this.state.rooms.has(room)) return;
    const members = await api('GET', `/api/rooms/${room}/members`);
    this.state.members.set(room, members);
    if (room !== this.state.current) return;
    this.refresh();
    this.redraw();
  }

  members() {
    const id = this.state.current;
    const room = this.state.rooms.get(id);
    if (!room) return;
    const members = this.state.members.get(id) || [];
    const mine = room.role;
    const parts = [];
    if (room.kind !== 'direct' && mine === 'owner') {
      const rename = form('Room name', room.name, 'Rename', (name) => this.act(() =>
        api('PATCH', `/api/rooms/${id}`, { name })));
      const archive = button(room.archived ? 'Unarchive room' : 'Archive room', () => this.act(() =>
        api('PATCH', `/api/rooms/${id}`, { archived: !room.archived })), 'secondary');
      parts.push(rename, archive);
    }
    if (room.kind !== 'direct' && (mine === 'owner' || mine === 'admin')) {
      parts.push(form('Invite someone', '', 'Invite', (username) => this.act(() =>
        api('POST', `/api/rooms/${id}/invite`, { username })), 'invite'));
    }
    const list = element('ul', undefined, 'members');
    for (const member of members) {
      const item = element('li');
      item.append(element('span', member.displayName || member.username, 'author'));
      if (member.displayName) item.append(element('span', '@' + member.username, 'hint'));
      if (ROLE[member.role]) item.append(element('span', ROLE[member.role], 'tag'));
      const self = member.id === this.state.me.id;
      if (room.kind !== 'direct' && !self && member.role !== 'owner') {
        if (mine === 'owner') {
          const next = member.role === 'admin' ? 'member' : 'admin';
          item.append(button(next === 'admin' ? 'Make admin' : 'Make member', () => this.act(() =>
            api('PUT', `/api/rooms/${id}/members/${member.id}/role`, { role: next })), 'plain small'));
        }
        if (mine === 'owner' || (mine === 'admin' && member.role === 'member')) {
          item.append(button('Remove', () => this.act(() =>
            api('DELETE', `/api/rooms/${id}/members/${member.id}`)), 'plain small danger'));
        }
      }
      list.append(item);
    }
    parts.push(list);
    if (mine !== 'owner') {
      parts.push(button(room.kind === 'direct' ? 'Leave conversation' : 'Leave room', async () => {
        try {
          await api('POST', `/api/rooms/${id}/leave`);
          this.close();
          this.state.timelines.delete(id);
          await this.refreshRooms();
          const next = [...this.state.rooms.keys()][0];
          if (next) await this.openRoom(next);
        } catch (e) {
          this.status(e.message);
        }
      }, 'secondary danger'));
    }
    this.open('members', room.kind === 'direct' ? 'People' : 'Members', ...parts);
  }

  async search(words, before) {
    if (!words.split(/\s+/).some((word) => [...word].length >= 2)) {
      this.open('search', 'Search', element('p', 'Search for words of two letters or more.', 'hint'));
      return;
    }
    try {
      const query = `q=${encodeURIComponent(words)}&limit=20` + (before ? `&before=${encodeURIComponent(before)}` : '');
      const { hits, next } = await api('GET', '/api/search?' + query);
      const list = before ? $('panel-body').querySelector('ul') : element('ul', undefined, 'hits');
      for (const { roomName, message } of hits) {
        const item = element('li');
        const go = element('button', undefined, 'hit', { type: 'button' });
        go.append(element('span', '#' + roomName + ' · ' + message.username, 'author'),
          element('time', new Date(message.at).toLocaleString(), 'hint', { datetime: message.at }),
          element('span', message.text, 'text', { dir: 'auto' }));
        go.addEventListener('click', () => this.openRoom(message.room).then(() => this.goto(message.seq))
          .catch((e) => this.status(e.message)));
        item.append(go);
        list.append(item);
      }
      $('panel-body').querySelector('.more')?.remove();
      if (before) { if (next) $('panel-body').append(this.more(words, next)); return; }
      const parts = [list];
      if (!hits.length) parts.push(element('p', 'Nothing found.', 'hint'));
      if (next) parts.push(this.more(words, next));
      this.open('search', `Search: ${words}`, ...parts);
    } catch (e) {
      this.status(e.message);
    }
  }

  more(words, next) {
    return button('More results', () => this.search(words, next), 'plain small more');
  }

  async direct(names) {
    const usernames = names.split(/[\s,]+/).filter(Boolean);
    if (!usernames.length) return;
    try {
      const room = await api('POST', '/api/dm', { usernames });
      $('dm-names').value = '';
      await this.refreshRooms();
      await this.openRoom(room.id);
    } catch (e) {
      this.status(e.message);
    }
  }

  async suggest() {
    const prefix = $('dm-names').value.split(/[\s,]+/).at(-1);
    if (prefix.length < 1) return;
    const { users } = await api('GET', '/api/users?q=' + encodeURIComponent(prefix)).catch(() => ({ users: [] }));
    $('user-names').replaceChildren(...users.filter((u) => u.id !== this.state.me.id)
      .map((u) => element('option', undefined, undefined, { value: u.username })));
  }

  profile() {
    const me = this.state.me;
    const name = form('Display name', me.displayName || '', 'Save', async (displayName) => {
      try {
        this.state.me = { ...me, ...(await api('PATCH', '/api/me', { displayName: displayName || null })) };
        $('me').textContent = this.state.me.displayName || this.state.me.username;
        this.status('Saved.');
        await this.reloadMembers();
      } catch (e) {
        this.status(e.message);
      }
    });
    const avatar = element('label', 'Avatar (PNG, JPEG, GIF or WebP, up to 1 MB)');
    const file = element('input', undefined, undefined, { type: 'file', accept: 'image/*' });
    file.addEventListener('change', async () => {
      try {
        await upload('PUT', '/api/me/avatar', file.files[0]);
        this.status('Avatar saved.');
        await this.reloadMembers();
      } catch (e) {
        this.status(e.message);
      }
    });
    avatar.append(file);
    const everywhere = button('Sign out everywhere', async () => {
      try {
        await api('DELETE', '/api/sessions');
        this.signedOut();
      } catch (e) {
        this.status('Not signed out: ' + e.message);  // the other sessions are still open: say so
      }
    }, 'secondary danger');
    this.open('profile', me.username, name, avatar, everywhere);
  }
}

function button(label, onClick, className) {
  const node = element('button', label, className, { type: 'button' });
  node.addEventListener('click', onClick);
  return node;
}

function form(label, value, action, onSubmit, name) {
  const node = element('form', undefined, 'stack', { 'data-form': name || label });
  const input = element('input', undefined, undefined, { 'aria-label': label, placeholder: label, value });
  node.append(input, element('button', action, undefined, { type: 'submit' }));
  node.addEventListener('submit', (e) => { e.preventDefault(); onSubmit(input.value.trim()); });
  return node;
}
