// payroll.test.mjs — docs/api.md "Payroll" and "Reports", over real HTTP against a real server:
// a run is a job (202), its review (totals per program, changes against last month), confirm
// and its lock, the bank file (CSV and XLSX; account numbers only there, audited), bank
// returns re-issued by the next run, the assistance report, and scope on all of it.
//
// And the crash test (the last test): `minzheng payroll run` on a city of ~27,000 cases is
// killed with SIGKILL at random moments, several times, on a fresh month and on a recompute;
// after every kill the database must hold either nothing of the run or all of it, and once a
// run is let finish, the payments must be exactly those of a clean run on a copy of the same
// database (no duplicate, no gap), re-issues included.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { integrity, quiesce, removeDb, snapshot, sql } from '../lib/dbcopy.mjs';
import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, bin, cli, cliOk, makeDemoDb, pgDropDb, sqlite, startServer } from '../lib/server.mjs';

// Cases made by SQL on the demo city's households (the assistance module's own lifecycle is not
// under test here): a 低保 case for every `dibaoEvery`-th household, a 特困 case for some heads
// of other households, an orphan case for some children. All active from 2020-01. The SQL suits
// both engines: an account is a bank prefix and the id zero-padded to 15 digits (substr of 15 zeros
// and the id, as printf('%015d') would on SQLite alone).
const account = (prefix, id) => `'${prefix}' || substr('000000000000000' || ${id}, length(CAST(${id} AS TEXT)) + 1, 15)`;
function casesSql(dibaoEvery = 3) {
  return `
INSERT INTO assistance_cases(program, household_id, person_id, region_code, unit_code, residence_type,
  status, applied_at, start_month, monthly_amount_fen, payee_name, bank_name, bank_account, created_at, updated_at)
SELECT 'dibao', h.id, NULL, h.region_code, r.unit_code, h.residence_type, 'active', '2019-12-01', '2020-01',
  30000, '', '中国农业银行', ${account('6228', 'h.id')}, '2019-12-20', '2019-12-20'
FROM households h JOIN regions r ON r.code = h.region_code WHERE h.id % ${dibaoEvery} = 0;
INSERT INTO assistance_cases(program, household_id, person_id, region_code, unit_code, residence_type,
  status, applied_at, start_month, adl_mask, support_form, payee_name, bank_name, bank_account, created_at, updated_at)
SELECT 'tekun', p.household_id, p.id, p.region_code, r.unit_code, h.residence_type, 'active', '2019-12-01',
  '2020-01', p.id % 64, CASE WHEN p.id % 2 = 1 THEN 'scattered' ELSE 'centralised' END, '', '中国建设银行',
  ${account('6217', 'p.id')}, '2019-12-20', '2019-12-20'
FROM persons p JOIN households h ON h.id = p.household_id JOIN regions r ON r.code = p.region_code
WHERE p.household_id % ${dibaoEvery} = 1 AND p.relation = 'head' AND p.id % 4 = 0;
INSERT INTO assistance_cases(program, household_id, person_id, region_code, unit_code, residence_type,
  status, applied_at, start_month, child_placement, parent_condition_1, parent_condition_2, payee_name,
  bank_name, bank_account, created_at, updated_at)
SELECT 'orphan', p.household_id, p.id, p.region_code, r.unit_code, h.residence_type, 'active', '2019-12-01',
  '2020-01', 'scattered', 'dead', 'dead', '', '中国工商银行', ${account('6222', 'p.id')},
  '2019-12-20', '2019-12-20'
FROM persons p JOIN households h ON h.id = p.household_id JOIN regions r ON r.code = p.region_code
WHERE p.household_id % ${dibaoEvery} = 2 AND p.birth_date > '2005-01-01' AND p.id % 5 = 0;`;
}

