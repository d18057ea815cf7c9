// duty.test.mjs — docs/api.md "Duty rosters", over real HTTP against a real server: a township
// sets up its roster, plans a night shift across midnight, sees who is on duty at an instant
// (and, above it, the county's and the city's duty from the demo rosters), checks the coverage,
// files a zero report once, hands over to the next shift; phones masked unless unmasked
// (audited); shift length from the policy; another county gets 404 for all of it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cliOk, sqlite, startServer } from '../lib/server.mjs';

let srv, town, county, other, inspector, village;
let rosterId;
const shifts = {};

before(async () => {
  srv = await startServer();
  town = await srv.login('township_370704003');
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  inspector = await srv.login('inspector');
  village = await srv.login('village_370704008231');
});

after(async () => {
  await srv?.stop();
});

test('the demo city keeps rosters for the city and its counties over February–April 2020', async () => {
  const l = assertStatus(await county.get('/api/v1/duty/rosters'), 200);
  assert.deepEqual(l.items.map((r) => [r.unit_kind, r.region_code]), [['county', '370704']]);
  const d = assertStatus(await county.get(`/api/v1/duty/rosters/${l.items[0].id}?from=2020-03-01&to=2020-03-02`), 200);
  // a leader 08:00–08:00, a day officer, a night officer; and the previous night's officer until 08:00
  assert.deepEqual(d.shifts.map((s) => [s.post, s.start_at, s.end_at]), [
    ['leader', '2020-02-29T08:00', '2020-03-01T08:00'],
    ['officer', '2020-02-29T20:00', '2020-03-01T08:00'],
    ['leader', '2020-03-01T08:00', '2020-03-02T08:00'],
    ['officer', '2020-03-01T08:00', '2020-03-01T20:00'],
    ['officer', '2020-03-01T20:00', '2020-03-02T08:00'],
  ]);
  assert.ok(d.shifts.every((s) => /^1\d{2}\*{4}\d{4}$/.test(s.phone)), 'phones masked');
  assert.ok(d.shifts.filter((s) => s.post === 'officer').every((s) => s.report && s.handover), 'every officer shift reported and handed over');
  const c = assertStatus(await county.get(`/api/v1/duty/rosters/${l.items[0].id}/coverage?from=2020-02-01&to=2020-05-01`), 200);
  assert.equal(c.complete, true);
  assert.equal(c.gap_minutes, 0);
  assert.equal(c.minutes, 90 * 1440);
});

test('a township sets up its roster; the same unit twice is refused', async () => {
  const r = assertStatus(await town.post('/api/v1/duty/rosters', { unit_kind: 'township', region_code: '370704003', duty_phone: '0536 7612345' }), 201);
  rosterId = r.id;
  assert.equal(r.name, '凤凰街道值班');
  assert.equal(r.duty_phone, '0536-7612345');
  assertError(await town.post('/api/v1/duty/rosters', { unit_kind: 'township', region_code: '370704003' }), 409, 'conflict');
  assertError(await town.post('/api/v1/duty/rosters', { unit_kind: 'county', region_code: '370704' }), 403, 'out_of_scope', 'region_code');
  assertError(await town.post('/api/v1/duty/rosters', { unit_kind: 'township', region_code: '370704' }), 400, 'invalid_region', 'region_code');
  assertError(await inspector.post('/api/v1/duty/rosters', { unit_kind: 'city', region_code: '3707' }), 403, 'forbidden');
});

