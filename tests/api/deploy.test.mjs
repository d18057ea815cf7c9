// deploy.test.mjs — what running minzheng for real needs: `minzheng backup` of a live server's
// database while it is being written, `minzheng restore` of that backup (counts, amounts and the
// audit chain survive; overwriting needs --force; a damaged file is refused), encrypted backups
// (--passphrase-file / MZ_BACKUP_PASSPHRASE; wrong, truncated, changed refused; decrypt), the config file
// (/etc/minzheng/minzheng.conf, --config, MINZHENG_CONFIG) supplying any option, /metrics in the
// Prometheus text format, and the systemd unit.
//
// On PostgreSQL (MZ_TEST_PG_URL) the same tests run against `backup`/`restore` with pg_dump and
// pg_restore: a backup file is then a pg_dump archive, read back into a scratch database to be
// queried (view()); a restore target is a new, empty database (newTarget()); a damaged backup
// has bytes of the archive changed; a tampered or newer backup is a scratch database changed and
// dumped again.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertStatus, makeId, request } from '../lib/http.mjs';
import {
  auditVerify,
  bin,
  cli,
  cliOk,
  freePort,
  login,
  pgDropDb,
  pgEmptyDb,
  repoRoot,
  routes,
  spawnServe,
  sqlite,
  startServer,
} from '../lib/server.mjs';

const PG = Boolean(process.env.MZ_TEST_PG_URL);
const scratchDbs = [];

const VILLAGE = '370704008231';
let srv, county, tmp;

before(async () => {
  srv = await startServer({ assistance: true });
  county = await srv.login('county_370704');
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mz-deploy-'));
});

