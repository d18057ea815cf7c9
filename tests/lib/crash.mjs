// crash.mjs — what tests/api/crash.test.mjs needs beyond server.mjs: a seeded PRNG per round,
// child processes and SQL queries (sqlite3, or psql on PostgreSQL, through dbcopy.mjs) that do not
// block the event loop (rounds run side by side), a server that is meant to be SIGKILLed (no clean
// exit required), a sequence of CLI commands killed at a chosen moment, what a killed process left
// (SQLite: the WAL's frames written after the last commit — the kill landed inside a commit;
// PostgreSQL: its sessions waited for until they end), a lean keep-alive HTTP client, a small
// worker pool, and the clock kill delays are drawn from.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import { integrity, isPg, quiesce, sql } from './dbcopy.mjs';
import { bin, freePort } from './server.mjs';

const env = { ...process.env, TZ: 'Asia/Shanghai' };

// ---- seeded randomness ------------------------------------------------------------------------

/** FNV-1a of a string: the 32-bit seed of one round. */
export function hash32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** A PRNG (mulberry32) with helpers: next() in [0,1), int(lo, hi) inclusive, pick, shuffle. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    shuffle(arr) {
      const a2 = arr.slice();
      for (let i = a2.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a2[i], a2[j]] = [a2[j], a2[i]];
      }
      return a2;
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const sha256 = (s) => createHash('sha256').update(s).digest('hex');

// ---- child processes, without blocking the event loop -----------------------------------------
// (rounds run side by side: a spawnSync in one would stall the other's kill timer and requests)

/** Run a program to its end: {status, signal, stdout, stderr}. */
export function run(file, args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (status, signal) =>
      resolve({ status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {}); // a program that exits without reading its input
    child.stdin.end(input ?? '');
  });
}

/** The binary with these arguments: {status, signal, stdout, stderr}. */
export const mz = (args, opts) => run(bin, args, opts);

