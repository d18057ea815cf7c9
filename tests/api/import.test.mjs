// import.test.mjs — the households import through the API and the CLI with the messy sample files
// of tests/fixtures/import/ (UTF-8 with BOM, blank lines, trailing spaces, full-width digits,
// quoted commas, 1.23457E+17, a wrong check digit, an ID twice; GB18030 with CRLF; .xlsx with a
// merged title row and a header cell merged over two rows).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cli, makeDemoDb, pgDropDb, repoRoot, sqlite, startServer } from '../lib/server.mjs';

const fixture = (name) => readFileSync(path.join(repoRoot, 'tests/fixtures/import', name));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The UTC date n years ago, YYYY-MM-DD (SQLite's date('now', '-n years'), on either engine). */
function yearsAgo(n) {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - n);
  return d.toISOString().slice(0, 10);
}

let srv, admin, township;
before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  township = await srv.login('township_370704008');
});
after(async () => srv && srv.stop());

const persons = () => Number(sqlite(srv.dbPath, 'SELECT count(*) FROM persons').trim());
const upload = (client, name, query) =>
  client.raw('POST', `/api/v1/imports?${query}`, { rawBody: fixture(name), headers: { 'Content-Type': 'text/csv' } });

test('the template is an .xlsx with the header row', async () => {
  const res = await admin.raw('GET', '/api/v1/imports/template?kind=households');
  assertStatus(res, 200);
  assert.equal(res.headers.get('content-type'), XLSX);
  assert.ok(res.text.startsWith('PK'));
  assertError(await admin.raw('GET', '/api/v1/imports/template?kind=pets'), 404, 'unknown_kind');
});

test('a dry run of the messy CSV counts rows, gives each rejected row its reason, and changes nothing', async () => {
  const before_ = persons();
  const r = assertStatus(await upload(admin, 'households_messy.csv', 'kind=households&dry_run=1'), 200);
  assert.equal(r.format, 'csv-utf8');
  assert.equal(r.dry_run, true);
  // 8 person rows (blank lines and the ",,,," line are not rows); A1 has 3, A2 1 (its spouse
  // is 1.23457E+17), A3 a wrong check digit, A4 repeats A1's head, A5 one → 5 accepted in 3 households
  assert.deepEqual([r.rows, r.accepted, r.rejected, r.skipped, r.households], [8, 5, 3, 0, 3]);
  assert.deepEqual(r.rejects.map((x) => [x.line, x.column]), [[8, '身份证号'], [9, '身份证号'], [10, '身份证号']]);
  assert.match(r.rejects[0].reason, /科学计数法.*文本/);
  assert.match(r.rejects[1].reason, /校验位/);
  assert.match(r.rejects[2].reason, /与第 2 行重复/);
  assert.equal(persons(), before_);
});

test('the rejected rows download as .xlsx and the download is audited', async () => {
  const res = await admin.raw('POST', '/api/v1/imports/rejects?kind=households', { rawBody: fixture('households_messy.csv'), headers: { 'Content-Type': 'text/csv' } });
  assertStatus(res, 200);
  assert.equal(res.headers.get('content-type'), XLSX);
  assert.ok(res.text.startsWith('PK'));
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'import.rejects'").trim(), '1');
});

test('committing imports the accepted rows, normalised; importing the same file again changes nothing', async () => {
  const before_ = persons();
  const r = assertStatus(await upload(admin, 'households_messy.csv', 'kind=households'), 200);
  assert.deepEqual([r.accepted, r.rejected, r.households], [5, 3, 3]);
  assert.equal(persons(), before_ + 5);
  // trailing spaces trimmed, full-width digits made ASCII, the quoted comma kept, 户主 → head
  const row = sqlite(srv.dbPath, "SELECT p.name, p.relation, p.region_code, h.address FROM persons p JOIN households h ON h.id = p.household_id WHERE p.name IN ('张伟', '王强') AND p.id_number LIKE '3707021980%' OR p.id_number LIKE '3707021970%' AND p.name = '王强' ORDER BY p.name").trim().split('\n');
  assert.deepEqual(row, ['张伟|head|370702001001|曹家巷 1 号, 东单元', '王强|head|370702001002|增福堂 "南" 院']);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM persons WHERE name = '李娜' AND id_number = '370702198202020028'").trim(), '1');
  const again = assertStatus(await upload(admin, 'households_messy.csv', 'kind=households'), 200);
  assert.deepEqual([again.accepted, again.rejected, again.skipped, again.households], [0, 3, 5, 0]);
  assert.equal(persons(), before_ + 5);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});

