// rescue.test.mjs — the rescue-station API over real HTTP (docs/api.md, "Rescue stations";
// docs/rescue.md): an arrival → isolation → discharge story; an early discharge refused with a
// clear reason, then allowed on a recent negative test; fever referral with the epidemic report;
// isolation before admission from risk areas; beds; isolation extension and reduction; the
// stay limit; masking and the audited unmask; scope (another county: 404) and permission
// (township: 403 / 404); street patrols and the dashboard; the CLI on the same records.
//
// The server's clock is real: arrivals are recorded in the past (arrived_at), which the API
// allows, so a 14-day isolation can have ended by today.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId } from '../lib/http.mjs';
import { auditVerify, cli, cliOk, sqlite, startServer } from '../lib/server.mjs';

let srv, rescue, county, otherCounty, township;
let station, general, isolationRoom; // a station of this file in 坊子区 (370704)

/** The moment n days from now (negative: ago) at hh:mm in Asia/Shanghai, "YYYY-MM-DDTHH:MM". */
function at(n, hh, mm = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10);
  return `${d}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
/** n hours ago, "YYYY-MM-DDTHH:MM" (Asia/Shanghai). */
function hoursAgo(n) {
  return new Date(Date.now() + 8 * 3600 * 1000 - n * 3600000).toISOString().slice(0, 16);
}
const dateOf = (t) => t.slice(0, 10);
function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

let serial = 0;
function arrival(extra = {}) {
  serial++;
  return {
    station_id: station.id,
    arrived_at: at(-1, 21, 30),
    name: `测试${'甲乙丙丁戊己庚辛壬癸'[serial % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(serial / 10) % 10]}`,
    temperature_tenths: 365,
    mask: true,
    travel_history: '近 14 天在河南郑州、潍坊',
    risk: 'low',
    decision: 'admit',
    room_id: general.id,
    belongings: '编织袋 1 个',
    ...extra,
  };
}

before(async () => {
  srv = await startServer();
  rescue = await srv.login('rescue');
  county = await srv.login('county_370704');
  otherCounty = await srv.login('county_370705');
  township = await srv.login('township_370704008');
  station = assertStatus(await rescue.post('/api/v1/rescue/stations', {
    name: '坊子区救助管理站（测试）', region_code: '370704', address: '坊子区测试路 1 号', phone: '0536-7612345',
  }), 201, 'station');
  let s = assertStatus(await rescue.post(`/api/v1/rescue/stations/${station.id}/rooms`, { name: '宿舍', zone: 'general', beds: 3 }), 201, 'room');
  s = assertStatus(await rescue.post(`/api/v1/rescue/stations/${station.id}/rooms`, { name: '隔离室', zone: 'isolation', beds: 3 }), 201, 'room');
  general = s.room_list.find((r) => r.zone === 'general');
  isolationRoom = s.room_list.find((r) => r.zone === 'isolation');
});

after(async () => {
  await srv?.stop();
});

test('the demo city has the city station and one per county, with rooms and parameters', async () => {
  const r = assertStatus(await rescue.get('/api/v1/rescue/stations'), 200);
  assert.ok(r.items.some((s) => s.name === '潍坊市救助管理站' && s.region_code === '3707'), 'the city station');
  assert.ok(r.items.filter((s) => s.region_code.length === 6).length >= 12, 'county stations');
  const own = r.items.find((s) => s.id === station.id);
  assert.equal(own.beds, 6);
  assert.deepEqual(own.params, { fever_threshold_tenths: 373, isolation_days: 14, max_stay_days: 14, test_valid_hours: 72 });
  const d = assertStatus(await rescue.get('/api/v1/rescue/dashboard?from=2020-01-01&to=2020-04-29'), 200);
  assert.ok(d.totals.arrivals > 0 && d.outreach.patrols > 0 && d.outreach.masks > 0, JSON.stringify(d.totals));
  assert.equal(d.last_arrival.slice(0, 7), '2020-04');
});

test('arrival → isolation → discharge: 14 days from a risk area, then home with a ticket', async () => {
  const arrived = at(-15, 21, 30);
  let x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({
    arrived_at: arrived, risk: 'medium_high', decision: 'isolate', room_id: isolationRoom.id, travel_history: '14 天内到过武汉',
  })), 201, 'intake');
  assert.equal(x.status, 'isolation');
  assert.equal(x.isolation.start, dateOf(arrived));
  assert.equal(x.isolation.planned_end, addDays(dateOf(arrived), 14)); // = yesterday
  assert.equal(x.stay_until, addDays(dateOf(arrived), 14));
  assert.equal(x.room_name, '隔离室');
  assert.equal(x.leave.early, false, 'the isolation has run its 14 days');
  assert.deepEqual(x.next_steps, ['observe', 'test', 'change_isolation', 'end_isolation', 'extend_stay', 'discharge']);

  x = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/observations`, { temperature_tenths: 366, observed_at: at(-14, 8) }), 201);
  assert.equal(x.observations.length, 1);
  assert.equal(x.observations[0].temperature, '36.6');
  x = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/tests`, { sampled_at: at(-2, 9), result: 'negative', lab: '市疾控中心' }), 201);
  assert.equal(x.tests[0].result, 'negative');

  x = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/discharge`, { kind: 'return_home', ticket: 'K1234 次 05 车 12 号', destination: '河南郑州' }), 200);
  assert.equal(x.status, 'discharged');
  assert.equal(x.discharge.kind, 'return_home');
  assert.equal(x.discharge.ticket, 'K1234 次 05 车 12 号');
  assert.equal(x.isolation.early, false);
  assert.ok(x.isolation.ended_at, 'the isolation ended with the discharge');
  assert.deepEqual(x.next_steps, []);
  // the dashboard counts the arrival on its day and the departure today
  const d = assertStatus(await rescue.get(`/api/v1/rescue/dashboard?station_id=${station.id}&from=${dateOf(arrived)}&to=${at(0, 0).slice(0, 10)}`), 200);
  assert.equal(d.days[0].date, dateOf(arrived));
  assert.equal(d.days[0].arrivals, 1);
  assert.equal(d.days[0].isolated, 1);
  assert.equal(d.days[d.days.length - 1].discharges, 1);
  // a discharged person takes no step any more
  assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/tests`, { result: 'negative' }), 409, 'invalid_step');
});

test('an early discharge is refused with a clear reason, then allowed on a recent negative test', async () => {
  const arrived = at(-2, 22, 10);
  const x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({
    arrived_at: arrived, risk: 'unverifiable', decision: 'isolate', room_id: isolationRoom.id,
  })), 201);
  const end = addDays(dateOf(arrived), 14);
  assert.equal(x.isolation.planned_end, end);
  assert.equal(x.leave.early, true);
  assert.equal(x.leave.allowed, false);
  assert.match(x.leave.reason, /没有检测记录/);
  const auditBefore = Number(sqlite(srv.dbPath, 'SELECT count(*) FROM audit_log;').trim());
  const home = { kind: 'return_home', ticket: 'G1234 次', destination: '山东济南' };

  let e = assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/discharge`, home), 409, 'negative_test_required');
  assert.match(e.message, new RegExp(`隔离期至 ${end} 届满`));
  assert.match(e.message, /72 小时内采样的核酸检测阴性结果/);
  assert.match(e.message, /没有检测记录/);
  // nothing changed, nothing audited
  const still = assertStatus(await rescue.get(`/api/v1/rescue/intakes/${x.id}`), 200);
  assert.equal(still.status, 'isolation');
  assert.equal(still.discharge, null);
  assert.equal(Number(sqlite(srv.dbPath, 'SELECT count(*) FROM audit_log;').trim()), auditBefore);

  // a negative test sampled 100 hours ago is too old
  assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/tests`, { sampled_at: hoursAgo(100), result: 'negative' }), 201);
  e = assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/discharge`, home), 409, 'negative_test_required');
  assert.match(e.message, /已超过 72 小时/);
  // so is ending the isolation early
  assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/isolation/end`, { room_id: general.id }), 409, 'negative_test_required');

  // a positive result is the latest: refused, to hospital
  assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/tests`, { sampled_at: hoursAgo(30), result: 'positive' }), 201);
  e = assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/discharge`, home), 409, 'negative_test_required');
  assert.match(e.message, /阳性/);

  // a negative test 2 hours ago: allowed, and the test is named on the discharge
  const t = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/tests`, { sampled_at: hoursAgo(2), result: 'negative' }), 201);
  assert.equal(t.leave.allowed, true);
  const testId = t.tests[t.tests.length - 1].id;
  const done = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/discharge`, home), 200);
  assert.equal(done.status, 'discharged');
  assert.equal(done.isolation.early, true);
  assert.equal(done.discharge.early_test_id, testId);
  assert.equal(done.changes[done.changes.length - 1].kind, 'early_end');
});

test('a fever is referred to hospital with the epidemic report, never admitted', async () => {
  let e = assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ temperature_tenths: 376 })), 409, 'fever_referral_required', 'decision');
  assert.match(e.message, /37\.6 °C.*37\.3 °C/);
  e = assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ temperature_tenths: 376, decision: 'hospital', hospital: '潍坊市人民医院' })), 400, 'required', 'report_to');
  const x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({
    temperature_tenths: 376, decision: 'hospital', hospital: '潍坊市人民医院发热门诊', report_to: '坊子区疫情防控指挥部', symptoms: '发热，咳嗽',
  })), 201);
  assert.equal(x.status, 'referred');
  assert.equal(x.fever, true);
  assert.equal(x.epidemic_report.reported_to, '坊子区疫情防控指挥部');
  assert.equal(x.room_id, null);
  assert.deepEqual(x.next_steps, []);
  // a fever found in the station must be reported too
  const y = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival()), 201);
  assertError(await rescue.post(`/api/v1/rescue/intakes/${y.id}/observations`, { temperature_tenths: 380 }), 400, 'required', 'report_to');
  const o = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${y.id}/observations`, { temperature_tenths: 380, report_to: '坊子区疫情防控指挥部' }), 201);
  assert.equal(o.observations[0].fever, true);
  assertStatus(await rescue.post(`/api/v1/rescue/intakes/${y.id}/discharge`, { kind: 'hospital', transfer_to: '潍坊市人民医院' }), 200);
});

