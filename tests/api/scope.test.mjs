// scope.test.mjs — the scope-leak matrix: EVERY route that `minzheng routes --perm` prints, tried by
// one user of EACH of the 12 roles (src/accounts/roles.c), each bound to a region that has records
// inside and outside it. Per route × role:
//   - the role lacks the permission the router checks for the route (the third column of
//     `minzheng routes --perm`): the answer is 403 `forbidden`, even for a record in the role's
//     own scope, and the database is unchanged;
//   - the role has it: a record outside its scope answers 404 `not_found` (never 403, never the
//     data: the route hides that the record exists) and stays unchanged; a record inside its scope
//     reads 200; every list returns only rows inside its scope; a create whose body names a region
//     or record outside its scope is refused (4xx) and stores nothing.
// A route whose handler checks a finer permission than its table entry (`needs` below and in the
// plug-ins: e.g. charity appeals by id are `login` in the table, `charity` in the handler) answers
// 403 or 404 to a role without it, for every record, and changes nothing; and since a 403 or 404
// must not tell an out-of-scope record from one that does not exist, the same request naming
// nothing must get the same answer. Creates whose body names an in-scope record and an out-of-scope
// one (MIXED) are refused too, and every refused create body is sent again by the city's admin at
// the end, who must be able to use it (so the refusal was the scope's, not the body's).
// Writes are judged by the database: a dump before and after each module's refused writes must be
// equal (login records and throttles aside). Any 5xx is a leak. The file prints
//   scope matrix: N probes (routes R × roles 12), L leaks
// and fails when L > 0. The routes come from the binary, so a new route joins this matrix by
// itself — and fails here until this file or a plug-in knows what record its parameters name, or
// lists it below as public/unscoped with a reason.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { dump as dumpDb } from '../lib/dbcopy.mjs';
import { assertError, assertStatus, makeId } from '../lib/http.mjs';
import { addUser, cliOk, startServer } from '../lib/server.mjs';

// A module's part of the matrix lives in tests/api/scope/<module>.mjs, exporting any of:
//   prefix                      the module's route prefix, e.g. '/api/v1/funeral/', or several
//                               (an array: its staff and its public routes); its other hooks
//                               answer only for routes under it
//   fixture(admin, village, tag, base) → {name: id, …}   its records in the village (base: the
//                               household fixture so far), merged into the fixture
//   param(prev, pattern, f)     the value of a path parameter that follows the segment prev
//   level(route)                the region level its record lies at: 'village' (default),
//                               'township', 'county', or 'owner' (the admin's own record: out of
//                               every other user's scope)
//   needs(route, actor, f, can, own) → bool   whether the actor passes the permission checks
//                               the handler makes beyond the route table's (can(actor, perm…))
//   sees(route, actor, f, can)  whether the actor may read the record of fixture f (default: it
//                               lies in the actor's scope)
//   publicRoutes: {ROUTE: reason}  routes open without a login (no scope by design)
//   unscoped: [ROUTE…], mayBeEmpty: [ROUTE…]   ('GET /api/v1/…') lists that are not region rows,
//                               lists that a fresh fixture may leave empty
//   body(method, pattern, own, n)  a valid body for a write (so that only the scope can refuse it)
//   create(route, foreign, n)   a body for a create route (no path parameter) that names a record
//                               or region of the foreign fixture (else CREATES below)
const PLUGINS = [];
{
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scope');
  let files = [];
  try { files = readdirSync(dir).filter((f) => f.endsWith('.mjs')).sort(); } catch { /* none */ }
  for (const f of files) PLUGINS.push(await import(path.join(dir, f)));
}
const pluginOf = (pattern) => PLUGINS.find((p) => [].concat(p.prefix || []).some((x) => pattern.startsWith(x)));

/** `minzheng routes --perm` as [{method, pattern, perm: [names] ([] for login), pub}]. */
function routesWithPerm() {
  return cliOk(['routes', '--perm']).split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
    const [method, pattern, perm, ...rest] = l.split(/\s+/);
    assert.equal(rest.length, 0, `routes --perm line "${l}"`);
    assert.ok(perm, `routes --perm line "${l}" has a permission column`);
    return { method, pattern, pub: perm === 'public', perm: perm === 'public' || perm === 'login' ? [] : perm.split('+'), key: `${method} ${pattern}` };
  });
}
const ALL_ROUTES = routesWithPerm();
{
  // the plain listing is the same routes, in the same order (its consumers stay unchanged)
  const plain = cliOk(['routes']).split('\n').filter(Boolean);
  assert.deepEqual(plain, ALL_ROUTES.map((r) => r.key), '`routes` and `routes --perm` list the same routes');
}

// ---- the actors: one per role, each bound to a region with records inside and outside it -----
// The demo logins cover three roles at the levels below the city; the others are made here with
// `minzheng user add`. A city_admin is bound to a county: at the city level nothing would be out of
// its scope, and the role's every permission together with a county's scope is the widest test.
// The institution reporter is attached to the in-scope fixture's institution.
const OWN_VILLAGE = '370704008231';
const ACTORS = [
  { role: 'city_admin', username: 'scope_city_admin', scope: '370704' },
  { role: 'county_staff', username: 'county_370704', scope: '370704', demo: true },
  { role: 'township_assistant', username: 'township_370704008', scope: '370704008', demo: true },
  { role: 'village_worker', username: 'village_370704008231', scope: OWN_VILLAGE, demo: true },
  { role: 'institution_reporter', username: 'scope_reporter', scope: '370704008' },
  { role: 'inspector', username: 'scope_inspector', scope: '370704' },
  { role: 'rescue_worker', username: 'scope_rescue', scope: '370704008' },
  { role: 'hotline_operator', username: 'scope_hotline', scope: '370704008' },
  { role: 'funeral_worker', username: 'scope_funeral', scope: '370704' },
  { role: 'registrar', username: 'scope_registrar', scope: '370704008' },
  { role: 'charity_officer', username: 'scope_charity', scope: '370704' },
  { role: 'leader', username: 'scope_leader', scope: '370704' },
];
// The out-of-scope fixtures: another village of the same township, a village of another township
// of the same county, a village of another county. Each actor tries every one outside its scope.
const FOREIGN_AREAS = ['370704008201', '370704009', '370705'];

