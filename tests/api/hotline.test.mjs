// hotline.test.mjs — docs/api.md "Hotlines and cases" over HTTP: a call on the child-protection
// line that opens a case in one request, the case from assessment through temporary care to
// closure (and the refusals on the way), call records never edited (corrections, callbacks),
// masked personal data and audited unmasking, scope and permissions, temporary assistance
// applied for through the relief module, the task queue, the county overview, lines, the CLI.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId, makePhone, todayShanghai } from '../lib/http.mjs';
import { auditVerify, cliOk, sqlite, startServer } from '../lib/server.mjs';

const VILLAGE = '370704008231'; // 栾家山后村, 坊子区 territory
const OTHER_VILLAGE_COUNTY = '370705'; // 奎文区

let srv, admin, op, county, other, town;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  op = await srv.login('hotline'); // hotline_operator, scope 3707, no registry.unmask
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  town = await srv.login('township_370704008');
});

after(async () => {
  await srv?.stop();
});

/** A child's birth date `years` years ago (1 March). */
function born(years) {
  return `${Number(todayShanghai().slice(0, 4)) - years}-03-01`;
}

let serial = 0;
/** A household in `village` with a head (the guardian) and a child of `age`: {household, guardian, child}. */
async function family(village = VILLAGE, age = 8) {
  serial++;
  const hh = assertStatus(await admin.post('/api/v1/households', {
    region_code: village,
    address: `热线测试 ${serial} 号`,
    residence_type: 'rural',
    phone: makePhone(),
    members: [
      { id_number: makeId({ birth: born(36) }), name: `监护人${serial}`, relation: 'head', phone: makePhone() },
      { id_number: makeId({ birth: born(age) }), name: `小童${serial}`, relation: 'child' },
    ],
  }), 201, 'a household');
  return { household: hh, guardian: hh.members.find((m) => m.relation === 'head'), child: hh.members.find((m) => m.relation === 'child') };
}

function childCall(f, extra = {}) {
  return {
    line_code: 'child',
    duration_seconds: 300,
    caller_name: '李邻居',
    caller_phone: '139 0536 1234',
    region_code: f.child.region_code,
    category: 'child_care',
    description: '邻居家父母都被集中隔离了，孩子一个人在家',
    urgency: 'emergency',
    outcome: 'case_opened',
    case: { subject_person_id: f.child.id, guardian_person_id: f.guardian.id, guardian_situation: 'isolated', guardian_note: '父母均在集中隔离点' },
    ...extra,
  };
}

/** Minutes from ISO a to ISO b. */
const minutes = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 60000);

test('a call on the child-protection line opens its case in one request, due 30 minutes later', async () => {
  const f = await family();
  const call = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f)), 201, 'call');
  assert.ok(call.case_id > 0);
  assert.equal(call.line_kind, 'child_protection');
  assert.equal(call.caller_phone, '139****1234', 'masked in the answer');
  assert.equal(call.masked, true);
  assert.equal(call.operator, 'hotline');
  const c = assertStatus(await county.get(`/api/v1/hotline/cases/${call.case_id}`), 200, 'the county sees it');
  assert.equal(c.status, 'intake');
  assert.equal(c.kind, 'child_protection');
  assert.equal(c.call_id, call.id);
  assert.equal(c.subject_name, f.child.name, 'the name from the registry');
  assert.equal(c.region_code, VILLAGE);
  assert.match(c.subject_id_number, /^\d{6}\*{8}\d{3}[\dX]$/);
  assert.equal(c.care_arrangement, 'none');
  // policy demo value hotline_child_response_minutes_emergency = 30
  assert.equal(minutes(c.opened_at, c.assess_due), 30);
  assert.deepEqual(c.next_steps, ['assess', 'assign']);
  assert.equal(c.steps.length, 1);
  assert.equal(c.steps[0].step, 'open');
  assert.equal(c.steps[0].by, 'hotline');
  assert.equal(c.steps[0].record.response_minutes, 30);
});

