// marriage.test.mjs — marriage-registration appointments over real HTTP (docs/marriage.md): the
// public booking without an account (checks with clear messages, the legal age on its boundary
// day, one active booking per person, the race for the last place of a slot: exactly one wins),
// lookup / change / cancel by booking code and ID number revealing nothing on a miss, ID numbers
// never echoed in full, the per-address throttle; the registrar's settings, dated epidemic rule
// and the bookings over it to call, the day's list with check-in, fever, outcome and statistics,
// masking and the audited unmask, exports, scope and permission; the audit chain.
//
// The server's clock is real: the test's office opens every day of the week and the bookings
// fall a few days after today.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, isChinese, makeId, makePhone, todayShanghai } from '../lib/http.mjs';
import { addUser, auditVerify, startServer } from '../lib/server.mjs';

let srv, registrar, other, leader, office;
const EVERY_DAY = Array(7).fill('09:00-12:00').join(';');

function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const D = addDays(todayShanghai(), 3);
const D2 = addDays(todayShanghai(), 4);

/** A public request (no cookie, no CSRF token). */
async function pub(method, path, body) {
  const res = await fetch(srv.url + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** A GET from another loopback source address (the throttle counts per client address). */
function getFrom(localAddress, path) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path, localAddress, method: 'GET' }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

function couple(time, { man = {}, woman = {}, date = D } = {}) {
  return {
    office_id: office.id,
    date,
    time,
    party: [
      { name: '王建国', id_number: makeId({ sex: 'male', birth: '1990-05-06', ...man }) },
      { name: '刘芳芳', id_number: makeId({ sex: 'female', birth: '1993-07-08', ...woman }) },
    ],
    phone: makePhone(),
  };
}

before(async () => {
  srv = await startServer();
  addUser(srv.dbPath, 'mar_other', 'county_staff', '370705');
  registrar = await srv.login('registrar');
  other = await srv.login('mar_other');
  leader = await srv.login('leader');
  const list = assertStatus(await registrar.get('/api/v1/marriage/offices'), 200, 'offices');
  office = list.items.find((o) => o.region_code.startsWith('370704'));
  assert.ok(office, 'the demo has a marriage office in 坊子区');
  assert.equal(office.configured, true, 'the demo configured it');
  const put = assertStatus(
    await registrar.raw('PUT', `/api/v1/marriage/offices/${office.id}`, {
      body: { hours: EVERY_DAY, slot_minutes: 30, capacity: 2 },
    }),
    200,
    'settings',
  );
  assert.equal(put.capacity, 2);
});

after(async () => {
  await srv?.stop();
});

test('the public page lists offices and free slots without an account', async () => {
  const offices = assertStatus(await pub('GET', '/api/v1/public/marriage/offices'), 200);
  assert.equal(offices.total, 13, 'one office per county in the demo');
  assert.ok(offices.items.some((o) => o.id === office.id));
  const plan = assertStatus(await pub('GET', `/api/v1/public/marriage/offices/${office.id}/slots?date=${D}`), 200);
  assert.equal(plan.open, true);
  assert.deepEqual(plan.slots.map((s) => s.time), ['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
  assert.ok(plan.slots.every((s) => s.available === true && s.booked === undefined), 'no counts on the public side');
  assertError(await pub('GET', `/api/v1/public/marriage/offices/999999/slots?date=${D}`), 404, 'not_found');
  assertError(await pub('GET', `/api/v1/public/marriage/offices/${office.id}/slots?date=2026-02-30`), 400, 'invalid_value', 'date');
});

test('booking checks give clear messages and change nothing', async () => {
  const bad = couple('09:00');
  bad.party[0].id_number = bad.party[0].id_number.slice(0, 17) + (bad.party[0].id_number[17] === '1' ? '2' : '1');
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', bad), 400, 'invalid_id_number', 'party[0].id_number');
  const same = couple('09:00');
  same.party[1].id_number = same.party[0].id_number;
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', same), 400, 'same_person');
  const noPhone = couple('09:00');
  noPhone.phone = '';
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', noPhone), 400, 'required', 'phone');
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', couple('09:10')), 409, 'slot_unavailable', 'time');
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', couple('09:00', { date: todayShanghai() })), 400, 'invalid_value', 'date');
  const plan = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/slots?date=${D}`), 200);
  assert.equal(plan.slots[0].booked, 0);
});

test('the legal age counts on the appointment date itself', async () => {
  const [y, m, d] = D.split('-');
  const turns22 = `${Number(y) - 22}-${m}-${d}`; // 22 on D
  const dayAfter = addDays(turns22, 1); // 22 only on D + 1
  const young = couple('11:30', { man: { birth: dayAfter } });
  const e = assertError(await pub('POST', '/api/v1/public/marriage/bookings', young), 400, 'under_age', 'party[0].id_number');
  assert.match(e.message, /22/);
  const ok = couple('11:30', { man: { birth: turns22 } });
  assertStatus(await pub('POST', '/api/v1/public/marriage/bookings', ok), 201, 'man 22 on the day');
  const girl = couple('11:00', { woman: { birth: addDays(`${Number(y) - 20}-${m}-${d}`, 1) } });
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', girl), 400, 'under_age', 'party[1].id_number');
});

let booked; // {input, answer} of the couple that looks up, changes and cancels

test('a booking answers a code and never echoes ID numbers or the phone', async () => {
  const input = couple('09:00');
  const res = await pub('POST', '/api/v1/public/marriage/bookings', input);
  const b = assertStatus(res, 201, 'book');
  assert.match(b.code, /^[A-HJ-NP-Z2-9]{8}$/);
  assert.equal(b.date, D);
  assert.equal(b.time, '09:00');
  assert.equal(b.status, 'booked');
  for (const p of input.party) assert.ok(!res.text.includes(p.id_number), 'no full ID number in the answer');
  assert.ok(!res.text.includes(input.phone), 'no phone in the answer');
  assert.equal(b.parties[0].name, '王**');
  assert.equal(b.parties[0].id_number, input.party[0].id_number.slice(0, 6) + '********' + input.party[0].id_number.slice(-4));
  booked = { input, answer: b };
  // either person again, with someone else: one active booking per person
  const again = couple('10:00');
  again.party[1].id_number = input.party[1].id_number;
  assertError(await pub('POST', '/api/v1/public/marriage/bookings', again), 409, 'already_booked');
});

test('two couples racing for the last place: exactly one wins', async () => {
  assertStatus(await pub('POST', '/api/v1/public/marriage/bookings', couple('09:30')), 201, 'first of two places');
  const [a, b] = await Promise.all([
    pub('POST', '/api/v1/public/marriage/bookings', couple('09:30')),
    pub('POST', '/api/v1/public/marriage/bookings', couple('09:30')),
  ]);
  const statuses = [a.status, b.status].sort();
  assert.deepEqual(statuses, [201, 409], `${a.text} / ${b.text}`);
  const loser = a.status === 409 ? a : b;
  assertError(loser, 409, 'slot_full');
  assert.ok(isChinese(loser.json.error.message));
  const plan = assertStatus(await pub('GET', `/api/v1/public/marriage/offices/${office.id}/slots?date=${D}`), 200);
  assert.equal(plan.slots[1].available, false);
});

test('code and ID number show, change and cancel; a miss reveals nothing', async () => {
  const { input, answer } = booked;
  const woman = input.party[1].id_number;
  const got = assertStatus(await pub('POST', '/api/v1/public/marriage/bookings/lookup', { code: answer.code.toLowerCase(), id_number: woman }), 200);
  assert.equal(got.code, answer.code);
  const wrongId = await pub('POST', '/api/v1/public/marriage/bookings/lookup', { code: answer.code, id_number: makeId({ sex: 'female' }) });
  const wrongCode = await pub('POST', '/api/v1/public/marriage/bookings/lookup', { code: 'ZZZZZZZZ', id_number: woman });
  assertError(wrongId, 404, 'not_found');
  assertError(wrongCode, 404, 'not_found');
  assert.equal(wrongId.text, wrongCode.text, 'the same answer whether the code or the ID number is wrong');
  const moved = assertStatus(
    await pub('POST', '/api/v1/public/marriage/bookings/change', { code: answer.code, id_number: woman, date: D2, time: '10:00' }),
    200,
  );
  assert.equal(moved.date, D2);
  assert.equal(moved.time, '10:00');
  const cancelled = assertStatus(await pub('POST', '/api/v1/public/marriage/bookings/cancel', { code: answer.code, id_number: woman }), 200);
  assert.equal(cancelled.status, 'cancelled');
  assertError(await pub('POST', '/api/v1/public/marriage/bookings/cancel', { code: answer.code, id_number: woman }), 409, 'booking_closed');
  // cancelled: both may book again
  assertStatus(await pub('POST', '/api/v1/public/marriage/bookings', { ...couple('10:30'), party: input.party }), 201, 'again after cancel');
});

test('the registrar: day list masked, unmask audited, check-in with fever, outcomes, statistics', async () => {
  const day = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}`), 200);
  assert.equal(day.total, 4); // 09:30 ×2, 10:30, 11:30
  assert.ok(day.items.every((b) => b.masked && /\*/.test(b.party_a) && /\*{4}/.test(b.phone)));
  const full = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}&unmask=1`), 200);
  assert.equal(full.items[0].party_a, '王建国');
  const [x, y, z] = full.items;
  const fever = assertStatus(await registrar.post(`/api/v1/marriage/bookings/${x.id}/checkin`, { temperature_tenths: 375 }), 200);
  assert.equal(fever.fever, true);
  assert.equal(fever.outcome, 'not_registered');
  assertError(await registrar.post(`/api/v1/marriage/bookings/${y.id}/outcome`, { outcome: 'registered' }), 409, 'not_checked_in');
  assertStatus(await registrar.post(`/api/v1/marriage/bookings/${y.id}/checkin`, { temperature_tenths: 365 }), 200);
  assertStatus(await registrar.post(`/api/v1/marriage/bookings/${y.id}/outcome`, { outcome: 'registered' }), 200);
  assertError(await registrar.post(`/api/v1/marriage/bookings/${y.id}/outcome`, { outcome: 'no_show' }), 409, 'outcome_recorded');
  assertStatus(await registrar.post(`/api/v1/marriage/bookings/${z.id}/outcome`, { outcome: 'no_show' }), 200);
  assertError(await registrar.post(`/api/v1/marriage/bookings/${z.id}/checkin`, {}), 400, 'required', 'temperature_tenths');
  const after = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}`), 200);
  assert.deepEqual(after.stats, { booked: 4, arrived: 2, registered: 1, not_registered: 1, no_show: 1, fever: 1 });
  const csv = await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}&format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /csv/);
  assert.match(csv.text, /预约码/);
});

