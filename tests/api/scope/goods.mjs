// scope/goods.mjs — the goods module's part of the scope matrix (tests/api/scope.test.mjs): a
// warehouse of the fixture village's township, masks received into it, and two distributions
// from it — one to the fixture household, one to the fixture person (docs/goods.md). Scope is
// the warehouse's region code, so a township assistant reads its own warehouse and movements
// (the default reader of the 200 test) and everyone else's record is 404.
//
// Goods needs the `goods` permission (county_staff, township_assistant, charity_officer;
// src/accounts/roles.c): the lists answer 403 without it (the route table), the routes by id 404
// (the handlers), whatever the record.
import assert from 'node:assert/strict';

export const prefix = '/api/v1/goods/';

const itemCache = new WeakMap(); // admin client → the id of the masks item

async function masksOf(admin) {
  if (!itemCache.has(admin)) {
    const r = await admin.get('/api/v1/goods/items');
    assert.equal(r.status, 200, `admin lists the goods items: ${r.text}`);
    const masks = r.json.items.find((i) => i.code === 'masks');
    assert.ok(masks, 'the migration ships the masks item');
    itemCache.set(admin, masks.id);
  }
  return itemCache.get(admin);
}

export async function fixture(admin, village, tag, base) {
  const township = village.slice(0, 9);
  const item = await masksOf(admin);
  const w = await admin.post('/api/v1/goods/warehouses', { name: `范围物资库${tag}`, region_code: township, low_stock: 5 });
  assert.equal(w.status, 201, `admin sets up a warehouse in ${township}: ${w.text}`);
  assert.equal(w.json.region_code, township);
  const rec = await admin.post('/api/v1/goods/movements', {
    kind: 'receive', warehouse_id: w.json.id, item_id: item, quantity: 100, date: '2020-02-01', source: 'allocation', party: '范围测试',
  });
  assert.equal(rec.status, 201, `admin receives masks: ${rec.text}`);
  const give = (body) => admin.post('/api/v1/goods/movements', {
    kind: 'distribute', warehouse_id: w.json.id, item_id: item, quantity: 10, date: '2020-02-05', ...body,
  });
  const hh = await give({ recipient_kind: 'household', recipient_id: base.household_id });
  assert.equal(hh.status, 201, `admin gives masks to the household: ${hh.text}`);
  assert.equal(hh.json.recipient_id, base.household_id);
  assert.equal(hh.json.region_code, township, 'a movement lies in its warehouse\'s region');
  // the head's name is personal data: masked unless asked for (docs/goods.md "Personal data")
  assert.ok(!hh.text.includes(`范围户主${tag}`), `the head's name is masked: ${hh.json.recipient_name}`);
  const pp = await give({ recipient_kind: 'person', recipient_id: base.person_id });
  assert.equal(pp.status, 201, `admin gives masks to the person: ${pp.text}`);
  assert.ok(!pp.text.includes(`范围成员${tag}`), `the person's name is masked: ${pp.json.recipient_name}`);
  return { goods_warehouse_id: w.json.id, goods_movement_id: hh.json.id, goods_person_movement_id: pp.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'warehouses') return f.goods_warehouse_id; // the township's warehouse
  if (prev === 'movements') return f.goods_movement_id; // the distribution to the household
  return undefined;
}

export const needs = (route, actor, f, can) => can(actor, 'goods');

// a warehouse (and its movements) is the township's
export const level = () => 'township';

// the items are the city's reference data (code, name, unit), the same for everyone
export const unscoped = ['GET /api/v1/goods/items'];
