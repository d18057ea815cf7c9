// scope.test.mjs — the scope matrix: for EVERY route that `minzheng routes` prints with a path
// parameter, a user asking for a record outside their region scope gets 404 not_found (never 403,
// never the data) and nothing changes; every list route returns only in-scope rows. The routes
// come from the binary, so a new route joins this matrix by itself — and fails loudly here until
// the test knows what record its parameters name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assertError, assertStatus, makeId } from '../lib/http.mjs';
import { routes, startServer } from '../lib/server.mjs';

// A module's part of the matrix lives in tests/api/scope/<module>.mjs, exporting any of:
//   prefix                      the module's route prefix, e.g. '/api/v1/funeral/', or several
//                               (an array: its staff and its public routes); its other hooks
//                               answer only for routes under it
//   fixture(admin, village, tag, base) → {name: id, …}   its records in the village (base: the
//                               household fixture so far), merged into the fixture
//   param(prev, pattern, f)     the value of a path parameter that follows the segment prev
//   unscoped: [ROUTE…], mayBeEmpty: [ROUTE…]   ('GET /api/v1/…')
//   skip(route, actor)          true when the actor lacks the permission (403 whatever the record)
//   body(method, pattern, own)  a valid body for a write (so that only the scope can refuse it)
//   ownReader                   the username that reads the module's own records in the 200 test
//                               (default township_370704008)
const PLUGINS = [];
{
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scope');
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort(); } catch { /* none */ }
  for (const f of files) PLUGINS.push(await import(path.join(dir, f)));
}
const pluginOf = (pattern) => PLUGINS.find((p) => [].concat(p.prefix || []).some((x) => pattern.startsWith(x)));

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
const UNSCOPED_LISTS = new Set(['GET /api/v1/units', 'GET /api/v1/session', 'GET /healthz', 'GET /metrics']);
// Policy parameters are per management unit, not rows with a region code: tests/api/policy.test.mjs
// covers their scope (a unit outside the caller's scope is 404).
for (const r of ['GET /api/v1/policy', 'GET /api/v1/policy/history', 'GET /api/v1/policy/keys']) UNSCOPED_LISTS.add(r);
// The working-day calendar is the country's holidays, the same for everyone.
for (const r of ['GET /api/v1/calendar', 'GET /api/v1/calendar/working-days']) UNSCOPED_LISTS.add(r);
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
// Temporary assistance: the cause table is reference data and the paid totals are per management
// unit (tests/api/relief.test.mjs covers their scope); the overdue lists, the reserves (township
// rows, which a village user does not see), the replenishment needs and the reconciliation may be
// empty for a fresh fixture.
UNSCOPED_LISTS.add('GET /api/v1/relief/options');
UNSCOPED_LISTS.add('GET /api/v1/relief/totals');
for (const r of ['overdue', 'reserves', 'needs', 'reconcile']) MAY_BE_EMPTY.add(`GET /api/v1/relief/${r}`);
// Institutions: village workers have no institution.read (their lists answer 403), and the
// dashboard, the period report and a reporter's own page are not lists: the rows that come back
// are still checked here, and tests/api/institutions.test.mjs checks township and county lists.
for (const r of ['', '/calls', '/alerts', '/dashboard', '/mine']) MAY_BE_EMPTY.add(`GET /api/v1/institutions${r}`);
MAY_BE_EMPTY.add('GET /api/v1/reports/institutions');
// Price subsidies: the indices are the city's months (their figures count the caller's scope);
// the subsidies are rows with a village code, none in a fresh fixture (tests/api/price.test.mjs
// fills them and checks a county's and a township's lists).
UNSCOPED_LISTS.add('GET /api/v1/price/indices');
MAY_BE_EMPTY.add('GET /api/v1/price/subsidies');
// Inspections and duty rosters: the teams are the city's (seen where their area overlaps the
// caller's scope; their rows carry the city's code) and the checklist is reference data; the
// other lists are filled by the fixture below for townships and counties, while a village user has
// no permission (403); tests/api/inspections.test.mjs and duty.test.mjs check them per county.
for (const r of ['/api/v1/inspection-teams', '/api/v1/inspection-checklist']) UNSCOPED_LISTS.add(`GET ${r}`);
for (const r of ['/api/v1/inspections', '/api/v1/rectifications', '/api/v1/rectifications/overdue', '/api/v1/rectifications/summary',
  '/api/v1/duty/rosters', '/api/v1/duty/now', '/api/v1/duty/handovers']) MAY_BE_EMPTY.add(`GET ${r}`);
