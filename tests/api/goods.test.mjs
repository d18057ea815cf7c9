// goods.test.mjs — the goods API over real HTTP (docs/goods.md; docs/api.md "Goods"): a
// warehouse's receipts, transfers and distributions; stock at a date; stock never negative,
// also under two concurrent distributions of the last units (exactly one succeeds, the other
// 409 with a Chinese message); a distribution on a ledger visit; low-stock warnings; masking
// and the audited unmask; scope (another county: 404) and permission (village: 403); bad input
// leaves nothing behind; exports; the CLI on the same records; the audit chain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cli, sqlite, startServer } from '../lib/server.mjs';

let srv, admin, county, otherCounty, township, village;
let items, wh, town; // this file's warehouses in 坊子区 (370704) and 太保庄街道 (370704008)

const itemId = (code) => items.find((i) => i.code === code).id;
const one = (sql) => sqlite(srv.dbPath, sql).trim();

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  otherCounty = await srv.login('county_370705');
  township = await srv.login('township_370704008');
  village = await srv.login('village_370704008231');
  items = assertStatus(await county.get('/api/v1/goods/items'), 200).items;
  wh = assertStatus(await county.post('/api/v1/goods/warehouses', { name: '坊子区物资库（测试）', region_code: '370704', low_stock: 50 }), 201);
  town = assertStatus(await county.post('/api/v1/goods/warehouses', { name: '太保庄物资点（测试）', region_code: '370704008' }), 201);
});

after(async () => {
  await srv?.stop();
});

test('items are data with a unit and a statistics line', () => {
  const masks = items.find((i) => i.code === 'masks');
  assert.equal(masks.unit, '个');
  assert.equal(masks.stat, 'masks');
  assert.equal(items.find((i) => i.code === 'disinfectant').unit, '千克');
  assert.equal(items.find((i) => i.code === 'rice').stat, 'other');
});

test('receipts, a transfer and stock at a date', async () => {
  const rec = assertStatus(await county.post('/api/v1/goods/movements', {
    kind: 'receive', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 1000, date: '2020-02-01', source: 'allocation', party: '潍坊市民政局',
  }), 201);
  assert.equal(rec.kind, 'receive');
  assert.equal(rec.quantity, 1000);
  assertStatus(await county.post('/api/v1/goods/movements', {
    kind: 'transfer', warehouse_id: wh.id, to_warehouse_id: town.id, item_id: itemId('masks'), quantity: 300, date: '2020-02-05',
  }), 201);
  const at = (date, w) => county.get(`/api/v1/goods/stock?warehouse_id=${w}&date=${date}`);
  const s1 = assertStatus(await at('2020-02-04', wh.id), 200).items.find((r) => r.item_code === 'masks');
  assert.equal(s1.quantity, 1000);
  const s2 = assertStatus(await at('2020-02-05', wh.id), 200).items.find((r) => r.item_code === 'masks');
  assert.equal(s2.quantity, 700);
  const t = assertStatus(await at('2020-02-05', town.id), 200).items.find((r) => r.item_code === 'masks');
  assert.equal(t.quantity, 300);
  assert.equal((await at('2020-01-31', wh.id)).json.items.length, 0);
  // the warehouse with its stock
  const w = assertStatus(await county.get(`/api/v1/goods/warehouses/${wh.id}?date=2020-02-05`), 200);
  assert.equal(w.stock.find((r) => r.item_code === 'masks').quantity, 700);
  assert.equal(w.level, 'county');
});

test('a distribution to a household; names masked unless unmasked (audited)', async () => {
  const hh = one("SELECT id FROM households WHERE region_code LIKE '370704%' ORDER BY id LIMIT 1;");
  const d = assertStatus(await county.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 20, date: '2020-02-10',
    recipient_kind: 'household', recipient_id: Number(hh),
  }), 201);
  assert.equal(d.quantity, -20);
  assert.equal(d.recipient_id, Number(hh));
  assert.match(d.recipient_name, /^.\*+$/u, 'the head of household masked');
  const full = assertStatus(await admin.get(`/api/v1/goods/movements/${d.id}?unmask=1`), 200);
  assert.ok(!full.recipient_name.includes('*'));
  assert.equal(one(`SELECT count(*) FROM audit_log WHERE action = 'goods.unmask';`), '1');
  const officer = await srv.login('charity'); // goods, but no registry.unmask
  assertError(await officer.get(`/api/v1/goods/movements/${d.id}?unmask=1`), 403, 'forbidden');
  // a household in another county is not found for this county's staff
  const other = one("SELECT id FROM households WHERE region_code LIKE '370705%' ORDER BY id LIMIT 1;");
  assertError(await county.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 1, date: '2020-02-10',
    recipient_kind: 'household', recipient_id: Number(other),
  }), 404, 'not_found', 'recipient_id');
});

