// funeral.test.mjs — a funeral home records a COVID-19 case start to finish in the browser
// (docs/funeral.md), on a phone-sized screen: the body registered from the hospital, the steps
// in order with the dedicated vehicle and cremator; a skipped step is refused with the reason
// shown by the form and nothing recorded; the record ends with its ashes handed to the family;
// the list shows it; the home's daily report is pre-filled from the records; the cross-check
// page lists overpayments and records a recovery.
//
// The server's clock is real: the case died yesterday and its steps are dated yesterday.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { makeId } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid } from '../lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
let srv, br;

function at(n, hh, mm = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10);
  return `${d} ${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

before(async () => {
  srv = await startServer({ assistance: true });
  br = await openBrowser(srv.url);
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

/** Record the next step through the form; waits for the page to show it. */
async function step(page, name, when, staff, extra = async () => {}) {
  const before_ = await tid(page, 'funeral-step-row').count();
  await tid(page, 'funeral-step').selectOption(name);
  await tid(page, 'funeral-step-at').fill(when);
  await tid(page, 'funeral-step-staff').fill(staff);
  await extra();
  await tid(page, 'funeral-step-submit').click();
  await page.locator(`[data-testid="funeral-step-row"][data-step="${name}"]`).waitFor();
  assert.equal(await tid(page, 'funeral-step-row').count(), before_ + 1);
}

test('phone: a COVID-19 case is recorded from collection to ashes under the epidemic procedure', () => br.run(async ({ page }) => {
  await loginUI(page, 'funeral');
  await goHash(page, '#/funeral');
  await tid(page, 'funeral-new').click();
  await tid(page, 'funeral-form').waitFor();
  await tid(page, 'funeral-home').selectOption({ label: '潍坊市殡仪馆' });
  await tid(page, 'funeral-id-number').fill(makeId({ birth: '1947-03-08', address: '370705' }));
  await tid(page, 'funeral-name').fill('界面测试逝者');
  await tid(page, 'funeral-died-on').fill(at(-1, 0).slice(0, 10));
  await tid(page, 'funeral-source').selectOption('hospital');
  await tid(page, 'funeral-cause').selectOption('confirmed');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width + 1, `no horizontal scrolling (${width}px)`);
  await tid(page, 'funeral-submit').click();
  await tid(page, 'page-funeral-body').waitFor();
  assert.match(await text(page, 'funeral-cause-text'), /新冠确诊.*按疫情防控程序办理/);
  assert.match(await text(page, 'funeral-status'), /已登记/);
  // the form starts at the transfer, dedicated
  assert.equal(await tid(page, 'funeral-step').inputValue(), 'transfer');
  assert.equal(await tid(page, 'funeral-step-dedicated').isChecked(), true);

  // skipping the transfer: refused, the reason shown, nothing recorded
  await tid(page, 'funeral-step').selectOption('cremation');
  await tid(page, 'funeral-step-at').fill(at(-1, 10));
  await tid(page, 'funeral-step-staff').fill('王师傅');
  await tid(page, 'funeral-step-submit').click();
  await tid(page, 'funeral-step-form-error').filter({ hasText: '应先记录“遗体接运”' }).waitFor();
  assert.equal(await tid(page, 'funeral-step-row').count(), 0);

  await step(page, 'transfer', at(-1, 9), '李师傅', () => tid(page, 'funeral-step-vehicle').fill('专用车 鲁G·F0001'));
  await step(page, 'cremation', at(-1, 11), '王师傅', () => tid(page, 'funeral-step-cremator').fill('专用炉'));
  await step(page, 'disinfection', at(-1, 12), '张师傅');
  await step(page, 'ashes', at(-1, 16), '王师傅', async () => {
    await tid(page, 'funeral-step-ashes').selectOption('handed');
    await tid(page, 'funeral-step-receiver').fill('家属');
  });
  await tid(page, 'funeral-done').waitFor();
  assert.match(await text(page, 'funeral-status'), /骨灰已处置/);
  const rows = await tid(page, 'funeral-step-row').allTextContents();
  assert.match(rows[0], /遗体接运.*专用车辆、专用通道/);
  assert.match(rows[1], /火化.*专用火化炉/);
  assert.match(rows[3], /骨灰交付.*交家属/);
  // no farewell gathering is offered for a COVID-19 case
  assert.equal(await tid(page, 'funeral-farewell').count(), 0);
  // the name is masked until asked for
  assert.match(await text(page, 'funeral-person'), /界\*+ 370705\*{8}/);
  await tid(page, 'funeral-unmask').click();
  await tid(page, 'funeral-person').filter({ hasText: '界面测试逝者' }).waitFor();

  // the list shows it among the COVID-19 cases
  await goHash(page, '#/funeral?cause=epidemic');
  await tid(page, 'funeral-list').waitFor();
  assert.equal(await tid(page, 'funeral-list-row').count(), 8); // the demo's 7 and this one
}, { viewport: PHONE, name: 'funeral-covid' }));

test('an administrator records the recovery of an overpayment found by the cross-check', () => br.run(async ({ page }) => {
  await loginUI(page, 'admin');
  await goHash(page, '#/crosscheck?status=found');
  await tid(page, 'crosscheck-list').waitFor();
  const row = tid(page, 'crosscheck-row').first();
  const id = await row.getAttribute('data-id');
  assert.match(await row.locator('[data-testid="crosscheck-amount"]').textContent(), /\d+\.\d\d/);
  await row.locator('[data-testid="crosscheck-recover"]').click();
  await page.locator(`[data-testid="crosscheck-row"][data-id="${id}"]`).waitFor({ state: 'detached' });
  await goHash(page, '#/crosscheck?status=recovered');
  await page.locator(`[data-testid="crosscheck-row"][data-id="${id}"]`).waitFor();
  assert.match(await page.locator(`[data-testid="crosscheck-row"][data-id="${id}"] [data-testid="crosscheck-row-status"]`).textContent(), /已追回/);
  await goHash(page, '#/crosscheck/report?month=2020-04');
  await tid(page, 'crosscheck-report-total').waitFor();
  assert.match(await text(page, 'crosscheck-report-total'), /合计/);
}, { name: 'crosscheck-recover' }));

test('the funeral home\'s daily report shows the day\'s records and pre-fills its note', () => br.run(async ({ page }) => {
  const admin = await apiLogin(srv.url, 'admin');
  const homes = await admin.get('/api/v1/funeral/homes');
  const home = homes.items.find((x) => x.name === '潍坊市殡仪馆');
  await admin.post(`/api/v1/institutions/${home.id}/reporters`, { username: 'funeral' });
  const day = at(-1, 0).slice(0, 10);
  await loginUI(page, 'funeral');
  await goHash(page, `#/daily?date=${day}`);
  await tid(page, 'daily-funeral').waitFor();
  assert.match(await text(page, 'daily-funeral'), /火化 [1-9]\d* 具（其中新冠肺炎确诊、疑似 [1-9]\d* 具/);
  const open = tid(page, 'daily-open-form');
  if (await open.count()) await open.click();
  assert.match(await tid(page, 'daily-note').inputValue(), /当日接运遗体 [1-9]\d* 具/);
}, { viewport: PHONE, name: 'funeral-daily' }));
