// twoservers.test.mjs — two `minzheng serve` processes on one database, driven at the same time,
// as a deployment with several instances behind a proxy runs them (on PostgreSQL under
// MZ_TEST_PG_URL; on SQLite two processes share the file). Writers of both instances are serial
// (on PostgreSQL db_begin_write's advisory lock, on SQLite its write lock), so: couples racing
// for the last place of a slot through both get exactly one place; the same month's payroll
// computed and confirmed through both at once is one run with each entitlement paid once, the
// same totals on both; pay-first relief grants racing through both for a reserve's last balance
// pay exactly one; the public throttle counts the requests of both; a session made on one is
// valid on the other and a logout on one ends it on both; the audit chain holds.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId, makePhone, todayShanghai } from '../lib/http.mjs';
import { auditVerify, login, spawnServe, sqlite, startServer } from '../lib/server.mjs';

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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  a = await startServer({ assistance: true });
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

test('a session made on one server is valid on the other, and a logout on one ends it on both', async () => {
  const admin = await a.login('admin');
  const r = await fetch(`${b.url}/api/v1/session`, { headers: { Cookie: admin.cookie } });
  assert.equal(r.status, 200, await r.text());
  const viaB = await login(b.url, 'admin');
  assertStatus(await viaB.get('/api/v1/session'), 200);
  assert.equal((await viaB.del('/api/v1/session')).status, 204, 'logout on b');
  const onA = await fetch(`${a.url}/api/v1/session`, { headers: { Cookie: viaB.cookie } });
  assert.equal(onA.status, 401, 'the session ended on b is gone on a too');
});

/** Wait for a job through one server; the job may run on either (jobs live in the database). */
async function waitJob(client, id) {
  for (let i = 0; i < 600; i++) {
    const j = assertStatus(await client.get(`/api/v1/jobs/${id}`), 200, `job ${id}`);
    if (j.status === 'done' || j.status === 'failed') return j;
    await sleep(50);
  }
  assert.fail(`job ${id} did not finish within 30 s`);
}

test('one month\'s payroll computed and confirmed through both servers at once: one run, each entitlement paid once, the same totals on both', async () => {
  const ca = await login(a.url, 'county_370704');
  const cb = await login(b.url, 'county_370704');
  const month = '2020-05';
  const unit = '370704';
  // four computations of the same month and unit, two through each server, at the same moment
  const submitted = await Promise.all([ca, cb, ca, cb].map((c) => c.post('/api/v1/payroll/runs', { month, unit_code: unit })));
  for (const s of submitted) assertStatus(s, 202, 'submit');
  const jobs = await Promise.all(submitted.map((s, i) => waitJob(i % 2 ? cb : ca, s.json.id)));
  const runIds = new Set();
  for (const j of jobs) {
    assert.equal(j.status, 'done', `job: ${JSON.stringify(j.error)}`);
    const r = j.result.runs.find((x) => x.unit_code === unit);
    assert.ok(r, JSON.stringify(j.result));
    runIds.add(r.run_id);
  }
  assert.equal(runIds.size, 1, `every computation names the same run: ${[...runIds]}`);
  const [runId] = runIds;
  const fromA = assertStatus(await ca.get(`/api/v1/payroll/runs/${runId}`), 200);
  const fromB = assertStatus(await cb.get(`/api/v1/payroll/runs/${runId}`), 200);
  for (const k of ['payments', 'persons', 'amount_fen', 'total_fen', 'programs']) {
    assert.deepEqual(fromB[k], fromA[k], `the same ${k} through both servers`);
  }
  assert.ok(fromA.payments > 0 && fromA.amount_fen > 0, JSON.stringify(fromA));
  // both confirm at once: exactly one confirmation, the other 409 run_confirmed
  const confirms = await Promise.all([ca.post(`/api/v1/payroll/runs/${runId}/confirm`, {}), cb.post(`/api/v1/payroll/runs/${runId}/confirm`, {})]);
  const statuses = confirms.map((c) => c.status).sort();
  assert.deepEqual(statuses, [200, 409], confirms.map((c) => c.text.slice(0, 160)).join(' / '));
  assertError(confirms.find((c) => c.status === 409), 409, 'run_confirmed');
  const [runs, payments, distinct, sum] = sqlite(a.dbPath, `SELECT
    (SELECT count(*) FROM payroll_runs WHERE month = '${month}' AND unit_code = '${unit}'),
    (SELECT count(*) FROM payments WHERE run_id = ${runId}),
    (SELECT count(*) FROM (SELECT DISTINCT program, case_id, beneficiary_id, month FROM payments WHERE month = '${month}' AND unit_code = '${unit}') AS d),
    (SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE run_id = ${runId});`).trim().split('|').map(Number);
  assert.equal(runs, 1, 'one run for the month and unit');
  assert.ok(payments > 0, 'the run pays someone');
  assert.equal(distinct, payments, 'no entitlement paid twice in the month');
  const after = assertStatus(await cb.get(`/api/v1/payroll/runs/${runId}`), 200);
  assert.equal(after.status, 'confirmed');
  assert.equal(after.payments, payments, 'the run\'s count is the stored payments');
  assert.equal(after.amount_fen, sum, 'the run\'s amount is the stored payments');
});

