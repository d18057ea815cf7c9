// relief.test.mjs — docs/api.md "Temporary assistance": the 22:00 pay-first story over HTTP
// (a township assistant finds the reserve empty — the county sees the replenishment need and
// allocates — then pays first, the grant shows its paperwork deadline in working days, appears
// on the overdue list after it, and closes with the papers and the county's approval); two
// pay-first grants racing for the last balance on a two-loop server (exactly one is paid, the
// other refused); the limits by level, the case decision, once per cause per year; scope (404)
// and roles (403); bad input changing nothing; the CLI on the same database; the audit chain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId, todayShanghai } from '../lib/http.mjs';
import { auditVerify, cliOk, cli, login, sqlite, startServer } from '../lib/server.mjs';

const VILLAGE = '370704008231'; // 太保庄街道 栾家山后村
const TOWNSHIP = '370704008';
let srv, admin, town, county, otherCounty, otherTown, leader, villager;
let village2; // a village of 坊安街道 370704009

function dayPlus(day, n) {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

let serial = 0;
/** The head of a new urban household in the village, made by the admin. */
async function person(village = VILLAGE) {
  serial++;
  const h = assertStatus(await admin.post('/api/v1/households', {
    region_code: village, address: `临时救助测试 ${serial} 号`, residence_type: 'urban',
    members: [{ id_number: makeId({ birth: '19580301' }), name: `救助对象${serial}`, relation: 'head', tags: ['isolated_family'] }],
  }), 201, 'household');
  return h.head_person_id;
}

const grant = (personId, over = {}) => ({
  person_id: personId, kind: 'emergency', cause: 'epidemic_isolation', amount_fen: 150000, form: 'cash',
  applied_by: 'village_worker', reason: '居家隔离，家中断粮', pay_first: false, ...over,
});

async function workingDays(from, n) {
  return assertStatus(await admin.get(`/api/v1/calendar/working-days?from=${from}&n=${n}`), 200, 'working days').date;
}

const grantCount = () => Number(sqlite(srv.dbPath, 'SELECT count(*) FROM relief_grants;').trim());

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  town = await srv.login('township_370704008');
  otherTown = await srv.login('township_370704009');
  county = await srv.login('county_370704');
  otherCounty = await srv.login('county_370705');
  leader = await srv.login('leader');
  villager = await srv.login('village_370704008231');
  village2 = assertStatus(await admin.get('/api/v1/regions?parent=370704009'), 200).items[0].code;
});

after(async () => {
  await srv?.stop();
});

let storyGrant, storyPerson;

