// charity.test.mjs — the charity API over real HTTP (docs/charity.md; docs/api.md "Charity"): an
// appeal with money and goods donations and uses; the balance never negative (also for two
// concurrent uses of the last yuan); goods donations received into the warehouse and
// reconciled; the public disclosure without a login — totals to a date, the uses, donors who
// did not agree hidden; masking; scope and permission; exports; the demo's published figures in
// the statistics report; the CLI; the audit chain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, request } from '../lib/http.mjs';
import { auditVerify, cli, sqlite, startServer } from '../lib/server.mjs';

let srv, charity, admin, county, village, appeal, wh, masks;
const one = (sql) => sqlite(srv.dbPath, sql).trim();
const pub = (path) => request(srv.url, 'GET', path);

before(async () => {
  srv = await startServer();
  charity = await srv.login('charity');
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  village = await srv.login('village_370704008231');
  appeal = assertStatus(await charity.post('/api/v1/charity/appeals', {
    name: '测试募捐（接口）', organisation: '潍坊市慈善总会', region_code: '3707', kind: 'public', started_on: '2020-01-26', purpose: '测试',
  }), 201);
  wh = assertStatus(await charity.post('/api/v1/goods/warehouses', { name: '慈善总会物资库（测试）', region_code: '3707' }), 201);
  masks = assertStatus(await charity.get('/api/v1/goods/items'), 200).items.find((i) => i.code === 'masks').id;
});

after(async () => {
  await srv?.stop();
});

const money = (fen, extra = {}) => ({ kind: 'money', amount_fen: fen, donor_kind: 'person', channel: 'bank', donated_on: '2020-02-01', ...extra });
const use = (fen, extra = {}) => ({
  kind: 'money', amount_fen: fen, recipient_kind: 'institution', recipient_name: '潍坊市社会福利院', purpose: '防疫物资', evidence: '潍慈拨〔2020〕9号', used_on: '2020-02-10', ...extra,
});

test('money donations and uses; the balance can never go negative', async () => {
  const path = `/api/v1/charity/appeals/${appeal.id}`;
  assertStatus(await charity.post(`${path}/donations`, money(100000, { donor_name: '王同意', disclose: true, receipt_no: 'T001' })), 201);
  assertStatus(await charity.post(`${path}/donations`, money(50000, { donor_name: '李不愿', receipt_no: 'T002' })), 201);
  assertStatus(await charity.post(`${path}/donations`, money(30000, { anonymous: true, receipt_no: 'T003', donated_on: '2020-02-03' })), 201);
  assertError(await charity.post(`${path}/donations`, money(1, { donor_name: '重复', receipt_no: 'T001' })), 409, 'duplicate_receipt', 'receipt_no');
  assertError(await charity.post(`${path}/donations`, money(1, { donor_name: '太早', donated_on: '2020-01-01' })), 400, 'invalid_value', 'donated_on');
  assertError(await charity.post(`${path}/donations`, money(0, { donor_name: '零' })), 400, 'required', 'amount_fen');
  const a = assertStatus(await charity.post(`${path}/uses`, use(120000)), 201);
  assert.equal(a.raised_fen, 180000);
  assert.equal(a.used_fen, 120000);
  assert.equal(a.balance_fen, 60000);
  const before = one('SELECT count(*) FROM charity_uses;');
  const err = assertError(await charity.post(`${path}/uses`, use(60001)), 409, 'insufficient_balance', 'amount_fen');
  assert.match(err.message, /余额不足/);
  assertError(await charity.post(`${path}/uses`, use(10, { evidence: '' })), 400, 'required', 'evidence');
  assert.equal(one('SELECT count(*) FROM charity_uses;'), before);
  // two concurrent uses of the last 600 yuan: one goes through
  const other = await srv.login('charity');
  const res = await Promise.all([charity.post(`${path}/uses`, use(60000)), other.post(`${path}/uses`, use(60000))]);
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 409], res.map((r) => r.text.slice(0, 100)).join(' | '));
  const now = assertStatus(await charity.get(path), 200);
  assert.equal(now.balance_fen, 0);
  // totals to a date
  const early = assertStatus(await charity.get(`${path}?to=2020-02-02`), 200);
  assert.equal(early.raised_fen, 150000);
  assert.equal(early.used_fen, 0);
});

