// dashboard.test.mjs — GET /api/v1/dashboard (the leadership dashboard, docs/stats.md) on the
// scale-0.02 demo city with its assistance: the units side by side with the same figures as the
// assistance report, the months and days of the period, the default period ending on the newest
// institution report, a county narrowing every part to it, a county outside the caller's scope
// 404, bad dates 400; the answer kept until the next write and then computed afresh.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertStatus, isChinese, makeId, todayShanghai } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';

let srv, admin, county, leader;

before(async () => {
  srv = await startServer({ assistance: true });
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  leader = await srv.login('leader');
});

after(async () => {
  await srv?.stop();
});

test('the units side by side, with the assistance report’s figures; months and days of the period', async () => {
  const d = assertStatus(await admin.get('/api/v1/dashboard?from=2020-01-24&to=2020-04-26'), 200);
  const a = assertStatus(await admin.get('/api/v1/reports/assistance?from=2020-01&to=2020-04'), 200);
  assert.equal(d.units.length, 16);
  for (const u of d.units) {
    const c = a.counties[u.code];
    assert.equal(u.name, c.name);
    assert.equal(u.recipients, c.total.persons, `${u.code} recipients`);
    assert.equal(u.amount_fen, c.total.amount_fen, `${u.code} amount`);
    assert.equal(u.dibao_persons, c.programs.dibao.persons);
    assert.equal(u.price_subsidy_amount_fen, c.programs.price_subsidy.amount_fen);
    assert.equal(typeof u.ledger_entries, 'number');
    // completeness is null for a unit that expected no reports (no institutions), never 0 or 100 %
    if (u.reports_expected === 0) assert.equal(u.completeness_bp, null, u.code);
    else assert.equal(u.completeness_bp, Math.floor((u.reports_received * 10000) / u.reports_expected), u.code);
  }
  assert.equal(d.totals.amount_fen, a.total.amount_fen);
  assert.deepEqual(d.months.map((m) => m.month), ['2020-01', '2020-02', '2020-03', '2020-04']);
  assert.equal(d.months.reduce((s, m) => s + m.amount_fen, 0), a.total.amount_fen);
  assert.equal(d.days.length, 94); // 2020-01-24 … 2020-04-26
  assert.equal(d.days[0].date, '2020-01-24');
  assert.equal(d.days.at(-1).date, '2020-04-26');
  const inst = assertStatus(await admin.get('/api/v1/reports/institutions?from=2020-01-24&to=2020-04-26'), 200);
  assert.equal(d.days.reduce((s, x) => s + x.received, 0), inst.reports.received, 'Σ days received = the period report');
  assert.equal(d.totals.reports_received, inst.reports.received);
  assert.ok(Array.isArray(d.alerts.institution_alerts) && Array.isArray(d.alerts.missing_reports));
});

test('the ledger figures are those of the ledger statistics: the city, each unit, a county', async () => {
  const d = assertStatus(await admin.get('/api/v1/dashboard?from=2020-01-24&to=2020-04-26'), 200);
  const l = assertStatus(await admin.get('/api/v1/ledger/stats?from=2020-01&to=2020-04'), 200);
  assert.ok(l.total.entries > 0, 'the demo city has ledger entries');
  assert.equal(d.totals.ledger_entries, l.total.entries);
  assert.equal(d.totals.ledger_overdue, l.total.overdue);
  for (const u of d.units) {
    // a functional zone is not a child in the region tree: its own statistics
    const one = assertStatus(await admin.get(`/api/v1/ledger/stats?from=2020-01&to=2020-04&region=${u.code}`), 200);
    assert.equal(u.ledger_entries, one.total.entries, `${u.code} entries`);
    assert.equal(u.ledger_overdue, one.total.overdue, `${u.code} overdue`);
    const item = l.items.find((x) => x.region_code === u.code);
    if (item) assert.equal(u.ledger_entries, item.entries, `${u.code} = its item`);
  }
  const c = assertStatus(await county.get('/api/v1/dashboard?from=2020-01-24&to=2020-04-26'), 200);
  const cl = assertStatus(await county.get('/api/v1/ledger/stats?from=2020-01&to=2020-04'), 200);
  assert.equal(c.totals.ledger_entries, cl.total.entries);
  assert.equal(c.totals.ledger_overdue, cl.total.overdue);
});

