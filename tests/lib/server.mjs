// server.mjs — a real `minzheng serve` for one API test file: a temp dir, `init` + a small `demo`
// city, a free loopback port, wait for /healthz; stop() sends SIGTERM and requires a clean exit
// (code 0 within 5 s). Also: running CLI subcommands and logging in as a demo user.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client, request, sessionCookie } from './http.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.resolve(repoRoot, process.env.MZ_BIN || 'build/minzheng');
export const DEMO_PASSWORD = 'Demo@2020';

/** Run the binary synchronously: {status, stdout, stderr}. opts: {input, timeout}. */
export function cli(args, { input, timeout = 60000 } = {}) {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', timeout, env: { ...process.env, TZ: 'Asia/Shanghai' } });
  if (r.error) throw new Error(`minzheng ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Run the binary and require exit 0; returns stdout. */
export function cliOk(args, opts) {
  const r = cli(args, opts);
  assert.equal(r.status, 0, `minzheng ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * With MZ_TEST_PG_URL (a postgresql:// URL of a server, e.g. from tests/pg/cluster.sh), each test
 * file gets a fresh database mz_t_<random> on that server instead of a file: its URL is the
 * dbPath passed as --db. Unset, nothing changes.
 */
function pgCreateDb() {
  const base = new URL(process.env.MZ_TEST_PG_URL);
  const name = `mz_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const r = spawnSync('psql', [base.href, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`CREATE DATABASE ${name}: ${r.error?.message || r.stderr}`);
  base.pathname = `/${name}`;
  return base.href;
}

function psqlOk(url, sql) {
  const r = spawnSync('psql', [url, '-X', '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${sql}: ${r.error?.message || r.stderr}`);
}

/**
 * A demo database on PostgreSQL: `init` + `demo` run once per binary build, scale, seed and
 * assistance into a template database mz_tpl_…; each caller gets a copy (CREATE DATABASE …
 * TEMPLATE, a file copy on the server) — the demo through libpq takes seconds, the copy a fraction.
 */
function pgDemoDb({ scale, seed, assistance }) {
  const base = new URL(process.env.MZ_TEST_PG_URL);
  const built = Math.floor(statSync(bin).mtimeMs).toString(36);
  const tpl = `mz_tpl_${built}_${String(scale).replace('.', '_')}_${seed}_${assistance ? 'a' : 'n'}`;
  const exists = spawnSync('psql', [base.href, '-X', '-At', '-c', `SELECT 1 FROM pg_database WHERE datname = '${tpl}'`], { encoding: 'utf8' });
  if (exists.stdout.trim() !== '1') {
    const made = pgCreateDb();
    try {
      // the demo through libpq takes several times SQLite's time: minutes for the larger cities
      cliOk(['init', '--db', made], { timeout: 600000 });
      cliOk(['demo', '--db', made, '--seed', String(seed), '--scale', String(scale), ...(assistance ? [] : ['--no-assistance'])], { timeout: 600000 });
      psqlOk(base.href, `ALTER DATABASE ${new URL(made).pathname.slice(1)} RENAME TO ${tpl}`);
    } catch (e) {
      pgDropDb(made);
      if (!/already exists/.test(e.message)) throw e;
    }
  }
  const name = `mz_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  for (let i = 0; ; i++) {
    /* another process may be copying the same template at this moment: PostgreSQL refuses a
     * template in use, so wait and retry */
    const r = spawnSync('psql', [base.href, '-X', '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name} TEMPLATE ${tpl}`], { encoding: 'utf8' });
    if (r.status === 0) break;
    if (i >= 50 || !/being accessed by other users/.test(r.stderr)) throw new Error(`CREATE DATABASE ${name} TEMPLATE ${tpl}: ${r.stderr}`);
    spawnSync('sleep', ['0.2']);
  }
  base.pathname = `/${name}`;
  return base.href;
}

