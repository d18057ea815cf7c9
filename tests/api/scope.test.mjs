// scope.test.mjs — the scope matrix: for EVERY route that `minzheng routes` prints with a path
// parameter, a user asking for a record outside their region scope gets 404 not_found (never 403,
// never the data) and nothing changes; every list route returns only in-scope rows. The routes
// come from the binary, so a new route joins this matrix by itself — and fails loudly here until
// the test knows what record its parameters name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId } from '../lib/http.mjs';
import { routes, startServer } from '../lib/server.mjs';

const ALL_ROUTES = routes();
const PARAM_ROUTES = ALL_ROUTES.filter((r) => r.pattern.includes('{'));
const LIST_ROUTES = ALL_ROUTES.filter((r) => r.method === 'GET' && !r.pattern.includes('{') && r.pattern.startsWith('/api/v1/'));

// Who tries, their scope, and which village holds the record they must not reach.
const ACTORS = [
  { username: 'township_370704008', scope: '370704008', own: '370704008231', foreign: '370704009', what: 'another township (same county)' },
  { username: 'township_370704008', scope: '370704008', own: '370704008231', foreign: '370702', what: 'another county' },
  { username: 'village_370704008231', scope: '370704008231', own: '370704008231', foreign: '370704008201', what: 'another village (same township)' },
  { username: 'county_370704', scope: '370704', own: '370704008231', foreign: '370705', what: 'another county' },
];

// List routes that are not scoped records: city-level reference data every role may read.
const UNSCOPED_LISTS = new Set(['GET /api/v1/units', 'GET /api/v1/session', 'GET /healthz']);
// Policy parameters are per management unit, not rows with a region code: tests/api/policy.test.mjs
// covers their scope (a unit outside the caller's scope is 404).
for (const r of ['GET /api/v1/policy', 'GET /api/v1/policy/history', 'GET /api/v1/policy/keys']) UNSCOPED_LISTS.add(r);
// Epidemic periods are the city's declarations, the same for everyone.
UNSCOPED_LISTS.add('GET /api/v1/assistance/epidemic-periods');
// Scoped lists that a fresh fixture cannot fill (a review falls due after months, an exit is held
// only during an epidemic period): their rows are still checked to lie in scope here, and
// tests/api/assistance.test.mjs fills and checks them.
const MAY_BE_EMPTY = new Set(['GET /api/v1/assistance/reviews-due', 'GET /api/v1/assistance/held-exits']);

// Payroll runs and the assistance report are per management unit, not rows with a region code:
// tests/api/payroll.test.mjs covers their scope (another unit's run is 404, its figures absent).
UNSCOPED_LISTS.add('GET /api/v1/payroll/runs');
UNSCOPED_LISTS.add('GET /api/v1/reports/assistance');
// Payroll needs the payroll permission (county and city staff): every other role gets 403 for
// every run, whoever's it is (payroll.test.mjs), so only the county actors try these routes here.
const payrollOnly = (route, actor) => route.pattern.startsWith('/api/v1/payroll/') && !actor.username.startsWith('county_');

let srv, admin;
const clients = {};
const runOfUnit = {}; // unit code → a payroll run of that unit (made once, by the admin)