test('22:00 pay-first: an empty reserve is refused and listed for the county; after its allocation the grant is paid at once and shows its papers deadline', async () => {
  const today = todayShanghai();
  storyPerson = await person();
  const lim = assertStatus(await town.get(`/api/v1/relief/persons/${storyPerson}/limits`), 200, 'limits');
  assert.deepEqual([lim.standard_fen, lim.max_fen, lim.emergency_min_fen, lim.township_limit_fen, lim.reserve_balance_fen],
    [71000, 710000, 142000, 100000, 0]); // urban 710.00: ×10, ×2; township 1,000.00
  assert.equal(lim.township_code, TOWNSHIP);

  // the reserve is empty: refused, nothing granted, the need recorded for the county
  const before = grantCount();
  const refused = await town.post('/api/v1/relief/grants', grant(storyPerson, { pay_first: true }));
  assertError(refused, 409, 'reserve_insufficient', 'amount_fen');
  assert.match(refused.json.error.message, /备用金余额 0\.00 元/);
  assert.equal(grantCount(), before);
  let needs = assertStatus(await county.get('/api/v1/relief/needs?status=open'), 200, 'needs');
  const need = needs.items.find((n) => n.person_id === storyPerson);
  assert.ok(need, 'the county sees the refusal as a replenishment need');
  assert.deepEqual([need.township_code, need.amount_fen, need.balance_fen, need.shortfall_fen, need.status], [TOWNSHIP, 150000, 0, 150000, 'open']);
  assert.equal(assertStatus(await otherCounty.get('/api/v1/relief/needs'), 200).items.some((n) => n.id === need.id), false);

  // only the county allocates
  assertError(await town.post(`/api/v1/relief/reserves/${TOWNSHIP}/moves`, { kind: 'allocation', amount_fen: 500000 }), 403, 'forbidden');
  const res = assertStatus(await county.post(`/api/v1/relief/reserves/${TOWNSHIP}/moves`, { kind: 'allocation', amount_fen: 500000, note: '2020 年度临时救助备用金' }), 201, 'allocate');
  assert.equal(res.balance_fen, 500000);
  assert.equal(res.moves[0].kind, 'allocation');
  needs = assertStatus(await county.get('/api/v1/relief/needs'), 200);
  assert.equal(needs.items.find((n) => n.id === need.id).status, 'met');

  // paid first, at once
  const g = assertStatus(await town.post('/api/v1/relief/grants', grant(storyPerson, { pay_first: true })), 201, 'pay first');
  storyGrant = g.id;
  assert.equal(g.payment, 'paid');
  assert.equal(g.paid_on, today);
  assert.equal(g.level, 'county'); // 1,500.00 > 1,000.00
  assert.equal(g.papers_due, await workingDays(today, 5));
  assert.equal(g.decision_due, await workingDays(today, 15));
  assert.equal(g.state_label, '先行救助·待补材料');
  assert.match(g.id_number, /^\d{6}\*{8}\d{3}[\dX]$/, 'ID number masked');
  assert.deepEqual(g.steps.map((s) => s.step), ['apply', 'pay']);
  const r = assertStatus(await town.get(`/api/v1/relief/reserves/${TOWNSHIP}`), 200);
  assert.equal(r.balance_fen, 350000);
  assert.deepEqual([r.moves[0].kind, r.moves[0].amount_fen, r.moves[0].balance_after_fen, r.moves[0].grant_id], ['disbursement', 150000, 350000, g.id]);

  // on the overdue list the day after its deadline, not before
  let od = assertStatus(await town.get('/api/v1/relief/overdue?kind=papers'), 200);
  assert.equal(od.items.some((x) => x.id === g.id), false);
  od = assertStatus(await town.get(`/api/v1/relief/overdue?as_of=${dayPlus(g.papers_due, 1)}`), 200);
  const late = od.items.find((x) => x.id === g.id && x.overdue_kind === 'papers');
  assert.ok(late, 'overdue papers');
  assert.equal(late.due, g.papers_due);
  assert.equal(assertStatus(await otherTown.get(`/api/v1/relief/overdue?as_of=${dayPlus(g.papers_due, 1)}`), 200).items.some((x) => x.id === g.id), false);

  // papers, then the county's approval (the township may not: above its limit)
  assertError(await town.post(`/api/v1/relief/grants/${g.id}/approve`, {}), 403, 'forbidden');
  assertError(await county.post(`/api/v1/relief/grants/${g.id}/approve`, {}), 409, 'papers_missing');
  const p = assertStatus(await villager.post(`/api/v1/relief/grants/${g.id}/papers`, {}), 200, 'papers');
  assert.equal(p.papers_on, today);
  const a = assertStatus(await county.post(`/api/v1/relief/grants/${g.id}/approve`, { note: '情况属实，同意' }), 200, 'approve');
  assert.equal(a.decision, 'approved');
  assert.equal(a.state_label, '已发放·已审批');
  od = assertStatus(await town.get(`/api/v1/relief/overdue?as_of=${dayPlus(g.decision_due, 1)}`), 200);
  assert.equal(od.items.some((x) => x.id === g.id), false, 'off every overdue list');

  const rec = assertStatus(await county.get('/api/v1/relief/reconcile'), 200);
  assert.equal(rec.ok, true);
  assert.ok(rec.items.some((x) => x.township_code === TOWNSHIP && x.ok && x.drawn_fen === 150000));
});

