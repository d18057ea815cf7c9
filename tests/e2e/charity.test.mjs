// charity.test.mjs — the charity appeal in the browser (docs/charity.md): the charity officer
// records a donation on the appeal's page (amount typed in yuan) and sees the totals change, is
// refused a use larger than the balance with the reason shown, and records one that fits; the
// public disclosure page, without a login, shows the totals and the uses and names only the donor
// who agreed (the other appears as 爱心人士).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid } from '../lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
let srv, br, appeal;
const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  const charity = await apiLogin(srv.url, 'charity');
  appeal = await charity.post('/api/v1/charity/appeals', { name: '界面测试募捐', organisation: '潍坊市慈善总会', region_code: '3707', kind: 'public', started_on: '2020-01-26' });
  await charity.post(`/api/v1/charity/appeals/${appeal.id}/donations`, { kind: 'money', channel: 'wechat', donor_kind: 'person', donated_on: '2020-02-01', amount_fen: 100000, donor_name: '周同意', disclose: true });
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

test('the officer records a donation and uses within the balance', () => br.run(async ({ page }) => {
  await loginUI(page, 'charity');
  await goHash(page, `#/charity/${appeal.id}`);
  await tid(page, 'charity-raised').waitFor();
  assert.equal(await text(page, 'charity-raised'), '1,000.00 元');
  await tid(page, 'don-details').locator('summary').click();
  await tid(page, 'don-donor').fill('吴不愿');
  await tid(page, 'don-amount').fill('200.50');
  await tid(page, 'don-date').fill('2020-02-02');
  await tid(page, 'don-receipt').fill('UI-0002');
  await tid(page, 'don-submit').click();
  await page.locator('[data-testid="charity-raised"]', { hasText: '1,200.50 元' }).waitFor();
  assert.equal(await tid(page, 'charity-donation-row').count(), 2);
  assert.ok(!(await page.content()).includes('吴不愿'), 'the donor is masked in the staff list');

  // a use larger than the balance is refused with the reason
  await tid(page, 'use-details').locator('summary').click();
  await tid(page, 'use-recipient').fill('潍坊市社会福利院');
  await tid(page, 'use-purpose').fill('购买消毒液');
  await tid(page, 'use-evidence').fill('潍慈拨〔2020〕5号');
  await tid(page, 'use-date').fill('2020-02-10');
  await tid(page, 'use-amount').fill('1300');
  await tid(page, 'use-submit').click();
  await tid(page, 'use-error').waitFor({ state: 'visible' });
  assert.match(await text(page, 'use-error'), /余额不足/);
  await tid(page, 'use-amount').fill('500');
  await tid(page, 'use-submit').click();
  await page.locator('[data-testid="charity-used"]', { hasText: '500.00 元' }).waitFor();
  assert.equal(await text(page, 'charity-balance'), '700.50 元');
}, { name: 'charity-officer' }));

test('phone: the public page shows the totals and hides the donor who did not agree', () => br.run(async ({ page }) => {
  await page.goto(`/disclosure.html#${appeal.id}`);
  await tid(page, 'disc-raised').waitFor();
  assert.equal(await text(page, 'disc-raised'), '1,200.50 元');
  assert.equal(await text(page, 'disc-used'), '500.00 元');
  const donors = (await tid(page, 'disc-donor').allTextContents()).map((s) => s.trim());
  assert.deepEqual(donors.sort(), ['周同意', '爱心人士'].sort());
  assert.ok(!(await page.content()).includes('吴不愿'));
  assert.equal(await tid(page, 'disc-use').count(), 1);
  // totals to a date before the use
  await tid(page, 'disc-to').fill('2020-02-05');
  await tid(page, 'disc-go').click();
  await page.locator('[data-testid="disc-used"]', { hasText: '0.00 元' }).waitFor();
  // the list of appeals, then back to this one
  await tid(page, 'disc-back').click();
  await page.locator(`[data-testid="disc-appeal"][data-id="${appeal.id}"]`).click();
  await tid(page, 'disc-raised').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width + 1, `no horizontal scrolling (${width}px)`);
}, { viewport: PHONE, name: 'charity-disclosure' }));