test('the story: assessment, plan, temporary care, follow-up, the guardian back, closure', async () => {
  const f = await family();
  const call = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f)), 201);
  const id = call.case_id;
  const path = (s) => `/api/v1/hotline/cases/${id}/${s}`;
  // nothing before the assessment
  assertError(await county.post(path('place'), { kind: 'relatives', place_name: '祖父母家' }), 409, 'invalid_step');
  let c = assertStatus(await county.post(path('assess'), { risk: 'high', findings: '入户核实：孩子独自在家，无人做饭', guardian_situation: 'isolated' }), 200, 'assess');
  assert.equal(c.status, 'assessed');
  assert.equal(c.in_scope, true);
  assert.equal(c.steps.at(-1).record.on_time, true);
  c = assertStatus(await county.post(path('plan'), { plan: '送往儿童福利院临时照料，每 3 天回访，父母解除隔离后接回' }), 200, 'plan');
  assert.equal(c.status, 'active');
  assert.equal(c.followup_days, 3, 'hotline_child_followup_days');
  const today = todayShanghai();
  const [y, m, d] = today.split('-').map(Number);
  assert.equal(c.next_followup_due, new Date(Date.UTC(y, m - 1, d + 3)).toISOString().slice(0, 10));
  c = assertStatus(await county.post(path('place'), { kind: 'institution', institution_id: 1, place_name: '潍坊市儿童福利院', carer_name: '张老师' }), 200, 'temporary care');
  const placementId = c.placement_id;
  assert.ok(placementId > 0);
  assert.equal(c.care_arrangement, 'institution');
  assert.equal(c.open_placements, 1);
  assert.deepEqual(c.placements.map((p) => [p.kind, p.institution_id, p.start_date, p.open]), [['institution', 1, today, true]]);
  // the child is in care: no closure yet, and the reason says so
  const err = assertError(await county.post(path('close'), { outcome: 'guardian_resumed' }), 409, 'placement_open');
  assert.match(err.message, /临时照料/);
  c = assertStatus(await county.post(path('followup'), { kind: 'phone', note: '孩子在福利院情绪稳定' }), 200, 'follow-up');
  c = assertStatus(await county.post(path('place-end'), { placement_id: placementId, note: '父母解除隔离，接回家中' }), 200, 'care ends');
  assert.equal(c.care_arrangement, 'guardian');
  assert.equal(c.open_placements, 0);
  c = assertStatus(await county.post(path('close'), { outcome: 'guardian_resumed', note: '监护人恢复监护' }), 200, 'closed');
  assert.equal(c.status, 'closed');
  assert.equal(c.outcome, 'guardian_resumed');
  assert.equal(c.closed_by, 'county_370704');
  assert.deepEqual(c.next_steps, ['reopen']);
  assert.deepEqual(c.steps.map((s) => s.step), ['open', 'assess', 'plan', 'place', 'followup', 'place_end', 'close']);
  assert.ok(c.steps.every((s) => s.at && s.by));
  // closed: steps are refused until it is reopened
  assertError(await county.post(path('followup'), { kind: 'phone', note: 'x' }), 409, 'invalid_step');
  // the county view counts it closed today
  const ov = assertStatus(await county.get(`/api/v1/hotline/overview?from=${today}&to=${today}`), 200);
  assert.deepEqual(ov.items.map((r) => r.region_code), ['370704'], 'only its own county');
  assert.ok(ov.items[0].closed >= 1);
  assert.ok(ov.items[0].assessed_on_time >= 1);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});

test('a child whose guardian can care is out of scope: 409 with the reason, and nothing is stored', async () => {
  const f = await family();
  const before = assertStatus(await op.get('/api/v1/hotline/calls?limit=1'), 200).total;
  const body = childCall(f);
  body.case.guardian_situation = 'none';
  const err = assertError(await op.post('/api/v1/hotline/calls', body), 409, 'out_of_scope', 'case.guardian_situation');
  assert.match(err.message, /能够照料/);
  const adult = await family(VILLAGE, 19);
  assertError(await op.post('/api/v1/hotline/calls', childCall(adult)), 409, 'out_of_scope');
  // bad input names its field
  assertError(await op.post('/api/v1/hotline/calls', { ...childCall(f), caller_phone: '12345' }), 400, 'invalid_phone', 'caller_phone');
  assertError(await op.post('/api/v1/hotline/calls', { ...childCall(f), category: '' }), 400, 'required', 'category');
  assertError(await op.post('/api/v1/hotline/calls', { ...childCall(f), region_code: '3799' }), 400, 'invalid_region', 'region_code');
  assertError(await op.post('/api/v1/hotline/calls', { ...childCall(f), outcome: 'advice', advice: '' }), 400, 'required', 'advice');
  assert.equal(assertStatus(await op.get('/api/v1/hotline/calls?limit=1'), 200).total, before);
});

