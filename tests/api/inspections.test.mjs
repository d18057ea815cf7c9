// inspections.test.mjs — docs/api.md "Inspections and rectification", over real HTTP against a
// real server: the seeded checklist, a team and its masked phones, an inspector recording a
// visit with a failed item that becomes a rectification item, the county closing it with
// evidence and the inspector verifying it, the overdue list (deadline in the past, and as_of),
// the summary, scope (another county neither sees nor acts), refusals that change nothing, the
// CLI's view of the same data, and the audit chain.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, todayShanghai } from '../lib/http.mjs';
import { auditVerify, cli, cliOk, sqlite, startServer } from '../lib/server.mjs';

const TOWN = '370704003'; // 凤凰街道, 坊子区
const ALL_REGION_CODES = ['closed_staff_stay', 'closed_no_visitors', 'closed_residents_stay', 'closed_goods_contactless',
  'disinfection', 'temperature_log', 'goods_stock', 'emergency_plan', 'daily_report', 'duty_roster'];

let srv, admin, inspector, county, other, village;
let teamId;

function results(failing = {}) {
  return ALL_REGION_CODES.map((code) => ({ code, result: code in failing ? 'fail' : 'pass', note: failing[code] || '' }));
}

/** Days from a to b ("YYYY-MM-DD"), by UTC midnights. */
function daysBetween(a, b) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  inspector = await srv.login('inspector');
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  village = await srv.login('village_370704008231');
});

after(async () => {
  await srv?.stop();
});

test('GET /api/v1/inspection-checklist lists the seeded items: the four rules of closed management first', async () => {
  const c = assertStatus(await county.get('/api/v1/inspection-checklist'), 200);
  assert.deepEqual(c.items.map((x) => x.code), ALL_REGION_CODES);
  assert.deepEqual(c.items.slice(0, 4).map((x) => x.label),
    ['工作人员不外出', '外来人员不进入', '服务对象不外出（就医除外）', '物资网上采购、无接触交接']);
  assert.ok(c.items.every((x) => x.category && x.active === true));
  assertError(await village.get('/api/v1/inspection-checklist'), 403, 'forbidden');
});

test('an inspector sets up a team; its phones are masked and a county outside its area does not see it', async () => {
  const t = assertStatus(await inspector.post('/api/v1/inspection-teams', {
    name: '测试督导组',
    region_code: '3707',
    areas: ['370704'],
    area: '坊子区',
    members: [{ name: '王强', role: 'leader', title: '科长', phone: '13800000001' }, { name: '赵敏', phone: '0536-8123456' }],
  }), 201);
  teamId = t.id;
  assert.equal(t.masked, true);
  assert.deepEqual(t.members.map((m) => m.phone), ['138****0001', '0536-*****56']);
  assert.deepEqual(t.areas, [{ code: '370704', name: '坊子区' }]);
  assertStatus(await county.get(`/api/v1/inspection-teams/${teamId}`), 200);
  assertError(await other.get(`/api/v1/inspection-teams/${teamId}`), 404, 'not_found');
  const list = assertStatus(await other.get('/api/v1/inspection-teams'), 200);
  assert.ok(!list.items.some((x) => x.id === teamId));
  // unmasking needs registry.unmask: the inspector role has not got it; the city admin has
  assertError(await inspector.get(`/api/v1/inspection-teams/${teamId}?unmask=1`), 403, 'forbidden');
  const full = assertStatus(await admin.get(`/api/v1/inspection-teams/${teamId}?unmask=1`), 200);
  assert.equal(full.members[0].phone, '13800000001');
  assert.equal(full.masked, false);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'inspection.team.unmask';").trim(), '1', 'the unmasked read is audited');
  // county staff cannot change the city's team
  assertError(await county.patch(`/api/v1/inspection-teams/${teamId}`, { name: '改名' }), 403, 'forbidden');
  // a duplicate name
  assertError(await inspector.post('/api/v1/inspection-teams', { name: '测试督导组', region_code: '3707', areas: ['370705'] }), 409, 'conflict');
});

let rectId;

test('the inspector records a visit: the failed item becomes a rectification item of the township', async () => {
  const v = assertStatus(await inspector.post('/api/v1/inspections', {
    team_id: teamId,
    target_kind: 'region',
    region_code: TOWN,
    visited_on: '2020-03-02',
    inspectors: '王强、赵敏',
    summary: '抽查街道封闭管理落实情况',
    results: results({ closed_no_visitors: '门岗登记不全' }),
    findings: [{ code: 'closed_no_visitors', description: '门岗无外来人员登记', requirement: '设立登记簿并专人值守', deadline: '2020-03-09' }],
  }), 201);
  assert.equal(v.team_name, '测试督导组');
  assert.equal(v.target_name, '凤凰街道');
  assert.deepEqual(v.counts, { pass: 9, fail: 1, na: 0, findings: 1, items: 1, open_items: 1 });
  assert.equal(v.results.length, 10);
  assert.equal(v.rectifications.length, 1);
  const r = v.rectifications[0];
  rectId = r.id;
  assert.equal(r.status, 'open');
  assert.equal(r.region_code, TOWN);
  assert.equal(r.owner_name, '凤凰街道');
  assert.equal(r.requirement, '设立登记簿并专人值守');
  assert.equal(r.deadline, '2020-03-09');
  assert.equal(r.inspector_region, '3707');
  // the county sees the visit and the item
  assertStatus(await county.get(`/api/v1/inspections/${v.id}`), 200);
  const mine = assertStatus(await county.get(`/api/v1/rectifications?inspection_id=${v.id}`), 200);
  assert.deepEqual(mine.items.map((x) => x.id), [rectId]);
});