/** "1,234.50" / "1234.5" → fen, by string arithmetic. */
function fen(yuan) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(yuan.replaceAll(',', ''));
  assert.ok(m, `amount ${yuan}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0')));
}

/** A bank's return file for payments: "id|amount_fen" lines (sqlite() output) → one line per
 * payment: its reference MZ and 10 digits, the amount in yuan, the reason. */
function returnsFile(rows) {
  return rows.trim().split('\n').map((l) => {
    const [id, fenAmount] = l.split('|').map(Number);
    return `MZ${String(id).padStart(10, '0')},${Math.trunc(fenAmount / 100)}.${String(fenAmount % 100).padStart(2, '0')},测试退回\n`;
  }).join('');
}

/** RFC 4180 CSV (BOM dropped) → rows of fields. */
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv, admin, county, other, town, leader;

async function waitJob(client, id) {
  for (let i = 0; i < 400; i++) {
    const j = assertStatus(await client.get(`/api/v1/jobs/${id}`), 200, `job ${id}`);
    if (j.status === 'done' || j.status === 'failed') return j;
    await sleep(50);
  }
  assert.fail(`job ${id} did not finish within 20 s`);
}

/** Compute (month, unit) through the API and return the run. */
async function computeRun(client, month, unit) {
  const j = assertStatus(await client.post('/api/v1/payroll/runs', { month, unit_code: unit }), 202, 'submit run');
  assert.equal(j.kind, 'payroll.run');
  const done = await waitJob(client, j.id);
  assert.equal(done.status, 'done', `job: ${JSON.stringify(done.error)}`);
  const r = done.result.runs.find((x) => x.unit_code === unit);
  assert.ok(r, `result names ${unit}: ${JSON.stringify(done.result)}`);
  return assertStatus(await client.get(`/api/v1/payroll/runs/${r.run_id}`), 200, 'run');
}

async function download(client, pathname) {
  const res = await fetch(client.url + pathname, { headers: client.headers('GET') });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf, text: buf.toString('utf8') };
}

before(async () => {
  srv = await startServer();
  sqlite(srv.dbPath, casesSql());
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  town = await srv.login('township_370704008');
  leader = await srv.login('leader');
});

after(async () => {
  await srv?.stop();
});

let jan; // 坊子区's January run, computed by the first test

test('POST /api/v1/payroll/runs answers 202 with a payroll.run job that computes a draft', async () => {
  jan = await computeRun(county, '2020-01', '370704');
  assert.equal(jan.status, 'draft');
  assert.equal(jan.unit_code, '370704');
  assert.equal(jan.unit_name, '坊子区');
  assert.equal(jan.month, '2020-01');
  assert.ok(jan.payments > 10, `payments: ${jan.payments}`);
  const want = sqlite(srv.dbPath, `SELECT count(*), sum(amount_fen) FROM payments WHERE run_id = ${jan.id}`).trim();
  assert.equal(`${jan.payments}|${jan.amount_fen}`, want);
  let sum = 0, n = 0;
  for (const p of ['dibao', 'tekun', 'orphan', 'unsupported_child']) {
    assert.ok(jan.programs[p], `programs.${p}`);
    assert.ok(Number.isInteger(jan.programs[p].amount_fen));
    sum += jan.programs[p].amount_fen;
    n += jan.programs[p].payments;
  }
  assert.equal(sum, jan.amount_fen);
  assert.equal(n, jan.payments);
  assert.equal(jan.changes.has_previous, false);
  assert.equal(jan.changes.programs.dibao.new, jan.programs.dibao.payments, 'with no December run everything is new');
  assert.ok(jan.changes.items.length > 0);
  for (const x of jan.changes.items) assert.match(x.bank_account, /^\d{4}\*{11}\d{4}$/, 'accounts masked in JSON');
});

test('computing the draft again recomputes it: the same payments, no duplicates', async () => {
  const again = await computeRun(county, '2020-01', '370704');
  assert.equal(again.id, jan.id);
  assert.equal(again.computations, 2);
  assert.equal(again.payments, jan.payments);
  assert.equal(again.amount_fen, jan.amount_fen);
  const dup = sqlite(srv.dbPath, `SELECT count(*) FROM (SELECT 1 FROM payments WHERE reissue_of IS NULL GROUP BY month, program, case_id HAVING count(*) > 1) AS d`).trim();
  assert.equal(dup, '0');
});

test('GET /api/v1/payroll/runs lists only the runs of the caller\'s units', async () => {
  await computeRun(other, '2020-01', '370705');
  const mine = assertStatus(await county.get('/api/v1/payroll/runs?month=2020-01'), 200);
  assert.deepEqual(mine.items.map((r) => r.unit_code), ['370704']);
  assert.equal(mine.total, 1);
  const theirs = assertStatus(await other.get('/api/v1/payroll/runs'), 200);
  assert.ok(theirs.items.every((r) => r.unit_code === '370705'));
  const all = assertStatus(await admin.get('/api/v1/payroll/runs?month=2020-01'), 200);
  assert.deepEqual(all.items.map((r) => r.unit_code).sort(), ['370704', '370705']);
  assertError(await other.get('/api/v1/payroll/runs?unit=370704'), 404, 'not_found');
  assertError(await county.get('/api/v1/payroll/runs?month=2020-13'), 400, 'invalid_value', 'month');
});

test('another county gets 404 for every run route, a township 403, and nothing changes', async () => {
  const before = sqlite(srv.dbPath, `SELECT status, computations FROM payroll_runs WHERE id = ${jan.id}`);
  assertError(await other.get(`/api/v1/payroll/runs/${jan.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/payroll/runs/${jan.id}/confirm`, {}), 404, 'not_found');
  assertError(await other.get(`/api/v1/payroll/runs/${jan.id}/bank-file?format=csv`), 404, 'not_found');
  assertError(await other.post('/api/v1/payroll/runs', { month: '2020-01', unit_code: '370704' }), 404, 'not_found');
  assertError(await town.get(`/api/v1/payroll/runs/${jan.id}`), 403, 'forbidden');
  assertError(await town.post('/api/v1/payroll/runs', { month: '2020-01', unit_code: '370704' }), 403, 'forbidden');
  assertError(await leader.get('/api/v1/payroll/runs'), 403, 'forbidden');
  assertError(await county.get('/api/v1/payroll/runs/999999'), 404, 'not_found');
  assert.equal(sqlite(srv.dbPath, `SELECT status, computations FROM payroll_runs WHERE id = ${jan.id}`), before);
});

test('bad run requests are 400 with the field', async () => {
  assertError(await county.post('/api/v1/payroll/runs', { unit_code: '370704' }), 400, 'required', 'month');
  assertError(await county.post('/api/v1/payroll/runs', { month: '2020-1', unit_code: '370704' }), 400, 'invalid_value', 'month');
  assertError(await county.post('/api/v1/payroll/runs', { month: 202001, unit_code: '370704' }), 400, 'invalid_value', 'month');
  assertError(await county.post('/api/v1/payroll/runs', { month: '2020-01', unit_code: '999999' }), 404, 'not_found');
});

test('a draft has no bank file (409); confirming locks it (409 on a second confirm or a recompute)', async () => {
  assertError(await county.get(`/api/v1/payroll/runs/${jan.id}/bank-file?format=csv`), 409, 'run_not_confirmed');
  const c = assertStatus(await county.post(`/api/v1/payroll/runs/${jan.id}/confirm`, {}), 200, 'confirm');
  assert.equal(c.status, 'confirmed');
  assert.equal(c.confirmed_by, 'county_370704');
  assertError(await county.post(`/api/v1/payroll/runs/${jan.id}/confirm`, {}), 409, 'run_confirmed');
  assertError(await county.post('/api/v1/payroll/runs', { month: '2020-01', unit_code: '370704' }), 409, 'run_confirmed', 'month');
  const paid = sqlite(srv.dbPath, `SELECT count(*) FROM payments WHERE run_id = ${jan.id} AND status = 'paid'`).trim();
  assert.equal(Number(paid), jan.payments);
});

let bankRows;

test('the CSV bank file lists every payment with holder, account, yuan and reference; JSON never shows the account', async () => {
  const r = await download(county, `/api/v1/payroll/runs/${jan.id}/bank-file?format=csv`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment/);
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /代发_370704_2020-01\.csv/);
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0], ['序号', '户名', '账号', '开户行', '金额（元）', '业务编号', '项目', '所属月份']);
  bankRows = rows.slice(1);
  assert.equal(bankRows.length, jan.payments);
  let total = 0;
  for (const [i, row] of bankRows.entries()) {
    assert.equal(row[0], String(i + 1));
    assert.match(row[2], /^\d{19}$/, 'the full account number');
    assert.match(row[4], /^\d+\.\d\d$/, 'yuan with fen');
    assert.match(row[5], /^MZ\d{10}$/);
    assert.equal(row[7], '2020-01');
    total += fen(row[4]);
  }
  assert.equal(total, jan.amount_fen);
  const json = (await county.get(`/api/v1/payroll/runs/${jan.id}`)).text + (await county.get('/api/v1/payroll/runs')).text;
  for (const row of bankRows.slice(0, 50)) assert.ok(!json.includes(row[2]), `account ${row[2]} not in JSON`);
  const n = sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = 'payroll.bank_file' AND object = 'payroll_run:${jan.id}'`).trim();
  assert.equal(n, '1', 'the download is audited');
});