test('a goods donation goes into the warehouse and is reconciled', async () => {
  const path = `/api/v1/charity/appeals/${appeal.id}`;
  const d = assertStatus(await charity.post(`${path}/donations`, {
    kind: 'goods', donor_kind: 'organisation', donor_name: '某医药公司', item_id: masks, quantity: 5000, value_fen: 1000000, warehouse_id: wh.id, donated_on: '2020-02-04',
  }), 201);
  assert.equal(d.received, 5000);
  assert.ok(d.movement_id > 0);
  const moves = assertStatus(await charity.get(`/api/v1/goods/movements?donation_id=${d.id}`), 200).items;
  assert.equal(moves.length, 1);
  assert.equal(moves[0].source, 'donation');
  assert.equal(moves[0].quantity, 5000);
  const a = assertStatus(await charity.get(path), 200);
  assert.equal(a.goods_donated, 5000);
  assert.equal(a.goods_received, 5000);
  assert.equal(a.goods_reconciled, true);
  assert.equal(a.raised_fen, 180000, 'valuations are not money raised');
  // goods uses cannot pass what was donated
  const g = (q) => ({ kind: 'goods', item_id: masks, quantity: q, value_fen: 0, recipient_kind: 'township', recipient_name: '太保庄街道', purpose: '发放', evidence: '调拨单 1', used_on: '2020-02-06' });
  assertStatus(await charity.post(`${path}/uses`, g(4000)), 201);
  assertError(await charity.post(`${path}/uses`, g(1001)), 409, 'insufficient_goods', 'quantity');
  // the goods API refuses a donation receipt that does not come from a donation
  assertError(await charity.post('/api/v1/goods/movements', { kind: 'receive', source: 'donation', warehouse_id: wh.id, item_id: masks, quantity: 1 }), 400, 'invalid_value', 'source');
});

test('the public disclosure needs no login and hides donors who did not agree', async () => {
  const list = assertStatus(await pub('/api/v1/public/charity/appeals'), 200);
  assert.ok(list.items.some((x) => x.id === appeal.id));
  assert.ok(!list.items.some((x) => x.kind === 'staff'), 'staff drives are internal');
  const p = assertStatus(await pub(`/api/v1/public/charity/appeals/${appeal.id}?to=2020-03-17`), 200);
  assert.equal(p.raised_fen, 180000);
  assert.equal(p.used_fen, 180000);
  assert.ok(p.uses.length >= 2);
  const names = p.donation_list.map((d) => d.donor_name);
  assert.ok(names.includes('王同意'));
  assert.ok(names.includes('爱心人士'));
  assert.ok(names.includes('匿名'));
  assert.ok(names.includes('某医药公司'));
  assert.ok(!JSON.stringify(p).includes('李不愿'), 'a donor who did not agree is never named');
  assert.equal(p.donation_list.find((d) => d.donor_name === '爱心人士').amount_fen, 50000, 'their amounts still count');
  assert.equal(p.receipt_no, undefined);
  // to an earlier date
  const e = assertStatus(await pub(`/api/v1/public/charity/appeals/${appeal.id}?to=2020-02-02`), 200);
  assert.equal(e.raised_fen, 150000);
  assert.equal(e.uses.length, 0);
  assertError(await pub(`/api/v1/public/charity/appeals/${appeal.id}?to=2020-13-01`), 400, 'invalid_value', 'to');
  const staffId = Number(one("SELECT id FROM charity_appeals WHERE kind = 'staff' LIMIT 1;"));
  assertError(await pub(`/api/v1/public/charity/appeals/${staffId}`), 404, 'not_found');
  // the page itself is served without a login
  const html = await request(srv.url, 'GET', '/disclosure.html');
  assert.equal(html.status, 200);
  assert.match(html.text, /慈善募捐信息公开/);
});

