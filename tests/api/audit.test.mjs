// audit.test.mjs — the hash-chained audit log: writes are audited, `minzheng audit verify` passes
// on an intact log, the table refuses UPDATE/DELETE, and editing or deleting a row behind the
// server's back (sqlite3 or psql, triggers dropped) makes verify exit 1 naming the row. Then
// retention and archiving (`minzheng audit archive`, verify with --archive) and audit-hash = sm3.
// The tampering is done on copies of the live database (tests/lib/dbcopy.mjs: VACUUM INTO, or on
// PostgreSQL pg_dump into a new database), never on the one the server is using.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { dropTrigger, isPg, liveCopy, removeDb } from '../lib/dbcopy.mjs';
import { assertStatus, makeId } from '../lib/http.mjs';
import { addUser, auditVerify, bin, cli, login, spawnServe, startServer, sqlite } from '../lib/server.mjs';

const VILLAGE = '370704008231';
let srv, county;

before(async () => {
  srv = await startServer();
  county = await srv.login('county_370704');
});

const copies = [];
after(async () => {
  await srv?.stop();
  for (const db of copies) await removeDb(db);
});

/** A consistent copy of the live database (WAL included), taken while the server runs, to tamper
 * with. */
async function copyDb() {
  const db = await liveCopy(srv.dbPath, path.join(srv.dir, `copy-${copies.length + 1}.db`));
  copies.push(db);
  return db;
}

async function someWrites() {
  const r = await county.post('/api/v1/households', {
    region_code: VILLAGE,
    address: '审计测试 1 号',
    residence_type: 'rural',
    members: [
      { id_number: makeId(), name: '审计户主', relation: 'head' },
      { id_number: makeId(), name: '审计子女', relation: 'child' },
    ],
  });
  assertStatus(r, 201);
  const h = r.json;
  const child = h.members.find((m) => m.relation === 'child');
  assertStatus(await county.patch(`/api/v1/households/${h.id}`, { address: '审计测试 2 号' }), 200);
  assertStatus(await county.post(`/api/v1/households/${h.id}/members`, { id_number: makeId(), name: '审计新成员', relation: 'other' }), 201);
  assertStatus(await county.patch(`/api/v1/persons/${child.id}`, { name: '审计改名' }), 200);
  assertStatus(await county.del(`/api/v1/households/${h.id}/members/${child.id}`, { reason: '审计测试' }), 200);
  return h;
}

test('`minzheng audit verify` exits 0 with the row count after a series of writes', async () => {
  await someWrites();
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
  assert.ok(v.rows > 0, `reports the number of rows: ${v.out}`);
});

test('every registry write adds audit rows', async () => {
  const n0 = auditVerify(srv.dbPath).rows;
  const r = await county.post('/api/v1/households', {
    region_code: VILLAGE,
    address: '审计计数',
    residence_type: 'urban',
    members: [{ id_number: makeId(), name: '审计计数', relation: 'head' }],
  });
  assertStatus(r, 201);
  const n1 = auditVerify(srv.dbPath).rows;
  assert.ok(n1 > n0, `create adds a row (${n0} → ${n1})`);
  assertStatus(await county.patch(`/api/v1/households/${r.json.id}`, { address: '审计计数 2' }), 200);
  const n2 = auditVerify(srv.dbPath).rows;
  assert.ok(n2 > n1, `patch adds a row (${n1} → ${n2})`);
});

test('the audit log is recorded with who did what: user, action and object', async () => {
  const before = Number(sqlite(srv.dbPath, 'SELECT max(id) FROM audit_log;').trim());
  await someWrites();
  const rows = sqlite(srv.dbPath, `SELECT user_name, action, object FROM audit_log WHERE id > ${before} ORDER BY id;`)
    .trim()
    .split('\n')
    .map((l) => l.split('|'));
  assert.ok(rows.length >= 5, `one row per write at least: ${rows.length}`);
  for (const [user, action, object] of rows) {
    assert.equal(user, 'county_370704');
    assert.ok(action.length > 0 && object.length > 0, `action and object: ${action} ${object}`);
  }
});

