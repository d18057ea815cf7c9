// orgs.test.mjs — social organisations over real HTTP (docs/orgs.md): an organisation, its
// volunteers and engagements; the counting rules through /api/v1/orgs/summary (engaged versus
// mobilising, a volunteer counted once across activities, whole km² rounded down); refused
// input (400/409) that leaves nothing behind; scope (another county: 404, out_of_scope 403);
// permission (a village worker: 403); masking and the audited unmask; the exports; the CLI
// and the statistics report on the demo city's published figures.
//
// The demo city's organisations work in 2020; this file's records are dated in March 2021 so
// that the summary of that month counts only them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cliOk, sqlite, startServer } from '../lib/server.mjs';

let srv, county, other, village, township;

before(async () => {
  srv = await startServer();
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  village = await srv.login('village_370704008231');
  township = await srv.login('township_370704008');
});

after(async () => {
  await srv?.stop();
});

async function newOrg(name, extra = {}) {
  return assertStatus(await county.post('/api/v1/orgs', {
    name, type: 'volunteer_team', reg_no: `TEST-${name}`, region_code: '370704008',
    contact_name: '王小明', contact_phone: '13812345678', ...extra,
  }), 201, 'org');
}

test('an organisation is created in scope, with its contact masked; unmask is audited', async () => {
  const o = await newOrg('太保庄测试志愿服务队');
  assert.equal(o.type_label, '志愿服务队');
  assert.equal(o.region_name, '太保庄街道');
  assert.equal(o.contact_phone, '138****5678');
  assert.equal(o.contact_name, '王**');
  const full = assertStatus(await county.get(`/api/v1/orgs/${o.id}?unmask=1`), 200);
  assert.equal(full.contact_phone, '13812345678');
  assert.equal(full.contact_name, '王小明');
  assert.equal(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = 'orgs.unmask' AND object = 'org:${o.id}'`).trim(), '1');
  assertError(await other.get(`/api/v1/orgs/${o.id}`), 404, 'not_found');
  assertError(await village.get('/api/v1/orgs'), 403, 'forbidden');
  assertError(await village.get(`/api/v1/orgs/${o.id}`), 404, 'not_found');
  assertError(await other.post('/api/v1/orgs', { name: '越界', type: 'other', reg_no: 'X-1', region_code: '370704008' }), 403, 'out_of_scope', 'region_code');
  assertError(await county.post('/api/v1/orgs', { name: '太保庄测试志愿服务队', type: 'other', reg_no: 'X-2', region_code: '370704008' }), 409, 'duplicate_name', 'name');
  assertError(await county.post('/api/v1/orgs', { name: '无类型', reg_no: 'X-3', region_code: '370704008' }), 400, 'required', 'type');
  assertError(await county.post('/api/v1/orgs', { name: '坏电话', type: 'other', reg_no: 'X-4', region_code: '370704008', contact_phone: '12345' }), 400, 'invalid_phone', 'contact_phone');
  const list = assertStatus(await township.get('/api/v1/orgs?q=太保庄测试'), 200);
  assert.equal(list.total, 1);
});

test('engaged versus mobilising, volunteers counted once, area in whole km²', async () => {
  const team = await newOrg('计数测试志愿服务队');
  const donor = await newOrg('计数测试捐赠协会', { type: 'social_group' });
  const vols = assertStatus(await county.post('/api/v1/orgs/volunteers', {
    org_id: team.id,
    volunteers: [{ name: '赵一', phone: '13900000001', skills: '消杀' }, { name: '钱二', phone: '13900000002' }, { name: '孙三' }],
  }), 201, 'volunteers');
  assert.equal(vols.count, 3);
  const [a, b, c] = vols.ids;
  // disinfection 1.9999999 km² with all three; screening with two of them; a donation without volunteers
  const e1 = assertStatus(await county.post('/api/v1/orgs/engagements', {
    org_id: team.id, date: '2021-03-02', region_code: '370704008', activity: 'disinfection', area_m2: 1999999,
    activities: [{ volunteer_id: a, hours_tenths: 25 }, { volunteer_id: b }, { volunteer_id: c }],
  }), 201, 'engagement');
  assert.equal(e1.volunteers, 3);
  assert.equal(e1.activities, 3);
  assert.equal(e1.hours_tenths, 45);
  assertStatus(await county.post('/api/v1/orgs/engagements', {
    org_id: team.id, date: '2021-03-03', region_code: '370704008', activity: 'screening', households: 80,
    activities: [{ volunteer_id: a }, { volunteer_id: b }],
  }), 201);
  assertStatus(await county.post('/api/v1/orgs/engagements', {
    org_id: donor.id, date: '2021-03-04', region_code: '370704', activity: 'donation', note: '捐赠口罩 2000 只',
  }), 201);
  const s = assertStatus(await county.get('/api/v1/orgs/summary?from=2021-03-01&to=2021-03-31'), 200);
  assert.deepEqual(s, {
    from: '2021-03-01', to: '2021-03-31', engaged: 2, mobilising: 1, volunteers: 3,
    disinfected_m2: 1999999, disinfected_km2: 1, households_screened: 80,
  });
  // the other county sees none of it
  const o = assertStatus(await other.get('/api/v1/orgs/summary?from=2021-03-01&to=2021-03-31'), 200);
  assert.equal(o.engaged, 0);
  // the volunteers' list: masked phones, hours summed
  const vl = assertStatus(await county.get(`/api/v1/orgs/volunteers?org_id=${team.id}`), 200);
  assert.equal(vl.total, 3);
  const zhao = vl.items.find((v) => v.id === a);
  assert.equal(zhao.phone, '139****0001');
  assert.equal(zhao.activities, 2);
  assert.equal(zhao.hours_tenths, 35);
  assert.equal(zhao.name, '赵*');
  const un = assertStatus(await county.get(`/api/v1/orgs/volunteers?org_id=${team.id}&unmask=1`), 200);
  assert.equal(un.items.find((v) => v.id === a).phone, '13900000001');
  // the volunteers' activities make the summary's figures: a second list of the month
  const eng = assertStatus(await county.get(`/api/v1/orgs/engagements?org_id=${team.id}`), 200);
  assert.equal(eng.total, 2);
});

test('refused engagements change nothing', async () => {
  const team = await newOrg('拒绝测试志愿服务队');
  const v = assertStatus(await county.post('/api/v1/orgs/volunteers', { org_id: team.id, name: '李四' }), 201).id;
  const before = sqlite(srv.dbPath, 'SELECT count(*) FROM orgs_engagements').trim();
  const base = { org_id: team.id, date: '2021-03-05', region_code: '370704008', activity: 'disinfection' };
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, activities: [{ volunteer_id: v }, { volunteer_id: v }] }), 409, 'duplicate_activity', 'activities[1].volunteer_id');
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, activity: 'cooking' }), 400, 'invalid_value', 'activity');
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, date: '2999-01-01' }), 400, 'invalid_value', 'date');
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, area_m2: -1 }), 400, 'invalid_value', 'area_m2');
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, org_id: undefined }), 400, 'required', 'org_id');
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, activities: [{ volunteer_id: v, hours_tenths: 0 }] }), 400, 'invalid_value', 'activities[0].hours_tenths');
  assertError(await county.post('/api/v1/orgs/engagements', { ...base, region_code: '370705001' }), 403, 'out_of_scope', 'region_code');
  assertError(await other.post('/api/v1/orgs/engagements', { ...base, region_code: '370705001' }), 404, 'not_found', 'org_id');
  assert.equal(sqlite(srv.dbPath, 'SELECT count(*) FROM orgs_engagements').trim(), before);
  assertError(await county.get('/api/v1/orgs/summary?from=2021-03-01'), 400, 'required', 'to');
});

test('lists export as xlsx and csv, audited', async () => {
  const csv = await county.get('/api/v1/orgs/engagements?format=csv&from=2021-03-01&to=2021-03-31');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /csv/);
  assert.match(csv.text, /活动类型/);
  assert.match(csv.text, /消杀/);
  const x = await county.get('/api/v1/orgs?format=xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheet/);
  const v = await county.get('/api/v1/orgs/volunteers?format=csv');
  assert.equal(v.status, 200);
  assert.doesNotMatch(v.text, /13900000001/);
  assert.ok(Number(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action LIKE 'export.org%'").trim()) >= 3);
});

test('the demo city reproduces the published figures; the CLI reads the same records', async () => {
  const s = assertStatus(await (await srv.login('admin')).get('/api/v1/orgs/summary?from=2020-01-24&to=2020-04-26'), 200);
  assert.ok(s.engaged >= 1500, `engaged ${s.engaged}`);
  assert.equal(s.mobilising, 87);
  assert.equal(s.volunteers, 12000);
  assert.ok(s.disinfected_km2 >= 400);
  assert.ok(s.households_screened >= 5000);
  const out = JSON.parse(cliOk(['orgs', 'summary', '--db', srv.dbPath, '--from', '2020-01-24', '--to', '2020-04-26']));
  assert.deepEqual(out, s);
  const rep = JSON.parse(cliOk(['report', 'stats', '--db', srv.dbPath, '--from', '2020-01-24', '--to', '2020-04-26', '--format', 'json']));
  assert.equal(rep.city['organisations.mobilising'], 87);
  assert.equal(rep.city['organisations.volunteers'], 12000);
  assert.equal(rep.city['organisations.engaged'], s.engaged);
  assert.equal(rep.city['organisations.disinfected_km2'], s.disinfected_km2);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