test('a call record is never edited: a correction is a new record; lists show the latest', async () => {
  const call = assertStatus(await op.post('/api/v1/hotline/calls', {
    line_code: 'assist', caller_name: '赵先生', caller_phone: makePhone(), region_code: '370704', category: 'relief',
    description: '咨询临时救助', urgency: 'normal', outcome: 'advice', advice: '告知到镇街民政办申请',
    callback_due: '2999-01-01T10:00',
  }), 201);
  assertError(await op.post(`/api/v1/hotline/calls/${call.id}/corrections`, { region_code: VILLAGE }), 400, 'required', 'reason');
  const fix = assertStatus(await op.post(`/api/v1/hotline/calls/${call.id}/corrections`, { region_code: VILLAGE, reason: '来电人更正所在村' }), 201);
  assert.ok(fix.id > call.id);
  assert.equal(fix.corrects_id, call.id);
  assert.equal(fix.region_code, VILLAGE);
  assert.equal(fix.caller_name, '赵先生', 'the fields not sent are copied');
  assert.equal(fix.callback_due, call.callback_due);
  assert.deepEqual(fix.versions.map((v) => [v.id, v.region_code]), [[call.id, '370704'], [fix.id, VILLAGE]]);
  const old = assertStatus(await op.get(`/api/v1/hotline/calls/${call.id}`), 200);
  assert.equal(old.region_code, '370704', 'the original is unchanged');
  assert.equal(old.corrected_by_id, fix.id);
  assertError(await op.post(`/api/v1/hotline/calls/${call.id}/corrections`, { caller_name: 'x', reason: 'y' }), 409, 'already_corrected');
  const list = assertStatus(await op.get('/api/v1/hotline/calls?q=赵先生&limit=200'), 200);
  assert.ok(list.items.some((c) => c.id === fix.id));
  assert.ok(!list.items.some((c) => c.id === call.id), 'the corrected record is not listed');
  const all = assertStatus(await op.get('/api/v1/hotline/calls?q=赵先生&all_versions=1&limit=200'), 200);
  assert.ok(all.items.some((c) => c.id === call.id));
  // the promised callback is a task of the operator until it is made
  let tasks = assertStatus(await op.get('/api/v1/hotline/tasks?mine=1&limit=200'), 200);
  assert.ok(tasks.items.some((t) => t.type === 'callback' && t.call_id === fix.id));
  assertError(await op.post(`/api/v1/hotline/calls/${call.id}/callback`, { note: 'x' }), 409, 'already_corrected');
  const done = assertStatus(await op.post(`/api/v1/hotline/calls/${fix.id}/callback`, { note: '已回电告知办理地点' }), 200);
  assert.equal(done.callback_by, 'hotline');
  assertError(await op.post(`/api/v1/hotline/calls/${fix.id}/callback`, {}), 409, 'callback_done');
  tasks = assertStatus(await op.get('/api/v1/hotline/tasks?mine=1&limit=200'), 200);
  assert.ok(!tasks.items.some((t) => t.call_id === fix.id));
  // the database itself refuses to change a record
  const r = sqlite(srv.dbPath, `UPDATE hotline_calls SET caller_name = '改' WHERE id = ${call.id};`, { allowFail: true });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /never edited/);
});

test('personal data is masked; unmasking needs registry.unmask and is audited', async () => {
  const f = await family();
  const call = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f)), 201);
  assertError(await op.get(`/api/v1/hotline/cases/${call.case_id}?unmask=1`), 403, 'forbidden');
  assertError(await op.get(`/api/v1/hotline/calls/${call.id}?unmask=1`), 403, 'forbidden');
  const masked = assertStatus(await county.get(`/api/v1/hotline/cases/${call.case_id}`), 200);
  assert.match(masked.guardian_phone, /\*/);
  const full = assertStatus(await county.get(`/api/v1/hotline/cases/${call.case_id}?unmask=1`), 200);
  assert.equal(full.masked, false);
  assert.equal(full.subject_id_number, (await admin.get(`/api/v1/persons/${f.child.id}?unmask=1`)).json.id_number);
  const fullCall = assertStatus(await county.get(`/api/v1/hotline/calls/${call.id}?unmask=1`), 200);
  assert.equal(fullCall.caller_phone, '13905361234');
  const rows = sqlite(srv.dbPath, "SELECT action || ' ' || object || ' ' || user_name FROM audit_log WHERE action LIKE 'hotline_%.unmask';").trim().split('\n');
  assert.ok(rows.includes(`hotline_case.unmask hotline_case:${call.case_id} county_370704`), rows.join('\n'));
  assert.ok(rows.includes(`hotline_call.unmask hotline_call:${call.id} county_370704`), rows.join('\n'));
});