test('two pay-first grants racing for the last balance on a two-loop server: exactly one is paid, the other refused', async () => {
  const a = await login(srv.url, 'township_370704009');
  const b = await login(srv.url, 'township_370704009');
  const rounds = 6;
  for (let i = 0; i < rounds; i++) {
    const [p1, p2] = [await person(village2), await person(village2)];
    assertStatus(await county.post('/api/v1/relief/reserves/370704009/moves', { kind: 'replenishment', amount_fen: 150000 }), 201, 'top up');
    const [r1, r2] = await Promise.all([
      a.post('/api/v1/relief/grants', grant(p1, { pay_first: true })),
      b.post('/api/v1/relief/grants', grant(p2, { pay_first: true })),
    ]);
    const statuses = [r1.status, r2.status].sort();
    assert.deepEqual(statuses, [201, 409], `round ${i}: ${r1.text.slice(0, 120)} / ${r2.text.slice(0, 120)}`);
    const loser = r1.status === 409 ? r1 : r2;
    assert.equal(loser.json.error.code, 'reserve_insufficient');
    assert.equal(assertStatus(await a.get('/api/v1/relief/reserves/370704009'), 200).balance_fen, 0);
  }
  const [paid, needs, neg] = sqlite(srv.dbPath, `SELECT
    (SELECT count(*) FROM relief_grants WHERE township_code = '370704009' AND payment = 'paid'),
    (SELECT count(*) FROM relief_needs WHERE township_code = '370704009'),
    (SELECT count(*) FROM relief_reserve_moves WHERE balance_after_fen < 0);`).trim().split('|').map(Number);
  assert.deepEqual([paid, needs, neg], [rounds, rounds, 0]);
  assert.equal(assertStatus(await county.get('/api/v1/relief/reconcile?township=370704009'), 200).ok, true);
});

test('limits by level, the case decision above the maximum, once per cause per year', async () => {
  // an expense grant within the township's limit: the township approves and pays
  const p = await person();
  let g = assertStatus(await town.post('/api/v1/relief/grants', grant(p, { kind: 'expense', cause: 'medical', amount_fen: 100000 })), 201);
  assert.equal(g.level, 'township');
  assert.equal(g.state_label, '待审批');
  assertError(await villager.post(`/api/v1/relief/grants/${g.id}/approve`, {}), 403, 'forbidden');
  assertError(await town.post(`/api/v1/relief/grants/${g.id}/pay`, {}), 409, 'invalid_step');
  assertStatus(await town.post(`/api/v1/relief/grants/${g.id}/approve`, { note: '同意' }), 200);
  g = assertStatus(await town.post(`/api/v1/relief/grants/${g.id}/pay`, {}), 200);
  assert.deepEqual([g.payment, g.paid_on, g.state_label], ['paid', todayShanghai(), '已发放']);

  // an emergency grant under twice the standard is refused, nothing stored
  const n0 = grantCount();
  const low = await town.post('/api/v1/relief/grants', grant(await person(), { amount_fen: 141999 }));
  assertError(low, 400, 'below_minimum', 'amount_fen');
  assert.match(low.json.error.message, /1,420\.00 元/);
  assert.equal(grantCount(), n0);

  // above 7,100.00: a case decision first, by the county
  g = assertStatus(await town.post('/api/v1/relief/grants', grant(await person(), { cause: 'fire', amount_fen: 1200000 })), 201);
  assert.deepEqual([g.level, g.needs_decision, g.state_label], ['county', true, '待一事一议']);
  assertError(await county.post(`/api/v1/relief/grants/${g.id}/approve`, {}), 409, 'decision_required');
  assertError(await town.post(`/api/v1/relief/grants/${g.id}/decision`, { participants: '镇长', decision: '同意' }), 403, 'forbidden');
  assertError(await county.post(`/api/v1/relief/grants/${g.id}/decision`, { decision: '同意' }), 400, 'required', 'participants');
  g = assertStatus(await county.post(`/api/v1/relief/grants/${g.id}/decision`, {
    participants: '局长、分管副局长、社会救助科科长', decision: '房屋失火，基本生活无着，同意救助 12,000 元',
  }), 200);
  assert.equal(g.case_decision.participants, '局长、分管副局长、社会救助科科长');
  assert.equal(g.case_decision.decided_on, todayShanghai());
  g = assertStatus(await county.post(`/api/v1/relief/grants/${g.id}/approve`, { note: '按一事一议结论' }), 200);
  assert.equal(g.decision, 'approved');
  assertError(await town.post('/api/v1/relief/grants', grant(await person(), { cause: 'fire', amount_fen: 1200000, pay_first: true })), 409, 'decision_required');

  // the story's person again for the same cause: not first, and only with the county's reason
  assertError(await town.post('/api/v1/relief/grants', grant(storyPerson, { pay_first: true })), 409, 'once_per_year', 'cause');
  g = assertStatus(await town.post('/api/v1/relief/grants', grant(storyPerson, { reason: '隔离期延长' })), 201);
  assert.equal(g.repeat_of, storyGrant);
  assert.equal(g.level, 'county');
  assertError(await county.post(`/api/v1/relief/grants/${g.id}/approve`, {}), 400, 'required', 'note');
  assertStatus(await county.post(`/api/v1/relief/grants/${g.id}/approve`, { note: '隔离期延长，同意再次救助' }), 200);
  const other = assertStatus(await town.post('/api/v1/relief/grants', grant(storyPerson, { kind: 'expense', cause: 'basic_living', amount_fen: 50000 })), 201);
  assert.equal(other.repeat_of, null, 'another cause is a first grant');
});

