// staff.test.mjs — deployments of the bureau's staff over real HTTP (docs/orgs.md, "干部下沉"):
// recording deployments, who is deployed on a day, the distinct counts (a person with repeated
// or overlapping deployments counts once), ending a deployment (once), refused input, scope
// (another county: 404; a post outside: 403 out_of_scope), permission (a township assistant:
// 403), masking and the audited unmask, the export, the CLI and the demo's 5 / 227.
//
// This file's deployments are dated in 2021 so that the summary of that year counts only them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cliOk, sqlite, startServer } from '../lib/server.mjs';

let srv, county, other, township;

before(async () => {
  srv = await startServer();
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  township = await srv.login('township_370704008');
});

after(async () => {
  await srv?.stop();
});

const dep = (extra) => ({
  staff_no: 'T-001', name: '周测试', phone: '13812340001', from_unit: '坊子区民政局',
  post: '太保庄街道疫情防控卡口', region_code: '370704008', type: 'front_line',
  start_date: '2021-02-01', end_date: '2021-02-28', ...extra,
});

test('repeated and overlapping deployments of one person count once; who is on duty on a day', async () => {
  const a = assertStatus(await county.post('/api/v1/staff/deployments', dep()), 201, 'first');
  assert.equal(a.name, '周**');
  assert.equal(a.phone, '138****0001');
  assert.equal(a.days, 28);
  assert.equal(a.type_label, '下沉一线');
  assertStatus(await county.post('/api/v1/staff/deployments', dep({ start_date: '2021-02-20', end_date: '2021-03-15' })), 201, 'overlapping');
  assertStatus(await county.post('/api/v1/staff/deployments', dep({ staff_no: 'T-002', name: '吴测试', start_date: '2021-03-01', end_date: '' })), 201, 'open-ended');
  assertStatus(await county.post('/api/v1/staff/deployments', dep({ staff_no: 'T-003', name: '郑测试', type: 'seconded', post: '区督导组', region_code: '370704', start_date: '2021-01-10', end_date: '2021-01-31' })), 201);
  const s = assertStatus(await county.get('/api/v1/staff/summary?from=2021-01-01&to=2021-12-31'), 200);
  assert.deepEqual(s, { from: '2021-01-01', to: '2021-12-31', seconded: 1, front_line: 2 });
  const feb = assertStatus(await county.get('/api/v1/staff/summary?from=2021-02-01&to=2021-02-28'), 200);
  assert.deepEqual([feb.seconded, feb.front_line], [0, 1]);
  const on = assertStatus(await county.get('/api/v1/staff/deployments?on=2021-02-25'), 200);
  assert.equal(on.total, 2); // T-001 twice
  assert.ok(on.items.every((d) => d.staff_no === 'T-001'));
  const un = assertStatus(await county.get(`/api/v1/staff/deployments/${a.id}?unmask=1`), 200);
  assert.equal(un.name, '周测试');
  assert.equal(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = 'staff.unmask' AND object = 'staff_deployment:${a.id}'`).trim(), '1');
});

test('ending a deployment once; scope and permission', async () => {
  const d = assertStatus(await county.post('/api/v1/staff/deployments', dep({ staff_no: 'T-010', start_date: '2021-04-01', end_date: '' })), 201);
  assertError(await other.post(`/api/v1/staff/deployments/${d.id}/end`, { end_date: '2021-04-20' }), 404, 'not_found');
  assertError(await county.post(`/api/v1/staff/deployments/${d.id}/end`, { end_date: '2021-03-20' }), 400, 'invalid_value', 'end_date');
  const ended = assertStatus(await county.post(`/api/v1/staff/deployments/${d.id}/end`, { end_date: '2021-04-20' }), 200);
  assert.equal(ended.end_date, '2021-04-20');
  assertError(await county.post(`/api/v1/staff/deployments/${d.id}/end`, { end_date: '2021-04-21' }), 409, 'already_ended');
  assertError(await other.get(`/api/v1/staff/deployments/${d.id}`), 404, 'not_found');
  assertError(await township.get('/api/v1/staff/deployments'), 403, 'forbidden');
  assertError(await township.get(`/api/v1/staff/deployments/${d.id}`), 404, 'not_found');
  assertError(await county.post('/api/v1/staff/deployments', dep({ region_code: '370705001' })), 403, 'out_of_scope', 'region_code');
});

test('refused input changes nothing', async () => {
  const before = sqlite(srv.dbPath, 'SELECT count(*) FROM staff_deployments').trim();
  assertError(await county.post('/api/v1/staff/deployments', dep({ type: 'deputy' })), 400, 'invalid_value', 'type');
  assertError(await county.post('/api/v1/staff/deployments', dep({ staff_no: '' })), 400, 'required', 'staff_no');
  assertError(await county.post('/api/v1/staff/deployments', dep({ end_date: '2021-01-01' })), 400, 'invalid_value', 'end_date');
  assertError(await county.post('/api/v1/staff/deployments', dep({ phone: '555' })), 400, 'invalid_phone');
  assertError(await county.get('/api/v1/staff/deployments?on=2021-02-30'), 400, 'invalid_value', 'on');
  assert.equal(sqlite(srv.dbPath, 'SELECT count(*) FROM staff_deployments').trim(), before);
});

test('export, CLI and the demo figures', async () => {
  const x = await county.get('/api/v1/staff/deployments?format=csv&q=T-001');
  assert.equal(x.status, 200);
  assert.match(x.text, /派驻岗位/);
  assert.doesNotMatch(x.text, /周测试/);
  const admin = await srv.login('admin');
  const s = assertStatus(await admin.get('/api/v1/staff/summary?from=2020-01-24&to=2020-04-26'), 200);
  assert.deepEqual([s.seconded, s.front_line], [5, 227]);
  const cli = JSON.parse(cliOk(['staff', 'summary', '--db', srv.dbPath, '--from', '2020-01-01', '--to', '2020-04-26']));
  assert.deepEqual([cli.seconded, cli.front_line], [5, 227]);
  const rep = JSON.parse(cliOk(['report', 'stats', '--db', srv.dbPath, '--from', '2020-01-24', '--to', '2020-04-26', '--format', 'json']));
  assert.equal(rep.city['staff.seconded'], 5);
  assert.equal(rep.city['staff.front_line'], 227);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
