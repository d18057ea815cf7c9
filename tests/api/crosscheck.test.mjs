// crosscheck.test.mjs — the death cross-check over real HTTP (docs/funeral.md "Death
// cross-check"; docs/api.md): a health commission's death list imported (dry run first, each
// rejected row with its reason; again: nothing changes) stops the person's payments and lists the
// payments already made after death as overpayments with their exact amounts; the recovery
// workflow (notify, recover, write off with a reason); the monthly report; scope and permission;
// exports; the CLI.
//
// The demo city at scale 0.02 with its assistance rolls and the paid payroll of 2020-01..04.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cli, cliOk, repoRoot, sqlite, startServer } from '../lib/server.mjs';

let srv, admin, county, other, village, target;

const q = (sql) => sqlite(srv.dbPath, sql).trim();
const upload = (client, csv, query) =>
  client.raw('POST', `/api/v1/imports?${query}`, { rawBody: Buffer.from(csv, 'utf8'), headers: { 'Content-Type': 'text/csv' } });

before(async () => {
  srv = await startServer({ assistance: true });
  admin = await srv.login('admin');
  // a 特困 person paid every month 2020-01..04 and not yet recorded dead, with their county
  const row = q(`SELECT p.id || '|' || p.id_number || '|' || p.name || '|' || pay.unit_code || '|' || pay.amount_fen
    FROM payments pay JOIN payment_persons pp ON pp.payment_id = pay.id JOIN persons p ON p.id = pp.person_id
    WHERE pay.program = 'tekun' AND pay.month = '2020-03' AND pay.status = 'paid' AND length(pay.unit_code) = 6
      AND pay.unit_code LIKE '3707__' AND pay.unit_code < '370790'
      AND NOT EXISTS (SELECT 1 FROM crosscheck_deaths d WHERE d.person_id = p.id)
      AND (SELECT count(*) FROM payments x WHERE x.case_id = pay.case_id AND x.program = 'tekun' AND x.status = 'paid') = 4
    ORDER BY p.id LIMIT 1`).split('|');
  target = { id: Number(row[0]), idNumber: row[1], name: row[2], unit: row[3], march: Number(row[4]) };
  assert.ok(target.id > 0, 'a 特困 person on the roll');
  county = await srv.login(`county_${target.unit}`);
  other = await srv.login(target.unit === '370705' ? 'county_370703' : 'county_370705');
  village = await srv.login(q(`SELECT username FROM users WHERE role = 'village_worker' ORDER BY id LIMIT 1`));
});

after(async () => {
  await srv?.stop();
});

test('the demo city has deaths among its recipients and overpayments found', async () => {
  const d = assertStatus(await admin.get('/api/v1/crosscheck/deaths?limit=200'), 200);
  assert.ok(d.total >= 4, JSON.stringify(d.total));
  assert.ok(d.items.every((x) => x.on_roll && /\*/.test(x.id_number)), 'recipients, masked');
  assert.ok(d.items.some((x) => x.source === 'funeral') && d.items.some((x) => x.source === 'import'));
  const o = assertStatus(await admin.get('/api/v1/crosscheck/overpayments?limit=200'), 200);
  assert.ok(o.total > 0);
  assert.ok(o.items.every((x) => x.amount_fen > 0 && x.amount_fen <= x.paid_fen && x.month > x.died_on.slice(0, 7)));
  assert.ok(o.items.some((x) => x.status === 'recovered') && o.items.some((x) => x.status === 'written_off' && x.reason));
});