test('the audit table refuses UPDATE and DELETE', async () => {
  const db = await copyDb();
  const upd = sqlite(db, "UPDATE audit_log SET action = 'x' WHERE id = 1;", { allowFail: true });
  assert.notEqual(upd.status, 0, 'UPDATE refused');
  assert.match(upd.stderr, /append-only|audit/i, upd.stderr);
  const del = sqlite(db, 'DELETE FROM audit_log WHERE id = 1;', { allowFail: true });
  assert.notEqual(del.status, 0, 'DELETE refused');
  assert.equal(auditVerify(db).status, 0);
});

test('changing one row\'s action behind the server\'s back makes verify exit 1 naming that row id', async () => {
  const db = await copyDb();
  const ids = sqlite(db, 'SELECT id FROM audit_log ORDER BY id;').trim().split('\n').map(Number);
  assert.ok(ids.length > 4);
  const victim = ids[Math.floor(ids.length / 2)];
  sqlite(db, `${dropTrigger(db, 'audit_no_update', 'audit_log')} ${dropTrigger(db, 'audit_delete_archived_only', 'audit_log')} UPDATE audit_log SET action = 'tampered' WHERE id = ${victim};`);
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1, `verify exits 1: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout + r.stderr, new RegExp(`(?<!\\d)${victim}(?!\\d)`), `names row ${victim}: ${r.stdout}${r.stderr}`);
});

test('deleting one row makes verify exit 1 naming where the chain breaks', async () => {
  const db = await copyDb();
  const ids = sqlite(db, 'SELECT id FROM audit_log ORDER BY id;').trim().split('\n').map(Number);
  const i = Math.floor(ids.length / 3);
  sqlite(db, `${dropTrigger(db, 'audit_delete_archived_only', 'audit_log')} DELETE FROM audit_log WHERE id = ${ids[i]};`);
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1, `verify exits 1: ${r.stdout}${r.stderr}`);
  const out = r.stdout + r.stderr;
  assert.ok(new RegExp(`(?<!\\d)(${ids[i]}|${ids[i + 1]})(?!\\d)`).test(out), `names row ${ids[i]} or ${ids[i + 1]}: ${out}`);
});

test('changing the last row\'s detail is detected too', async () => {
  const db = await copyDb();
  const last = Number(sqlite(db, 'SELECT max(id) FROM audit_log;').trim());
  sqlite(db, `${dropTrigger(db, 'audit_no_update', 'audit_log')} UPDATE audit_log SET detail = detail || ' ' WHERE id = ${last};`);
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout + r.stderr, new RegExp(`(?<!\\d)${last}(?!\\d)`));
});

test('the live log still verifies after the copies were tampered with', () => {
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});

// ---- retention, archiving and SM3 ------------------------------------------------------------
//
// Archiving needs rows older than the retention period (180 days at least). The tests do not
// touch the binary's clock: they write old rows straight into a fresh database with the sqlite3
// CLI, hashing each exactly as src/audit/audit_hash.c does (format 2: alg first), and then let
// the binary append after them. The chain they build must verify, which also pins the format.

const SEP = '\x1f';
const ZERO = '0'.repeat(64);
const DAY = 86400e3;

/** Beijing time "YYYY-MM-DDTHH:MM:SS+08:00", days ago. */
function bjAt(daysAgo) {
  return new Date(Date.now() - daysAgo * DAY + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
}
/** Beijing date "YYYY-MM-DD", days ago. */
const bjDate = (daysAgo) => bjAt(daysAgo).slice(0, 10);

function rowHash(prev, alg, fields) {
  return createHash(alg).update([prev, alg, ...fields].join(SEP)).digest('hex');
}

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/**
 * A fresh database whose audit log holds rows of the given ages and algorithms
 * ([{daysAgo, alg}], oldest first), appended as the binary would have. Returns the path.
 */
function oldLog(specs) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-audit-'));
  dirs.push(dir);
  const db = path.join(dir, 'old.db');
  const v = cli(['audit', 'verify', '--db', db]); // creates and migrates it, with an empty log
  assert.equal(v.status, 0, v.stderr);
  let prev = ZERO;
  const sql = ['BEGIN;'];
  specs.forEach(({ daysAgo, alg = 'sha256' }, i) => {
    const fields = [bjAt(daysAgo), 'old_user', 'registry.update', `household:${i + 1}`, 'ok', '10.0.0.1', `{"n":${i + 1},"note":"旧记录 'x'"}`];
    const hash = rowHash(prev, alg, fields);
    sql.push(
      `INSERT INTO audit_log(id, at, user_name, action, object, outcome, client, detail, prev_hash, hash, alg) VALUES (${i + 1}, ${fields.map(q).join(', ')}, ${q(prev)}, ${q(hash)}, ${q(alg)});`,
    );
    prev = hash;
  });
  sql.push('COMMIT;');
  sqlite(db, sql.join('\n'));
  return db;
}

const dirs = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const count = (db) => Number(sqlite(db, 'SELECT count(*) FROM audit_log;').trim());
const snapshot = (db) => sqlite(db, 'SELECT id, hash FROM audit_log ORDER BY id; SELECT * FROM audit_archives;');
const archiveCmd = (db, before, to, ...more) => cli(['audit', 'archive', '--db', db, '--before', before, '--to', to, ...more]);

/** 3 sha256 rows ~400 days old, 3 sm3 rows ~390 days old, 3 sm3 rows 10 days old. */
function mixedOldLog() {
  return oldLog([
    { daysAgo: 400 }, { daysAgo: 400 }, { daysAgo: 399 },
    { daysAgo: 390, alg: 'sm3' }, { daysAgo: 390, alg: 'sm3' }, { daysAgo: 389, alg: 'sm3' },
    { daysAgo: 10, alg: 'sm3' }, { daysAgo: 9, alg: 'sm3' }, { daysAgo: 8, alg: 'sm3' },
  ]);
}

test('a log built outside the binary with the documented hash verifies (the format is pinned)', () => {
  const db = mixedOldLog();
  const v = auditVerify(db);
  assert.equal(v.status, 0, v.out);
  assert.equal(v.rows, 9);
});

test('archive round trip: old rows go to a JSON Lines file, leave the table, and both verify', () => {
  const db = mixedOldLog();
  const file = path.join(path.dirname(db), 'audit-1.jsonl');
  const r = archiveCmd(db, bjDate(300), file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /第 1–6 条共 6 条/);

  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  const [head, ...rows] = lines;
  assert.equal(head.format, 'minzheng-audit-archive');
  assert.equal(head.version, 1);
  assert.deepEqual([head.from_id, head.to_id, head.rows, head.prev_hash], [1, 6, 6, ZERO]);
  assert.deepEqual(head.algorithms, ['sha256', 'sm3']);
  assert.equal(head.cutoff, `${bjDate(300)}T00:00:00`);
  assert.deepEqual(rows.map((x) => x.id), [1, 2, 3, 4, 5, 6]);
  assert.equal(head.last_hash, rows[5].hash);
  assert.equal(rows[0].detail, `{"n":1,"note":"旧记录 'x'"}`);

  // the table keeps rows 7.. and the audit.archive row; the archive is recorded with the file's digest
  assert.deepEqual(sqlite(db, 'SELECT min(id), count(*) FROM audit_log;').trim(), '7|4');
  const rec = sqlite(db, 'SELECT from_id, to_id, rows, last_hash, file_name, file_digest, retention_days, log_id FROM audit_archives;').trim().split('|');
  const digest = 'sm3:' + createHash('sm3').update(readFileSync(file)).digest('hex'); // the last archived row is SM3
  assert.deepEqual(rec, ['1', '6', '6', head.last_hash, 'audit-1.jsonl', digest, '180', '10']);
  const logRow = sqlite(db, 'SELECT action, object, user_name, prev_hash FROM audit_log WHERE id = 10;').trim().split('|');
  assert.equal(logRow[0], 'audit.archive');
  assert.equal(logRow[1], 'audit_archive:1');
  assert.equal(logRow[2], 'system');
  assert.equal(sqlite(db, 'SELECT prev_hash FROM audit_log WHERE id = 7;').trim(), head.last_hash, 'row 7 continues the archive');

  const v = auditVerify(db);
  assert.equal(v.status, 0, v.out);
  assert.equal(v.rows, 4);
  const va = cli(['audit', 'verify', '--db', db, '--archive', file]);
  assert.equal(va.status, 0, va.stderr);
  assert.match(va.stdout, /4 条记录.*1 个归档文件共 6 条/);
  assert.equal(existsSync(file + '.partial'), false, 'no partial file left behind');
});

test('two archives in turn chain together; verify takes the files in any order', () => {
  const db = mixedOldLog();
  const dir = path.dirname(db);
  const f1 = path.join(dir, 'a1.jsonl');
  const f2 = path.join(dir, 'a2.jsonl');
  assert.equal(archiveCmd(db, bjDate(395), f1).status, 0);
  const over = archiveCmd(db, bjDate(300), f1, '--force');
  assert.equal(over.status, 1, '--force does not overwrite a recorded archive');
  assert.match(over.stderr, /已登记的第 1 号归档文件.*audit_archive_exists/);
  const r2 = archiveCmd(db, bjDate(300), f2);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stdout, /第 4–6 条共 3 条/);
  const head2 = JSON.parse(readFileSync(f2, 'utf8').split('\n')[0]);
  const head1 = JSON.parse(readFileSync(f1, 'utf8').split('\n')[0]);
  assert.equal(head2.prev_hash, head1.last_hash);
  assert.equal(auditVerify(db).status, 0);
  const both = cli(['audit', 'verify', '--db', db, '--archive', f2, '--archive', f1]);
  assert.equal(both.status, 0, both.stderr);
  assert.match(both.stdout, /2 个归档文件共 6 条/);
  const twice = cli(['audit', 'verify', '--db', db, '--archive', f1, '--archive', f1]);
  assert.equal(twice.status, 1, 'the same archive twice is not a continuous chain');
  assert.match(twice.stderr, /不衔接/);
});

test('archive refusals leave the database and an existing file as they were', () => {
  const db = mixedOldLog();
  const dir = path.dirname(db);
  const before = snapshot(db);
  const file = path.join(dir, 'a.jsonl');

  const young = archiveCmd(db, bjDate(100), file);
  assert.equal(young.status, 1);
  assert.match(young.stderr, /须保存至少 180 天.*不得晚于 \d{4}-\d\d-\d\d.*audit_archive_too_recent/);

  const longer = archiveCmd(db, bjDate(300), file, '--audit-retention-days', '365');
  assert.equal(longer.status, 1, 'a longer configured retention moves the limit');
  assert.match(longer.stderr, /至少 365 天/);

  const short = archiveCmd(db, bjDate(300), file, '--audit-retention-days', '179');
  assert.equal(short.status, 2);
  assert.match(short.stderr, /不得少于 180 天.*audit_retention_too_short/);

  const empty = archiveCmd(db, bjDate(1000), file);
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /没有尚未归档的审计记录.*audit_archive_empty/);

  const badDate = archiveCmd(db, '2025-02-30', file);
  assert.equal(badDate.status, 1);
  assert.match(badDate.stderr, /YYYY-MM-DD.*invalid_date/);

  writeFileSync(file, 'keep me\n');
  const exists = archiveCmd(db, bjDate(300), file);
  assert.equal(exists.status, 1);
  assert.match(exists.stderr, /已存在.*--force.*audit_archive_exists/);
  assert.equal(readFileSync(file, 'utf8'), 'keep me\n');

  const unwritable = archiveCmd(db, bjDate(300), path.join(dir, 'no-such-dir', 'a.jsonl'));
  assert.equal(unwritable.status, 1);
  assert.match(unwritable.stderr, /无法写入归档文件.*audit_archive_unwritable/);

  assert.equal(snapshot(db), before, 'no refusal changed the log or the archives');
  assert.equal(existsSync(file + '.partial'), false);

  const forced = archiveCmd(db, bjDate(300), file, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(readFileSync(file, 'utf8'), /^\{"format":"minzheng-audit-archive"/);
});

test('a tampered archive file makes verify exit 1 naming the first bad row', () => {
  const db = mixedOldLog();
  const dir = path.dirname(db);
  const file = path.join(dir, 'a.jsonl');
  assert.equal(archiveCmd(db, bjDate(300), file).status, 0);
  const lines = readFileSync(file, 'utf8').split('\n');

  const edited = path.join(dir, 'edited.jsonl');
  const row3 = JSON.parse(lines[3]);
  row3.detail = '{"n":3,"note":"改过"}';
  writeFileSync(edited, [...lines.slice(0, 3), JSON.stringify(row3), ...lines.slice(4)].join('\n'));
  const r = cli(['audit', 'verify', '--db', db, '--archive', edited]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /第 3 条的内容与其哈希不符.*id=3/);

  const dropped = path.join(dir, 'dropped.jsonl');
  writeFileSync(dropped, [...lines.slice(0, 5), ...lines.slice(6)].join('\n'));
  const d = cli(['audit', 'verify', '--db', db, '--archive', dropped]);
  assert.equal(d.status, 1);
  assert.match(d.stderr, /id=5/);

  // a change outside the chain (the header) is caught by the digest recorded at archiving
  const header = path.join(dir, 'header.jsonl');
  const h = JSON.parse(lines[0]);
  h.by_user = 'someone_else';
  writeFileSync(header, [JSON.stringify(h), ...lines.slice(1)].join('\n'));
  const hr = cli(['audit', 'verify', '--db', db, '--archive', header]);
  assert.equal(hr.status, 1);
  assert.match(hr.stderr, /摘要 .* 不符/);

  assert.equal(cli(['audit', 'verify', '--db', db, '--archive', file]).status, 0, 'the original still verifies');
});

test('the triggers refuse DELETE of rows not archived or too young, and UPDATE always', () => {
  const db = mixedOldLog();
  const del = sqlite(db, 'DELETE FROM audit_log WHERE id = 1;', { allowFail: true });
  assert.notEqual(del.status, 0, 'an old row that no archive covers stays');
  assert.match(del.stderr, /only archived rows older than the retention period/);

  // a hand-made archive record covering young rows still does not let them go
  const fake = `INSERT INTO audit_archives(id, from_id, to_id, rows, prev_hash, last_hash, cutoff, retention_days, file_name, file_digest, archived_at, by_user, log_id)
    VALUES (1, 1, 9, 9, '${ZERO}', 'x', '2999-01-01T00:00:00', 180, 'fake', 'sha256:x', 'now', 'x', 1);`;
  sqlite(db, fake);
  const young = sqlite(db, 'DELETE FROM audit_log WHERE id = 9;', { allowFail: true });
  assert.notEqual(young.status, 0, 'a 8-day-old row is inside the retention period');
  const upd = sqlite(db, "UPDATE audit_log SET detail = 'x' WHERE id = 1;", { allowFail: true });
  assert.notEqual(upd.status, 0, 'UPDATE is refused even for a covered, old row');
  assert.match(upd.stderr, /append-only/);
  for (const sql of ["UPDATE audit_archives SET file_name = 'y';", 'DELETE FROM audit_archives;']) {
    const r = sqlite(db, sql, { allowFail: true });
    assert.notEqual(r.status, 0, `${sql} refused`);
  }
  // The trigger trusts archive records; verify does not: the forged record has no audit.archive row.
  sqlite(db, 'DELETE FROM audit_log WHERE id = 1;');
  const v = cli(['audit', 'verify', '--db', db]);
  assert.equal(v.status, 1, v.stdout);
});

test('audit-hash = sm3 through serve: new rows are SM3, the mixed chain verifies, no way back to sha256', async () => {
  const db = await copyDb();
  const lastSha = Number(sqlite(db, 'SELECT max(id) FROM audit_log;').trim());
  const s = await spawnServe(db, { extraArgs: ['--audit-hash', 'sm3'] });
  try {
    const c = await login(s.url, 'county_370704');
    assertStatus(await c.post('/api/v1/households', {
      region_code: VILLAGE,
      address: 'SM3 测试',
      residence_type: 'urban',
      members: [{ id_number: makeId(), name: 'SM3 户主', relation: 'head' }],
    }), 201);
  } finally {
    await s.stop();
  }
  const algs = sqlite(db, `SELECT DISTINCT alg FROM audit_log WHERE id > ${lastSha};`).trim();
  assert.equal(algs, 'sm3');
  assert.equal(sqlite(db, `SELECT DISTINCT alg FROM audit_log WHERE id <= ${lastSha};`).trim(), 'sha256');
  // the first SM3 row, recomputed here, matches what the server stored
  const cols = `SELECT id, at, user_name, action, object, outcome, client, detail, prev_hash, hash FROM audit_log WHERE id = ${lastSha + 1}`;
  const row = JSON.parse(sqlite(db, isPg(db) ? `SELECT json_agg(r) FROM (${cols}) r;` : `.mode json\n${cols};`))[0];
  const { id, at, user_name: u, action: act, object: obj, outcome: out, client: cl, detail: det, prev_hash: prev, hash } = row;
  assert.equal(id, lastSha + 1);
  assert.equal(rowHash(prev, 'sm3', [at, u, act, obj, out, cl, det]), hash);
  const v = auditVerify(db);
  assert.equal(v.status, 0, v.out);

  const down = cli(['serve', '--db', db, '--listen', '127.0.0.1:1', '--audit-hash', 'sha256']);
  assert.equal(down.status, 2);
  assert.match(down.stderr, /不允许降级.*audit_hash_downgrade/);
  const unknown = cli(['serve', '--db', db, '--audit-hash', 'md5']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /audit-hash 应为 sha256 或 sm3.*audit_hash_unknown/);

  // unset, new rows follow the chain: a CLI write after the SM3 rows is SM3 too
  addUser(db, 'audit_sm3_user', 'county_staff', '370704');
  assert.equal(sqlite(db, 'SELECT alg FROM audit_log ORDER BY id DESC LIMIT 1;').trim(), 'sm3');
  // and a config file asking for sha256 is refused without writing anything
  const conf = path.join(srv.dir, 'sha.conf');
  writeFileSync(conf, '[global]\naudit-hash = sha256\n');
  const n0 = count(db);
  const r = cli(['user', 'add', '--db', db, '--username', 'audit_sha_user', '--role', 'county_staff', '--region', '370704', '--password-stdin', '--config', conf], { input: 'Demo@2020x\n' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /audit_hash_downgrade/);
  assert.equal(count(db), n0);
  assert.equal(auditVerify(db).status, 0);
});

test('when recording the archive fails after the file was written, the database is unchanged and the file removed', () => {
  const db = mixedOldLog();
  const file = path.join(path.dirname(db), 'a.jsonl');
  // a fault injected into this throwaway database: the archive row cannot be inserted (step 3)
  sqlite(db, "CREATE TRIGGER inject_fault BEFORE INSERT ON audit_archives BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
  const before = snapshot(db);
  const r = archiveCmd(db, bjDate(300), file);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /injected fault/);
  assert.equal(snapshot(db), before, 'no archive recorded, no audit row, no row deleted');
  assert.equal(existsSync(file), false, 'an unrecorded file must not pass for an archive');
  assert.equal(existsSync(file + '.partial'), false);
  assert.equal(auditVerify(db).status, 0);
  sqlite(db, 'DROP TRIGGER inject_fault;');
  assert.equal(archiveCmd(db, bjDate(300), file).status, 0, 'the same archive succeeds once the fault is gone');
});

test('a switch back from SM3 to SHA-256 is caught across an archive boundary too', () => {
  const db = oldLog([{ daysAgo: 400, alg: 'sm3' }, { daysAgo: 400, alg: 'sm3' }, { daysAgo: 10, alg: 'sha256' }]);
  const before = cli(['audit', 'verify', '--db', db]);
  assert.equal(before.status, 1);
  assert.match(before.stderr, /降级.*id=3/);
  const file = path.join(path.dirname(db), 'a.jsonl');
  assert.equal(archiveCmd(db, bjDate(300), file).status, 0, 'rows 1–2 are themselves intact');
  const after = cli(['audit', 'verify', '--db', db]);
  assert.equal(after.status, 1, 'row 3 follows an SM3 archive');
  assert.match(after.stderr, /降级.*id=3/);
});

test('an OpenSSL without SM3 makes serve refuse audit-hash = sm3 at start, with the reason', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-audit-'));
  dirs.push(dir);
  // an OpenSSL configuration that loads only the base provider: no digests at all, so no SM3
  const conf = path.join(dir, 'openssl.cnf');
  writeFileSync(conf, 'openssl_conf = openssl_init\n[openssl_init]\nproviders = provider_sect\n[provider_sect]\nbase = base_sect\n[base_sect]\nactivate = 1\n');
  const r = spawnSync(bin, ['serve', '--db', await copyDb(), '--listen', '127.0.0.1:1', '--audit-hash', 'sm3'], {
    encoding: 'utf8',
    env: { ...process.env, OPENSSL_CONF: conf },
    timeout: 10000,
  });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /OpenSSL 不提供 SM3.*audit_hash_unavailable/);
});