// ---- routes that are no part of the matrix, each with its reason -------------------------------
const PUBLIC = {
  'GET /healthz': 'the load balancer\'s probe: no data',
  'GET /metrics': 'request counters by route, no records (the proxy keeps it to the monitoring network)',
  'POST /api/v1/session': 'the login itself (tests/api/auth.test.mjs)',
};
for (const p of PLUGINS) Object.assign(PUBLIC, p.publicRoutes || {});

// Lists that are not rows of a region: reference data every role may read, or figures per
// management unit (their scope is checked by the module's own test file).
const UNSCOPED_LISTS = new Set(['GET /api/v1/units', 'GET /api/v1/session']);
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
// Institutions: the dashboard, the period report and a reporter's own page are not lists: the
// rows that come back are still checked here, and tests/api/institutions.test.mjs checks township
// and county lists.
for (const r of ['', '/calls', '/alerts', '/dashboard', '/mine']) MAY_BE_EMPTY.add(`GET /api/v1/institutions${r}`);
MAY_BE_EMPTY.add('GET /api/v1/reports/institutions');
// Price subsidies: the indices are the city's months (their figures count the caller's scope);
// the subsidies are rows with a village code, none in a fresh fixture (tests/api/price.test.mjs
// fills them and checks a county's and a township's lists).
UNSCOPED_LISTS.add('GET /api/v1/price/indices');
MAY_BE_EMPTY.add('GET /api/v1/price/subsidies');
// Inspections and duty rosters: the teams are the city's (seen where their area overlaps the
// caller's scope; their rows carry the city's code) and the checklist is reference data; the
// other lists are filled by the fixture; tests/api/inspections.test.mjs and duty.test.mjs check
// them per county.
for (const r of ['/api/v1/inspection-teams', '/api/v1/inspection-checklist']) UNSCOPED_LISTS.add(`GET ${r}`);
for (const r of ['/api/v1/inspections', '/api/v1/rectifications', '/api/v1/rectifications/overdue', '/api/v1/rectifications/summary',
  '/api/v1/duty/rosters', '/api/v1/duty/now', '/api/v1/duty/handovers']) MAY_BE_EMPTY.add(`GET ${r}`);
UNSCOPED_LISTS.add('GET /api/v1/hotline/lines'); // the lines are the city's, the same for everyone
UNSCOPED_LISTS.add('GET /api/v1/imports/template'); // a blank workbook: no rows of anyone's
MAY_BE_EMPTY.add('GET /api/v1/rescue/dashboard'); // not a list
// The statistics report and the dashboard are per management unit, not rows with a region code
// (their figures count the caller's scope): tests/api/stats.test.mjs and dashboard.test.mjs
// check that a county outside the scope is 404 and a county user sees only their own units.
for (const r of ['/api/v1/reports/stats', '/api/v1/dashboard']) UNSCOPED_LISTS.add(`GET ${r}`);
// The query a list of reference data or figures needs (it answers 400 `required` without).
let policyKey;
const LIST_QUERY = {
  'GET /api/v1/policy': () => `unit=${OWN.unit_code}&residence=rural&month=2020-02`,
  'GET /api/v1/policy/history': () => `unit=${OWN.unit_code}&key=${policyKey}`,
  'GET /api/v1/reports/assistance': () => 'from=2020-01&to=2020-02',
  'GET /api/v1/reports/stats': () => 'from=2020-01-24&to=2020-02-26',
  'GET /api/v1/calendar/working-days': () => 'from=2020-02-01&n=5',
  'GET /api/v1/crosscheck/report': () => 'month=2020-02',
  'GET /api/v1/imports/template': () => 'kind=households',
};
// Lists of figures grouped by an enclosing region (a row per county of the caller's records): a
// row's region may contain the caller's scope, never lie beside it.
const AGGREGATE_LISTS = new Set([
  'GET /api/v1/hotline/overview', // a row per county, counting the calls and cases in scope (hotline_views.c)
]);
for (const p of PLUGINS) {
  for (const r of p.unscoped || []) UNSCOPED_LISTS.add(r);
  for (const r of p.mayBeEmpty || []) MAY_BE_EMPTY.add(r);
}

