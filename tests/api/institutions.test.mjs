// institutions.test.mjs — institutions and their daily reports over HTTP (docs/institutions.md,
// docs/api.md "Institutions"): the demo's registry and reports, a reporter's zero report and its
// correction with every version, bad input refused with nothing changed, the county's call list,
// chasing and escalation, completeness counters moving as a report arrives, alerts acknowledged
// and closed, masking and audited unmasking, scope, the period report from the CLI and the API,
// and a committed report surviving kill -9 of the server.
//
// Deadlines are policy parameters: the test sets 370702's (the demo reporter's county) to 24:00
// for this month, so today's filings are on time whatever the hour, and 370704's to 00:00, so its
// missing reports are overdue at once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, isChinese, makePhone, todayShanghai } from '../lib/http.mjs';
import { addUser, auditVerify, cli, cliOk, login, spawnServe, sqlite, startServer } from '../lib/server.mjs';

const DEMO_FROM = '2020-01-24';
const DEMO_TO = '2020-04-26';
const TODAY = todayShanghai();
const MONTH = TODAY.slice(0, 7);
const dayPlus = (n) => {
  const [y, m, d] = TODAY.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
};
const YESTERDAY = dayPlus(-1);

let srv, admin, county, county702, town, reporter, leader, village;
let home; // the demo reporter's elderly home (370702)

/** A complete daily report body: residents and staff as given, nothing abnormal unless extra says. */
function dailyBody(residents, staff, extra = {}) {
  return {
    kind: 'daily', residents_present: residents, staff_on_site: staff, admissions: 0, departures: 0,
    temperature_checks: residents + staff, fever: 0, suspected: 0, confirmed: 0, isolated: 0, deaths: 0, goods_days: 20, ...extra,
  };
}

let serial = 0;
/** An institution registered by county_370704 in 凤凰街道 (managed by 坊子区 itself). */
async function newInstitution(extra = {}) {
  serial++;
  const r = await county.post('/api/v1/institutions', {
    name: `测试敬老院${serial}号`, type: 'elderly_home', region_code: '370704003', opened_on: '2020-01-01',
    capacity: 60, residents: 40, staff: 8, contact_name: '张主任', contact_phone: makePhone(), ...extra,
  });
  return assertStatus(r, 201, 'county registers an institution');
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  county702 = await srv.login('county_370702');
  town = await srv.login('township_370704008');
  reporter = await srv.login('institution');
  leader = await srv.login('leader');
  village = await srv.login('village_370704008231');
  for (const [c, unit, value] of [[county702, '370702', 1440], [county, '370704', 0]]) {
    assertStatus(await c.post('/api/v1/policy', {
      unit_code: unit, residence_type: 'all', key: 'institution_deadline_elderly_home', value, effective_from: MONTH, note: '测试：截止时间',
    }), 201, `deadline for ${unit}`);
  }
  home = assertStatus(await reporter.get('/api/v1/institutions/mine'), 200, 'the reporter\'s page').institution;
});

after(async () => {
  await srv?.stop();
});