test('shifts: a night across midnight, a day; too long, badly written or the same person twice is refused', async () => {
  const add = (body) => town.post(`/api/v1/duty/rosters/${rosterId}/shifts`, body);
  shifts.day = assertStatus(await add({ post: 'officer', person_name: '孙丽', phone: '13900000011', start_at: '2020-03-01T08:00', end_at: '2020-03-01T20:00' }), 201);
  shifts.night = assertStatus(await add({ post: 'officer', person_name: '周强', phone: '13900000012', start_at: '2020-03-01 20:00', end_at: '2020-03-02T08:00' }), 201);
  shifts.lead = assertStatus(await add({ post: 'leader', person_name: '吴刚', phone: '13900000013', start_at: '2020-03-01T08:00', end_at: '2020-03-02T08:00' }), 201);
  assert.equal(shifts.night.start_at, '2020-03-01T20:00');
  assert.equal(shifts.night.phone, '139****0012');
  assertError(await add({ post: 'officer', person_name: '郑洁', phone: '13900000014', start_at: '2020-03-02T08:00', end_at: '2020-03-03T09:00' }), 400, 'invalid_value', 'end_at');
  assertError(await add({ post: 'officer', person_name: '郑洁', phone: '13900000014', start_at: '2020-03-02T24:00', end_at: '2020-03-03T08:00' }), 400, 'invalid_value', 'start_at');
  assertError(await add({ post: 'officer', person_name: '周强', phone: '13900000012', start_at: '2020-03-02T07:00', end_at: '2020-03-02T12:00' }), 409, 'shift_overlap');
  assertError(await add({ post: 'officer', person_name: '郑洁', phone: '123', start_at: '2020-03-02T08:00', end_at: '2020-03-02T20:00' }), 400, 'invalid_phone');
  const cov = assertStatus(await town.get(`/api/v1/duty/rosters/${rosterId}/coverage?from=2020-03-01T00:00&to=2020-03-02T12:00`), 200);
  assert.deepEqual(cov.gaps.map((g) => [g.from, g.to]), [['2020-03-01T00:00', '2020-03-01T08:00'], ['2020-03-02T08:00', '2020-03-02T12:00']]);
  assert.equal(cov.gap_minutes, 720);
  assert.equal(cov.n_overlaps, 0);
});

