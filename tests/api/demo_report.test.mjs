// demo_report.test.mjs — the demo city's assistance figures (issue 3 "Reports", DOMAIN.md "The
// published figures", docs/demo.md): a `minzheng demo` at the default scale (the whole city, about
// 10 s) pays its 低保 and 特困 cases for 2020-01..2020-04 through the payroll module, and the
// assistance report — computed from those payments — must give exactly what the bureau published:
// 低保 87,840 persons and 52,701,000 yuan, 特困 14,367 persons and 18,358,000 yuan (71,059,000 in
// all), from the CLI (`report assistance --format json`) and from GET /api/v1/reports/assistance,
// with the management units adding up to the city.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertStatus } from '../lib/http.mjs';
import { cliOk, login, spawnServe, sqlite } from '../lib/server.mjs';

const PUBLISHED = {
  dibao: { persons: 87840, amount_fen: 5270100000 },
  tekun: { persons: 14367, amount_fen: 1835800000 },
};
const TOTAL_FEN = 7105900000; // 71,059,000 yuan

let dir, dbPath, demoOut, srv;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mz-demo-report-'));
  dbPath = path.join(dir, 'minzheng.db');
  try {
    cliOk(['init', '--db', dbPath]);
    demoOut = cliOk(['demo', '--db', dbPath], { timeout: 180000 }); // default seed and scale
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
});

