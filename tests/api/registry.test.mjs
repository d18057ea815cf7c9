// registry.test.mjs — docs/api.md "Registry": households and persons, ID validation and masking,
// search, scope, unmasked reads and their audit, member changes with history, error bodies.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  ageOn,
  assertError,
  assertStatus,
  checkChar,
  makeId,
  makePhone,
  maskId,
  request,
  todayShanghai,
  wrongCheckChar,
} from '../lib/http.mjs';
import { auditVerify, startServer } from '../lib/server.mjs';

const VILLAGE = '370704008231'; // 栾家山后村, 太保庄街道, 坊子区
const VILLAGE2 = '370704008201'; // 太保庄村委会, same township
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/;
const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'];

let srv, admin, county, town, leader;
let elsewhere; // a demo person in another county (370702), seen by the admin
let otherTownship; // a demo person in 王家庄街道 370704009 (same county, other township)

function person(name, relation = 'head', extra = {}) {
  return { id_number: makeId(), name, relation, ...extra };
}

function household(members, extra = {}) {
  return { region_code: VILLAGE, address: '栾家山后村测试路 1 号', residence_type: 'rural', phone: makePhone(), members, ...extra };
}

async function create(client, body) {
  const r = await client.post('/api/v1/households', body);
  assertStatus(r, 201, 'POST /api/v1/households');
  return r.json;
}

async function count(code = VILLAGE) {
  return assertStatus(await admin.get(`/api/v1/regions/${code}`), 200, `GET /api/v1/regions/${code}`).household_count;
}

async function search(client, params) {
  const qs = new URLSearchParams(params).toString();
  return assertStatus(await client.get(`/api/v1/persons?${qs}`), 200, `GET /api/v1/persons?${qs}`);
}

async function firstPersonIn(region) {
  const r = await search(admin, { region, limit: 5 });
  assert.ok(r.items.length > 0, `the demo has persons in ${region}`);
  return r.items[0];
}

const idRows = () => auditVerify(srv.dbPath).rows;

before(async () => {
  srv = await startServer();
  [admin, county, town, leader] = await Promise.all([
    srv.login('admin'),
    srv.login('county_370704'),
    srv.login('township_370704008'),
    srv.login('leader'),
  ]);
  elsewhere = await firstPersonIn('370702');
  otherTownship = await firstPersonIn('370704009');
});

after(async () => {
  await srv?.stop();
});

// ---- creating households ----------------------------------------------------------------------

test('POST /api/v1/households answers 201 HOUSEHOLD with masked ID numbers and derived birth date, sex and age', async () => {
  const headId = makeId({ sex: 'male', birth: '1960-01-02' });
  const wifeId = makeId({ sex: 'female', birth: '1962-03-04' });
  const phone = '13912345678';
  const body = household(
    [
      {
        id_number: headId,
        name: '创建户主',
        relation: 'head',
        phone: '13800005678',
        income_items: [
          { type: 'wage', amount_fen: 120000 },
          { type: 'farming', amount_fen: 3050 },
        ],
        tags: ['left_behind_elderly'],
      },
      { id_number: wifeId, name: '创建配偶', relation: 'spouse', disability_grade: 2, serious_illness: true, labour_capacity: 'partial' },
    ],
    { phone },
  );
  const r = await county.post('/api/v1/households', body);
  assertStatus(r, 201);
  const h = r.json;
  assert.ok(Number.isInteger(h.id) && h.id > 0, 'id');
  assert.equal(h.region_code, VILLAGE);
  const village = assertStatus(await admin.get(`/api/v1/regions/${VILLAGE}`), 200);
  assert.equal(h.region_name, village.name, 'region_name is the village\'s name');
  assert.match(h.region_name, /^栾家山后村/);
  assert.equal(h.address, body.address);
  assert.equal(h.residence_type, 'rural');
  assert.equal(h.phone, '139****5678', 'household phone masked');
  assert.equal(h.member_count, 2);
  assert.equal(h.members.length, 2);
  assert.match(h.created_at, ISO_TIME);
  assert.match(h.updated_at, ISO_TIME);
  const [head, wife] = h.members;
  assert.equal(h.head_person_id, head.id);
  assert.ok(!r.text.includes(headId) && !r.text.includes(wifeId), 'no full ID number anywhere in the response');
  assert.ok(!r.text.includes(phone), 'no full phone in the response');

  const today = todayShanghai();
  assert.equal(head.id_number, maskId(headId));
  assert.match(head.id_number, /^\d{6}\*{8}[\dX]{4}$/);
  assert.equal(head.masked, true);
  assert.equal(head.household_id, h.id);
  assert.equal(head.region_code, VILLAGE);
  assert.equal(head.name, '创建户主');
  assert.equal(head.relation, 'head');
  assert.equal(head.sex, 'male');
  assert.equal(head.birth_date, '1960-01-02');
  assert.equal(head.age, ageOn('1960-01-02', today));
  assert.equal(head.phone, '138****5678');
  assert.equal(head.disability_grade, 0);
  assert.equal(head.serious_illness, false);
  assert.equal(head.labour_capacity, 'full', 'labour_capacity defaults to full');
  const byType = (a, b) => a.type.localeCompare(b.type) || a.amount_fen - b.amount_fen;
  assert.deepEqual([...head.income_items].sort(byType), [...body.members[0].income_items].sort(byType));
  assert.equal(head.monthly_income_fen, 123050);
  assert.deepEqual(head.tags, ['left_behind_elderly']);
  assert.equal(head.status, 'active');

  assert.equal(wife.id_number, maskId(wifeId));
  assert.equal(wife.sex, 'female');
  assert.equal(wife.birth_date, '1962-03-04');
  assert.equal(wife.relation, 'spouse');
  assert.equal(wife.disability_grade, 2);
  assert.equal(wife.serious_illness, true);
  assert.equal(wife.labour_capacity, 'partial');
  assert.deepEqual(wife.income_items, []);
  assert.equal(wife.monthly_income_fen, 0);
  assert.deepEqual(wife.tags, []);
});