test('the demo city has its institutions under closed management and every day of 2020-01-24..2020-04-26 reported', async () => {
  const list = assertStatus(await admin.get('/api/v1/institutions?limit=1000'), 200);
  assert.ok(list.total >= 40, `institutions in the demo (${list.total})`);
  const types = new Set(list.items.map((i) => i.type));
  for (const t of ['elderly_home', 'children_welfare_home', 'rescue_station', 'funeral_home', 'marriage_office', 'lottery_outlet']) assert.ok(types.has(t), `a ${t}`);
  assert.equal(list.items.filter((i) => i.type === 'funeral_home').length, 10);
  assert.ok(list.items.every((i) => i.closed_management_from === '2020-01-24'), 'all under closed management from 2020-01-24');
  assert.ok(list.items.every((i) => /\*/.test(i.contact_phone) && i.phone_masked), 'phones masked in the list');
  assert.equal(home.region_code.slice(0, 6), '370702');
  assert.equal(home.type, 'elderly_home');

  const api = assertStatus(await admin.get(`/api/v1/reports/institutions?from=${DEMO_FROM}&to=${DEMO_TO}`), 200);
  const cliJson = JSON.parse(cliOk(['report', 'institutions', '--db', srv.dbPath, '--from', DEMO_FROM, '--to', DEMO_TO, '--format', 'json']));
  assert.deepEqual(api.institutions, cliJson.institutions, 'the CLI and the API agree');
  assert.deepEqual(api.reports, cliJson.reports);
  const eh = api.institutions.elderly_home;
  assert.equal(eh.count, list.items.filter((i) => i.type === 'elderly_home' && i.created_at < '2021').length);
  assert.equal(eh.infections, 0);
  assert.equal(eh.residents, list.items.filter((i) => i.type === 'elderly_home' && i.created_at < '2021').reduce((s, i) => s + i.residents, 0),
    'nobody moved: the last reports say what the register says');
  assert.equal(api.institutions.children_welfare_home.staff, 53, '53 on site, not the 120 of two shifts');
  assert.equal(api.reports.expected, api.reports.received, 'every expected report came in');
  assert.equal(api.reports.expected, 94 * list.total);
  assert.ok(api.reports.zero > api.reports.received / 2, 'mostly zero reports');
  assert.ok(api.reports.on_time < api.reports.received, 'a few late');
  assert.equal(api.reports.completeness_bp, 10000);
  // the fevers of the demo: alerts, all closed with an action
  const alerts = assertStatus(await admin.get(`/api/v1/institutions/alerts?limit=100`), 200);
  const demoAlerts = alerts.items.filter((a) => a.report_date <= DEMO_TO);
  assert.ok(demoAlerts.length >= 1);
  assert.ok(demoAlerts.every((a) => a.status === 'closed' && a.action && a.ack_by), 'acknowledged and closed');
});

test('a reporter files today\'s zero report in one request; the headcounts are the last report\'s, a second filing is refused', async () => {
  const mine = assertStatus(await reporter.get('/api/v1/institutions/mine'), 200);
  assert.equal(mine.date, TODAY);
  assert.equal(mine.report, null);
  assert.equal(mine.day_status, 'due', 'the deadline is 24:00 today');
  assert.equal(mine.carry.from, DEMO_TO, 'carried from the last demo report');
  assert.equal(mine.carry.residents_present, home.residents);
  const r = await reporter.post(`/api/v1/institutions/${home.id}/reports`, {
    kind: 'zero', residents_present: mine.carry.residents_present, staff_on_site: mine.carry.staff_on_site,
  });
  const filed = assertStatus(r, 201, 'zero report');
  assert.equal(filed.created, true);
  assert.equal(filed.report.kind, 'zero');
  assert.equal(filed.report.report_date, TODAY);
  assert.equal(filed.report.on_time, true);
  assert.equal(filed.report.on_behalf, false);
  assert.equal(filed.report.submitted_by, 'institution');
  assert.equal(filed.report.residents_present, mine.carry.residents_present);
  assert.equal(filed.report.temperature_checks, mine.carry.residents_present + mine.carry.staff_on_site);
  assert.equal(filed.report.fever, 0);
  assert.deepEqual(filed.alerts, []);
  assertError(await reporter.post(`/api/v1/institutions/${home.id}/reports`, { kind: 'zero' }), 409, 'report_exists', 'report_date');
  const after1 = assertStatus(await reporter.get('/api/v1/institutions/mine'), 200);
  assert.equal(after1.day_status, 'on_time');
  assert.equal(after1.report.id, filed.report.id);
});

test('a correction keeps every version (who, when, why, what changed) and raises the alert; timeliness stays the first filing\'s', async () => {
  const mine = assertStatus(await reporter.get('/api/v1/institutions/mine'), 200);
  const res = mine.carry.residents_present, staff = mine.carry.staff_on_site;
  const r = await reporter.post(`/api/v1/institutions/${home.id}/reports`, dailyBody(res, staff, { fever: 1, isolated: 1, reason: '午检发现一名老人发热' }));
  const c = assertStatus(r, 200, 'correction');
  assert.equal(c.created, false);
  assert.equal(c.report.version, 2);
  assert.equal(c.report.on_time, true);
  assert.equal(c.report.submitted_at, mine.report.submitted_at);
  assert.equal(c.alerts.length, 1);
  assert.equal(c.alerts[0].kind, 'health');
  const day = assertStatus(await admin.get(`/api/v1/institutions/${home.id}/reports?date=${TODAY}`), 200);
  assert.equal(day.versions.length, 2);
  assert.equal(day.versions[0].kind, 'zero');
  assert.equal(day.versions[0].by, 'institution');
  assert.equal(day.versions[1].reason, '午检发现一名老人发热');
  assert.deepEqual(day.versions[1].changes.fever, [0, 1]);
  assert.deepEqual(day.versions[1].changes.kind, ['zero', 'daily']);
  // the county sees the alert at once
  const alerts = assertStatus(await county702.get(`/api/v1/institutions/alerts?status=open&institution=${home.id}`), 200);
  assert.equal(alerts.items.length, 1);
  assert.match(alerts.items[0].summary, /发热 1 人/);
});