test('scope: another county gets 404 and sees nothing; townships have no hotline permission', async () => {
  const f = await family();
  const call = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f)), 201);
  assertStatus(await county.get(`/api/v1/hotline/cases/${call.case_id}`), 200);
  assertStatus(await county.get(`/api/v1/hotline/calls/${call.id}`), 200);
  assertError(await other.get(`/api/v1/hotline/cases/${call.case_id}`), 404, 'not_found');
  assertError(await other.get(`/api/v1/hotline/calls/${call.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/hotline/cases/${call.case_id}/assess`, {}), 404, 'not_found');
  for (const p of ['/api/v1/hotline/cases?limit=200', '/api/v1/hotline/calls?limit=200', '/api/v1/hotline/tasks?limit=200', '/api/v1/hotline/overview']) {
    const r = assertStatus(await other.get(p), 200, p);
    assert.ok(r.items.every((x) => x.region_code.startsWith(OTHER_VILLAGE_COUNTY)), p);
  }
  assertError(await other.get(`/api/v1/hotline/cases?region=${VILLAGE}`), 404, 'not_found');
  assertError(await town.get('/api/v1/hotline/cases'), 403, 'forbidden');
  assertError(await town.get(`/api/v1/hotline/cases/${call.case_id}`), 403, 'forbidden');
});

test('temporary assistance: county staff apply through the relief module; the operator records the need', async () => {
  const f = await family();
  const call = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f)), 201);
  const path = (s) => `/api/v1/hotline/cases/${call.case_id}/${s}`;
  assertStatus(await county.post(path('assess'), { risk: 'medium', findings: '家庭因隔离收入中断', guardian_situation: 'isolated' }), 200);
  assertStatus(await county.post(path('plan'), { plan: '申请临时救助' }), 200);
  const steps0 = (await county.get(`/api/v1/hotline/cases/${call.case_id}`)).json.steps.length;
  // the operator lacks assistance.write: the relief module refuses, nothing is recorded
  assertError(await op.post(path('resource'), { kind: 'temp_relief', note: '急难型临时救助', amount_fen: 200000, apply_relief: true, relief_cause: 'epidemic_isolation' }), 403, 'forbidden');
  assert.equal((await county.get(`/api/v1/hotline/cases/${call.case_id}`)).json.steps.length, steps0);
  let c = assertStatus(await op.post(path('resource'), { kind: 'temp_relief', note: '建议镇街给予临时救助', amount_fen: 200000 }), 200);
  assert.equal(c.steps.at(-1).record.resource_status, 'requested');
  // county staff apply: a grant for the guardian, sourced from the case
  c = assertStatus(await county.post(path('resource'), { kind: 'temp_relief', note: '急难型临时救助', amount_fen: 200000, apply_relief: true, relief_cause: 'epidemic_isolation' }), 200);
  const grantId = c.relief_grant_id;
  assert.ok(grantId > 0, JSON.stringify(c.steps.at(-1)));
  assert.equal(c.steps.at(-1).record.relief_person_id, f.guardian.id);
  const g = assertStatus(await county.get(`/api/v1/relief/grants/${grantId}`), 200, 'the grant');
  const grant = g.grant ?? g;
  assert.equal(grant.source_ref, `hotline_case:${call.case_id}`);
  assert.equal(grant.applied_by, 'hotline');
  assert.equal(grant.person_id, f.guardian.id);
  // pay first from the township's reserve, which the demo city left empty: the relief module
  // refuses and keeps the refusal as a replenishment need; the case records nothing
  const steps1 = (await county.get(`/api/v1/hotline/cases/${call.case_id}`)).json.steps.length;
  assertError(await county.post(path('resource'), { kind: 'temp_relief', note: '先行救助', amount_fen: 150000, apply_relief: true, relief_cause: 'epidemic_infection', pay_first: true }), 409, 'reserve_insufficient');
  assert.equal((await county.get(`/api/v1/hotline/cases/${call.case_id}`)).json.steps.length, steps1);
  const needs = assertStatus(await county.get('/api/v1/relief/needs?status=open'), 200);
  assert.ok(needs.items.some((n) => n.person_id === f.guardian.id && n.cause === 'epidemic_infection'), 'the need is kept');
});

