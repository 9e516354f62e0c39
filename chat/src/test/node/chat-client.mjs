// The web client's user stories, each in Debian's Chromium driven by Playwright, with each person in a browser
// context of their own. Run by ChatWebClientIT: `node chat-client.mjs STORY ARGS_JSON`; prints one JSON line last,
// what the people saw (ChatWebClientIT compares it with the API), with every console error and page error.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [story, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson);
const base = args.base;
const result = { consoleErrors: [] };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const WAIT = { timeout: 20000 };

async function context(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 720 }, ...options });
  ctx.on('page', (page) => watch(page));
  return ctx;
}

function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => result.consoleErrors.push('page error: ' + e.message));
}

/** Signs `name` in through the form (registering first when asked), in a new page of `ctx`. */
async function signIn(ctx, name, { register = false } = {}) {
  const page = await ctx.newPage();
  await page.goto(base + '/');
  await page.fill('#username', name);
  await page.fill('#password', 'password-' + name);
  await page.click(register ? '#register' : '#login');
  await page.waitForSelector('#chat:not([hidden])', WAIT);
  return page;
}

async function openRoom(page, id) {
  await page.click(`#my-rooms button[data-room="${id}"], #direct-rooms button[data-room="${id}"],
    #public-rooms button[data-room="${id}"]`);
  await page.waitForSelector(`#my-rooms button[data-room="${id}"].active, #direct-rooms button[data-room="${id}"].active`,
    WAIT);
}

/** What the list shows, row by row. */
function rows(page) {
  return page.$$eval('#messages > li.msg:not(.pending), #messages > li.note', (items) => items.map((li) => ({
    seq: Number(li.dataset.seq),
    kind: li.classList.contains('note') ? 'note' : 'message',
    author: li.querySelector('.author')?.textContent,
    text: li.classList.contains('note') ? li.textContent : li.querySelector(':scope > .text')?.textContent ?? '',
    deleted: li.classList.contains('deleted'),
    edited: !!li.querySelector(':scope .edited'),
    reactions: [...li.querySelectorAll('.chip')].map((chip) => chip.textContent),
    quote: li.querySelector('.quote')?.textContent ?? null,
  })));
}

async function send(page, text) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

