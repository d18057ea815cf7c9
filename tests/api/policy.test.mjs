// policy.test.mjs — docs/api.md "Policy parameters": reading what is in force for a unit,
// residence type and month (with the city fallback and the demo city's values), scope on reads and
// writes, setting a value from a month on (201) with history and audit, the permission to write,
// validation errors, and past months locked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, todayShanghai } from '../lib/http.mjs';
import { auditVerify, cli, sqlite, startServer } from '../lib/server.mjs';

const MINPAY = 'dibao_min_payment_fen';
const URBAN_STD = 'dibao_standard_urban_month_fen';

let srv, admin, county, town, leader;

/** The current month (Asia/Shanghai) plus n months, "YYYY-MM". */
function monthPlus(n) {
  const [y, m] = todayShanghai().split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

function item(snapshot, key) {
  const it = snapshot.items.find((x) => x.key === key);
  assert.ok(it, `item ${key} in ${JSON.stringify(snapshot).slice(0, 200)}`);
  return it;
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  town = await srv.login('township_370704008');
  leader = await srv.login('leader');
});

after(async () => {
  await srv?.stop();
});

test('GET /api/v1/policy answers every key in force with the demo city values from 2019-07', async () => {
  const s = assertStatus(await county.get('/api/v1/policy?unit=370704&residence=urban&month=2020-03'), 200);
  assert.equal(s.unit_code, '370704');
  assert.equal(s.residence_type, 'urban');
  assert.equal(s.month, '2020-03');
  const keys = assertStatus(await county.get('/api/v1/policy/keys'), 200);
  assert.equal(s.items.length, keys.total);
  assert.deepEqual(s.items.map((x) => x.key), keys.items.map((x) => x.key));
  for (const it of s.items) {
    for (const k of ['key', 'label', 'unit', 'value', 'effective_from', 'source_unit', 'per_residence']) assert.ok(k in it, `${it.key}.${k}`);
    assert.ok(Number.isInteger(it.value), `${it.key} has a demo value`);
    assert.equal(it.effective_from, '2019-07');
    assert.equal(it.source_unit, '3707', 'the county falls back to the city');
    assert.match(it.label, /[\u4e00-\u9fff]/);
  }
  assert.equal(item(s, URBAN_STD).value, 71000);
  assert.equal(item(s, URBAN_STD).unit, 'fen_month');
  assert.equal(item(s, 'dibao_standard_rural_year_fen').value, 540000);
  assert.equal(item(s, 'tekun_basic_factor_bp').value, 13000);
  assert.equal(item(s, 'tekun_care_scattered_full_year_fen').value, 865200);
  assert.equal(item(s, 'notice_days').value, 7);
  assert.equal(item(s, MINPAY).per_residence, true);
});

test('GET /api/v1/policy: a functional zone falls back to the city; before 2019-07 nothing is in force', async () => {
  const z = assertStatus(await town.get('/api/v1/policy?unit=370791&residence=rural&month=2020-01'), 200);
  assert.equal(item(z, MINPAY).source_unit, '3707');
  const early = assertStatus(await admin.get('/api/v1/policy?unit=3707&residence=urban&month=2019-06'), 200);
  assert.ok(early.items.every((x) => x.value === null && x.effective_from === null && x.source_unit === null));
});

test('GET /api/v1/policy: a unit outside the caller\'s scope is 404 not_found', async () => {
  assertError(await county.get('/api/v1/policy?unit=370705&residence=urban&month=2020-03'), 404, 'not_found');
  assertError(await town.get('/api/v1/policy?unit=370702&residence=urban'), 404, 'not_found');
  assertError(await county.get('/api/v1/policy/history?unit=370705&key=' + URBAN_STD), 404, 'not_found');
  assertError(await county.get('/api/v1/policy?unit=999999&residence=urban'), 404, 'not_found');
  // in scope: the own county, the city, and (for the township of 峡山区) its zone
  assertStatus(await county.get('/api/v1/policy?unit=3707&residence=rural'), 200);
  assertStatus(await town.get('/api/v1/policy?unit=370704&residence=rural'), 200);
});

test('GET /api/v1/policy: bad residence or month is 400 with the field', async () => {
  assertError(await admin.get('/api/v1/policy?unit=3707&residence=all'), 400, 'invalid_value', 'residence');
  assertError(await admin.get('/api/v1/policy?unit=3707&residence=urban&month=2020-13'), 400, 'invalid_value', 'month');
  assertError(await admin.get('/api/v1/policy?residence=urban'), 400, 'required', 'unit');
});