test('a death list is imported: a dry run first, rejected rows with their reasons, again changes nothing', async () => {
  const csv = [
    '身份证号,姓名,死亡日期,来源部门',
    `${target.idNumber},${target.name},2020-02-15,市卫生健康委`,
    '110105194912310021,张三,2020-02-01,市卫生健康委', // wrong check character
    '11010519491231002X,李四,2020-02-01,市卫生健康委', // not in the registry
    `${target.idNumber},${target.name},2020-02-15,市卫生健康委`, // the same person twice
    `${q(`SELECT id_number FROM persons WHERE id <> ${target.id} AND status = 'active' AND region_code LIKE '${target.unit}%' ORDER BY id LIMIT 1`)},某某某,2020-02-01,市公安局`, // wrong name
  ].join('\n') + '\n';
  const before_ = q('SELECT count(*) FROM crosscheck_deaths');
  const dry = assertStatus(await upload(county, csv, 'kind=deaths&dry_run=1'), 200);
  assert.deepEqual([dry.rows, dry.accepted, dry.rejected, dry.skipped], [5, 1, 4, 0]);
  assert.match(dry.rejects[0].reason, /校验位/);
  assert.match(dry.rejects[1].reason, /未在户籍中登记/);
  assert.match(dry.rejects[2].reason, /重复/);
  assert.match(dry.rejects[3].reason, /姓名与户籍登记不一致/);
  assert.equal(q('SELECT count(*) FROM crosscheck_deaths'), before_);

  const r = assertStatus(await upload(county, csv, 'kind=deaths'), 200);
  assert.deepEqual([r.accepted, r.rejected], [1, 4]);
  assert.equal(q(`SELECT died_on || source || source_ref FROM crosscheck_deaths WHERE person_id = ${target.id}`), '2020-02-15import市卫生健康委');
  // paid for March and April after dying in February: two overpayments, each the whole payment
  const o = assertStatus(await county.get(`/api/v1/crosscheck/overpayments?status=found&limit=200`), 200);
  const mine = o.items.filter((x) => x.person_id === target.id && x.program === 'tekun');
  assert.deepEqual(mine.map((x) => x.month).sort(), ['2020-03', '2020-04']);
  assert.equal(mine.find((x) => x.month === '2020-03').amount_fen, target.march);
  assert.ok(mine.every((x) => x.amount_fen === x.paid_fen));

  const again = assertStatus(await upload(county, csv, 'kind=deaths'), 200);
  assert.deepEqual([again.accepted, again.skipped], [0, 1]);
  assert.equal(q(`SELECT count(*) FROM crosscheck_deaths WHERE person_id = ${target.id}`), '1');
  // a village worker may not import death lists
  assertError(await upload(village, csv, 'kind=deaths'), 403, 'forbidden');
});

test('a messy death list (BOM, CRLF, blank line, full-width digits) from the CLI: every row rejected with its reason', () => {
  const before_ = q('SELECT count(*) FROM crosscheck_deaths');
  const file = path.join(repoRoot, 'tests/fixtures/import/deaths_health.csv');
  const r = cli(['import', 'deaths', file, '--db', srv.dbPath, '--dry-run']);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout + r.stderr;
  assert.match(out, /accepted 0, rejected 4/);
  assert.match(out, /第 2 行：该身份证号未在户籍中登记/);
  assert.match(out, /第 3 行：身份证号：校验位错误/);
  assert.match(out, /第 5 行：身份证号与第 2 行重复/); // full-width digits read as the same number
  assert.match(out, /第 6 行：死亡日期应为 YYYY-MM-DD/);
  assert.equal(q('SELECT count(*) FROM crosscheck_deaths'), before_);
});

test('the next payroll excludes the dead, and the monthly report counts them as stopped', async () => {
  cliOk(['payroll', 'run', '--db', srv.dbPath, '--month', '2020-05', '--county', target.unit]);
  assert.ok(Number(q(`SELECT count(*) FROM payments WHERE month = '2020-05'`)) > 0, 'May was computed');
  assert.equal(q(`SELECT count(*) FROM payments p JOIN payment_persons pp ON pp.payment_id = p.id WHERE p.month = '2020-05' AND pp.person_id = ${target.id}`), '0');
  const r = assertStatus(await county.get('/api/v1/crosscheck/report?month=2020-05'), 200);
  assert.ok(r.total_row.stopped >= 1, JSON.stringify(r.total_row));
  const feb = assertStatus(await county.get('/api/v1/crosscheck/report?month=2020-02'), 200);
  assert.ok(feb.total_row.matched >= 1);
  assert.equal(feb.items.length, 1, 'a county sees its own unit');
  const apr = assertStatus(await admin.get('/api/v1/crosscheck/report?month=2020-04'), 200);
  assert.equal(apr.items.length, 16);
  assert.equal(apr.total_row.overpaid_fen, apr.items.reduce((s, x) => s + x.overpaid_fen, 0));
  assertError(await county.get('/api/v1/crosscheck/report?month=2020-13'), 400, 'invalid_value', 'month');
  assertError(await county.get('/api/v1/crosscheck/report'), 400, 'required', 'month');
});