test('who is on duty at 03:00: the night officer and the leader, and above the township the county and the city', async () => {
  const n = assertStatus(await town.get('/api/v1/duty/now?at=2020-03-02T03:00'), 200);
  assert.equal(n.at, '2020-03-02T03:00');
  const mine = n.items.find((u) => u.id === rosterId);
  assert.deepEqual(mine.on_duty.map((p) => [p.post, p.person_name, p.phone]), [['leader', '吴刚', '139****0013'], ['officer', '周强', '139****0012']]);
  assert.equal(mine.officer_on_duty, true);
  assert.deepEqual(n.upward.map((u) => [u.unit_kind, u.region_code]), [['city', '3707'], ['county', '370704']]);
  for (const u of n.upward) {
    assert.deepEqual(u.on_duty.map((p) => p.post), ['leader', 'officer'], `${u.name} has a leader and an officer at 03:00`);
    assert.match(u.duty_phone, /^0536-\d{7,8}$/);
    assert.equal(u.reports_missing, 0, `${u.name}: every officer of the demo reported`);
  }
  // the township's own roster: its day officer of 03-01 has not reported yet
  assert.equal(mine.reports_missing, 1);
  // at 08:00 the night shift has gone: no officer on this roster
  const m = assertStatus(await town.get('/api/v1/duty/now?at=2020-03-02T08:00'), 200);
  assert.equal(m.items.find((u) => u.id === rosterId).officer_on_duty, false);
  assert.ok(m.uncovered >= 1);
  // unmasked: township assistants hold registry.unmask; the read is audited
  const before = Number(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'duty.unmask';").trim());
  const u = assertStatus(await town.get('/api/v1/duty/now?at=2020-03-02T03:00&unmask=1'), 200);
  assert.equal(u.masked, false);
  assert.equal(u.items.find((x) => x.id === rosterId).on_duty[1].phone, '13900000012');
  assert.equal(Number(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'duty.unmask';").trim()), before + 1);
  assertError(await inspector.get('/api/v1/duty/now?unmask=1'), 403, 'forbidden');
});

test('a shift files one zero report and hands over to the next shift', async () => {
  const r = assertStatus(await town.post(`/api/v1/duty/shifts/${shifts.day.id}/report`, { zero: true }), 200);
  assert.equal(r.report.kind, 'zero');
  assertError(await town.post(`/api/v1/duty/shifts/${shifts.day.id}/report`, { events: '补报' }), 409, 'already_reported');
  assertError(await town.post(`/api/v1/duty/shifts/${shifts.night.id}/report`, { zero: true, events: '有情况' }), 400, 'invalid_value', 'events');
  const ev = assertStatus(await town.post(`/api/v1/duty/shifts/${shifts.night.id}/report`, { events: '凌晨接镇卫生院电话，一名居民发热已送医' }), 200);
  assert.equal(ev.report.kind, 'events');
  assertError(await town.post(`/api/v1/duty/shifts/${shifts.day.id}/handover`, { to_shift_id: shifts.lead.id }), 400, 'invalid_value', 'to_shift_id');
  const h = assertStatus(await town.post(`/api/v1/duty/shifts/${shifts.day.id}/handover`, { to_shift_id: shifts.night.id, notes: '发热排查结果待反馈', at: '2020-03-01T20:00' }), 201);
  assert.equal(h.handover.to_shift_id, shifts.night.id);
  assert.equal(h.handover.notes, '发热排查结果待反馈');
  assertError(await town.post(`/api/v1/duty/shifts/${shifts.day.id}/handover`, { to_shift_id: shifts.night.id }), 409, 'already_handed_over');
  const log = assertStatus(await town.get(`/api/v1/duty/handovers?roster_id=${rosterId}`), 200);
  assert.deepEqual(log.items.map((x) => [x.from_person, x.to_person, x.notes]), [['孙丽', '周强', '发热排查结果待反馈']]);
  // a shift that has not begun: no report; it may be removed, a begun one may not
  const future = assertStatus(await town.post(`/api/v1/duty/rosters/${rosterId}/shifts`, { post: 'officer', person_name: '郑洁', phone: '13900000014', start_at: '2999-01-01T08:00', end_at: '2999-01-01T20:00' }), 201);
  assertError(await town.post(`/api/v1/duty/shifts/${future.id}/report`, { zero: true }), 409, 'shift_not_started');
  assertStatus(await town.del(`/api/v1/duty/shifts/${future.id}`), 204);
  assertError(await town.del(`/api/v1/duty/shifts/${shifts.night.id}`), 409, 'shift_started');
});

test('another county gets 404 for the roster and its shifts, writes nothing, lists nothing of it', async () => {
  const before = assertStatus(await town.get(`/api/v1/duty/rosters/${rosterId}?from=2020-03-01&to=2020-03-03`), 200);
  assertError(await other.get(`/api/v1/duty/rosters/${rosterId}`), 404, 'not_found');
  assertError(await other.patch(`/api/v1/duty/rosters/${rosterId}`, { name: '越权' }), 404, 'not_found');
  assertError(await other.post(`/api/v1/duty/rosters/${rosterId}/shifts`, { post: 'officer', person_name: '越权', phone: '13900000099', start_at: '2020-03-05T08:00', end_at: '2020-03-05T20:00' }), 404, 'not_found');
  assertError(await other.get(`/api/v1/duty/shifts/${shifts.lead.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/duty/shifts/${shifts.lead.id}/report`, { zero: true }), 404, 'not_found');
  assertError(await village.get(`/api/v1/duty/shifts/${shifts.lead.id}`), 404, 'not_found');
  const n = assertStatus(await other.get('/api/v1/duty/now?at=2020-03-02T03:00'), 200);
  assert.ok(n.items.every((u) => u.region_code.startsWith('370705')));
  const l = assertStatus(await other.get('/api/v1/duty/handovers?limit=500'), 200);
  assert.ok(l.items.every((x) => x.region_code.startsWith('370705')));
  assertError(await other.get('/api/v1/duty/now?region=370704'), 403, 'out_of_scope');
  assert.deepEqual(assertStatus(await town.get(`/api/v1/duty/rosters/${rosterId}?from=2020-03-01&to=2020-03-03`), 200).shifts, before.shifts);
});

test('the CLI shows the same roster and who is on duty; the audit chain is intact', () => {
  const now = cliOk(['duty', 'now', '--db', srv.dbPath, '--region', '370704003', '--at', '2020-03-02T03:00']);
  assert.match(now, /^370704003\t凤凰街道值班\t0536-7612345\t带班:吴刚 139\*\*\*\*0013 至 2020-03-02T08:00\t值班:周强 139\*\*\*\*0012 至 2020-03-02T08:00$/m);
  const cov = JSON.parse(cliOk(['duty', 'coverage', '--db', srv.dbPath, '--roster', String(rosterId), '--from', '2020-03-01T08:00', '--to', '2020-03-02T08:00']));
  assert.equal(cov.gap_minutes, 0);
  const a = auditVerify(srv.dbPath);
  assert.equal(a.status, 0, a.out);
});