test('by default the period ends on the newest institution report and starts three months before', async () => {
  const d = assertStatus(await leader.get('/api/v1/dashboard'), 200);
  assert.equal(d.to, '2020-04-26');
  assert.equal(d.from, '2020-01-01');
  // the leader (stats.read) sees the ledger's and the institutions' figures, as the city does
  const a = assertStatus(await admin.get('/api/v1/dashboard'), 200);
  assert.equal(d.totals.ledger_entries, a.totals.ledger_entries);
  assert.ok(d.totals.ledger_entries > 0);
  assert.deepEqual(d.units.map((u) => u.ledger_overdue), a.units.map((u) => u.ledger_overdue));
  assert.equal(d.totals.reports_received, a.totals.reports_received);
  // a role that may not read the ledger or the institutions gets null there, not 0
  const hotline = await srv.login('hotline');
  // (without the institutions its default period ends today: a period of four calendar months)
  assertStatus(await hotline.get('/api/v1/dashboard'), 200);
  const h = assertStatus(await hotline.get(`/api/v1/dashboard?from=${d.from}&to=${d.to}`), 200);
  assert.equal(h.totals.amount_fen, a.totals.amount_fen);
  assert.equal(h.totals.ledger_entries, null, 'the hotline operator may not read the ledger: null, not 0');
  assert.ok(h.units.every((u) => u.ledger_overdue === null && u.reports_received === null));
});

test('a county narrows every part; the county staff see their own; outside the scope is 404', async () => {
  const all = assertStatus(await admin.get('/api/v1/dashboard?from=2020-01-24&to=2020-04-26'), 200);
  const d = assertStatus(await admin.get('/api/v1/dashboard?from=2020-01-24&to=2020-04-26&county=370704'), 200);
  assert.deepEqual(d.units.map((u) => u.code), ['370704']);
  const u = all.units.find((x) => x.code === '370704');
  assert.equal(d.totals.amount_fen, u.amount_fen);
  assert.equal(d.totals.ledger_entries, u.ledger_entries);
  assert.equal(d.totals.reports_received, u.reports_received);
  assert.equal(d.months.reduce((s, m) => s + m.amount_fen, 0), u.amount_fen);
  assert.equal(d.days.reduce((s, x) => s + x.received, 0), u.reports_received);
  assert.ok(d.days.reduce((s, x) => s + x.received, 0) < all.days.reduce((s, x) => s + x.received, 0));
  const own = assertStatus(await county.get('/api/v1/dashboard?from=2020-01-24&to=2020-04-26&county=370704'), 200);
  assert.equal(own.totals.amount_fen, u.amount_fen);
  assert.equal((await county.get('/api/v1/dashboard?county=370702')).status, 404);
});

test('bad dates are 400 with a Chinese message', async () => {
  for (const q of ['from=2020-1-1', 'to=2020-02-30', 'from=2020-04-26&to=2020-01-24', 'from=2019-01-01&to=2020-04-26']) {
    const res = await admin.get(`/api/v1/dashboard?${q}`);
    assert.equal(res.status, 400, q);
    assert.ok(isChinese(res.json.error.message), q);
  }
});

test('the answer is computed afresh after any write: a new ledger entry shows at once', async () => {
  const today = todayShanghai();
  const [y, m, d] = today.split('-').map(Number);
  const from = new Date(Date.UTC(y, m - 1, d - 10)).toISOString().slice(0, 10);
  const q = `/api/v1/dashboard?from=${from}&to=${today}&county=370704`;
  const first = assertStatus(await admin.get(q), 200);
  assert.deepEqual(assertStatus(await admin.get(q), 200), first, 'the same answer twice');
  const h = assertStatus(await county.post('/api/v1/households', {
    region_code: '370704008231', address: '驾驶舱测试 1 号', residence_type: 'rural', phone: '13912345678',
    members: [{ id_number: makeId({ birth: '1941-03-01' }), name: '驾驶舱户主', relation: 'head', tags: [], phone: '13800001111' }],
  }), 201, 'household');
  assertStatus(await county.post('/api/v1/ledger/entries', { person_id: h.head_person_id, categories: ['other'], note: '驾驶舱测试' }), 201, 'ledger entry');
  const next = assertStatus(await admin.get(q), 200);
  assert.equal(next.totals.ledger_entries, first.totals.ledger_entries + 1);
  assert.equal(next.units[0].ledger_entries, first.units[0].ledger_entries + 1);
});