after(async () => {
  await srv?.stop();
  for (const db of scratchDbs) pgDropDb(db);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Run the binary without blocking the event loop: {status, stdout, stderr}. */
function cliAsync(args, { env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Asia/Shanghai', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** cli() with extra environment variables. */
function cliEnv(args, env) {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60000, env: { ...process.env, TZ: 'Asia/Shanghai', ...env } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FIGURES =
  "SELECT count(*) FROM persons; SELECT count(*) FROM households; SELECT count(*) FROM payments; " +
  "SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE status = 'paid';";

/** Temporary files of backup (.partial-PID) or restore (.restoring-PID) left in dir. */
function leftovers(dir) {
  return readdirSync(dir).filter((f) => /\.(partial|restoring)-\d+/.test(f));
}

function figures(dbPath) {
  const [persons, households, payments, paidFen] = sqlite(dbPath, FIGURES).trim().split('\n').map(Number);
  return { persons, households, payments, paidFen };
}

/** Where a restore goes: a new file under tmp (SQLite), or a new, empty database (PostgreSQL). */
function newTarget(rel) {
  if (PG) {
    const url = pgEmptyDb();
    scratchDbs.push(url);
    return url;
  }
  const p = path.join(tmp, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  return p;
}

/** A refused restore left a new target as it was: no file (SQLite), no table (PostgreSQL). */
function untouched(target) {
  if (!PG) return !existsSync(target);
  return sqlite(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';").trim() === '0';
}

/** A scratch database holding what the pg_dump archive file holds (pg_restore, as an operator would). */
function pgFromArchive(file) {
  const url = newTarget();
  const r = spawnSync('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '-d', url, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pg_restore ${file}: ${r.stderr}`);
  return url;
}

/** A scratch database copied from what a backup file holds (CREATE DATABASE … TEMPLATE of its view),
 * to be changed without changing the view. */
function pgCopyOf(file) {
  const src = new URL(view(file)).pathname.slice(1);
  const base = new URL(process.env.MZ_TEST_PG_URL);
  const name = `mz_t_${process.pid}_copy${scratchDbs.length}`;
  for (let i = 0; ; i++) {
    // the template may still show a psql session that has just ended: wait and retry
    const r = spawnSync('psql', [base.href, '-X', '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name} TEMPLATE ${src}`], { encoding: 'utf8' });
    if (r.status === 0) break;
    if (i >= 50 || !/being accessed by other users/.test(r.stderr)) throw new Error(`CREATE DATABASE ${name}: ${r.stderr}`);
    spawnSync('sleep', ['0.2']);
  }
  base.pathname = `/${name}`;
  scratchDbs.push(base.href);
  return base.href;
}

/** pg_dump of a database into file (what a changed backup looks like). */
function pgDumpTo(db, file) {
  const r = spawnSync('pg_dump', ['--format=custom', '-f', file, db], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pg_dump: ${r.stderr}`);
}

/** A plain backup file as a database to query: the file itself (SQLite), or a scratch database
 * restored from the archive (PostgreSQL; one per version of the file). */
const views = new Map();
function view(file) {
  if (!PG) return file;
  const st = statSync(file);
  const key = `${file}|${st.mtimeMs}|${st.size}`;
  if (!views.has(key)) views.set(key, pgFromArchive(file));
  return views.get(key);
}

/** What a refused restore must leave unchanged: the file's bytes (SQLite), or the database's
 * figures, audit log head, tables and schemas (PostgreSQL). */
function state(db) {
  if (!PG) return readFileSync(db);
  return sqlite(
    db,
    FIGURES +
      'SELECT count(*), max(id) FROM audit_log; SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1;' +
      "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public';" +
      "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%';",
  );
}

function assertSameState(now, before, what) {
  if (Buffer.isBuffer(before)) assert.ok(now.equals(before), what);
  else assert.equal(now, before, what);
}

/** The magic at the start of a plain backup file. */
const PLAIN_MAGIC = PG ? 'PGDMP' : 'SQLite format 3';

function newHousehold(i) {
  return county.post('/api/v1/households', {
    region_code: VILLAGE,
    address: `备份测试 ${i} 号`,
    residence_type: 'rural',
    members: [
      { id_number: makeId(), name: '备份户主', relation: 'head' },
      { id_number: makeId(), name: '备份子女', relation: 'child' },
    ],
  });
}

// ---- backup and restore ---------------------------------------------------------------------

let backupFile, restored, before0, auditMax0;

test('backup of a live database while the API writes: the copy is one consistent snapshot', async () => {
  before0 = figures(srv.dbPath);
  assert.ok(before0.payments > 0 && before0.paidFen > 0, `the demo city has paid payments: ${JSON.stringify(before0)}`);
  auditMax0 = Number(sqlite(srv.dbPath, 'SELECT max(id) FROM audit_log;').trim());
  backupFile = path.join(tmp, 'backup-1.db');

  // Households are written one after another for the whole time the backup runs.
  let writing = true;
  let written = 0;
  const writer = (async () => {
    for (let i = 0; writing || i < 3; i++) {
      assertStatus(await newHousehold(i), 201);
      written++;
    }
  })();
  while (written < 3) await new Promise((r) => setTimeout(r, 5));
  const atStart = written;
  const r = await cliAsync(['backup', '--db', srv.dbPath, '--to', backupFile]);
  const atEnd = written;
  writing = false;
  await writer;
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /备份完成/);
  assert.ok(atEnd > atStart, `households were written while the backup ran (${atStart} → ${atEnd})`);
  assert.ok(statSync(backupFile).size > 0);
  assert.equal(statSync(backupFile).mode & 0o077, 0, 'the backup is readable by its owner only');
  assert.equal(readFileSync(backupFile).subarray(0, PLAIN_MAGIC.length).toString(), PLAIN_MAGIC);

  // The copy holds exactly the households whose creation its own audit log records: a snapshot.
  const copy = view(backupFile);
  const b = figures(copy);
  const created = Number(
    sqlite(copy, `SELECT count(*) FROM audit_log WHERE action = 'household.create' AND id > ${auditMax0};`).trim(),
  );
  assert.ok(created >= 3, `the writes made before the backup are in it (${created})`);
  assert.equal(b.households, before0.households + created);
  assert.equal(b.persons, before0.persons + 2 * created);
  assert.equal(b.payments, before0.payments);
  assert.equal(b.paidFen, before0.paidFen);

  // Its audit log is a prefix of the source's: the same rows with the same hashes.
  const maxB = Number(sqlite(copy, 'SELECT max(id) FROM audit_log;').trim());
  const q = PG
    ? `SELECT string_agg(hash, ',' ORDER BY id) FROM audit_log WHERE id <= ${maxB};`
    : `SELECT group_concat(hash, ',') FROM (SELECT hash FROM audit_log WHERE id <= ${maxB} ORDER BY id);`;
  assert.equal(sqlite(copy, q), sqlite(srv.dbPath, q));
});

test('the backup is recorded in the source audit log as backup.create with the file and size', () => {
  const row = sqlite(srv.dbPath, "SELECT object || '|' || detail FROM audit_log WHERE action = 'backup.create' ORDER BY id DESC LIMIT 1;").trim();
  const [object, detail] = row.split('|');
  assert.equal(object, 'backup:backup-1.db');
  const d = JSON.parse(detail);
  assert.equal(path.basename(d.file), 'backup-1.db');
  assert.equal(d.bytes, statSync(backupFile).size);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});

test('backup refuses to overwrite an existing file without --force, and replaces it with --force', () => {
  const size = statSync(backupFile).size;
  const r = cli(['backup', '--db', srv.dbPath, '--to', backupFile]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /已存在.*--force/);
  assert.equal(statSync(backupFile).size, size, 'the old backup is untouched');

  const self = cli(['backup', '--db', srv.dbPath, '--to', srv.dbPath, '--force']);
  assert.equal(self.status, 2);
  assert.match(self.stderr, /不能是数据库本身/);

  const other = path.join(tmp, 'backup-2.db');
  writeFileSync(other, 'an old file');
  const f = cli(['backup', '--db', srv.dbPath, '--to', other, '--force']);
  assert.equal(f.status, 0, f.stderr);
  assert.equal(auditVerify(view(other)).status, 0);
});

test('restore into a new path: same counts and amounts as the source at backup time, audit verify passes', () => {
  const b = figures(view(backupFile));
  restored = newTarget('restored/minzheng.db');
  const r = cli(['restore', '--from', backupFile, '--db', restored]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /恢复完成/);
  assert.deepEqual(figures(restored), b);
  const v = auditVerify(restored);
  assert.equal(v.status, 0, v.out);
  const last = sqlite(restored, 'SELECT action FROM audit_log ORDER BY id DESC LIMIT 1;').trim();
  assert.equal(last, 'restore.apply', 'the restore is the last audit row of the restored database');
  assert.deepEqual(leftovers(PG ? tmp : path.dirname(restored)), [], 'no temporary file is left');
});

test('restore refuses to replace an existing database without --force', () => {
  const before1 = state(restored);
  const r = cli(['restore', '--from', backupFile, '--db', restored]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /已存在.*--force/);
  assertSameState(state(restored), before1, 'unchanged');
  const f = cli(['restore', '--from', backupFile, '--db', restored, '--force']);
  assert.equal(f.status, 0, f.stderr);
  assert.equal(auditVerify(restored).status, 0);
  assert.equal(Number(sqlite(restored, "SELECT count(*) FROM audit_log WHERE action = 'restore.apply';").trim()), 1, 'the second restore replaced the first');
});

test('restore refuses a damaged backup with a clear message and leaves the database as it was', () => {
  const bytes = readFileSync(backupFile);
  const damaged = Buffer.from(bytes);
  // SQLite: three pages overwritten; PostgreSQL: bytes inside the archive's compressed data
  if (PG) for (const at of [0.3, 0.5, 0.7]) damaged.fill(0xa5, Math.floor(bytes.length * at), Math.floor(bytes.length * at) + 64);
  else for (const page of [2, 40, 400]) damaged.fill(0xa5, page * 4096, page * 4096 + 4096);
  const bad = path.join(tmp, 'damaged.db');
  writeFileSync(bad, damaged);
  const keep = state(restored);
  const r = cli(['restore', '--from', bad, '--db', restored, '--force']);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /damaged\.db.*(已损坏|完整性检查未通过)/);
  assertSameState(state(restored), keep, 'the database was not replaced');
  assert.deepEqual(leftovers(tmp), []);
  if (!PG) assert.deepEqual(leftovers(path.dirname(restored)), []);

  // cut short: the end of the archive (PostgreSQL) or of the file is missing
  const cut = path.join(tmp, 'short.db');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
  const c = cli(['restore', '--from', cut, '--db', restored, '--force']);
  assert.equal(c.status, 1, c.stdout);
  assert.match(c.stderr, /short\.db/);
  assertSameState(state(restored), keep, 'a truncated backup does not replace the database');

  const junk = path.join(tmp, 'junk.db');
  writeFileSync(junk, Buffer.alloc(20000, 0x41));
  const never = newTarget('never.db');
  const j = cli(['restore', '--from', junk, '--db', never]);
  assert.equal(j.status, 1);
  assert.match(j.stderr, PG ? /junk\.db.*不是有效的 PostgreSQL 备份/ : /junk\.db.*不是有效的 SQLite 数据库/);
  assert.ok(untouched(never), 'nothing was made');
});

test('restore refuses a backup whose audit chain was tampered with', () => {
  const tampered = path.join(tmp, 'tampered.db');
  let source = tampered;
  if (PG) {
    // a copy of the backup in a scratch database, its audit row changed past the triggers, dumped
    source = pgCopyOf(backupFile);
    sqlite(source, "ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET detail = 'changed' WHERE id = 5; ALTER TABLE audit_log ENABLE TRIGGER USER;");
    pgDumpTo(source, tampered);
  } else {
    cliOk(['backup', '--db', backupFile, '--to', tampered]);
    const triggers = sqlite(tampered, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log';").trim().split('\n').filter(Boolean);
    sqlite(tampered, triggers.map((t) => `DROP TRIGGER "${t}";`).join('') + "UPDATE audit_log SET detail = 'changed' WHERE id = 5;");
  }
  const never2 = newTarget('never2.db');
  const r = cli(['restore', '--from', tampered, '--db', never2]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /审计日志/);
  assert.ok(untouched(never2), 'nothing was made');
  // and the broken database itself is not backed up
  const again = path.join(tmp, 'tampered-again.db');
  const b = cli(['backup', '--db', source, '--to', again]);
  assert.equal(b.status, 1, b.stdout);
  assert.match(b.stderr, /审计日志哈希链校验未通过.*\n.*未生成/);
  assert.equal(existsSync(again), false);
  assert.deepEqual(leftovers(tmp), []);
});

test('restore refuses a backup made by a newer version of minzheng', () => {
  const newer = path.join(tmp, 'newer.db');
  const future = "INSERT INTO schema_version(version, owner, applied_at) VALUES (99999, 'future', '2030-01-01');";
  if (PG) {
    // a scratch database with a newer schema version, backed up
    const scratch = pgCopyOf(backupFile);
    sqlite(scratch, future);
    cliOk(['backup', '--db', scratch, '--to', newer]);
  } else {
    cliOk(['backup', '--db', backupFile, '--to', newer]);
    sqlite(newer, future);
  }
  const never3 = newTarget('never3.db');
  const r = cli(['restore', '--from', newer, '--db', never3]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /版本 99999/);
  assert.ok(untouched(never3), 'nothing was made');
});

test('restore refuses to replace the database of a running server', () => {
  const r = cli(['restore', '--from', backupFile, '--db', srv.dbPath, '--force']);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /正被其他进程使用/);
  assert.deepEqual(leftovers(srv.dir), [], 'no temporary file is left');
});

// ---- encrypted backups ------------------------------------------------------------------------

// The tests use the interactive Argon2id limits (--kdf-strength interactive); the default is
// moderate. The header records the limits, so restore needs no option.
const KDF = ['--kdf-strength', 'interactive'];
let encBackup, passFile, encFigures;

function writePass(name, text) {
  const f = path.join(tmp, name);
  writeFileSync(f, text, { mode: 0o600 });
  return f;
}

const lastAudit = (db, action) =>
  JSON.parse(sqlite(db, `SELECT detail FROM audit_log WHERE action = '${action}' ORDER BY id DESC LIMIT 1;`).trim());

test('an encrypted backup: MZBK1 header with the Argon2id limits, no SQLite inside, owner-only, audited as encrypted', () => {
  passFile = writePass('backup.pass', '民政 backup passphrase 2020\n');
  encBackup = path.join(tmp, 'enc', 'backup.mzbk');
  mkdirSync(path.dirname(encBackup));
  encFigures = figures(srv.dbPath);
  const r = cli(['backup', '--db', srv.dbPath, '--to', encBackup, '--passphrase-file', passFile, ...KDF]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /备份完成.*已加密/);
  const bytes = readFileSync(encBackup);
  assert.equal(bytes.subarray(0, 5).toString(), 'MZBK1');
  assert.equal(bytes[5], 1, 'algorithm 1: Argon2id + XChaCha20-Poly1305 secretstream');
  assert.equal(Number(bytes.readBigUInt64LE(8)), 2, 'opslimit of the interactive limits');
  assert.equal(Number(bytes.readBigUInt64LE(16)), 64 << 20, 'memlimit of the interactive limits');
  assert.equal(bytes.readUInt32LE(40), 1 << 20, '1 MiB chunks');
  assert.equal(bytes.indexOf('SQLite format 3'), -1, 'no plaintext database header');
  assert.equal(bytes.indexOf('PGDMP'), -1, 'no plaintext pg_dump archive header');
  assert.equal(bytes.indexOf('CREATE TABLE'), -1, 'no plaintext schema');
  assert.equal(statSync(encBackup).mode & 0o077, 0, 'readable by its owner only');
  assert.deepEqual(leftovers(path.dirname(encBackup)), [], 'no temporary file next to the backup');
  assert.deepEqual(leftovers(srv.dir), [], 'the plaintext copy next to the database is gone');
  const d = lastAudit(srv.dbPath, 'backup.create');
  assert.equal(d.encrypted, true);
  assert.equal(d.bytes, bytes.length);
  assert.equal(JSON.stringify(d).includes('passphrase'), false, 'the passphrase is not audited');
});

test('restore of an encrypted backup with the passphrase: same counts and amounts, audit verify passes', () => {
  const target = newTarget('enc-restored/minzheng.db');
  const r = cli(['restore', '--from', encBackup, '--db', target, '--passphrase-file', passFile]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /恢复完成.*已解密/);
  assert.deepEqual(figures(target), encFigures);
  const v = auditVerify(target);
  assert.equal(v.status, 0, v.out);
  assert.equal(lastAudit(target, 'restore.apply').encrypted, true);
  if (!PG) assert.deepEqual(leftovers(path.dirname(target)), []);
  assert.deepEqual(leftovers(path.dirname(encBackup)), [], 'the decrypted copy is gone');
});

test('an encrypted backup without a passphrase, with a wrong one, truncated or changed: refused, nothing changed', () => {
  const target = restored;
  const keep = state(target);
  const check = (file, args, status, pattern, what) => {
    const r = cli(['restore', '--from', file, '--db', target, '--force', ...args]);
    assert.equal(r.status, status, `${what}: ${r.stderr}`);
    assert.match(r.stderr, pattern, what);
    assertSameState(state(target), keep, `${what}: the database is unchanged`);
    assert.deepEqual(leftovers(PG ? path.dirname(file) : path.dirname(target)), [], `${what}: nothing left`);
  };
  check(encBackup, [], 2, /是加密备份，需要口令.*--passphrase-file.*MZ_BACKUP_PASSPHRASE/, 'no passphrase');
  check(encBackup, ['--passphrase-file', writePass('wrong.pass', '民政 backup passphrase 2021\n')], 1,
    /口令不正确.*wrong_passphrase.*未恢复/, 'wrong passphrase');
  check(encBackup, ['--passphrase-file', writePass('short.pass', 'short\n')], 2, /至少需要 8 个字符/, 'short passphrase');

  const bytes = readFileSync(encBackup);
  const cut = path.join(tmp, 'cut.mzbk');
  writeFileSync(cut, bytes.subarray(0, bytes.length - 1000));
  check(cut, ['--passphrase-file', passFile], 1, /不完整.*backup_truncated/, 'truncated');
  writeFileSync(cut, bytes.subarray(0, 84 + (1 << 20) + 17), { mode: 0o600 });
  check(cut, ['--passphrase-file', passFile], 1, /不完整.*backup_truncated/, 'cut at a chunk boundary');
  const changed = Buffer.from(bytes);
  changed[84 + 5000] ^= 0x20;
  writeFileSync(cut, changed);
  check(cut, ['--passphrase-file', passFile], 1, /已损坏或被篡改.*backup_tampered/, 'one bit changed');
  const header = Buffer.from(bytes);
  header[9] = 0x7f; // opslimit far out of range
  writeFileSync(cut, header);
  check(cut, ['--passphrase-file', passFile], 1, /参数超出允许范围.*bad_backup/, 'a changed header');
});

test('the passphrase comes from MZ_BACKUP_PASSPHRASE or the config file, never from a command-line argument', () => {
  const viaEnv = path.join(tmp, 'enc', 'env.mzbk');
  // on PostgreSQL the database backed up is a scratch copy of the backup
  const source = PG ? pgCopyOf(backupFile) : backupFile;
  const r = cliEnv(['backup', '--db', source, '--to', viaEnv, ...KDF], { MZ_BACKUP_PASSPHRASE: 'from the environment 1' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(viaEnv).subarray(0, 5).toString(), 'MZBK1');
  const conf = path.join(tmp, 'crypt.conf');
  writeFileSync(conf, `[restore]\npassphrase-file = ${writePass('env.pass', 'from the environment 1\n')}\n`);
  const target = newTarget('enc-restored/from-config.db');
  const c = cli(['restore', '--from', viaEnv, '--db', target, '--config', conf]);
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(figures(target), figures(view(backupFile)));

  const argv = cli(['backup', '--db', source, '--to', path.join(tmp, 'enc', 'argv.mzbk'), '--passphrase', 'visible in ps 123']);
  assert.equal(argv.status, 2);
  assert.match(argv.stderr, /不接受 --passphrase.*--passphrase-file.*MZ_BACKUP_PASSPHRASE/);
  assert.equal(existsSync(path.join(tmp, 'enc', 'argv.mzbk')), false);
  const bad = cli(['backup', '--db', source, '--to', path.join(tmp, 'enc', 'x.mzbk'), '--passphrase-file', passFile, '--kdf-strength', 'weak']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /interactive、moderate 或 sensitive/);
});

test('decrypt gives the operator the plain backup (SQLite file, pg_dump archive); a plain backup still restores without a passphrase', () => {
  const plain = path.join(tmp, 'enc', 'plain.db');
  const r = cli(['decrypt', '--from', encBackup, '--to', plain, '--passphrase-file', passFile]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /解密完成/);
  assert.equal(readFileSync(plain).subarray(0, PLAIN_MAGIC.length).toString(), PLAIN_MAGIC);
  assert.equal(statSync(plain).mode & 0o077, 0);
  assert.deepEqual(figures(view(plain)), encFigures);
  assert.equal(auditVerify(view(plain)).status, 0);
  const again = cli(['decrypt', '--from', encBackup, '--to', plain, '--passphrase-file', passFile]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /已存在.*--force/);
  const wrong = path.join(tmp, 'enc', 'wrong.db');
  const w = cli(['decrypt', '--from', encBackup, '--to', wrong, '--passphrase-file', path.join(tmp, 'wrong.pass')]);
  assert.equal(w.status, 1);
  assert.match(w.stderr, /口令不正确/);
  assert.equal(existsSync(wrong), false);
  const notEnc = cli(['decrypt', '--from', backupFile, '--to', wrong, '--passphrase-file', passFile]);
  assert.equal(notEnc.status, 2);
  assert.match(notEnc.stderr, /不是加密备份/);

  // A plain backup restores as before, with or without a passphrase at hand.
  const target = newTarget('enc-restored/plain-restore.db');
  const p = cliEnv(['restore', '--from', backupFile, '--db', target], { MZ_BACKUP_PASSPHRASE: 'from the environment 1' });
  assert.equal(p.status, 0, p.stderr);
  assert.equal(lastAudit(target, 'restore.apply').encrypted, false);
});

// ---- the configuration file -----------------------------------------------------------------

/** Spawn `minzheng ARGS`, wait until url/healthz answers 200; {child, output(), stop()}. */
async function serveWith(args, url, env = {}) {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Asia/Shanghai', ...env } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited;
  const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  const deadline = Date.now() + 15000;
  for (;;) {
    if (exited) throw new Error(`serve exited early ${JSON.stringify(exited)}: ${output}`);
    const r = await request(url, 'GET', '/healthz').catch(() => null);
    if (r?.status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`no /healthz within 15 s: ${output}`);
    }
    await new Promise((r2) => setTimeout(r2, 50));
  }
  return {
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      assert.deepEqual(await done, { code: 0, signal: null }, output);
    },
  };
}

test('serve started with only --config takes --db and --listen from the file, [serve] before [global]', async () => {
  const port = await freePort();
  const conf = path.join(tmp, 'serve.conf');
  writeFileSync(
    conf,
    [
      '# minzheng configuration',
      '[global]',
      `db = ${restored}`,
      'listen = 127.0.0.1:1   # [serve] below wins for serve',
      '',
      '[serve]',
      `listen = 127.0.0.1:${port}   ; loopback only`,
      'threads = 2',
      'quiet = true',
      '',
      '[backup]',
      'force = no',
    ].join('\n'),
  );
  const s = await serveWith(['serve', '--config', conf], `http://127.0.0.1:${port}`);
  try {
    const r = await request(`http://127.0.0.1:${port}`, 'GET', '/healthz');
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'ok' });
    assert.match(s.output(), /2 个线程/, 'threads = 2 from [serve]');
    assert.doesNotMatch(s.output(), /GET \/healthz/, 'quiet = true: no access log');
  } finally {
    await s.stop();
  }
});

test('MINZHENG_CONFIG names the file; the command line wins over it; --no-FLAG turns a flag off', async () => {
  const port = await freePort();
  const conf = path.join(tmp, 'env.conf');
  writeFileSync(conf, `[global]\ndb = ${path.join(tmp, 'does-not-matter.db')}\n[serve]\nlisten = 127.0.0.1:1\nquiet = yes\n`);
  const s = await serveWith(['serve', '--db', restored, '--listen', `127.0.0.1:${port}`, '--no-quiet'], `http://127.0.0.1:${port}`, {
    MINZHENG_CONFIG: conf,
  });
  try {
    await new Promise((r) => setTimeout(r, 100));
    assert.match(s.output(), /GET \/healthz 200/, '--no-quiet overrides quiet = yes');
  } finally {
    await s.stop();
  }
  assert.equal(existsSync(path.join(tmp, 'does-not-matter.db')), false, '--db on the command line wins');
  // Any subcommand reads [global]: audit verify with no --db.
  const v = cliEnv(['audit', 'verify'], { MINZHENG_CONFIG: path.join(tmp, 'serve.conf') });
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /审计日志完好/);
});

test('a malformed config line exits 2 naming the file and the line', () => {
  const conf = path.join(tmp, 'bad.conf');
  writeFileSync(conf, `[global]\ndb = ${restored}\n[serve]\nlisten 127.0.0.1:8080\n`);
  const r = cli(['serve', '--config', conf]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, new RegExp(`配置文件 ${conf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} 第 4 行`));
  assert.match(r.stderr, /键 = 值/);
  const viaEnv = cliEnv(['audit', 'verify'], { MINZHENG_CONFIG: conf });
  assert.equal(viaEnv.status, 2);
  assert.match(viaEnv.stderr, /第 4 行/);
});

test('a flag with a value that is not a boolean exits 2 naming the line', () => {
  const conf = path.join(tmp, 'flag.conf');
  writeFileSync(conf, `[global]\ndb = ${restored}\n\n[serve]\nquiet = maybe\n`);
  const r = cli(['serve', '--config', conf]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /第 5 行：quiet 应为 true\/false/);
});

test('an explicit config file that does not exist exits 2; --help works whatever the file says', () => {
  const missing = path.join(tmp, 'missing.conf');
  const r = cli(['audit', 'verify', '--config', missing]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /无法读取配置文件 .*missing\.conf：文件不存在/);
  const e = cliEnv(['backup', '--db', restored, '--to', path.join(tmp, 'x.db')], { MINZHENG_CONFIG: missing });
  assert.equal(e.status, 2);
  assert.match(e.stderr, /missing\.conf/);
  const h = cli(['serve', '--help', '--config', missing]);
  assert.equal(h.status, 0);
});

test('deploy/minzheng.conf, the example file, parses and names the production paths', () => {
  const example = path.join(repoRoot, 'deploy/minzheng.conf');
  const text = readFileSync(example, 'utf8');
  assert.match(text, /^\[global\]$/m);
  assert.match(text, /^db = \/var\/lib\/minzheng\/minzheng\.db$/m);
  assert.match(text, /^\[serve\]$/m);
  assert.match(text, /^listen = 127\.0\.0\.1:8080$/m);
  // backup takes --db from it and stops before writing anything: the database is missing here,
  // or, were it present, the target exists and --force is not given.
  const r = cli(['backup', '--config', example, '--to', example]);
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, /配置文件/, r.stderr);
  assert.match(r.stderr, /数据库文件不存在：\/var\/lib\/minzheng\/minzheng\.db|备份文件已存在/);
});

// ---- /metrics ---------------------------------------------------------------------------------

/** {name{labels}: value} of a Prometheus text body. */
function parseMetrics(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-z_]+="[^"]*",?)*\})?) (\S+)$/.exec(line);
    assert.ok(m, `a sample line: ${line}`);
    out.set(m[1], Number(m[2]));
  }
  return out;
}

test('/metrics counts requests by route pattern, method and status, with a latency histogram', async () => {
  const s = await spawnServe(restored, { extraArgs: ['--threads', '2'] });
  try {
    const admin = await login(s.url, 'admin');
    const personId = Number(sqlite(restored, 'SELECT min(id) FROM persons;').trim());
    for (let i = 0; i < 3; i++) assertStatus(await admin.get('/api/v1/regions/3707'), 200);
    assertStatus(await admin.del('/api/v1/regions/3707'), 405);
    for (let i = 0; i < 2; i++) assertStatus(await admin.get(`/api/v1/persons/${personId + i}`), 200);
    for (let i = 0; i < 2; i++) assertStatus(await admin.get(`/api/v1/no-such-thing/${i}`), 404);
    assertStatus(await request(s.url, 'GET', '/'), 200);
    // Many at once, spread over both loops: the sum over the workers is exact.
    const burst = await Promise.all(Array.from({ length: 40 }, () => admin.get('/api/v1/regions?parent=3707')));
    for (const r of burst) assertStatus(r, 200);

    const res = await request(s.url, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const m = parseMetrics(res.text);
    const req = (route, method, status) => m.get(`minzheng_http_requests_total{route="${route}",method="${method}",status="${status}"}`);
    assert.equal(req('/api/v1/session', 'POST', 200), 1);
    assert.equal(req('/api/v1/regions/{code}', 'GET', 200), 3);
    assert.equal(req('/api/v1/regions/{code}', 'DELETE', 405), 1, 'a wrong method is still counted under its pattern');
    assert.equal(req('/api/v1/persons/{id}', 'GET', 200), 2);
    assert.equal(req('/api/v1/regions', 'GET', 200), 40);
    assert.equal(req('other', 'GET', 404), 2, 'unknown API paths are one label');
    assert.equal(req('static', 'GET', 200), 1);
    assert.ok(req('/healthz', 'GET', 200) >= 1);
    assert.doesNotMatch(res.text, /route="\/api\/v1\/(regions\/3707|persons\/\d|no-such-thing)/, 'no raw paths as labels');

    // The histogram of a route: cumulative buckets up to +Inf, whose count is the requests made.
    const h = (route, suffix, le) => m.get(`minzheng_http_request_duration_seconds_${suffix}{route="${route}"${le ? `,le="${le}"` : ''}}`);
    const les = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
    for (const [route, n] of [
      ['/api/v1/regions/{code}', 4],
      ['/api/v1/persons/{id}', 2],
      ['/api/v1/regions', 40],
      ['other', 2],
    ]) {
      assert.equal(h(route, 'count'), n, `${route} _count`);
      let prev = 0;
      for (const le of les) {
        const v = h(route, 'bucket', le);
        assert.ok(Number.isInteger(v) && v >= prev, `${route} bucket le=${le} is cumulative`);
        prev = v;
      }
      assert.equal(h(route, 'bucket', '+Inf'), n);
      assert.ok(h(route, 'sum') > 0 && h(route, 'sum') < 10 * n);
    }

    assert.equal(m.get('minzheng_db_connections{use="worker"}'), 2);
    assert.equal(m.get('minzheng_db_connections{use="jobs"}'), 1);
    assert.match(res.text, /^minzheng_build_info\{version="[^"]+",schema="\d+"\} 1$/m);
    assert.ok(m.get('process_resident_memory_bytes') > 1e6);
    assert.ok(m.get('minzheng_uptime_seconds') >= 0);
    const expected = m.get('minzheng_reports_expected_today');
    const received = m.get('minzheng_reports_received_today');
    assert.ok(expected > 0, 'the demo city has institutions open today');
    assert.ok(Math.abs(m.get('minzheng_reports_completeness_ratio') - received / expected) < 1e-4);

    // The scrape itself is counted on the next one.
    const again = parseMetrics((await request(s.url, 'GET', '/metrics')).text);
    assert.equal(again.get('minzheng_http_requests_total{route="/metrics",method="GET",status="200"}'), 1);
  } finally {
    await s.stop();
  }
});

test('/metrics labels every API route with its own pattern, as the router matches it', async () => {
  const all = routes().filter((r) => r.pattern.startsWith('/api/'));
  assert.ok(all.length > 100);
  const s = await spawnServe(restored);
  try {
    // Unauthenticated: the router matches the route first, then answers 401 (or 400, 403…);
    // a public route answers for itself (404 for a record 1 that is not there)
    for (const r of all) {
      const p = r.pattern.replace(/\{[^}]+\}/g, '1');
      const res = await request(s.url, r.method, p, r.method === 'GET' || r.method === 'DELETE' ? {} : { body: {} });
      if (!r.pattern.startsWith('/api/v1/public/')) assert.notEqual(res.status, 404, `${r.method} ${p}`);
    }
    const m = parseMetrics((await request(s.url, 'GET', '/metrics')).text);
    const missing = all.filter((r) => ![...m.keys()].some((k) => k.startsWith(`minzheng_http_requests_total{route="${r.pattern}",method="${r.method}",`)));
    assert.deepEqual(missing, [], 'each route counted under its own pattern');
    let total = 0;
    for (const [k, v] of m) if (k.startsWith('minzheng_http_requests_total{route="/api/')) total += v;
    assert.equal(total, all.length, 'and nothing else under an API pattern');
  } finally {
    await s.stop();
  }
});

// ---- systemd and nginx ------------------------------------------------------------------------

test('deploy/minzheng.service: unprivileged, restarted on failure, hardened, reads the config file', (t) => {
  const unit = readFileSync(path.join(repoRoot, 'deploy/minzheng.service'), 'utf8');
  const has = (line) => assert.match(unit, new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), line);
  has('User=minzheng');
  has('Restart=on-failure');
  has('ExecStart=/usr/local/bin/minzheng serve --config /etc/minzheng/minzheng.conf');
  for (const line of [
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    'ReadWritePaths=/var/lib/minzheng',
    'ProtectHome=yes',
    'PrivateTmp=yes',
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    'MemoryDenyWriteExecute=yes',
    'LockPersonality=yes',
    'SystemCallFilter=@system-service',
    'CapabilityBoundingSet=',
    'UMask=0077',
  ])
    has(line);

  const sa = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (sa.error) {
    t.diagnostic('systemd-analyze is not installed: `systemd-analyze verify` not run');
    return;
  }
  // verify wants the ExecStart binary to exist: the same unit, pointed at the built one.
  const copy = path.join(tmp, 'minzheng.service');
  writeFileSync(copy, unit.replaceAll('/usr/local/bin/minzheng', bin));
  const v = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stderr + v.stdout);
  assert.equal((v.stderr + v.stdout).trim(), '', 'no warning (an unknown key is only a warning)');
});

test('docs/nginx.conf: TLS at the proxy, several upstreams, 33m bodies, /metrics for the monitoring network', () => {
  const conf = readFileSync(path.join(repoRoot, 'docs/nginx.conf'), 'utf8');
  assert.match(conf, /^\s*listen 443 ssl/m);
  assert.match(conf, /^\s*ssl_certificate\s+\S+;/m);
  assert.match(conf, /^\s*return 301 https:/m, 'plain HTTP redirects to HTTPS');
  assert.match(conf, /^\s*client_max_body_size 33m;/m, 'a 32 MiB import upload fits');
  const upstream = /upstream minzheng \{([^}]*)\}/.exec(conf);
  assert.ok(upstream, 'an upstream block');
  assert.ok((upstream[1].match(/server \S+:\d+/g) || []).length >= 2, 'several instances (some commented out)');
  const metrics = /location = \/metrics \{([^}]*)\}/.exec(conf);
  assert.ok(metrics, 'a location for /metrics');
  assert.match(metrics[1], /allow \S+;/);
  assert.match(metrics[1], /deny all;/);
  assert.match(metrics[1], /proxy_pass http:\/\/minzheng;/);
});