let serial = 0;
async function reliefPerson(admin, village) {
  serial++;
  const h = assertStatus(await admin.post('/api/v1/households', {
    region_code: village, address: `双实例救助 ${serial} 号`, residence_type: 'urban',
    members: [{ id_number: makeId({ birth: '19580301' }), name: `双实例${serial}`, relation: 'head', tags: ['isolated_family'] }],
  }), 201, 'household');
  return h.head_person_id;
}

test('pay-first relief grants racing through both servers for a reserve\'s last balance: exactly one is paid each round', async () => {
  const admin = await a.login('admin');
  const county = await login(b.url, 'county_370704');
  const townA = await login(a.url, 'township_370704009');
  const townB = await login(b.url, 'township_370704009');
  const village = assertStatus(await admin.get('/api/v1/regions?parent=370704009'), 200).items[0].code;
  const grant = (personId) => ({
    person_id: personId, kind: 'emergency', cause: 'epidemic_isolation', amount_fen: 150000, form: 'cash',
    applied_by: 'village_worker', reason: '居家隔离，家中断粮', pay_first: true,
  });
  const rounds = 4;
  for (let i = 0; i < rounds; i++) {
    const people = [];
    for (let k = 0; k < 4; k++) people.push(await reliefPerson(admin, village));
    // at least one grant's worth in the reserve: a top-up when short
    let balance = assertStatus(await townA.get('/api/v1/relief/reserves/370704009'), 200).balance_fen;
    if (balance < 150000) {
      assertStatus(await county.post('/api/v1/relief/reserves/370704009/moves', { kind: 'replenishment', amount_fen: 150000 - balance }), 201, 'top up');
      balance = 150000;
    }
    const res = await Promise.all(people.map((p, k) => (k % 2 ? townB : townA).post('/api/v1/relief/grants', grant(p))));
    const won = res.filter((r) => r.status === 201);
    assert.equal(won.length, Math.min(people.length, Math.floor(balance / 150000)),
      `round ${i} from ${balance} fen: ${res.map((r) => `${r.status} ${r.text.slice(0, 80)}`).join(' / ')}`);
    const left = assertStatus(await townB.get('/api/v1/relief/reserves/370704009'), 200).balance_fen;
    assert.equal(left, balance - won.length * 150000, `round ${i}: what is left`);
    for (const r of res.filter((x) => x.status !== 201)) assertError(r, 409, 'reserve_insufficient');
  }
  const [neg] = sqlite(a.dbPath, 'SELECT count(*) FROM relief_reserve_moves WHERE balance_after_fen < 0;').trim().split('|').map(Number);
  assert.equal(neg, 0, 'the reserve never went below zero');
  assert.equal(assertStatus(await county.get('/api/v1/relief/reconcile?township=370704009'), 200).ok, true);
});

test('the audit chain written by both servers verifies', () => {
  const v = auditVerify(a.dbPath);
  assert.equal(v.status, 0, v.out);
  assert.ok(v.rows > 0, v.out);
});
