// assistance.test.mjs — docs/api.md "Assistance cases": a 低保 application from start to approval
// as township_370704008 and county_370704 (investigation, village appraisal, a 7-day public
// notice, approval from the next month with the amount the rules give), approval before the
// notice has run its full length (409 notice_running), objections, the printable notice board,
// out-of-scope cases (404), the read-only leader (403 on every write), the lists (due reviews,
// held exits) and the city's epidemic periods; the audit chain stays intact.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId, todayShanghai } from '../lib/http.mjs';
import { auditVerify, sqlite, startServer } from '../lib/server.mjs';

const VILLAGE = '370704008231'; // 太保庄街道 栾家山后村 (managed by 峡山区, unit 370791)
let srv, admin, county, town, leader, otherTown, otherCounty;

/** Today (Asia/Shanghai) plus n days, "YYYY-MM-DD". */
function dayPlus(n) {
  const [y, m, d] = todayShanghai().split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

/** This month plus n, "YYYY-MM". */
function monthPlus(n) {
  const [y, m] = todayShanghai().split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

let serial = 0;
/** An urban household in the township: head (born 1975, wage 200.00) and a child (born 2012). */
async function household(client = town, village = VILLAGE) {
  serial++;
  const r = await client.post('/api/v1/households', {
    region_code: village,
    address: `救助测试 ${serial} 号`,
    residence_type: 'urban',
    members: [
      { id_number: makeId({ birth: '19750301' }), name: `申请人${serial}`, relation: 'head', income_items: [{ type: 'wage', amount_fen: 20000 }] },
      { id_number: makeId({ birth: '20120601' }), name: `子女${serial}`, relation: 'child' },
    ],
  });
  return assertStatus(r, 201, 'household');
}

const BANK = { bank_name: '潍坊农村商业银行', bank_account: '6228 4800 1234 5678 901' };

/** A 低保 case brought to public notice as the township, the notice starting noticeStart. */
async function toNotice(noticeStart) {
  const h = await household();
  let c = assertStatus(await town.post('/api/v1/assistance/cases', { program: 'dibao', household_id: h.id, applied_on: dayPlus(-20), ...BANK }), 201, 'apply');
  c = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/investigate`, { date: dayPlus(-18), result: 'eligible', people: '民政助理 王', text: '入户核查属实' }), 200, 'investigate');
  c = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/appraise`, { date: dayPlus(-15), result: 'agree', attendees: 9, votes_for: 9 }), 200, 'appraise');
  c = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/notice`, { date: noticeStart, place: '村务公开栏' }), 200, 'notice');
  return { h, c };
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  town = await srv.login('township_370704008');
  leader = await srv.login('leader');
  otherTown = await srv.login('township_370704009');
  otherCounty = await srv.login('county_370705');
});

after(async () => {
  await srv?.stop();
});

test('a 低保 application goes from the township through the notice to county approval, paid from next month', async () => {
  const h = await household();
  let c = assertStatus(await town.post('/api/v1/assistance/cases', { program: 'dibao', household_id: h.id, applied_on: dayPlus(-20), ...BANK }), 201);
  assert.equal(c.status, 'applied');
  assert.equal(c.program, 'dibao');
  assert.equal(c.region_code, VILLAGE);
  assert.equal(c.unit_code, '370791');
  assert.equal(c.bank_account, '****8901', 'bank accounts leave the server masked');
  assert.match(c.id_number, /^\d{6}\*{8}[\dX]{4}$/, 'ID numbers masked');
  assert.deepEqual(c.next_steps, ['investigate']);
  assert.equal(c.steps.length, 1);
  assert.equal(c.steps[0].step, 'apply');
  assert.equal(c.steps[0].record.members.length, 2, 'the application records the members and their incomes');
  assert.equal(c.steps[0].record.total_income_fen, 20000);
  // preview of the first month: 2 × 710.00 − 200.00 + the child's 10 % = 1,291.00
  assert.equal(c.month.preview, true);
  assert.equal(c.month.amount_fen, 129100);

  c = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/investigate`, { date: dayPlus(-18), result: 'eligible', text: '入户核查属实' }), 200);
  assert.equal(c.status, 'investigated');
  c = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/appraise`, { date: dayPlus(-15), result: 'agree', attendees: 9, votes_for: 8 }), 200);
  assert.equal(c.status, 'appraised');
  c = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/notice`, { date: dayPlus(-10), place: '村务公开栏' }), 200);
  assert.equal(c.status, 'notice');
  assert.equal(c.notice_start, dayPlus(-10));
  assert.equal(c.notice_end, dayPlus(-4), '7 days counting the first');
  // the township cannot decide: 403; the county can
  assertError(await town.post(`/api/v1/assistance/cases/${c.id}/approve`, {}), 403, 'forbidden');
  c = assertStatus(await county.post(`/api/v1/assistance/cases/${c.id}/approve`, { text: '同意纳入' }), 200);
  assert.equal(c.status, 'active');
  assert.equal(c.start_month, monthPlus(1));
  assert.equal(c.monthly_amount_fen, 129100);
  assert.equal(c.next_review_month, monthPlus(12));
  assert.deepEqual(c.steps.map((s) => s.step), ['apply', 'investigate', 'appraise', 'notice', 'approve']);
  assert.ok(c.next_steps.includes('suspend') && c.next_steps.includes('terminate'));

  // in the lists: the township's queue by stage and status
  const on = assertStatus(await town.get('/api/v1/assistance/cases?stage=on_roll&limit=200'), 200);
  assert.ok(on.items.some((x) => x.id === c.id));
  const pend = assertStatus(await town.get('/api/v1/assistance/cases?stage=pending&limit=200'), 200);
  assert.ok(!pend.items.some((x) => x.id === c.id));
  for (const x of on.items) assert.ok(x.region_code.startsWith('370704008'));
  // every write audited, the chain intact
  const n = Number(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE object = 'assistance_case:${c.id}';`).trim());
  assert.equal(n, 5);
  auditVerify(srv.dbPath);
});

test('approval before the notice has run its full length is 409 notice_running and changes nothing', async () => {
  const { c } = await toNotice(dayPlus(-6)); // runs −6 … today
  const r = await county.post(`/api/v1/assistance/cases/${c.id}/approve`, {});
  assertError(r, 409, 'notice_running');
  assert.match(r.json.error.message, /公示/);
  const still = assertStatus(await county.get(`/api/v1/assistance/cases/${c.id}`), 200);
  assert.equal(still.status, 'notice');
  const { c: today } = await toNotice(dayPlus(0));
  assertError(await county.post(`/api/v1/assistance/cases/${today.id}/approve`, {}), 409, 'notice_running');
  const { c: done } = await toNotice(dayPlus(-7)); // ended yesterday
  assert.equal(assertStatus(await county.post(`/api/v1/assistance/cases/${done.id}/approve`, {}), 200).status, 'active');
});

test('objections are recorded during the notice and block approval until settled', async () => {
  const { c } = await toNotice(dayPlus(-9));
  let d = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/objections`, { content: '群众反映该户有营运车辆' }), 201);
  assert.equal(d.objections.length, 1);
  assertError(await county.post(`/api/v1/assistance/cases/${c.id}/approve`, {}), 409, 'objection_open');
  assertError(await town.post(`/api/v1/assistance/cases/${c.id}/objections/resolve`, { objection_id: d.objections[0].id }), 400, 'required', 'resolution');
  d = assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/objections/resolve`, { objection_id: d.objections[0].id, resolution: '经核实车辆已过户' }), 200);
  assert.equal(d.objections[0].resolution, '经核实车辆已过户');
  assertStatus(await county.post(`/api/v1/assistance/cases/${c.id}/approve`, {}), 200);
});

test('the notice board of a village lists names with masked ID numbers and the proposed amounts', async () => {
  const { c } = await toNotice(dayPlus(-2));
  const b = assertStatus(await town.get(`/api/v1/assistance/notices/${VILLAGE}`), 200);
  assert.equal(b.region_code, VILLAGE);
  assert.match(b.region_name, /村/);
  assert.equal(b.township_name, '太保庄街道');
  const it = b.items.find((x) => x.case_id === c.id);
  assert.ok(it, 'the case under notice is on the board');
  assert.match(it.name, /^申请人/);
  assert.match(it.id_number, /^\d{6}\*{8}[\dX]{4}$/);
  assert.equal(it.persons, 2);
  assert.equal(it.amount_fen, 129100);
  assert.equal(it.notice_end, dayPlus(4));
  const list = assertStatus(await town.get('/api/v1/assistance/notices'), 200);
  assert.ok(list.items.some((x) => x.id === c.id));
  // another township's board is not found
  assertError(await otherTown.get(`/api/v1/assistance/notices/${VILLAGE}`), 404, 'not_found');
});

test('a case outside the caller\'s scope is 404 for reads and every step, and nothing changes', async () => {
  const { c } = await toNotice(dayPlus(-9));
  for (const cl of [otherTown, otherCounty]) {
    assertError(await cl.get(`/api/v1/assistance/cases/${c.id}`), 404, 'not_found');
    for (const step of ['investigate', 'notice', 'approve', 'refuse', 'terminate', 'review']) {
      assertError(await cl.post(`/api/v1/assistance/cases/${c.id}/${step}`, { text: '越权' }), 404, 'not_found');
    }
    assertError(await cl.post(`/api/v1/assistance/cases/${c.id}/objections`, { content: '越权' }), 404, 'not_found');
  }
  const after = assertStatus(await town.get(`/api/v1/assistance/cases/${c.id}`), 200);
  assert.equal(after.status, 'notice');
  assert.equal(after.objections.length, 0);
  // an application for a household outside the scope is 404 as well
  const own = await household();
  assertError(await otherTown.post('/api/v1/assistance/cases', { program: 'dibao', household_id: own.id, ...BANK }), 404, 'not_found');
});

test('the leader reads everything and is refused every write with 403', async () => {
  const { c, h } = await toNotice(dayPlus(-9));
  assertStatus(await leader.get(`/api/v1/assistance/cases/${c.id}`), 200);
  assertStatus(await leader.get('/api/v1/assistance/cases'), 200);
  assertError(await leader.post('/api/v1/assistance/cases', { program: 'dibao', household_id: h.id, ...BANK }), 403, 'forbidden');
  for (const step of ['investigate', 'appraise', 'notice', 'objections', 'review']) {
    assertError(await leader.post(`/api/v1/assistance/cases/${c.id}/${step}`, { text: '只读' }), 403, 'forbidden');
  }
  for (const step of ['approve', 'refuse', 'suspend', 'terminate']) {
    assertError(await leader.post(`/api/v1/assistance/cases/${c.id}/${step}`, { text: '只读' }), 403, 'forbidden');
  }
  assertError(await leader.post('/api/v1/assistance/epidemic-periods', { start_month: monthPlus(1), end_month: monthPlus(2) }), 403, 'forbidden');
  assert.equal(assertStatus(await town.get(`/api/v1/assistance/cases/${c.id}`), 200).status, 'notice');
});

test('validation: unknown program, missing account, refusal without a reason', async () => {
  const h = await household();
  assertError(await town.post('/api/v1/assistance/cases', { program: 'pension', household_id: h.id, ...BANK }), 400, 'invalid_value', 'program');
  assertError(await town.post('/api/v1/assistance/cases', { program: 'dibao', household_id: h.id }), 400, 'required', 'bank_account');
  assertError(await town.post('/api/v1/assistance/cases', { program: 'dibao', household_id: 'x', ...BANK }), 400, 'invalid_value', 'household_id');
  const { c } = await toNotice(dayPlus(-1));
  assertError(await county.post(`/api/v1/assistance/cases/${c.id}/refuse`, {}), 400, 'required', 'text');
  const r = assertStatus(await county.post(`/api/v1/assistance/cases/${c.id}/refuse`, { text: '家庭财产超过规定' }), 200);
  assert.equal(r.status, 'refused');
  assert.equal(r.reason, '家庭财产超过规定');
  assertError(await county.post(`/api/v1/assistance/cases/${c.id}/approve`, {}), 409, 'invalid_step');
});

test('epidemic periods: declared by the city admin only, listed for everyone; held exits and due reviews are lists in scope', async () => {
  assertError(await county.post('/api/v1/assistance/epidemic-periods', { start_month: monthPlus(1), end_month: monthPlus(2) }), 403, 'forbidden');
  assertError(await admin.post('/api/v1/assistance/epidemic-periods', { start_month: monthPlus(-1), end_month: monthPlus(2) }), 409, 'period_locked');
  const p = assertStatus(await admin.post('/api/v1/assistance/epidemic-periods', { start_month: monthPlus(1), end_month: monthPlus(2), note: '疫情防控期间暂停退出' }), 201);
  assert.equal(p.created.start_month, monthPlus(1));
  const l = assertStatus(await town.get('/api/v1/assistance/epidemic-periods'), 200);
  assert.ok(l.items.some((x) => x.id === p.created.id));
  // a household that asks to leave this month would exit next month: held until the period ends
  const { c } = await toNotice(dayPlus(-8));
  assertStatus(await county.post(`/api/v1/assistance/cases/${c.id}/approve`, {}), 200);
  const t = assertStatus(await county.post(`/api/v1/assistance/cases/${c.id}/terminate`, { cause: 'request', text: '本人申请退出' }), 200);
  assert.equal(t.status, 'terminated');
  const held = assertStatus(await town.get('/api/v1/assistance/held-exits'), 200);
  const it = held.items.find((x) => x.id === c.id);
  assert.ok(it, 'the termination is held');
  assert.equal(it.exit_month, monthPlus(1));
  assert.equal(it.held_exit_month, monthPlus(3));
  assert.equal((await otherTown.get('/api/v1/assistance/held-exits')).json.items.some((x) => x.id === c.id), false);
  const due = assertStatus(await town.get(`/api/v1/assistance/reviews-due?month=${monthPlus(12)}`), 200);
  for (const x of due.items) assert.ok(x.region_code.startsWith('370704008'));
  assertError(await town.get('/api/v1/assistance/reviews-due?month=2020-13'), 400, 'invalid_value', 'month');
});

test('job-offer refusals: recorded for a counted member of an active 低保 case, listed, and the member\'s share is withheld from the month after the third', async () => {
  serial++;
  const h = assertStatus(await town.post('/api/v1/households', {
    region_code: VILLAGE,
    address: `救助测试 ${serial} 号`,
    residence_type: 'urban',
    members: [
      { id_number: makeId({ birth: '19750301' }), name: `申请人${serial}`, relation: 'head', income_items: [{ type: 'wage', amount_fen: 20000 }] },
      { id_number: makeId({ birth: '19800501' }), name: `配偶${serial}`, relation: 'spouse' },
      { id_number: makeId({ birth: '20120601' }), name: `子女${serial}`, relation: 'child' },
    ],
  }), 201, 'household');
  const spouse = h.members.find((m) => m.relation === 'spouse');
  const child = h.members.find((m) => m.relation === 'child');
  let c = assertStatus(await town.post('/api/v1/assistance/cases', { program: 'dibao', household_id: h.id, applied_on: dayPlus(-20), ...BANK }), 201);
  const url = `/api/v1/assistance/cases/${c.id}/job-refusals`;
  // not yet on the roll: 409
  assertError(await town.post(url, { person_id: spouse.id, offer: '保洁员' }), 409, 'invalid_step');
  assert.ok(!c.next_steps.includes('job_refusal'));
  assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/investigate`, { date: dayPlus(-18), result: 'eligible', text: '入户核查属实' }), 200);
  assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/appraise`, { date: dayPlus(-15), result: 'agree' }), 200);
  assertStatus(await town.post(`/api/v1/assistance/cases/${c.id}/notice`, { date: dayPlus(-10) }), 200);
  c = assertStatus(await county.post(`/api/v1/assistance/cases/${c.id}/approve`, {}), 200);
  // 3 × 710.00 − 200.00 = 1,930.00; the child's 10 % = 71.00
  assert.equal(c.monthly_amount_fen, 200100);
  assert.ok(c.next_steps.includes('job_refusal'));
  assert.deepEqual(c.job_refusals, []);

  let d = assertStatus(await town.post(url, { person_id: spouse.id, date: dayPlus(-2), offer: '社区保洁员，月薪 1,800 元' }), 201);
  assert.equal(d.job_refusals.length, 1);
  const r0 = d.job_refusals[0];
  assert.equal(r0.person_id, spouse.id);
  assert.equal(r0.name, `配偶${serial}`);
  assert.equal(r0.date, dayPlus(-2));
  assert.equal(r0.offer, '社区保洁员，月薪 1,800 元');
  assert.equal(r0.by, 'township_370704008');
  assert.equal(r0.counts_from, monthPlus(1), 'counts from the month after it was recorded');
  assert.equal(r0.counts_until, dayPlus(-2).slice(0, 7) === monthPlus(0) ? monthPlus(12) : monthPlus(11));
  assertStatus(await town.post(url, { person_id: spouse.id, date: dayPlus(-1), offer: '超市理货员' }), 201);
  d = assertStatus(await county.post(url, { person_id: spouse.id, offer: '物业门卫' }), 201); // date: today
  assert.deepEqual(d.job_refusals.map((x) => x.offer), ['社区保洁员，月薪 1,800 元', '超市理货员', '物业门卫']);
  // the page shows the first month paid (next month): the spouse's share of the gap withheld,
  // 1,930.00 × 2 ÷ 3 = 1,286.666… → 1,286.67, plus the child's 71.00
  assert.equal(d.month.month, monthPlus(1));
  assert.equal(d.month.amount_fen, 135767);
  assert.equal(d.month.dibao.refusing_members, 1);
  assert.equal(d.month.dibao.gap_withheld_fen, 64333);
  const m = d.month.members.find((x) => x.person_id === spouse.id);
  assert.equal(m.job_refusals, 3);
  assert.equal(m.work_refused, true);
  assert.equal(m.counted, true, 'still counted: only the share is withheld');

  // the same refusal twice, a member of another household, a child, bad input
  assertError(await town.post(url, { person_id: spouse.id, date: dayPlus(-1), offer: '超市理货员' }), 409, 'duplicate_refusal');
  const other = await household();
  assertError(await town.post(url, { person_id: other.head_person_id, offer: '保洁员' }), 400, 'invalid_value', 'person_id');
  assertError(await town.post(url, { person_id: 99999999, offer: '保洁员' }), 400, 'invalid_value', 'person_id');
  assertError(await town.post(url, { person_id: child.id, offer: '保洁员' }), 409, 'not_able_to_work');
  assertError(await town.post(url, { person_id: spouse.id }), 400, 'required', 'offer');
  assertError(await town.post(url, { offer: '保洁员' }), 400, 'required', 'person_id');
  assertError(await town.post(url, { person_id: spouse.id, offer: '保洁员', date: dayPlus(1) }), 400, 'invalid_value', 'date');
  assertError(await town.post(url, { person_id: 'x', offer: '保洁员' }), 400, 'invalid_value', 'person_id');
  // out of scope: 404 whatever the body; the read-only leader: 403
  for (const cl of [otherTown, otherCounty]) assertError(await cl.post(url, { person_id: spouse.id, offer: '越权' }), 404, 'not_found');
  assertError(await leader.post(url, { person_id: spouse.id, offer: '只读' }), 403, 'forbidden');
  assert.ok(!assertStatus(await leader.get(`/api/v1/assistance/cases/${c.id}`), 200).next_steps.includes('job_refusal'));
  // three rows, three audit rows, the chain intact
  assert.equal(assertStatus(await town.get(`/api/v1/assistance/cases/${c.id}`), 200).job_refusals.length, 3);
  const n = Number(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE object = 'assistance_case:${c.id}' AND action = 'assistance.job_refusal';`).trim());
  assert.equal(n, 3);
  auditVerify(srv.dbPath);
});
