// price.test.mjs (e2e) — 价格临时补贴 in the browser: the city administrator enters a month's
// indices and sees the month triggered with its due date, generates its subsidies (a job) and sees
// the figures, opens the late list; the county's payroll run shows the price subsidy beside the
// allowances; a township assistant sees the months but no index form and no generate button.
// The demo city with its assistance scenario (scale 0.02): docs/price-subsidy.md.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, texts, tid, waitForFresh } from '../lib/browser.mjs';

let srv, br;

before(async () => {
  srv = await startServer({ assistance: true });
  br = await openBrowser(srv.url, { timeout: 15000 });
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

const row = (page, month) => page.locator(`[data-testid="price-month-row"][data-month="${month}"]`);

test('the city enters May 2020 (CPI 2.4 %, food 10.6 %): triggered, due 2020-07-09; generates it; the late list', () => br.run(async ({ page }) => {
  await loginUI(page, 'admin');
  await goHash(page, '#/price');
  await tid(page, 'price-months').waitFor();
  // the demo months: March triggered and paid, January not (the mechanism starts in March)
  assert.equal(await row(page, '2020-03').getAttribute('data-triggered'), '1');
  assert.equal(await row(page, '2020-01').getAttribute('data-triggered'), '0');
  assert.match(await row(page, '2020-01').locator('[data-testid="price-triggered"]').innerText(), /不启动[\s\S]*未启用/);
  assert.equal((await row(page, '2020-03').locator('[data-testid="price-due"]').innerText()).trim(), '2020-05-11');
  assert.match(await row(page, '2020-03').locator('[data-testid="price-paid"]').innerText(), /2,070 人/);

  // a wrong percentage is caught in the form, nothing is sent
  await tid(page, 'price-index-month').fill('2020-05');
  await tid(page, 'price-index-cpi').fill('2.4.1');
  await tid(page, 'price-index-food').fill('10.6');
  await tid(page, 'price-index-published').fill('2020-06-10');
  await tid(page, 'price-index-submit').click();
  assert.match(await tid(page, 'price-index-cpi-error').innerText(), /百分数/);
  assert.equal(await row(page, '2020-05').count(), 0);
  // the server's check: published before the month was over
  await tid(page, 'price-index-cpi').fill('2.4');
  await tid(page, 'price-index-published').fill('2020-05-20');
  await tid(page, 'price-index-submit').click();
  await page.locator('[data-testid="price-index-published-error"]:has-text("之前发布")').waitFor();

  await tid(page, 'price-index-published').fill('2020-06-10');
  await waitForFresh(page, 'price-months', () => tid(page, 'price-index-submit').click());
  const may = row(page, '2020-05');
  await may.waitFor();
  assert.equal(await may.getAttribute('data-triggered'), '1');
  assert.match(await may.locator('[data-testid="price-triggered"]').innerText(), /启动[\s\S]*按 CPI 2.4%/);
  assert.equal((await may.locator('[data-testid="price-cpi"]').innerText()).trim(), '2.4%');
  assert.equal((await may.locator('[data-testid="price-food"]').innerText()).trim(), '10.6%');
  assert.equal((await may.locator('[data-testid="price-due"]').innerText()).trim(), '2020-07-09');
  assert.match(await may.locator('[data-testid="price-generated"]').innerText(), /^0 人/);

  // generate it: a job; the row then counts the subsidies, all late (due long past)
  await waitForFresh(page, 'price-months', () => may.locator('[data-testid="price-generate"]').click());
  await page.locator('[data-testid="notice"]:has-text("新生成")').waitFor();
  const generated = await row(page, '2020-05').locator('[data-testid="price-generated"]').innerText();
  const n = Number(/^([\d,]+) 人/.exec(generated)[1].replace(/,/g, ''));
  assert.ok(n > 2000, generated);
  const api = await apiLogin(srv.url, 'admin');
  const list = await api.get('/api/v1/price/subsidies?month=2020-05&limit=1');
  assert.equal(list.total, n);
  assert.match(await row(page, '2020-05').locator('[data-testid="price-late"]').innerText(), new RegExp(`${generated.split(' ')[0]} 人`));

  // the late list of May
  await row(page, '2020-05').locator('[data-testid="price-late"] a').click();
  await tid(page, 'price-late-list').waitFor();
  assert.match(await tid(page, 'price-list-total').innerText(), new RegExp(`共 ${generated.split(' ')[0]} 人`));
  const states = await texts(page.locator('[data-testid="price-subsidy-state"]'));
  assert.ok(states.length > 0 && states.every((s) => /未发放[\s\S]*逾期/.test(s)), states.slice(0, 3).join(' | '));
  const amounts = await texts(page.locator('[data-testid="price-subsidy-amount"]'));
  // 710 × 2.4 % × 2 = 34.08 → 34.00; 450 × 4.8 % = 21.60 → 22.00; districts and zones 34.10
  assert.ok(amounts.every((a) => ['34.00', '22.00', '34.10'].includes(a)), amounts.join(' '));
}));

test('the county\'s payroll run shows the price subsidy beside the allowances', () => br.run(async ({ page }) => {
  const county = await apiLogin(srv.url, 'county_370704');
  const runs = await county.get('/api/v1/payroll/runs?month=2020-04&unit=370704');
  const run = runs.items[0];
  assert.ok(run.programs.price_subsidy.payments > 0);
  await loginUI(page, 'county_370704');
  await goHash(page, `#/payroll/${run.id}`);
  const ps = page.locator('[data-testid="payroll-total-row"][data-program="price_subsidy"]');
  await ps.waitFor();
  const cells = await texts(ps.locator('td'));
  assert.equal(cells[0], '价格临时补贴');
  assert.equal(cells[1], String(run.programs.price_subsidy.payments));
}));

test('a township assistant sees the months, without the index form or the generate button', () => br.run(async ({ page }) => {
  await loginUI(page, 'township_370704008');
  await goHash(page, '#/price');
  await tid(page, 'price-months').waitFor();
  assert.equal(await tid(page, 'price-index-form').count(), 0);
  assert.equal(await tid(page, 'price-generate').count(), 0);
  await goHash(page, '#/price/subsidies?month=2020-03');
  await tid(page, 'price-subsidies').waitFor();
  const total = await tid(page, 'price-list-total').innerText();
  assert.match(total, /^共 [\d,]+ 人/);
}));