/** A payroll run of the unit that manages `village` (computed through the API once per unit). */
async function runOf(village) {
  const region = assertStatus(await admin.get(`/api/v1/regions/${village}`), 200, `region ${village}`);
  const unit = region.unit_code;
  if (!runOfUnit[unit]) {
    const j = assertStatus(await admin.post('/api/v1/payroll/runs', { month: '2020-01', unit_code: unit }), 202, `payroll run of ${unit}`);
    for (let i = 0; i < 200 && !runOfUnit[unit]; i++) {
      const d = assertStatus(await admin.get(`/api/v1/jobs/${j.id}`), 200);
      if (d.status === 'failed') assert.fail(`payroll run of ${unit}: ${JSON.stringify(d.error)}`);
      if (d.status === 'done') runOfUnit[unit] = d.result.runs[0].run_id;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(runOfUnit[unit], `payroll run of ${unit} finished`);
  }
  return runOfUnit[unit];
}
const villageIn = {}; // prefix → a village code under it

async function firstVillage(prefix) {
  if (prefix.length === 12) return prefix;
  let code = prefix;
  while (code.length < 12) {
    const r = assertStatus(await admin.get(`/api/v1/regions?parent=${code}`), 200, `children of ${code}`);
    assert.ok(r.items.length > 0, `${code} has children`);
    code = r.items[0].code;
  }
  return code;
}

/** A household with a head and a child, made by the admin in `village`. */
async function makeHousehold(village, tag) {
  const r = await admin.post('/api/v1/households', {
    region_code: village,
    address: `范围测试 ${tag}`,
    residence_type: 'rural',
    members: [
      { id_number: makeId(), name: `范围户主${tag}`, relation: 'head', tags: ['elderly_alone'] },
      { id_number: makeId(), name: `范围成员${tag}`, relation: 'child' },
    ],
  });
  assertStatus(r, 201, `admin creates a household in ${village}`);
  const h = r.json;
  const job = assertStatus(await admin.post('/api/v1/jobs', { kind: 'audit.verify' }), 202, 'admin submits a job');
  // a 低保 case of the household, under public notice (so the case and notice lists hold it)
  const kase = assertStatus(await admin.post('/api/v1/assistance/cases', { program: 'dibao', household_id: h.id, bank_account: '6228480000000000017' }), 201, 'admin applies');
  assertStatus(await admin.post(`/api/v1/assistance/cases/${kase.id}/investigate`, { result: 'eligible' }), 200, 'admin investigates');
  assertStatus(await admin.post(`/api/v1/assistance/cases/${kase.id}/appraise`, { result: 'agree' }), 200, 'admin appraises');
  assertStatus(await admin.post(`/api/v1/assistance/cases/${kase.id}/notice`, {}), 200, 'admin posts the notice');
  return {
    run_id: await runOf(village),
    case_id: kase.id,
    job_id: job.id,
    household_id: h.id,
    head_id: h.head_person_id,
    person_id: h.members.find((m) => m.relation !== 'head').id,
    village,
    name: `范围成员${tag}`,
  };
}

/** What the admin sees of a fixture (to prove that nothing changed). */
async function snapshot(f) {
  const h = assertStatus(await admin.get(`/api/v1/households/${f.household_id}?unmask=1`), 200);
  const p = assertStatus(await admin.get(`/api/v1/persons/${f.person_id}?unmask=1`), 200);
  return { h, p };
}

let serial = 0;
/** The value of a path parameter, by the collection it follows. undefined when unknown. */
function paramValue(pattern, index, f) {
  const segs = pattern.split('/');
  const params = segs.map((s, i) => [s, segs[i - 1]]).filter(([s]) => s.startsWith('{'));
  const [, prev] = params[index];
  switch (prev) {
    case 'households':
      return f.household_id;
    case 'persons':
    case 'members':
      return f.person_id;
    case 'regions':
      return f.village;
    case 'cases':
      return f.case_id;
    case 'notices':
      return f.village; // a village's notice board
    case 'runs':
      return f.run_id; // the payroll run of the fixture village's unit
    case 'jobs':
      return f.job_id; // jobs belong to the user who submitted them: the admin's is foreign to all

    default:
      return undefined;
  }
}

function paramCount(pattern) {
  return (pattern.match(/\{[^}]+\}/g) || []).length;
}

function fillPath(pattern, values) {
  let i = 0;
  return pattern.replace(/\{[^}]+\}/g, () => String(values[i++]));
}