test('from a risk area or unverifiable: isolation, not the dormitory; refusals need a reason', async () => {
  let e = assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ risk: 'medium_high' })), 409, 'isolation_required', 'decision');
  assert.match(e.message, /中高风险/);
  e = assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ risk: 'unverifiable' })), 409, 'isolation_required');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ decision: 'refuse', reason: '' })), 400, 'required', 'reason');
  const r = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({ decision: 'refuse', reason: '有固定住所，已劝导返回' })), 201);
  assert.equal(r.status, 'refused');
});

test('bad input is refused naming the field, and leaves nothing', async () => {
  const before = (await rescue.get(`/api/v1/rescue/intakes?station_id=${station.id}&status=`)).json.total;
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ arrived_at: at(1, 9) })), 400, 'invalid_value', 'arrived_at');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ temperature_tenths: '36.5' })), 400, 'invalid_value', 'temperature_tenths');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ temperature_tenths: 3650 })), 400, 'invalid_value', 'temperature_tenths');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ name: '' })), 400, 'required', 'name');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ id_number: '110105194912310021' })), 400, 'invalid_id_number', 'id_number');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ unidentified: true, name: '' })), 400, 'required', 'description');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ room_id: isolationRoom.id })), 409, 'wrong_zone', 'room_id');
  assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ station_id: 999999 })), 404, 'not_found');
  assert.equal((await rescue.get(`/api/v1/rescue/intakes?station_id=${station.id}&status=`)).json.total, before);
});