test('a report for yesterday is accepted and marked late; bad input is refused with a Chinese message and changes nothing', async () => {
  const before = assertStatus(await reporter.get(`/api/v1/institutions/${home.id}/reports?from=${YESTERDAY}&to=${TODAY}`), 200).items.length;
  const p = (body) => reporter.post(`/api/v1/institutions/${home.id}/reports`, body);
  assertError(await p({ ...dailyBody(10, 2), fever: undefined, report_date: YESTERDAY }), 400, 'required', 'fever');
  assertError(await p({ ...dailyBody(10, 2), report_date: dayPlus(1) }), 400, 'invalid_value', 'report_date');
  assertError(await p({ ...dailyBody(10, 2), temperature_checks: 13, report_date: YESTERDAY }), 400, 'invalid_value', 'temperature_checks');
  assertError(await p({ kind: 'zero', fever: 1, report_date: YESTERDAY }), 400, 'invalid_value', 'fever');
  assertError(await p({ kind: 'zero', residents_present: 1, report_date: YESTERDAY }), 409, 'carry_changed', 'residents_present');
  assertError(await p({ ...dailyBody(10, 2), fever: '1', report_date: YESTERDAY }), 400, 'invalid_value', 'fever');
  assertError(await p({ kind: 'weekly', report_date: YESTERDAY }), 400, 'invalid_value', 'kind');
  assertError(await reporter.raw('POST', `/api/v1/institutions/${home.id}/reports`, { rawBody: '{"kind":' }), 400, 'invalid_json');
  assertError(await p({ kind: 'zero', report_date: '2019-13-01' }), 400, 'invalid_value', 'report_date');
  assert.equal(assertStatus(await reporter.get(`/api/v1/institutions/${home.id}/reports?from=${YESTERDAY}&to=${TODAY}`), 200).items.length, before);
  const late = assertStatus(await p({ kind: 'zero', report_date: YESTERDAY }), 201);
  assert.equal(late.report.on_time, false, 'filed after yesterday\'s deadline');
  assert.ok(late.report.submitted_at > late.report.deadline_at);
});