/** The binary, which must exit 0: its stdout. */
export async function mzOk(args, opts) {
  const r = await mz(args, opts);
  assert.equal(r.status, 0, `minzheng ${args.join(' ')} exited ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

// ---- SQL ----------------------------------------------------------------------------------------

/** Run SQL with the sqlite3 shell, or psql on a PostgreSQL database; stdout as text, a row a line,
 * values tab-separated (throws on a failure). The SQL must suit both engines. */
export async function sqlText(dbPath, text) {
  try {
    return await sql(dbPath, text, { sep: '\t' });
  } catch (e) {
    throw new Error(`${e.message}\nSQL: ${text.slice(0, 400)}`);
  }
}

/** Rows of a query, each an array of strings (tab-separated output). */
export async function rows(dbPath, sql) {
  const out = await sqlText(dbPath, sql);
  return out.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

/**
 * Several queries in one sqlite3 (or psql) run (one process, one read of the schema): {name: sql} →
 * {name: rows}. Each query must be one statement.
 */
export async function queries(dbPath, qs) {
  const names = Object.keys(qs);
  const sql = names.map((n) => `SELECT '@@${n}';\n${qs[n].trim().replace(/;$/, '')};`).join('\n');
  const out = {};
  let cur = null;
  for (const l of (await sqlText(dbPath, sql)).split('\n')) {
    if (l.startsWith('@@') && names.includes(l.slice(2))) {
      cur = out[l.slice(2)] = [];
    } else if (l.length && cur) {
      cur.push(l.split('\t'));
    }
  }
  for (const n of names) out[n] ??= [];
  return out;
}

/** One integer. */
export async function num(dbPath, sql) {
  const v = (await sqlText(dbPath, sql)).trim();
  assert.match(v, /^-?\d+$/, `a number from ${sql}: "${v}"`);
  return Number(v);
}

/** The checks every round ends with: `minzheng audit verify` exits 0 (the hash chain is whole)
 * and the storage check answers ok (PRAGMA integrity_check, or amcheck on PostgreSQL: dbcopy.mjs)
 * — side by side. */
export async function dbIntact(dbPath, { what = '' } = {}) {
  const [v, ic] = await Promise.all([mz(['audit', 'verify', '--db', dbPath]), integrity(dbPath)]);
  assert.equal(v.status, 0, `${what}: audit verify exited ${v.status}: ${v.stdout}${v.stderr}`);
  assert.equal(ic, 'ok', `${what}: integrity check: ${ic.slice(0, 400)}`);
}

/** Phase timings of a round: lap('name') adds the time since the previous lap. */
export function laps() {
  let t = performance.now();
  const out = {};
  return {
    lap(name) {
      const n = performance.now();
      out[name] = (out[name] ?? 0) + Math.round(n - t);
      t = n;
    },
    out,
  };
}

// ---- what a killed process left ----------------------------------------------------------------

/**
 * To call right after a kill, before anything opens the database again. SQLite: the tail of the
 * WAL (walTail). PostgreSQL: the server survives its client; the killed process's sessions run on
 * until they notice (the statement under way ends; a transaction not committed rolls back, a
 * COMMIT already sent completes) — they are waited for, so that what the checks then read is all
 * the crash left; the WAL is the server's own: {pg: true} and no frames.
 */
export async function killState(dbPath) {
  if (!isPg(dbPath)) return walTail(dbPath);
  await quiesce(dbPath);
  return { pg: true, bytes: 0, frames: 0, uncommitted: 0, torn: 0 };
}

/**
 * Read DB-wal before anything opens the database again (the last connection to close
 * checkpoints and deletes it). Frames of the current generation (the header's salts) are
 * counted; those after the last commit frame were being written when the process died: the kill
 * landed inside a commit (or a cache spill), and SQLite must ignore them. torn = bytes of an
 * incomplete last frame.
 */
function walTail(dbPath) {
  let buf;
  try {
    buf = readFileSync(dbPath + '-wal');
  } catch {
    return { bytes: 0, frames: 0, uncommitted: 0, torn: 0 };
  }
  if (buf.length < 32) return { bytes: buf.length, frames: 0, uncommitted: 0, torn: buf.length };
  const pageSize = buf.readUInt32BE(8);
  const s1 = buf.readUInt32BE(16);
  const s2 = buf.readUInt32BE(20);
  let off = 32;
  let n = 0;
  let lastCommit = 0;
  while (off + 24 + pageSize <= buf.length) {
    if (buf.readUInt32BE(off + 8) !== s1 || buf.readUInt32BE(off + 12) !== s2) break;
    n++;
    if (buf.readUInt32BE(off + 4) !== 0) lastCommit = n;
    off += 24 + pageSize;
  }
  const torn = off < buf.length && buf.length - off < 24 + pageSize ? buf.length - off : 0;
  return { bytes: buf.length, frames: n, uncommitted: n - lastCommit, torn };
}

// ---- processes killed on purpose --------------------------------------------------------------

/**
 * Run CLI commands one after another (each an argv for the binary); at killAtMs after the start
 * SIGKILL whichever is running and stop. Resolves {killed, step (index of the command killed, or
 * cmds.length when all finished), elapsed, outputs (stdout and stderr of each command run, the
 * killed one's as far as it got)}. A command that fails (exit ≠ 0) without being killed rejects.
 */
export function runKilled(cmds, killAtMs) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let child = null;
    let killed = false;
    let step = 0;
    const outputs = [];
    const timer = killAtMs == null ? null : setTimeout(() => {
      killed = true;
      if (child) child.kill('SIGKILL');
    }, killAtMs);
    const next = () => {
      if (killed || step >= cmds.length) {
        if (timer) clearTimeout(timer);
        // killed between two commands: the next never started; after the last: not killed
        resolve({ killed: step < cmds.length, step, elapsed: performance.now() - t0, outputs });
        return;
      }
      let out = '';
      child = spawn(bin, cmds[step], { stdio: ['ignore', 'pipe', 'pipe'], env });
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      // 'close', not 'exit': the output is all read by then
      child.on('close', (code, signal) => {
        child = null;
        if (signal === 'SIGKILL' && killed) {
          if (timer) clearTimeout(timer);
          outputs.push(out); // what the killed command had written (and flushed)
          resolve({ killed: true, step, elapsed: performance.now() - t0, outputs });
          return;
        }
        if (code !== 0) {
          if (timer) clearTimeout(timer);
          reject(new Error(`minzheng ${cmds[step].join(' ')} exited ${code} ${signal ?? ''}: ${out.slice(0, 1500)}`));
          return;
        }
        outputs.push(out);
        step++;
        next();
      });
    };
    next();
  });
}

/**
 * `minzheng serve` on dbPath, ready when it prints its start line (the listeners are open by
 * then). Unlike server.mjs's spawnServe it is meant to die by SIGKILL: kill() sends it and
 * resolves when the process is gone. {url, child, exited, kill(), output()}.
 */
export async function serveKillable(dbPath, { threads } = {}) {
  // another process may take the free port before serve binds it: a few tries
  for (let attempt = 1; ; attempt++) {
    try {
      return await serveOnce(dbPath, threads);
    } catch (e) {
      if (attempt >= 3 || !/无法监听/.test(e.message)) throw e;
    }
  }
}

async function serveOnce(dbPath, threads) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ['serve', '--db', dbPath, '--listen', `127.0.0.1:${port}`, '--quiet'];
  if (threads) args.push('--threads', String(threads));
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  let ready;
  const started = new Promise((r) => (ready = r));
  const onData = (d) => {
    output += d;
    if (output.includes('服务已启动')) ready('up');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let timer;
  const r = await Promise.race([
    started,
    exited.then((x) => ({ exit: x })),
    new Promise((res) => (timer = setTimeout(() => res('timeout'), 15000))),
  ]);
  clearTimeout(timer);
  if (r !== 'up') {
    child.kill('SIGKILL');
    throw new Error(`serve did not start (${JSON.stringify(r)}): ${output.slice(0, 2000)}`);
  }
  return {
    url,
    child,
    exited,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const x = await exited;
      agents.get(url)?.destroy();
      agents.delete(url);
      return x;
    },
  };
}

// ---- a lean HTTP client ------------------------------------------------------------------------
// fetch costs about 2 ms of CPU a request here, http.request with a keep-alive agent under 1 ms;
// a round sends a few hundred requests, and the rounds are CPU-bound on two cores.

const agents = new Map(); // base URL → keep-alive agent

/**
 * A bearer-token client of one server: get/post/raw → {status, json, text}; never throws on an
 * HTTP status. A request that gets no answer (the server died) rejects.
 */
export function api(url, token) {
  if (!agents.has(url)) agents.set(url, new http.Agent({ keepAlive: true, maxSockets: 64 }));
  const agent = agents.get(url);
  const raw = (method, path, { body, rawBody, headers = {} } = {}) =>
    new Promise((resolve, reject) => {
      const h = { Authorization: `Bearer ${token}`, ...headers };
      let payload;
      if (rawBody !== undefined) {
        payload = rawBody;
        h['Content-Type'] ??= 'application/json';
      } else if (body !== undefined) {
        payload = JSON.stringify(body);
        h['Content-Type'] = 'application/json';
      }
      if (payload !== undefined) h['Content-Length'] = Buffer.byteLength(payload);
      const req = http.request(url + path, { method, agent, headers: h }, (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, json, text });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  return {
    raw,
    get: (path) => raw('GET', path),
    post: (path, body) => raw('POST', path, { body }),
  };
}

/** Send one request; its answer, or {status: 0, error} when none came (the server died). */
export async function send(client, method, path, body) {
  try {
    return await client.raw(method, path, { body });
  } catch (e) {
    return { status: 0, error: String(e.code ?? e.message) };
  }
}

// ---- running rounds ---------------------------------------------------------------------------

/** Run fn(item) for every item with at most n at once; the first failure stops new items and is
 * thrown once the running ones are done. */
export async function pool(items, n, fn) {
  let next = 0;
  let failure = null;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  if (failure) throw failure;
}

/**
 * The duration kill points are drawn from, kept near the operation's real duration while the
 * machine's load changes: start from the measured T0; a round whose operation finished before
 * the kill shortens it by 10 %, a round killed mid-way lengthens it by 2 % — so that about one
 * round in six kills after the end (ln 1.02 / (ln 1.02 − ln 0.9) ≈ 0.16). Bounded to T0/4…4·T0.
 */
export function killClock(T0) {
  let T = T0;
  return {
    get T() {
      return T;
    },
    draw(rng) {
      return rng.next() * T;
    },
    update(finished) {
      T = Math.min(4 * T0, Math.max(T0 / 4, T * (finished ? 0.9 : 1.02)));
    },
  };
}
