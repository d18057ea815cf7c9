// race.test.mjs — two `minzheng serve` on one PostgreSQL database (run by tests/pg/run-api.sh,
// which sets MZ_TEST_PG_URL): writers of both instances are serial (db_begin_write's advisory
// lock), so couples racing for the last place of a slot through both get exactly one place; the
// public throttle lives in the database and counts the requests of both; the audit chain holds.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId, makePhone, todayShanghai } from '../lib/http.mjs';
import { auditVerify, spawnServe, startServer } from '../lib/server.mjs';

let a, b, office;

function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const D = addDays(todayShanghai(), 3);

function couple(time, man) {
  return {
    office_id: office.id,
    date: D,
    time,
    party: [
      { name: '王建国', id_number: makeId({ sex: 'male', birth: man }) },
      { name: '刘芳芳', id_number: makeId({ sex: 'female', birth: '1993-07-08' }) },
    ],
    phone: makePhone(),
  };
}

/** A public POST from a given loopback address (the throttle counts per address). */
function postFrom(url, localAddress, path, body) {
  const u = new URL(url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, localAddress, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function getFrom(url, localAddress, path) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, localAddress, method: 'GET' }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  assert.ok(process.env.MZ_TEST_PG_URL, 'MZ_TEST_PG_URL must name a PostgreSQL server (tests/pg/run-api.sh sets it)');
  a = await startServer();
  b = await spawnServe(a.dbPath);
  const registrar = await a.login('registrar');
  const list = assertStatus(await registrar.get('/api/v1/marriage/offices'), 200, 'offices');
  office = list.items.find((o) => o.region_code.startsWith('370704'));
  assert.ok(office, 'the demo has a marriage office in 坊子区');
  assertStatus(
    await registrar.raw('PUT', `/api/v1/marriage/offices/${office.id}`, {
      body: { hours: Array(7).fill('09:00-12:00').join(';'), slot_minutes: 30, capacity: 2 },
    }),
    200,
    'settings',
  );
});

after(async () => {
  await b?.stop();
  await a?.stop();
});

test('eight couples through two servers race for the last place of each of three slots: one wins each', async () => {
  const times = ['09:30', '10:00', '10:30'];
  let addr = 10;
  for (const [i, time] of times.entries()) {
    const first = await postFrom(a.url, `127.0.0.${addr++}`, '/api/v1/public/marriage/bookings', couple(time, `1980-01-${String(10 + i).padStart(2, '0')}`));
    assertStatus(first, 201, `first of two places at ${time}`);
    const racers = Array.from({ length: 8 }, (_, k) =>
      postFrom(k % 2 ? b.url : a.url, `127.0.0.${addr++}`, '/api/v1/public/marriage/bookings', couple(time, `1985-0${1 + (k % 9)}-${String(10 + i + k).padStart(2, '0')}`)),
    );
    const res = await Promise.all(racers);
    const won = res.filter((r) => r.status === 201);
    const lost = res.filter((r) => r.status === 409);
    assert.equal(won.length, 1, `exactly one of eight wins ${time}: ${res.map((r) => r.status).join(',')} ${res.map((r) => r.text).join(' / ').slice(0, 600)}`);
    assert.equal(lost.length, 7, `the other seven are 409: ${res.map((r) => r.status).join(',')}`);
    for (const r of lost) assertError(r, 409, 'slot_full');
  }
  const plan = assertStatus(await getFrom(b.url, '127.0.0.99', `/api/v1/public/marriage/offices/${office.id}/slots?date=${D}`), 200);
  for (const time of times) {
    const slot = plan.slots.find((s) => s.time === time);
    assert.ok(slot, `slot ${time} listed`);
    assert.equal(slot.available, false, `slot ${time} is full on the other server too`);
  }
});

test('the public throttle is one count in the database: 60 requests over both servers, the 61st is refused on either', async () => {
  for (let i = 0; i < 60; i++) {
    const r = await getFrom(i % 2 ? b.url : a.url, '127.0.0.200', '/api/v1/public/marriage/offices');
    assert.equal(r.status, 200, `request ${i + 1}`);
  }
  const refusedA = await getFrom(a.url, '127.0.0.200', '/api/v1/public/marriage/offices');
  assertError(refusedA, 429, 'throttled');
  const refusedB = await getFrom(b.url, '127.0.0.200', '/api/v1/public/marriage/offices');
  assertError(refusedB, 429, 'throttled');
});

test('a session made on one server is valid on the other', async () => {
  const admin = await a.login('admin');
  const r = await fetch(`${b.url}/api/v1/session`, { headers: { Cookie: admin.cookie } });
  assert.equal(r.status, 200, await r.text());
});

test('the audit chain written by both servers verifies', () => {
  const v = auditVerify(a.dbPath);
  assert.equal(v.status, 0, v.out);
  assert.ok(v.rows > 0, v.out);
});
