// price.test.mjs — 价格临时补贴 over HTTP (docs/price-subsidy.md, docs/api.md "Price subsidies"):
// the indices and who may enter them, the month's trigger and due date, generation as a job (one
// subsidy per person, idempotent), the late list, the payroll paying each subsidy exactly once
// (run totals, bank file), the report keys programs.price_subsidy.* and programs.temp_relief.*,
// accounts, scope and the CLI.
//
// The city is the small demo WITH its assistance scenario (scale 0.02): the parameters of 2020
// (mechanism and doubling from March), the indices of 2020-01..04, March's subsidies generated
// and paid by the April payroll; April's index is entered, its subsidies not generated.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { cli, cliOk, startServer, sqlite } from '../lib/server.mjs';

let srv, admin, county, county705, town, village, leader;

before(async () => {
  srv = await startServer({ assistance: true });
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  county705 = await srv.login('county_370705');
  town = await srv.login('township_370704008');
  village = await srv.login('village_370704008231');
  leader = await srv.login('leader');
});

after(async () => {
  await srv?.stop();
});

async function job(client, id) {
  for (let i = 0; i < 400; i++) {
    const j = assertStatus(await client.get(`/api/v1/jobs/${id}`), 200, 'job');
    if (j.status === 'done' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`job ${id} did not finish`);
}

async function generate(client, month) {
  const j = assertStatus(await client.post('/api/v1/price/generate', { month }), 202, `generate ${month}`);
  assert.equal(j.kind, 'price.generate');
  return job(client, j.id);
}

async function payroll(client, month, unit) {
  const body = unit ? { month, unit_code: unit } : { month };
  const j = assertStatus(await client.post('/api/v1/payroll/runs', body), 202, `payroll ${month}`);
  const done = await job(client, j.id);
  assert.equal(done.status, 'done', JSON.stringify(done.error));
  return done.result;
}

const month = (items, m) => items.find((x) => x.month === m);

test('GET /api/v1/price/indices: the demo months, the city\'s trigger, the due date and the figures', async () => {
  const r = assertStatus(await leader.get('/api/v1/price/indices'), 200);
  assert.deepEqual(r.items.map((x) => x.month), ['2020-04', '2020-03', '2020-02', '2020-01']);
  const mar = month(r.items, '2020-03');
  assert.deepEqual([mar.cpi_bp, mar.food_cpi_bp, mar.published_on], [430, 1830, '2020-04-10']);
  assert.deepEqual([mar.city.triggered, mar.city.basis, mar.city.rise_bp], [true, 'cpi', 430]);
  assert.equal(mar.due_on, '2020-05-11'); // 20 working days: 04-26 and 05-09 worked, 05-01..05 off
  assert.equal(mar.figures.generated, 2070); // 103,500 × 0.02
  assert.equal(mar.figures.generated_fen, 9728400); // 4,864,200 yuan × 0.02
  assert.equal(mar.figures.paid, 2070, 'all paid by the April payroll');
  assert.equal(mar.figures.late, 0);
  const jan = month(r.items, '2020-01');
  assert.deepEqual([jan.city.reached, jan.city.triggered], [true, false]);
  assert.match(jan.city.why, /未启用/);
  const apr = month(r.items, '2020-04');
  // CPI 3.3 % < 3.5 %, food 14.8 % ≥ 6 %: triggered, the amount on the CPI (the city's basis)
  assert.deepEqual([apr.city.reached_cpi, apr.city.reached_food, apr.city.triggered, apr.city.rise_bp], [false, true, true, 330]);
  assert.equal(apr.figures.generated, 0);
  assert.equal(apr.history.length, 1);
  // a county sees the same months with its own figures
  const c = assertStatus(await county.get('/api/v1/price/indices'), 200);
  const cm = month(c.items, '2020-03');
  assert.ok(cm.figures.generated > 0 && cm.figures.generated < mar.figures.generated, `${cm.figures.generated}`);
});

test('POST /api/v1/price/indices: the city only, checked, history kept, locked once generated', async () => {
  assertError(await county.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 240, food_cpi_bp: 1060, published_on: '2020-06-10' }), 403, 'forbidden');
  assertError(await leader.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 240, food_cpi_bp: 1060, published_on: '2020-06-10' }), 403, 'forbidden');
  assertError(await admin.post('/api/v1/price/indices', { month: '2020-5', cpi_bp: 240, food_cpi_bp: 1060, published_on: '2020-06-10' }), 400, 'invalid_value', 'month');
  assertError(await admin.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: '2.4', food_cpi_bp: 1060, published_on: '2020-06-10' }), 400, 'invalid_value', 'cpi_bp');
  assertError(await admin.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 240, published_on: '2020-06-10' }), 400, 'required', 'food_cpi_bp');
  assertError(await admin.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 240, food_cpi_bp: 1060, published_on: '2020-05-20' }), 400, 'invalid_value', 'published_on');
  assertError(await admin.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 240, food_cpi_bp: 1060, published_on: '2999-01-01' }), 400, 'invalid_value', 'published_on');
  assertError(await admin.post('/api/v1/price/indices', { month: '2020-03', cpi_bp: 440, food_cpi_bp: 1830, published_on: '2020-04-10' }), 409, 'month_generated', 'month');
  // a slip, then the correction: both kept, the latest in force
  assertStatus(await admin.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 420, food_cpi_bp: 1060, published_on: '2020-06-10' }), 201);
  const x = assertStatus(await admin.post('/api/v1/price/indices', { month: '2020-05', cpi_bp: 240, food_cpi_bp: 1060, published_on: '2020-06-10', note: '更正' }), 201);
  assert.deepEqual([x.month, x.cpi_bp, x.set_by, x.note], ['2020-05', 240, 'admin', '更正']);
  const may = month(assertStatus(await admin.get('/api/v1/price/indices'), 200).items, '2020-05');
  assert.equal(may.history.length, 2);
  assert.equal(may.history[1].cpi_bp, 420);
  assert.equal(may.city.triggered, true); // food 10.6 %
  assert.equal(may.due_on, '2020-07-09'); // the Dragon Boat holiday 06-25..27 does not count
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'price.index' AND object = 'price_index:2020-05';").trim(), '2');
});