test('a distribution on a ledger visit keeps the visit', async () => {
  const row = one("SELECT v.id || '|' || v.person_id FROM ledger_visits v WHERE v.region_code LIKE '370704%' ORDER BY v.id LIMIT 1;");
  assert.ok(row, 'the demo has ledger visits in 坊子区');
  const [visit, person] = row.split('|').map(Number);
  const d = assertStatus(await county.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 10, date: '2020-02-11',
    recipient_kind: 'person', recipient_id: person, ledger_visit_id: visit,
  }), 201);
  assert.equal(d.ledger_visit_id, visit);
  // a visit of somebody else
  const otherVisit = one(`SELECT id FROM ledger_visits WHERE person_id <> ${person} ORDER BY id LIMIT 1;`);
  assertError(await county.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 10, date: '2020-02-11',
    recipient_kind: 'person', recipient_id: person, ledger_visit_id: Number(otherVisit),
  }), 404, 'not_found', 'ledger_visit_id');
});

test('two concurrent distributions of the last units: exactly one succeeds', async () => {
  const alcohol = itemId('alcohol');
  const hh = Number(one("SELECT id FROM households WHERE region_code LIKE '370704%' ORDER BY id LIMIT 1 OFFSET 3;"));
  assertStatus(await county.post('/api/v1/goods/movements', {
    kind: 'receive', warehouse_id: wh.id, item_id: alcohol, quantity: 5, date: '2020-02-01', source: 'purchase', value_fen: 9000,
  }), 201);
  const give = (c) => c.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: wh.id, item_id: alcohol, quantity: 5, date: '2020-02-12', recipient_kind: 'household', recipient_id: hh,
  });
  const other = await srv.login('county_370704');
  const res = await Promise.all([give(county), give(other), give(admin)]);
  const ok = res.filter((r) => r.status === 201);
  const refused = res.filter((r) => r.status !== 201);
  assert.equal(ok.length, 1, res.map((r) => `${r.status} ${r.text.slice(0, 120)}`).join(' | '));
  for (const r of refused) {
    const err = assertError(r, 409, 'insufficient_stock', 'quantity');
    assert.match(err.message, /库存不足/);
  }
  const s = assertStatus(await county.get(`/api/v1/goods/stock?warehouse_id=${wh.id}`), 200).items.find((r) => r.item_id === alcohol);
  assert.equal(s.quantity, 0);
  assert.equal(one(`SELECT count(*) FROM goods_movements WHERE warehouse_id = ${wh.id} AND item_id = ${alcohol} AND kind = 'distribute';`), '1');
});

test('a back-dated distribution cannot empty a later day', async () => {
  const flour = itemId('flour');
  const hh = Number(one("SELECT id FROM households WHERE region_code LIKE '370704%' ORDER BY id LIMIT 1;"));
  assertStatus(await county.post('/api/v1/goods/movements', { kind: 'receive', warehouse_id: wh.id, item_id: flour, quantity: 10, date: '2020-03-01', source: 'purchase' }), 201);
  assertStatus(await county.post('/api/v1/goods/movements', { kind: 'transfer', warehouse_id: wh.id, to_warehouse_id: town.id, item_id: flour, quantity: 8, date: '2020-03-10' }), 201);
  const err = assertError(await county.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: wh.id, item_id: flour, quantity: 5, date: '2020-03-05', recipient_kind: 'household', recipient_id: hh,
  }), 409, 'insufficient_stock');
  assert.match(err.message, /可用 2/);
});