test('beds: a full room is refused, and a room keeps at least the beds in use', async () => {
  const s = assertStatus(await rescue.post('/api/v1/rescue/stations', { name: '床位测试站', region_code: '370704' }), 201);
  const room = assertStatus(await rescue.post(`/api/v1/rescue/stations/${s.id}/rooms`, { name: '单间', zone: 'general', beds: 1 }), 201).room_list[0];
  assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({ station_id: s.id, room_id: room.id })), 201);
  const e = assertError(await rescue.post('/api/v1/rescue/intakes', arrival({ station_id: s.id, room_id: room.id })), 409, 'room_full', 'room_id');
  assert.match(e.message, /单间.*已满/);
  assertError(await rescue.patch(`/api/v1/rescue/rooms/${room.id}`, { beds: 0 }), 409, 'beds_in_use', 'beds');
  assertStatus(await rescue.patch(`/api/v1/rescue/rooms/${room.id}`, { beds: 4 }), 200);
  const after = assertStatus(await rescue.get(`/api/v1/rescue/stations/${s.id}`), 200);
  assert.equal(after.room_list[0].free, 3);
  assertError(await rescue.post('/api/v1/rescue/stations', { name: '床位测试站', region_code: '370704' }), 409, 'duplicate_name', 'name');
});

