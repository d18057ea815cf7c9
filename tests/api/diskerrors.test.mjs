// diskerrors.test.mjs — clear messages when the disk or the database file is the trouble: a
// database from a newer version of minzheng (refused, stable code db_too_new), a read-only
// database file (CLI writes refused naming the path; `serve` warns, reads work, writes answer 503
// db_readonly), a database locked by another process (503 busy after the busy timeout, not a
// hang; the CLI says the database is in use), and a full disk (507 disk_full, through fault
// injection; a real SQLITE_FULL is in tests/unit/test_fault.c).
// On PostgreSQL (MZ_TEST_PG_URL) each case has its counterpart on the server: the read-only
// database is one with default_transaction_read_only = on (as a standby refuses writes: SQLSTATE
// 25006), the other process is a session holding the writers' advisory lock inside an open
// transaction (lock_timeout stands for the busy timeout), and the full disk is injected in
// db_pg.c as SQLSTATE 53100.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { Client, assertError, isChinese, makeId, makePhone, request } from '../lib/http.mjs';
import { bin, cli, cliOk, freePort, makeDemoDb, pgDropDb, spawnServe, sqlite } from '../lib/server.mjs';

const VILLAGE = '370704008231';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let dir, dbPath, token;
const isPg = (p) => /^postgres(ql)?:\/\//.test(p);
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How the messages name a PostgreSQL database: "dbname@host". */
const pgWhere = (p) => { const u = new URL(p); return `${u.pathname.slice(1)}@${u.hostname}`; };
const WRITE_LOCK_KEY = 7240531; // db_pg.c: the writers' advisory lock

before(() => {
  ({ dir, dbPath } = makeDemoDb({ scale: 0.003 }));
  token = cliOk(['token', 'create', '--db', dbPath, '--username', 'admin']).trim();
});

after(() => {
  if (dir) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
  if (dbPath) pgDropDb(dbPath);
});

function householdBody() {
  return {
    region_code: VILLAGE, address: '磁盘错误测试路 1 号', residence_type: 'rural', phone: makePhone(),
    members: [{ id_number: makeId(), name: '测试户主', relation: 'head' }],
  };
}

const households = () => Number(sqlite(dbPath, 'SELECT count(*) FROM households;').trim());

// As root, file permissions do not stop a write: the read-only cases run the binary as the
// unprivileged user nobody (65534) instead; otherwise as ourselves.
const asUser = process.getuid && process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {};
const env = () => ({ ...process.env, TZ: 'Asia/Shanghai' });

function cliAs(args, input) {
  const r = spawnSync(bin, args, { input, encoding: 'utf8', timeout: 60000, env: env(), ...asUser });
  if (r.error) throw r.error;
  return r;
}

/** serve as asUser; resolves when /healthz answers 200. */
async function serveAs(path, extraArgs = []) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--db', path, '--listen', `127.0.0.1:${port}`, '--quiet', '--threads', '1', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'], env: env(), ...asUser,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`serve exited: ${output}`);
    try {
      if ((await request(url, 'GET', '/healthz')).status === 200) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`serve did not start: ${output}`);
    await sleep(50);
  }
  return {
    url, output: () => output,
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `serve exits 0 on SIGTERM: ${output}`);
    },
  };
}

test('a database from a newer minzheng is refused with the versions named (db_too_new), and left as it was', async () => {
  const { dir: d, dbPath: p } = makeDemoDb({ scale: 0.003 });
  try {
    sqlite(p, "INSERT INTO schema_version(version, owner, applied_at) VALUES (999, 'future', '2030-01-01T00:00:00');");
    const before = sqlite(p, 'SELECT count(*), max(version) FROM schema_version;');
    const r = cli(['user', 'list', '--db', p]);
    assert.notEqual(r.status, 0);
    const named = isPg(p) ? escapeRe(p) : '.*minzheng\\.db';
    assert.match(r.stderr, new RegExp(`数据库 ${named} 的版本为第 999 版，高于本程序支持的第 \\d+ 版，请升级 minzheng（db_too_new）`));
    const s = cli(['serve', '--db', p, '--listen', `127.0.0.1:${await freePort()}`, '--quiet'], { timeout: 15000 });
    assert.notEqual(s.status, 0, 'serve refuses to start');
    assert.match(s.stderr, /版本为第 999 版，高于本程序支持的第 \d+ 版，请升级 minzheng/);
    const i = cli(['init', '--db', p]);
    assert.notEqual(i.status, 0, 'init does not migrate it either');
    assert.match(i.stderr, /请升级 minzheng/);
    assert.equal(sqlite(p, 'SELECT count(*), max(version) FROM schema_version;'), before, 'nothing written');
  } finally {
    rmSync(d, { recursive: true, force: true });
    pgDropDb(p);
  }
});