async function call(token, method, path, body) {
  const response = await fetch(base + path, { method, headers: { Authorization: 'Bearer ' + token,
    ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  return response.status === 204 ? null : response.json();
}

/** Scrolls to the top until the room's beginning shows; each page must leave the row in view where it was. */
async function scrollBackToTheBeginning(page) {
  const jumps = [];
  for (let i = 0; i < 30 && !(await page.isVisible('#beginning')); i++) {
    const count = await page.locator('#messages > li[id]').count();
    // At the top, the row there is where the reader looks: the page that comes in above it must not move it.
    const before = await page.evaluate(() => {
      const box = document.getElementById('timeline');
      box.scrollTop = 0;
      const top = box.getBoundingClientRect().top;
      const first = [...document.querySelectorAll('#messages > li[id]')].find((li) => li.getBoundingClientRect().bottom > top);
      return { id: first.id, y: first.getBoundingClientRect().top };
    });
    await page.waitForFunction((n) => document.querySelectorAll('#messages > li[id]').length > n
      || !document.getElementById('beginning').hidden, count, WAIT);
    const after = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, before.id);
    jumps.push(Math.round(after - before.y));
  }
  return jumps;
}

const stories = {
  /** History after reload is the server's log; scroll-back over the whole room; live changes land on their rows. */
  async history() {
    const ctx = await context();
    const alice = await signIn(ctx, 'alice');
    await alice.waitForSelector('#messages > li.msg', WAIT);
    result.firstPage = await rows(alice);
    result.days = await alice.locator('#messages > li.day').allTextContents();
    result.atBottom = await alice.evaluate(() => {
      const box = document.getElementById('timeline');
      return box.scrollHeight - box.scrollTop - box.clientHeight < 48;
    });
    await alice.reload();
    await alice.waitForSelector('#messages > li.msg', WAIT);
    // While alice watches, bob edits, deletes, reacts and replies (another client, through the API).
    const { room, bob, edit, remove, react } = args;
    await call(bob, 'PATCH', `/api/rooms/${room}/messages/${edit}`, { text: 'edited live' });
    await call(bob, 'DELETE', `/api/rooms/${room}/messages/${remove}`);
    await call(bob, 'PUT', `/api/rooms/${room}/messages/${react}/reactions/${encodeURIComponent('🎉')}`);
    await call(bob, 'POST', `/api/rooms/${room}/messages`, { text: 'the last word', replyTo: edit });
    await alice.waitForSelector('#messages > li.msg:has-text("the last word") .quote:has-text("edited live")', WAIT);
    await alice.waitForSelector(`#m${remove}.deleted`, WAIT);
    result.jumps = await scrollBackToTheBeginning(alice);
    result.live = await rows(alice);
    await alice.evaluate(() => { const box = document.getElementById('timeline'); box.scrollTop = box.scrollHeight; });
    await alice.reload();  // from the bottom, where it comes back (the position restored is the remembers story's)
    await alice.waitForSelector('#messages > li.msg:has-text("the last word")', WAIT);
    result.jumpsAfterReload = await scrollBackToTheBeginning(alice);
    result.reloaded = await rows(alice);
  },

  /**
   * A flaky network, made exact by standing between the page and /ws: messages typed while the socket is away wait
   * as pending and go when it is back; a message whose ack is lost with the connection is sent again and stored once.
   */
  async flaky() {
    const ctx = await context();
    let mode = 'pass';
    let current = null;
    let dropAcks = false;
    const seenFrames = [];
    const page = await ctx.newPage();
    await page.routeWebSocket(/\/ws$/, (ws) => {
      if (mode === 'down') { ws.close({ code: 4000, reason: 'network down' }); return; }
      const server = ws.connectToServer();
      // Once either side is closed the proxy forwards nothing more: a frame still in flight would otherwise reach a
      // closed socket, and Chromium logs that as an error of the page (the proxy's, not the client's).
      let up = true;
      const end = (code, reason) => {
        if (!up) return;
        up = false;
        ws.close({ code, reason });
        server.close();
      };
      ws.onClose(() => end(1006, 'page closed'));
      server.onClose((code, reason) => end(code ?? 1006, reason ?? ''));
      current = { close: ({ code, reason }) => end(code, reason) };
      ws.onMessage((m) => { if (!up) return; seenFrames.push(m); server.send(m); });
      server.onMessage((m) => {
        if (!up) return;
        // The answer is lost, and so is the connection: whatever the server says until its ack (the message's own
        // event may come first) never arrives, so only a resend can settle the message.
        if (dropAcks) {
          if (JSON.parse(m).type !== 'ack') return;
          dropAcks = false;
          end(4000, 'lost');
          return;
        }
        ws.send(m);
      });
    });
    await page.goto(base + '/');
    await page.fill('#username', 'alice');
    await page.fill('#password', 'password-alice');
    await page.click('#login');
    await page.waitForSelector('#composer:not([hidden])', WAIT);
    await send(page, 'before the outage');
    await page.waitForSelector('#messages > li.msg:not(.pending):has-text("before the outage")', WAIT);

    mode = 'down';
    current.close({ code: 4000, reason: 'network down' });
    await page.waitForFunction(() => document.body.dataset.connection === 'connecting', null, WAIT);
    await send(page, 'typed while away 1');
    await send(page, 'typed while away 2');
    result.pendingWhileAway = await page.$$eval('#messages > li.pending', (l) => l.map((li) => li.textContent));
    result.inputAfterSend = await page.inputValue('#text');
    mode = 'pass';
    await page.waitForSelector('#messages > li.msg:not(.pending):has-text("typed while away 2")', WAIT);

    dropAcks = true;
    const sendsBefore = seenFrames.filter((f) => JSON.parse(f).type === 'send').length;
    await send(page, 'ack lost');
    await page.waitForSelector('#messages > li.msg:not(.pending):has-text("ack lost")', WAIT);
    result.sendFramesForAckLost = seenFrames.filter((f) => JSON.parse(f).type === 'send').length - sendsBefore;
    // A refusal: a reply to a message deleted while the reply waited is refused (422) and shown failed, with Retry
    // and Discard.
    const token = await page.evaluate(() => localStorage.getItem('corral.token'));
    const target = page.locator('#messages > li.msg:has-text("before the outage")');
    const targetSeq = await target.getAttribute('data-seq');
    await target.hover();
    await target.locator('[data-action=reply]').click();
    mode = 'down';
    current.close({ code: 4000, reason: 'network down' });
    await page.waitForFunction(() => document.body.dataset.connection === 'connecting', null, WAIT);
    await send(page, 'a reply to a deleted message');
    await call(token, 'DELETE', `/api/rooms/${args.room}/messages/${targetSeq}`);
    mode = 'pass';
    await page.waitForSelector('#messages > li.pending.failed [data-action=retry]', WAIT);
    result.failed = await page.textContent('#messages > li.failed .state');
    await page.click('#messages > li.failed [data-action=discard]');
    await page.waitForFunction(() => !document.querySelector('#messages > li.pending'), null, WAIT);

    // A reload with a message still pending sends it from this tab's queue.
    mode = 'down';
    current.close({ code: 4000, reason: 'network down' });
    await page.waitForFunction(() => document.body.dataset.connection === 'connecting', null, WAIT);
    await send(page, 'pending across a reload');
    mode = 'pass';
    await page.reload();
    await page.waitForSelector('#messages > li.msg:not(.pending):has-text("pending across a reload")', WAIT);
    await page.waitForFunction(() => !document.querySelector('#messages > li.pending'), null, WAIT);
    result.rows = await rows(page);
  },

  /** Messages sent in a stream while the master replaces its workers (HUP) arrive, each exactly once. */
  async hup() {
    const ctx = await context();
    const page = await signIn(ctx, 'alice');
    await page.waitForSelector('#composer:not([hidden])', WAIT);
    await page.evaluate(() => {
      window.reconnects = 0;
      new MutationObserver(() => {
        if (document.body.dataset.connection === 'connecting') window.reconnects++;
      }).observe(document.body, { attributes: true, attributeFilter: ['data-connection'] });
    });
    // Keep typing until the reload has closed this page's socket at least once, and some more after.
    const reconnects = () => page.evaluate(() => window.reconnects);
    result.sent = [];
    for (let i = 1; i <= args.messages || ((await reconnects()) === 0 && i <= args.messages + 200); i++) {
      if (i === args.hupAt) process.kill(args.master, 'SIGHUP');
      await send(page, `stream ${i}`);
      result.sent.push(`stream ${i}`);
      await page.waitForTimeout(50);  // a person typing, not a benchmark
    }
    await page.waitForFunction(() => !document.querySelector('#messages > li.pending'), null, { timeout: 60000 });
    result.reconnects = await page.evaluate(() => window.reconnects);
    result.rows = await rows(page);
  },

  /** Two or three people use every feature from the screen. */
  async features() {
    const { room, other, png } = args;
    const [a, b, c] = [await context(), await context(), await context()];
    const alice = await signIn(a, 'alice');
    const bob = await signIn(b, 'bob');
    await openRoom(alice, room);
    await openRoom(bob, room);
    await bob.waitForFunction(() => document.activeElement?.id === 'text', null, WAIT).catch(() => {});
    result.composerFocused = await bob.evaluate(() => document.activeElement?.id);
    result.liveRegion = await bob.getAttribute('#messages', 'aria-live');

    // Shift+Enter is a new line, Enter sends.
    await alice.fill('#text', 'line one');
    await alice.press('#text', 'Shift+Enter');
    await alice.type('#text', 'line two');
    await alice.press('#text', 'Enter');
    await bob.locator('#messages > li.msg:has-text("line one")').waitFor(WAIT);
    const firstId = '#' + await bob.locator('#messages > li.msg:has-text("line one")').getAttribute('id');
    const first = bob.locator(firstId);
    result.multiline = await first.locator(':scope > .text').textContent();

    // Markup in a message shows as text and never runs.
    await send(alice, 'look <img src=x onerror="window.pwned=1"> here');
    await bob.waitForSelector('#messages > li.msg:has-text("look <img")', WAIT);
    result.injected = await bob.evaluate(() => window.pwned === 1 || !!document.querySelector('#messages .text img'));

    // Bob replies through the Reply action, then reacts through the picker.
    await first.hover();
    await first.locator('[data-action=reply]').click();
    await send(bob, 'a reply');
    await alice.waitForSelector('#messages > li.msg:has-text("a reply") .quote:has-text("line one")', WAIT);
    await first.hover();
    await first.locator('[data-action=react]').click();
    await bob.click('#picker [data-emoji="👍"]');
    await alice.waitForSelector(`${firstId} .chip:has-text("👍 1")`, WAIT);
    // Alice's own chip toggles hers: on, then off.
    const aliceFirst = alice.locator(firstId);
    await aliceFirst.locator('.chip').click();
    await bob.waitForSelector(`${firstId} .chip:has-text("👍 2")`, WAIT);
    await aliceFirst.locator('.chip.on').click();
    await bob.waitForSelector(`${firstId} .chip:has-text("👍 1")`, WAIT);

    // Alice edits (↑ in the empty box edits her last message) and deletes from the screen.
    await send(alice, 'a typo heer');
    await bob.waitForSelector('#messages > li.msg:has-text("a typo heer")', WAIT);
    await alice.press('#text', 'ArrowUp');
    await alice.fill('#text', 'a typo here');
    await alice.press('#text', 'Enter');
    await bob.waitForSelector('#messages > li.msg:has-text("a typo here") .edited', WAIT);
    await send(alice, 'to be deleted');
    const doomed = alice.locator('#messages > li.msg:not(.pending):has-text("to be deleted")');
    await doomed.waitFor(WAIT);
    alice.once('dialog', (d) => d.accept());
    await doomed.hover();
    await doomed.locator('[data-action=delete]').click();
    await bob.waitForSelector('#messages > li.msg.deleted', WAIT);
    result.bobAfterDelete = await rows(bob);

    // A mention by completion: "@al", Enter picks alice; alice, in another room, gets a badge.
    await openRoom(alice, other);
    await bob.fill('#text', 'ping @al');
    await bob.waitForSelector('#completion:not([hidden]) li:has-text("alice")', WAIT);
    await bob.press('#text', 'Enter');
    result.completed = await bob.inputValue('#text');
    await bob.press('#text', 'Enter');
    await alice.waitForSelector(`#my-rooms button[data-room="${room}"] .badge.mention`, WAIT);
    result.mentionBadge = await alice.textContent(`#my-rooms button[data-room="${room}"] .badge.mention`);

    // Read receipts: alice comes back and reads; bob sees it.
    await openRoom(alice, room);
    await bob.waitForSelector('#messages > li.seen:has-text("alice")', WAIT);
    result.seenByAlice = await bob.textContent('#messages > li.seen');

    // An image attached from the screen shows as a preview on bob's.
    await alice.setInputFiles('#file', { name: 'dot.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await alice.waitForSelector('#files .chip button', WAIT);
    await send(alice, 'a picture');
    await bob.waitForFunction(() => [...document.querySelectorAll('#messages img.preview')]
      .some((img) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:')), null, WAIT);
    result.previews = await bob.locator('#messages img.preview').count();

    // The keyboard reaches a message's actions: Tab to React, Enter, the picker's arrows, Enter.
    await bob.locator('#messages > li.msg:has-text("a typo here") [data-action=react]').focus();
    await bob.keyboard.press('Enter');
    await bob.waitForSelector('#picker:not([hidden])', WAIT);
    await bob.keyboard.press('ArrowRight');
    await bob.keyboard.press('Enter');
    await alice.waitForSelector('#messages > li.msg:has-text("a typo here") .chip:has-text("❤️ 1")', WAIT);

    // Search: a hit opens its message.
    await alice.fill('#search', 'typo');
    await alice.press('#search', 'Enter');
    await alice.waitForSelector('#panel .hit', WAIT);
    result.hits = await alice.locator('#panel .hit').count();
    await alice.click('#panel .hit');
    await alice.waitForSelector('#messages > li.flash:has-text("a typo here")', WAIT);

    // Members: alice makes a private room, invites carol from the panel; carol sees it, then is removed.
    await alice.fill('#room-name', 'secret');
    await alice.check('#room-private');
    await alice.click('#new-room button');
    await alice.waitForSelector('#my-rooms button.active:has-text("secret")', WAIT);
    const carol = await signIn(c, 'carol');
    await alice.click('#members-open');
    await alice.fill('#panel [data-form=invite] input', 'carol');
    await alice.click('#panel [data-form=invite] button');
    await alice.waitForSelector('#panel li:has-text("carol")', WAIT);
    result.membersShown = await alice.$$eval('#panel li', (l) => l.map((li) => li.textContent));
    await carol.reload();
    await carol.waitForSelector('#my-rooms button:has-text("secret")', WAIT);
    await alice.click('#panel li:has-text("carol") button:has-text("Remove")');
    await alice.waitForFunction(() => ![...document.querySelectorAll('#panel li')].some((li) => li.textContent.includes('carol')),
      null, WAIT);
    await carol.reload();
    await carol.waitForSelector('#chat:not([hidden])', WAIT);
    result.carolRoomsAfterRemoval = await carol.$$eval('#my-rooms button', (l) => l.map((b) => b.textContent));

    // A direct conversation: carol opens one with bob; bob sees it appear and answers.
    await carol.fill('#dm-names', 'bob');
    await carol.click('#new-dm button');
    await carol.waitForSelector('#direct-rooms button.active', WAIT);
    await send(carol, 'hello bob, privately');
    await bob.waitForSelector('#direct-rooms button:has-text("carol")', WAIT);
    await bob.click('#direct-rooms button:has-text("carol")');
    await bob.waitForSelector('#messages > li.msg:has-text("hello bob, privately")', WAIT);
    await send(bob, 'hi carol');
    await carol.waitForSelector('#messages > li.msg:has-text("hi carol")', WAIT);

    // Carol leaves the public room from its members panel.
    await openRoom(carol, room).catch(async () => {
      await carol.click(`#public-rooms button[data-room="${room}"]`);
    });
    await carol.waitForSelector(`#my-rooms button[data-room="${room}"].active`, WAIT);
    await carol.click('#members-open');
    await carol.click('#panel button:has-text("Leave room")');
    await carol.waitForSelector(`#public-rooms button[data-room="${room}"]`, WAIT);
    result.carolLeft = true;

    // A display name and an avatar, set in the profile panel, show on alice's messages on bob's screen.
    await openRoom(alice, room);
    await alice.click('#profile-open');
    await alice.fill('#panel input[aria-label="Display name"]', 'Alice Liddell');
    await alice.click('#panel form button');
    await alice.waitForSelector('#me:has-text("Alice Liddell")', WAIT);
    await alice.setInputFiles('#panel input[type=file]', { name: 'me.png', mimeType: 'image/png',
      buffer: Buffer.from(png, 'base64') });
    await alice.waitForSelector('#status:has-text("Avatar saved")', WAIT);
    await openRoom(bob, other);
    await openRoom(bob, room);
    await bob.waitForFunction(() => [...document.querySelectorAll('#messages img.avatar')]
      .some((img) => img.complete && img.naturalWidth > 0), null, WAIT);
    result.bobSeesAuthors = await bob.$$eval('#messages > li.msg .meta .author', (l) => [...new Set(l.map((a) => a.textContent))]);
    await alice.click('#panel-close');
    await openRoom(alice, room);
    await alice.screenshot({ path: args.screenshots + '/chat-desktop.png' });
    await alice.emulateMedia({ colorScheme: 'dark' });
    await alice.screenshot({ path: args.screenshots + '/chat-desktop-dark.png' });
  },

  /** From 360 px wide: no sideways scroll, the room list as a drawer, Send within reach; colours readable. */
  async layout() {
    result.widths = {};
    for (const width of [360, 390]) {
      const ctx = await context({ viewport: { width, height: 740 }, isMobile: true, hasTouch: true });
      const page = await signIn(ctx, 'alice');
      await page.waitForSelector('#composer:not([hidden])', WAIT);
      const measure = () => page.evaluate(() => {
        const send = document.getElementById('send').getBoundingClientRect();
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          sendRight: send.right, sendBottom: send.bottom, innerHeight: window.innerHeight,
          sidebarRight: document.getElementById('sidebar').getBoundingClientRect().right };
      });
      const closed = await measure();
      await page.tap('#send').catch(() => {});
      await send(page, `from ${width} px`);
      await page.tap('#text');
      await page.fill('#text', 'tapped send');
      await page.tap('#send');
      await page.waitForSelector('#messages > li.msg:not(.pending):has-text("tapped send")', WAIT);
      await page.tap('#menu');
      await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().left >= 0, null, WAIT);
      const open = await measure();
      await page.tap(`#my-rooms button[data-room="${args.other}"]`);
      await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().right <= 0, null, WAIT);
      result.widths[width] = { closed, open, title: await page.textContent('#room-title') };
      if (width === 390) {
        await page.tap(`#menu`);
        await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().left >= 0, null, WAIT);
        await page.screenshot({ path: args.screenshots + '/chat-phone-rooms.png' });
        await page.tap(`#my-rooms button[data-room="${args.room}"]`);
        await page.waitForFunction(() => document.getElementById('sidebar').getBoundingClientRect().right <= 0, null, WAIT);
        await page.screenshot({ path: args.screenshots + '/chat-phone.png' });
      }
      await ctx.close();
    }
    // Contrast of every visible text against what is behind it, in both themes.
    result.contrast = {};
    for (const scheme of ['light', 'dark']) {
      const ctx = await context({ colorScheme: scheme });
      const page = await signIn(ctx, 'alice');
      await page.waitForSelector('#messages > li.msg', WAIT);
      await page.hover('#messages > li.msg');
      result.contrast[scheme] = await page.evaluate(readFileSync(new URL('./contrast.js', import.meta.url), 'utf8'));
      await ctx.close();
    }
  },

  /** One sign-in for every tab; the room and position come back; unread in the title; mention notifications; sign-out. */
  async remembers() {
    const ctx = await context();
    await ctx.addInitScript(() => {
      // The OS's notification centre and a hidden tab, behind the browser's own seams.
      window.shown = [];
      window.Notification = class { static permission = 'granted'; static requestPermission() { return 'granted'; }
        constructor(title, options) { window.shown.push({ title, body: options?.body }); } };
      Object.defineProperty(document, 'hidden', { get: () => window.pretendHidden === true, configurable: true });
    });
    const first = await signIn(ctx, 'alice');
    await openRoom(first, args.room);
    const second = await ctx.newPage();
    await second.goto(base + '/');
    await second.waitForSelector('#chat:not([hidden])', WAIT);
    await second.waitForSelector('#my-rooms button.active', WAIT);
    result.secondTabSignedIn = await second.textContent('#me');
    result.secondTabRoom = await second.textContent('#room-title');

    // The position: scrolled up to a message, reload, the same message at the top.
    await first.waitForSelector('#messages > li.msg', WAIT);
    await first.evaluate((seq) => document.getElementById('m' + seq).scrollIntoView({ block: 'start' }), args.position);
    await first.waitForTimeout(400);  // the position is saved after scrolling settles (250 ms)
    await first.reload();
    await first.waitForSelector(`#m${args.position}`, WAIT);
    await first.waitForFunction((seq) => {
      const top = document.getElementById('timeline').getBoundingClientRect().top;
      return Math.abs(document.getElementById('m' + seq).getBoundingClientRect().top - top) < 40;
    }, args.position, WAIT);
    result.positionRestored = true;

    // Unread in the title, and a notification of a mention while the tab is hidden.
    await first.evaluate(() => { window.pretendHidden = true; });
    await call(args.bob, 'POST', `/api/rooms/${args.other}/messages`, { text: 'are you there @alice?' });
    await first.waitForFunction(() => window.shown.length > 0, null, WAIT);
    result.notification = await first.evaluate(() => window.shown[0]);
    await first.waitForFunction(() => /^\(\d+\)/.test(document.title), null, { timeout: 30000 });
    result.title = await first.title();

    // Sign-out in one tab signs out the other, and the token is dead.
    const token = await first.evaluate(() => localStorage.getItem('corral.token'));
    await first.evaluate(() => { window.pretendHidden = false; });
    await first.click('#logout');
    await first.waitForSelector('#signin:not([hidden])', WAIT);
    await second.waitForSelector('#signin:not([hidden])', WAIT);
    result.oldTokenStatus = (await fetch(base + '/api/me', { headers: { Authorization: 'Bearer ' + token } })).status;
  },
};

try {
  await stories[story]();
} catch (e) {
  result.error = e.stack || e.message;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