test('GET /api/v1/households/{id} returns the household, masked, head first', async () => {
  const h = await create(county, household([person('读取子女', 'child'), person('读取户主')]));
  const r = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(r.id, h.id);
  assert.equal(r.member_count, 2);
  assert.equal(r.members[0].relation, 'head', 'head first');
  assert.equal(r.members[0].id, r.head_person_id);
  for (const m of r.members) {
    assert.equal(m.masked, true);
    assert.match(m.id_number, /^\d{6}\*{8}[\dX]{4}$/);
  }
});

test('a 15-digit legacy ID number is stored in its 18-digit form', async () => {
  const id15 = '110105' + '550607' + '123';
  const id17 = '110105' + '19550607' + '123';
  const h = await create(county, household([{ id_number: id15, name: '旧号码', relation: 'head' }]));
  assert.equal(h.members[0].id_number, maskId(id17 + checkChar(id17)));
  assert.equal(h.members[0].birth_date, '1955-06-07');
  assert.equal(h.members[0].sex, 'male');
});

test('a wrong check digit is 400 invalid_id_number on members[1].id_number naming the expected character, and nothing is stored', async () => {
  // choose a number whose right check character is X, so the message must name "X"
  let id17;
  do id17 = makeId().slice(0, 17);
  while (checkChar(id17) !== 'X');
  const bad = id17 + wrongCheckChar(id17);
  const head = person('校验位户主');
  const before = await count();
  const r = await county.post('/api/v1/households', household([head, { id_number: bad, name: '校验位错', relation: 'child' }]));
  const err = assertError(r, 400, 'invalid_id_number', 'members[1].id_number');
  assert.ok(err.message.replaceAll(bad, '').includes('X'), `message names the expected check character X: ${err.message}`);
  assert.equal(await count(), before, 'household count unchanged');
  assert.equal((await search(admin, { q: head.id_number })).total, 0, 'the valid head was not stored either');
  assert.equal((await search(admin, { q: '校验位' })).total, 0);
});

test('an impossible birth date in the ID is 400 invalid_id_number', async () => {
  const id17 = '11010519990230123';
  const r = await county.post('/api/v1/households', household([{ id_number: id17 + checkChar(id17), name: '日期错', relation: 'head' }]));
  assertError(r, 400, 'invalid_id_number', 'members[0].id_number');
});

test('two heads are 400 head_count and nothing is stored', async () => {
  const before = await count();
  const r = await county.post('/api/v1/households', household([person('双户主甲'), person('双户主乙')]));
  assertError(r, 400, 'head_count');
  assert.equal(await count(), before);
  assert.equal((await search(admin, { q: '双户主' })).total, 0);
});