test('out of scope is 404, roles are 403, lists stay in scope', async () => {
  for (const c of [otherTown, otherCounty]) {
    assertError(await c.get(`/api/v1/relief/grants/${storyGrant}`), 404, 'not_found');
    assertError(await c.post(`/api/v1/relief/grants/${storyGrant}/return`, { note: '越权' }), 404, 'not_found');
    assertError(await c.get(`/api/v1/relief/persons/${storyPerson}/limits`), 404, 'not_found');
  }
  assertError(await otherTown.post('/api/v1/relief/grants', grant(storyPerson, { cause: 'fire', amount_fen: 200000 })), 404, 'not_found');
  assertError(await otherTown.get(`/api/v1/relief/reserves/${TOWNSHIP}`), 404, 'not_found');
  assertError(await leader.post('/api/v1/relief/grants', grant(await person(), {})), 403, 'forbidden');
  assertError(await leader.post(`/api/v1/relief/grants/${storyGrant}/return`, { note: '只读' }), 403, 'forbidden');
  assertError(await villager.post('/api/v1/relief/grants', grant(await person(), { pay_first: true })), 403, 'forbidden', 'pay_first');

  const mine = assertStatus(await town.get('/api/v1/relief/grants?mine=1&limit=200'), 200);
  assert.ok(mine.total > 0 && mine.items.every((g) => g.applied_user === 'township_370704008' && g.region_code.startsWith(TOWNSHIP)));
  const theirs = assertStatus(await otherTown.get('/api/v1/relief/grants?limit=200'), 200);
  assert.ok(theirs.items.every((g) => g.region_code.startsWith('370704009')));
  assert.deepEqual(assertStatus(await town.get('/api/v1/relief/reserves'), 200).items.map((x) => x.township_code), [TOWNSHIP]);
  assert.equal(assertStatus(await villager.get('/api/v1/relief/reserves'), 200).items.length, 0);
  const countyReserves = assertStatus(await county.get('/api/v1/relief/reserves'), 200).items;
  assert.ok(countyReserves.length > 5 && countyReserves.every((x) => x.township_code.startsWith('370704')));
});