test('staff lists mask individual donors; unmask needs registry.unmask and is audited', async () => {
  const path = `/api/v1/charity/appeals/${appeal.id}/donations`;
  const l = assertStatus(await charity.get(path), 200);
  assert.ok(!JSON.stringify(l).includes('李不愿'));
  assert.ok(l.items.some((d) => d.donor_name === '李**'));
  assertError(await charity.get(`${path}?unmask=1`), 403, 'forbidden');
  const full = assertStatus(await admin.get(`${path}?unmask=1`), 200);
  assert.ok(full.items.some((d) => d.donor_name === '李不愿'));
  assert.equal(one("SELECT count(*) FROM audit_log WHERE action = 'charity.unmask';"), '1');
});

test('scope and permission', async () => {
  assertError(await county.get('/api/v1/charity/appeals'), 403, 'forbidden');
  assertError(await county.get(`/api/v1/charity/appeals/${appeal.id}`), 404, 'not_found');
  assertError(await village.post(`/api/v1/charity/appeals/${appeal.id}/donations`, money(1, { donor_name: '某' })), 403, 'forbidden');
  assertError(await charity.post('/api/v1/charity/appeals', { name: '村里募捐', organisation: '某村', region_code: '370704008231', kind: 'public', started_on: '2020-02-01' }), 400, 'invalid_region');
  assertError(await charity.post('/api/v1/charity/appeals', { name: '测试募捐（接口）', organisation: '某', region_code: '3707', kind: 'public', started_on: '2020-02-01' }), 409, 'duplicate_name');
  assertError(await charity.post('/api/v1/charity/appeals', { organisation: '某', region_code: '3707', kind: 'public', started_on: '2020-02-01' }), 400, 'required', 'name');
});

test('lists export as xlsx and csv', async () => {
  const x = await charity.get('/api/v1/charity/appeals?format=xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const c = await charity.get(`/api/v1/charity/appeals/${appeal.id}/donations?format=csv`);
  assert.equal(c.status, 200);
  assert.match(c.text, /捐赠人/);
  assert.ok(!c.text.includes('李不愿'));
  const u = await charity.get(`/api/v1/charity/appeals/${appeal.id}/uses?format=csv`);
  assert.equal(u.status, 200);
  assert.match(u.text, /潍坊市社会福利院/);
});

test('the demo reproduces the published figures in the statistics report', async () => {
  const r = assertStatus(await admin.get('/api/v1/reports/stats?from=2020-01-01&to=2020-03-17'), 200);
  const c = r.city;
  // this file's own appeal (3707, public) adds 180,000 fen raised and used
  assert.equal(c['charity.raised_fen'], 10484260000 + 180000);
  assert.equal(c['charity.used_fen'], 10464340000 + 180000);
  assert.equal(c['charity.staff_donations_fen'], 13750000);
  const g = assertStatus(await admin.get('/api/v1/reports/stats?from=2020-01-01&to=2020-04-26'), 200).city;
  assert.equal(g['goods.masks'], 60000);
  assert.equal(g['goods.protective_suits'], 543);
  assert.equal(g['goods.disinfectant_kg'], 30843);
  assert.equal(g['goods.alcohol_kg'], 3784);
  assert.equal(g['goods.other_items'], 147600);
});

test('the CLI shows the same appeal; the audit chain holds', () => {
  const r = cli(['charity', 'disclosure', '--db', srv.dbPath, '--appeal', String(appeal.id), '--to', '2020-03-17']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /募集 1800\.00 元，使用 1800\.00 元/);
  assert.ok(!r.stdout.includes('李不愿'));
  const bad = cli(['charity', 'use', '--db', srv.dbPath, '--appeal', String(appeal.id), '--kind', 'money', '--amount-fen', '1', '--recipient-kind', 'project', '--recipient', '某项目', '--purpose', '用途', '--evidence', '凭证']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /余额不足/);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