test('the county\'s call list: who has not reported, chasing with escalation, and the list and counters moving as the report arrives', async () => {
  const rep = `inst_rep_${Date.now() % 100000}`;
  addUser(srv.dbPath, rep, 'institution_reporter', '370704');
  const inst = await newInstitution();
  assertStatus(await county.post(`/api/v1/institutions/${inst.id}/reporters`, { username: rep }), 200, 'attach the reporter');
  const detail = assertStatus(await county.get(`/api/v1/institutions/${inst.id}`), 200);
  assert.deepEqual(detail.reporters, [rep]);
  assertError(await county.post(`/api/v1/institutions/${inst.id}/reporters`, { username: 'county_370704' }), 400, 'invalid_value', 'username');

  const calls = assertStatus(await county.get('/api/v1/institutions/calls'), 200);
  const row = calls.items.find((i) => i.id === inst.id);
  assert.ok(row, 'the new institution is on the call list');
  assert.equal(row.status, 'overdue', '370704\'s deadline is 00:00');
  assert.match(row.contact_phone, /\*/);
  assert.ok(calls.items.every((i) => i.region_code.startsWith('370704')), 'only the county\'s institutions');
  const overdueFirst = calls.items.findIndex((i) => i.status === 'due');
  assert.ok(overdueFirst === -1 || calls.items.slice(overdueFirst).every((i) => i.status === 'due'), 'overdue first');

  const ch = assertStatus(await county.post(`/api/v1/institutions/${inst.id}/chases`, { method: 'phone', outcome: 'no_answer', note: '两次未接', escalate: true }), 201);
  assert.equal(ch.chases.length, 1);
  assertError(await county.post(`/api/v1/institutions/${inst.id}/chases`, { method: 'fax', outcome: 'no_answer' }), 400, 'invalid_value', 'method');
  assertError(await town.post(`/api/v1/institutions/${inst.id}/chases`, { method: 'sms', outcome: 'promised' }), 404, 'not_found'); // 凤凰街道 is not 太保庄街道's
  const calls2 = assertStatus(await county.get('/api/v1/institutions/calls'), 200);
  const row2 = calls2.items.find((i) => i.id === inst.id);
  assert.equal(row2.chases, 1);
  assert.equal(row2.escalated, true);
  assert.equal(row2.last_chase.outcome, 'no_answer');
  assert.equal(calls2.items[0].escalated, true, 'escalated first');

  const dash0 = assertStatus(await county.get('/api/v1/institutions/dashboard?days=7'), 200);
  const u0 = dash0.counties.find((u) => u.unit_code === '370704');
  assert.ok(u0.escalated >= 1);
  assert.ok(dash0.trend.length === 7 && dash0.trend.every((d) => d.received <= d.expected), 'no rate above 100 %');

  // the reporter files: off the list, the counters move by one (late: 00:00 deadline; zero)
  const rc = await login(srv.url, rep);
  const mine = assertStatus(await rc.get('/api/v1/institutions/mine'), 200);
  assert.equal(mine.institution.id, inst.id);
  assert.equal(mine.carry.from, null, 'no report yet: carried from the register');
  assert.equal(mine.carry.residents_present, 40);
  assertStatus(await rc.post(`/api/v1/institutions/${inst.id}/reports`, { kind: 'zero' }), 201);
  const calls3 = assertStatus(await county.get('/api/v1/institutions/calls'), 200);
  assert.ok(!calls3.items.some((i) => i.id === inst.id), 'off the call list');
  assert.equal(calls3.total, calls2.total - 1);
  const dash1 = assertStatus(await county.get('/api/v1/institutions/dashboard?days=7'), 200);
  const u1 = dash1.counties.find((u) => u.unit_code === '370704');
  assert.equal(u1.received, u0.received + 1);
  assert.equal(u1.zero, u0.zero + 1);
  assert.equal(u1.late, u0.late + 1);
  assert.equal(u1.escalated, u0.escalated - 1, 'an escalation is closed by the report');
  assertError(await county.post(`/api/v1/institutions/${inst.id}/chases`, { method: 'sms', outcome: 'promised' }), 409, 'already_reported');
});

test('alerts: acknowledged, then closed with an action; health and movement; only managers in scope may act', async () => {
  const inst = await newInstitution({ closed_management_from: '2020-01-24' });
  const fever = assertStatus(await county.post(`/api/v1/institutions/${inst.id}/reports`, { ...dailyBody(40, 8, { fever: 1 }), report_date: YESTERDAY }), 201);
  assert.equal(fever.report.on_behalf, true, '代报 by the county');
  assert.deepEqual(fever.alerts.map((a) => a.kind), ['health']);
  const moved = assertStatus(await county.post(`/api/v1/institutions/${inst.id}/reports`, { ...dailyBody(39, 8, { departures: 1 }), report_date: TODAY }), 201);
  assert.deepEqual(moved.alerts.map((a) => a.kind), ['movement']);
  const id = fever.alerts[0].id;
  assertError(await county.post(`/api/v1/institutions/alerts/${id}/close`, { action: '已处置' }), 409, 'alert_state');
  assertError(await town.post(`/api/v1/institutions/alerts/${id}/ack`, {}), 404, 'not_found');
  assertError(await leader.post(`/api/v1/institutions/alerts/${id}/ack`, {}), 403, 'forbidden');
  assertError(await county702.post(`/api/v1/institutions/alerts/${id}/ack`, {}), 404, 'not_found');
  const ack = assertStatus(await county.post(`/api/v1/institutions/alerts/${id}/ack`, { note: '已电话核实' }), 200);
  assert.equal(ack.status, 'acknowledged');
  assert.equal(ack.ack_by, 'county_370704');
  assertError(await county.post(`/api/v1/institutions/alerts/${id}/close`, {}), 400, 'required', 'action');
  const closed = assertStatus(await admin.post(`/api/v1/institutions/alerts/${id}/close`, { action: '复测正常，解除隔离观察' }), 200);
  assert.equal(closed.status, 'closed');
  assert.equal(closed.closed_by, 'admin');
  const active = assertStatus(await county.get(`/api/v1/institutions/alerts?status=active&institution=${inst.id}`), 200);
  assert.deepEqual(active.items.map((a) => a.kind), ['movement']);
  const dash = assertStatus(await admin.get('/api/v1/institutions/dashboard'), 200);
  assert.ok(dash.alerts.open >= 1);
});

