// goods.test.mjs — relief goods in the browser (docs/goods.md): on a phone-sized screen a county
// worker opens a ledger entry, follows 发放物资 on a visit, gives the family masks from the
// county's warehouse (the form knows the person and links the visit), sees what is left, and is
// refused with the reason when asking for more than the stock; the movement list then shows the
// distribution as made on a ledger visit; the stock page shows the stock at a date and the
// low-stock warning.
//
// The warehouse and its receipt are made over the API; the ledger entry and its visit come from
// the demo city (坊子区).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { sqlite, startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid } from '../lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
let srv, br, api, wh, masks, person, visit;
const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  api = await apiLogin(srv.url, 'county_370704');
  masks = (await api.get('/api/v1/goods/items')).items.find((i) => i.code === 'masks').id;
  wh = await api.post('/api/v1/goods/warehouses', { name: '坊子区物资库（界面测试）', region_code: '370704', low_stock: 80 });
  await api.post('/api/v1/goods/movements', { kind: 'receive', source: 'allocation', party: '潍坊市民政局', warehouse_id: wh.id, item_id: masks, quantity: 100, date: '2020-02-01' });
  const row = sqlite(srv.dbPath, "SELECT person_id || '|' || id FROM ledger_visits WHERE region_code LIKE '370704%' ORDER BY visited_on DESC, id DESC LIMIT 1;").trim();
  assert.ok(row, 'the demo has a ledger visit in 坊子区');
  [person, visit] = row.split('|').map(Number);
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

test('phone: goods given to a family from a ledger visit, then refused past the stock', () => br.run(async ({ page }) => {
  await loginUI(page, 'county_370704');
  await goHash(page, `#/ledger/entry/${person}`);
  const link = page.locator(`[data-testid="visit-item"][data-id="${visit}"] [data-testid="visit-goods"]`);
  await link.click();
  await tid(page, 'goods-dist-form').waitFor();
  assert.match(page.url(), new RegExp(`#/goods/distribute\\?ledger_visit=${visit}&person=${person}$`));
  assert.match(await text(page, 'goods-dist-visit'), /台账走访/);
  assert.equal(await tid(page, 'goods-dist-recipient-kind').inputValue(), 'person');
  assert.equal(await tid(page, 'goods-dist-recipient').inputValue(), String(person));
  await tid(page, 'goods-dist-warehouse').selectOption(String(wh.id));
  await tid(page, 'goods-dist-item').selectOption(String(masks));
  await tid(page, 'goods-dist-quantity').fill('30');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no horizontal scrolling (${width}px)`);
  await tid(page, 'goods-dist-submit').click();
  await tid(page, 'goods-dist-done').waitFor();
  assert.match(await text(page, 'goods-dist-done'), /已发放：口罩 30 个/);
  assert.match(await text(page, 'goods-dist-done'), /已关联台账走访/);
  assert.match(await text(page, 'goods-dist-left'), /剩余 70 个/);

  // more than is left: the server's reason, and nothing stored
  await tid(page, 'goods-dist-quantity').fill('80');
  await tid(page, 'goods-dist-submit').click();
  await tid(page, 'goods-dist-error').waitFor({ state: 'visible' });
  assert.match(await text(page, 'goods-dist-error'), /库存不足.*可用 70 个/);
  const n = sqlite(srv.dbPath, `SELECT count(*) FROM goods_movements WHERE warehouse_id = ${wh.id} AND kind = 'distribute';`).trim();
  assert.equal(n, '1');

  // the movement list shows it as given on a ledger visit
  await goHash(page, `#/goods/moves?warehouse=${wh.id}`);
  const row = tid(page, 'goods-move-row').first();
  await row.waitFor();
  assert.match((await row.textContent()) || '', /发放.*口罩.*-30 个.*台账走访/);
}, { viewport: PHONE, name: 'goods-ledger-visit' }));

test('the stock page shows the warehouse at a date and the low-stock warning', () => br.run(async ({ page }) => {
  await loginUI(page, 'county_370704');
  await goHash(page, `#/goods?warehouse=${wh.id}&date=2020-02-01`);
  const r = page.locator(`[data-testid="goods-stock-row"][data-item="masks"]`);
  await r.waitFor();
  assert.equal((await r.locator('[data-testid="goods-stock-qty"]').textContent()).trim(), '100');
  assert.equal(await r.locator('[data-testid="goods-low"]').count(), 0, 'above the threshold of 80 that day');
  await goHash(page, `#/goods?warehouse=${wh.id}`);
  const now = page.locator(`[data-testid="goods-stock-row"][data-item="masks"]`);
  await now.locator('[data-testid="goods-stock-qty"]', { hasText: '70' }).waitFor();
  assert.equal(await now.locator('[data-testid="goods-low"]').count(), 1, '70 is below 80');
}));