test('POST /api/v1/policy as county_370704 → 201; the new value is in force from its month, the old one before', async () => {
  const from = monthPlus(2);
  const r = await county.post('/api/v1/policy', {
    unit_code: '370704', residence_type: 'rural', key: MINPAY, value: 6000, effective_from: from, note: '坊子区调整最低补差',
  });
  const row = assertStatus(r, 201, 'POST /api/v1/policy');
  assert.equal(row.unit_code, '370704');
  assert.equal(row.residence_type, 'rural');
  assert.equal(row.key, MINPAY);
  assert.equal(row.value, 6000);
  assert.equal(row.effective_from, from);
  assert.equal(row.note, '坊子区调整最低补差');
  assert.equal(row.set_by, 'county_370704');
  assert.match(row.set_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);

  const now = assertStatus(await county.get(`/api/v1/policy?unit=370704&residence=rural&month=${from}`), 200);
  assert.equal(item(now, MINPAY).value, 6000);
  assert.equal(item(now, MINPAY).source_unit, '370704');
  assert.equal(item(now, MINPAY).effective_from, from);
  const before = assertStatus(await county.get(`/api/v1/policy?unit=370704&residence=rural&month=${monthPlus(1)}`), 200);
  assert.equal(item(before, MINPAY).value, 5000);
  assert.equal(item(before, MINPAY).source_unit, '3707');
  const past = assertStatus(await county.get('/api/v1/policy?unit=370704&residence=rural&month=2020-03'), 200);
  assert.equal(item(past, MINPAY).value, 5000);
  // urban is separate, and other counties keep the city's value
  const urban = assertStatus(await county.get(`/api/v1/policy?unit=370704&residence=urban&month=${from}`), 200);
  assert.equal(item(urban, MINPAY).value, 5000);
  const other = assertStatus(await admin.get(`/api/v1/policy?unit=370705&residence=rural&month=${from}`), 200);
  assert.equal(item(other, MINPAY).value, 5000);

  const h = assertStatus(await county.get(`/api/v1/policy/history?unit=370704&key=${MINPAY}`), 200);
  assert.equal(h.total, 1);
  assert.deepEqual(
    { value: h.items[0].value, effective_from: h.items[0].effective_from, set_by: h.items[0].set_by, note: h.items[0].note },
    { value: 6000, effective_from: from, set_by: 'county_370704', note: '坊子区调整最低补差' },
  );
  const audit = sqlite(srv.dbPath, `SELECT user_name, detail FROM audit_log WHERE action = 'policy.set' AND object = 'policy:370704:${MINPAY}';`).trim();
  assert.match(audit, /^county_370704\|/);
  assert.match(audit, /"old":5000/);
  assert.match(audit, /"new":6000/);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});

test('POST /api/v1/policy: the same month again replaces the value; a past month is 409 policy_locked', async () => {
  const from = monthPlus(3);
  const body = { unit_code: '370704', residence_type: 'all', key: 'notice_days', value: 8, effective_from: from };
  assertStatus(await county.post('/api/v1/policy', body), 201);
  assert.equal(assertStatus(await county.post('/api/v1/policy', { ...body, value: 9 }), 201).value, 9);
  const h = assertStatus(await county.get('/api/v1/policy/history?unit=370704&key=notice_days'), 200);
  assert.equal(h.items.length, 1);
  assertError(await county.post('/api/v1/policy', { ...body, effective_from: '2020-03' }), 409, 'policy_locked', 'effective_from');
  assertError(await admin.post('/api/v1/policy', { ...body, unit_code: '3707', effective_from: '2019-07' }), 409, 'policy_locked');
  const past = assertStatus(await admin.get('/api/v1/policy?unit=370704&residence=urban&month=2020-03'), 200);
  assert.equal(item(past, 'notice_days').value, 7);
});

test('POST /api/v1/policy: leader (read only) is 403; county staff for another county 403 out_of_scope; nothing stored', async () => {
  const count = () => Number(sqlite(srv.dbPath, 'SELECT count(*) FROM policy_params;').trim());
  const n0 = count();
  const body = { unit_code: '370705', residence_type: 'all', key: URBAN_STD, value: 75000, effective_from: monthPlus(1) };
  assertError(await leader.post('/api/v1/policy', body), 403, 'forbidden');
  assertError(await town.post('/api/v1/policy', { ...body, unit_code: '370791' }), 403, 'forbidden');
  assertError(await county.post('/api/v1/policy', body), 403, 'out_of_scope', 'unit_code');
  assertError(await county.post('/api/v1/policy', { ...body, unit_code: '3707' }), 403, 'out_of_scope', 'unit_code');
  // 峡山区 manages two of 坊子区's townships, but its parameters are its own
  assertError(await county.post('/api/v1/policy', { ...body, unit_code: '370791' }), 403, 'out_of_scope', 'unit_code');
  assert.equal(count(), n0);
});