test('the queue: overdue assessments and follow-ups, my own tasks, the county overview', async () => {
  const f = await family();
  const a = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f)), 201).case_id;
  const f2 = await family();
  const b = assertStatus(await op.post('/api/v1/hotline/calls', childCall(f2)), 201).case_id;
  // a's assessment was due long ago
  sqlite(srv.dbPath, `UPDATE hotline_cases SET assess_due = '2020-01-01T00:00:00+08:00' WHERE id = ${a};`);
  let t = assertStatus(await county.get('/api/v1/hotline/tasks?overdue=1&limit=200'), 200);
  assert.ok(t.items.some((x) => x.case_id === a && x.type === 'assess' && x.overdue));
  assert.ok(!t.items.some((x) => x.case_id === b));
  assert.ok(t.overdue >= 1);
  const list = assertStatus(await county.get('/api/v1/hotline/cases?stage=overdue&limit=200'), 200);
  assert.ok(list.items.some((c) => c.id === a && c.assess_overdue));
  // assigning makes it the worker's own
  assertError(await op.post(`/api/v1/hotline/cases/${b}/assign`, { username: 'township_370704008' }), 400, 'invalid_value', 'username');
  assertStatus(await op.post(`/api/v1/hotline/cases/${b}/assign`, { username: 'county_370704' }), 200);
  t = assertStatus(await county.get('/api/v1/hotline/tasks?mine=1&limit=200'), 200);
  assert.ok(t.items.some((x) => x.case_id === b && x.owner === 'county_370704'));
  assert.ok(!t.items.some((x) => x.case_id === a), 'a is still the operator\'s');
  const mine = assertStatus(await county.get('/api/v1/hotline/cases?mine=1&limit=200'), 200);
  assert.ok(mine.items.some((c) => c.id === b));
  // a follow-up falls overdue the day after it was due
  assertStatus(await county.post(`/api/v1/hotline/cases/${b}/assess`, { risk: 'low', findings: 'x', guardian_situation: 'isolated' }), 200);
  assertStatus(await county.post(`/api/v1/hotline/cases/${b}/plan`, { plan: 'x' }), 200);
  sqlite(srv.dbPath, `UPDATE hotline_cases SET next_followup_due = '2020-01-01' WHERE id = ${b};`);
  t = assertStatus(await county.get('/api/v1/hotline/tasks?overdue=1&limit=200'), 200);
  assert.ok(t.items.some((x) => x.case_id === b && x.type === 'followup'));
  const ov = assertStatus(await county.get('/api/v1/hotline/overview'), 200);
  const row = ov.items.find((r) => r.region_code === '370704');
  assert.ok(row.overdue_assess >= 1 && row.overdue_followup >= 1);
  assert.equal(row.region_name, '坊子区');
  assert.ok(ov.totals.open >= 2);
});

test('lines are data: only the city adds or changes one', async () => {
  const lines = assertStatus(await op.get('/api/v1/hotline/lines'), 200);
  assert.deepEqual(lines.items.map((l) => [l.code, l.kind]).sort(), [['assist', 'assistance'], ['child', 'child_protection']]);
  assertError(await county.post('/api/v1/hotline/lines', { code: 'elder', name: '老年人关爱热线', number: '0536-96000', kind: 'assistance' }), 403, 'forbidden');
  assertError(await admin.post('/api/v1/hotline/lines', { code: 'elder', name: '老年人关爱热线', number: '0536-96000', kind: 'old' }), 400, 'invalid_value', 'kind');
  const r = assertStatus(await admin.post('/api/v1/hotline/lines', { code: 'elder', name: '老年人关爱热线', number: '0536-96000', kind: 'assistance' }), 200);
  assert.ok(r.items.some((l) => l.code === 'elder' && l.active));
});

test('the CLI lists cases and tasks, and a purge keeps every record younger than the retention period', async () => {
  const cases = cliOk(['hotline', 'cases', '--db', srv.dbPath, '--stage', 'open']);
  assert.match(cases, /共 \d+ 件/);
  assert.match(cliOk(['hotline', 'overview', '--db', srv.dbPath]), /370704\t坊子区/);
  const before = Number(sqlite(srv.dbPath, 'SELECT count(*) FROM hotline_calls;').trim());
  const dry = cliOk(['hotline', 'purge', '--db', srv.dbPath, '--dry-run']);
  assert.match(dry, /可清理 \d+ 条/);
  // the demo's calls are from 2020: those no case refers to are past the 6 months of the demo value
  const n = Number(/已清理 (\d+) 条/.exec(cliOk(['hotline', 'purge', '--db', srv.dbPath]))[1]);
  assert.ok(n > 100, `purged ${n}`);
  const after = Number(sqlite(srv.dbPath, 'SELECT count(*) FROM hotline_calls;').trim());
  assert.equal(after, before - n);
  // what is left: every call of this run (today) and the 2020 calls that opened a case
  assert.equal(Number(sqlite(srv.dbPath, "SELECT count(*) FROM hotline_calls c WHERE c.called_at < '2021' AND NOT EXISTS (SELECT 1 FROM hotline_cases k WHERE k.call_id = coalesce(c.root_id, c.id));").trim()), 0);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
