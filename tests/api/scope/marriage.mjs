// scope/marriage.mjs — the marriage module's part of the scope matrix (tests/api/scope.test.mjs):
// a marriage office (an institution of type marriage_office) in the fixture village's township,
// open every day, and one couple's booking made through the public page, as a couple would.
//
// The registrar's routes need the `marriage` permission (registrars, county staff, the city
// admin; the route table): every other role gets 403 whatever the office or booking. An office
// and its bookings are the township's.
//
// The public routes are public by design: anyone, without an account, sees any office that takes
// bookings and its free slots (that is how a couple chooses where to book), so a region scope does
// not apply to them. What the public side must not do is reveal the couple: the fixture checks that
// the booking's answer and the office's public slots carry neither their names, ID numbers and
// phone nor how many have booked.
import assert from 'node:assert/strict';

import { makeId, makePhone, todayShanghai } from '../../lib/http.mjs';

const PUBLIC = '/api/v1/public/marriage/';
export const prefix = ['/api/v1/marriage/', PUBLIC];

function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

async function pub(admin, method, path, body) {
  const res = await fetch(admin.url + path, {
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
  return { status: res.status, json, text };
}

// The public side is throttled per client address (60 requests in 10 minutes) and the matrix
// builds a fixture for every test: one office and one booking per village serve them all (the
// matrix only ever expects them unchanged).
const perVillage = new Map();

export function fixture(admin, village, tag) {
  if (!perVillage.has(village)) perVillage.set(village, makeOffice(admin, village, tag));
  return perVillage.get(village);
}

async function makeOffice(admin, village, tag) {
  const township = village.slice(0, 9);
  const inst = await admin.post('/api/v1/institutions', { name: `范围婚姻登记处${tag}`, type: 'marriage_office', region_code: township, opened_on: '2020-01-01' });
  assert.equal(inst.status, 201, `admin registers a marriage office in ${township}: ${inst.text}`);
  const office = inst.json.id;
  const put = await admin.raw('PUT', `/api/v1/marriage/offices/${office}`, { body: { hours: Array(7).fill('09:00-12:00').join(';'), slot_minutes: 30, capacity: 2 } });
  assert.equal(put.status, 200, `admin configures the office: ${put.text}`);

  const date = addDays(todayShanghai(), 3);
  const party = [
    { name: `范围新郎${tag}`, id_number: makeId({ sex: 'male', birth: '1990-05-06' }) },
    { name: `范围新娘${tag}`, id_number: makeId({ sex: 'female', birth: '1993-07-08' }) },
  ];
  const phone = makePhone();
  const b = await pub(admin, 'POST', `${PUBLIC}bookings`, { office_id: office, date, time: '09:00', party, phone });
  assert.equal(b.status, 201, `a couple books through the public page: ${b.text}`);
  const secrets = [...party.flatMap((p) => [p.name, p.id_number]), phone];
  for (const s of secrets) assert.ok(!b.text.includes(s), `the public answer to the booking does not carry ${s}`);

  // the public slots of the day: the booked slot is shown, nothing of who booked it or how many
  const plan = await pub(admin, 'GET', `${PUBLIC}offices/${office}/slots?date=${date}`);
  assert.equal(plan.status, 200, `public slots: ${plan.text}`);
  for (const s of secrets) assert.ok(!plan.text.includes(s), `the public slots do not carry ${s}`);
  assert.ok(plan.json.slots.some((s) => s.time === '09:00'), 'the booked slot is listed');
  for (const s of plan.json.slots) assert.deepEqual(Object.keys(s).sort(), ['available', 'time'], 'a public slot is its time and whether it is free');

  // the registrar's side knows the booking by its id
  const day = await admin.get(`/api/v1/marriage/offices/${office}/day?date=${date}`);
  assert.equal(day.status, 200, `the office's day: ${day.text}`);
  const booking = day.json.items.find((x) => x.code === b.json.code);
  assert.ok(booking, 'the booking is on the day list');
  return { marriage_office_id: office, marriage_booking_id: booking.id, marriage_date: date };
}

export function param(prev, pattern, f) {
  if (prev === 'bookings') return f.marriage_booking_id;
  if (prev === 'offices') return f.marriage_office_id; // (a day's slots and list: today's)
  return undefined;
}

export const level = () => 'township';

// The public list of offices is public by design (every office taking bookings, for anyone) and
// its rows are offices, not records of a region's people.
export const unscoped = ['GET /api/v1/public/marriage/offices'];

// Valid bodies for the registrar's writes, so that only the scope can be the reason for a refusal:
// a foreign office or booking answers 404 whatever the body says.
export function body(method, pattern) {
  const tomorrow = new Date(Date.now() + 8 * 3600e3 + 86400e3).toISOString().slice(0, 10);
  if (method === 'PUT' && /\/offices\/\{[^}]+\}$/.test(pattern)) {
    return { hours: Array(7).fill('09:00-12:00').join(';'), slot_minutes: 30, capacity: 2 };
  }
  if (pattern.endsWith('/closed')) return { date: tomorrow, reason: '越权测试' };
  if (pattern.endsWith('/rules')) return { effective_from: tomorrow, one_couple: true, note: '越权测试' };
  if (pattern.endsWith('/checkin')) return { temperature_tenths: 365 };
  if (pattern.endsWith('/outcome')) return { outcome: 'registered' };
  return undefined;
}

// the couples' side is public by design (see the header)
export const publicRoutes = Object.fromEntries([
  'GET /api/v1/public/marriage/offices', 'GET /api/v1/public/marriage/offices/{id}/slots', 'POST /api/v1/public/marriage/bookings',
  'POST /api/v1/public/marriage/bookings/lookup', 'POST /api/v1/public/marriage/bookings/change', 'POST /api/v1/public/marriage/bookings/cancel',
].map((r) => [r, 'the couples\' public booking: any office taking bookings, no account; it never shows who booked (checked by the fixture)']));
