// slowclients.test.mjs — slow clients (slowloris) and oversized bodies: 200 connections that
// trickle a request header one byte a second and 50 that trickle a declared body are closed by the
// server at its request timeout (serve --request-timeout, here 3 s), while normal users, on kept
// and on new connections, keep being answered fast; bodies over the limits get 413 (JSON with a
// Chinese message up to the 40 MiB h2o reads; h2o's own 413 beyond, before any byte of the body);
// an upload of exactly 32 MiB is still accepted. The timeout can come from the configuration file.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { bearer, cli, login, makeDemoDb, spawnServe } from '../lib/server.mjs';

const TIMEOUT_S = 3;
const HEADER_SLOW = 200;
const BODY_SLOW = 50;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let db;
let srv;

before(async () => {
  db = makeDemoDb();
  srv = await spawnServe(db.dbPath, { extraArgs: ['--request-timeout', String(TIMEOUT_S)] });
});

after(async () => {
  try {
    if (srv) await srv.stop();
  } finally {
    rmSync(db.dir, { recursive: true, force: true });
  }
});

/**
 * A connection that sends `head` at once and then one byte of `drip` every `everyMs`, never
 * finishing the request. Resolves `connected` once open; `closed` resolves to {ms (from open to
 * close), bytes (what the server sent)}.
 */
function slowClient(port, head, drip, everyMs = 1000) {
  const s = net.connect(port, '127.0.0.1');
  let opened = 0;
  let bytes = '';
  let timer;
  const connected = new Promise((resolve, reject) => {
    s.once('connect', () => {
      opened = Date.now();
      if (head) s.write(head);
      let i = 0;
      timer = setInterval(() => s.write(drip[i++ % drip.length]), everyMs);
      resolve();
    });
    s.once('error', reject);
  });
  const closed = new Promise((resolve) => {
    s.on('data', (d) => (bytes += d.toString('latin1')));
    s.on('error', () => {}); // a reset after the server closed: the close event still follows
    s.on('close', () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - opened, bytes });
    });
  });
  return { connected, closed, destroy: () => s.destroy() };
}

/** GET on a connection of its own (closed after the answer): {status, ms}. */
function freshGet(port, p, headers = {}) {
  const t0 = Date.now();
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () =>
      s.write(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', reject);
    s.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3}) /.exec(got);
      if (!m) reject(new Error(`no HTTP answer: ${JSON.stringify(got.slice(0, 200))}`));
      else resolve({ status: Number(m[1]), ms: Date.now() - t0 });
    });
  });
}