test('a read-only database file: CLI writes are refused naming the file; serve warns, reads work, writes answer 503 db_readonly', async () => {
  const before = households();
  const pg = isPg(dbPath);
  // How the refusal names the database: the file, or the PostgreSQL database and its host.
  const refusal = pg ? `数据库服务器只读（备库或只读事务）：${pgWhere(dbPath)}` : `数据库文件只读：${dbPath}`;
  if (pg) {
    // Every new session of the database is read-only, as on a standby: writes answer SQLSTATE 25006.
    sqlite(dbPath, `ALTER DATABASE ${new URL(dbPath).pathname.slice(1)} SET default_transaction_read_only = on;`);
  } else {
    chmodSync(dir, 0o777); // the directory stays writable (SQLite's -shm file); the file is not
    chmodSync(dbPath, 0o444);
  }
  try {
    if (pg) {
      const refused = sqlite(dbPath, "INSERT INTO schema_version(version, owner, applied_at) VALUES (-2, 'ro', 'x');", { allowFail: true });
      assert.match(refused.stderr, /read-only transaction/, `the server itself refuses writes now: ${refused.stderr}`);
    }
    const w = cliAs(['user', 'add', '--db', dbPath, '--username', 'ro_test', '--role', 'city_admin', '--region', '3707', '--password-stdin'], 'Readonly@2020\n');
    assert.notEqual(w.status, 0);
    assert.ok(w.stderr.includes(refusal), `names the database: ${w.stderr}`);
    assert.match(w.stderr, /（db_readonly）/);
    const l = cliAs(['user', 'list', '--db', dbPath]);
    assert.equal(l.status, 0, `reading works: ${l.stderr}`);
    assert.match(l.stdout, /admin/);

    const srv = await serveAs(dbPath);
    try {
      const warning = pg ? `警告：数据库只读：${dbPath}；` : `警告：数据库文件只读：${dbPath}；`;
      assert.ok(srv.output().includes(warning), `serve warns: ${srv.output()}`);
      const client = new Client(srv.url, { bearer: token });
      const g = await client.get(`/api/v1/regions/${VILLAGE}`);
      assert.equal(g.status, 200, `a read works: ${g.text.slice(0, 200)}`);
      const p = await client.post('/api/v1/households', householdBody());
      const err = assertError(p, 503, 'db_readonly');
      assert.ok(err.message.includes(refusal), `the message names the database: ${err.message}`);
      const again = await client.get(`/api/v1/regions/${VILLAGE}`);
      assert.equal(again.status, 200, 'still serving');
    } finally {
      await srv.stop();
    }
  } finally {
    if (pg) {
      sqlite(dbPath, `SET default_transaction_read_only = off; ALTER DATABASE ${new URL(dbPath).pathname.slice(1)} RESET default_transaction_read_only;`);
    } else {
      chmodSync(dbPath, 0o644);
      chmodSync(dir, 0o700);
    }
  }
  assert.equal(households(), before, 'nothing written');
});