// Payroll needs the payroll permission (county and city staff): every other role gets 403 for
// every run, whoever's it is (payroll.test.mjs), so only the county actors try these routes here.
const payrollOnly = (route, actor) => route.pattern.startsWith('/api/v1/payroll/') && !actor.username.startsWith('county_');
// Hotline calls and cases need the hotline permission (operators, county and city staff): townships
// and villages get 403 for every record, whoever's it is, so only the county actors try these routes
// here; tests/api/hotline.test.mjs checks that a county reads its own (200) and that townships get 403.
const hotlineOnly = (route, actor) => route.pattern.startsWith('/api/v1/hotline/') && !actor.username.startsWith('county_');
UNSCOPED_LISTS.add('GET /api/v1/hotline/lines'); // the lines are the city's, the same for everyone
UNSCOPED_LISTS.add('GET /api/v1/imports/template'); // a blank workbook: no rows of anyone's
// Rescue stations need the rescue permission (rescue workers, county and city staff): townships and
// villages get 403 for the lists (and 404 for every record, which the matrix checks for them too), so
// only the county actors read the lists here, and the county's own records are read below; the
// dashboard is not a list. tests/api/rescue.test.mjs checks a station's records against another county.
const rescueOnly = (route, actor) => route.pattern.startsWith('/api/v1/rescue/') && !actor.username.startsWith('county_');
MAY_BE_EMPTY.add('GET /api/v1/rescue/dashboard');
// The statistics report and the dashboard are per management unit, not rows with a region code
// (their figures count the caller's scope): tests/api/stats.test.mjs and dashboard.test.mjs
// check that a county outside the scope is 404 and a county user sees only their own units.
for (const r of ['/api/v1/reports/stats', '/api/v1/dashboard']) UNSCOPED_LISTS.add(`GET ${r}`);
for (const p of PLUGINS) {
  for (const r of p.unscoped || []) UNSCOPED_LISTS.add(r);
  for (const r of p.mayBeEmpty || []) MAY_BE_EMPTY.add(r);
}
const pluginSkips = (route, actor) => {
  const p = pluginOf(route.pattern);
  return !!(p && p.skip && p.skip(route, actor));
};

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
  // a temporary-assistance grant for the member (the relief routes' record)
  const grant = assertStatus(await admin.post('/api/v1/relief/grants', { person_id: h.members.find((m) => m.relation !== 'head').id, kind: 'expense', cause: 'medical', amount_fen: 50000, applied_by: 'self' }), 201, 'admin applies for temporary assistance');
  // an institution in the village with a fever report yesterday, hence an alert (the institutions routes' records)
  const inst = assertStatus(await admin.post('/api/v1/institutions', { name: `范围敬老院${tag}`, type: 'elderly_home', region_code: village, opened_on: '2020-01-01', residents: 10, staff: 2 }), 201, 'admin registers an institution');
  const yesterday = new Date(Date.now() + 8 * 3600e3 - 86400e3).toISOString().slice(0, 10);
  const fever = assertStatus(await admin.post(`/api/v1/institutions/${inst.id}/reports`, { report_date: yesterday, kind: 'daily', residents_present: 10, staff_on_site: 2, admissions: 0, departures: 0, temperature_checks: 12, fever: 1, suspected: 0, confirmed: 0, isolated: 0, deaths: 0 }), 201, 'admin files a fever report');
  // an inspection team working in the village, its visit with a failed item (a rectification item
  // of the village), and an institution's duty roster there with one shift (the inspections and
  // duty routes' records)
  const team = assertStatus(await admin.post('/api/v1/inspection-teams', { name: `范围督导组${tag}`, region_code: '3707', areas: [village] }), 201, 'admin sets up a team');
  const codes = assertStatus(await admin.get('/api/v1/inspection-checklist'), 200).items.filter((x) => x.applies_to !== 'institution').map((x) => x.code);
  const visit = assertStatus(await admin.post('/api/v1/inspections', { team_id: team.id, region_code: village, results: codes.map((code, i) => ({ code, result: i ? 'pass' : 'fail', note: '范围测试' })) }), 201, 'admin records a visit');
  const roster = assertStatus(await admin.post('/api/v1/duty/rosters', { unit_kind: 'institution', region_code: village, name: `范围机构${tag}` }), 201, 'admin sets up a roster');
  const shift = assertStatus(await admin.post(`/api/v1/duty/rosters/${roster.id}/shifts`, { post: 'officer', person_name: `范围值班${tag}`, phone: '13900000001', start_at: '2020-03-01T08:00', end_at: '2020-03-01T20:00' }), 201, 'admin plans a shift');
  // a call on the 24-hour line that opened a case for the member (the hotline routes' records)
  const call = assertStatus(await admin.post('/api/v1/hotline/calls', { line_code: 'assist', region_code: village, category: 'living', description: `范围测试${tag}`, urgency: 'normal', outcome: 'case_opened', case: { subject_person_id: h.members.find((m) => m.relation !== 'head').id } }), 201, 'admin records a hotline call');
  // a rescue station of the village's township with a room, an arrival and a street patrol (the
  // rescue routes' records)
  const rstation = assertStatus(await admin.post('/api/v1/rescue/stations', { name: `范围救助站${tag}`, region_code: village.slice(0, 9) }), 201, 'admin sets up a rescue station');
  const rroom = assertStatus(await admin.post(`/api/v1/rescue/stations/${rstation.id}/rooms`, { name: '宿舍', zone: 'general', beds: 2 }), 201, 'admin adds a room').room_list[0];
  const rintake = assertStatus(await admin.post('/api/v1/rescue/intakes', { station_id: rstation.id, name: `范围受助${tag}`, temperature_tenths: 365, risk: 'low', decision: 'admit', room_id: rroom.id }), 201, 'admin records an arrival');
  const rpatrol = assertStatus(await admin.post('/api/v1/rescue/patrols', { station_id: rstation.id, date: new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10), area: '范围测试', staff: '范围' }), 201, 'admin records a patrol');
  const base = {
    rescue_station_id: rstation.id,
    rescue_room_id: rroom.id,
    rescue_intake_id: rintake.id,
    rescue_patrol_id: rpatrol.id,
    hotline_call_id: call.id,
    hotline_case_id: call.case_id,
    institution_id: inst.id,
    inspection_team_id: team.id,
    inspection_id: visit.id,
    rectification_id: visit.rectifications[0].id,
    duty_roster_id: roster.id,
    duty_shift_id: shift.id,
    institution_alert_id: fever.alerts[0].id,
    relief_grant_id: grant.id,
    run_id: await runOf(village),
    case_id: kase.id,
    job_id: job.id,
    household_id: h.id,
    head_id: h.head_person_id,
    person_id: h.members.find((m) => m.relation !== 'head').id,
    village,
    name: `范围成员${tag}`,
  };
  for (const p of PLUGINS) if (p.fixture) Object.assign(base, await p.fixture(admin, village, tag, base));
  return base;
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
      return pattern.startsWith('/api/v1/hotline/') ? f.hotline_case_id : f.case_id;
    case 'calls':
      return pattern.startsWith('/api/v1/hotline/') ? f.hotline_call_id : undefined; // the fixture's hotline call
    case 'notices':
      return f.village; // a village's notice board
    case 'runs':
      return f.run_id; // the payroll run of the fixture village's unit
    case 'grants':
      return f.relief_grant_id; // a temporary-assistance grant of the fixture's member
    case 'reserves':
      return f.village.slice(0, 9); // the fixture village's township reserve
    case 'institutions':
      return f.institution_id; // an institution in the fixture village
    case 'alerts':
      return pattern.startsWith('/api/v1/institutions/') ? f.institution_alert_id : undefined; // its fever alert
    case 'inspection-teams':
      return f.inspection_team_id; // a team whose area is the fixture village
    case 'inspections':
      return f.inspection_id; // a visit to the fixture village
    case 'rectifications':
      return f.rectification_id; // the village's rectification item from that visit
    case 'rosters':
      return pattern.startsWith('/api/v1/duty/') ? f.duty_roster_id : undefined; // an institution's roster in the village
    case 'shifts':
      return pattern.startsWith('/api/v1/duty/') ? f.duty_shift_id : undefined; // its shift
    case 'jobs':
      return f.job_id; // jobs belong to the user who submitted them: the admin's is foreign to all
    case 'entries':
      return pattern.startsWith('/api/v1/ledger/') ? f.head_id : undefined; // the head is tagged elderly_alone: a ledger entry
    case 'notice':
      return f.village; // a village's printable ledger notice
    case 'contacts':
      return f.village.slice(0, 9); // the fixture village's township (its 24-hour number)
    case 'stations':
      return pattern.startsWith('/api/v1/rescue/') ? f.rescue_station_id : undefined; // a rescue station of the village's township
    case 'rooms':
      return pattern.startsWith('/api/v1/rescue/') ? f.rescue_room_id : undefined; // its room
    case 'intakes':
      return pattern.startsWith('/api/v1/rescue/') ? f.rescue_intake_id : undefined; // an arrival there
    case 'patrols':
      return pattern.startsWith('/api/v1/rescue/') ? f.rescue_patrol_id : undefined; // a street patrol of that station

    default: {
      const p = pluginOf(pattern);
      return p && p.param ? p.param(prev, pattern, f) : undefined;
    }
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
  const plugin = pluginOf(pattern);
  const b = plugin && plugin.body ? plugin.body(method, pattern, own, serial) : undefined;
  if (b !== undefined) return b;
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