test('another county gets 404 for the visit and the item, cannot act on it, and never lists it', async () => {
  const before = assertStatus(await admin.get(`/api/v1/rectifications/${rectId}`), 200);
  assertError(await other.get(`/api/v1/rectifications/${rectId}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/rectifications/${rectId}/submit`, { text: '越权提交' }), 404, 'not_found');
  assertError(await other.get(`/api/v1/inspections/${before.inspection_id}`), 404, 'not_found');
  for (const path of ['/api/v1/rectifications?limit=500', '/api/v1/rectifications/overdue?limit=500', '/api/v1/inspections?limit=500']) {
    const l = assertStatus(await other.get(path), 200);
    assert.ok(l.items.every((x) => x.region_code.startsWith('370705')), path);
    assert.ok(!l.items.some((x) => x.id === rectId && path.includes('rectif')), path);
  }
  assertError(await other.get('/api/v1/rectifications?region=370704'), 403, 'out_of_scope');
  assert.deepEqual(assertStatus(await admin.get(`/api/v1/rectifications/${rectId}`), 200), before, 'nothing changed');
});

test('the county closes the item with evidence; only the inspecting side verifies it', async () => {
  assertError(await inspector.post(`/api/v1/rectifications/${rectId}/verify`, {}), 409, 'invalid_step');
  assertStatus(await county.post(`/api/v1/rectifications/${rectId}/start`, { on: '2020-03-03' }), 200);
  assertError(await county.post(`/api/v1/rectifications/${rectId}/submit`, { on: '2020-03-05' }), 400, 'required', 'text');
  const s = assertStatus(await county.post(`/api/v1/rectifications/${rectId}/submit`, {
    on: '2020-03-05', text: '已设立登记簿，门岗 24 小时专人值守，附照片',
  }), 200);
  assert.equal(s.status, 'submitted');
  assert.equal(s.submitted_by, 'county_370704');
  assert.equal(s.overdue, false, 'a submission stops the clock');
  assertError(await county.post(`/api/v1/rectifications/${rectId}/verify`, { on: '2020-03-06' }), 403, 'forbidden');
  const v = assertStatus(await inspector.post(`/api/v1/rectifications/${rectId}/verify`, { on: '2020-03-06', text: '复查合格' }), 200);
  assert.equal(v.status, 'verified');
  assert.equal(v.verified_by, 'inspector');
  assert.equal(v.closed_late, false);
  assert.deepEqual(v.events.map((e) => [e.action, e.to_status]),
    [['create', 'open'], ['start', 'in_progress'], ['submit', 'submitted'], ['verify', 'verified']]);
  assert.equal(v.events[2].note, '已设立登记簿，门岗 24 小时专人值守，附照片');
});