test('isolation extension and reduction keep the previous end and the reason; the stay is extended with approval', async () => {
  const arrived = at(-3, 20);
  let x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({ arrived_at: arrived, risk: 'medium_high', decision: 'isolate', room_id: isolationRoom.id })), 201);
  const end = addDays(dateOf(arrived), 14);
  x = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/isolation/change`, { new_end: addDays(end, 3), reason: '复检结果未出' }), 200);
  assert.equal(x.isolation.planned_end, addDays(end, 3));
  assert.equal(x.stay_until, addDays(end, 3));
  let c = x.changes[x.changes.length - 1];
  assert.deepEqual([c.kind, c.previous_end, c.new_end, c.reason], ['extend', end, addDays(end, 3), '复检结果未出']);
  x = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/isolation/change`, { new_end: addDays(dateOf(arrived), 7), reason: '核实为低风险地区' }), 200);
  c = x.changes[x.changes.length - 1];
  assert.deepEqual([c.kind, c.previous_end], ['reduce', addDays(end, 3)]);
  assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/isolation/change`, { new_end: addDays(end, 5), reason: '' }), 400, 'required', 'reason');
  // the stay: an early "end of stay" is refused; an extension needs who approved it
  assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/discharge`, { kind: 'max_stay' }), 409, 'stay_not_reached');
  assertError(await rescue.post(`/api/v1/rescue/intakes/${x.id}/stay`, { until: addDays(x.stay_until, 5), reason: '等待接送' }), 400, 'required', 'approved_by');
  x = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/stay`, { until: addDays(x.stay_until, 5), reason: '等待接送', approved_by: '站长 王建国' }), 200);
  c = x.changes[x.changes.length - 1];
  assert.deepEqual([c.what, c.approved_by], ['stay', '站长 王建国']);
});

test('names and ID numbers are masked; unmasking (rescue workers and county staff have registry.unmask) is audited', async () => {
  const id = makeId({ sex: 'male', birth: '1968-05-04' });
  const x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({ name: '王小五', id_number: id })), 201);
  assert.equal(x.name, '王**');
  assert.equal(x.id_number, id.slice(0, 6) + '********' + id.slice(-4));
  assert.equal(x.sex, 'male');
  assert.equal(x.masked, true);
  const list = assertStatus(await rescue.get(`/api/v1/rescue/intakes?station_id=${station.id}&q=${encodeURIComponent('王小五')}`), 200);
  assert.equal(list.total, 1);
  assert.equal(list.items[0].name, '王**');
  const own = assertStatus(await rescue.get(`/api/v1/rescue/intakes/${x.id}?unmask=1`), 200);
  assert.equal(own.name, '王小五', 'the station staff see the full name of the person they shelter');
  const full = assertStatus(await county.get(`/api/v1/rescue/intakes/${x.id}?unmask=1`), 200);
  assert.equal(full.name, '王小五');
  assert.equal(full.id_number, id);
  assert.equal(full.masked, false);
  const rows = sqlite(srv.dbPath, `SELECT user_name || ' ' || action FROM audit_log WHERE object = 'rescue_intake:${x.id}' AND action = 'rescue.unmask';`, { allowFail: true });
  const n = Number(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE object = 'rescue_intake:${x.id}' AND action = 'rescue.unmask';`).trim());
  assert.equal(n, 2, `each unmask audited ${JSON.stringify(rows)}`);
});

