// cli.test.mjs — the subcommands around the server: idcheck, init (idempotent), demo, routes,
// user/token errors, and clean shutdown of `serve` on SIGTERM.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertStatus, checkChar, request } from '../lib/http.mjs';
import { cli, cliOk, login, makeDemoDb, routes, spawnServe, sqlite } from '../lib/server.mjs';

let tmp;

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'mz-cli-'));
});

after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('idcheck 11010519491231002X exits 0 printing 1949-12-31 and female', () => {
  const r = cli(['idcheck', '11010519491231002X']);
  assert.equal(r.status, 0, r.stderr);
  const f = r.stdout.trim().split('\t');
  assert.deepEqual(f, ['11010519491231002X', '11010519491231002X', '1949-12-31', 'female', '110105']);
});

test('idcheck accepts a lowercase x check character and prints the normalized form', () => {
  const r = cli(['idcheck', '11010519491231002x']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\t')[1], '11010519491231002X');
});

test('idcheck with a bad check digit exits non-zero naming the expected character', () => {
  const r = cli(['idcheck', '110105194912310021']);
  assert.notEqual(r.status, 0);
  const msg = (r.stderr + r.stdout).replaceAll('110105194912310021', '');
  assert.match(msg, /X/, `names the expected X: ${r.stderr}`);
  assert.match(msg, /[\u4e00-\u9fff]/, 'Chinese reason');
});

test('idcheck converts a 15-digit legacy ID to 18 digits', () => {
  const r = cli(['idcheck', '110105491231002']);
  assert.equal(r.status, 0, r.stderr);
  const f = r.stdout.trim().split('\t');
  assert.equal(f[1], '11010519491231002X');
  assert.equal(f[2], '1949-12-31');
  assert.equal(f[3], 'female');
});

test('idcheck reports a male from an odd sequence digit and checks several IDs at once', () => {
  const id17 = '37070419800101001';
  const id = id17 + checkChar(id17);
  const r = cli(['idcheck', id, '11010519491231002X']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.equal(lines.length, 2);
  assert.equal(lines[0][3], 'male');
  assert.equal(lines[0][2], '1980-01-01');
});

test('idcheck rejects an impossible birth date and wrong lengths', () => {
  const id17 = '11010519490230002';
  for (const bad of [id17 + checkChar(id17), '1101051949123100', '12345']) {
    const r = cli(['idcheck', bad]);
    assert.equal(r.status, 1, `${bad}: ${r.stdout}${r.stderr}`);
  }
});

test('init on an existing database is idempotent and keeps its data', () => {
  const { dir, dbPath } = makeDemoDb({ scale: 0.005 });
  try {
    const q = 'SELECT count(*) FROM regions; SELECT count(*) FROM households; SELECT count(*) FROM persons; SELECT count(*) FROM users;';
    const before = sqlite(dbPath, q);
    const r = cli(['init', '--db', dbPath]);
    assert.equal(r.status, 0, r.stderr);
    const r2 = cli(['init', '--db', dbPath]);
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(sqlite(dbPath, q), before, 'same regions, households, persons and users');
    assert.equal(r2.stdout, r.stdout, 'the second run reports the same as the first');
    assert.equal(cli(['audit', 'verify', '--db', dbPath]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init on a new database loads the Weifang region tree', () => {
  const db = path.join(tmp, 'fresh.db');
  cliOk(['init', '--db', db]);
  const [n, v, name] = sqlite(db, "SELECT count(*) FROM regions; SELECT count(*) FROM regions WHERE length(code) = 12 AND code LIKE '3707%'; SELECT name FROM regions WHERE code = '370704008231';").trim().split('\n');
  assert.equal(Number(n), 7197, 'province, city, 13 counties, 122 townships, 7060 villages');
  assert.equal(Number(v), 7060);
  assert.match(name, /^栾家山后村/);
});

test('demo refuses a database that already has households', () => {
  const { dir, dbPath } = makeDemoDb({ scale: 0.002 });
  try {
    const r = cli(['demo', '--db', dbPath, '--seed', '1', '--scale', '0.002']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr + r.stdout, /[\u4e00-\u9fff]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('routes prints "METHOD PATTERN" lines including GET /healthz and the session routes', () => {
  const rs = routes();
  const keys = rs.map((r) => `${r.method} ${r.pattern}`);
  for (const r of rs) {
    assert.match(r.method, /^(GET|POST|PUT|PATCH|DELETE)$/);
    assert.match(r.pattern, /^\/(healthz|metrics|api\/v1\/[a-z0-9_/{}-]+)$/);
  }
  for (const want of ['GET /healthz', 'GET /metrics', 'POST /api/v1/session', 'GET /api/v1/session', 'DELETE /api/v1/session']) assert.ok(keys.includes(want), want);
  assert.equal(new Set(keys).size, keys.length, 'no route twice');
});

test('user add with an unknown role or region fails with a Chinese message', () => {
  const db = path.join(tmp, 'users.db');
  cliOk(['init', '--db', db]);
  for (const [role, region] of [
    ['emperor', '3707'],
    ['county_staff', '999999'],
  ]) {
    const r = cli(['user', 'add', '--db', db, '--username', 'bad_user', '--role', role, '--region', region, '--password-stdin'], { input: 'Demo@2020\n' });
    assert.notEqual(r.status, 0, `${role} ${region}`);
    assert.match(r.stderr, /[\u4e00-\u9fff]/);
  }
});

test('token create for an unknown user fails', () => {
  const db = path.join(tmp, 'users.db');
  const r = cli(['token', 'create', '--db', db, '--username', 'nobody_here']);
  assert.notEqual(r.status, 0);
});

test('SIGTERM stops the server with exit 0 and the port closes', async () => {
  const { dir, dbPath } = makeDemoDb({ scale: 0.002 });
  try {
    const s = await spawnServe(dbPath);
    const c = await login(s.url, 'admin');
    assertStatus(await c.get('/api/v1/persons?limit=1'), 200); // leaves a keep-alive connection open
    await s.stop();
    await assert.rejects(request(s.url, 'GET', '/healthz'), 'nothing listens after shutdown');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM during a burst of requests still exits 0, and the data survives a restart', async () => {
  const { dir, dbPath } = makeDemoDb({ scale: 0.002 });
  try {
    const s = await spawnServe(dbPath);
    const c = await login(s.url, 'admin');
    const burst = Array.from({ length: 40 }, () => c.get('/api/v1/regions?parent=3707').catch(() => null));
    await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    await Promise.all(burst);
    const s2 = await spawnServe(dbPath);
    try {
      const c2 = await login(s2.url, 'admin');
      assertStatus(await c2.get('/api/v1/regions/3707'), 200);
    } finally {
      await s2.stop();
    }
    assert.equal(cli(['audit', 'verify', '--db', dbPath]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