test('phones are masked; unmasking needs registry.unmask and is audited', async () => {
  const inst = await newInstitution();
  const masked = assertStatus(await county.get(`/api/v1/institutions/${inst.id}`), 200);
  assert.match(masked.contact_phone, /^\d{3}\*{4}\d{4}$/);
  const before = Number(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'institution.unmask';").trim());
  const full = assertStatus(await county.get(`/api/v1/institutions/${inst.id}?unmask=1`), 200);
  assert.match(full.contact_phone, /^1\d{10}$/);
  assert.equal(full.phone_masked, false);
  const calls = assertStatus(await county.get('/api/v1/institutions/calls?unmask=1'), 200);
  assert.ok(calls.items.some((i) => /^1\d{10}$/.test(i.contact_phone)));
  const afterCount = Number(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'institution.unmask';").trim());
  assert.equal(afterCount, before + 2);
  assertError(await leader.get(`/api/v1/institutions/${inst.id}?unmask=1`), 403, 'forbidden');
  assertError(await leader.get('/api/v1/institutions/calls?unmask=1'), 403, 'forbidden');
});

test('scope: a township sees its own institutions only, others are 404; roles without the permission get 403', async () => {
  await newInstitution({ region_code: '370704008231', name: '栾家山后村幸福院' }); // 太保庄街道, managed by 峡山区 (370791)
  const list = assertStatus(await town.get('/api/v1/institutions'), 200);
  assert.ok(list.items.length >= 1);
  assert.ok(list.items.every((i) => i.region_code.startsWith('370704008')));
  assertError(await town.get(`/api/v1/institutions/${home.id}`), 404, 'not_found');
  assertError(await town.get(`/api/v1/institutions/${home.id}/reports`), 404, 'not_found');
  assertError(await town.post(`/api/v1/institutions/${home.id}/reports`, { kind: 'zero' }), 404, 'not_found');
  assertError(await town.get('/api/v1/institutions?unit=370702'), 404, 'not_found');
  const dash = assertStatus(await town.get('/api/v1/institutions/dashboard'), 200);
  assert.ok(dash.counties.every((u) => ['370791'].includes(u.unit_code)), `太保庄街道 is counted under its unit 370791: ${dash.counties.map((u) => u.unit_code)}`);
  assertError(await village.get('/api/v1/institutions'), 403, 'forbidden');
  assertError(await reporter.get('/api/v1/institutions'), 403, 'forbidden');
  assertError(await reporter.get('/api/v1/institutions/calls'), 403, 'forbidden');
  assertError(await county.get('/api/v1/institutions/mine'), 403, 'forbidden');
  const other = list.items[0];
  assertError(await reporter.post(`/api/v1/institutions/${other.id}/reports`, { kind: 'zero' }), 404, 'not_found', undefined);
  assertError(await county.post('/api/v1/institutions', { name: '越权机构', type: 'elderly_home', region_code: '370702001' }), 403, 'out_of_scope', 'region_code');
  const r = await county.patch(`/api/v1/institutions/${home.id}`, { name: '越权改名' });
  assertError(r, 404, 'not_found');
  const p702 = assertStatus(await county702.get(`/api/v1/reports/institutions?from=${DEMO_FROM}&to=${DEMO_TO}`), 200);
  const pAll = assertStatus(await admin.get(`/api/v1/reports/institutions?from=${DEMO_FROM}&to=${DEMO_TO}`), 200);
  assert.deepEqual(Object.keys(p702.counties), ['370702']);
  assert.ok(p702.reports.expected < pAll.reports.expected);
  assert.equal(p702.reports.expected, pAll.counties['370702'].expected);
  for (const e of [
    await admin.get('/api/v1/reports/institutions?from=2020-04-26&to=2020-01-24'),
    await admin.get('/api/v1/reports/institutions?from=2020-01-24'),
  ]) assert.ok(e.status === 400 && isChinese(e.json.error.message));
});

test('registry edits: dates cannot leave a filed report outside the open period; the region cannot change', async () => {
  const inst = await newInstitution();
  assertStatus(await county.post(`/api/v1/institutions/${inst.id}/reports`, { kind: 'zero', report_date: '2020-03-01' }), 201);
  assertError(await county.patch(`/api/v1/institutions/${inst.id}`, { opened_on: '2020-03-02' }), 409, 'reports_outside_period', 'opened_on');
  assertError(await county.patch(`/api/v1/institutions/${inst.id}`, { closed_on: '2020-03-01' }), 409, 'reports_outside_period', 'closed_on');
  assertError(await county.patch(`/api/v1/institutions/${inst.id}`, { region_code: '370704004' }), 400, 'invalid_value', 'region_code');
  const ok = assertStatus(await county.patch(`/api/v1/institutions/${inst.id}`, { closed_on: '2020-03-02', staff: 9 }), 200);
  assert.equal(ok.closed_on, '2020-03-02');
  assert.equal(ok.staff, 9);
  assertError(await county.post(`/api/v1/institutions/${inst.id}/reports`, { kind: 'zero', report_date: '2020-03-02' }), 409, 'institution_not_open');
  const cleared = assertStatus(await county.patch(`/api/v1/institutions/${inst.id}`, { closed_on: null }), 200);
  assert.equal(cleared.closed_on, null);
});

test('CLI: report institutions, the dashboard and the call list with --at, filing with --at', () => {
  const out = cliOk(['institutions', 'dashboard', '--db', srv.dbPath, '--date', '2020-03-01', '--at', '2020-03-01T12:00:00+08:00']);
  assert.match(out, /^total\t合计\texpected=\d+\treceived=\d+/m);
  assert.match(out, /closed_management\tinstitutions=\d+/);
  const id = cliOk(['institutions', 'add', '--db', srv.dbPath, '--name', 'CLI 敬老院', '--type', 'elderly_home', '--region', '370705001',
    '--opened', '2020-01-01', '--residents', '20', '--staff', '4']).trim();
  assert.match(id, /^\d+$/);
  const calls = cliOk(['institutions', 'calls', '--db', srv.dbPath, '--date', '2020-05-01', '--county', '370705', '--at', '2020-05-01T09:00:00+08:00']);
  assert.match(calls, new RegExp(`^${id}\\tdue\\t2020-05-01T10:00:00\\+08:00`, 'm'));
  const filed = cliOk(['institutions', 'report', '--db', srv.dbPath, '--institution', id, '--date', '2020-05-01', '--zero', '--at', '2020-05-01T10:30:00+08:00']);
  assert.match(filed, /已报送 \/ filed\treport=\d+\t2020-05-01\tzero\tversion=1\tlate/);
  const bad = cli(['institutions', 'report', '--db', srv.dbPath, '--institution', id, '--date', '2020-05-01', '--zero']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /report_exists/);
  assert.equal(cli(['report', 'institutions', '--db', srv.dbPath, '--from', '2020-01-24']).status, 2);
});

test('a committed report survives kill -9 of the server, and the audit chain stays intact', async () => {
  const second = await spawnServe(srv.dbPath);
  const c = await login(second.url, 'admin');
  const list = assertStatus(await c.get('/api/v1/institutions?limit=5&type=elderly_home'), 200).items;
  const day = '2020-01-20'; // before the demo's reports: nothing filed that day
  const ids = [];
  for (const i of list) ids.push(assertStatus(await c.post(`/api/v1/institutions/${i.id}/reports`, { kind: 'zero', report_date: day }), 201).report.id);
  second.child.kill('SIGKILL');
  const gone = await second.exited;
  assert.equal(gone.signal, 'SIGKILL');
  const n = Number(sqlite(srv.dbPath, `SELECT count(*) FROM inst_reports WHERE report_date = '${day}' AND id IN (${ids.join(',')});`).trim());
  assert.equal(n, ids.length, 'every acknowledged report is in the database');
  const stats = Number(sqlite(srv.dbPath, `SELECT sum(received) FROM inst_report_stats WHERE report_date = '${day}';`).trim());
  assert.equal(stats, ids.length, 'and counted');
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});