/** A valid body for a write, so that only the scope can be the reason for a refusal. */
function bodyFor(method, pattern, own) {
  serial++;
  if (method === 'GET') return undefined;
  if (/\/households\/\{[^}]+\}\/members$/.test(pattern) && method === 'POST') {
    return { id_number: makeId(), name: `越权添员${serial}`, relation: 'child' };
  }
  if (/\/move$/.test(pattern)) return { household_id: own.household_id, relation: 'child', reason: '越权测试' };
  if (/\/members\/\{[^}]+\}$/.test(pattern) && method === 'DELETE') return { reason: '越权测试' };
  if (/\/households\/\{[^}]+\}$/.test(pattern) && method === 'PATCH') return { address: `越权地址${serial}` };
  if (/\/persons\/\{[^}]+\}$/.test(pattern) && method === 'PATCH') return { name: `越权姓名${serial}` };
  // a route this test does not know yet: a body with the usual fields
  return { address: `越权地址${serial}`, name: `越权姓名${serial}`, reason: '越权测试', relation: 'child', household_id: own.household_id };
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  for (const a of ACTORS) clients[a.username] ??= await srv.login(a.username);
  for (const a of ACTORS) {
    villageIn[a.foreign] ??= await firstVillage(a.foreign);
  }
});

after(async () => {
  await srv?.stop();
});

test('`minzheng routes` lists the registry routes with path parameters', () => {
  const keys = ALL_ROUTES.map((r) => `${r.method} ${r.pattern}`);
  for (const want of ['GET /api/v1/households/{id}', 'GET /api/v1/persons/{id}']) assert.ok(keys.includes(want), `${want} in ${keys.join(', ')}`);
  assert.ok(PARAM_ROUTES.length >= 7, `at least the 7 record routes of docs/api.md (got ${PARAM_ROUTES.length})`);
});

for (const route of PARAM_ROUTES) {
  for (const actor of ACTORS) {
    if (payrollOnly(route, actor)) continue;
    const name = `${route.method} ${route.pattern}: ${actor.username} gets 404 for a record in ${actor.what}, and nothing changes`;
    test(name, async () => {
      const c = clients[actor.username];
      const own = await makeHousehold(actor.own, `己${++serial}`);
      const foreign = await makeHousehold(villageIn[actor.foreign], `外${++serial}`);
      const n = paramCount(route.pattern);
      for (let i = 0; i < n; i++) {
        assert.notEqual(paramValue(route.pattern, i, foreign), undefined,
          `no out-of-scope fixture for parameter ${i + 1} of ${route.method} ${route.pattern}: teach tests/api/scope.test.mjs what record it names`);
      }
      // every parameter foreign, then each one foreign with the others in scope
      const variants = [Array.from({ length: n }, (_, i) => paramValue(route.pattern, i, foreign))];
      if (n > 1) {
        for (let k = 0; k < n; k++) variants.push(Array.from({ length: n }, (_, i) => paramValue(route.pattern, i, i === k ? foreign : own)));
      }
      const before = await snapshot(foreign);
      const ownBefore = await snapshot(own);
      for (const values of variants) {
        const paths = [fillPath(route.pattern, values)];
        if (route.method === 'GET') paths.push(paths[0] + '?unmask=1');
        for (const path of paths) {
          const r = await c.raw(route.method, path, { body: bodyFor(route.method, route.pattern, own) });
          assertError(r, 404, 'not_found');
        }
      }
      assert.deepEqual(await snapshot(foreign), before, 'the out-of-scope record is unchanged');
      if (n > 1) assert.deepEqual(await snapshot(own), ownBefore, 'the in-scope record is unchanged');
    });
  }
}

// The other direction, so the matrix above cannot pass vacuously: the same GETs answer 200 for
// a record in scope.
// (Jobs are the submitter's own, not a region's: tests/api/jobs.test.mjs covers their owner.)
// (Payroll runs need the payroll permission, which townships lack: payroll.test.mjs covers a county
// reading its own run.)
for (const route of PARAM_ROUTES.filter((r) => r.method === 'GET' && !r.pattern.startsWith('/api/v1/jobs/') && !r.pattern.startsWith('/api/v1/payroll/'))) {
  test(`${route.method} ${route.pattern}: township_370704008 gets 200 for a record in its own township`, async () => {
    const own = await makeHousehold('370704008231', `内${++serial}`);
    const values = Array.from({ length: paramCount(route.pattern) }, (_, i) => paramValue(route.pattern, i, own));
    assert.ok(!values.includes(undefined), `fixture for ${route.pattern}`);
    assertStatus(await clients.township_370704008.get(fillPath(route.pattern, values)), 200, route.pattern);
  });
}