test('a household without a head is 400 head_count', async () => {
  const r = await county.post('/api/v1/households', household([person('无户主', 'spouse')]));
  assertError(r, 400, 'head_count');
});

test('an ID number already in another household is 409 duplicate_id_number naming that household\'s village', async () => {
  const first = person('重号原户主');
  await create(county, household([first]));
  const before = await count();
  const r = await county.post('/api/v1/households', household([person('重号新户主'), { ...first, name: '重号成员', relation: 'child' }], { region_code: VILLAGE2 }));
  const err = assertError(r, 409, 'duplicate_id_number', 'members[1].id_number');
  assert.ok(err.message.includes('栾家山后村'), `message names the village 栾家山后村: ${err.message}`);
  assert.equal(await count(), before);
  assert.equal((await search(admin, { q: '重号新户主' })).total, 0);
});

test('a duplicate ID number from outside the caller\'s scope is 409 without revealing where it is', async () => {
  const full = assertStatus(await admin.get(`/api/v1/persons/${elsewhere.id}?unmask=1`), 200, 'admin unmask');
  const place = assertStatus(await admin.get(`/api/v1/regions/${full.region_code}`), 200);
  const r = await town.post('/api/v1/households', household([{ id_number: full.id_number, name: '外域重号', relation: 'head' }]));
  const err = assertError(r, 409, 'duplicate_id_number', 'members[0].id_number');
  assert.ok(!err.message.includes(place.name), `message must not name the out-of-scope village ${place.name}: ${err.message}`);
  assert.ok(!err.message.includes(elsewhere.name), `message must not name the person: ${err.message}`);
});

test('a village code outside the caller\'s scope is refused with out_of_scope', async () => {
  const before = await count('370704009');
  const r = await town.post('/api/v1/households', household([person('越界建户')], { region_code: otherTownship.region_code }));
  assertError(r, 403, 'out_of_scope', 'region_code');
  assert.equal(await count('370704009'), before);
});

test('a region code that is not a village is 400 invalid_region', async () => {
  assertError(await county.post('/api/v1/households', household([person('乡镇建户')], { region_code: '370704008' })), 400, 'invalid_region', 'region_code');
  assertError(await county.post('/api/v1/households', household([person('无此村')], { region_code: '370704008999' })), 400, 'invalid_region', 'region_code');
});

test('an invalid phone is 400 invalid_phone naming the field', async () => {
  assertError(await county.post('/api/v1/households', household([person('电话错')], { phone: '12345' })), 400, 'invalid_phone', 'phone');
  assertError(await county.post('/api/v1/households', household([person('电话错', 'head', { phone: '1381234' })])), 400, 'invalid_phone', 'members[0].phone');
});

test('missing required fields are 400 required naming the field', async () => {
  const noName = { id_number: makeId(), relation: 'head' };
  assertError(await county.post('/api/v1/households', household([noName])), 400, 'required', 'members[0].name');
  const b = household([person('缺村')]);
  delete b.region_code;
  assertError(await county.post('/api/v1/households', b), 400, 'required', 'region_code');
});

test('unknown enum values are 400 invalid_value naming the field', async () => {
  assertError(await county.post('/api/v1/households', household([person('关系错', 'cousin')])), 400, 'invalid_value', 'members[0].relation');
  assertError(await county.post('/api/v1/households', household([person('标签错', 'head', { tags: ['vip'] })])), 400, 'invalid_value', 'members[0].tags[0]');
  assertError(
    await county.post('/api/v1/households', household([person('收入错', 'head', { income_items: [{ type: 'lottery', amount_fen: 1 }] })])),
    400,
    'invalid_value',
    'members[0].income_items[0].type',
  );
  assertError(await county.post('/api/v1/households', household([person('残疾错', 'head', { disability_grade: 5 })])), 400, 'invalid_value', 'members[0].disability_grade');
  assertError(await county.post('/api/v1/households', household([person('城乡错')], { residence_type: 'suburb' })), 400, 'invalid_value', 'residence_type');
});