test('generating April: a job, one subsidy per person, the doubled CPI amounts, idempotent, all late', async () => {
  assertError(await town.post('/api/v1/price/generate', { month: '2020-04' }), 403, 'forbidden');
  assertError(await admin.post('/api/v1/price/generate', { month: '2019-11' }), 404, 'index_missing', 'month');
  const done = await generate(admin, '2020-04');
  assert.equal(done.status, 'done', JSON.stringify(done.error));
  const r = done.result;
  assert.ok(r.added > 2000, `added ${r.added}`);
  assert.equal(r.existing, 0);
  assert.equal(r.units.length, 16);
  for (const u of r.units) assert.deepEqual([u.triggered, u.rise_bp, u.due_on], [true, 330, '2020-06-09'], u.unit_code);
  // one per person
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) - count(DISTINCT person_id) FROM price_subsidies WHERE month = '2020-04';").trim(), '0');
  // amounts: 710 × 3.3 % × 2 = 46.86 → 47 (urban), 450 × 6.6 % = 29.70 → 30 (rural); the
  // districts and zones put everyone on the urban standard, to the jiao: 46.90
  const amounts = sqlite(srv.dbPath, "SELECT DISTINCT amount_fen FROM price_subsidies WHERE month = '2020-04' ORDER BY 1;").trim().split('\n').map(Number);
  assert.deepEqual(amounts, [3000, 4690, 4700]);
  // again: nothing new, nothing changed
  const before = sqlite(srv.dbPath, "SELECT sum(id * amount_fen) FROM price_subsidies;").trim();
  const again = await generate(admin, '2020-04');
  assert.deepEqual([again.result.added, again.result.existing], [0, r.added]);
  assert.equal(sqlite(srv.dbPath, "SELECT sum(id * amount_fen) FROM price_subsidies;").trim(), before);
  // the late list (due 2020-06-09, long past): every April subsidy
  const late = assertStatus(await admin.get('/api/v1/price/subsidies?month=2020-04&state=late&limit=5'), 200);
  assert.equal(late.total, r.added);
  assert.equal(late.total_fen, r.added_fen);
  assert.equal(late.items.length, 5);
  for (const s of late.items) {
    assert.equal(s.late, true);
    assert.equal(s.state, 'unpaid');
    assert.match(s.id_number, /\*/, 'masked');
    assert.deepEqual([s.rise_bp, s.multiplier_bp, s.basis], [330, 20000, 'cpi']);
  }
  // not late yet as of the due day itself
  const onDue = assertStatus(await admin.get('/api/v1/price/subsidies?month=2020-04&state=late&as_of=2020-06-09'), 200);
  assert.equal(onDue.total, 0);
  // February does not trigger in the demo city (the mechanism starts in March): the job says why
  const feb = await generate(admin, '2020-02');
  assert.equal(feb.status, 'failed');
  assert.equal(feb.error.code, 'not_triggered');
});

