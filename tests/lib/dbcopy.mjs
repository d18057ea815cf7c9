// dbcopy.mjs — what a test does to a whole database beside the binary, on either engine: the
// dbPath is a SQLite file, or a postgresql:// URL (MZ_TEST_PG_URL, see server.mjs). Checkpoint,
// copy an idle database (a snapshot) or one a server is using, remove a copy, dump it as SQL text
// (data and schema), check its storage (integrity), wait until a killed client's sessions are
// gone, and run SQL with the same output on both. All asynchronous: the crash test runs rounds
// side by side and must not block its timers.
//
// On PostgreSQL a copy is a new database mz_t_<pid>_<random> on the same server (the names
// server.mjs gives and pgDropDb drops); copies not removed by the test are dropped when the
// process exits, unless keep() was called (a failing round keeps its database to look at).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';

/** Whether a dbPath is a PostgreSQL database (a URL) rather than a SQLite file. */
export const isPg = (db) => /^postgres(ql)?:\/\//.test(String(db));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Run a program to its end: {status, stdout, stderr}; a missing program rejects. */
function run(file, args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', (e) => reject(new Error(`${file}: ${e.message}`)));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

async function runOk(file, args, opts) {
  const r = await run(file, args, opts);
  if (r.status !== 0) throw new Error(`${file} ${args.filter((a) => !isPg(a)).join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return r.stdout;
}

/** SQL through psql on a database, unaligned, no header; stops at the first error. */
export const psql = (url, sql) => runOk('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { input: sql });

/** SQL through the sqlite3 shell (a busy database is waited for). */
const sqlite3 = (file, sql, sep = '|') => runOk('sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', '-separator', sep, file], { input: sql });

/**
 * SQL on either engine — sqlite3, or psql on a PostgreSQL database — printed the same way: one
 * line per row, the values joined by sep (default |), no header, NULL as an empty value; stops at
 * the first error (rejects). The SQL itself must suit both (PostgreSQL prints booleans as t/f).
 */
export function sql(db, text, { sep = '|' } = {}) {
  if (!isPg(db)) return sqlite3(db, text, sep);
  return runOk('psql', [db, '-X', '-q', '-A', '-t', '-F', sep, '-v', 'ON_ERROR_STOP=1'], { input: text });
}

// ---- PostgreSQL databases ---------------------------------------------------------------------

const made = new Set(); // copies made here and not yet removed
const kept = new Set();

/** The URL of the server's maintenance database (MZ_TEST_PG_URL's) for a database's URL. */
function serverUrl(db) {
  const u = new URL(db);
  u.pathname = new URL(process.env.MZ_TEST_PG_URL || db).pathname;
  if (u.pathname === new URL(db).pathname) u.pathname = '/postgres';
  return u.href;
}
const dbName = (url) => decodeURIComponent(new URL(url).pathname.slice(1));
function withName(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.href;
}
const newName = () => `mz_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;

process.on('exit', () => {
  const names = [...made].filter((u) => !kept.has(u));
  if (!names.length) return;
  spawnSync('psql', [serverUrl(names[0]), '-X', '-q', ...names.flatMap((u) => ['-c', `DROP DATABASE IF EXISTS ${dbName(u)} WITH (FORCE)`])], { encoding: 'utf8' });
});

/** The sessions connected to a database other than ours (psql's own). */
const others = async (url) =>
  Number((await psql(serverUrl(url), `SELECT count(*) FROM pg_stat_activity WHERE datname = '${dbName(url)}' AND pid <> pg_backend_pid();`)).trim());

/**
 * Wait until nobody is connected to the database: after a client was killed its server sessions
 * run on until they notice (the statement under way ends, its transaction commits or rolls back).
 * What the crash left is only settled then — PostgreSQL's counterpart of reading the WAL before
 * anything opens the file again. A file needs no waiting.
 */
export async function quiesce(db, { timeoutMs = 30000 } = {}) {
  if (!isPg(db)) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = await others(db);
    if (n === 0) return;
    if (Date.now() > deadline) throw new Error(`${dbName(db)}: ${n} sessions still connected ${timeoutMs} ms after the kill`);
    await sleep(20);
  }
}

// ---- the operations -----------------------------------------------------------------------------

/** SQLite: the WAL checkpointed into the main file (so the file alone holds everything). On
 * PostgreSQL the server holds the data: nothing to do. */
export async function checkpoint(db) {
  if (!isPg(db)) await sqlite3(db, 'PRAGMA wal_checkpoint(TRUNCATE);');
}

/**
 * A copy of a database nobody is using (no server, no command running on it): SQLite checkpoints
 * and copies the file to `to`; PostgreSQL makes a new database from it (CREATE DATABASE … TEMPLATE,
 * a block copy, which refuses a source with sessions: they are waited for a few seconds) and `to`
 * is only a name for messages. Returns the copy's dbPath.
 */
export async function snapshot(db, to) {
  if (!isPg(db)) {
    await checkpoint(db);
    copyFileSync(db, to);
    return to;
  }
  const name = newName();
  for (let i = 0; ; i++) {
    const r = await run('psql', [serverUrl(db), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name} TEMPLATE ${dbName(db)}`]);
    if (r.status === 0) break;
    if (i >= 100 || !/being accessed by other users/.test(r.stderr)) throw new Error(`a copy of ${dbName(db)} (${to}): ${r.stderr}`);
    await sleep(100);
  }
  const url = withName(db, name);
  made.add(url);
  return url;
}

/**
 * A consistent copy of a database a server is using, taken without stopping it: SQLite
 * `VACUUM INTO` (the WAL included) to the file `to`; PostgreSQL pg_dump (one snapshot of every
 * table) restored into a new database in one transaction — schema, triggers, sequences and data.
 * Returns the copy's dbPath.
 */
export async function liveCopy(db, to) {
  if (!isPg(db)) {
    await sqlite3(db, `VACUUM INTO '${to.replace(/'/g, "''")}';`);
    return to;
  }
  const name = newName();
  const url = withName(db, name);
  await psql(serverUrl(db), `CREATE DATABASE ${name};`);
  made.add(url);
  const r = await run('bash', ['-o', 'pipefail', '-c', 'pg_dump --no-owner "$1" | psql -X -q -1 -v ON_ERROR_STOP=1 "$2" >/dev/null', 'copy', db, url]);
  if (r.status !== 0) throw new Error(`pg_dump of ${dbName(db)} into ${name}: ${r.stderr.slice(0, 2000)}`);
  return url;
}

/** Remove a database: the file with its -wal and -shm, or DROP DATABASE (its sessions ended). */
export async function removeDb(db) {
  if (!isPg(db)) {
    for (const s of ['', '-wal', '-shm']) rmSync(db + s, { force: true });
    return;
  }
  await psql(serverUrl(db), `DROP DATABASE IF EXISTS ${dbName(db)} WITH (FORCE);`);
  made.delete(db);
}

/** Keep a PostgreSQL copy when the process exits (a failure's database, to look at). */
export function keep(db) {
  if (isPg(db)) kept.add(db);
}

/** pg_dump's output without its \restrict and \unrestrict lines (a random key, new each dump). */
const unrestricted = (text) => text.replace(/^\\(un)?restrict .*\n/gm, '');

/**
 * The whole database as SQL text, schema and data: `sqlite3 .dump`, or `pg_dump --inserts` (one
 * INSERT line per row, as .dump writes them: `INSERT INTO public.t VALUES (…);`). PostgreSQL's
 * sequence positions (`SELECT pg_catalog.setval(…)`) are left out: a sequence moves on an insert
 * that is rolled back — by design, not stored data; SQLite's rowids leave no such trace.
 */
export async function dump(db) {
  if (!isPg(db)) return runOk('sqlite3', ['-batch', db, '.dump']);
  const out = await runOk('pg_dump', ['--inserts', '--no-owner', db]);
  return unrestricted(out).split('\n').filter((l) => !/^SELECT pg_catalog\.setval\(/.test(l)).join('\n');
}

/** The schema as text: tables, indexes, triggers (and views, functions on PostgreSQL). */
export async function schema(db) {
  if (!isPg(db)) return runOk('sqlite3', ['-batch', db, 'SELECT type, name, sql FROM sqlite_master ORDER BY name;']);
  return unrestricted(await runOk('pg_dump', ['--schema-only', '--no-owner', db]));
}

/** Whether a table exists. */
export async function hasTable(db, name) {
  const sql = isPg(db)
    ? `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '${name}';`
    : `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '${name}';`;
  return (isPg(db) ? await psql(db, sql) : await sqlite3(db, sql)).trim() === '1';
}

/**
 * The storage checked page by page: 'ok', else what is wrong. SQLite: PRAGMA integrity_check
 * (quick: PRAGMA quick_check, without matching indexes to their tables). PostgreSQL: amcheck
 * (installed in a schema of its own, mz_check, so the application's schema does not change):
 * verify_heapam on every table, bt_index_check on every B-tree index — with heapallindexed (every
 * row found in every index) unless quick.
 */
export async function integrity(db, { quick = false } = {}) {
  if (!isPg(db)) return (await sqlite3(db, quick ? 'PRAGMA quick_check;' : 'PRAGMA integrity_check;')).trim();
  const r = await run('psql', [db, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], {
    input: `SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS mz_check;
CREATE EXTENSION IF NOT EXISTS amcheck SCHEMA mz_check;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
      JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND a.amname = 'btree' AND i.indisvalid AND i.indisready LOOP
    PERFORM mz_check.bt_index_check(r.oid, ${quick ? 'false' : 'true'});
  END LOOP;
END $$;
SELECT coalesce(string_agg(format('%s, block %s, item %s: %s', c.relname, v.blkno, v.offnum, v.msg), E'\\n'), 'ok')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL mz_check.verify_heapam(c.oid) v
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'm');
`,
  });
  return r.status === 0 ? r.stdout.trim() : `amcheck: ${r.stderr.trim()}`;
}

/** The statement dropping a trigger (PostgreSQL names its table; SQLite's names are global). */
export const dropTrigger = (db, name, table) => (isPg(db) ? `DROP TRIGGER ${name} ON ${table};` : `DROP TRIGGER ${name};`);