test('a JSON value of the wrong type is 400, never 5xx', async () => {
  const bodies = [
    { ...household([person('类型错')]), members: 'x' },
    { ...household([person('类型错')]), address: 12 },
    household([{ id_number: 110105196001021234, name: '类型错', relation: 'head' }]),
    household([{ id_number: makeId(), name: ['类型错'], relation: 'head' }]),
    household([{ id_number: makeId(), name: '类型错', relation: 'head', income_items: [{ type: 'wage', amount_fen: 1.5 }] }]),
    household([{ id_number: makeId(), name: '类型错', relation: 'head', income_items: [{ type: 'wage', amount_fen: -1 }] }]),
  ];
  for (const b of bodies) {
    const r = await county.post('/api/v1/households', b);
    assert.equal(r.status, 400, `${JSON.stringify(b).slice(0, 200)} → ${r.status} ${r.text}`);
    assert.ok(r.json?.error?.code, 'error body');
  }
  assert.equal((await search(admin, { q: '类型错' })).total, 0);
});

test('a body that is not JSON is 400 invalid_json', async () => {
  assertError(await county.raw('POST', '/api/v1/households', { rawBody: '{"region_code":' }), 400, 'invalid_json');
  assertError(await county.raw('POST', '/api/v1/households', { rawBody: '[1,2]' }), 400, 'invalid_json');
  assertError(await county.raw('POST', '/api/v1/households', { rawBody: '' }), 400, 'invalid_json');
});

test('a body over 1 MiB is 413 body_too_large', async () => {
  const big = JSON.stringify(household([person('大包', 'head', { pad: 'x'.repeat(2 * 1024 * 1024) })]));
  const r = await county.raw('POST', '/api/v1/households', { rawBody: big });
  assertError(r, 413, 'body_too_large');
});

test('an unknown API route is 404 with a JSON error', async () => {
  assertError(await county.get('/api/v1/no-such-thing'), 404, 'not_found');
  assertError(await request(srv.url, 'GET', '/api/v1/no-such-thing'), 404, 'not_found');
  assertError(await county.get('/api/v1/households/999999999'), 404, 'not_found');
  assertError(await county.get('/api/v1/persons/999999999'), 404, 'not_found');
  assertError(await county.get('/api/v1/households/abc'), 404, 'not_found');
});

// ---- search ------------------------------------------------------------------------------------

let found; // the household made for the search tests

async function searchFixture() {
  if (found) return found;
  const members = [
    person('检索测甲', 'head', { tags: ['orphan'] }),
    person('检索测乙', 'spouse'),
    person('检索测丙', 'child'),
  ];
  found = { members, h: await create(county, household(members)) };
  return found;
}

test('search by name prefix finds every match with a total', async () => {
  await searchFixture();
  const r = await search(county, { q: '检索测' });
  assert.equal(r.total, 3);
  assert.deepEqual(r.items.map((p) => p.name).sort(), ['检索测丙', '检索测乙', '检索测甲'].sort());
  for (const p of r.items) {
    assert.equal(p.masked, true);
    assert.match(p.id_number, /^\d{6}\*{8}[\dX]{4}$/);
  }
});

test('search by a full 18-character ID number finds exactly that person', async () => {
  const { members, h } = await searchFixture();
  const r = await search(county, { q: members[1].id_number });
  assert.equal(r.total, 1);
  assert.equal(r.items[0].id, h.members.find((m) => m.name === '检索测乙').id);
});

test('search by the last 4 and last 6 characters of an ID number finds the person', async () => {
  const { members, h } = await searchFixture();
  const id = members[2].id_number;
  const want = h.members.find((m) => m.name === '检索测丙').id;
  for (const q of [id.slice(-4), id.slice(-6)]) {
    const r = await search(county, { q, limit: 200 });
    assert.ok(r.items.some((p) => p.id === want), `q=${q} finds the person`);
    for (const p of r.items) assert.ok(p.id_number.endsWith(id.slice(-4)), `q=${q}: ${p.id_number} ends with ${id.slice(-4)}`);
  }
});

test('search by tag returns only persons with that tag', async () => {
  await searchFixture();
  const r = await search(county, { q: '检索测', tag: 'orphan' });
  assert.equal(r.total, 1);
  assert.equal(r.items[0].name, '检索测甲');
  const all = await search(county, { tag: 'orphan', limit: 200 });
  assert.ok(all.total >= 1);
  for (const p of all.items) assert.ok(p.tags.includes('orphan'), `${p.name} has the tag`);
});