// Permissions a handler checks beyond its route table's entry: such a route answers 403 or 404 to
// a role without them, whatever the record (404 where the handler looks the record up first: it
// hides that the record exists). [RegExp over 'METHOD PATTERN', (actor, fixture) → may]; the
// plug-ins add theirs (needs). Found from the handlers (src/<module>/*_api.c, *_store.c).
const can = (actor, ...names) => names.every((n) => perms[actor.username].has(n));
const NEEDS = [
  // one institution's page and its chases: institution.read; its reports also to its own reporter
  [/^GET \/api\/v1\/institutions\/\{id\}(\/chases)?$/, (a) => can(a, 'institution.read')],
  [/^GET \/api\/v1\/institutions\/\{id\}\/reports$/, (a, f) => can(a, 'institution.read') || (a.role === 'institution_reporter' && f === OWN)],
  // inspection teams, visits and rectification items: institution.read or inspection; the lists
  // of visits and items also to an institution's reporters (their own institution's, inspections_store.c)
  [/^GET \/api\/v1\/(inspection-teams|inspection-teams\/\{id\}|inspections\/\{id\}|rectifications\/\{id\})$/, (a) => can(a, 'institution.read') || can(a, 'inspection')],
  [/^GET \/api\/v1\/(inspections|rectifications)$/, (a) => can(a, 'institution.read') || can(a, 'inspection') || can(a, 'institution.report')],
  // the checklist: also the institutions' own reporters (they rectify their own items)
  [/^GET \/api\/v1\/inspection-checklist$/, (a) => can(a, 'institution.read') || can(a, 'inspection') || can(a, 'institution.report')],
  // duty rosters: read with duty or institution.read, written with duty (duty_store.c)
  [/^GET \/api\/v1\/duty\//, (a) => can(a, 'duty') || can(a, 'institution.read')],
  [/^(POST|PATCH|PUT|DELETE) \/api\/v1\/duty\//, (a) => can(a, 'duty')],
  [/^\w+ \/api\/v1\/rescue\//, (a) => can(a, 'rescue')],
];
function mayUse(route, actor, f) {
  if (!can(actor, ...route.perm)) return false;
  const p = pluginOf(route.pattern);
  if (p && p.needs && !p.needs(route, actor, f, can, OWN)) return false;
  for (const [re, ok] of NEEDS) if (re.test(route.key) && !ok(actor, f)) return false;
  return true;
}

// Writes without a path parameter whose scope is not a region or record the body names: the
// city's reference data or an account's own things. Each with its reason.
const CREATE_UNSCOPED = {
  'DELETE /api/v1/session': 'logging out: it ends the caller\'s own login, nothing else',
  'POST /api/v1/jobs': 'a job is its submitter\'s own (tests/api/jobs.test.mjs)',
  'POST /api/v1/policy': 'per management unit: tests/api/policy.test.mjs checks another unit is refused',
  'POST /api/v1/assistance/epidemic-periods': 'the city\'s declarations, the same for everyone',
  'POST /api/v1/calendar': 'the country\'s holidays, the same for everyone',
  'POST /api/v1/price/indices': 'the city\'s monthly price index',
  'POST /api/v1/price/generate': 'computed over the caller\'s own scope (tests/api/price.test.mjs)',
  'POST /api/v1/price/accounts': 'bank accounts by ID number of the caller\'s scope (tests/api/price.test.mjs)',
  'POST /api/v1/payroll/returns': 'a bank\'s return file, matched within the caller\'s units (tests/api/payroll.test.mjs)',
  'POST /api/v1/inspection-checklist': 'the city\'s checklist, reference data',
  'POST /api/v1/hotline/lines': 'the city\'s lines, reference data',
  'POST /api/v1/imports': 'a file whose rows name villages: each row out of scope is a reject (tests/api/import.test.mjs)',
  'POST /api/v1/imports/rejects': 'turns a posted file into its rejects, stores nothing',
  'POST /api/v1/imports/uploads': 'an upload is its uploader\'s own; running it checks each row (tests/api/import.test.mjs)',
  'POST /api/v1/funeral/suspensions': 'the city\'s dated rule, the same for everyone',
  'POST /api/v1/crosscheck/scan': 'scans the caller\'s own scope (tests/api/crosscheck.test.mjs)',
  'POST /api/v1/goods/items': 'the city\'s item list, reference data',
  'POST /api/v1/hotline/cases': 'opened from a call of the caller\'s scope (tests/api/hotline.test.mjs)',
};

// ---- the fixtures (made by the admin through the API) ------------------------------------------
const runOfUnit = {}; // unit code → a payroll run of that unit (made once, by the admin)

/** A payroll run of the unit that manages `village` (computed through the API once per unit). */
async function runOf(village) {
  const region = assertStatus(await admin.get(`/api/v1/regions/${village}`), 200, `region ${village}`);
  return runOfUnitCode(region.unit_code);
}
async function runOfUnitCode(unit) {
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


// ---- bodies of the create routes, naming a record or region of the foreign fixture ------------
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
let checklistCodes = [];
let masksItem;
const CREATES = {
  'POST /api/v1/households': (f, n) => ({ region_code: f.village, address: `越权户${n}`, residence_type: 'rural', members: [{ id_number: makeId(), name: `越权户主${n}`, relation: 'head' }] }),
  'POST /api/v1/assistance/cases': (f) => ({ program: 'tekun', household_id: f.household_id, person_id: f.head_id, support_form: 'scattered', adl_mask: 0, bank_account: '6228480000000000017' }),
  'POST /api/v1/relief/grants': (f) => ({ person_id: f.person_id, kind: 'expense', cause: 'medical', amount_fen: 30000, applied_by: 'self' }),
  'POST /api/v1/ledger/entries': (f) => ({ person_id: f.person_id, categories: ['left_behind_child'], note: '越权测试', joined_on: '2020-02-01' }),
  'POST /api/v1/payroll/runs': (f) => ({ month: '2020-01', unit_code: f.unit_code }),
  'POST /api/v1/institutions': (f, n) => ({ name: `越权敬老院${n}`, type: 'elderly_home', region_code: f.village, opened_on: '2020-01-01', residents: 1, staff: 1 }),
  'POST /api/v1/inspection-teams': (f, n) => ({ name: `越权督导组${n}`, region_code: f.village.slice(0, 6), areas: [f.village] }),
  'POST /api/v1/inspections': (f) => ({ team_id: f.inspection_team_id, region_code: f.village, results: checklistCodes.map((code) => ({ code, result: 'pass', note: '越权测试' })) }),
  'POST /api/v1/duty/rosters': (f, n) => ({ unit_kind: 'institution', region_code: f.village, name: `越权机构${n}` }),
  'POST /api/v1/hotline/calls': (f, n) => ({ line_code: 'assist', region_code: f.village, category: 'living', description: `越权测试${n}`, urgency: 'normal', outcome: 'case_opened', case: { subject_person_id: f.person_id } }),
  'POST /api/v1/rescue/stations': (f, n) => ({ name: `越权救助站${n}`, region_code: f.village.slice(0, 9) }),
  'POST /api/v1/rescue/intakes': (f, n) => ({ station_id: f.rescue_station_id, name: `越权受助${n}`, temperature_tenths: 365, risk: 'low', decision: 'admit', room_id: f.rescue_room_id }),
  'POST /api/v1/rescue/patrols': (f) => ({ station_id: f.rescue_station_id, date: today(), area: '越权测试', staff: '越权' }),
  'POST /api/v1/funeral/bodies': (f, n) => ({ institution_id: f.funeral_home_id, unidentified: true, description: `越权测试${n}`, died_on: '2020-02-01', source: 'home', cause: 'other' }),
  'POST /api/v1/goods/warehouses': (f, n) => ({ name: `越权物资库${n}`, region_code: f.village.slice(0, 9), low_stock: 5 }),
  'POST /api/v1/goods/movements': (f) => ({ kind: 'receive', warehouse_id: f.goods_warehouse_id, item_id: masksItem, quantity: 1, date: '2020-02-01', source: 'allocation', party: '越权测试' }),
  'POST /api/v1/charity/appeals': (f, n) => ({ name: `越权募捐${n}`, organisation: `越权慈善会${n}`, region_code: f.village.slice(0, 6), kind: 'public', started_on: '2020-01-26', purpose: '越权测试' }),
  'POST /api/v1/orgs': (f, n) => ({ name: `越权志愿队${n}`, type: 'volunteer_team', reg_no: `YQ-${n}-${Date.now().toString(36)}`, region_code: f.village, contact_name: '越权', contact_phone: '13800001111' }),
  'POST /api/v1/orgs/engagements': (f) => ({ org_id: f.org_id, date: '2020-02-03', region_code: f.village, activity: 'disinfection', area_m2: 10, households: 0, volunteers: 0, note: '越权测试' }),
  'POST /api/v1/orgs/volunteers': (f, n) => ({ org_id: f.org_id, name: `越权志愿者${n}`, phone: '13900002222', skills: '消杀' }),
  'POST /api/v1/staff/deployments': (f, n) => ({ staff_no: `YQ${n}${Date.now().toString(36)}`, name: `越权干部${n}`, phone: '13800003333', from_unit: '市民政局', post: `越权卡口${n}`, region_code: f.village, type: 'front_line', start_date: '2020-02-01', note: '越权测试' }),
  'POST /api/v1/documents': (f, n) => ({ number: `越权发〔2020〕${Date.now().toString(36)}${n}号`, title: `越权通知${n}`, issuing_body: '县区民政局', issuer_code: f.village.slice(0, 6), issued_on: '2020-02-01', scope_text: '各镇街', recipients: [f.village.slice(0, 9)], file: { name: 'a.txt', type: 'text/plain', content_base64: Buffer.from('越权').toString('base64') } }),
};
// Creates whose body names two records or regions, one in the caller's scope and one outside it:
// the one outside must refuse the whole request ([route, level of the in-scope record, body]).
const MIXED = [
  // masks from an own warehouse to a household or person of another scope
  ['POST /api/v1/goods/movements', 'township', (o, f) => ({ kind: 'distribute', warehouse_id: o.goods_warehouse_id, item_id: masksItem, quantity: 1, date: '2020-02-05', recipient_kind: 'household', recipient_id: f.household_id })],
  ['POST /api/v1/goods/movements', 'township', (o, f) => ({ kind: 'distribute', warehouse_id: o.goods_warehouse_id, item_id: masksItem, quantity: 1, date: '2020-02-05', recipient_kind: 'person', recipient_id: f.person_id })],
  // a call in an own village that opens a case for a person of another scope
  ['POST /api/v1/hotline/calls', 'village', (o, f, n) => ({ line_code: 'assist', region_code: o.village, category: 'living', description: `越权测试${n}`, urgency: 'normal', outcome: 'case_opened', case: { subject_person_id: f.person_id } })],
  // an own organisation's engagement in another scope's village, and another scope's organisation in an own village
  ['POST /api/v1/orgs/engagements', 'village', (o, f) => ({ org_id: o.org_id, date: '2020-02-03', region_code: f.village, activity: 'disinfection', area_m2: 10, households: 0, volunteers: 0, note: '越权测试' })],
  ['POST /api/v1/orgs/engagements', 'village', (o, f) => ({ org_id: f.org_id, date: '2020-02-03', region_code: o.village, activity: 'disinfection', area_m2: 10, households: 0, volunteers: 0, note: '越权测试' })],
  // another scope's team visiting an own village
  ['POST /api/v1/inspections', 'village', (o, f) => ({ team_id: f.inspection_team_id, region_code: o.village, results: checklistCodes.map((code) => ({ code, result: 'pass', note: '越权测试' })) })],
  // an own household's 特困 application for a person of another scope
  ['POST /api/v1/assistance/cases', 'village', (o, f) => ({ program: 'tekun', household_id: o.household_id, person_id: f.head_id, support_form: 'scattered', adl_mask: 0, bank_account: '6228480000000000017' })],
  // a county's document sent to a township of another scope
  ['POST /api/v1/documents', 'county', (o, f, n) => ({ number: `越权发〔2020〕${Date.now().toString(36)}${n}号`, title: `越权通知${n}`, issuing_body: '县区民政局', issuer_code: o.village.slice(0, 6), issued_on: '2020-02-01', scope_text: '各镇街', recipients: [f.village.slice(0, 9)], file: { name: 'a.txt', type: 'text/plain', content_base64: Buffer.from('越权').toString('base64') } })],
];

function createBody(route, f) {
  serial++;
  const p = pluginOf(route.pattern);
  const b = p && p.create ? p.create(route, f, serial) : undefined;
  if (b !== undefined) return b;
  return CREATES[route.key] ? CREATES[route.key](f, serial) : undefined;
}

// ---- the record a route names, and where it lies --------------------------------------------
const LEN = { village: 12, township: 9, county: 6 };
function levelOf(route) {
  const p = pluginOf(route.pattern);
  const l = p && p.level ? p.level(route) : undefined;
  if (l) return l;
  if (route.pattern.startsWith('/api/v1/jobs/')) return 'owner'; // the submitter's own
  if (route.pattern.startsWith('/api/v1/rescue/')) return 'township'; // a station of the township
  if (/^\/api\/v1\/(relief\/reserves|ledger\/contacts)\//.test(route.pattern)) return 'township';
  if (route.pattern.startsWith('/api/v1/payroll/')) return 'county'; // a run of the county's unit
  return 'village';
}
/** The region code of the record the route names in fixture f (null: the admin's own record). */
function areaOf(route, f) {
  const l = levelOf(route);
  return l === 'owner' ? null : f.village.slice(0, LEN[l]);
}
const within = (actor, area) => area !== null && area.startsWith(actor.scope);

// ---- the run ----------------------------------------------------------------------------------
let srv, admin;
const clients = {};
const perms = {}; // username → Set of permission names
let OWN;
const FOREIGN = {}; // area → fixture
const foreignOf = (actor) => FOREIGN_AREAS.filter((a) => !a.startsWith(actor.scope) && !actor.scope.startsWith(a)).map((a) => FOREIGN[a]);

const stats = { probes: 0, leaks: [], problems: [], routes: new Set(), by: {} };
const tally = (what) => { stats.by[what] = (stats.by[what] || 0) + 1; };

async function send(actor, method, p, body) {
  stats.probes++;
  return clients[actor.username].raw(method, p, { body });
}
const show = (r) => `${r.status} ${(r.text || '').slice(0, 160)}`;

// ---- the database dump (writes must change nothing) --------------------------------------------
// A login writes a row of its own whose last_seen moves as it is used; the login throttle and the
// public booking throttle count requests (rate limits, not data). Refused requests are not audited,
// so audit_log is compared. The dump (tests/lib/dbcopy.mjs) is sqlite3 .dump or pg_dump --inserts:
// one INSERT line per row on either engine, PostgreSQL's prefixed with the schema, public.
const VOLATILE = /^INSERT INTO (public\.)?"?(sessions|login_attempts|marriage_throttle)"? /;
async function dump() {
  return (await dumpDb(srv.dbPath)).split('\n').filter((l) => !VOLATILE.test(l));
}
function dumpDiff(a, b) {
  const sa = new Set(a), sb = new Set(b);
  return { gone: a.filter((l) => !sb.has(l)).slice(0, 5), added: b.filter((l) => !sa.has(l)).slice(0, 5) };
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  for (const a of ACTORS) if (!a.demo) addUser(srv.dbPath, a.username, a.role, a.scope);
  for (const a of ACTORS) {
    clients[a.username] = await srv.login(a.username);
    const u = clients[a.username].user;
    assert.equal(u.role, a.role, `${a.username} is a ${a.role}`);
    assert.equal(u.region_code, a.scope, `${a.username} is bound to ${a.scope}`);
    perms[a.username] = new Set(u.permissions);
  }
  checklistCodes = assertStatus(await admin.get('/api/v1/inspection-checklist'), 200).items.filter((x) => x.applies_to !== 'institution').map((x) => x.code);
  masksItem = assertStatus(await admin.get('/api/v1/goods/items'), 200).items.find((i) => i.code === 'masks').id;
  OWN = await makeHousehold(OWN_VILLAGE, `己${++serial}`);
  for (const area of FOREIGN_AREAS) FOREIGN[area] = await makeHousehold(await firstVillage(area), `外${++serial}`);
  for (const f of [OWN, ...Object.values(FOREIGN)]) {
    f.unit_code = assertStatus(await admin.get(`/api/v1/regions/${f.village}`), 200).unit_code;
    f.id_number = assertStatus(await admin.get(`/api/v1/persons/${f.person_id}?unmask=1`), 200).id_number;
  }
  // the fixture village's township is managed by a functional zone (370791), outside every actor's
  // scope: the in-scope payroll run is one of the county's own unit
  OWN.run_id = await runOfUnitCode(OWN_VILLAGE.slice(0, 6));
  assertStatus(await admin.post(`/api/v1/payroll/runs/${OWN.run_id}/confirm`, {}), 200, 'confirm the county\'s run (its bank file)');
  policyKey = assertStatus(await admin.get('/api/v1/policy/keys'), 200).items[0].key;
  // the ledger notes registry changes and applies them at its next read or write: apply the
  // fixtures' now, so that no refused ledger write below is the first to do it
  assertStatus(await admin.get('/api/v1/ledger/entries?limit=1'), 200);
  // the institution reporter files for the in-scope fixture's institution
  const att = await admin.post(`/api/v1/institutions/${OWN.institution_id}/reporters`, { username: 'scope_reporter' });
  assert.ok(att.status === 200 || att.status === 201, `attach the reporter: ${show(att)}`);
  // no job may still be running when the dumps are compared
  for (const f of [OWN, ...Object.values(FOREIGN)]) {
    for (let i = 0; i < 400; i++) {
      const job = assertStatus(await admin.get(`/api/v1/jobs/${f.job_id}`), 200);
      if (job.status === 'done' || job.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
});

after(async () => {
  await srv?.stop();
});

// ---- coverage: every route is in the matrix or listed with a reason -------------------------
const MODULES = [...new Set(ALL_ROUTES.filter((r) => !PUBLIC[r.key]).map((r) => r.pattern.split('/')[3] || r.pattern))];
const moduleOf = (r) => r.pattern.split('/')[3] || r.pattern;

test('every route that `minzheng routes --perm` prints is in the matrix or listed as public with a reason', () => {
  const missing = [];
  for (const r of ALL_ROUTES) {
    if (r.pub) {
      if (!PUBLIC[r.key]) missing.push(`${r.key}: a public route (no login) that no plug-in lists as public with a reason`);
      continue;
    }
    if (PUBLIC[r.key]) missing.push(`${r.key}: listed as public, but the router asks for a login`);
    if (r.pattern.includes('{')) {
      for (let i = 0; i < paramCount(r.pattern); i++) {
        if (paramValue(r.pattern, i, OWN) === undefined) {
          missing.push(`${r.key}: no fixture for parameter ${i + 1}: teach tests/api/scope.test.mjs (or a plug-in) what record it names`);
        }
      }
    } else if (r.method !== 'GET' && !CREATES[r.key] && !CREATE_UNSCOPED[r.key] && !(pluginOf(r.pattern)?.create)) {
      missing.push(`${r.key}: a create route with no out-of-scope body (CREATES) and no reason (CREATE_UNSCOPED)`);
    }
  }
  assert.deepEqual(missing, [], 'routes without coverage');
  assert.ok(ALL_ROUTES.length >= 200, `the route table (${ALL_ROUTES.length})`);
  assert.equal(ACTORS.length, 12);
});

/** What the probes of one route × actor expect, and their judgement. */
function judge(kind, actor, route, r, expect) {
  const where = `${route.key} [${actor.role} ${actor.scope}, ${kind}] → ${show(r)}`;
  tally(expect);
  if (r.status >= 500) return stats.leaks.push(`5xx: ${where}`);
  if (expect === 'forbidden') {
    if (r.status < 400) return stats.leaks.push(`acts beyond its permission: ${where}`);
    if (r.status !== 403 || r.json?.error?.code !== 'forbidden') stats.problems.push(`want 403 forbidden: ${where}`);
  } else if (expect === 'hidden') {
    if (r.status < 400) return stats.leaks.push(`reaches an out-of-scope record: ${where}`);
    if (r.status === 403) return stats.leaks.push(`403 reveals that an out-of-scope record exists (want 404): ${where}`);
    if (r.status !== 404 || r.json?.error?.code !== 'not_found') stats.problems.push(`want 404 not_found: ${where}`);
  } else if (expect === 'refused') {
    // without a permission the handler checks: 403 or 404, whatever the record
    if (r.status < 400) return stats.leaks.push(`acts beyond its permission (the handler's check): ${where}`);
    if (r.status !== 403 && r.status !== 404) stats.problems.push(`want 403 or 404: ${where}`);
  } else if (expect === 'ok') {
    if (r.status !== 200) stats.problems.push(`an in-scope read must succeed: ${where}`);
  } else if (expect === 'create-refused') {
    if (r.status < 400) return stats.leaks.push(`creates in or under an out-of-scope record or region: ${where}`);
  }
}

/** The path-parameter variants of a route: all from f, and (several parameters) each one from f with the others own. */
function variants(route, f) {
  const n = paramCount(route.pattern);
  const out = [Array.from({ length: n }, (_, i) => paramValue(route.pattern, i, f))];
  if (n > 1) for (let k = 0; k < n; k++) out.push(Array.from({ length: n }, (_, i) => paramValue(route.pattern, i, i === k ? f : OWN)));
  return out;
}

/** The same values with the foreign ones replaced by ones that name nothing (a region code of the
 * same length under no county, or an id no table reaches). */
function missingLike(route, values, f) {
  return values.map((v, i) => {
    if (v === paramValue(route.pattern, i, OWN) && v !== paramValue(route.pattern, i, f)) return v;
    const t = String(v);
    return /^37\d{7,10}$/.test(t) ? `3707${'9'.repeat(t.length - 4)}` : '987654321';
  });
}

/** Every probe of one route for one actor. */
async function probeRoute(route, actor) {
  const isGet = route.method === 'GET';
  const hasParams = route.pattern.includes('{');
  if (!can(actor, ...route.perm)) {
    // the router refuses before the handler: even the in-scope record is 403
    const values = hasParams ? variants(route, OWN)[0] : [];
    const r = await send(actor, route.method, fillPath(route.pattern, values), isGet ? undefined : bodyFor(route.method, route.pattern, OWN));
    return judge('no permission', actor, route, r, 'forbidden');
  }
  if (hasParams) {
    for (const f of foreignOf(actor)) {
      const finer = mayUse(route, actor, f);
      for (const values of variants(route, f)) {
        const paths = [fillPath(route.pattern, values)];
        if (isGet) paths.push(`${paths[0]}?unmask=1`);
        for (const p of paths) {
          const r = await send(actor, route.method, p, isGet ? undefined : bodyFor(route.method, route.pattern, OWN));
          // asking to unmask without registry.unmask is refused before the record is looked up
          const unmaskRefused = p.endsWith('?unmask=1') && !can(actor, 'registry.unmask');
          const expect = finer && !unmaskRefused ? 'hidden' : 'refused';
          judge(`out of scope: ${f.village}${p.endsWith('?unmask=1') ? ' unmask' : ''}`, actor, route, r, expect);
          if (expect === 'refused' && r.status >= 400 && r.status < 500) {
            // a refusal may be 403 or 404, but never tell an out-of-scope record from one that
            // does not exist: the same request naming nothing must get the same answer
            const q = fillPath(route.pattern, missingLike(route, values, f)) + (p.endsWith('?unmask=1') ? '?unmask=1' : '');
            const m = await send(actor, route.method, q, isGet ? undefined : bodyFor(route.method, route.pattern, OWN));
            tally('existence');
            if (m.status !== r.status || m.json?.error?.code !== r.json?.error?.code) {
              stats.leaks.push(`tells an out-of-scope record from a missing one: ${route.key} [${actor.role} ${actor.scope}] ${p} → ${show(r)}; ${q} → ${show(m)}`);
            }
          }
        }
      }
    }
    const finer = mayUse(route, actor, OWN);
    if (isGet) {
      const area = areaOf(route, OWN);
      const pl = pluginOf(route.pattern);
      const sees = pl && pl.sees ? pl.sees(route, actor, OWN, can) : within(actor, area);
      const r = await send(actor, 'GET', fillPath(route.pattern, variants(route, OWN)[0]));
      judge(`own record ${area ?? '(the admin\'s)'}`, actor, route, r, !finer ? 'refused' : sees ? 'ok' : 'hidden');
    } else if (!finer) {
      const r = await send(actor, route.method, fillPath(route.pattern, variants(route, OWN)[0]), bodyFor(route.method, route.pattern, OWN));
      judge('own record, no permission', actor, route, r, 'refused');
    }
  } else if (!isGet) {
    for (const f of foreignOf(actor)) {
      const finer = mayUse(route, actor, f);
      const body = createBody(route, f);
      if (body === undefined) break; // CREATE_UNSCOPED (checked by the coverage test)
      const r = await send(actor, route.method, route.pattern, body);
      judge(`create under ${f.village}`, actor, route, r, finer ? 'create-refused' : 'refused');
      if (finer && r.status >= 400 && r.status < 500) createChecks.push({ route, body, actor });
    }
    for (const [i, [key, level, make]] of MIXED.entries()) {
      if (key !== route.key) continue;
      if (!mayUse(route, actor, OWN) || !within(actor, OWN.village.slice(0, LEN[level]))) continue; // the own record must be the actor's
      for (const f of foreignOf(actor)) {
        const body = make(OWN, f, ++serial);
        const r = await send(actor, route.method, route.pattern, body);
        judge(`create naming an own record and one under ${f.village}`, actor, route, r, 'create-refused');
        if (r.status >= 400 && r.status < 500) createChecks.push({ route, body, actor, mixed: i });
      }
    }
  } else {
    await probeList(route, actor, mayUse(route, actor, OWN));
  }
}
const createChecks = []; // refused create bodies, sent again by the admin at the end (non-vacuous)

/** Every item of a list answer lies in the scope (region_code under it; a region overlaps it). */
function outOfScope(items, scope, enclosing) {
  const bad = [];
  for (const it of items) {
    if (typeof it.region_code === 'string') {
      if (!it.region_code.startsWith(scope) && !(enclosing && scope.startsWith(it.region_code))) bad.push(`row ${it.id} region ${it.region_code}`);
    } else if (typeof it.code === 'string' && typeof it.level === 'string') {
      if (!(it.code.startsWith(scope) || scope.startsWith(it.code))) bad.push(`region ${it.code}`);
    } else {
      bad.push(`an item without region_code: teach tests/api/scope.test.mjs how it is scoped: ${JSON.stringify(it).slice(0, 160)}`);
    }
  }
  return bad;
}

async function probeList(route, actor, finer) {
  if (UNSCOPED_LISTS.has(route.key)) {
    // reference data or figures: it must still answer (or refuse) without a 5xx
    const q = LIST_QUERY[route.key];
    const r = await send(actor, 'GET', q ? `${route.pattern}?${q()}` : route.pattern);
    return judge('unscoped list', actor, route, r, finer ? 'ok' : 'refused');
  }
  const foreign = foreignOf(actor)[0];
  if (!finer) {
    const r = await send(actor, 'GET', route.pattern);
    return judge('list, no permission', actor, route, r, 'refused');
  }
  const queries = [{}, { q: foreign.name }, { q: foreign.id_number }, { q: '范围' }, { tag: 'elderly_alone' }, { region: foreign.village }, { parent: '3707' }];
  let seen = 0;
  for (const q of queries) {
    for (let offset = 0; ;) {
      const qs = new URLSearchParams({ ...q, limit: '200', offset: String(offset) }).toString();
      const r = await send(actor, 'GET', `${route.pattern}?${qs}`);
      tally('list');
      const where = `${route.key}?${qs} [${actor.role} ${actor.scope}]`;
      if (r.status >= 500) { stats.leaks.push(`5xx: ${where} → ${show(r)}`); break; }
      if (r.status !== 200) {
        // refusing an out-of-scope filter is fine, as long as it is a 4xx with a JSON error
        if (!(r.status >= 400 && r.json?.error)) stats.problems.push(`${where} → ${show(r)}`);
        break;
      }
      if (!Array.isArray(r.json?.items)) break; // not a list
      for (const b of outOfScope(r.json.items, actor.scope, AGGREGATE_LISTS.has(route.key))) stats.leaks.push(`lists outside ${actor.scope}: ${where}: ${b}`);
      if (r.json.items.some((it) => it.id === foreign.person_id || it.household_id === foreign.household_id)) stats.leaks.push(`lists the foreign fixture: ${where}`);
      seen += r.json.items.length;
      offset += r.json.items.length;
      if (r.json.items.length === 0 || typeof r.json.total !== 'number' || offset >= r.json.total) break;
    }
  }
  if (!MAY_BE_EMPTY.has(route.key) && ['county_staff', 'township_assistant', 'village_worker', 'city_admin'].includes(actor.role) && seen === 0) {
    stats.problems.push(`${route.key}: lists nothing in scope for ${actor.username} (the fixture has rows there)`);
  }
}

// Phase 1: the writes, module by module, each batch between two dumps of the database.
let lastDump;
for (const mod of MODULES) {
  const writes = ALL_ROUTES.filter((r) => moduleOf(r) === mod && r.method !== 'GET' && !PUBLIC[r.key]);
  if (!writes.length) continue;
  test(`writes of /api/v1/${mod}: × ${ACTORS.length} roles — refused, and the database unchanged`, async () => {
    const l0 = stats.leaks.length, p0 = stats.problems.length;
    lastDump ??= await dump();
    for (const route of writes) {
      stats.routes.add(route.key);
      for (const actor of ACTORS) await probeRoute(route, actor);
    }
    const now = await dump();
    const d = dumpDiff(lastDump, now);
    if (d.gone.length || d.added.length) stats.leaks.push(`/api/v1/${mod}: a refused write changed the database: ${JSON.stringify(d).slice(0, 1500)}`);
    lastDump = now;
    assert.deepEqual([...stats.leaks.slice(l0), ...stats.problems.slice(p0)], []);
  });
}

// Phase 2: the reads and lists (after every write: an audited unmask is a change of its own).
for (const mod of MODULES) {
  const reads = ALL_ROUTES.filter((r) => moduleOf(r) === mod && r.method === 'GET' && !PUBLIC[r.key]);
  if (!reads.length) continue;
  test(`reads of /api/v1/${mod}: × ${ACTORS.length} roles — own records, never another scope's`, async () => {
    const l0 = stats.leaks.length, p0 = stats.problems.length;
    for (const route of reads) {
      stats.routes.add(route.key);
      for (const actor of ACTORS) await probeRoute(route, actor);
    }
    assert.deepEqual([...stats.leaks.slice(l0), ...stats.problems.slice(p0)], []);
  });
}

// The institution reporter is bound to one institution, not to its region: another institution
// inside its own township is as closed to it as another county's (403 or 404 — it holds no
// institution.read — and nothing changes), and its own page names its own institution only.
test('institution_reporter: another institution inside its own region is refused, and nothing changes', async () => {
  const actor = ACTORS.find((a) => a.role === 'institution_reporter');
  const other = FOREIGN['370704008201']; // a village of the reporter's own township
  assert.ok(other.village.startsWith(actor.scope), 'the other institution lies inside the reporter\'s region');
  const l0 = stats.leaks.length, p0 = stats.problems.length;
  const before = await dump();
  const bound = ALL_ROUTES.filter((r) => /^\/api\/v1\/(institutions\/(\{id\}|alerts\/\{id\})|lottery\/outlets\/\{id\})/.test(r.pattern) && can(actor, ...r.perm));
  assert.ok(bound.length >= 5, `routes on one institution that the reporter may call (${bound.length})`);
  for (const route of bound) {
    const values = Array.from({ length: paramCount(route.pattern) }, (_, i) => paramValue(route.pattern, i, other));
    const r = await send(actor, route.method, fillPath(route.pattern, values), route.method === 'GET' ? undefined : bodyFor(route.method, route.pattern, OWN));
    judge(`another institution of ${actor.scope}`, actor, route, r, 'refused');
  }
  const d = dumpDiff(before, await dump());
  if (d.gone.length || d.added.length) stats.leaks.push(`institution_reporter: a refused request changed the database: ${JSON.stringify(d).slice(0, 1500)}`);
  const mine = await send(actor, 'GET', '/api/v1/institutions/mine');
  judge('its own institution', actor, { key: 'GET /api/v1/institutions/mine' }, mine, 'ok');
  if (mine.status === 200 && mine.json.institution?.id !== OWN.institution_id) stats.leaks.push(`institution_reporter: /institutions/mine names ${mine.json.institution?.id}, not its own ${OWN.institution_id}`);
  lastDump = await dump();
  assert.deepEqual([...stats.leaks.slice(l0), ...stats.problems.slice(p0)], []);
});

// A body that names a record is scoped too: moving an own person into a foreign household.
test('POST /api/v1/persons/{id}/move into a household of another township is 404 and changes nothing', async () => {
  const c = clients.township_370704008;
  const foreign = FOREIGN['370704009'];
  const b0 = await snapshot(foreign);
  const o0 = await snapshot(OWN);
  stats.probes++;
  const r = await c.post(`/api/v1/persons/${OWN.person_id}/move`, { household_id: foreign.household_id, relation: 'child', reason: '越权测试' });
  assertError(r, 404, 'not_found');
  assert.deepEqual(await snapshot(foreign), b0);
  assert.deepEqual(await snapshot(OWN), o0);
});

test('GET /api/v1/persons: a township user\'s total equals the admin\'s total for that township', async () => {
  const t = assertStatus(await clients.township_370704008.get('/api/v1/persons?limit=1'), 200);
  const a = assertStatus(await admin.get('/api/v1/persons?limit=1&region=370704008'), 200);
  assert.equal(t.total, a.total);
});

// The refused creates were refused for their scope, not their body: the admin, whose scope covers
// the foreign fixture, sends the same bodies and they are accepted (or conflict with a record that
// exists: a 409 also shows the body was understood and the record reached).
test('the refused create bodies are valid: the city admin\'s same request is accepted', async () => {
  const seen = new Set();
  const bad = [];
  for (const { route, body, mixed } of createChecks) {
    const id = `${route.key} ${mixed ?? 'foreign'}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const r = await admin.raw(route.method, route.pattern, { body });
    if (!(r.status >= 200 && r.status < 300) && r.status !== 409) bad.push(`${route.key} → ${show(r)}`);
  }
  console.log(`refused create bodies the admin's same request accepts: ${seen.size} (${[...seen].filter((x) => !x.endsWith(' foreign')).length} naming an in-scope and an out-of-scope record)`);
  assert.deepEqual(bad, [], 'create bodies that the admin could not use either (the probe was vacuous)');
  assert.ok(seen.size >= 15, `create routes probed with an out-of-scope body (${seen.size})`);
});

test('summary: the scope matrix found no leak', () => {
  const line = `scope matrix: ${stats.probes} probes (routes ${stats.routes.size} × roles ${ACTORS.length}), ${stats.leaks.length} leaks`;
  console.log(line);
  console.log(`  by expectation: ${Object.entries(stats.by).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const l of stats.leaks) console.log(`  leak: ${l}`);
  for (const p of stats.problems) console.log(`  problem: ${p}`);
  assert.equal(stats.routes.size, ALL_ROUTES.filter((r) => !PUBLIC[r.key]).length, 'every non-public route was probed');
  assert.equal(stats.leaks.length, 0, line);
  assert.equal(stats.problems.length, 0, `${stats.problems.length} probes did not answer as expected`);
});