test('a dated rule cuts capacity overnight and lists the bookings to call, cancelling none', async () => {
  // two open bookings in the 11:00 slot (capacity 2); those of 09:30 already have an outcome
  const first = assertStatus(await pub('POST', '/api/v1/public/marriage/bookings', couple('11:00')), 201);
  const second = assertStatus(await pub('POST', '/api/v1/public/marriage/bookings', couple('11:00')), 201);
  const res = await registrar.post(`/api/v1/marriage/offices/${office.id}/rules`, {
    effective_from: D, one_couple: true, counselling_suspended: true, ceremony_suspended: true, note: '疫情防控',
  });
  const o = assertStatus(res, 201, 'rule');
  assert.equal(o.rules[0].effective_from, D);
  const plan = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/slots?date=${D}`), 200);
  assert.equal(plan.slots[1].capacity, 1);
  assert.equal(plan.slots[1].booked, 2);
  assert.equal(plan.one_couple, true);
  const over = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/over-capacity`), 200);
  assert.equal(over.total, 1, 'the later of the two open 11:00 bookings');
  assert.equal(over.items[0].why, 'over_capacity');
  assert.equal(over.items[0].code, second.code);
  assert.notEqual(over.items[0].code, first.code);
  const day = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}`), 200);
  assert.equal(day.total, 6, 'nobody was cancelled');
  const xlsx = await registrar.get(`/api/v1/marriage/offices/${office.id}/over-capacity?format=xlsx`);
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheet/);
  assertError(
    await registrar.post(`/api/v1/marriage/offices/${office.id}/rules`, { effective_from: D, capacity_limit: 99 }),
    400,
    'invalid_value',
    'capacity_limit',
  );
  assertError(await registrar.post(`/api/v1/marriage/offices/${office.id}/closed`, { date: D }), 400, 'required', 'reason');
  const closed = assertStatus(await registrar.post(`/api/v1/marriage/offices/${office.id}/closed`, { date: D2, reason: '场地消杀' }), 201);
  assert.ok(closed.closed.some((c) => c.date === D2));
  const slots = assertStatus(await pub('GET', `/api/v1/public/marriage/offices/${office.id}/slots?date=${D2}`), 200);
  assert.equal(slots.open, false);
  assert.match(slots.reason, /场地消杀/);
});

test('scope, permission and CSRF', async () => {
  assertError(await other.get(`/api/v1/marriage/offices/${office.id}`), 404, 'not_found');
  const day = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}`), 200);
  assertError(await other.get(`/api/v1/marriage/bookings/${day.items[0].id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/marriage/bookings/${day.items[3].id}/checkin`, { temperature_tenths: 365 }), 404, 'not_found');
  assertError(await leader.get('/api/v1/marriage/offices'), 403, 'forbidden');
  assertError(await registrar.post(`/api/v1/marriage/bookings/${day.items[3].id}/checkin`, { temperature_tenths: 365 }, { csrf: false }), 403, 'csrf_failed');
  const list = assertStatus(await other.get('/api/v1/marriage/offices'), 200);
  assert.ok(list.items.every((o) => o.region_code.startsWith('370705')));
});