test('bad input is refused with a Chinese message and its field, and changes nothing', async () => {
  const p = await person();
  const n0 = grantCount();
  const audit0 = Number(sqlite(srv.dbPath, 'SELECT count(*) FROM audit_log;').trim());
  const cases = [
    [{ ...grant(p), person_id: undefined }, 400, 'required', 'person_id'],
    [grant(p, { kind: 'urgent' }), 400, 'invalid_value', 'kind'],
    [grant(p, { kind: 'expense' }), 400, 'invalid_value', 'cause'], // isolation is an emergency
    [grant(p, { form: 'goods' }), 400, 'required', 'goods_note'],
    [grant(p, { amount_fen: 150000.5 }), 400, 'invalid_value', 'amount_fen'],
    [grant(p, { applied_by: 'neighbour' }), 400, 'invalid_value', 'applied_by'],
    [grant(p, { applied_on: '2099-01-01' }), 400, 'invalid_value', 'applied_on'],
    [grant(p, { pay_first: 'yes' }), 400, 'invalid_value', 'pay_first'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await town.post('/api/v1/relief/grants', body);
    assertError(r, status, code, field);
    assert.match(r.json.error.message, /[\u4e00-\u9fff]/, `Chinese message for ${field}`);
  }
  assertError(await county.post(`/api/v1/relief/reserves/${TOWNSHIP}/moves`, { kind: 'gift', amount_fen: 100 }), 400, 'invalid_value', 'kind');
  assertError(await county.post('/api/v1/relief/reserves/370704/moves', { kind: 'allocation', amount_fen: 100 }), 404, 'not_found');
  assert.equal(grantCount(), n0);
  assert.equal(Number(sqlite(srv.dbPath, 'SELECT count(*) FROM audit_log;').trim()), audit0);
});

test('the CLI works on the same database as a named user: apply, pay first, papers, approve, overdue, list, reserve, reconcile, totals', async () => {
  const p = await person();
  const db = ['--db', srv.dbPath];
  let out = cliOk(['relief', 'apply', ...db, '--as', 'township_370704008', '--person', String(p), '--kind', 'emergency',
    '--cause', 'epidemic_isolation', '--amount', '1600', '--form', 'goods', '--goods', '米面油、口罩，折价 1600 元', '--pay-first']);
  const id = Number(/^grant\t(\d+)/m.exec(out)[1]);
  assert.match(out, /先行救助·物资待送达/);
  assert.match(out, /^deliver_by\t\d{4}-\d{2}-\d{2}$/m);
  const deliverBy = /^deliver_by\t(\S+)$/m.exec(out)[1];
  out = cliOk(['relief', 'overdue', ...db, '--as', 'township_370704008', '--kind', 'deliveries', '--as-of', dayPlus(deliverBy, 1)]);
  assert.match(out, new RegExp(`^deliveries\\t${id}\\t`, 'm'));
  cliOk(['relief', 'deliver', ...db, '--as', 'township_370704008', '--id', String(id)]);
  cliOk(['relief', 'papers', ...db, '--as', 'village_370704008231', '--id', String(id)]);
  const refused = cli(['relief', 'approve', ...db, '--as', 'township_370704008', '--id', String(id)]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /县级/);
  out = cliOk(['relief', 'approve', ...db, '--as', 'county_370704', '--id', String(id), '--note', '同意']);
  assert.match(out, /已发放·已审批/);
  out = cliOk(['relief', 'list', ...db, '--as', 'township_370704008', '--limit', '5']);
  assert.match(out, new RegExp(`^${id}\\t`, 'm'));
  out = cliOk(['relief', 'reserve', ...db, '--township', TOWNSHIP]);
  assert.match(out, /disbursement/);
  assert.match(cliOk(['relief', 'reconcile', ...db]), /# 0 mismatches/);
  const month = todayShanghai().slice(0, 7);
  out = cliOk(['relief', 'totals', ...db, '--from', month, '--to', month]);
  const api = assertStatus(await admin.get(`/api/v1/relief/totals?from=${month}&to=${month}`), 200);
  assert.match(out, new RegExp(`^total\\t${api.total.person_times}\\t.*amount_fen ${api.total.amount_fen}$`, 'm'));
  // paid so far: the story's 1,500.00, six race winners at 1,500.00, the 1,000.00 expense grant
  // and these goods worth 1,600.00 (approved-but-unpaid and refused grants do not count)
  assert.deepEqual(api.total, { person_times: 9, amount_fen: 150000 * 7 + 100000 + 160000 });
  const units = Object.values(api.units);
  assert.equal(units.reduce((s, u) => s + u.amount_fen, 0), api.total.amount_fen);
  assert.equal(cli(['relief', 'apply', ...db, '--person', String(p)]).status, 2, 'usage error without --amount');
});

test('an application sent again with its request key gets the first attempt\'s grant or refusal: never paid twice, no second need', async () => {
  const p = await person();
  assertStatus(await county.post(`/api/v1/relief/reserves/${TOWNSHIP}/moves`, { kind: 'allocation', amount_fen: 200000, note: '补充' }), 201, 'allocate');
  const balance = async (t) => assertStatus(await county.get(`/api/v1/relief/reserves/${t}`), 200).balance_fen;
  const b0 = await balance(TOWNSHIP);
  const key = `form-${Date.now()}-${serial}`;
  const first = assertStatus(await town.post('/api/v1/relief/grants', grant(p, { pay_first: true, request_key: key })), 201, 'first attempt');
  const n = grantCount();
  const again = assertStatus(await town.post('/api/v1/relief/grants', grant(p, { pay_first: true, request_key: key })), 200, 'the same request again');
  assert.equal(again.id, first.id, 'answered with the first grant');
  assert.equal(grantCount(), n, 'no second grant');
  assert.equal(await balance(TOWNSHIP), b0 - 150000, 'the reserve paid once');
  // the same key for another person: refused (a new application needs a new key)
  const other = await town.post('/api/v1/relief/grants', grant(await person(), { request_key: key }));
  assertError(other, 409, 'request_key_reused', 'request_key');
  assert.equal(grantCount(), n);
  assertError(await town.post('/api/v1/relief/grants', grant(p, { request_key: 'a b' })), 400, 'invalid_value', 'request_key');
  assertError(await town.post('/api/v1/relief/grants', grant(p, { request_key: 'x'.repeat(65) })), 400, 'invalid_value', 'request_key');

  // a township whose reserve is empty: the refusal is recorded once, and sent again it is refused the same way
  const towns = assertStatus(await admin.get('/api/v1/regions?parent=370704'), 200).items.map((r) => r.code);
  let empty = null;
  for (const t of towns) {
    if (t === TOWNSHIP || t === '370704009') continue;
    if ((await county.get(`/api/v1/relief/reserves/${t}`)).json?.balance_fen === 0) { empty = t; break; }
  }
  assert.ok(empty, 'a township of the county with an empty reserve');
  const village = assertStatus(await admin.get(`/api/v1/regions?parent=${empty}`), 200).items[0].code;
  const q = await person(village);
  const needs = () => Number(sqlite(srv.dbPath, 'SELECT count(*) FROM relief_needs;').trim());
  const k2 = `${key}-b`;
  const needs0 = needs();
  assertError(await county.post('/api/v1/relief/grants', grant(q, { pay_first: true, request_key: k2 })), 409, 'reserve_insufficient', 'amount_fen');
  assert.equal(needs(), needs0 + 1);
  const refusedAgain = await county.post('/api/v1/relief/grants', grant(q, { pay_first: true, request_key: k2 }));
  assertError(refusedAgain, 409, 'reserve_insufficient', 'amount_fen');
  assert.match(refusedAgain.json.error.message, /未重复登记/);
  assert.equal(needs(), needs0 + 1, 'no second replenishment need');
});

test('every write left its audit row and the chain is intact', () => {
  const actions = sqlite(srv.dbPath, "SELECT DISTINCT action FROM audit_log WHERE action LIKE 'relief.%' ORDER BY 1;").trim().split('\n');
  for (const a of ['relief.apply', 'relief.approve', 'relief.decision', 'relief.papers', 'relief.pay', 'relief.deliver', 'relief.reserve_move', 'relief.reserve_refused']) {
    assert.ok(actions.includes(a), `${a} in ${actions.join(' ')}`);
  }
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});