test('search by region narrows within the scope', async () => {
  await searchFixture();
  assert.equal((await search(county, { q: '检索测', region: VILLAGE })).total, 3);
  assert.equal((await search(county, { q: '检索测', region: '370704008' })).total, 3);
  assert.equal((await search(county, { q: '检索测', region: VILLAGE2 })).total, 0);
  const r = await search(county, { region: VILLAGE, limit: 200 });
  for (const p of r.items) assert.equal(p.region_code, VILLAGE);
});

test('search pages with limit and offset and reports total, limit and offset', async () => {
  await searchFixture();
  const p1 = await search(county, { q: '检索测', limit: 2, offset: 0 });
  assert.equal(p1.total, 3);
  assert.equal(p1.limit, 2);
  assert.equal(p1.offset, 0);
  assert.equal(p1.items.length, 2);
  const p2 = await search(county, { q: '检索测', limit: 2, offset: 2 });
  assert.equal(p2.total, 3);
  assert.equal(p2.offset, 2);
  assert.equal(p2.items.length, 1);
  const ids = [...p1.items, ...p2.items].map((p) => p.id);
  assert.equal(new Set(ids).size, 3, 'pages do not overlap');
  const p3 = await search(county, { q: '检索测', limit: 2, offset: 4 });
  assert.equal(p3.items.length, 0);
  assert.equal(p3.total, 3);
});

test('search defaults to limit 20, offset 0', async () => {
  const r = await search(county, {});
  assert.equal(r.limit, 20);
  assert.equal(r.offset, 0);
  assert.ok(r.items.length <= 20);
  assert.ok(r.total >= r.items.length);
});

test('search limit above 200 or a bad offset is 400 invalid_value', async () => {
  assertStatus(await county.get('/api/v1/persons?limit=200'), 200);
  assertError(await county.get('/api/v1/persons?limit=201'), 400, 'invalid_value', 'limit');
  assertError(await county.get('/api/v1/persons?limit=abc'), 400, 'invalid_value', 'limit');
  assertError(await county.get('/api/v1/persons?offset=-1'), 400, 'invalid_value', 'offset');
});

test('search lists stay masked even with ?unmask=1', async () => {
  const { members } = await searchFixture();
  const r = await search(county, { q: members[0].id_number, unmask: 1 });
  assert.equal(r.items[0].masked, true);
  assert.equal(r.items[0].id_number, maskId(members[0].id_number));
});

// ---- scope ----------------------------------------------------------------------------------------

test('a township user\'s search total for a name that only exists elsewhere is 0', async () => {
  const all = await search(admin, { q: elsewhere.name, limit: 200 });
  assert.ok(all.total > 0);
  const inTown = await search(admin, { q: elsewhere.name, region: '370704008' });
  const r = await search(town, { q: elsewhere.name, limit: 200 });
  assert.equal(r.total, inTown.total, 'only the matches in 太保庄街道');
  for (const p of r.items) assert.ok(p.region_code.startsWith('370704008'), `${p.region_code} in scope`);
});

test('a township user searching another township\'s person by full ID number gets total 0', async () => {
  const full = assertStatus(await admin.get(`/api/v1/persons/${otherTownship.id}?unmask=1`), 200);
  assert.equal((await search(town, { q: full.id_number })).total, 0);
  assert.equal((await search(town, { q: full.id_number.slice(-6), limit: 200 })).items.filter((p) => p.id === otherTownship.id).length, 0);
});

test('a township user asking for another township\'s household or person gets 404, never 403', async () => {
  for (const path of [
    `/api/v1/households/${otherTownship.household_id}`,
    `/api/v1/persons/${otherTownship.id}`,
    `/api/v1/households/${elsewhere.household_id}`,
    `/api/v1/persons/${elsewhere.id}`,
    `/api/v1/households/${otherTownship.household_id}?unmask=1`,
    `/api/v1/persons/${otherTownship.id}?unmask=1`,
  ]) {
    assertError(await town.get(path), 404, 'not_found');
  }
});

test('a search region outside the caller\'s scope returns no rows', async () => {
  const r = await town.get('/api/v1/persons?region=370702');
  if (r.status === 200) {
    assert.equal(r.json.total, 0);
    assert.equal(r.json.items.length, 0);
  } else {
    assert.ok(r.status >= 400 && r.status < 500, `4xx: ${r.status}`);
    assert.ok(r.json?.error?.code);
  }
});

// ---- unmasked reads -------------------------------------------------------------------------------

