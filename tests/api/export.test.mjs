// export.test.mjs — docs/export.md: every list as .xlsx or CSV. Exports show exactly what the JSON
// list shows (scope, masking, filters), are audited (export.<list> with the filter), CSV is UTF-8
// with a BOM or GB18030, and an exported .xlsx opens in LibreOffice with the expected cell values.
// Encrypted exports (X-Export-Passphrase) are AES-256 ZIPs that `minzheng unzip-export` opens, and
// no export of any list shows a full ID number or mobile number to a user who did not unmask.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cli, sqlite, startServer } from '../lib/server.mjs';

const TOWNSHIP = '370704008'; // 太保庄街道
let srv, admin, county, town, leader;

/** GET path as bytes: {status, type, disposition, bytes}. */
async function download(client, p, headers = {}) {
  const res = await fetch(srv.url + p, { headers: { ...client.headers('GET'), ...headers } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes };
}

/** RFC 4180 CSV text (after the BOM) → rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function csvRows(client, p) {
  const r = await download(client, p);
  assert.equal(r.status, 200, `GET ${p}: ${r.bytes.toString('utf8').slice(0, 300)}`);
  assert.match(r.type, /^text\/csv; charset=utf-8/);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 CSV starts with a BOM');
  const text = r.bytes.subarray(3).toString('utf8');
  assert.ok(text.endsWith('\r\n'), 'lines end with CRLF');
  return parseCsv(text);
}

const exportRows = (action) =>
  sqlite(srv.dbPath, `SELECT user_name || '|' || detail FROM audit_log WHERE action = '${action}' ORDER BY id;`).trim().split('\n').filter(Boolean);

before(async () => {
  srv = await startServer();
  [admin, county, town, leader] = await Promise.all([
    srv.login('admin'), srv.login('county_370704'), srv.login('township_370704008'), srv.login('leader'),
  ]);
});

after(async () => {
  if (srv) await srv.stop();
});

test("a township's person export holds exactly its JSON list: its rows only", async () => {
  const json = assertStatus(await town.get('/api/v1/persons?limit=1'), 200);
  const rows = await csvRows(town, '/api/v1/persons?format=csv');
  assert.deepEqual(rows[0].slice(0, 4), ['姓名', '身份证号', '性别', '出生日期']);
  const regionCol = rows[0].indexOf('区划代码');
  assert.equal(rows.length - 1, json.total, 'one line per person of the JSON total');
  for (const r of rows.slice(1)) assert.ok(r[regionCol].startsWith(TOWNSHIP), `row in scope: ${r[regionCol]}`);
  const cityTotal = assertStatus(await admin.get('/api/v1/persons?limit=1'), 200).total;
  assert.ok(cityTotal > json.total, 'the city sees more through the same filter-less list');
});

test('an export runs over every page of the list (more rows than one page holds)', async () => {
  const json = assertStatus(await county.get('/api/v1/persons?limit=1'), 200);
  assert.ok(json.total > 200, `more than one page of 200 (${json.total})`);
  const rows = await csvRows(county, '/api/v1/persons?format=csv');
  assert.equal(rows.length - 1, json.total);
  const regionCol = rows[0].indexOf('区划代码');
  for (const r of rows.slice(1)) assert.ok(r[regionCol].startsWith('370704'));
  const idCol = rows[0].indexOf('身份证号');
  const ids = rows.slice(1).map((r) => r[0] + r[idCol] + r[regionCol] + r[rows[0].indexOf('户编号')]);
  assert.ok(new Set(ids).size > rows.length * 0.95, 'pages are not repeated');
});

test('filters narrow the export as they narrow the list, and the audit row carries them', async () => {
  const region = `${TOWNSHIP}001`;
  const json = assertStatus(await county.get(`/api/v1/persons?region=${region}&limit=200`), 200);
  assert.ok(json.total > 5 && json.total <= 200, `the demo village has persons (${json.total})`);
  const before = exportRows('export.persons').length;
  const rows = await csvRows(county, `/api/v1/persons?region=${region}&format=csv&limit=5&offset=3`);
  assert.equal(rows.length - 1, json.total, 'paging parameters are ignored: the export is the whole list');
  assert.deepEqual(rows.slice(1).map((r) => r[0]), json.items.map((p) => p.name));
  const audit = exportRows('export.persons');
  assert.equal(audit.length, before + 1, 'one audit row per export');
  const [user, detail] = audit.at(-1).split('|');
  assert.equal(user, 'county_370704');
  assert.deepEqual(JSON.parse(detail), { format: 'csv', encoding: 'utf-8', rows: json.total, filter: `region=${region}`, encrypted: false });
});

test('person exports mask ID numbers and phones like the search list, even with ?unmask=1', async () => {
  const region = `${TOWNSHIP}001`;
  for (const q of ['', '&unmask=1']) {
    const rows = await csvRows(county, `/api/v1/persons?region=${region}&format=csv${q}`);
    assert.ok(rows.length > 5);
    const idCol = rows[0].indexOf('身份证号'), phoneCol = rows[0].indexOf('联系电话');
    for (const r of rows.slice(1)) {
      assert.match(r[idCol], /^\d{6}\*{8}\d{3}[\dX]$/, 'ID masked');
      assert.ok(r[phoneCol] === '' || /\*{4}/.test(r[phoneCol]), `phone masked: ${r[phoneCol]}`);
    }
  }
});

const auditCount = (action) => Number(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = '${action}';`).trim());

test('phones in an export are full only with unmask=1 and registry.unmask, and that read is audited', async () => {
  const masked = await csvRows(county, '/api/v1/institutions/calls?format=csv');
  const phoneCol = masked[0].indexOf('联系电话');
  assert.ok(masked.length > 1, 'the demo has institutions without a report today');
  for (const r of masked.slice(1)) assert.ok(r[phoneCol] === '' || /^\d{3}\*{4}\d{4}$/.test(r[phoneCol]), r[phoneCol]);

  const unmaskBefore = auditCount('institution.unmask');
  const full = await csvRows(county, '/api/v1/institutions/calls?format=csv&unmask=1');
  assert.equal(full.length, masked.length);
  assert.ok(full.slice(1).some((r) => /^1\d{10}$/.test(r[phoneCol])), 'full mobile numbers');
  assert.ok(auditCount('institution.unmask') > unmaskBefore, 'the unmasked read is audited');
  assert.match(exportRows('export.institution_calls').at(-1), /^county_370704\|.*"filter":"unmask=1"/);

  // The leader may not unmask: 403, no file, no export audit row.
  const n = auditCount('export.institution_calls');
  assertError(await leader.get('/api/v1/institutions/calls?format=csv&unmask=1'), 403, 'forbidden');
  assert.equal(auditCount('export.institution_calls'), n);
});

test('GB18030 CSV has no BOM and encodes the Chinese header in GB18030', async () => {
  const r = await download(town, '/api/v1/persons?format=csv&encoding=gb18030');
  assert.equal(r.status, 200);
  assert.match(r.type, /charset=GB18030/i);
  assert.deepEqual([...r.bytes.subarray(0, 4)], [0xd0, 0xd5, 0xc3, 0xfb], '姓名 in GB18030');
  const text = new TextDecoder('gb18030').decode(r.bytes);
  assert.match(exportRows('export.persons').at(-1), /"encoding":"gb18030"/);
  const utf8 = await csvRows(town, '/api/v1/persons?format=csv');
  assert.deepEqual(parseCsv(text), utf8, 'same rows as the UTF-8 file');
});

test('a bad format or encoding is refused with a Chinese message, nothing audited', async () => {
  const n = exportRows('export.persons').length;
  assertError(await town.get('/api/v1/persons?format=pdf'), 400, 'invalid_value', 'format');
  assertError(await town.get('/api/v1/persons?format=csv&encoding=latin1'), 400, 'invalid_value', 'encoding');
  assert.equal(exportRows('export.persons').length, n);
  assert.equal(assertStatus(await town.get('/api/v1/persons?format=json&limit=1'), 200).items.length, 1);
});

// Every list route the UI shows takes format=csv|xlsx; each answers a file whose rows match the
// JSON total and writes its own audit action.
const LISTS = [
  ['/api/v1/persons', 'persons'],
  ['/api/v1/assistance/cases', 'assistance_cases'],
  ['/api/v1/relief/grants', 'relief_grants'],
  ['/api/v1/price/subsidies', 'price_subsidies'],
  ['/api/v1/ledger/entries', 'ledger_entries'],
  ['/api/v1/ledger/overdue', 'ledger_overdue'],
  ['/api/v1/institutions', 'institutions'],
  ['/api/v1/institutions/calls', 'institution_calls'],
  ['/api/v1/rectifications', 'rectifications'],
  ['/api/v1/rectifications/overdue', 'rectifications_overdue'],
  ['/api/v1/hotline/calls', 'hotline_calls'],
  ['/api/v1/hotline/cases', 'hotline_cases'],
  ['/api/v1/rescue/intakes', 'rescue_intakes'],
];

test('every exportable list answers CSV and xlsx with its JSON total, audited per list', async () => {
  for (const [route, list] of LISTS) {
    const json = assertStatus(await county.get(`${route}?limit=1`), 200, route);
    const rows = await csvRows(county, `${route}?format=csv`);
    assert.equal(rows.length - 1, json.total, `${route}: rows = JSON total`);
    assert.ok(rows[0].every((h) => /\p{Script=Han}/u.test(h)), `${route}: Chinese headers ${rows[0]}`);
    const x = await download(county, `${route}?format=xlsx`);
    assert.equal(x.status, 200, route);
    assert.equal(x.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(x.bytes.subarray(0, 2).toString(), 'PK', `${route}: a zip`);
    assert.match(x.disposition, /attachment/);
    const audit = exportRows(`export.${list}`);
    assert.equal(audit.length >= 2, true, `${route}: export.${list} audited`);
    assert.match(audit.at(-1), /^county_370704\|\{"format":"xlsx"/);
  }
  const v = auditVerify(srv.dbPath);
  assert.equal(v.ok ?? true, true);
});

// The remaining lists the UI shows (issue 7): same checks, each with its own audit action.
const MORE_LISTS = [
  ['/api/v1/payroll/runs', 'payroll_runs'],
  ['/api/v1/assistance/reviews-due', 'assistance_reviews_due'],
  ['/api/v1/assistance/held-exits', 'assistance_held_exits'],
  ['/api/v1/assistance/notices', 'assistance_notices'],
  ['/api/v1/relief/overdue', 'relief_overdue'],
  ['/api/v1/relief/reserves', 'relief_reserves'],
  ['/api/v1/relief/needs', 'relief_needs'],
  ['/api/v1/inspections', 'inspections'],
  ['/api/v1/inspection-teams', 'inspection_teams'],
  ['/api/v1/hotline/tasks', 'hotline_tasks'],
  ['/api/v1/rescue/stations', 'rescue_stations'],
  ['/api/v1/rescue/patrols', 'rescue_patrols'],
  ['/api/v1/duty/rosters', 'duty_rosters'],
  ['/api/v1/duty/handovers', 'duty_handovers'],
  ['/api/v1/institutions/alerts', 'institution_alerts'],
  ['/api/v1/price/indices', 'price_indices'],
];

test('the remaining lists export CSV and xlsx with their JSON total, audited per list', async () => {
  for (const [route, list] of MORE_LISTS) {
    const json = assertStatus(await admin.get(`${route}?limit=1`), 200, route);
    const rows = await csvRows(admin, `${route}?format=csv`);
    assert.equal(rows.length - 1, json.total, `${route}: rows = JSON total`);
    assert.ok(rows[0].every((h) => /\p{Script=Han}/u.test(h)), `${route}: Chinese headers ${rows[0]}`);
    const gb = await download(admin, `${route}?format=csv&encoding=gb18030`);
    assert.equal(gb.status, 200, route);
    assert.match(gb.type, /charset=GB18030/i);
    const x = await download(admin, `${route}?format=xlsx`);
    assert.equal(x.status, 200, route);
    assert.equal(x.type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(x.bytes.subarray(0, 2).toString(), 'PK', `${route}: a zip`);
    assert.match(x.disposition, /attachment/);
    const audit = exportRows(`export.${list}`);
    assert.equal(audit.length, 3, `${route}: export.${list} audited once per export`);
    assert.match(audit.at(-1), /^admin\|\{"format":"xlsx"/);
  }
  // A scoped user's export holds only what its JSON list holds.
  for (const route of ['/api/v1/relief/reserves', '/api/v1/assistance/reviews-due', '/api/v1/inspections']) {
    const json = assertStatus(await town.get(`${route}?limit=1`), 200, route);
    const rows = await csvRows(town, `${route}?format=csv`);
    assert.equal(rows.length - 1, json.total, `${route}: township rows = its JSON total`);
  }
  const v = auditVerify(srv.dbPath);
  assert.equal(v.ok ?? true, true);
});

test('an exported .xlsx opens in LibreOffice with the list values, money as 0.00 and real dates', async (t) => {
  const which = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
  if (which.error) return t.skip('LibreOffice (soffice) is not installed');
  const list = '/api/v1/persons?region=370704008001';
  const json = assertStatus(await admin.get(`${list}&limit=200`), 200);
  assert.ok(json.total > 0 && json.total <= 200, `village persons: ${json.total}`);
  const x = await download(admin, `${list}&format=xlsx`);
  assert.equal(x.status, 200);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-export-'));
  try {
    const file = path.join(dir, 'persons.xlsx');
    writeFileSync(file, x.bytes);
    const r = spawnSync('soffice', [
      `-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless',
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', path.join(dir, 'out'), file,
    ], { encoding: 'utf8', timeout: 120000, env: { ...process.env, HOME: dir } });
    assert.equal(r.status, 0, `soffice: ${r.stderr}`);
    assert.deepEqual(readdirSync(path.join(dir, 'out')), ['persons.csv']);
    const text = readFileSync(path.join(dir, 'out', 'persons.csv'), 'utf8').replace(/\r?\n/g, '\r\n');
    const rows = parseCsv(text);
    const head = rows[0];
    assert.deepEqual(head, ['姓名', '身份证号', '性别', '出生日期', '年龄', '与户主关系', '联系电话', '区划代码', '户编号', '月收入（元）', '状态']);
    assert.equal(rows.length - 1, json.total);
    const col = (name) => head.indexOf(name);
    const SEX = { male: '男', female: '女' };
    json.items.forEach((p, i) => {
      const row = rows[i + 1];
      assert.equal(row[col('姓名')], p.name);
      assert.equal(row[col('身份证号')], p.id_number, 'masked ID kept as text');
      assert.equal(row[col('性别')], SEX[p.sex], 'codes shown as the UI labels');
      assert.equal(row[col('出生日期')], p.birth_date, 'a real date shown yyyy-mm-dd');
      assert.equal(row[col('年龄')], p.age === null ? '' : String(p.age));
      assert.equal(row[col('区划代码')], p.region_code, 'a code stays text (no 3.7e11)');
      assert.equal(row[col('户编号')], String(p.household_id));
      assert.equal(row[col('月收入（元）')], (p.monthly_income_fen / 100).toFixed(2), 'money as yuan with 0.00');
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- encrypted exports -------------------------------------------------------------------------

/** The entries of a ZIP from its central directory: [{name, method, flags, extra, data}] where
 * data is the stored bytes (inflated when deflated and not encrypted). */
function zipEntries(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a ZIP end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'a central directory entry');
    const flags = buf.readUInt16LE(p + 8), method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, 'a local file header');
    const lmethod = buf.readUInt16LE(local + 8);
    const lnlen = buf.readUInt16LE(local + 26), lxlen = buf.readUInt16LE(local + 28);
    const extra = buf.subarray(local + 30 + lnlen, local + 30 + lnlen + lxlen);
    const raw = buf.subarray(local + 30 + lnlen + lxlen, local + 30 + lnlen + lxlen + csize);
    const data = flags & 1 ? raw : method === 8 ? zlib.inflateRawSync(raw) : raw;
    out.push({ name, method, lmethod, flags, extra, data });
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

