// reports_prep.mjs — the SQL and request list of bench/reports.sh.
//
//   node reports_prep.mjs setup N SETUP_SQL LIST
//     N elderly homes (ids 1000001…) spread over the city's villages, each with its own reporter
//     account (bench_rep_I, role institution_reporter, region = the home's village), attached to it,
//     and a bearer token; LIST gets "INSTITUTION_ID TOKEN" per line for bench/reports.c. Tokens are
//     deterministic (sha256 of a counter) and stored as the server stores them: sha256 of the token.
//   node reports_prep.mjs baseline N DATE DDL_FILE OUT_SQL
//     The baseline: the same rows a filing writes — the report, its first version, the day's
//     counter upsert — into copies of the tables (DDL_FILE: their CREATE statements from
//     sqlite_master, renamed bench_inst_…), one transaction per report, with the connection
//     settings the server uses; the copies are dropped at the end.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const sha = (s) => createHash('sha256').update(s).digest('hex');
const FIRST = 1000000;
const [mode, nArg, ...rest] = process.argv.slice(2);
const n = Number(nArg);
if (!Number.isInteger(n) || n < 1) throw new Error('usage: reports_prep.mjs setup|baseline N …');

if (mode === 'setup') {
  const [sqlFile, listFile] = rest;
  const at = '2020-01-01T00:00:00+08:00';
  const out = [
    'BEGIN;',
    "CREATE TEMP TABLE bench_v AS SELECT code, unit_code, row_number() OVER (ORDER BY code) AS rn FROM regions WHERE level = 5 AND code >= '3707' AND code < '3707z';",
    `CREATE TEMP TABLE bench_n AS WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${n}) SELECT i, (SELECT code FROM bench_v WHERE rn = 1 + (i - 1) % (SELECT count(*) FROM bench_v)) AS code FROM c;`,
    `INSERT INTO institutions(id, name, type, region_code, unit_code, area_code, capacity, residents, staff, contact_name, contact_phone, opened_on, cm_from, created_at, created_by, updated_at)
     SELECT ${FIRST} + i, '压测养老机构' || i, 'elderly_home', n.code, v.unit_code, substr(n.code, 1, 9), 60, 50, 10, '', '', '2019-01-01', '2020-01-24', '${at}', 'bench', '${at}'
     FROM bench_n n JOIN bench_v v ON v.code = n.code;`,
    `INSERT INTO users(id, username, role, region_code, password_hash, created_at)
     SELECT ${FIRST} + i, 'bench_rep_' || i, 'institution_reporter', code, '!', '${at}' FROM bench_n;`,
    `INSERT INTO institution_reporters(user_id, institution_id, attached_at, attached_by) SELECT ${FIRST} + i, ${FIRST} + i, '${at}', 'bench' FROM bench_n;`,
  ];
  const list = [];
  const rows = [];
  for (let i = 1; i <= n; i++) {
    const token = sha(`minzheng-bench-reports-${i}`);
    list.push(`${FIRST + i} ${token}`);
    rows.push(`('${sha(token)}', ${FIRST + i}, '${at}')`);
    if (rows.length === 500 || i === n) {
      out.push(`INSERT INTO api_tokens(token_hash, user_id, created_at) VALUES ${rows.join(',')};`);
      rows.length = 0;
    }
  }
  out.push('COMMIT;');
  writeFileSync(sqlFile, out.join('\n') + '\n');
  writeFileSync(listFile, list.join('\n') + '\n');
} else if (mode === 'baseline') {
  const [date, ddlFile, sqlFile] = rest;
  const ddl = readFileSync(ddlFile, 'utf8').split('\n').filter((l) => l.trim()).map((l) => l.replace(/\binst_/g, 'bench_inst_') + ';');
  const sub = `${date}T09:00:00+08:00`, dl = `${date}T10:00:00+08:00`;
  const out = [
    'PRAGMA journal_mode=WAL;', 'PRAGMA synchronous=NORMAL;', 'PRAGMA foreign_keys=ON;', 'PRAGMA cache_size=-65536;',
    'DROP TABLE IF EXISTS bench_inst_report_versions;', 'DROP TABLE IF EXISTS bench_inst_reports;', 'DROP TABLE IF EXISTS bench_inst_report_stats;',
    ...ddl,
  ];
  for (let i = 1; i <= n; i++) {
    const id = FIRST + i;
    out.push('BEGIN;',
      `INSERT INTO bench_inst_reports(id, institution_id, report_date, region_code, kind, residents_present, staff_on_site, admissions, departures, temperature_checks, fever, suspected, confirmed, isolated, deaths, goods_days, note, submitted_at, submitted_by, deadline_at, on_time, on_behalf, version, updated_at, updated_by) SELECT ${i}, id, '${date}', region_code, 'zero', 50, 10, 0, 0, 60, 0, 0, 0, 0, 0, NULL, '', '${sub}', 'bench_rep_${i}', '${dl}', 1, 0, 1, '${sub}', 'bench_rep_${i}' FROM institutions WHERE id = ${id};`,
      `INSERT INTO bench_inst_report_versions(report_id, version, kind, residents_present, staff_on_site, admissions, departures, temperature_checks, fever, suspected, confirmed, isolated, deaths, goods_days, note, changed_at, changed_by, reason, changes) VALUES (${i}, 1, 'zero', 50, 10, 0, 0, 60, 0, 0, 0, 0, 0, NULL, '', '${sub}', 'bench_rep_${i}', '', '{}');`,
      `INSERT INTO bench_inst_report_stats(report_date, area_code, type, unit_code, received, on_time, zero) SELECT '${date}', area_code, type, unit_code, 1, 1, 1 FROM institutions WHERE id = ${id} ON CONFLICT (report_date, area_code, type) DO UPDATE SET received = received + 1, on_time = on_time + 1, zero = zero + 1;`,
      'COMMIT;');
  }
  out.push(`SELECT 'rows', count(*) FROM bench_inst_reports;`,
    'DROP TABLE bench_inst_report_versions;', 'DROP TABLE bench_inst_reports;', 'DROP TABLE bench_inst_report_stats;');
  writeFileSync(sqlFile, out.join('\n') + '\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