// A body that names a record is scoped too: moving an own person into a foreign household.
test('POST /api/v1/persons/{id}/move into a household of another township is 404 and changes nothing', async () => {
  const c = clients.township_370704008;
  const own = await makeHousehold('370704008231', `迁${++serial}`);
  const foreign = await makeHousehold(villageIn['370704009'], `迁外${++serial}`);
  const b0 = await snapshot(foreign);
  const o0 = await snapshot(own);
  const r = await c.post(`/api/v1/persons/${own.person_id}/move`, { household_id: foreign.household_id, relation: 'child', reason: '越权测试' });
  assertError(r, 404, 'not_found');
  assert.deepEqual(await snapshot(foreign), b0);
  assert.deepEqual(await snapshot(own), o0);
});

/** Every item of a list answer lies in the scope (region_code under it; a region overlaps it). */
function assertInScope(items, scope, what) {
  for (const it of items) {
    if (typeof it.region_code === 'string') {
      assert.ok(it.region_code.startsWith(scope), `${what}: row ${it.id} region ${it.region_code} outside ${scope}`);
    } else if (typeof it.code === 'string' && typeof it.level === 'string') {
      assert.ok(it.code.startsWith(scope) || scope.startsWith(it.code), `${what}: region ${it.code} outside ${scope}`);
    } else {
      assert.fail(`${what}: an item without region_code: teach tests/api/scope.test.mjs how it is scoped: ${JSON.stringify(it).slice(0, 200)}`);
    }
  }
}

for (const route of LIST_ROUTES) {
  if (UNSCOPED_LISTS.has(`${route.method} ${route.pattern}`)) continue;
  for (const actor of ACTORS.filter((a, i) => ACTORS.findIndex((b) => b.username === a.username) === i)) {
    test(`${route.method} ${route.pattern}: ${actor.username} never gets rows outside ${actor.scope}`, async () => {
      const c = clients[actor.username];
      const foreign = await makeHousehold(villageIn[ACTORS.find((a) => a.username === actor.username).foreign], `列${++serial}`);
      await makeHousehold(actor.own, `列内${serial}`);
      const fullId = assertStatus(await admin.get(`/api/v1/persons/${foreign.person_id}?unmask=1`), 200).id_number;
      const queries = [
        {},
        { q: foreign.name },
        { q: fullId },
        { q: fullId.slice(-4) },
        { q: fullId.slice(-6) },
        { q: '范围' },
        { tag: 'elderly_alone' },
        { region: foreign.village },
        { parent: foreign.village.slice(0, 9) },
        { parent: '3707' },
      ];
      let seen = 0;
      for (const q of queries) {
        for (let offset = 0; ; ) {
          const qs = new URLSearchParams({ ...q, limit: '200', offset: String(offset) }).toString();
          const r = await c.get(`${route.pattern}?${qs}`);
          if (r.status !== 200) {
            // refusing an out-of-scope filter is fine, as long as it is a 4xx with a JSON error
            assert.ok(r.status >= 400 && r.status < 500 && r.json?.error, `${route.pattern}?${qs}: ${r.status} ${r.text.slice(0, 200)}`);
            break;
          }
          if (!Array.isArray(r.json?.items)) break; // not a list
          assertInScope(r.json.items, actor.scope, `${route.pattern}?${qs}`);
          assert.ok(!r.json.items.some((it) => it.id === foreign.person_id || it.household_id === foreign.household_id), 'the foreign fixture is not listed');
          seen += r.json.items.length;
          offset += r.json.items.length;
          if (r.json.items.length === 0 || typeof r.json.total !== 'number' || offset >= r.json.total) break;
        }
      }
      if (!MAY_BE_EMPTY.has(`${route.method} ${route.pattern}`)) assert.ok(seen > 0, `${route.pattern} lists something in scope for ${actor.username}`);
    });
  }
}

test('GET /api/v1/persons: a township user\'s total equals the admin\'s total for that township', async () => {
  const t = assertStatus(await clients.township_370704008.get('/api/v1/persons?limit=1'), 200);
  const a = assertStatus(await admin.get('/api/v1/persons?limit=1&region=370704008'), 200);
  assert.equal(t.total, a.total);
});