test('?unmask=1 shows county staff the full ID number and phone and adds one audit row', async () => {
  const headId = makeId();
  const h = await create(county, household([{ id_number: headId, name: '解密户主', relation: 'head', phone: '13700001234' }], { phone: '13600005678' }));
  const n0 = idRows();
  const r = assertStatus(await county.get(`/api/v1/households/${h.id}?unmask=1`), 200);
  assert.equal(r.members[0].id_number, headId);
  assert.equal(r.members[0].masked, false);
  assert.equal(r.members[0].phone, '13700001234');
  assert.equal(r.phone, '13600005678');
  const n1 = idRows();
  assert.equal(n1, n0 + 1, 'one audit row for the unmasked household read');
  const p = assertStatus(await county.get(`/api/v1/persons/${h.head_person_id}?unmask=1`), 200);
  assert.equal(p.id_number, headId);
  assert.equal(p.masked, false);
  assert.equal(idRows(), n1 + 1, 'one audit row for the unmasked person read');
  assert.equal(auditVerify(srv.dbPath).status, 0, 'chain intact');
});

test('reads without unmask stay masked and add no audit row', async () => {
  const h = await create(county, household([person('掩码户主')]));
  const n0 = idRows();
  const r = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(r.members[0].masked, true);
  assertStatus(await county.get(`/api/v1/persons/${h.head_person_id}`), 200);
  assert.equal(idRows(), n0);
});