/** Drop a database made by pgCreateDb (no-op for a file path). */
export function pgDropDb(dbPath) {
  if (!process.env.MZ_TEST_PG_URL || !/^postgres(ql)?:\/\//.test(dbPath)) return;
  const u = new URL(dbPath);
  const name = u.pathname.slice(1);
  u.pathname = new URL(process.env.MZ_TEST_PG_URL).pathname;
  spawnSync('psql', [u.href, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { encoding: 'utf8' });
}

/**
 * Create a temp dir with an initialized demo database; {dir, dbPath}. Without `assistance` the
 * demo city has no assistance cases and no payroll (`demo --no-assistance`): the tests make their
 * own, from 2020-01 on.
 */
export function makeDemoDb({ scale = 0.02, seed = 1, assistance = false } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-api-'));
  if (process.env.MZ_TEST_PG_URL) return { dir, dbPath: pgDemoDb({ scale, seed, assistance }) };
  const dbPath = path.join(dir, 'minzheng.db');
  try {
    cliOk(['init', '--db', dbPath]);
    cliOk(['demo', '--db', dbPath, '--seed', String(seed), '--scale', String(scale), ...(assistance ? [] : ['--no-assistance'])]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    pgDropDb(dbPath);
    throw e;
  }
  return { dir, dbPath };
}

/**
 * Spawn `serve` on dbPath and wait for GET /healthz = 200. Returns {url, port, child, stop(),
 * exited} — stop() sends SIGTERM and asserts exit code 0 within 5 s; exited resolves to
 * {code, signal} when the process ends.
 */
export async function spawnServe(dbPath, { extraArgs = [] } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--db', dbPath, '--listen', `127.0.0.1:${port}`, '--quiet', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TZ: 'Asia/Shanghai' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let done;
  exited.then((x) => (done = x));

  const deadline = Date.now() + 15000;
  for (;;) {
    if (done) throw new Error(`serve exited early (${JSON.stringify(done)}): ${output.slice(0, 2000)}`);
    try {
      const r = await request(url, 'GET', '/healthz');
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve did not answer GET /healthz 200 within 15 s: ${output.slice(0, 2000)}`);
    }
    await sleep(50);
  }

  async function stop() {
    if (!done) child.kill('SIGTERM');
    let timer;
    const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), 5000)));
    const r = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      child.kill('SIGKILL');
      await exited;
      assert.fail(`serve did not exit within 5 s of SIGTERM: ${output.slice(-2000)}`);
    }
    assert.deepEqual(r, { code: 0, signal: null }, `serve must exit 0 on SIGTERM; output: ${output.slice(-2000)}`);
  }
  return { url, port, child, stop, exited, output: () => output };
}

/**
 * One server for a test file: {url, dbPath, dir, bin, stop(), cli(args), login(user, pw)}.
 * stop() also removes the temp dir (after checking the clean exit).
 */
export async function startServer({ scale = 0.02, seed = 1, assistance = false } = {}) {
  const { dir, dbPath } = makeDemoDb({ scale, seed, assistance });
  let srv;
  try {
    srv = await spawnServe(dbPath);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    pgDropDb(dbPath);
    throw e;
  }
  return {
    url: srv.url,
    port: srv.port,
    dbPath,
    dir,
    bin,
    child: srv.child,
    exited: srv.exited,
    output: srv.output,
    async stop() {
      try {
        await srv.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
        pgDropDb(dbPath);
      }
    },
    cli: (args, opts) => cli(args, opts),
    login: (username, password = DEMO_PASSWORD) => login(srv.url, username, password),
  };
}

/**
 * Log in; requires 200. Returns a Client with .cookie, .csrf, .user and .setCookie (the raw
 * Set-Cookie header) and .loginResponse.
 */
export async function login(url, username, password = DEMO_PASSWORD) {
  const res = await request(url, 'POST', '/api/v1/session', { body: { username, password } });
  assert.equal(res.status, 200, `login ${username}: ${res.status} ${res.text.slice(0, 300)}`);
  const c = sessionCookie(res.headers);
  assert.ok(c, `login ${username}: no mz_session cookie in Set-Cookie`);
  const client = new Client(url, { cookie: c.pair, csrf: res.json?.csrf_token, user: res.json?.user });
  client.setCookie = c.header;
  client.loginResponse = res;
  return client;
}

/** A bearer client for a user, with a token made by `minzheng token create`. */
export function bearer(url, dbPath, username) {
  const token = cliOk(['token', 'create', '--db', dbPath, '--username', username]).trim();
  return new Client(url, { bearer: token });
}

/** Add a user with the CLI (password on stdin). */
export function addUser(dbPath, username, role, region, password = DEMO_PASSWORD) {
  return cliOk(['user', 'add', '--db', dbPath, '--username', username, '--role', role, '--region', region, '--password-stdin'], {
    input: password + '\n',
  });
}

/** `audit verify`: {status, rows (from "N 条记录" when intact), out}. */
export function auditVerify(dbPath) {
  const r = cli(['audit', 'verify', '--db', dbPath]);
  const out = r.stdout + r.stderr;
  const m = /(\d+)\s*条记录/.exec(out) || /(\d+)\s*rows?/i.exec(out);
  return { status: r.status, rows: m ? Number(m[1]) : undefined, out };
}

/** `minzheng routes` as [{method, pattern}]. */
export function routes() {
  return cliOk(['routes'])
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [method, pattern, ...rest] = l.split(/\s+/);
      assert.equal(rest.length, 0, `routes line "${l}" is not "METHOD PATTERN"`);
      return { method, pattern };
    });
}

/** sqlite3 CLI on a database: stdout (throws on failure unless allowFail). */
export function sqlite(dbPath, sql, { allowFail = false } = {}) {
  /* a PostgreSQL test database (MZ_TEST_PG_URL): the same SQL through psql, rows printed as
   * sqlite3 prints them (values joined by |, no header) */
  const pg = process.env.MZ_TEST_PG_URL && /^postgres(ql)?:\/\//.test(dbPath);
  const r = pg
    ? spawnSync('psql', [dbPath, '-X', '-q', '-A', '-t', '-F', '|', '-v', 'ON_ERROR_STOP=1'], { input: sql, encoding: 'utf8' })
    : spawnSync('sqlite3', ['-batch', dbPath], { input: sql, encoding: 'utf8' });
  if (r.error) throw new Error(`sqlite3: ${r.error.message} (install the Debian package sqlite3)`);
  if (!allowFail) assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
  return allowFail ? { status: r.status, stdout: r.stdout, stderr: r.stderr } : r.stdout;
}

/**
 * A new, empty PostgreSQL database on the server of MZ_TEST_PG_URL (for a restore target or a
 * scratch copy): its URL. Drop it with pgDropDb.
 */
export function pgEmptyDb() {
  return pgCreateDb();
}