test('the XLSX bank file is a workbook with the sheet; an unknown format is 400', async () => {
  const r = await download(county, `/api/v1/payroll/runs/${jan.id}/bank-file?format=xlsx`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.equal(r.buf.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  assert.ok(r.buf.includes(Buffer.from('xl/worksheets/sheet1.xml')));
  assertError(await county.get(`/api/v1/payroll/runs/${jan.id}/bank-file?format=pdf`), 400, 'invalid_value', 'format');
  assert.equal(auditVerify(srv.dbPath).status, 0, 'audit chain intact');
});

test('POST /api/v1/payroll/returns marks payments failed and the next run re-issues them once', async () => {
  const [a, b] = bankRows;
  const csv = `业务编号或账号,金额,原因\n${a[5]},${a[4]},账户已销户\n${b[2]},${b[4]},户名不符\n`;
  const res = assertStatus(await county.raw('POST', '/api/v1/payroll/returns', { rawBody: csv, headers: { 'Content-Type': 'text/csv' } }), 200, 'returns');
  assert.deepEqual(res, { lines: 2, marked: 2, already: 0, amount_fen: fen(a[4]) + fen(b[4]) });
  const again = assertStatus(await county.raw('POST', '/api/v1/payroll/returns', { rawBody: csv, headers: { 'Content-Type': 'text/csv' } }), 200);
  assert.equal(again.marked, 0);
  assert.equal(again.already, 2);
  const feb = await computeRun(county, '2020-02', '370704');
  assert.equal(feb.reissues, 2);
  assert.equal(feb.reissue_fen, fen(a[4]) + fen(b[4]));
  assert.equal(feb.changes.has_previous, true);
  assert.equal(feb.changes.previous_run_id, jan.id);
  const feb2 = await computeRun(county, '2020-02', '370704');
  assert.equal(feb2.reissues, 2, 'recomputed: still two');
  assert.equal(sqlite(srv.dbPath, 'SELECT count(*) FROM payments WHERE reissue_of IS NOT NULL').trim(), '2');
  assertStatus(await county.post(`/api/v1/payroll/runs/${feb.id}/confirm`, {}), 200);
  const mar = await computeRun(county, '2020-03', '370704');
  assert.equal(mar.reissues, 0, 'nothing left to re-issue');
});

test('a return file with a bad line is 400 naming the line, and changes nothing', async () => {
  const [, , c] = bankRows;
  const csv = `${c[5]},${c[4]},x\n${c[5].slice(0, -1)}9,1.00,y\n`;
  const before = sqlite(srv.dbPath, "SELECT count(*) FROM payments WHERE status = 'failed'");
  assertError(await county.raw('POST', '/api/v1/payroll/returns', { rawBody: csv, headers: { 'Content-Type': 'text/csv' } }), 400, 'invalid_return', 'lines[2]');
  assertError(await county.raw('POST', '/api/v1/payroll/returns', { rawBody: `${c[5]},0.01,x\n`, headers: { 'Content-Type': 'text/csv' } }), 400, 'invalid_return', 'lines[1]');
  assertError(await other.raw('POST', '/api/v1/payroll/returns', { rawBody: `${c[5]},${c[4]},x\n`, headers: { 'Content-Type': 'text/csv' } }), 400, 'invalid_return');
  assertError(await town.raw('POST', '/api/v1/payroll/returns', { rawBody: `${c[5]},${c[4]},x\n`, headers: { 'Content-Type': 'text/csv' } }), 403, 'forbidden');
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM payments WHERE status = 'failed'"), before);
});

test('a whole-city run from the API computes every unit in one job', async () => {
  const j = assertStatus(await admin.post('/api/v1/payroll/runs', { month: '2020-04' }), 202);
  const done = await waitJob(admin, j.id);
  assert.equal(done.status, 'done', JSON.stringify(done.error));
  assert.equal(done.result.runs.length, 16);
  const n = sqlite(srv.dbPath, "SELECT count(*), sum(n_payments) FROM payroll_runs WHERE month = '2020-04'").trim().split('|');
  assert.equal(n[0], '16');
  const cases = sqlite(srv.dbPath, "SELECT count(*) FROM payments WHERE month = '2020-04'").trim();
  assert.equal(n[1], cases);
});

test('GET /api/v1/reports/assistance: per program, county and month from paid payments only', async () => {
  const r = assertStatus(await leader.get('/api/v1/reports/assistance?from=2020-01&to=2020-03'), 200, 'report');
  for (const p of ['dibao', 'tekun', 'orphan', 'unsupported_child']) {
    assert.ok(Number.isInteger(r.programs[p].persons), `programs.${p}.persons`);
    assert.ok(Number.isInteger(r.programs[p].amount_fen), `programs.${p}.amount_fen`);
  }
  // paid = confirmed and not returned: January (minus the two returned) and February of 坊子区,
  // January of 奎文区; the March draft does not count
  const want = sqlite(srv.dbPath, `SELECT p.program, count(DISTINCT pp.person_id), (SELECT sum(q.amount_fen) FROM payments q
      JOIN payroll_runs s ON s.id = q.run_id WHERE q.program = p.program AND q.status = 'paid' AND s.month BETWEEN '2020-01' AND '2020-03')
    FROM payments p JOIN payroll_runs r ON r.id = p.run_id JOIN payment_persons pp ON pp.payment_id = p.id
    WHERE p.status = 'paid' AND r.status = 'confirmed' AND r.month BETWEEN '2020-01' AND '2020-03' GROUP BY p.program`).trim().split('\n');
  for (const line of want) {
    const [p, persons, amount] = line.split('|');
    assert.equal(r.programs[p].persons, Number(persons), `${p} persons`);
    assert.equal(r.programs[p].amount_fen, Number(amount), `${p} amount`);
  }
  const fz = r.counties['370704'];
  assert.equal(fz.name, '坊子区');
  assert.ok(fz.programs.dibao.persons > 0);
  assert.equal(r.months['2020-03'].total.amount_fen, 0, 'a draft is not money paid');
  assert.equal(fz.months['2020-01'].programs.dibao.amount_fen + fz.months['2020-02'].programs.dibao.amount_fen, fz.programs.dibao.amount_fen);
  const kw = assertStatus(await other.get('/api/v1/reports/assistance?from=2020-01&to=2020-03'), 200);
  assert.equal(kw.counties['370704'], undefined, 'another county is not in 奎文区\'s report');
  assert.deepEqual(kw.programs.tekun, r.counties['370705'].programs.tekun);
  assertError(await other.get('/api/v1/reports/assistance?from=2020-01&to=2020-03&county=370704'), 404, 'not_found');
  assertError(await leader.get('/api/v1/reports/assistance?from=2020-03&to=2020-01'), 400, 'invalid_value', 'to');
  assertError(await leader.get('/api/v1/reports/assistance?to=2020-01'), 400, 'required', 'from');
  const x = await download(leader, '/api/v1/reports/assistance?from=2020-01&to=2020-03&format=xlsx');
  assert.equal(x.status, 200);
  assert.equal(x.buf.subarray(0, 2).toString('latin1'), 'PK');
  const cliJson = JSON.parse(cliOk(['report', 'assistance', '--db', srv.dbPath, '--from', '2020-01', '--to', '2020-03']));
  assert.deepEqual(cliJson.programs, r.programs, 'the CLI reports the same figures');
});

test('the CLI: payroll show and list, and usage errors exit 2', () => {
  const show = cliOk(['payroll', 'show', '--db', srv.dbPath, '--month', '2020-02', '--county', '370704']);
  assert.match(show, /坊子区\t2020-02\t已确认\t低保/);
  assert.match(show, /与上月相比/);
  const list = cliOk(['payroll', 'list', '--db', srv.dbPath, '--month', '2020-01']);
  assert.equal(list.trim().split('\n').length, 2);
  assert.equal(cli(['payroll', 'run', '--db', srv.dbPath]).status, 2);
  assert.equal(cli(['payroll', 'run', '--db', srv.dbPath, '--month', '2020-13']).status, 2);
  const locked = cli(['payroll', 'run', '--db', srv.dbPath, '--month', '2020-01', '--county', '370704']);
  assert.equal(locked.status, 1);
  assert.match(locked.stderr, /已确认/);
  assert.equal(cli(['report', 'assistance', '--db', srv.dbPath]).status, 2);
});

// ---- the crash test -------------------------------------------------------------------------

/** Everything a run decides, in a stable order: what a clean run and a crashed one must share
 * (each payment's persons listed after the payments, by the payment's key, not its id).
 * Returns the last query's lines (payment counts per status) and a SHA-256 of it all. */
async function fingerprint(dbPath, month) {
  const key = 'p.unit_code, p.program, p.case_id, p.month, coalesce(p.reissue_of, 0)';
  const out = await sql(dbPath, `
SELECT r.unit_code, r.status, r.n_payments, r.amount_fen, r.n_reissues, r.reissue_fen FROM payroll_runs r
 WHERE r.month = '${month}' ORDER BY r.unit_code;
SELECT ${key}, p.amount_fen, p.n_persons, p.bank_account, p.status
  FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '${month}' ORDER BY ${key};
SELECT ${key}, pp.person_id FROM payments p JOIN payroll_runs r ON r.id = p.run_id
  JOIN payment_persons pp ON pp.payment_id = p.id WHERE r.month = '${month}' ORDER BY ${key}, pp.person_id;
SELECT status, count(*) FROM payments GROUP BY status ORDER BY status;`);
  const lines = out.trim().split('\n');
  return `${createHash('sha256').update(out).digest('hex')} ${lines.length} lines; ${lines.slice(-4).join(' ')}`;
}

/** After any kill: the month's runs are all there or none, each one whole. */
async function checkConsistent(dbPath, month, { full = false } = {}) {
  // PostgreSQL: the killed command's session first ends (its transaction commits or rolls back)
  await quiesce(dbPath);
  // quick_check after each kill (structure); the full integrity_check (indexes too) at the end
  // (tests/lib/dbcopy.mjs: on PostgreSQL amcheck over every table and index)
  assert.equal(await integrity(dbPath, { quick: !full }), 'ok');
  const runs = Number(sqlite(dbPath, `SELECT count(*) FROM payroll_runs WHERE month = '${month}'`));
  assert.ok(runs === 0 || runs === 16, `all units or none: ${runs}`);
  const torn = sqlite(dbPath, `SELECT r.unit_code FROM payroll_runs r WHERE r.month = '${month}' AND (
      (SELECT count(*) FROM payments p WHERE p.run_id = r.id) <> r.n_payments + r.n_reissues
   OR (SELECT coalesce(sum(amount_fen), 0) FROM payments p WHERE p.run_id = r.id) <> r.amount_fen + r.reissue_fen
   OR (SELECT count(*) FROM payroll_run_totals t WHERE t.run_id = r.id) <> 4)`).trim();
  assert.equal(torn, '', `runs whose payments do not match their figures: ${torn}`);
  const dup = sqlite(dbPath, `SELECT count(*) FROM (SELECT 1 FROM payments WHERE reissue_of IS NULL
      GROUP BY month, program, case_id HAVING count(*) > 1) AS d`).trim();
  assert.equal(dup, '0');
  const dupRe = sqlite(dbPath, `SELECT count(*) FROM (SELECT 1 FROM payments WHERE reissue_of IS NOT NULL
      GROUP BY reissue_of HAVING count(*) > 1) AS d`).trim();
  assert.equal(dupRe, '0');
  return runs;
}

/** Start `payroll run`, SIGKILL it after ms; {killed: true} when it died by the signal. */
function runAndKill(dbPath, month, ms) {
  return new Promise((resolve) => {
    const child = spawn(bin, ['payroll', 'run', '--db', dbPath, '--month', month], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

// (on PostgreSQL the same city takes about ten times as long to compute: a longer limit)
test('kill -9 at random moments, run again: no duplicate, no gap (against a clean run)', { timeout: process.env.MZ_TEST_PG_URL ? 900000 : 300000 }, async () => {
  const t0 = Date.now();
  const { dir, dbPath } = makeDemoDb({ scale: 0.4, seed: 7 });
  let clean;
  try {
    sqlite(dbPath, casesSql(2));
    // January, confirmed, with 40 payments returned by the bank: February re-issues them
    cliOk(['payroll', 'run', '--db', dbPath, '--month', '2020-01']);
    cliOk(['payroll', 'confirm', '--db', dbPath, '--month', '2020-01', '--all']);
    const refs = returnsFile(sqlite(dbPath, 'SELECT id, amount_fen FROM payments WHERE id % 97 = 0 ORDER BY id LIMIT 40'));
    cliOk(['payroll', 'returns', '--db', dbPath, '--file', '-'], { input: refs });
    clean = await snapshot(dbPath, path.join(dir, 'clean.db'));

    // the clean run, timed
    const c0 = Date.now();
    cliOk(['payroll', 'run', '--db', clean, '--month', '2020-02']);
    const T = Date.now() - c0;
    const want = await fingerprint(clean, '2020-02');
    const cases = Number(sqlite(clean, "SELECT count(*) FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '2020-02'"));
    assert.ok(cases > 20000, `a city big enough to kill mid-run: ${cases} payments`);
    assert.match(want, /reissued\|40/, 'the 40 returned payments are re-issued in the clean run');

    // a fresh month, killed at random moments
    let interrupted = 0;
    const delays = [];
    for (let i = 0; i < 6; i++) {
      const ms = Math.round(T * (0.05 + 0.85 * Math.random()));
      delays.push(ms);
      const r = await runAndKill(dbPath, '2020-02', ms);
      if (r.killed) interrupted++;
      const runs = await checkConsistent(dbPath, '2020-02');
      if (runs === 16) break; // it got to commit: the rest is the recompute part below
    }
    cliOk(['payroll', 'run', '--db', dbPath, '--month', '2020-02']);
    await checkConsistent(dbPath, '2020-02', { full: true });
    assert.equal(await fingerprint(dbPath, '2020-02'), want, 'after the kills and a rerun: exactly the clean run');

    // recomputing the drafts, killed at random moments: the drafts stay whole
    let interruptedRe = 0;
    for (let i = 0; i < 4; i++) {
      const r = await runAndKill(dbPath, '2020-02', Math.round(T * (0.05 + 0.9 * Math.random())));
      if (r.killed) interruptedRe++;
      assert.equal(await checkConsistent(dbPath, '2020-02'), 16);
      assert.equal(await fingerprint(dbPath, '2020-02'), want, 'a killed recompute leaves the draft as it was');
    }
    await checkConsistent(dbPath, '2020-02', { full: true });
    // a kill may land after a run has finished (the delays are drawn from a clean run's time,
    // and a slower build or a busier machine shifts them): at least one must have landed mid-run
    assert.ok(interrupted + interruptedRe >= 1, `kills that landed mid-run: ${interrupted} + ${interruptedRe} (delays ${delays.join(', ')} ms of ${T} ms)`);
    if (process.env.MZ_CRASH_VERBOSE) console.error(`crash test: ${cases} payments, clean run ${T} ms, kills at ${delays.join(', ')} ms: ${interrupted} + ${interruptedRe} interrupted, ${Date.now() - t0} ms in all`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (clean) await removeDb(clean);
    pgDropDb(dbPath);
  }
});