test('stocktake adjustment needs a reason; low-stock warnings', async () => {
  const before = one('SELECT count(*) FROM goods_movements;');
  assertError(await county.post('/api/v1/goods/movements', { kind: 'adjust', warehouse_id: wh.id, item_id: itemId('masks'), quantity: -5 }), 400, 'required', 'reason');
  assertError(await county.post('/api/v1/goods/movements', { warehouse_id: wh.id, item_id: itemId('masks'), quantity: 5 }), 400, 'required', 'kind');
  assertError(await county.post('/api/v1/goods/movements', { kind: 'receive', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 5, source: 'donation' }), 400, 'invalid_value', 'source');
  assertError(await county.post('/api/v1/goods/movements', { kind: 'receive', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 5, source: 'purchase', date: '2999-01-01' }), 400, 'invalid_value', 'date');
  assertError(await county.post('/api/v1/goods/movements', { kind: 'receive', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 'many', source: 'purchase' }), 400, 'invalid_value', 'quantity');
  assert.equal(one('SELECT count(*) FROM goods_movements;'), before, 'refused input stores nothing');
  const adj = assertStatus(await county.post('/api/v1/goods/movements', { kind: 'adjust', warehouse_id: wh.id, item_id: itemId('masks'), quantity: -3, reason: '盘点发现破损' }), 201);
  assert.equal(adj.reason, '盘点发现破损');
  // alcohol and flour at 0 and 2 are below the threshold 50; masks are not
  const low = assertStatus(await county.get(`/api/v1/goods/stock?warehouse_id=${wh.id}&low=1`), 200).items;
  assert.ok(low.some((r) => r.item_code === 'alcohol' && r.low));
  assert.ok(!low.some((r) => r.item_code === 'masks'));
  const list = assertStatus(await county.get('/api/v1/goods/warehouses'), 200).items;
  assert.ok(list.find((w) => w.id === wh.id).items_low >= 2);
});

test('scope and permission', async () => {
  assertError(await otherCounty.get(`/api/v1/goods/warehouses/${wh.id}`), 404, 'not_found');
  assertError(await otherCounty.post('/api/v1/goods/movements', { kind: 'receive', warehouse_id: wh.id, item_id: itemId('masks'), quantity: 1, source: 'purchase' }), 404, 'not_found', 'warehouse_id');
  assert.ok(!(await otherCounty.get('/api/v1/goods/warehouses')).json.items.some((w) => w.id === wh.id));
  assertError(await village.get('/api/v1/goods/warehouses'), 403, 'forbidden');
  assertError(await village.get(`/api/v1/goods/warehouses/${wh.id}`), 404, 'not_found');
  assertError(await county.post('/api/v1/goods/warehouses', { name: '奎文区库（测试）', region_code: '370705' }), 403, 'out_of_scope');
  assertError(await county.post('/api/v1/goods/warehouses', { name: '坊子区物资库（测试）', region_code: '370704' }), 409, 'duplicate_name');
  // the township assistant sees its own warehouse, not the county's
  const tl = assertStatus(await township.get('/api/v1/goods/warehouses'), 200).items;
  assert.ok(tl.some((w) => w.id === town.id) && !tl.some((w) => w.id === wh.id));
});

test('lists export as xlsx and csv', async () => {
  for (const path of ['/api/v1/goods/movements', '/api/v1/goods/stock', '/api/v1/goods/warehouses', '/api/v1/goods/items']) {
    const x = await county.get(`${path}?format=xlsx`);
    assert.equal(x.status, 200, `${path}: ${x.text?.slice(0, 200)}`);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
  }
  const c = await county.get(`/api/v1/goods/movements?format=csv&warehouse_id=${wh.id}`);
  assert.equal(c.status, 200);
  assert.match(c.text, /仓库/);
  assert.match(c.text, /盘点调整/);
  assert.ok(!c.text.includes(one(`SELECT recipient_name FROM goods_movements WHERE warehouse_id = ${wh.id} AND recipient_kind = 'household' LIMIT 1;`)), 'names stay masked');
});

test('the CLI reads the same records; the audit chain holds', () => {
  const r = cli(['goods', 'stock', '--db', srv.dbPath, '--warehouse', String(wh.id), '--date', '2020-02-05']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /坊子区物资库（测试）\t口罩\t700/);
  const bad = cli(['goods', 'move', '--db', srv.dbPath, '--kind', 'distribute', '--warehouse', String(wh.id), '--item', 'alcohol', '--quantity', '1', '--recipient-kind', 'institution', '--recipient', '1']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /库存不足|不存在/);
  assert.ok(Number(one("SELECT count(*) FROM audit_log WHERE action = 'goods.move';")) >= 8);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
