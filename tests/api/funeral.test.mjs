// funeral.test.mjs — the funeral homes' API over real HTTP (docs/funeral.md; docs/api.md "Funeral
// homes"): a funeral home records a COVID-19 case from collection to ashes under the epidemic
// procedure — a skipped step and a transfer without the dedicated vehicle refused, changing
// nothing —; no farewell gathering for it nor during the suspension; masking and the audited
// unmask; scope (a county without the home: 404) and permission (403 / 404); the home's daily
// figures; a record matched to the registry marks the person deceased; exports; the CLI.
//
// The server's clock is real: the case died yesterday and its steps are recorded in the past.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId } from '../lib/http.mjs';
import { addUser, auditVerify, cliOk, login, sqlite, startServer } from '../lib/server.mjs';

let srv, funeral, admin, county703, township, home;

/** n days from now (negative: ago) at hh:mm in Asia/Shanghai, "YYYY-MM-DDTHH:MM". */
function at(n, hh, mm = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10);
  return `${d}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
const count = (sql) => Number(sqlite(srv.dbPath, sql).trim());

before(async () => {
  srv = await startServer();
  funeral = await srv.login('funeral');
  admin = await srv.login('admin');
  county703 = await srv.login('county_370703');
  township = await srv.login('township_370704008');
  const homes = assertStatus(await funeral.get('/api/v1/funeral/homes'), 200);
  home = homes.items.find((h) => h.name === '潍坊市殡仪馆');
  assert.ok(home, 'the city home');
});

after(async () => {
  await srv?.stop();
});

test('the demo city has 10 funeral homes with records and the suspension of gatherings', async () => {
  const homes = assertStatus(await funeral.get('/api/v1/funeral/homes'), 200);
  assert.equal(homes.total, 10);
  assert.ok(homes.items.every((h) => h.bodies > 0), 'every home has records');
  const s = assertStatus(await funeral.get('/api/v1/funeral/suspensions'), 200);
  assert.ok(s.items.some((x) => x.from_date === '2020-01-24'), JSON.stringify(s.items));
  const covid = assertStatus(await funeral.get('/api/v1/funeral/bodies?cause=epidemic&limit=200'), 200);
  assert.equal(covid.total, 7);
  assert.ok(covid.items.every((b) => b.masked && /\*/.test(b.name) && b.farewell_on === null));
});

test('a COVID-19 case from collection to ashes follows the epidemic procedure', async () => {
  const id = makeId({ birth: '1948-05-06', address: '370705' });
  let b = assertStatus(await funeral.post('/api/v1/funeral/bodies', {
    institution_id: home.id, id_number: id, name: '测试逝者', died_on: at(-1, 0).slice(0, 10),
    source: 'hospital', cause: 'confirmed', note: '定点医院移交',
  }), 201, 'register');
  assert.equal(b.status, 'registered');
  assert.equal(b.free_transfer, true, 'a hospital handover is collected free');
  assert.equal(b.epidemic, true);
  assert.equal(b.next_step, 'transfer');
  assert.equal(b.name, '测***');
  assert.equal(b.masked, true);

  // refused: skipping the transfer; a transfer without the dedicated vehicle — nothing changes
  const audits = count('SELECT count(*) FROM audit_log');
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'cremation', at: at(-1, 10), staff: '李师傅', dedicated: true }), 409, 'epidemic_procedure', 'step');
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'transfer', at: at(-1, 9), staff: '李师傅', dedicated: false }), 409, 'epidemic_procedure', 'dedicated');
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'transfer', at: at(-1, 9) }), 400, 'required', 'staff');
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/farewell`, { on: at(0, 0).slice(0, 10), attendees: 10 }), 409, 'farewell_not_allowed');
  assert.equal(count(`SELECT count(*) FROM funeral_steps WHERE body_id = ${b.id}`), 0);
  assert.equal(count('SELECT count(*) FROM audit_log'), audits);

  b = assertStatus(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'transfer', at: at(-1, 9), staff: '李师傅', dedicated: true, vehicle: '专用车 鲁G·F0001' }), 201);
  assert.equal(b.status, 'transfer');
  assert.equal(b.next_step, 'cremation');
  b = assertStatus(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'cremation', at: at(-1, 11), staff: '王师傅', dedicated: true, cremator: '专用炉' }), 201);
  // the ashes before the terminal disinfection: refused
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'ashes', at: at(-1, 15), staff: '王师傅', ashes: 'held' }), 409, 'epidemic_procedure');
  // a time before the cremation: refused
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'disinfection', at: at(-1, 10), staff: '张师傅' }), 400, 'invalid_value', 'at');
  b = assertStatus(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'disinfection', at: at(-1, 12), staff: '张师傅' }), 201);
  b = assertStatus(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'ashes', at: at(-1, 16), staff: '王师傅', ashes: 'handed', receiver: '测试家属' }), 201);
  assert.equal(b.status, 'ashes');
  assert.equal(b.next_step, null);
  assert.deepEqual(b.steps.map((s) => s.step), ['transfer', 'cremation', 'disinfection', 'ashes']);
  assert.deepEqual(b.steps.map((s) => s.dedicated), [true, true, false, false]);
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/steps`, { step: 'ashes', at: at(-1, 17), staff: '王师傅', ashes: 'held' }), 409, 'step_done');
  assert.equal(count(`SELECT count(*) FROM audit_log WHERE action = 'funeral.step' AND object = 'funeral_body:${b.id}'`), 4);

  // the full name on request, audited
  const full = assertStatus(await funeral.get(`/api/v1/funeral/bodies/${b.id}?unmask=1`), 200);
  assert.equal(full.name, '测试逝者');
  assert.equal(full.id_number, id);
  assert.equal(count(`SELECT count(*) FROM audit_log WHERE action = 'funeral.unmask' AND object = 'funeral_body:${b.id}'`), 1);

  // the home's day: one transfer, one cremation of a COVID-19 case, one disinfection
  const d = assertStatus(await funeral.get(`/api/v1/funeral/homes/${home.id}/daily?date=${at(-1, 0).slice(0, 10)}`), 200);
  assert.ok(d.transfers >= 1 && d.cremations >= 1 && d.epidemic_cremations >= 1 && d.disinfections >= 1, JSON.stringify(d));
  assert.equal(d.gatherings, 0);
});

test('bad input is 400 with the field and changes nothing', async () => {
  const before_ = count('SELECT count(*) FROM funeral_bodies');
  const base = { institution_id: home.id, id_number: makeId({ address: '370705' }), name: '某某', died_on: '2020-03-01', source: 'home', cause: 'other' };
  assertError(await funeral.post('/api/v1/funeral/bodies', { ...base, died_on: undefined }), 400, 'required', 'died_on');
  assertError(await funeral.post('/api/v1/funeral/bodies', { ...base, id_number: '370705194805060000' }), 400, 'invalid_id_number', 'id_number');
  assertError(await funeral.post('/api/v1/funeral/bodies', { ...base, cause: 'flu' }), 400, 'invalid_value', 'cause');
  assertError(await funeral.post('/api/v1/funeral/bodies', { ...base, id_number: undefined, name: '', unidentified: true }), 400, 'required', 'description');
  assertError(await funeral.post('/api/v1/funeral/bodies', { ...base, institution_id: 999999 }), 404, 'not_found');
  assert.equal(count('SELECT count(*) FROM funeral_bodies'), before_);
});

test('no farewell gathering is recorded during the suspension', async () => {
  const b = assertStatus(await funeral.post('/api/v1/funeral/bodies', {
    institution_id: home.id, unidentified: true, description: '男性，约六十岁', died_on: '2020-03-01', source: 'other', cause: 'other',
  }), 201);
  assert.equal(b.unidentified, true);
  assertError(await funeral.post(`/api/v1/funeral/bodies/${b.id}/farewell`, { on: '2020-03-03', attendees: 20 }), 409, 'farewell_suspended', 'on');
  const ok = assertStatus(await funeral.post(`/api/v1/funeral/bodies/${b.id}/farewell`, { on: '2020-07-03', attendees: 20 }), 201);
  assert.equal(ok.farewell_on, '2020-07-03');
  // only the city sets a suspension
  assertError(await county703.post('/api/v1/funeral/suspensions', { from_date: '2020-08-01' }), 403, 'forbidden');
  const s = assertStatus(await admin.post('/api/v1/funeral/suspensions', { from_date: '2020-08-01', to_date: '2020-08-31', note: '测试' }), 201);
  assert.equal(s.to_date, '2020-08-31');
  assertError(await admin.post('/api/v1/funeral/suspensions', { from_date: '2020-08-31', to_date: '2020-08-01' }), 400, 'invalid_value', 'to_date');
});

test('a county without the home sees 404; other roles are refused', async () => {
  const list = assertStatus(await funeral.get(`/api/v1/funeral/bodies?institution_id=${home.id}&limit=1`), 200);
  const id = list.items[0].id;
  assertError(await county703.get(`/api/v1/funeral/bodies/${id}`), 404, 'not_found');
  assertError(await county703.post(`/api/v1/funeral/bodies/${id}/steps`, { step: 'transfer', at: at(-1, 9), staff: 'x' }), 404, 'not_found');
  assertError(await county703.get(`/api/v1/funeral/homes/${home.id}/daily?date=2020-02-01`), 404, 'not_found');
  const own = assertStatus(await county703.get('/api/v1/funeral/homes'), 200);
  assert.deepEqual(own.items.map((h) => h.region_code), ['370703']);
  assertError(await township.get('/api/v1/funeral/bodies'), 403, 'forbidden');
  assertError(await township.get(`/api/v1/funeral/bodies/${id}`), 404, 'not_found');
  assertError(await county703.get(`/api/v1/funeral/bodies/${id}?unmask=1`), 404, 'not_found');
});

test('the home\'s own reporter reads its daily figures, and no other home\'s', async () => {
  addUser(srv.dbPath, 'fh_reporter', 'institution_reporter', '370705');
  assertStatus(await admin.post(`/api/v1/institutions/${home.id}/reporters`, { username: 'fh_reporter' }), 200);
  const rep = await login(srv.url, 'fh_reporter');
  const d = assertStatus(await rep.get(`/api/v1/funeral/homes/${home.id}/daily?date=2020-02-10`), 200);
  assert.equal(d.institution_id, home.id);
  const other = assertStatus(await funeral.get('/api/v1/funeral/homes'), 200).items.find((h) => h.id !== home.id);
  assertError(await rep.get(`/api/v1/funeral/homes/${other.id}/daily?date=2020-02-10`), 404, 'not_found');
  assertError(await rep.get('/api/v1/funeral/bodies'), 403, 'forbidden');
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  assert.equal(assertStatus(await rep.get(`/api/v1/funeral/homes/${home.id}/daily`), 200).date, today, 'today by default');
  assertError(await rep.get(`/api/v1/funeral/homes/${home.id}/daily?date=2020-02-30`), 400, 'invalid_value', 'date');
});

test('a record whose ID number is in the registry marks the person deceased', async () => {
  const [idn, name] = sqlite(srv.dbPath, "SELECT id_number || '|' || name FROM persons WHERE status = 'active' ORDER BY id LIMIT 1").trim().split('|');
  const b = assertStatus(await funeral.post('/api/v1/funeral/bodies', {
    institution_id: home.id, id_number: idn, name, died_on: '2020-04-02', source: 'home', cause: 'other',
  }), 201);
  assert.ok(b.person_id > 0);
  assert.equal(count(`SELECT count(*) FROM crosscheck_deaths WHERE person_id = ${b.person_id} AND died_on = '2020-04-02' AND source = 'funeral'`), 1);
  const deaths = assertStatus(await admin.get('/api/v1/crosscheck/deaths?month=2020-04'), 200);
  assert.ok(deaths.items.some((d) => d.person_id === b.person_id && d.source === 'funeral'));
  // the registry's person detail shows the day of death
  const p = assertStatus(await admin.get(`/api/v1/persons/${b.person_id}`), 200);
  assert.equal(p.died_on, '2020-04-02');
});

test('the lists export as .xlsx and CSV, masked', async () => {
  const csv = await funeral.raw('GET', '/api/v1/funeral/bodies?format=csv&cause=epidemic');
  assertStatus(csv, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  assert.match(csv.text, /死因类别/);
  assert.match(csv.text, /新冠确诊|新冠疑似/);
  assert.doesNotMatch(csv.text, /测试逝者/);
  const x = await funeral.raw('GET', '/api/v1/funeral/homes?format=xlsx');
  assertStatus(x, 200);
  assert.ok(x.text.startsWith('PK'));
  assertError(await funeral.raw('GET', '/api/v1/funeral/bodies?format=pdf'), 400, 'invalid_value', 'format');
});

test('the CLI reads the same records and the audit chain is intact', () => {
  const homes = cliOk(['funeral', 'homes', '--db', srv.dbPath]);
  assert.equal(homes.trim().split('\n').length, 10);
  const daily = cliOk(['funeral', 'daily', '--db', srv.dbPath, '--home', String(home.id), '--date', at(-1, 0).slice(0, 10)]);
  assert.match(daily, /火化 \d+ 具/);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