after(async () => {
  try {
    await srv?.stop();
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

/** The four figures, the total and the units' sums of one report. */
function checkReport(r, where) {
  for (const p of ['dibao', 'tekun']) {
    assert.equal(r.programs[p].persons, PUBLISHED[p].persons, `${where}: programs.${p}.persons`);
    assert.equal(r.programs[p].amount_fen, PUBLISHED[p].amount_fen, `${where}: programs.${p}.amount_fen`);
  }
  assert.equal(r.programs.dibao.amount_fen + r.programs.tekun.amount_fen, TOTAL_FEN, `${where}: 低保 + 特困`);
  for (const p of ['orphan', 'unsupported_child']) assert.equal(r.programs[p].amount_fen, 0, `${where}: the demo pays no ${p}`);
  assert.equal(r.total.amount_fen, TOTAL_FEN, `${where}: total.amount_fen`);
  // 价格临时补贴: 103,500 persons, 4,864,200 yuan, from the subsidy payments (docs/demo.md)
  assert.deepEqual([r.programs.price_subsidy.persons, r.programs.price_subsidy.amount_fen], [103500, 486420000], `${where}: programs.price_subsidy`);
  assert.equal(Object.values(r.counties).reduce((s, c) => s + c.programs.price_subsidy.amount_fen, 0), 486420000, `${where}: Σ counties[…].programs.price_subsidy.amount_fen`);
  // 临时救助 beside them, from the relief module's grants: 2,198 person-times, 4,427,000 yuan
  assert.deepEqual([r.programs.temp_relief.person_times, r.programs.temp_relief.amount_fen], [2198, 442700000], `${where}: programs.temp_relief`);
  assert.deepEqual(r.counted_statuses, ['paid']);
  assert.equal(r.month_basis, 'run');

  // the management units (13 counties, 3 zones) add up to the programs' figures: a case is paid
  // by one unit, so its persons are counted in one unit only
  const units = Object.keys(r.counties);
  assert.equal(units.length, 16, `${where}: 16 units, got ${units.join(' ')}`);
  for (const p of ['dibao', 'tekun']) {
    let persons = 0, amount = 0, payments = 0;
    for (const u of units) {
      const c = r.counties[u].programs[p];
      assert.ok(c.persons > 0 && c.amount_fen > 0, `${where}: ${u} pays ${p}`);
      persons += c.persons;
      amount += c.amount_fen;
      payments += c.payments;
    }
    assert.equal(persons, r.programs[p].persons, `${where}: Σ counties[…].programs.${p}.persons`);
    assert.equal(amount, r.programs[p].amount_fen, `${where}: Σ counties[…].programs.${p}.amount_fen`);
    assert.equal(payments, r.programs[p].payments, `${where}: Σ counties[…].programs.${p}.payments`);
    // the months add up in money (persons are distinct per cell, so they do not add up)
    let monthly = 0;
    for (const m of ['2020-01', '2020-02', '2020-03', '2020-04']) monthly += r.months[m].programs[p].amount_fen;
    assert.equal(monthly, r.programs[p].amount_fen, `${where}: Σ months[…].programs.${p}.amount_fen`);
  }
}

test('minzheng demo at the default scale pays 2020-01..2020-04 and prints the report’s four figures', () => {
  assert.match(demoOut, /低保 dibao\s+persons\s+87840\s+amount_fen\s+5270100000/);
  assert.match(demoOut, /特困 tekun\s+persons\s+14367\s+amount_fen\s+1835800000/);
  assert.match(demoOut, /合计 total\s+71,059,000\.00 元/);
  assert.match(demoOut, /与公布数字一致/);
  assert.match(demoOut, /64 个批次已确认/);
  // the money is in individual payments of confirmed runs, each paid by the rules; nothing else
  const [runs, drafts, notPaid] = sqlite(dbPath, `SELECT count(*), sum(status <> 'confirmed'),
    (SELECT count(*) FROM payments WHERE status <> 'paid') FROM payroll_runs;`).trim().split('|').map(Number);
  assert.deepEqual([runs, drafts, notPaid], [64, 0, 0]);
  const [sum] = sqlite(dbPath, `SELECT sum(amount_fen) FROM payments WHERE program IN ('dibao', 'tekun');`).trim().split('|').map(Number);
  assert.equal(sum, TOTAL_FEN);
});

test('minzheng report assistance --format json gives the published figures exactly, units adding up', () => {
  const out = cliOk(['report', 'assistance', '--db', dbPath, '--from', '2020-01', '--to', '2020-04', '--format', 'json']);
  checkReport(JSON.parse(out), 'CLI');
});

test('GET /api/v1/reports/assistance as admin gives the same figures', async () => {
  srv = await spawnServe(dbPath);
  const admin = await login(srv.url, 'admin');
  const r = assertStatus(await admin.get('/api/v1/reports/assistance?from=2020-01&to=2020-04'), 200, 'report');
  checkReport(r, 'API');
  const cli = JSON.parse(cliOk(['report', 'assistance', '--db', dbPath, '--from', '2020-01', '--to', '2020-04', '--format', 'json']));
  assert.deepEqual(r.programs, cli.programs);
  assert.deepEqual(r.counties, cli.counties);
});

test('temporary assistance 2020-01..2020-04 is 2,198 person-times and 4,427,000 yuan, from the demo city’s grants (docs/relief.md)', () => {
  assert.match(demoOut, /临时救助 relief\s+person_times 2198 amount_fen 442700000（目标 2198 \/ 442700000），与公布数字一致/);
  const out = cliOk(['relief', 'totals', '--db', dbPath, '--from', '2020-01', '--to', '2020-04']);
  assert.match(out, /^total\t2198\t4427000\.00\tamount_fen 442700000$/m);
  const units = out.split('\n').filter((l) => /^\d{6}\t/.test(l)).map((l) => l.split('\t'));
  assert.equal(units.length, 16, 'every management unit granted some');
  assert.equal(units.reduce((s, u) => s + Number(u[1]), 0), 2198);
  assert.match(cliOk(['relief', 'reconcile', '--db', dbPath]), /# 0 mismatches/, 'the reserves reconcile with the grants');
});

test('minzheng report institutions gives the published 147 / 11,840 / 2,085 / 0 for elderly homes, from the daily reports', () => {
  const r = JSON.parse(cliOk(['report', 'institutions', '--db', dbPath, '--from', '2020-01-24', '--to', '2020-04-26', '--format', 'json']));
  const eh = r.institutions.elderly_home;
  assert.deepEqual([eh.count, eh.residents, eh.staff, eh.infections], [147, 11840, 2085, 0]);
  assert.equal(r.institutions.children_welfare_home.staff, 53, 'on site, not the 120 of two shifts');
  assert.ok(r.institutions.children_welfare_home.residents >= 100);
  assert.equal(r.institutions.funeral_home.count, 10);
  assert.equal(r.reports.expected, r.reports.received, 'every home reported every day');
  assert.ok(r.reports.zero > r.reports.received / 2 && r.reports.on_time < r.reports.received, 'mostly zero reports, a few late');
  assert.match(demoOut, /养老机构 147 家、在院 11,840 人、工作人员 2,085 人、感染 0：与公布数字一致/);
});

test('the statistics report gives every published figure the modules reproduce (CLI; API and dashboard timed)', async () => {
  const r = JSON.parse(cliOk(['report', 'stats', '--db', dbPath, '--from', '2020-01-24', '--to', '2020-04-26']));
  const c = r.city;
  const got = (keys) => keys.map((k) => c[k]);
  assert.deepEqual(got(['dibao_persons', 'dibao_amount_fen', 'tekun_persons', 'tekun_amount_fen', 'dibao_tekun_amount_fen']),
    [87840, 5270100000, 14367, 1835800000, 7105900000]);
  assert.deepEqual(got(['temp_relief_person_times', 'temp_relief_amount_fen']), [2198, 442700000]);
  assert.deepEqual(got(['price_subsidy_persons', 'price_subsidy_amount_fen']), [103500, 486420000]);
  assert.deepEqual(got(['elderly_homes', 'elderly_residents', 'elderly_staff', 'elderly_infections']), [147, 11840, 2085, 0]);
  assert.deepEqual(got(['children_home_staff_on_site', 'funeral.homes', 'inspection_teams', 'county_units']), [53, 10, 6, 16]);
  assert.ok(c.children_home_children >= 100, '100+ children');
  assert.deepEqual(r.not_recorded, [], 'every published item has its module');
  // goods and charity: the published figures exactly (goods distributed 2020-01-01..04-26; the
  // appeals raised and used up to 2020-03-17 24:00, after which the demo's money does not move)
  const goods = JSON.parse(cliOk(['report', 'stats', '--db', dbPath, '--from', '2020-01-01', '--to', '2020-04-26'])).city;
  assert.deepEqual(['goods.masks', 'goods.protective_suits', 'goods.disinfectant_kg', 'goods.alcohol_kg', 'goods.other_items'].map((k) => goods[k]),
    [60000, 543, 30843, 3784, 147600]);
  const charity = JSON.parse(cliOk(['report', 'stats', '--db', dbPath, '--from', '2020-01-24', '--to', '2020-03-17'])).city;
  assert.deepEqual(['charity.raised_fen', 'charity.used_fen', 'charity.staff_donations_fen'].map((k) => charity[k]),
    [10484260000, 10464340000, 13750000]);
  // social organisations, volunteers, staff, documents (the published 1,500+ / 87 / 12,000 /
  // 400+ km² / 5,000+ households; 5 / 227; 32)
  assert.ok(c['organisations.engaged'] >= 1500, `${c['organisations.engaged']} organisations engaged`);
  assert.deepEqual(['organisations.mobilising', 'organisations.volunteers', 'staff.seconded', 'staff.front_line', 'documents.issued'].map((k) => c[k]),
    [87, 12000, 5, 227, 32]);
  assert.ok(c['organisations.disinfected_km2'] >= 400 && c['organisations.households_screened'] >= 5000);
  // the modules without a published figure record something
  for (const k of ['marriage.offices', 'marriage.booked', 'marriage.registered', 'marriage.no_show', 'lottery.outlets_open',
    'funeral.bodies', 'funeral.covid_bodies', 'crosscheck.matched', 'crosscheck.overpayments', 'crosscheck.overpaid_fen'])
    assert.ok(c[k] > 0, `${k} = ${c[k]}`);
  assert.equal(c['funeral.gatherings'], 0, 'no farewell gathering while they are suspended');
  const units = Object.values(r.counties);
  assert.equal(units.length, 16);
  assert.equal(units.reduce((s, u) => s + u.dibao_amount_fen, 0), 5270100000);
  assert.equal(units.reduce((s, u) => s + u.elderly_residents, 0), 11840);

  srv ??= await spawnServe(dbPath);
  const admin = await login(srv.url, 'admin');
  const api = assertStatus(await admin.get('/api/v1/reports/stats?from=2020-01-24&to=2020-04-26'), 200);
  assert.deepEqual(api.city, c);
  // the dashboard on the whole city: the first answer is computed, the next ones are kept until
  // a write (docs/stats.md has the measured figures)
  let t = performance.now();
  const d = assertStatus(await admin.get('/api/v1/dashboard'), 200);
  const cold = performance.now() - t;
  t = performance.now();
  assertStatus(await admin.get('/api/v1/dashboard'), 200);
  const warm = performance.now() - t;
  assert.equal(d.totals.amount_fen, 7105900000);
  assert.ok(warm < 200, `dashboard answered again in ${warm.toFixed(0)} ms (first ${cold.toFixed(0)} ms)`);
});