/** All the text of an .xlsx (every XML part), for searching. */
const xlsxText = (buf) => zipEntries(buf).map((e) => e.data.toString('utf8')).join('\n');

const PASS = '民政局 export 2020!';
const passHeader = (p) => ({ 'X-Export-Passphrase': encodeURIComponent(p) });

/** `minzheng unzip-export` of bytes with passphrase; {status, stderr, stdout, dir, files}. */
function unzipExport(bytes, passphrase, dir) {
  const zip = path.join(dir, 'in.zip'), pf = path.join(dir, 'pass.txt'), outDir = path.join(dir, 'out');
  writeFileSync(zip, bytes);
  writeFileSync(pf, passphrase + '\n', { mode: 0o600 });
  rmSync(outDir, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', outDir]);
  const r = cli(['unzip-export', '--from', zip, '--to', outDir, '--passphrase-file', pf]);
  return { ...r, out: outDir, files: readdirSync(outDir) };
}

test('an export with X-Export-Passphrase is an AES-256 ZIP holding the workbook, audited as encrypted', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-export-enc-'));
  try {
    const n = exportRows('export.persons').length;
    const r = await download(town, '/api/v1/persons?format=xlsx', passHeader(PASS));
    assert.equal(r.status, 200, r.bytes.toString('utf8').slice(0, 300));
    assert.equal(r.type, 'application/zip');
    assert.match(r.disposition, /filename\*=UTF-8''%E4%BA%BA%E5%91%98%E5%90%8D%E5%86%8C\.xlsx\.zip$/, '人员名册.xlsx.zip');
    const [entry, ...more] = zipEntries(r.bytes);
    assert.equal(more.length, 0, 'one entry');
    assert.equal(entry.name, '人员名册.xlsx');
    assert.equal(entry.flags & 1, 1, 'the entry is encrypted');
    assert.equal(entry.lmethod, 99, 'method 99: WinZip AES');
    // The AES extra field (0x9901): vendor "AE", strength 3 = AES-256.
    const at = entry.extra.indexOf(Buffer.from([0x01, 0x99]));
    assert.ok(at >= 0, 'an AES extra field');
    assert.equal(entry.extra.subarray(at + 6, at + 8).toString(), 'AE');
    assert.equal(entry.extra[at + 8], 3, 'AES-256');
    // The workbook inside cannot be seen: one local header only, no part names of an .xlsx.
    assert.equal(r.bytes.indexOf(Buffer.from('PK\x03\x04'), 4), -1, 'no plaintext ZIP (the workbook) inside');
    assert.equal(r.bytes.indexOf('[Content_Types].xml'), -1);
    assert.equal(r.bytes.indexOf('xl/worksheets'), -1);

    const rows = exportRows('export.persons');
    assert.equal(rows.length, n + 1);
    const detail = JSON.parse(rows.at(-1).split('|').slice(1).join('|'));
    assert.equal(detail.encrypted, true);
    assert.equal(detail.format, 'xlsx');
    assert.equal(Number(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE detail LIKE '%export 2020%';`).trim()), 0, 'the passphrase is not audited');
    assert.ok(!srv.output().includes('export 2020') && !srv.output().includes(encodeURIComponent(PASS)), 'nor logged');

    // unzip-export opens it with the passphrase: the workbook with the same cells as a plain export.
    const u = unzipExport(r.bytes, PASS, dir);
    assert.equal(u.status, 0, u.stderr);
    assert.deepEqual(u.files, ['人员名册.xlsx']);
    assert.match(u.stdout, /人员名册\.xlsx（\d+ 字节，已解密）/);
    const inner = readFileSync(path.join(u.out, '人员名册.xlsx'));
    const plain = await download(town, '/api/v1/persons?format=xlsx');
    const cells = (b) => zipEntries(b).find((e) => e.name === 'xl/worksheets/sheet1.xml').data.toString('utf8');
    assert.equal(cells(inner), cells(plain.bytes), 'the same cells as the plain workbook');
    assert.equal(cells(inner).includes('姓名'), true);

    // A wrong passphrase: refused, nothing written.
    const w = unzipExport(r.bytes, '民政局 export 2021!', dir);
    assert.equal(w.status, 1);
    assert.match(w.stderr, /口令不正确.*wrong_passphrase/);
    assert.deepEqual(w.files, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an encrypted CSV export decrypts to exactly the plain CSV; GB18030 too', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-export-enc-'));
  try {
    for (const q of ['format=csv', 'format=csv&encoding=gb18030']) {
      const r = await download(county, `/api/v1/hotline/calls?${q}`, passHeader('12345678'));
      assert.equal(r.status, 200);
      assert.equal(r.type, 'application/zip');
      assert.match(r.disposition, /\.csv\.zip$/);
      const [entry] = zipEntries(r.bytes);
      assert.equal(entry.lmethod, 99);
      const u = unzipExport(r.bytes, '12345678', dir);
      assert.equal(u.status, 0, u.stderr);
      assert.equal(u.files.length, 1);
      assert.match(u.files[0], /\.csv$/);
      const plain = await download(county, `/api/v1/hotline/calls?${q}`);
      assert.ok(readFileSync(path.join(u.out, u.files[0])).equals(plain.bytes), `${q}: same bytes as the plain export`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an export passphrase shorter than 8 characters or badly encoded is refused, nothing audited', async () => {
  const n = exportRows('export.persons').length;
  for (const [value, code] of [['1234567', 'weak_passphrase'], [encodeURIComponent('七个字的口令啊'), 'weak_passphrase'], ['abcdefgh%zz', 'invalid_value'], ['%00abcdefgh', 'weak_passphrase']]) {
    const r = await download(town, '/api/v1/persons?format=xlsx', { 'X-Export-Passphrase': value });
    assert.equal(r.status, 400, value);
    const err = JSON.parse(r.bytes.toString('utf8')).error;
    assert.equal(err.code, code, value);
    assert.equal(err.field, 'X-Export-Passphrase');
    assert.match(err.message, /口令/);
  }
  const short = JSON.parse((await download(town, '/api/v1/persons?format=csv', { 'X-Export-Passphrase': 'abc' })).bytes.toString('utf8'));
  assert.match(short.error.message, /至少需要 8 个字符/);
  assert.equal(exportRows('export.persons').length, n, 'no export audited');
});

// ---- masking: no full ID number or mobile number in any export without unmask -------------------

// Not part of a longer number or of a decimal fraction (date-times are numbers in the workbook).
const FULL_ID = /(?<![\dA-Za-z.])\d{17}[\dXx](?![\dA-Za-z.])/;
const FULL_MOBILE = /(?<![\d.])1[3-9]\d{9}(?![\d.])/;
const noFull = (text, what) => {
  assert.ok(!FULL_ID.test(text), `${what}: a full ID number ${text.match(FULL_ID)?.[0]}`);
  assert.ok(!FULL_MOBILE.test(text), `${what}: a full mobile number ${text.match(FULL_MOBILE)?.[0]}`);
};

test('no export of any list holds a full 18-digit ID number or 11-digit mobile number unless unmasked', async () => {
  const hotline = await srv.login('hotline');
  const checked = [];
  for (const [who, client] of [['leader', leader], ['hotline', hotline], ['county', county]]) {
    for (const [route] of [...LISTS, ...MORE_LISTS]) {
      const csv = await download(client, `${route}?format=csv`);
      if (csv.status === 403) continue;
      assert.equal(csv.status, 200, `${who} ${route}`);
      noFull(csv.bytes.toString('utf8'), `${who} ${route} CSV`);
      const x = await download(client, `${route}?format=xlsx`);
      assert.equal(x.status, 200, `${who} ${route} xlsx`);
      noFull(xlsxText(x.bytes), `${who} ${route} xlsx`);
      checked.push(`${who} ${route}`);
    }
  }
  assert.ok(checked.filter((c) => c.startsWith('leader ')).length >= 5, `the leader (no unmask) exported: ${checked.length}`);
  assert.ok(checked.some((c) => c.startsWith('hotline ')), 'the hotline operator (no unmask) exported');
  // The search did find real numbers to hide: an unmasked export of the same calls list has them.
  const full = (await download(county, '/api/v1/institutions/calls?format=csv&unmask=1')).bytes.toString('utf8');
  assert.match(full, FULL_MOBILE, 'the pattern does find a full mobile number');
  const persons = (await download(county, '/api/v1/persons?format=csv')).bytes.toString('utf8');
  assert.match(persons, /\d{6}\*{8}\d{3}[\dX]/, 'IDs are there, masked');
});
