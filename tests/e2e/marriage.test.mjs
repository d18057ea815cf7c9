// marriage.test.mjs — marriage-registration appointments in the browser: on a phone-sized screen
// (390×844, touch) a couple books a slot from the public page without an account, gets a booking
// code, sees the booking by code and ID number (ID numbers masked, never shown back in full) and
// cancels it; the registrar's page shows the office's settings and the day's list, and records a
// check-in with a fever that turns the couple away.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid, waitForFresh } from '../lib/browser.mjs';
import { makeId, todayShanghai } from '../lib/http.mjs';

const PHONE = {
  viewport: { width: 390, height: 844 },
  contextOptions: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const DAY = addDays(todayShanghai(), 2);
const DAY2 = addDays(todayShanghai(), 3);

let srv, br, office;
before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  const reg = await apiLogin(srv.url, 'registrar');
  const list = await reg.get('/api/v1/marriage/offices');
  office = list.items.find((o) => o.region_code.startsWith('370704'));
  // open every day, so the test does not depend on the weekday it runs on
  const res = await reg.raw('PUT', `/api/v1/marriage/offices/${office.id}`, {
    hours: Array(7).fill('09:00-11:00').join(';'), slot_minutes: 30, capacity: 1,
  });
  assert.equal(res.status, 200, res.text);
});
after(async () => {
  await br?.close();
  await srv?.stop();
});

async function assertNoHorizontalOverflow(page, where) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(m.scroll <= m.inner + 1, `${where}: scrollWidth ${m.scroll} > ${m.inner}`);
}

/* The date as the slot note starts: 2026年12月2日 */
function noteDate(date) {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/* Choose the office, then the day, on the booking form and wait until that day's slots are shown.
 * Every change of office or date loads the slots again and an answer that comes late replaces the
 * grid (and forgets the chosen slot), so each load is awaited before the next change. fill() sends
 * the date input's change event itself. */
async function showDay(page, day) {
  const noteShows = (date) => page.waitForFunction((t) =>
    (document.querySelector('[data-testid="bk-slots-note"]')?.textContent || '').startsWith(t), noteDate(date));
  await tid(page, 'bk-office').selectOption(String(office.id));
  await noteShows(addDays(todayShanghai(), 1)); // the form starts on tomorrow
  await tid(page, 'bk-date').fill(day);
  await noteShows(day);
}

const man = makeId({ sex: 'male', birth: '1991-04-05' });
const woman = makeId({ sex: 'female', birth: '1994-06-07' });

test('a couple books on a phone, sees the booking by code and ID number, and cancels it', () =>
  br.run(async ({ page }) => {
    await page.goto('/booking.html');
    await tid(page, 'bk-office').waitFor();
    await assertNoHorizontalOverflow(page, 'booking page');
    await showDay(page, DAY);
    await tid(page, 'bk-slot-0900').tap();
    await tid(page, 'bk-name-0').fill('赵志强');
    await tid(page, 'bk-id-0').fill(man);
    await tid(page, 'bk-name-1').fill('孙丽');
    // the same ID number twice is refused before anything is sent
    await tid(page, 'bk-id-1').fill(man);
    await tid(page, 'bk-phone').fill('13912345678');
    await tid(page, 'bk-submit').tap();
    assert.match(await tid(page, 'bk-id-1-error').textContent(), /相同/);
    await tid(page, 'bk-id-1').fill(woman);
    await tid(page, 'bk-submit').tap();
    const code = (await tid(page, 'bk-code').textContent()).trim();
    assert.match(code, /^[A-HJ-NP-Z2-9]{8}$/);
    assert.match(await tid(page, 'bk-fact-party-0').textContent(), /赵\*\*\s+\d{6}\*{8}\d{3}[\dX]/);
    const html = await page.content();
    assert.ok(!html.includes(man) && !html.includes(woman), 'no full ID number on the page');
    await assertNoHorizontalOverflow(page, 'booking done');

    // the slot is now taken for everyone
    await page.goto('/booking.html');
    await showDay(page, DAY);
    await tid(page, 'bk-slot-0930').waitFor();
    assert.equal(await tid(page, 'bk-slot-0900').isDisabled(), true);

    // by code and ID number
    await tid(page, 'tab-find').tap();
    await tid(page, 'fd-code').fill(code.toLowerCase());
    await tid(page, 'fd-id').fill(makeId({ sex: 'female' }));
    await tid(page, 'fd-submit').tap();
    await page.waitForFunction(() => /未找到预约/.test(document.querySelector('[data-testid="fd-error"]')?.textContent || ''));
    await tid(page, 'fd-id').fill(woman);
    await tid(page, 'fd-submit').tap();
    await tid(page, 'fd-booking').waitFor();
    assert.equal((await tid(page, 'bk-fact-status').textContent()).trim(), '已预约');
    assert.equal((await tid(page, 'bk-fact-time').textContent()).trim(), '09:00');
    assert.ok(!(await page.content()).includes(woman), 'the ID number typed is not kept on the page');
    await tid(page, 'fd-cancel').tap();
    await tid(page, 'fd-cancel-confirm').tap();
    await page.waitForFunction(() => document.querySelector('[data-testid="bk-fact-status"]')?.textContent.trim() === '已取消');
    await assertNoHorizontalOverflow(page, 'cancelled');
  }, { ...PHONE, name: 'marriage-public-booking' }));

test('the registrar sees the day list, records a fever at check-in and reads the settings', () =>
  br.run(async ({ page }) => {
    const res = await fetch(`${srv.url}/api/v1/public/marriage/bookings`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        office_id: office.id, date: DAY2, time: '10:00', phone: '13712345678',
        party: [{ name: '钱学文', id_number: makeId({ sex: 'male', birth: '1990-01-02' }) },
          { name: '周敏', id_number: makeId({ sex: 'female', birth: '1992-03-04' }) }],
      }),
    });
    assert.equal(res.status, 201);
    const booking = await res.json();
    await loginUI(page, 'registrar');
    await goHash(page, `#/marriage?office=${office.id}&date=${DAY2}`);
    await tid(page, 'mar-day').waitFor();
    const row = page.locator('[data-testid^="mar-row-"]', { hasText: booking.code });
    await row.waitFor();
    const id = (await row.getAttribute('data-testid')).replace('mar-row-', '');
    assert.match(await row.textContent(), /钱\*\*/);
    assert.equal((await tid(page, 'mar-stat-booked').textContent()).trim(), '1');
    await tid(page, `mar-temp-${id}`).fill('37.6');
    await waitForFresh(page, 'mar-stats', () => tid(page, `mar-do-checkin-${id}`).click());
    await page.waitForFunction((t) => document.querySelector(`[data-testid="${t}"]`)?.textContent.startsWith('未办理'), `mar-outcome-${id}`);
    assert.match(await tid(page, `mar-checkin-${id}`).textContent(), /37\.6 ℃（发热）/);
    assert.equal((await tid(page, 'mar-stat-fever').textContent()).trim(), '1');
    // full names on request
    await waitForFresh(page, 'mar-day', () => tid(page, 'mar-unmask').click());
    assert.match(await tid(page, `mar-row-${id}`).textContent(), /钱学文/);
    // the settings tab
    await tid(page, 'mar-tab-settings').click();
    await tid(page, 'mars-hours-form').waitFor();
    assert.equal(await tid(page, 'mars-hours-0').inputValue(), '09:00-11:00');
    assert.equal(await tid(page, 'mars-capacity').inputValue(), '1');
    await tid(page, 'mars-rules').waitFor();
  }, { name: 'marriage-registrar' }));
