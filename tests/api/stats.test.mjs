// stats.test.mjs — the bureau's statistics report (docs/stats.md; issue 7): GET
// /api/v1/reports/stats and `minzheng report stats` on the scale-0.02 demo city with its
// assistance. The structure (every item keyed, the modules' figures numbers), the figures equal to what the modules' own reports say (assistance report,
// institutions period report), the units adding up where a figure belongs to one unit, a county
// narrowing it and a county outside the caller's scope 404, bad dates 400 with a Chinese
// message, the Excel and A4 HTML downloads, the CLI giving the same JSON.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertStatus, isChinese } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';

const FROM = '2020-01-24', TO = '2020-04-26';
let srv, admin, county, leader, report;

before(async () => {
  srv = await startServer({ assistance: true });
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  leader = await srv.login('leader');
  report = assertStatus(await admin.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}`), 200, 'stats');
});

after(async () => {
  await srv?.stop();
});

test('every item has a key, a Chinese label and a value; every one recorded by a module and a number', () => {
  assert.equal(report.from, FROM);
  assert.equal(report.to, TO);
  assert.equal(report.months_from, '2020-01');
  assert.equal(report.months_to, '2020-04');
  assert.deepEqual(report.not_recorded, []);
  for (const it of report.items) {
    assert.ok(isChinese(it.label) && isChinese(it.section), it.key);
    assert.ok(it.key in report.city, `city.${it.key}`);
    if (it.source === null) assert.equal(report.city[it.key], null, `${it.key} is not recorded`);
    else assert.equal(typeof report.city[it.key], 'number', `${it.key} is a number`);
  }
  assert.equal(report.city.county_units, 16);
  assert.equal(Object.keys(report.counties).length, 16);
});

test('the assistance figures are the assistance report’s, the institutions the period report’s', async () => {
  const a = assertStatus(await leader.get('/api/v1/reports/assistance?from=2020-01&to=2020-04'), 200);
  const c = report.city;
  assert.deepEqual([c.dibao_persons, c.dibao_amount_fen], [a.programs.dibao.persons, a.programs.dibao.amount_fen]);
  assert.deepEqual([c.tekun_persons, c.tekun_amount_fen], [a.programs.tekun.persons, a.programs.tekun.amount_fen]);
  assert.equal(c.dibao_tekun_amount_fen, c.dibao_amount_fen + c.tekun_amount_fen);
  assert.deepEqual([c.price_subsidy_persons, c.price_subsidy_amount_fen], [a.programs.price_subsidy.persons, a.programs.price_subsidy.amount_fen]);
  assert.deepEqual([c.temp_relief_person_times, c.temp_relief_amount_fen], [a.programs.temp_relief.person_times, a.programs.temp_relief.amount_fen]);
  assert.ok(c.dibao_persons > 0 && c.tekun_persons > 0 && c.price_subsidy_persons > 0);
  const inst = assertStatus(await leader.get(`/api/v1/reports/institutions?from=${FROM}&to=${TO}`), 200);
  const e = inst.institutions.elderly_home;
  assert.deepEqual([c.elderly_homes, c.elderly_residents, c.elderly_staff, c.elderly_infections], [e.count, e.residents, e.staff, e.infections]);
  assert.equal(c['funeral.homes'], 10); // the demo's ten, at any scale
  assert.equal(c.children_home_staff_on_site, 53);
  assert.equal(c.inspection_teams, 6);
  assert.ok(c.rescue_arrivals > 0 && c.hotline_calls > 0 && c.ledger_entries > 0);
});

test('the units add up to the city where each record belongs to one unit', () => {
  const units = Object.values(report.counties);
  for (const k of ['dibao_amount_fen', 'tekun_amount_fen', 'price_subsidy_amount_fen', 'temp_relief_person_times', 'temp_relief_amount_fen',
    'elderly_homes', 'elderly_residents', 'elderly_staff', 'ledger_entries']) {
    assert.equal(units.reduce((s, u) => s + u[k], 0), report.city[k], `Σ counties.${k}`);
  }
  for (const u of units) {
    assert.ok(!('county_units' in u), 'county_units is the city’s only');
  }
});

test('a county narrows the report; a county outside the caller’s scope is 404', async () => {
  const r = assertStatus(await admin.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}&county=370704`), 200);
  assert.deepEqual(Object.keys(r.counties), ['370704']);
  for (const k of ['dibao_persons', 'dibao_amount_fen', 'elderly_homes', 'ledger_entries', 'rescue_arrivals'])
    assert.equal(r.city[k], report.counties['370704'][k], k);
  // the county's staff: their county, and the functional zone that manages some of its townships
  const own = assertStatus(await county.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}`), 200);
  assert.deepEqual(Object.keys(own.counties), ['370704', '370791']);
  assert.equal(own.counties['370704'].dibao_amount_fen, report.counties['370704'].dibao_amount_fen);
  const res = await county.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}&county=370702`);
  assert.equal(res.status, 404);
});