test('the payroll pays each subsidy once: run totals, bank file, recomputing, the next month', async () => {
  const res = await payroll(county, '2020-05', '370704');
  const runId = res.runs[0].run_id;
  let run = assertStatus(await county.get(`/api/v1/payroll/runs/${runId}`), 200);
  const ps = run.programs.price_subsidy;
  assert.equal(ps.label, '价格临时补贴');
  const unitApril = Number(sqlite(srv.dbPath, "SELECT count(*) FROM price_subsidies WHERE month = '2020-04' AND unit_code = '370704' AND (bank_account <> '' OR person_id IN (SELECT person_id FROM price_accounts));").trim());
  assert.ok(unitApril > 0);
  assert.equal(ps.payments, unitApril, 'every April subsidy of 坊子区 with an account');
  assert.equal(ps.persons, unitApril);
  assert.deepEqual(run.changes.programs.price_subsidy, { new: 0, ended: 0, changed: 0, new_fen: 0, ended_fen: 0, changed_delta_fen: 0 });
  // recomputed: the same, never twice
  await payroll(county, '2020-05', '370704');
  run = assertStatus(await county.get(`/api/v1/payroll/runs/${runId}`), 200);
  assert.equal(run.programs.price_subsidy.payments, unitApril);
  assertStatus(await county.post(`/api/v1/payroll/runs/${runId}/confirm`, {}), 200);
  const r = await county.raw('GET', `/api/v1/payroll/runs/${runId}/bank-file?format=csv`);
  assert.equal(r.status, 200);
  const lines = r.text.split('\r\n').filter((l) => l.includes('价格临时补贴'));
  assert.equal(lines.length, unitApril, 'a bank-file line per subsidy');
  assert.ok(lines.every((l) => l.includes(',2020-04')), 'the month the money is for');
  // the whole city's May and June: 坊子区's subsidies are not paid again
  await payroll(admin, '2020-06');
  const paid = sqlite(srv.dbPath, "SELECT count(*), count(DISTINCT case_id) FROM payments WHERE program = 'price_subsidy' AND reissue_of IS NULL;").trim().split('|').map(Number);
  assert.equal(paid[0], paid[1], 'one payment per subsidy');
  // the April subsidies of 坊子区 are no longer late (paid), except those still without an
  // account; 峡山区's, in townships under 370704 but paid by the zone, still are
  const mine = assertStatus(await county.get('/api/v1/price/subsidies?month=2020-04&unit=370704&state=paid&limit=1'), 200);
  assert.equal(mine.total, unitApril);
  assert.equal(mine.items[0].paid_month, '2020-05');
  assert.equal(mine.items[0].paid_late, true, 'paid in a later run, after its due day');
  const lateUnit = assertStatus(await county.get('/api/v1/price/subsidies?month=2020-04&unit=370704&state=late'), 200);
  const noAccount = assertStatus(await county.get('/api/v1/price/subsidies?month=2020-04&unit=370704&state=no_account'), 200);
  assert.equal(lateUnit.total, noAccount.total);
  const lateZone = assertStatus(await county.get('/api/v1/price/subsidies?month=2020-04&unit=370791&state=late'), 200);
  assert.ok(lateZone.total > 0, 'the zone has not paid');
  for (const s of lateZone.items) assert.ok(s.region_code.startsWith('370704'));
});

test('report: programs.price_subsidy and programs.temp_relief, per county, beside the allowances\' total', async () => {
  const r = assertStatus(await admin.get('/api/v1/reports/assistance?from=2020-01&to=2020-04'), 200);
  assert.deepEqual([r.programs.price_subsidy.persons, r.programs.price_subsidy.amount_fen], [2070, 9728400]);
  assert.equal(r.programs.price_subsidy.label, '价格临时补贴');
  const allowances = ['dibao', 'tekun', 'orphan', 'unsupported_child'].reduce((s, p) => s + r.programs[p].amount_fen, 0);
  assert.equal(r.total.amount_fen, allowances, 'total is the allowances only');
  assert.equal(typeof r.programs.temp_relief.person_times, 'number');
  assert.equal(typeof r.programs.temp_relief.amount_fen, 'number');
  let persons = 0, fen = 0, times = 0;
  for (const c of Object.values(r.counties)) {
    persons += c.programs.price_subsidy.persons;
    fen += c.programs.price_subsidy.amount_fen;
    times += c.programs.temp_relief.person_times;
  }
  assert.deepEqual([persons, fen, times], [2070, 9728400, r.programs.temp_relief.person_times]);
  assert.equal(r.months['2020-04'].programs.price_subsidy.amount_fen, 9728400, 'paid by the April runs');
  assert.equal(r.months['2020-03'].programs.price_subsidy.amount_fen, 0);
  // one county: its own figures
  const c = assertStatus(await county.get('/api/v1/reports/assistance?from=2020-01&to=2020-04&county=370704'), 200);
  assert.equal(c.programs.price_subsidy.amount_fen, r.counties['370704'].programs.price_subsidy.amount_fen);
  // the CLI gives the same keys
  const j = JSON.parse(cliOk(['report', 'assistance', '--db', srv.dbPath, '--from', '2020-01', '--to', '2020-04', '--format', 'json']));
  assert.deepEqual(j.programs.price_subsidy, r.programs.price_subsidy);
  assert.deepEqual(j.programs.temp_relief, r.programs.temp_relief);
});