test('POST /api/v1/policy: a bad key, residence, value, month or unit is 400 naming the field', async () => {
  const ok = { unit_code: '370704', residence_type: 'all', key: 'notice_days', value: 10, effective_from: monthPlus(1) };
  assertError(await county.post('/api/v1/policy', { ...ok, key: 'no_such_key' }), 400, 'invalid_value', 'key');
  assertError(await county.post('/api/v1/policy', { ...ok, residence_type: 'urban' }), 400, 'invalid_value', 'residence_type');
  assertError(await county.post('/api/v1/policy', { ...ok, key: MINPAY, value: 5000 }), 400, 'invalid_value', 'residence_type');
  assertError(await county.post('/api/v1/policy', { ...ok, value: 6 }), 400, 'invalid_value', 'value');
  assertError(await county.post('/api/v1/policy', { ...ok, value: 7.5 }), 400, 'invalid_value', 'value');
  assertError(await county.post('/api/v1/policy', { ...ok, value: '10' }), 400, 'invalid_value', 'value');
  assertError(await county.post('/api/v1/policy', { ...ok, value: undefined }), 400, 'required', 'value');
  assertError(await county.post('/api/v1/policy', { ...ok, effective_from: '2027/01' }), 400, 'invalid_value', 'effective_from');
  assertError(await county.post('/api/v1/policy', { ...ok, unit_code: '370704008' }), 400, 'invalid_region', 'unit_code');
  assertError(await county.post('/api/v1/policy', { ...ok, note: 'x'.repeat(201) }), 400, 'invalid_value', 'note');
  assertError(await county.raw('POST', '/api/v1/policy', { rawBody: '{"unit_code":' }), 400, 'invalid_json');
  const h = assertStatus(await county.get('/api/v1/policy/history?unit=370704&key=notice_days'), 200);
  assert.ok(!h.items.some((x) => x.value === 10), 'nothing stored');
});

test('GET /api/v1/policy/keys lists the table with units, ranges and Chinese labels', async () => {
  const k = assertStatus(await leader.get('/api/v1/policy/keys'), 200);
  assert.ok(k.total >= 24);
  const notice = k.items.find((x) => x.key === 'notice_days');
  assert.deepEqual({ unit: notice.unit, min: notice.min, per_residence: notice.per_residence }, { unit: 'days', min: 7, per_residence: false });
  for (const x of k.items) {
    assert.match(x.label, /[\u4e00-\u9fff]/);
    assert.ok(['fen_month', 'fen_year', 'fen', 'bp', 'months', 'years', 'days', 'hours', 'minutes', 'tenths_c',
      'time_of_day', 'flag', 'code'].includes(x.unit), x.unit);
    assert.ok(x.unit_label, `${x.key}: a label for its unit`);
  }
});

test('policy routes need a login; the CLI shows and sets with the system user', async () => {
  const anon = await fetch(`${srv.url}/api/v1/policy/keys`);
  assert.equal(anon.status, 401);
  const show = cli(['policy', 'show', '--db', srv.dbPath, '--unit', '370791', '--residence', 'rural', '--month', '2020-01']);
  assert.equal(show.status, 0, show.stderr);
  assert.match(show.stdout, /dibao_standard_rural_year_fen\t农村低保标准\t5,400\.00 元\/年\t540000\t2019-07\t3707/);
  const from = monthPlus(4);
  const set = cli(['policy', 'set', '--db', srv.dbPath, '--unit', '370705', '--key', URBAN_STD, '--value', '76000', '--from', from, '--note', '命令行']);
  assert.equal(set.status, 0, set.stderr);
  const s = assertStatus(await admin.get(`/api/v1/policy?unit=370705&residence=urban&month=${from}`), 200);
  assert.equal(item(s, URBAN_STD).value, 76000);
  const locked = cli(['policy', 'set', '--db', srv.dbPath, '--unit', '370705', '--key', URBAN_STD, '--value', '76000', '--from', '2020-01']);
  assert.equal(locked.status, 1);
  assert.match(locked.stderr, /policy_locked/);
  const help = cli(['policy', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /用法/);
  assert.match(help.stdout, /usage/);
});