/** Raw request text on one connection; resolves with everything the server sent before closing. */
function rawExchange(port, text, waitMs = 5000) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(text));
    let got = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no close within ${waitMs} ms; got ${JSON.stringify(got.slice(0, 300))}`));
    }, waitMs);
    s.on('data', (d) => (got += d.toString('utf8')));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
  });
}

test('slow headers and slow bodies are cut off at the request timeout; normal users are not starved', async (t) => {
  const user = await login(srv.url, 'county_370704');
  const persons = await user.get('/api/v1/persons?limit=5');
  assert.equal(persons.status, 200, persons.text);
  const ids = persons.json.items.map((p) => p.id);
  assert.ok(ids.length > 0, 'the demo city has persons in scope');

  const slow = [];
  for (let i = 0; i < HEADER_SLOW; i++)
    slow.push(slowClient(srv.port, 'GET /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow-${i}: ${'a'.repeat(50)}`));
  for (let i = 0; i < BODY_SLOW; i++)
    slow.push(slowClient(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100000\r\n\r\n{"username":"', 'x'));
  await Promise.all(slow.map((c) => c.connected));
  const t0 = Date.now();

  // Normal users for a little longer than the timeout: kept connections (the logged-in client)
  // and a new connection per request (the case accept() starvation would hit first).
  const lat = [];
  const normal = async (k) => {
    let n = 0;
    while (Date.now() - t0 < (TIMEOUT_S + 1) * 1000) {
      const a = Date.now();
      const r = await user.get(`/api/v1/persons/${ids[n++ % ids.length]}`);
      assert.equal(r.status, 200, r.text);
      lat.push(Date.now() - a);
      const f = await freshGet(srv.port, k % 2 ? '/healthz' : '/api/v1/session', { Cookie: user.cookie });
      assert.equal(f.status, 200);
      lat.push(f.ms);
      await sleep(20);
    }
  };
  await Promise.all([0, 1, 2, 3].map(normal));
  lat.sort((a, b) => a - b);
  const p50 = lat[Math.floor(lat.length / 2)], max = lat[lat.length - 1];
  assert.ok(lat.length >= 40, `only ${lat.length} normal requests answered in ${TIMEOUT_S + 1} s`);
  assert.ok(max < 1000, `a normal request took ${max} ms beside the slow clients (p50 ${p50} ms)`);

  // Every slow connection is closed by the server: not before the timeout, and soon after it.
  const bound = (TIMEOUT_S + 4) * 1000;
  const res = await Promise.all(slow.map((c) => Promise.race([c.closed, sleep(bound + 2000).then(() => null)])));
  slow.forEach((c) => c.destroy());
  const open = res.filter((r) => r === null).length;
  assert.equal(open, 0, `${open} of ${slow.length} slow connections were still open after ${bound + 2000} ms`);
  const ms = res.map((r) => r.ms).sort((a, b) => a - b);
  assert.ok(ms[0] >= TIMEOUT_S * 1000 - 300, `a slow connection was closed after ${ms[0]} ms, before the ${TIMEOUT_S} s timeout`);
  assert.ok(ms[ms.length - 1] <= bound, `a slow connection was only closed after ${ms[ms.length - 1]} ms (timeout ${TIMEOUT_S} s)`);
  for (const r of res) assert.ok(r.bytes === '' || /^HTTP\/1\.1 4\d\d /.test(r.bytes), `a slow client was answered ${JSON.stringify(r.bytes.slice(0, 100))}`);

  t.diagnostic(`${lat.length} normal requests beside ${slow.length} slow connections: p50 ${p50} ms, max ${max} ms; ` +
    `slow connections closed after ${ms[0]}–${ms[ms.length - 1]} ms (timeout ${TIMEOUT_S} s)`);

  // The server is still fine afterwards.
  const after = await user.get('/api/v1/session');
  assert.equal(after.status, 200);
});

test('an idle keep-alive connection is closed after the request timeout', async () => {
  const c = slowClient(srv.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', '', 1e9);
  await c.connected;
  const r = await c.closed;
  assert.match(r.bytes, /^HTTP\/1\.1 200 /, 'the one request was answered');
  assert.ok(r.ms >= TIMEOUT_S * 1000 - 300 && r.ms <= (TIMEOUT_S + 4) * 1000, `idle connection closed after ${r.ms} ms`);
});

test('bodies over the limit: 413 with a JSON Chinese message; h2o refuses an enormous one before reading it', async () => {
  const big = 'a'.repeat((1 << 20) + 1);
  const r = await fetch(`${srv.url}/api/v1/session`, { method: 'POST', body: big, headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 413);
  const j = await r.json();
  assert.equal(j.error.code, 'body_too_large');
  assert.match(j.error.message, /请求体过大/);

  const admin = bearer(srv.url, db.dbPath, 'admin');
  const up = (n) => fetch(`${srv.url}/api/v1/imports/uploads?kind=households&name=big.csv`, {
    method: 'POST', body: Buffer.alloc(n, 0x61), headers: { Authorization: `Bearer ${admin.bearer}`, 'Content-Type': 'text/csv' },
  });
  const over = await up((32 << 20) + 1);
  assert.equal(over.status, 413);
  const oj = await over.json();
  assert.equal(oj.error.code, 'body_too_large');
  assert.match(oj.error.message, /文件过大（上限 32 MiB）/);
  const ok = await up(32 << 20);
  const okText = await ok.text();
  assert.equal(ok.status, 201, okText);
  assert.equal(JSON.parse(okText).size, 32 << 20);

  // Beyond the 40 MiB h2o buffers at all: refused on the header alone, connection closed.
  const got = await rawExchange(srv.port, 'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n');
  assert.match(got, /^HTTP\/1\.1 413 /);
  assert.match(got, /connection: close/i);
});

test('the request timeout: checked on the command line, read from the [serve] section of the config file', async () => {
  const bad = cli(['serve', '--db', db.dbPath, '--request-timeout', '0']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--request-timeout 应为 1–3600 之间的秒数/);
  const help = cli(['serve', '--help']);
  assert.match(help.stdout, /--request-timeout/);

  const conf = path.join(db.dir, 'minzheng.conf');
  writeFileSync(conf, '[serve]\nrequest-timeout = 1\n');
  const s2 = await spawnServe(db.dbPath, { extraArgs: ['--config', conf] });
  try {
    const c = slowClient(s2.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X');
    await c.connected;
    const r = await c.closed;
    assert.ok(r.ms >= 700 && r.ms <= 3500, `with request-timeout = 1 the slow connection closed after ${r.ms} ms`);
  } finally {
    await s2.stop();
  }
});