test('GET /api/v1/price/subsidies is scoped: county, township, village; a foreign region is 404', async () => {
  for (const [client, scope] of [[county, '370704'], [town, '370704008'], [village, '370704008231'], [county705, '370705']]) {
    const r = assertStatus(await client.get('/api/v1/price/subsidies?month=2020-03&limit=500'), 200);
    for (const s of r.items) assert.ok(s.region_code.startsWith(scope), `${s.region_code} outside ${scope}`);
  }
  const all = assertStatus(await admin.get('/api/v1/price/subsidies?month=2020-03&limit=1'), 200);
  const c4 = assertStatus(await county.get('/api/v1/price/subsidies?month=2020-03&limit=1'), 200);
  const c5 = assertStatus(await county705.get('/api/v1/price/subsidies?month=2020-03&limit=1'), 200);
  assert.ok(c4.total > 0 && c5.total > 0 && c4.total + c5.total < all.total);
  assertError(await county.get('/api/v1/price/subsidies?region=370705'), 404, 'not_found', 'region');
  assertError(await county.get('/api/v1/price/subsidies?state=soon'), 400, 'invalid_value', 'state');
  assertError(await county.get('/api/v1/price/subsidies?month=2020-13'), 400, 'invalid_value', 'month');
  const anon = await fetch(`${srv.url}/api/v1/price/subsidies`);
  assert.equal(anon.status, 401);
});

test('POST /api/v1/price/accounts: in scope only, checked, masked, audited without the number', async () => {
  const p705 = Number(sqlite(srv.dbPath, "SELECT id FROM persons WHERE region_code LIKE '370705%' AND status = 'active' LIMIT 1;").trim());
  const p704 = Number(sqlite(srv.dbPath, "SELECT id FROM persons WHERE region_code LIKE '370704008%' AND status = 'active' LIMIT 1;").trim());
  assertError(await county.post('/api/v1/price/accounts', { person_id: p705, bank_name: '社会保障卡', bank_account: '6230000000000705' }), 404, 'not_found');
  assertError(await town.post('/api/v1/price/accounts', { person_id: p704, bank_name: '社会保障卡', bank_account: '12-34' }), 400, 'invalid_value', 'bank_account');
  assertError(await town.post('/api/v1/price/accounts', { person_id: p704, bank_account: '6230000000000704' }), 400, 'required', 'bank_name');
  assertError(await leader.post('/api/v1/price/accounts', { person_id: p704, bank_name: '社会保障卡', bank_account: '6230000000000704' }), 403, 'forbidden');
  const r = assertStatus(await town.post('/api/v1/price/accounts', { person_id: p704, bank_name: '社会保障卡', bank_account: '6230 0000 0000 0704' }), 200);
  assert.deepEqual(r, { person_id: p704, bank_name: '社会保障卡', bank_account: '6230********0704' });
  const audit = sqlite(srv.dbPath, `SELECT detail FROM audit_log WHERE action = 'price.account' AND object = 'person:${p704}';`).trim();
  assert.match(audit, /0704/);
  assert.doesNotMatch(audit, /6230000000000704/);
});

test('CLI: price indices, index, generate --json, show, late', () => {
  const ind = cliOk(['price', 'indices', '--db', srv.dbPath]);
  assert.match(ind, /^2020-03 +4\.30% +18\.30% 2020-04-10 是 +2020-05-11 +2070 +2070 +0 +0$/m);
  assert.match(ind, /^2020-01 .*未启用/m);
  const bad = cli(['price', 'index', '--db', srv.dbPath, '--month', '2020-06', '--cpi', '2.5.1', '--food', '11.1', '--published', '2020-07-09']);
  assert.equal(bad.status, 2);
  cliOk(['price', 'index', '--db', srv.dbPath, '--month', '2020-06', '--cpi', '2.5', '--food', '11.1', '--published', '2020-07-09']);
  const g = JSON.parse(cliOk(['price', 'generate', '--db', srv.dbPath, '--month', '2020-06', '--json']));
  assert.ok(g.added > 0);
  assert.equal(g.units[0].rise_bp, 250);
  const late = cliOk(['price', 'late', '--db', srv.dbPath, '--month', '2020-06', '--as-of', '2020-08-31', '--limit', '2']);
  assert.match(late, /逾期/);
  assert.match(late, new RegExp(`^合计 total ${g.added} 人`, 'm'));
  const show = cliOk(['price', 'show', '--db', srv.dbPath, '--month', '2020-03', '--county', '370704', '--state', 'paid', '--limit', '1']);
  assert.match(show, /已发放/);
  const none = cli(['price', 'generate', '--db', srv.dbPath, '--month', '2020-01']);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /not_triggered/);
});