test('public requests are throttled per client address', async () => {
  let last;
  for (let i = 0; i < 60; i++) {
    last = await getFrom('127.0.0.2', '/api/v1/public/marriage/offices');
    assert.equal(last.status, 200, `request ${i + 1}`);
  }
  last = await getFrom('127.0.0.2', '/api/v1/public/marriage/offices');
  assertError({ ...last, json: last.json }, 429, 'throttled');
  const elsewhere = await getFrom('127.0.0.3', '/api/v1/public/marriage/offices');
  assert.equal(elsewhere.status, 200, 'another address is not affected');
});

test('the CLI reads the same day through the same functions', async () => {
  const api = assertStatus(await registrar.get(`/api/v1/marriage/offices/${office.id}/day?date=${D}`), 200);
  const r = srv.cli(['marriage', 'day', '--db', srv.dbPath, '--id', String(office.id), '--date', D]);
  assert.equal(r.status, 0, r.stderr);
  const cli = JSON.parse(r.stdout);
  assert.deepEqual(cli.stats, api.stats);
  assert.deepEqual(cli.items.map((b) => b.code), api.items.map((b) => b.code));
  const bad = srv.cli(['marriage', 'checkin', '--db', srv.dbPath, '--booking', String(api.items[5].id), '--temperature', '50']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /体温/);
});

test('the audit chain holds every write', async () => {
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});