test('a database locked by another process: writes answer 503 busy after the busy timeout, reads go on, the CLI says it is in use', async () => {
  const srv = await spawnServe(dbPath, { extraArgs: ['--busy-timeout', '300', '--threads', '1'] });
  // The other process: the sqlite3 shell holding an exclusive write transaction, or on
  // PostgreSQL a psql session holding the writers' advisory lock inside an open transaction.
  const pg = isPg(dbPath);
  const holder = pg
    ? spawn('psql', [dbPath, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('sqlite3', ['-batch', dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  holder.stdout.on('data', (d) => (out += d));
  holder.stdin.write(pg
    ? `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY}); INSERT INTO schema_version(version, owner, applied_at) VALUES (-1, 'lock', 'x'); SELECT 'locked';\n`
    : "PRAGMA busy_timeout=5000; BEGIN EXCLUSIVE; INSERT INTO schema_version(version, owner, applied_at) VALUES (-1, 'lock', 'x'); SELECT 'locked';\n");
  const deadline = Date.now() + 10000;
  while (!out.includes('locked') && Date.now() < deadline) await sleep(20);
  assert.ok(out.includes('locked'), 'the other process holds the write lock');
  const before = households();
  try {
    try {
      const client = new Client(srv.url, { bearer: token });
      const t0 = Date.now();
      const p = await client.post('/api/v1/households', householdBody());
      const ms = Date.now() - t0;
      const err = assertError(p, 503, 'busy');
      assert.match(err.message, /占用或繁忙/);
      assert.ok(ms >= 250 && ms < 5000, `answered after the busy timeout, not a hang (${ms} ms)`);
      const g = await client.get(`/api/v1/regions/${VILLAGE}`);
      assert.equal(g.status, 200, 'reads go on (WAL; on PostgreSQL reads take no lock)');
    } finally {
      await srv.stop();
    }
    const t0 = Date.now();
    const c = cli(['user', 'add', '--db', dbPath, '--busy-timeout', '200', '--username', 'lock_test', '--role', 'city_admin', '--region', '3707', '--password-stdin'], { input: 'Locked@2020\n' });
    assert.notEqual(c.status, 0);
    assert.ok(Date.now() - t0 < 10000, 'the CLI does not hang');
    assert.match(c.stderr, /（busy）/);
    assert.match(c.stderr, /数据库正被其他进程使用/);
    const bad = cli(['user', 'list', '--db', dbPath, '--busy-timeout', 'soon']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--busy-timeout 应为 0 到 3600000 之间的毫秒数/);
  } finally {
    holder.stdin.end(pg ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
    await new Promise((r) => holder.on('exit', r));
  }
  assert.equal(households(), before, 'nothing written while locked');
  assert.equal(sqlite(dbPath, 'SELECT count(*) FROM schema_version WHERE version = -1;').trim(), '0');
  const srv2 = await spawnServe(dbPath);
  try {
    const p = await new Client(srv2.url, { bearer: token }).post('/api/v1/households', householdBody());
    assert.equal(p.status, 201, 'writes work again once the lock is gone');
  } finally {
    await srv2.stop();
  }
});

test('a full disk: a write answers 507 disk_full with a Chinese message, nothing is kept, the server keeps answering', async () => {
  // Every database step fails with SQLITE_FULL once 60 have run after start-up.
  const saved = process.env.MZ_FAULT;
  process.env.MZ_FAULT = 'step:every=1:after=60:full:ready';
  let srv;
  try {
    srv = await spawnServe(dbPath, { extraArgs: ['--threads', '1'] });
  } finally {
    if (saved === undefined) delete process.env.MZ_FAULT;
    else process.env.MZ_FAULT = saved;
  }
  const before = households();
  try {
    const client = new Client(srv.url, { bearer: token });
    let h;
    for (let i = 0; i < 100; i++) {
      h = await request(srv.url, 'GET', '/healthz');
      if (h.status === 503) break;
    }
    assert.equal(h.status, 503, 'the faults have begun');
    const p = await client.post('/api/v1/households', householdBody());
    const err = assertError(p, 507, 'disk_full');
    assert.match(err.message, /磁盘已满/);
    assert.ok(isChinese(err.message));
    const again = await client.post('/api/v1/households', householdBody());
    assertError(again, 507, 'disk_full');
  } finally {
    await srv.stop();
  }
  assert.equal(households(), before, 'nothing written');
  assert.match(srv.output(), /故障注入：step 事件 \d+ 次，注入故障 \d+ 次/, 'a summary of the faults at exit');
});

test('a malformed MZ_FAULT stops the command with a clear message', () => {
  const r = spawnSync(bin, ['user', 'list', '--db', dbPath], { encoding: 'utf8', env: { ...env(), MZ_FAULT: 'disk:nth=1' } });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /故障注入设置 MZ_FAULT 有误：“disk:nth=1”/);
});