test('another county gets 404 for the station\'s records; a township has no rescue permission', async () => {
  const x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival()), 201);
  assertError(await otherCounty.get(`/api/v1/rescue/intakes/${x.id}`), 404, 'not_found');
  assertError(await otherCounty.get(`/api/v1/rescue/stations/${station.id}`), 404, 'not_found');
  assertError(await otherCounty.post(`/api/v1/rescue/intakes/${x.id}/discharge`, { kind: 'voluntary', declaration_signed: true }), 404, 'not_found');
  assertError(await otherCounty.get(`/api/v1/rescue/dashboard?station_id=${station.id}`), 404, 'not_found');
  const l = assertStatus(await otherCounty.get('/api/v1/rescue/intakes?status=&limit=200'), 200);
  assert.ok(l.items.every((i) => i.region_code.startsWith('370705')), 'only 奎文区 rows');
  assert.ok(!l.items.some((i) => i.id === x.id));
  assertError(await otherCounty.post('/api/v1/rescue/intakes', arrival()), 404, 'not_found'); // the station is not theirs
  // the township: 403 for lists and new records, 404 for a record by id
  assertError(await township.get('/api/v1/rescue/intakes'), 403, 'forbidden');
  assertError(await township.post('/api/v1/rescue/patrols', { station_id: station.id }), 403, 'forbidden');
  assertError(await township.get(`/api/v1/rescue/intakes/${x.id}`), 404, 'not_found');
  // the county of the station sees and acts
  assertStatus(await county.get(`/api/v1/rescue/intakes/${x.id}`), 200);
  const v = assertStatus(await county.post(`/api/v1/rescue/intakes/${x.id}/discharge`, { kind: 'voluntary' }).then((r) => r), 400);
  assert.equal(v.error.code, 'declaration_required');
  assertStatus(await county.post(`/api/v1/rescue/intakes/${x.id}/discharge`, { kind: 'voluntary', declaration_signed: true }), 200);
});

test('an unidentified arrival has a family-search notice due within 24 hours', async () => {
  const arrived = at(-3, 23, 0);
  const x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({ arrived_at: arrived, unidentified: true, name: '', description: '男，约 60 岁，身穿蓝色棉衣，言语不清' })), 201);
  assert.equal(x.family_search.due, `${addDays(dateOf(arrived), 1)}T23:00:00+08:00`);
  assert.equal(x.family_search.overdue, true);
  assert.ok(x.next_steps.includes('family_search'));
  const d = assertStatus(await rescue.get(`/api/v1/rescue/dashboard?station_id=${station.id}`), 200);
  assert.ok(d.family_search_overdue >= 1);
  const y = assertStatus(await rescue.post(`/api/v1/rescue/intakes/${x.id}/family-search`, { channel: '全国救助寻亲网', text: '寻亲公告' }), 200);
  assert.equal(y.family_search.overdue, false);
  assert.equal(y.family_search.channel, '全国救助寻亲网');
});

