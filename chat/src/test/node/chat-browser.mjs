// Two people chat in one room from two browser contexts of Debian's Chromium, through Corral Chat's web client at
// argv[2] (a 127.0.0.1 URL); a screenshot goes to argv[3]. Prints one JSON line of what each of them saw.
import { chromium } from 'playwright-core';

const [base, screenshot] = [process.argv[2], process.argv[3]];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
    '--no-first-run', '--disable-component-update', '--disable-sync'],
});
const result = {};
try {
  const person = async (name) => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => { result[name + 'PageError'] = e.message; });
    await page.goto(base + '/');
    await page.fill('#username', name);
    await page.fill('#password', 'password-' + name);
    await page.click('#register');
    await page.waitForSelector('#chat:not([hidden])');
    return page;
  };
  const alice = await person('alice');
  await alice.fill('#room-name', 'lobby');
  await alice.click('#new-room button');
  await alice.waitForSelector('#composer:not([hidden])');

  const bob = await person('bob');
  await bob.click('#public-rooms li');  // joins the public room
  await bob.waitForSelector('#composer:not([hidden])');

  // A message with markup must show as text, never as HTML.
  await alice.fill('#text', 'hello bob <img src=x onerror="window.pwned=1">');
  await alice.press('#text', 'Enter');
  await bob.waitForSelector('#messages li:has-text("hello bob")');
  await bob.fill('#text', 'hi alice!');
  await bob.press('#text', 'Enter');
  await alice.waitForSelector('#messages li:has-text("hi alice!")');

  // A reaction (through the API, as another client would send it) updates alice's line; it is no line of its own.
  await bob.evaluate(async () => {
    const room = Number(document.querySelector('#my-rooms li.active, #my-rooms li').dataset.room);
    await fetch(`/api/rooms/${room}/messages/1/reactions/${encodeURIComponent('👍')}`, { method: 'PUT',
      headers: { Authorization: 'Bearer ' + sessionStorage.getItem('token') } });
  });
  await alice.waitForSelector('#messages li:has-text("hello bob") .reactions:has-text("👍 1")');

  result.aliceSees = await alice.$$eval('#messages li', (items) => items.map((li) => li.textContent));
  result.bobSees = await bob.$$eval('#messages li', (items) => items.map((li) => li.textContent));
  result.injected = await bob.evaluate(() => window.pwned === 1 || !!document.querySelector('#messages img'));
  await alice.waitForFunction(() => document.getElementById('presence').textContent.includes('bob'));
  result.alicePresence = await alice.textContent('#presence');
  await alice.screenshot({ path: screenshot });
} catch (e) {
  result.error = e.message;
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