test('the recovery workflow: notified, recovered; written off only with a reason', async () => {
  const o = assertStatus(await county.get('/api/v1/crosscheck/overpayments?status=found&limit=200'), 200);
  const [a, b] = o.items.filter((x) => x.person_id === target.id);
  let x = assertStatus(await county.post(`/api/v1/crosscheck/overpayments/${a.id}/actions`, { action: 'notify' }), 200);
  assert.equal(x.status, 'notified');
  assertError(await county.post(`/api/v1/crosscheck/overpayments/${a.id}/actions`, { action: 'notify' }), 409, 'recovery_state');
  x = assertStatus(await county.post(`/api/v1/crosscheck/overpayments/${a.id}/actions`, { action: 'recover' }), 200);
  assert.equal(x.status, 'recovered');
  assert.equal(x.recovered_fen, x.amount_fen);
  assertError(await county.post(`/api/v1/crosscheck/overpayments/${b.id}/actions`, { action: 'write_off' }), 400, 'required', 'reason');
  assertError(await county.post(`/api/v1/crosscheck/overpayments/${b.id}/actions`, { action: 'pay' }), 400, 'invalid_value', 'action');
  assert.equal(q(`SELECT status FROM crosscheck_overpayments WHERE id = ${b.id}`), 'found');
  // another county: 404, also for the actions; a village worker: 403 on lists
  assertError(await other.get(`/api/v1/crosscheck/overpayments/${b.id}`), 404, 'not_found');
  assertError(await other.post(`/api/v1/crosscheck/overpayments/${b.id}/actions`, { action: 'recover' }), 404, 'not_found');
  assertError(await village.get('/api/v1/crosscheck/overpayments'), 403, 'forbidden');
  x = assertStatus(await county.post(`/api/v1/crosscheck/overpayments/${b.id}/actions`, { action: 'write_off', reason: '无遗产可供追回，经集体研究核销' }), 200);
  assert.equal(x.status, 'written_off');
  assert.equal(q(`SELECT count(*) FROM audit_log WHERE action IN ('crosscheck.notify','crosscheck.recover','crosscheck.write_off') AND object IN ('crosscheck_overpayment:${a.id}','crosscheck_overpayment:${b.id}')`), '3');
});

test('unmasked lists need registry.unmask and are audited; scanning again finds nothing new', async () => {
  const full = assertStatus(await county.get(`/api/v1/crosscheck/deaths?unmask=1&limit=200`), 200);
  assert.ok(full.items.some((x) => x.id_number === target.idNumber && x.name === target.name));
  assert.equal(q("SELECT count(*) FROM audit_log WHERE action = 'crosscheck.unmask'"), '1');
  assertError(await county.get('/api/v1/crosscheck/deaths?region=370799'), 403, 'out_of_scope', 'region');
  const s = assertStatus(await county.post('/api/v1/crosscheck/scan', {}), 200);
  assert.equal(s.found, 0);
});

test('the lists and the report export; the CLI and the audit chain', async () => {
  const csv = await county.raw('GET', '/api/v1/crosscheck/overpayments?format=csv');
  assertStatus(csv, 200);
  assert.match(csv.text, /多发金额/);
  assert.match(csv.text, /已核销/);
  const x = await admin.raw('GET', '/api/v1/crosscheck/report?month=2020-04&format=xlsx');
  assertStatus(x, 200);
  assert.ok(x.text.startsWith('PK'));
  const d = await admin.raw('GET', '/api/v1/crosscheck/deaths?format=xlsx');
  assertStatus(d, 200);
  const report = cliOk(['crosscheck', 'report', '--db', srv.dbPath, '--month', '2020-04']);
  assert.match(report, /合计/);
  assert.match(cliOk(['crosscheck', 'run', '--db', srv.dbPath]), /新发现死亡后多发 0 笔/);
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});