test('street patrols: people met, goods given, counted on the dashboard', async () => {
  const today = at(0, 0).slice(0, 10);
  const before = assertStatus(await rescue.get(`/api/v1/rescue/dashboard?station_id=${station.id}&from=${today}&to=${today}`), 200).outreach;
  assertError(await rescue.post('/api/v1/rescue/patrols', { station_id: station.id, date: today, area: '火车站广场', staff: '刘强', contacts: [{ masks: 1 }] }), 400, 'required', 'contacts[0].description');
  const p = assertStatus(await rescue.post('/api/v1/rescue/patrols', {
    station_id: station.id, date: today, area: '火车站广场、白浪河桥下', staff: '刘强、孙丽', note: '夜间巡查',
    contacts: [
      { description: '男，约 50 岁，拒绝入站', masks: 2, warm_clothing: 1, food: 2 },
      { name: '李四', accepted: true, masks: 1, food: 1 },
    ],
  }), 201);
  assert.deepEqual([p.people, p.accepted, p.masks, p.warm_clothing, p.food], [2, 1, 3, 1, 3]);
  assert.equal(p.contacts[1].name, '李*');
  const list = assertStatus(await rescue.get(`/api/v1/rescue/patrols?station_id=${station.id}`), 200);
  assert.ok(list.items.some((x) => x.id === p.id));
  assertStatus(await rescue.get(`/api/v1/rescue/patrols/${p.id}`), 200);
  assertError(await otherCounty.get(`/api/v1/rescue/patrols/${p.id}`), 404, 'not_found');
  const d = assertStatus(await rescue.get(`/api/v1/rescue/dashboard?station_id=${station.id}&from=${today}&to=${today}`), 200).outreach;
  assert.deepEqual([d.patrols - before.patrols, d.people_met - before.people_met, d.masks - before.masks, d.warm_clothing - before.warm_clothing, d.food - before.food],
    [1, 2, 3, 1, 3]);
});

test('the dashboard: people present, in isolation with end dates, beds free', async () => {
  const d = assertStatus(await rescue.get(`/api/v1/rescue/dashboard?station_id=${station.id}`), 200);
  const present = assertStatus(await rescue.get(`/api/v1/rescue/intakes?station_id=${station.id}&status=present&limit=200`), 200);
  assert.equal(d.in_station, present.total);
  assert.equal(d.in_isolation, present.items.filter((x) => x.status === 'isolation').length);
  assert.equal(d.beds, 6);
  assert.equal(d.beds_free, 6 - present.items.filter((x) => x.room_name).length);
  assert.equal(d.isolation.length, d.in_isolation);
  for (const i of d.isolation) assert.match(i.planned_end, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(d.days.length, 14);
  assertError(await rescue.get('/api/v1/rescue/dashboard?from=2020-01-01&to=2020-12-31'), 400, 'invalid_value', 'from');
});

test('the CLI reads and refuses like the API (with an injected now)', async () => {
  const x = assertStatus(await rescue.post('/api/v1/rescue/intakes', arrival({ arrived_at: at(-1, 8), risk: 'medium_high', decision: 'isolate', room_id: isolationRoom.id })), 201);
  const shown = JSON.parse(cliOk(['rescue', 'show', '--db', srv.dbPath, '--id', String(x.id)]));
  assert.equal(shown.status, 'isolation');
  assert.equal(shown.isolation.planned_end, x.isolation.planned_end);
  const r = cli(['rescue', 'discharge', '--db', srv.dbPath, '--id', String(x.id), '--json', '-'], { input: JSON.stringify({ kind: 'voluntary', declaration_signed: true }) });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /negative_test_required/);
  // the same record seen on its planned end day: no longer early
  const later = JSON.parse(cliOk(['rescue', 'show', '--db', srv.dbPath, '--id', String(x.id), '--now', `${x.isolation.planned_end}T09:00`]));
  assert.equal(later.leave.early, false);
  assert.equal(later.isolation.days_left, 0);
});

test('the audit chain is intact after every rescue write', () => {
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});