test('a GB18030 CSV and an .xlsx with merged header cells import', async () => {
  const gb = assertStatus(await upload(admin, 'households_gb18030.csv', 'kind=households'), 200);
  assert.equal(gb.format, 'csv-gb');
  assert.deepEqual([gb.accepted, gb.rejected], [2, 0]);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM persons WHERE name IN ('欧阳修', '薛涛')").trim(), '2');
  const x = assertStatus(await upload(admin, 'households_merged.xlsx', 'kind=households'), 200);
  assert.equal(x.format, 'xlsx');
  // the title row is not the header; the second header row (地址 merged down) is not a person
  assert.deepEqual([x.rows, x.accepted, x.rejected], [2, 2, 0]);
});

test('rows outside the importer\'s scope are rejected, not imported', async () => {
  const before_ = persons();
  const r = assertStatus(await upload(township, 'households_gb18030.csv', 'kind=households'), 200);
  assert.equal(r.accepted, 0);
  // already registered in another county: the township must not learn more than that
  assert.ok(r.rejects.every((x) => /管辖范围/.test(x.reason)), JSON.stringify(r.rejects));
  assert.equal(persons(), before_);
});

test('bad requests: no kind, unknown kind, empty body, a file without the columns', async () => {
  assertError(await admin.raw('POST', '/api/v1/imports', { rawBody: 'a,b\n1,2\n' }), 400, 'required', 'kind');
  assertError(await admin.raw('POST', '/api/v1/imports?kind=pets', { rawBody: 'a,b\n1,2\n' }), 404, 'unknown_kind');
  assertError(await admin.raw('POST', '/api/v1/imports?kind=households', { rawBody: '' }), 400, 'required');
  const res = await admin.raw('POST', '/api/v1/imports?kind=households', { rawBody: '姓名,身份证号\n张三,1\n' });
  assertError(res, 400, 'missing_column');
  assert.match(res.json.error.message, /户编号/);
});