test('the leader (stats.read) sees every module’s figures; a module the caller may not read is null, not zero', async () => {
  const r = assertStatus(await leader.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}`), 200);
  for (const it of report.items) assert.equal(r.city[it.key], report.city[it.key], it.key);
  const hotline = await srv.login('hotline'); // assistance.read and hotline only
  const h = assertStatus(await hotline.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}`), 200);
  assert.equal(h.city.dibao_amount_fen, report.city.dibao_amount_fen);
  assert.equal(h.city.hotline_calls, report.city.hotline_calls);
  for (const k of ['inspection_teams', 'rescue_arrivals', 'ledger_entries', 'elderly_homes']) {
    assert.equal(h.city[k], null, k);
    assert.equal(h.counties['370704'][k], null, k);
  }
});

test('bad dates are 400 with a Chinese message and the field', async () => {
  for (const [q, field] of [['from=2020-01&to=2020-04-26', 'from'], ['from=2020-01-24&to=2020-02-30', 'to'], ['from=2020-04-26&to=2020-01-24', 'to'],
    ['from=2019-01-01&to=2020-04-26', 'to'], ['to=2020-04-26', 'from']]) {
    const res = await leader.get(`/api/v1/reports/stats?${q}`);
    assert.equal(res.status, 400, q);
    assert.equal(res.json.error.field, field, q);
    assert.ok(isChinese(res.json.error.message), q);
  }
  assert.equal((await leader.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}&format=pdf`)).status, 400);
});

test('the Excel and the A4 HTML downloads; the CLI gives the same figures', async () => {
  const x = await admin.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}&format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheetml/);
  const hres = await admin.get(`/api/v1/reports/stats?from=${FROM}&to=${TO}&format=html`);
  assert.equal(hres.status, 200);
  assert.match(hres.headers.get('content-type'), /^text\/html/);
  const html = hres.text;
  assert.match(html, /@page\{size:A4/);
  assert.match(html, /thead\{display:table-header-group\}/, 'table headers repeat on each printed page');
  assert.match(html, /page-break-before:always/);
  assert.match(html, /低保人数<\/td><td>人<\/td><td class="n">[\d]+<\/td>/);
  assert.doesNotMatch(html, /尚未记录/, 'every item has its module');
  assert.equal((html.match(/<section class="unit">/g) || []).length, 16);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-stats-'));
  try {
    const cliJson = JSON.parse(srv.cli(['report', 'stats', '--db', srv.dbPath, '--from', FROM, '--to', TO]).stdout);
    assert.deepEqual(cliJson.city, report.city);
    assert.deepEqual(cliJson.counties, report.counties);
    const out = path.join(dir, 'r.html');
    const r = srv.cli(['report', 'stats', '--db', srv.dbPath, '--from', FROM, '--to', TO, '--format', 'html', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), html);
    const bad = srv.cli(['report', 'stats', '--db', srv.dbPath, '--from', FROM]);
    assert.equal(bad.status, 2);
    const xo = path.join(dir, 'r.xlsx');
    assert.equal(srv.cli(['report', 'stats', '--db', srv.dbPath, '--from', FROM, '--to', TO, '--out', xo]).status, 0);
    assert.equal(readFileSync(xo).subarray(0, 2).toString(), 'PK');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
