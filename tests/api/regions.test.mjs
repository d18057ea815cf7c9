// regions.test.mjs — docs/api.md "Regions": the region tree, scoped counts, management units.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { repoRoot, startServer } from '../lib/server.mjs';

let srv, admin, town, village, county;

const COUNTIES = [
  '370702', '370703', '370704', '370705', '370724', '370725', '370772',
  '370781', '370782', '370783', '370784', '370785', '370786',
];
const ZONES = ['370790', '370791', '370792'];
const LEVELS = ['province', 'city', 'county', 'township', 'village'];

// The shipped data (data/*.csv) is what `init` loads.
function csv(name) {
  const lines = readFileSync(path.join(repoRoot, 'data', name), 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
}
const regionsCsv = csv('regions-3707.csv');
const unitsCsv = csv('units-3707.csv');
const villagesOf = (prefix) => regionsCsv.filter((r) => r.code.length === 12 && r.code.startsWith(prefix)).map((r) => r.code).sort();

function assertRegion(r, what) {
  for (const k of ['code', 'name', 'level', 'parent_code', 'unit_code', 'unit_name']) assert.equal(typeof r[k], 'string', `${what}.${k} is a string`);
  for (const k of ['child_count', 'household_count', 'person_count']) {
    assert.ok(Number.isInteger(r[k]) && r[k] >= 0, `${what}.${k} is a count: ${r[k]}`);
  }
  assert.ok(LEVELS.includes(r.level), `${what}.level ${r.level}`);
}

before(async () => {
  srv = await startServer();
  [admin, county, town, village] = await Promise.all([
    srv.login('admin'),
    srv.login('county_370704'),
    srv.login('township_370704008'),
    srv.login('village_370704008231'),
  ]);
});

after(async () => {
  await srv?.stop();
});

test('GET /api/v1/regions?parent=3707 lists the 13 county-level regions with counts', async () => {
  const r = await admin.get('/api/v1/regions?parent=3707');
  assertStatus(r, 200);
  assert.equal(r.json.total, 13);
  assert.deepEqual(r.json.items.map((x) => x.code), COUNTIES);
  for (const x of r.json.items) {
    assertRegion(x, x.code);
    assert.equal(x.level, 'county');
    assert.equal(x.parent_code, '3707');
    assert.equal(x.unit_code, x.code, `${x.code} is its own management unit`);
    assert.equal(x.unit_name, x.name);
    assert.ok(x.child_count > 0, `${x.code} has townships`);
  }
  assert.equal(r.json.items.find((x) => x.code === '370704').name, '坊子区');
  assert.ok(r.json.items.reduce((s, x) => s + x.household_count, 0) > 0, 'the demo city has households');
});

test('the county counts add up to the city\'s counts', async () => {
  const city = assertStatus(await admin.get('/api/v1/regions/3707'), 200);
  const kids = assertStatus(await admin.get('/api/v1/regions?parent=3707'), 200);
  assert.equal(city.child_count, 13);
  assert.equal(kids.items.reduce((s, x) => s + x.household_count, 0), city.household_count);
  assert.equal(kids.items.reduce((s, x) => s + x.person_count, 0), city.person_count);
  assert.ok(city.person_count >= city.household_count);
});

test('GET /api/v1/regions/370704008231 is 栾家山后村 with ancestors 37, 3707, 370704, 370704008', async () => {
  const r = await admin.get('/api/v1/regions/370704008231');
  assertStatus(r, 200);
  assertRegion(r.json, 'region');
  assert.equal(r.json.code, '370704008231');
  assert.equal(r.json.level, 'village');
  assert.equal(r.json.parent_code, '370704008');
  // 太保庄街道 is managed by the functional zone 峡山生态经济开发区 (data/units-3707.csv)
  assert.equal(r.json.unit_code, '370791');
  assert.equal(r.json.unit_name, '峡山生态经济开发区');
  assert.equal(r.json.child_count, 0);
  assert.deepEqual(r.json.ancestors, [
    { code: '37', name: '山东省', level: 'province' },
    { code: '3707', name: '潍坊市', level: 'city' },
    { code: '370704', name: '坊子区', level: 'county' },
    { code: '370704008', name: '太保庄街道', level: 'township' },
  ]);
  assert.equal(r.json.name, '栾家山后村', 'the village name used by docs/api.md (HOUSEHOLD example) and DESIGN.md');
});

test('GET /api/v1/regions/CODE for an unknown code is 404 not_found', async () => {
  assertError(await admin.get('/api/v1/regions/370704008999'), 404, 'not_found');
  assertError(await admin.get('/api/v1/regions/abc'), 404, 'not_found');
});

test('GET /api/v1/regions?parent= an unknown code is 404 not_found', async () => {
  assertError(await admin.get('/api/v1/regions?parent=370799'), 404, 'not_found');
});

test('a township\'s children are its villages, in code order', async () => {
  const r = assertStatus(await admin.get('/api/v1/regions?parent=370704008'), 200);
  const want = villagesOf('370704008');
  assert.equal(r.total, want.length);
  assert.deepEqual(r.items.map((x) => x.code), want);
  for (const x of r.items) {
    assert.equal(x.level, 'village');
    assert.equal(x.parent_code, '370704008');
    assert.equal(x.unit_code, '370791', 'its township\'s unit (峡山区)');
  }
});

test('GET /api/v1/units gives the 16 management units incl. 3 functional zones', async () => {
  const r = assertStatus(await admin.get('/api/v1/units'), 200);
  assert.equal(r.total, 16);
  assert.equal(r.items.length, 16);
  assert.deepEqual(r.items.map((u) => u.code).sort(), [...COUNTIES, ...ZONES].sort());
  assert.deepEqual(r.items.filter((u) => u.kind === 'zone').map((u) => u.code).sort(), ZONES);
  for (const u of r.items) {
    assert.ok(u.kind === 'county' || u.kind === 'zone', `${u.code}.kind ${u.kind}`);
    assert.equal(typeof u.name, 'string');
    assert.ok(Array.isArray(u.townships) && u.townships.length > 0, `${u.code} manages townships`);
  }
  assert.equal(r.items.find((u) => u.code === '370791').name, '峡山生态经济开发区');
});

test('every township belongs to exactly one management unit, as in data/units-3707.csv', async () => {
  const r = assertStatus(await admin.get('/api/v1/units'), 200);
  const want = {};
  for (const row of unitsCsv) (want[row.unit_code] ??= []).push(row.township_code);
  for (const u of r.items) assert.deepEqual([...u.townships].sort(), (want[u.code] ?? []).sort(), `townships of ${u.code}`);
  const all = r.items.flatMap((u) => u.townships);
  const townships = regionsCsv.filter((x) => x.code.length === 9).map((x) => x.code);
  assert.equal(new Set(all).size, all.length, 'no township in two units');
  assert.deepEqual([...all].sort(), townships.sort(), 'every township in some unit');
});

test('a township in a functional zone carries the zone as its unit', async () => {
  const row = unitsCsv.find((x) => x.kind === 'zone');
  const r = assertStatus(await admin.get(`/api/v1/regions/${row.township_code}`), 200);
  assert.equal(r.level, 'township');
  assert.equal(r.unit_code, row.unit_code);
  assert.equal(r.unit_name, row.unit_name);
});

test('without parent, the city admin sees the children of the city (the 13 counties)', async () => {
  const r = assertStatus(await admin.get('/api/v1/regions'), 200);
  assert.deepEqual(r.items.map((x) => x.code), COUNTIES);
});

test('a township user\'s default GET /api/v1/regions lists only its own township\'s villages', async () => {
  const r = assertStatus(await town.get('/api/v1/regions'), 200);
  const want = villagesOf('370704008');
  assert.equal(r.total, want.length);
  assert.deepEqual(r.items.map((x) => x.code), want);
});

test('a township user asking for another township gets 404', async () => {
  assertError(await town.get('/api/v1/regions?parent=370704009'), 404, 'not_found');
  assertError(await town.get('/api/v1/regions/370704009'), 404, 'not_found');
  assertError(await town.get('/api/v1/regions/370704009001'), 404, 'not_found');
  assertError(await town.get('/api/v1/regions?parent=370702'), 404, 'not_found');
});

test('a township user listing its county sees only its own township, with the same counts', async () => {
  const r = assertStatus(await town.get('/api/v1/regions?parent=370704'), 200);
  assert.deepEqual(r.items.map((x) => x.code), ['370704008']);
  assert.equal(r.total, 1);
  const full = assertStatus(await admin.get('/api/v1/regions/370704008'), 200);
  assert.equal(r.items[0].household_count, full.household_count);
  assert.equal(r.items[0].person_count, full.person_count);
});

test('counts cover the caller\'s scope only: a village worker sees its village\'s counts in its township', async () => {
  const mine = assertStatus(await admin.get('/api/v1/regions/370704008231'), 200);
  const r = assertStatus(await village.get('/api/v1/regions?parent=370704008'), 200);
  assert.deepEqual(r.items.map((x) => x.code), ['370704008231']);
  assert.equal(r.items[0].household_count, mine.household_count);
  const t = assertStatus(await village.get('/api/v1/regions/370704008'), 200);
  assert.equal(t.household_count, mine.household_count, 'township count restricted to the village');
  assert.equal(t.person_count, mine.person_count);
});

test('a county user\'s default list is its townships', async () => {
  const r = assertStatus(await county.get('/api/v1/regions'), 200);
  const want = regionsCsv.filter((x) => x.code.length === 9 && x.code.startsWith('370704')).map((x) => x.code).sort();
  assert.deepEqual(r.items.map((x) => x.code), want);
});

test('the institution reporter (region.read only) may browse regions', async () => {
  const inst = await srv.login('institution');
  const root = inst.user.region_code;
  assertStatus(await inst.get(`/api/v1/regions/${root}`), 200);
  assert.ok(assertStatus(await inst.get('/api/v1/regions'), 200).items.length > 0);
  assertStatus(await inst.get('/api/v1/units'), 200);
});