test('an item whose deadline has passed is on the county\'s overdue list, with its days counted', async () => {
  const v = assertStatus(await inspector.post('/api/v1/inspections', {
    team_id: teamId, region_code: TOWN, visited_on: '2020-03-01',
    results: results({ goods_stock: '口罩储备不足' }),
    findings: [{ code: 'goods_stock', description: '口罩储备不足 3 天', deadline: '2020-03-05' }],
  }), 201);
  const id = v.rectifications[0].id;
  const today = todayShanghai();
  const od = assertStatus(await county.get('/api/v1/rectifications/overdue?limit=500'), 200);
  assert.equal(od.as_of, today);
  const row = od.items.find((x) => x.id === id);
  assert.ok(row, 'listed');
  assert.equal(row.overdue, true);
  assert.equal(row.days_overdue, daysBetween('2020-03-05', today));
  const deadlines = od.items.map((x) => x.deadline);
  assert.deepEqual([...deadlines].sort(), deadlines, 'oldest deadline first');
  // as of the deadline day it is not yet overdue; the day after it is, by one day
  let l = assertStatus(await county.get(`/api/v1/rectifications/overdue?as_of=2020-03-05&region=${TOWN}`), 200);
  assert.ok(!l.items.some((x) => x.id === id));
  l = assertStatus(await county.get(`/api/v1/rectifications/overdue?as_of=2020-03-06&region=${TOWN}`), 200);
  assert.equal(l.items.find((x) => x.id === id).days_overdue, 1);
  // ?overdue=1 on the general list is the same list
  const same = assertStatus(await county.get(`/api/v1/rectifications?overdue=1&as_of=2020-03-06&region=${TOWN}`), 200);
  assert.deepEqual(same.items.map((x) => x.id), l.items.map((x) => x.id));
  // the other county: never
  const o = assertStatus(await other.get('/api/v1/rectifications/overdue?limit=500'), 200);
  assert.ok(!o.items.some((x) => x.id === id));
  // the summary counts it
  const s = assertStatus(await county.get(`/api/v1/rectifications/summary?region=${TOWN}`), 200);
  assert.equal(s.total, 2);
  assert.equal(s.by_status.verified, 1);
  assert.equal(s.by_status.open, 1);
  assert.equal(s.overdue, 1);
  assert.deepEqual(s.units.map((u) => [u.unit_code, u.total, u.overdue]), [['370704', 2, 1]]);
  // the CLI sees the same item overdue
  const out = cliOk(['inspections', 'items', '--db', srv.dbPath, '--overdue', '--region', TOWN]);
  assert.match(out, new RegExp(`^${id}\\topen\\t2020-03-05\\t${daysBetween('2020-03-05', today)}\\t凤凰街道`, 'm'));
});

test('bad input is refused with a field and changes nothing', async () => {
  const before = assertStatus(await admin.get('/api/v1/inspections?limit=1'), 200).total;
  const r = results();
  assertError(await inspector.post('/api/v1/inspections', { team_id: teamId, region_code: TOWN, results: r.slice(0, 9) }), 400, 'checklist_incomplete', 'results');
  assertError(await inspector.post('/api/v1/inspections', { team_id: teamId, region_code: TOWN, results: r, visited_on: '2999-01-01' }), 400, 'invalid_value', 'visited_on');
  assertError(await inspector.post('/api/v1/inspections', { team_id: teamId, region_code: '999999', results: r }), 400, 'invalid_region', 'region_code');
  assertError(await inspector.post('/api/v1/inspections', {
    team_id: teamId, region_code: TOWN, results: r, findings: [{ code: 'disinfection', description: '对已判符合的项目提问题' }],
  }), 400, 'invalid_value', 'findings[0].item_id');
  assertError(await inspector.post('/api/v1/inspections', { team_id: teamId, region_code: TOWN, results: [{ code: 'disinfection', result: 'maybe' }] }), 400, 'invalid_value', 'results[0].result');
  assertError(await inspector.post('/api/v1/inspections', 'not an object'), 400, 'invalid_json');
  // the county may not record for the city's team; a village worker may not record at all
  assertError(await county.post('/api/v1/inspections', { team_id: teamId, region_code: TOWN, results: r }), 403, 'forbidden', 'team_id');
  assertError(await village.post('/api/v1/inspections', { region_code: TOWN, results: r }), 403, 'forbidden');
  assertError(await village.get('/api/v1/inspections'), 403, 'forbidden');
  assert.equal(assertStatus(await admin.get('/api/v1/inspections?limit=1'), 200).total, before);
});

test('nobody verifies their own submission (409 same_person); a colleague may', async () => {
  const v = assertStatus(await admin.post('/api/v1/inspections', {
    team_id: teamId, region_code: TOWN, visited_on: '2020-03-10', results: results({ emergency_plan: '未演练' }),
  }), 201);
  const id = v.rectifications[0].id;
  // no finding given: one was made from the note, with the default deadline (7 days)
  assert.equal(v.findings[0].description, '有应急预案、隔离观察室并已演练：未演练');
  assert.equal(v.rectifications[0].deadline, '2020-03-17');
  assertStatus(await admin.post(`/api/v1/rectifications/${id}/submit`, { on: '2020-03-12', text: '已组织演练' }), 200);
  assertError(await admin.post(`/api/v1/rectifications/${id}/verify`, { on: '2020-03-13' }), 409, 'same_person');
  const back = assertStatus(await inspector.post(`/api/v1/rectifications/${id}/reject`, { on: '2020-03-13', text: '缺演练记录', deadline: '2020-03-20' }), 200);
  assert.equal(back.status, 'reopened');
  assert.equal(back.deadline, '2020-03-20');
  assert.equal(back.reopened_count, 1);
  assertError(await inspector.post(`/api/v1/rectifications/${id}/extend`, { on: '2020-03-14', text: '延期', deadline: '2020-03-19' }), 400, 'invalid_value', 'deadline');
});

test('the audit chain is intact and holds the inspection records and actions', () => {
  const a = auditVerify(srv.dbPath);
  assert.equal(a.status, 0, a.out);
  const r = cli(['inspections', 'show', '--db', srv.dbPath, '--id', '999999']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /督导检查记录不存在/);
});