// One pair of fixtures per actor, shared by all the routes it tries: every request of the matrix
// must answer 404 and change nothing (each test checks that the records are unchanged), so a
// later test sees the same records as a fresh pair would show it.
const fixtureCache = new Map();
function fixturesFor(actor) {
  const key = `${actor.username} ${actor.foreign}`;
  if (!fixtureCache.has(key)) {
    fixtureCache.set(key, (async () => ({
      own: await makeHousehold(actor.own, `己${++serial}`),
      foreign: await makeHousehold(villageIn[actor.foreign], `外${++serial}`),
    }))());
  }
  return fixtureCache.get(key);
}

for (const route of PARAM_ROUTES) {
  for (const actor of ACTORS) {
    if (payrollOnly(route, actor) || hotlineOnly(route, actor) || pluginSkips(route, actor)) continue;
    const name = `${route.method} ${route.pattern}: ${actor.username} gets 404 for a record in ${actor.what}, and nothing changes`;
    test(name, async () => {
      const c = clients[actor.username];
      const { own, foreign } = await fixturesFor(actor);
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
for (const route of PARAM_ROUTES.filter((r) => r.method === 'GET' && !r.pattern.startsWith('/api/v1/jobs/') && !r.pattern.startsWith('/api/v1/payroll/') && !r.pattern.startsWith('/api/v1/hotline/') && !r.pattern.startsWith('/api/v1/rescue/'))) {
  const reader = pluginOf(route.pattern)?.ownReader || 'township_370704008';
  test(`${route.method} ${route.pattern}: ${reader} gets 200 for a record in its own area`, async () => {
    clients[reader] ??= await srv.login(reader);
    const own = await makeHousehold('370704008231', `内${++serial}`);
    const values = Array.from({ length: paramCount(route.pattern) }, (_, i) => paramValue(route.pattern, i, own));
    assert.ok(!values.includes(undefined), `fixture for ${route.pattern}`);
    assertStatus(await clients[reader].get(fillPath(route.pattern, values)), 200, route.pattern);
  });
}
// (Rescue records need the rescue permission, which townships lack: the county reads its own.)
for (const route of PARAM_ROUTES.filter((r) => r.method === 'GET' && r.pattern.startsWith('/api/v1/rescue/'))) {
  test(`${route.method} ${route.pattern}: county_370704 gets 200 for a record in its own county`, async () => {
    const own = await makeHousehold('370704008231', `内${++serial}`);
    const values = Array.from({ length: paramCount(route.pattern) }, (_, i) => paramValue(route.pattern, i, own));
    assert.ok(!values.includes(undefined), `fixture for ${route.pattern}`);
    assertStatus(await clients.county_370704.get(fillPath(route.pattern, values)), 200, route.pattern);
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
    if (hotlineOnly(route, actor) || rescueOnly(route, actor) || pluginSkips(route, actor)) continue; // 403 for them, whatever the rows (hotline.test.mjs, rescue.test.mjs)
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
