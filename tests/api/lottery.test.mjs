// lottery.test.mjs — lottery outlets' closure and reopening over real HTTP (docs/orgs.md,
// "福彩网点"): the demo's outlets closed on 2020-01-26 and reopened after the checklist; an
// outlet closed again is refused reopening without a checklist, and with an incomplete one
// (409 checklist_required naming what is missing, nothing written), then reopens after a
// complete one; the status on a day; permission (an inspector reads but may not write: 403),
// scope (another county: 404); the export; the CLI's gate.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, todayShanghai } from '../lib/http.mjs';
import { auditVerify, cli, sqlite, startServer } from '../lib/server.mjs';

let srv, admin, inspector, outlets;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  inspector = await srv.login('inspector');
  outlets = assertStatus(await admin.get('/api/v1/lottery/outlets?date=2020-04-26'), 200);
});

after(async () => {
  await srv?.stop();
});

test('the demo outlets: closed on 2020-01-26, open again by 26 April after the checklist', async () => {
  assert.ok(outlets.total >= 2);
  assert.equal(outlets.open, outlets.total - Math.floor(outlets.total / 8));
  const feb = assertStatus(await admin.get('/api/v1/lottery/outlets?date=2020-02-01'), 200);
  assert.equal(feb.open, 0);
  assert.equal(feb.closed, feb.total);
  const one = assertStatus(await admin.get(`/api/v1/lottery/outlets/${outlets.items[0].id}`), 200);
  assert.equal(one.events[0].kind, 'closure');
  assert.equal(one.events[0].date, '2020-01-26');
  assert.ok(one.checklists.some((c) => c.complete));
  const open = assertStatus(await admin.get('/api/v1/lottery/outlets?date=2020-04-26&status=open'), 200);
  assert.equal(open.total, outlets.open);
});

test('reopening needs a complete checklist after the latest closure', async () => {
  const id = outlets.items[0].id;
  const today = todayShanghai();
  const closed = assertStatus(await admin.post(`/api/v1/lottery/outlets/${id}/closure`, { date: today, note: '测试停业' }), 200);
  assert.equal(closed.status, 'closed');
  assertError(await admin.post(`/api/v1/lottery/outlets/${id}/closure`, { date: today }), 409, 'already_closed');
  const events = sqlite(srv.dbPath, `SELECT count(*) FROM lottery_events WHERE institution_id = ${id}`).trim();
  const none = assertError(await admin.post(`/api/v1/lottery/outlets/${id}/reopening`, { date: today }), 409, 'checklist_required');
  assert.match(none.message, /复业核查/);
  assertStatus(await admin.post(`/api/v1/lottery/outlets/${id}/checklist`, {
    checked_on: today, checked_by: '王工', temperature: true, masks: true, distance: false, disinfection: true,
  }), 201, 'incomplete checklist');
  const half = assertError(await admin.post(`/api/v1/lottery/outlets/${id}/reopening`, { date: today }), 409, 'checklist_required');
  assert.match(half.message, /保持间距/);
  assert.equal(sqlite(srv.dbPath, `SELECT count(*) FROM lottery_events WHERE institution_id = ${id}`).trim(), events);
  // the CLI applies the same gate
  const r = cli(['lottery', 'open', '--db', srv.dbPath, '--id', String(id), '--date', today]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /保持间距/);
  assertStatus(await admin.post(`/api/v1/lottery/outlets/${id}/checklist`, {
    checked_on: today, checked_by: '王工', temperature: true, masks: true, distance: true, disinfection: true,
  }), 201);
  const reopened = assertStatus(await admin.post(`/api/v1/lottery/outlets/${id}/reopening`, { date: today, note: '核查合格' }), 200);
  assert.equal(reopened.status, 'open');
  assert.equal(reopened.checklist_ok, true);
  assertError(await admin.post(`/api/v1/lottery/outlets/${id}/reopening`, { date: today }), 409, 'not_closed');
  assert.equal(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = 'lottery.reopening' AND object = 'institution:${id}'`).trim(), '2');
});

test('permission, scope and input', async () => {
  const o = outlets.items[0];
  assertStatus(await inspector.get('/api/v1/lottery/outlets'), 200);
  assertError(await inspector.post(`/api/v1/lottery/outlets/${o.id}/closure`, { date: '2020-05-01' }), 403, 'forbidden');
  const otherCode = o.unit_code === '370705' ? '370704' : '370705';
  const other = await srv.login(`county_${otherCode}`);
  const seen = assertStatus(await other.get('/api/v1/lottery/outlets'), 200);
  assert.ok(!seen.items.some((x) => x.id === o.id));
  assertError(await other.get(`/api/v1/lottery/outlets/${o.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/lottery/outlets/${o.id}/closure`, { date: '2020-05-01' }), 404, 'not_found');
  assertError(await admin.post(`/api/v1/lottery/outlets/${o.id}/closure`, { date: '2020-13-01' }), 400, 'invalid_value', 'date');
  assertError(await admin.post(`/api/v1/lottery/outlets/${o.id}/checklist`, { checked_on: '2020-05-01' }), 400, 'required', 'checked_by');
  assertError(await admin.get('/api/v1/lottery/outlets?status=busy'), 400, 'invalid_value', 'status');
  const village = await srv.login('village_370704008231');
  assertError(await village.get('/api/v1/lottery/outlets'), 403, 'forbidden');
});

test('export and the statistics report', async () => {
  const x = await admin.get('/api/v1/lottery/outlets?format=csv&date=2020-04-26');
  assert.equal(x.status, 200);
  assert.match(x.text, /复业日期/);
  assert.match(x.text, /营业/);
  const rep = JSON.parse(cli(['report', 'stats', '--db', srv.dbPath, '--from', '2020-01-24', '--to', '2020-04-26', '--format', 'json']).stdout);
  assert.equal(rep.city['lottery.outlets_open'], outlets.open);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
