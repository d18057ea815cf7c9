// calendar.test.mjs — docs/api.md "Calendar": the built-in 2020 holidays (with the Spring
// Festival extension), working days after a date, and who may change the calendar.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, startServer } from '../lib/server.mjs';

let srv, admin, county, village;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  village = await srv.login('village_370704008231');
});

after(async () => {
  await srv?.stop();
});

test('2020 carries the Spring Festival holiday extended to 2 February and the working Sunday 19 January', async () => {
  const r = await village.get('/api/v1/calendar?year=2020');
  assertStatus(r, 200);
  const byDate = Object.fromEntries(r.json.days.map((d) => [d.date, d]));
  assert.equal(byDate['2020-01-24'].kind, 'holiday');
  assert.equal(byDate['2020-02-01'].kind, 'holiday', 'Saturday 1 February became a rest day');
  assert.equal(byDate['2020-02-02'].kind, 'holiday');
  assert.equal(byDate['2020-02-03'], undefined, 'work resumed on Monday 3 February');
  assert.equal(byDate['2020-01-19'].kind, 'workday');
  assert.ok(r.json.days.every((d) => d.date.startsWith('2020-')));
});

test('working days after a date skip weekends and holidays and count working weekends', async () => {
  const cases = [
    ['2020-01-23', 5, '2020-02-07'],
    ['2020-04-10', 20, '2020-05-11'],
    ['2020-03-06', 1, '2020-03-09'],
  ];
  for (const [from, n, want] of cases) {
    const r = await village.get(`/api/v1/calendar/working-days?from=${from}&n=${n}`);
    assertStatus(r, 200);
    assert.equal(r.json.date, want, `${n} working days after ${from}`);
  }
  assertError(await village.get('/api/v1/calendar/working-days?from=2020-02-30&n=1'), 400, 'invalid_value', 'date');
  assertError(await village.get('/api/v1/calendar/working-days?n=1'), 400, 'required', 'from');
});

test('only the city changes the calendar; changes are audited and take effect at once', async () => {
  assertError(await county.post('/api/v1/calendar', { date: '2022-01-31', kind: 'holiday', name: '春节' }), 403, 'forbidden');
  assertError(await village.post('/api/v1/calendar', { date: '2022-01-31', kind: 'holiday', name: '春节' }), 403, 'forbidden');
  assertError(await admin.post('/api/v1/calendar', { date: '2022-01-31', kind: 'day-off', name: '春节' }), 400, 'invalid_value', 'kind');
  let r = await admin.get('/api/v1/calendar/working-days?from=2022-01-28&n=1');
  assert.equal(r.json.date, '2022-01-31', 'a plain Monday before the notice is loaded');
  assertStatus(await admin.post('/api/v1/calendar', { date: '2022-01-31', kind: 'holiday', name: '春节' }), 200);
  r = await admin.get('/api/v1/calendar/working-days?from=2022-01-28&n=1');
  assert.equal(r.json.date, '2022-02-01');
  r = await admin.get('/api/v1/calendar?year=2022');
  assert.deepEqual(r.json.days.map((d) => [d.date, d.kind, d.set_by]), [['2022-01-31', 'holiday', 'admin']]);
  assertStatus(await admin.post('/api/v1/calendar', { date: '2022-01-31', kind: 'normal' }), 200);
  r = await admin.get('/api/v1/calendar?year=2022');
  assert.deepEqual(r.json.days, []);
  auditVerify(srv.dbPath);
});