test('CLI: last line counts persons, --rejects writes the workbook, --dry-run and --region', () => {
  const { dir, dbPath } = makeDemoDb();
  try {
    const file = path.join(repoRoot, 'tests/fixtures/import/households_messy.csv');
    const count = () => sqlite(dbPath, 'SELECT count(*) FROM persons').trim();
    const n0 = count();
    // the template (header and one example row) imports as it is
    const tpl = path.join(dir, 'template.xlsx');
    assert.equal(cli(['import', 'template', 'households', '--out', tpl, '--db', dbPath]).status, 0);
    let r = cli(['import', 'households', tpl, '--db', dbPath, '--dry-run']);
    assert.equal(r.stdout.trim().split('\n').at(-1), 'accepted 1, rejected 0');
    r = cli(['import', 'households', file, '--db', dbPath, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').at(-1), 'accepted 5, rejected 3');
    assert.equal(r.stderr, ''); // no progress bar when stderr is not a terminal
    assert.equal(count(), n0);
    // only 370702001001: A1's three persons; the other villages' rows are out of scope
    r = cli(['import', 'households', file, '--db', dbPath, '--region', '370702001001', '--rejects', path.join(dir, 'rej.xlsx')]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').at(-1), 'accepted 3, rejected 5');
    assert.ok(existsSync(path.join(dir, 'rej.xlsx')));
    assert.ok(readFileSync(path.join(dir, 'rej.xlsx')).subarray(0, 2).toString() === 'PK');
    assert.equal(Number(count()), Number(n0) + 3);
    // the rejects workbook reads back in: its rows as they were, the two extra columns ignored;
    // with the whole city's scope two of them pass, the broken IDs still fail, A4's ID is now registered
    r = cli(['import', 'households', path.join(dir, 'rej.xlsx'), '--db', dbPath, '--dry-run']);
    assert.equal(r.stdout.trim().split('\n').at(-1), 'accepted 2, rejected 2');
    r = cli(['import', 'households', file, '--db', dbPath]);
    assert.equal(r.stdout.trim().split('\n').at(-1), 'accepted 2, rejected 3');
    assert.equal(Number(count()), Number(n0) + 5);
    r = cli(['import', 'households', path.join(dir, 'missing.csv'), '--db', dbPath]);
    assert.equal(r.status, 1);
    r = cli(['import', 'households', '--db', dbPath]);
    assert.equal(r.status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    pgDropDb(dbPath);
  }
});

test('institutions: template, dry run, commit, the same file again skipped, CLI --region', async () => {
  const tpl = await admin.raw('GET', '/api/v1/imports/template?kind=institutions');
  assertStatus(tpl, 200);
  assert.equal(tpl.headers.get('content-type'), XLSX);
  const count = () => Number(sqlite(srv.dbPath, 'SELECT count(*) FROM institutions').trim());
  const csv = '机构名称,机构类型,区划代码,床位数,在院人数,开办日期\n'
    + '导入测试敬老院,养老机构,370702001001,100,80,2015-06-01\n'
    + '导入测试敬老院,养老机构,370702001001,100,80,2015-06-01\n' // twice in the file
    + '导入测试站,没有这种类型,370702001001,,,\n';
  const post = (q) => admin.raw('POST', `/api/v1/imports?${q}`, { rawBody: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' } });
  const n0 = count();
  let r = assertStatus(await post('kind=institutions&dry_run=1'), 200);
  assert.deepEqual([r.rows, r.accepted, r.rejected, r.skipped], [3, 1, 2, 0]);
  assert.deepEqual(r.rejects.map((x) => [x.line, x.column]), [[3, '机构名称'], [4, '机构类型']]);
  assert.match(r.rejects[0].reason, /与第 2 行重复/);
  assert.equal(count(), n0);
  r = assertStatus(await post('kind=institutions'), 200);
  assert.equal(r.accepted, 1);
  assert.equal(count(), n0 + 1);
  r = assertStatus(await post('kind=institutions'), 200);
  assert.deepEqual([r.accepted, r.skipped], [0, 1]);
  assert.equal(count(), n0 + 1);

  const { dir, dbPath } = makeDemoDb();
  try {
    const file = path.join(dir, 'inst.xlsx');
    assert.equal(cli(['import', 'template', 'institutions', '--out', file, '--db', dbPath]).status, 0);
    let c = cli(['import', 'institutions', file, '--db', dbPath, '--dry-run']);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 1, rejected 0');
    c = cli(['import', 'institutions', file, '--db', dbPath, '--region', '370702002']);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 0, rejected 1');
    c = cli(['import', 'institutions', file, '--db', dbPath]);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 1, rejected 0');
    c = cli(['import', 'institutions', file, '--db', dbPath]);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 0, rejected 0');
    assert.match(c.stdout, /skipped 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    pgDropDb(dbPath);
  }
});

test('ledger: CLI dry run, commit, the same file again skipped, an unregistered ID rejected; template through the API', async () => {
  const tpl = await admin.raw('GET', '/api/v1/imports/template?kind=ledger');
  assertStatus(tpl, 200);
  assert.equal(tpl.headers.get('content-type'), XLSX);
  const { dir, dbPath } = makeDemoDb();
  try {
    const id = sqlite(dbPath, "SELECT id_number FROM persons WHERE status = 'active' AND id NOT IN (SELECT person_id FROM ledger_entries) ORDER BY id LIMIT 1").trim();
    const active = () => Number(sqlite(dbPath, "SELECT count(*) FROM ledger_entries WHERE status = 'active'").trim());
    const file = path.join(dir, 'ledger.csv');
    writeFileSync(file, `id_number,categories,note\n${id},独居老人,导入\n110101199003070011,独居老人,\n`);
    const n0 = active();
    let c = cli(['import', 'ledger', file, '--db', dbPath, '--dry-run']);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 1, rejected 1');
    assert.match(c.stdout, /第 3 行：该身份证号未在户籍中登记/);
    assert.equal(active(), n0);
    c = cli(['import', 'ledger', file, '--db', dbPath]);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 1, rejected 1');
    assert.equal(active(), n0 + 1);
    c = cli(['import', 'ledger', file, '--db', dbPath]);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 0, rejected 1');
    assert.match(c.stdout, /skipped 1/);
    assert.equal(active(), n0 + 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    pgDropDb(dbPath);
  }
});

test('assistance rolls: CLI dry run, commit, the same file again skipped; child allowances by the parents\' circumstances; template through the API', async () => {
  const tpl = await admin.raw('GET', '/api/v1/imports/template?kind=assistance');
  assertStatus(tpl, 200);
  assert.equal(tpl.headers.get('content-type'), XLSX);
  const { dir, dbPath } = makeDemoDb();
  try {
    // a household head without any case (the demo is made without assistance), and two children
    const id = sqlite(dbPath, "SELECT id_number FROM persons WHERE status = 'active' AND relation = 'head' AND household_id NOT IN (SELECT household_id FROM assistance_cases) ORDER BY id LIMIT 1").trim();
    const [kid1, kid2] = sqlite(dbPath, `SELECT id_number FROM persons WHERE status = 'active' AND birth_date > '${yearsAgo(16)}' AND birth_date < '${yearsAgo(3)}' ORDER BY id LIMIT 2`).trim().split('\n');
    const active = () => Number(sqlite(dbPath, "SELECT count(*) FROM assistance_cases WHERE status = 'active'").trim());
    const file = path.join(dir, 'roll.csv');
    writeFileSync(file, 'program,id_number,start_month,monthly_amount,bank_account,养育方式,父亲情况,母亲情况\n'
      + `低保,${id},2019-05,620.00,6222000000000009,,,\n`
      + `孤儿,${kid1},2019-05,1200,,,,\n` // no parents given
      + `孤儿,${kid1},2019-05,1200,6222000000000011,散居,死亡,死亡、失联\n` // both dead: an orphan
      + `事实无人抚养儿童,${kid2},2020-02,950,6222000000000012,散居,健在,服刑在押\n` // the father can raise the child
      + `事实无人抚养儿童,${kid2},2020-02,950,6222000000000012,散居,出国,重病\n`); // a word the roll does not know
    const n0 = active();
    let c = cli(['import', 'assistance', file, '--db', dbPath, '--dry-run']);
    assert.equal(c.status, 0, c.stderr);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 2, rejected 3', c.stdout);
    assert.match(c.stdout, /第 3 行：孤儿、事实无人抚养儿童须填写父亲情况和母亲情况/);
    assert.match(c.stdout, /第 5 行：.*仍有抚养能力/);
    assert.match(c.stdout, /第 6 行：父母情况“出国”无法识别/);
    assert.equal(active(), n0);
    c = cli(['import', 'assistance', file, '--db', dbPath]);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 2, rejected 3');
    assert.equal(active(), n0 + 2);
    assert.equal(sqlite(dbPath, "SELECT start_month || ' ' || monthly_amount_fen FROM assistance_cases WHERE program = 'dibao' ORDER BY id DESC LIMIT 1").trim(), '2019-05 62000');
    assert.equal(sqlite(dbPath, `SELECT program || ' ' || child_placement || ' ' || monthly_amount_fen FROM assistance_cases WHERE person_id = (SELECT id FROM persons WHERE id_number = '${kid1}')`).trim(), 'orphan scattered 120000');
    c = cli(['import', 'assistance', file, '--db', dbPath]);
    assert.equal(c.stdout.trim().split('\n').at(-1), 'accepted 0, rejected 3');
    assert.match(c.stdout, /skipped 2/);
    assert.equal(active(), n0 + 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    pgDropDb(dbPath);
  }
});

/* A households CSV of n persons (one per household) in township 370704008's first village, with
 * valid ID numbers; bad = how many rows get a wrong check digit. */
function bigCsv(n, bad, tag) {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const check = (b) => '10X98765432'[[...b].reduce((s, c, i) => s + Number(c) * W[i], 0) % 11];
  const village = sqlite(srv.dbPath, "SELECT min(code) FROM regions WHERE level = 5 AND code LIKE '370704008%'").trim();
  const lines = ['户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话'];
  for (let i = 0; i < n; i++) {
    // distinct IDs: the year and month carry i / 1000, the sequence i % 1000
    const seq = String(i).padStart(6, '0');
    const base = `110102${1940 + Math.floor(i / 12000)}${String(1 + (Math.floor(i / 1000) % 12)).padStart(2, '0')}15${String(i % 1000).padStart(3, '0')}`;
    const id = base + (i < bad ? (check(base) === '1' ? '2' : '1') : check(base));
    lines.push(`${tag}${seq},${village},大文件测试路 ${i} 号,农村,${id},大文件${tag}${seq},户主,`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

async function runJob(client, uploadId, dry) {
  let job = assertStatus(await client.post(`/api/v1/imports/uploads/${uploadId}/run${dry ? '?dry_run=1' : ''}`, {}), 202);
  for (let i = 0; i < 600 && job.status !== 'done' && job.status !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    job = assertStatus(await client.get(`/api/v1/jobs/${job.id}`), 200);
  }
  return job;
}

test('a file over 1 MiB: uploaded, checked and imported by a job with progress; its rejects download; a second commit is refused', async () => {
  const csv = bigCsv(14000, 3, 'B');
  assert.ok(csv.length > (1 << 20), `the file is ${csv.length} bytes`);
  // the direct route keeps its 1 MiB limit
  assertError(await admin.raw('POST', '/api/v1/imports?kind=households&dry_run=1', { rawBody: csv, headers: { 'Content-Type': 'text/csv' } }), 413, 'body_too_large');

  const up = assertStatus(await admin.raw('POST', '/api/v1/imports/uploads?kind=households&name=big.csv', { rawBody: csv, headers: { 'Content-Type': 'text/csv' } }), 201);
  assert.equal(up.size, csv.length);
  const before_ = persons();
  const dry = await runJob(admin, up.id, true);
  assert.equal(dry.status, 'done', JSON.stringify(dry.error));
  assert.equal(dry.kind, 'import.file');
  assert.deepEqual([dry.done, dry.total], [dry.total, dry.total], 'progress ends at the total');
  assert.ok(dry.total > 0);
  const r = dry.result;
  assert.deepEqual([r.rows, r.accepted, r.rejected, r.dry_run, r.upload_id], [14000, 13997, 3, true, up.id]);
  assert.equal(persons(), before_, 'a dry run changes nothing');

  const rej = await admin.raw('GET', `/api/v1/imports/uploads/${up.id}/rejects`);
  assertStatus(rej, 200);
  assert.equal(rej.headers.get('content-type'), XLSX);
  assert.ok(rej.text.startsWith('PK'));
  // someone else's upload is not there for them
  assertError(await township.raw('GET', `/api/v1/imports/uploads/${up.id}/rejects`), 404, 'not_found');
  assertError(await township.post(`/api/v1/imports/uploads/${up.id}/run?dry_run=1`, {}), 404, 'not_found');

  const done = await runJob(admin, up.id, false);
  assert.equal(done.status, 'done', JSON.stringify(done.error));
  assert.equal(done.result.accepted, 13997);
  assert.equal(persons(), before_ + 13997);
  const again = await runJob(admin, up.id, false);
  assert.equal(again.status, 'failed');
  assert.equal(again.error.code, 'already_imported');
  assert.equal(persons(), before_ + 13997);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action = 'import.upload'").trim(), '1');
});

test('uploads: unknown kind 404, empty 400, over 32 MiB 413', async () => {
  assertError(await admin.raw('POST', '/api/v1/imports/uploads?kind=pets', { rawBody: Buffer.from('a,b\n'), headers: { 'Content-Type': 'text/csv' } }), 404, 'unknown_kind');
  assertError(await admin.raw('POST', '/api/v1/imports/uploads?kind=households', { rawBody: Buffer.alloc(0), headers: { 'Content-Type': 'text/csv' } }), 400, 'required');
  assertError(await admin.raw('POST', '/api/v1/imports/uploads?kind=households', { rawBody: Buffer.alloc((32 << 20) + 1, 0x41), headers: { 'Content-Type': 'text/csv' } }), 413, 'body_too_large');
});