test('the leader (no registry.unmask) cannot unmask: 403 forbidden or masked data', async () => {
  const h = await create(county, household([person('领导查看')]));
  for (const path of [`/api/v1/households/${h.id}?unmask=1`, `/api/v1/persons/${h.head_person_id}?unmask=1`]) {
    const r = await leader.get(path);
    if (r.status === 403) {
      assertError(r, 403, 'forbidden');
    } else {
      assertStatus(r, 200, path);
      const p = r.json.members ? r.json.members[0] : r.json;
      assert.equal(p.masked, true);
      assert.match(p.id_number, /\*{8}/);
    }
  }
  const ok = assertStatus(await leader.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(ok.members[0].masked, true);
});

// ---- changes ------------------------------------------------------------------------------------

test('PATCH /api/v1/households/{id} changes the address', async () => {
  const h = await create(county, household([person('改址户主')]));
  const r = await county.patch(`/api/v1/households/${h.id}`, { address: '栾家山后村新址 88 号' });
  assertStatus(r, 200);
  assert.equal(r.json.address, '栾家山后村新址 88 号');
  assert.equal(r.json.id, h.id);
  assert.equal(r.json.residence_type, h.residence_type);
  assert.equal(r.json.member_count, 1);
  const g = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(g.address, '栾家山后村新址 88 号');
});

test('PATCH /api/v1/households/{id} changes residence_type and phone', async () => {
  const h = await create(county, household([person('改类户主')]));
  const r = assertStatus(await county.patch(`/api/v1/households/${h.id}`, { residence_type: 'urban', phone: '13511112222' }), 200);
  assert.equal(r.residence_type, 'urban');
  assert.equal(r.phone, '135****2222');
  assert.equal(r.address, h.address);
});

test('an invalid PATCH of a household is 400 and changes nothing', async () => {
  const h = await create(county, household([person('改错户主')]));
  assertError(await county.patch(`/api/v1/households/${h.id}`, { residence_type: 'suburb', address: '不应保存' }), 400, 'invalid_value', 'residence_type');
  assertError(await county.patch(`/api/v1/households/${h.id}`, { phone: '999', address: '不应保存' }), 400, 'invalid_phone', 'phone');
  const g = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(g.address, h.address);
  assert.equal(g.residence_type, h.residence_type);
});

test('POST /api/v1/households/{id}/members adds a member: 201 PERSON', async () => {
  const h = await create(county, household([person('添员户主')]));
  const id = makeId({ sex: 'female', birth: '2010-05-06' });
  const r = await county.post(`/api/v1/households/${h.id}/members`, { id_number: id, name: '添员子女', relation: 'child', tags: ['left_behind_child'] });
  assertStatus(r, 201);
  assert.equal(r.json.household_id, h.id);
  assert.equal(r.json.region_code, VILLAGE);
  assert.equal(r.json.relation, 'child');
  assert.equal(r.json.sex, 'female');
  assert.equal(r.json.birth_date, '2010-05-06');
  assert.equal(r.json.id_number, maskId(id));
  assert.equal(r.json.status, 'active');
  assert.deepEqual(r.json.tags, ['left_behind_child']);
  const g = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(g.member_count, 2);
  assert.ok(g.members.some((m) => m.id === r.json.id));
});

test('adding a second head is refused with head_count', async () => {
  const h = await create(county, household([person('二主户主')]));
  const r = await county.post(`/api/v1/households/${h.id}/members`, person('二主新人', 'head'));
  assert.ok(r.status === 400 || r.status === 409, `status ${r.status}`);
  assertError(r, r.status, 'head_count');
  assert.equal(assertStatus(await county.get(`/api/v1/households/${h.id}`), 200).member_count, 1);
});

test('adding a member whose ID is registered elsewhere is 409 duplicate_id_number', async () => {
  const other = person('重号甲户主');
  await create(county, household([other]));
  const h = await create(county, household([person('重号乙户主')]));
  const r = await county.post(`/api/v1/households/${h.id}/members`, { ...other, name: '重号添员', relation: 'child' });
  assertError(r, 409, 'duplicate_id_number', 'id_number');
});

test('PATCH /api/v1/persons/{id} changes a person\'s fields', async () => {
  const h = await create(county, household([person('改人户主'), person('改人子女', 'child')]));
  const child = h.members.find((m) => m.relation === 'child');
  const r = await county.patch(`/api/v1/persons/${child.id}`, {
    name: '改后姓名',
    relation: 'grandchild',
    phone: '13912340000',
    disability_grade: 3,
    serious_illness: true,
    labour_capacity: 'none',
    income_items: [
      { type: 'pension', amount_fen: 50000 },
      { type: 'transfer', amount_fen: 2500 },
    ],
    tags: ['orphan', 'severely_disabled'],
  });
  assertStatus(r, 200);
  const p = r.json;
  assert.equal(p.id, child.id);
  assert.equal(p.name, '改后姓名');
  assert.equal(p.relation, 'grandchild');
  assert.equal(p.phone, '139****0000');
  assert.equal(p.disability_grade, 3);
  assert.equal(p.serious_illness, true);
  assert.equal(p.labour_capacity, 'none');
  assert.equal(p.monthly_income_fen, 52500);
  assert.deepEqual([...p.tags].sort(), ['orphan', 'severely_disabled']);
  assert.equal(p.id_number, child.id_number, 'ID unchanged');
  const g = assertStatus(await county.get(`/api/v1/persons/${child.id}`), 200);
  assert.equal(g.name, '改后姓名');
  assert.equal(g.monthly_income_fen, 52500);
});

test('an invalid PATCH of a person is 400 and changes nothing', async () => {
  const h = await create(county, household([person('错改户主'), person('错改子女', 'child')]));
  const child = h.members.find((m) => m.relation === 'child');
  assertError(await county.patch(`/api/v1/persons/${child.id}`, { name: '不应保存', tags: ['vip'] }), 400, 'invalid_value', 'tags[0]');
  assertError(await county.patch(`/api/v1/persons/${child.id}`, { name: '不应保存', labour_capacity: 'some' }), 400, 'invalid_value', 'labour_capacity');
  assert.equal(assertStatus(await county.get(`/api/v1/persons/${child.id}`), 200).name, '错改子女');
});

test('DELETE /api/v1/households/{id}/members/{person_id} with a reason marks the member removed, kept with history', async () => {
  const h = await create(county, household([person('删员户主'), person('删员子女', 'child')]));
  const child = h.members.find((m) => m.relation === 'child');
  const r = await county.del(`/api/v1/households/${h.id}/members/${child.id}`, { reason: '迁往外地' });
  assertStatus(r, 200);
  assert.equal(r.json.id, child.id);
  assert.equal(r.json.status, 'removed');
  const g = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(g.member_count, 1);
  assert.ok(!g.members.some((m) => m.id === child.id), 'no longer listed as a member');
  const p = assertStatus(await county.get(`/api/v1/persons/${child.id}`), 200);
  assert.equal(p.status, 'removed');
  const last = p.history.at(-1);
  assert.equal(last.action, 'removed');
  assert.equal(last.reason, '迁往外地');
  assert.equal(last.by, 'county_370704');
  assert.match(last.at, ISO_TIME);
  assert.equal((await search(county, { q: '删员子女' })).total, 0, 'removed persons are not in search');
});

test('removing a member without a reason is 400 required and changes nothing', async () => {
  const h = await create(county, household([person('无因户主'), person('无因子女', 'child')]));
  const child = h.members.find((m) => m.relation === 'child');
  assertError(await county.del(`/api/v1/households/${h.id}/members/${child.id}`, {}), 400, 'required', 'reason');
  assert.equal(assertStatus(await county.get(`/api/v1/households/${h.id}`), 200).member_count, 2);
});

test('the head cannot be removed while others remain', async () => {
  const h = await create(county, household([person('留主户主'), person('留主子女', 'child')]));
  const r = await county.del(`/api/v1/households/${h.id}/members/${h.head_person_id}`, { reason: '测试' });
  assert.ok(r.status === 400 || r.status === 409, `status ${r.status} ${r.text}`);
  assert.ok(r.json?.error?.code, 'JSON error');
  const g = assertStatus(await county.get(`/api/v1/households/${h.id}`), 200);
  assert.equal(g.member_count, 2);
  assert.equal(g.head_person_id, h.head_person_id);
});

test('POST /api/v1/persons/{id}/move moves a member to another household with history', async () => {
  const from = await create(county, household([person('迁出户主'), person('迁移成员', 'child')]));
  const to = await create(county, household([person('迁入户主')], { region_code: VILLAGE2 }));
  const mover = from.members.find((m) => m.relation === 'child');
  const r = await county.post(`/api/v1/persons/${mover.id}/move`, { household_id: to.id, relation: 'spouse', reason: '结婚迁入' });
  assertStatus(r, 200);
  assert.equal(r.json.id, mover.id);
  assert.equal(r.json.household_id, to.id);
  assert.equal(r.json.relation, 'spouse');
  assert.equal(r.json.region_code, VILLAGE2, 'the person takes the new household\'s village');
  assert.equal(r.json.status, 'active');
  assert.equal(assertStatus(await county.get(`/api/v1/households/${from.id}`), 200).member_count, 1);
  const t = assertStatus(await county.get(`/api/v1/households/${to.id}`), 200);
  assert.equal(t.member_count, 2);
  assert.ok(t.members.some((m) => m.id === mover.id));
  const p = assertStatus(await county.get(`/api/v1/persons/${mover.id}`), 200);
  assert.ok(Array.isArray(p.history) && p.history.length >= 1, 'history');
  const moved = p.history.at(-1);
  assert.equal(moved.action, 'moved');
  assert.equal(moved.from_household_id, from.id);
  assert.equal(moved.to_household_id, to.id);
  assert.equal(moved.by, 'county_370704');
  assert.equal(moved.reason, '结婚迁入');
  assert.match(moved.at, ISO_TIME);
});

test('moving a person into a household outside the caller\'s scope is 404 and changes nothing', async () => {
  const from = await create(town, household([person('越迁户主'), person('越迁成员', 'child')]));
  const mover = from.members.find((m) => m.relation === 'child');
  const r = await town.post(`/api/v1/persons/${mover.id}/move`, { household_id: otherTownship.household_id, relation: 'child', reason: '测试' });
  assertError(r, 404, 'not_found');
  const p = assertStatus(await town.get(`/api/v1/persons/${mover.id}`), 200);
  assert.equal(p.household_id, from.id);
  const other = assertStatus(await admin.get(`/api/v1/households/${otherTownship.household_id}`), 200);
  assert.ok(!other.members.some((m) => m.id === mover.id));
});

test('GET /api/v1/persons/{id} has the PERSON fields plus history', async () => {
  const h = await create(county, household([person('详情户主')]));
  const p = assertStatus(await county.get(`/api/v1/persons/${h.head_person_id}`), 200);
  for (const k of ['id', 'household_id', 'region_code', 'id_number', 'name', 'relation', 'sex', 'birth_date', 'age', 'phone', 'disability_grade',
    'serious_illness', 'labour_capacity', 'income_items', 'monthly_income_fen', 'tags', 'status', 'masked', 'history']) {
    assert.ok(k in p, `PERSON has ${k}`);
  }
  assert.ok(RELATIONS.includes(p.relation));
  assert.equal(p.history.length, 1);
  assert.equal(p.history[0].action, 'registered');
  assert.equal(p.history[0].by, 'county_370704');
});
