// crash.test.mjs — kill -9 at random moments during the four operations whose writes must survive
// a crash exactly once (issue 9, hardening): the monthly payroll (compute and confirm two months,
// by the CLI and through the API's jobs), a households import of 3,000 rows (by the CLI and as an
// uploaded file run as a server job), a burst of concurrent pay-first grants from the townships'
// reserve funds, and a burst of institutions' daily and zero reports. Each operation runs ROUNDS
// times (default 100): a fresh copy of one small demo database, the operation started, SIGKILL
// after a delay drawn from the operation's measured duration (killClock), the invariants on what
// the crash left (every acknowledged write there, nothing half-written, nothing twice); then the
// work is run again — or the requests that got no answer sent again — and the result must be
// exactly right: equal to a reference run on an untouched copy where the result is deterministic
// (payroll, import), otherwise every request's outcome stored exactly once (grants, reports). Every
// round ends with `minzheng audit verify` and PRAGMA integrity_check (a broken hash chain or a
// damaged page cannot heal, so the end of the round answers for the crash state too).
//
// On PostgreSQL (MZ_TEST_PG_URL) the same rounds: a copy is a database made from the base one
// (CREATE DATABASE … TEMPLATE), the killed process is the server's client (the server lives on:
// after each kill its sessions are waited for until they end), the storage check is amcheck
// (tests/lib/dbcopy.mjs); the SQL of the checks suits both engines. Each round costs about four
// times as much there (every statement a round trip; the copy a block copy on the server): 25
// rounds by default, each with every check — 100 took 21 minutes on the 2-core machine.
//
// Environment: MZ_CRASH_ROUNDS (default 100; 25 on PostgreSQL), MZ_CRASH_SEED (default random; printed with any
// failure), MZ_CRASH_ROUND (replay one round of each operation) with MZ_CRASH_KILL_AT (its kill
// point in ms), MZ_CRASH_JOBS (rounds run side by side, default 2), MZ_CRASH_DIR (where the copies
// go; default /dev/shm), MZ_CRASH_VERBOSE=1 (the figures of the run on stderr at the end: kill
// points, what was committed, time per phase) or 2 (every round as well).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { api, dbIntact, hash32, killClock, killState, laps, mz, mzOk, num, pool, prng, queries, rows, runKilled, send, serveKillable, sha256, sqlText } from '../lib/crash.mjs';
import { checkpoint, isPg, keep, removeDb, snapshot } from '../lib/dbcopy.mjs';
import { checkChar } from '../lib/http.mjs';
import { makeDemoDb, pgDropDb } from '../lib/server.mjs';

const ROUNDS = Number(process.env.MZ_CRASH_ROUNDS || (process.env.MZ_TEST_PG_URL ? 25 : 100));
const SEED = process.env.MZ_CRASH_SEED ? Number(process.env.MZ_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const ONLY = process.env.MZ_CRASH_ROUND !== undefined && process.env.MZ_CRASH_ROUND !== '' ? Number(process.env.MZ_CRASH_ROUND) : null;
const JOBS = Number(process.env.MZ_CRASH_JOBS || 2);
const VERBOSE = process.env.MZ_CRASH_VERBOSE; // 1: the figures at the end; 2: every round too
const KILL_AT = process.env.MZ_CRASH_KILL_AT ? Number(process.env.MZ_CRASH_KILL_AT) : null;
const SCALE = 0.01;

let root; // temp dir of the whole file
let base; // the demo database every round copies
let adminToken; // a bearer token of the city administrator
const t0 = Date.now();
const figures = {}; // op → summary, printed at the end

const log = (...a) => console.error('crash:', ...a);

/** Where the rounds' databases live: memory (/dev/shm) when there is one. A killed process
 * leaves the same file there as on a disk (what it wrote is in the page cache either way); what
 * memory saves is the disk writing every copy out at each fsync — 400 copies of 17 MB. */
function scratchDir() {
  for (const d of [process.env.MZ_CRASH_DIR, '/dev/shm', os.tmpdir()]) {
    if (!d) continue;
    try {
      return mkdtempSync(path.join(d, 'mz-crash-'));
    } catch {
      /* not writable: the next */
    }
  }
  throw new Error('no writable scratch directory');
}

// Modules none of the four operations reads or writes: their demo rows are deleted from the base
// (nothing that stays refers to them: PRAGMA foreign_key_check is empty) and the file vacuumed,
// from 17 to about 10 MB — every round ends with PRAGMA integrity_check, which reads every page.
const UNRELATED = ['orgs', 'duty', 'marriage', 'inspection', 'rectification', 'hotline', 'rescue', 'goods', 'charity', 'documents', 'lottery', 'staff'];

before(async () => {
  const demo = makeDemoDb({ scale: SCALE, seed: 1, assistance: true });
  root = scratchDir();
  base = await snapshot(demo.dbPath, path.join(root, 'base.db'));
  rmSync(demo.dir, { recursive: true, force: true });
  pgDropDb(demo.dbPath);
  const like = UNRELATED.map((m) => `name LIKE '${m}%'`).join(' OR ');
  if (!isPg(base)) {
    const tables = (await rows(base, `SELECT name FROM sqlite_master WHERE type = 'table' AND (${like})`)).map((r) => r[0]);
    await sqlText(base, `${tables.map((t) => `DELETE FROM ${t};`).join('\n')}\nVACUUM;`);
    assert.deepEqual(await rows(base, 'PRAGMA foreign_key_check;'), [], 'nothing refers to the deleted rows');
  } else {
    // PostgreSQL enforces the foreign keys (all NO ACTION or RESTRICT: no delete cascades or sets
    // NULL elsewhere): each table is emptied once nothing refers to its rows any more, in as many
    // passes as it takes; a table still referred to when no pass makes progress is the failure
    // foreign_key_check reports on SQLite. Then VACUUM FULL rewrites the files smaller.
    assert.equal(await num(base, `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND (confdeltype NOT IN ('a', 'r') OR confupdtype NOT IN ('a', 'r'))`), 0, 'no foreign key acts on a delete');
    const tables = (await rows(base, `SELECT name FROM (SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()) AS t WHERE ${like}`)).map((r) => r[0]);
    await sqlText(base, `DO $$ DECLARE left_ text[] := ARRAY['${tables.join("','")}']; t text; progress boolean; BEGIN
  WHILE cardinality(left_) > 0 LOOP
    progress := false;
    FOREACH t IN ARRAY left_ LOOP
      BEGIN
        EXECUTE format('DELETE FROM %I', t);
        left_ := array_remove(left_, t);
        progress := true;
      EXCEPTION WHEN foreign_key_violation THEN NULL;
      END;
    END LOOP;
    IF NOT progress THEN RAISE EXCEPTION 'rows of % are still referred to', left_; END IF;
  END LOOP;
END $$;
VACUUM FULL ANALYZE;`);
  }
  adminToken = (await mzOk(['token', 'create', '--db', base, '--username', 'admin'])).trim();
});

after(async () => {
  if (VERBOSE) {
    for (const [op, f] of Object.entries(figures)) log(`${op}: ${f}`);
    log(`seed ${SEED}, ${ONLY !== null ? `round ${ONLY}` : `${ROUNDS} rounds`} of each, ${JOBS} at a time, ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
  }
  if (base) await removeDb(base);
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Checkpoint a database into its main file (so copying the file copies everything; nothing to
 * do on PostgreSQL). */
const settle = checkpoint;

/** A copy of the base database (a file in root, or a new database on PostgreSQL). */
const copyOf = (name) => snapshot(base, path.join(root, name));

const TEST_NAMES = { payroll: 'payroll', import: 'import', relief: 'reserve-fund', reports: 'report bursts' };

/**
 * The rounds of one operation: round r gets its own PRNG (from the seed, the operation and r) and
 * its own copy of the base database. A failure names the seed and round (and keeps the database).
 */
async function rounds(op, fn) {
  const list = ONLY !== null ? [ONLY] : Array.from({ length: ROUNDS }, (_, i) => i);
  const results = [];
  const started = Date.now();
  await pool(list, JOBS, async (round) => {
    const rng = prng(hash32(`${SEED}:${op}:${round}`));
    const L = laps();
    const db = await copyOf(`${op}-${round}.db`);
    const info = { killAt: undefined };
    try {
      const r = await fn({ rng, db, round, info, lap: L.lap });
      r.round = round;
      r.laps = L.out;
      results.push(r);
      if (VERBOSE === '2') log(op, JSON.stringify(r));
      await removeDb(db);
    } catch (e) {
      let kept = db; // PostgreSQL: the database itself stays
      if (isPg(db)) {
        keep(db);
      } else {
        kept = path.join(os.tmpdir(), `mz-crash-${op}-seed${SEED}-round${round}.db`);
        try {
          for (const s of ['', '-wal']) copyFileSync(db + s, kept + s);
          await removeDb(db);
        } catch {
          /* nothing to keep */
        }
      }
      e.message = `${op}, round ${round} (seed ${SEED}, killed at ${info.killAt?.toFixed?.(1)} ms): ${e.message}\n` +
        `  replay: MZ_CRASH_SEED=${SEED} MZ_CRASH_ROUND=${round} MZ_CRASH_KILL_AT=${info.killAt?.toFixed?.(1)} node --test --test-name-pattern='^${TEST_NAMES[op]}' tests/api/crash.test.mjs\n` +
        `  (the database it left: ${kept})`;
      // the reporter prints the stack: make it carry the new message
      e.stack = `${e.name}: ${e.message}\n${String(e.stack).split('\n').filter((l) => /^\s+at /.test(l)).join('\n')}`;
      throw e;
    }
  });
  return { results, ms: Date.now() - started };
}

/** "n=… kind:count …" of the classification of each round. */
function tally(results, key) {
  const m = new Map();
  for (const r of results) m.set(r[key], (m.get(r[key]) ?? 0) + 1);
  return [...m.entries()].sort().map(([k, v]) => `${k} ${v}`).join(', ');
}

/** Today in China (what the server calls today), YYYY-MM-DD. */
function todayChina() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** Mean milliseconds per phase of a round. */
function phases(results) {
  const sum = {};
  for (const r of results) for (const [k, v] of Object.entries(r.laps ?? {})) sum[k] = (sum[k] ?? 0) + v;
  return Object.entries(sum).map(([k, v]) => `${k} ${Math.round(v / results.length)}`).join(', ');
}

/** The kill point of a round: a delay in [0, T) of the operation's clock (killClock), or
 * MZ_CRASH_KILL_AT when replaying a round. */
function drawKill(info, rng, clock) {
  const d = clock.draw(rng);
  info.killAt = KILL_AT ?? d;
  return info.killAt;
}

/** The number of frames a killed process left after its last commit, as a word for the tally
 * (PostgreSQL: the WAL is the server's, which was not killed). */
function walWord(w) {
  if (w.pg) return 'server-side';
  return w.uncommitted > 0 || w.torn > 0 ? 'mid-commit' : 'between-commits';
}

/** What an aggregate of text over a group reads as on each engine: group_concat (SQLite, in the
 * order rows come from an ordered subquery) or string_agg (PostgreSQL, in the order given). */
function agg(db, expr, { sep = ',', orderBy, distinct = false } = {}) {
  if (!isPg(db)) return `group_concat(${distinct ? 'DISTINCT ' : ''}${expr}${sep === ',' ? '' : `, '${sep}'`})`;
  if (distinct) return `string_agg(DISTINCT CAST(${expr} AS TEXT), '${sep}')`;
  return `string_agg(CAST(${expr} AS TEXT), '${sep}'${orderBy ? ` ORDER BY ${orderBy}` : ''})`;
}

/** Poll a job until it is done or failed. */
async function waitJob(c, id) {
  for (let i = 0; i < 3000; i++) {
    const j = await c.get(`/api/v1/jobs/${id}`);
    assert.equal(j.status, 200, j.text);
    if (j.json.status === 'done' || j.json.status === 'failed') return j.json;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${id} did not finish`);
}

// ==== 1. payroll ===============================================================================

const MONTHS = ['2020-05', '2020-06'];
const payrollSteps = (db) => [
  ['payroll', 'run', '--db', db, '--month', MONTHS[0]],
  ['payroll', 'confirm', '--db', db, '--month', MONTHS[0], '--all'],
  ['payroll', 'run', '--db', db, '--month', MONTHS[1]],
  ['payroll', 'confirm', '--db', db, '--month', MONTHS[1], '--all'],
];
const STEP_NAMES = ['run-05', 'confirm-05', 'run-06', 'confirm-06', 'finished'];

/**
 * The same steps through the API, as the city administrator: per month a payroll.run job (every
 * unit, one transaction) waited for, then every draft of the month confirmed one by one. seen.step
 * is the step under way; seen.jobs collects the jobs as their 202s arrive.
 */
async function payrollByApi(url, seen) {
  const c = api(url, adminToken);
  seen.step = 0;
  for (const month of MONTHS) {
    const r = await c.post('/api/v1/payroll/runs', { month });
    assert.equal(r.status, 202, r.text);
    seen.jobs.push(r.json.id);
    const j = await waitJob(c, r.json.id);
    assert.equal(j.status, 'done', `the payroll job: ${JSON.stringify(j.error)}`);
    seen.step++;
    seen.computed.push(month);
    const list = await c.get(`/api/v1/payroll/runs?month=${month}&limit=100`);
    assert.equal(list.status, 200, list.text);
    for (const run of list.json.items.filter((x) => x.status === 'draft')) {
      const cf = await c.post(`/api/v1/payroll/runs/${run.id}/confirm`, {});
      assert.equal(cf.status, 200, `confirm run ${run.id}: ${cf.text}`);
      seen.confirmed.push(`${month}:${run.unit_code}`);
    }
    seen.step++;
  }
}

/**
 * What the payroll holds, in one read: per run of the two months (month:unit) its status and a
 * hash of its figures, per-program totals and payments (program, case, month, amount, persons,
 * re-issued payment, payee and account) — everything but the statuses, which come separately;
 * the duplicates and broken re-issues no state may ever hold (any month); payments by status.
 */
async function payrollState(db) {
  const months = `('${MONTHS.join("','")}')`;
  const q = await queries(db, {
    runs: `SELECT r.month, r.unit_code, r.status, r.n_payments, r.n_persons, r.amount_fen, r.n_reissues,
      r.reissue_fen, r.n_skipped,
      (SELECT ${agg(db, "t.program || ':' || t.n_payments || ':' || t.n_persons || ':' || t.amount_fen || ':' || t.n_reissues || ':' || t.reissue_fen", { sep: ';', orderBy: 't.program' })}
         FROM (SELECT * FROM payroll_run_totals WHERE run_id = r.id ORDER BY program) t),
      (SELECT count(*) FROM payments p WHERE p.run_id = r.id),
      (SELECT coalesce(sum(amount_fen), 0) FROM payments p WHERE p.run_id = r.id),
      (SELECT ${agg(db, 'p.status', { distinct: true })} FROM payments p WHERE p.run_id = r.id)
    FROM payroll_runs r WHERE r.month IN ${months} ORDER BY r.month, r.unit_code`,
    pays: `SELECT r.month, r.unit_code, p.program, p.case_id, p.month, p.amount_fen, p.n_persons,
      coalesce(p.reissue_of, 0), p.payee_name, p.bank_name, p.bank_account,
      (SELECT ${agg(db, 'person_id', { orderBy: 'person_id' })} FROM (SELECT person_id FROM payment_persons pp WHERE pp.payment_id = p.id ORDER BY person_id) AS x)
    FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month IN ${months}
    ORDER BY r.month, r.unit_code, p.program, p.case_id, p.month, coalesce(p.reissue_of, 0)`,
    // (every column text: PostgreSQL unites only columns of one type)
    dups: `SELECT 'payment twice', month, program, CAST(case_id AS TEXT) FROM payments WHERE reissue_of IS NULL GROUP BY month, program, case_id HAVING count(*) > 1
      UNION ALL SELECT 're-issued twice', CAST(reissue_of AS TEXT), '', '' FROM payments WHERE reissue_of IS NOT NULL GROUP BY reissue_of HAVING count(*) > 1
      UNION ALL SELECT 'person paid twice in a month', p.month, p.program, CAST(pp.person_id AS TEXT) FROM payments p JOIN payment_persons pp ON pp.payment_id = p.id
        WHERE p.reissue_of IS NULL AND p.month IN ${months} GROUP BY p.month, p.program, pp.person_id HAVING count(*) > 1
      UNION ALL SELECT 'marked reissued, no re-issue', CAST(f.id AS TEXT), f.unit_code, '' FROM payments f
        WHERE f.status = 'reissued' AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.reissue_of = f.id)
      UNION ALL SELECT 're-issue of a payment not marked reissued', CAST(x.id AS TEXT), CAST(x.reissue_of AS TEXT), '' FROM payments x JOIN payments f ON f.id = x.reissue_of
        WHERE f.status <> 'reissued'`,
    byStatus: `SELECT status, count(*), sum(amount_fen) FROM payments GROUP BY status ORDER BY status`,
  });
  const byRun = new Map();
  for (const p of q.pays) {
    const k = `${p[0]}:${p[1]}`;
    byRun.set(k, (byRun.get(k) ?? '') + p.slice(2).join('|') + '\n');
  }
  const runs = new Map();
  for (const r of q.runs) {
    const k = `${r[0]}:${r[1]}`;
    runs.set(k, {
      status: r[2],
      count: Number(r[10]),
      fen: Number(r[11]),
      statuses: r[12],
      hash: sha256(r.slice(3, 10).join('|') + '\n' + (byRun.get(k) ?? '')),
    });
  }
  assert.deepEqual(q.dups, [], `duplicates or broken re-issues: ${JSON.stringify(q.dups.slice(0, 5))}`);
  return { runs, byStatus: q.byStatus };
}

test(`payroll: compute and confirm two months, kill -9 at random moments (${ROUNDS} rounds), run again = the reference`, { timeout: 600000 }, async () => {
  const tStart = Date.now();
  // April, confirmed by the demo, has 12 payments returned by the bank: May re-issues them
  const refs = (await rows(base, `SELECT p.id, p.amount_fen
    FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '2020-04' AND p.id % 7 = 0 ORDER BY p.id LIMIT 12;`))
    .map(([id, fen]) => `MZ${id.padStart(10, '0')},${Math.trunc(Number(fen) / 100)}.${String(Number(fen) % 100).padStart(2, '0')},测试退回\n`).join('');
  await mzOk(['payroll', 'returns', '--db', base, '--file', '-'], { input: refs });
  await settle(base);

  // the reference, twice side by side (the result must not depend on anything but the data; the
  // slower of the two is the duration the kill points are drawn from)
  const refDbs = await Promise.all([copyOf('payroll-ref-a.db'), copyOf('payroll-ref-b.db')]);
  const refRuns = await Promise.all(refDbs.map((db) => runKilled(payrollSteps(db), null)));
  const T = Math.max(...refRuns.map((r) => r.elapsed));
  const [ref, ref2] = (await Promise.all(refDbs.map(payrollState))).map((x) => x.runs);
  assert.deepEqual([...ref2.entries()].map(([k, v]) => [k, v.hash]), [...ref.entries()].map(([k, v]) => [k, v.hash]), 'two clean runs agree');
  const units = new Set([...ref.keys()].map((k) => k.split(':')[1]));
  assert.ok(units.size >= 10, `units: ${units.size}`);
  let refCount = 0;
  let refFen = 0;
  for (const [k, v] of ref) {
    assert.equal(v.status, 'confirmed', k);
    assert.equal(v.statuses, v.count ? 'paid' : null, `${k}: a confirmed run's payments are paid`);
    refCount += v.count;
    refFen += v.fen;
  }
  // through the API: the same result
  const apiDb = await copyOf('payroll-ref-api.db');
  const srvA = await serveKillable(apiDb);
  const a0 = performance.now();
  await payrollByApi(srvA.url, { jobs: [], computed: [], confirmed: [] });
  const Tapi = performance.now() - a0;
  await srvA.kill();
  assert.deepEqual([...(await payrollState(apiDb)).runs.entries()].map(([k, v]) => [k, v.hash, v.status]), [...ref.entries()].map(([k, v]) => [k, v.hash, v.status]), 'the API computes what the CLI does');
  await removeDb(apiDb);
  const refReissues = await num(refDbs[0], `SELECT count(*) FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '${MONTHS[0]}' AND p.reissue_of IS NOT NULL`);
  assert.equal(refReissues, 12, 'May re-issues the 12 returned April payments');
  const refSum = (await payrollState(refDbs[0])).byStatus;
  // nobody missing, nobody twice: each month's payments (re-issues aside) are exactly what the
  // rolls owe that month (the assistance module's entitlements) — and the price subsidies due
  for (const m of MONTHS) {
    const owed = (await mzOk(['assistance', 'entitlements', '--db', base, '--month', m, '--format', 'csv']))
      .trim().split('\n').slice(1).map((l) => l.split(',')).map(([caseId, program, unit, , , persons, fen]) => `${program}:${caseId}:${unit}:${persons}:${fen}`).sort();
    const paid = (await rows(refDbs[0], `SELECT p.program || ':' || p.case_id || ':' || p.unit_code || ':' || p.n_persons || ':' || p.amount_fen FROM payments p
        JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '${m}' AND p.reissue_of IS NULL AND p.program <> 'price_subsidy' ORDER BY 1`)).map((x) => x[0]).sort();
    assert.ok(owed.length > 100, `${m}: ${owed.length} entitlements`);
    assert.deepEqual(paid, owed, `${m}: the payments are the entitlements`);
  }
  for (const db of refDbs) await removeDb(db);
  const setupMs = Date.now() - tStart;

  const clocks = { cli: killClock(T), api: killClock(Tapi) };
  const { results, ms } = await rounds('payroll', async ({ rng, db, round, info, lap }) => {
    const byApi = round % 2 === 1;
    const clock = byApi ? clocks.api : clocks.cli;
    drawKill(info, rng, clock);
    lap('copy');
    let k;
    let wal;
    const seen = { jobs: [], computed: [], confirmed: [], step: 0 };
    if (!byApi) {
      k = await runKilled(payrollSteps(db), info.killAt);
      wal = await killState(db);
      // what the commands said they did, as far as their output got out before the kill
      for (const [i, out] of k.outputs.entries()) {
        for (const m of out.matchAll(/^(\d{6})\t[^\t]*\t(\d{4}-\d{2})\trun=\d+\t(new|recomputed)/gm)) seen.computed.push(m[2]);
        for (const m of out.matchAll(/^已确认 \/ confirmed: run=\d+\t(\d{6})\t(\d{4}-\d{2})/gm)) seen.confirmed.push(`${m[2]}:${m[1]}`);
        if (i < k.step && payrollSteps(db)[i][1] === 'confirm') assert.ok(out.includes('confirmed') || out.includes('no drafts'), out);
      }
    } else {
      const srv = await serveKillable(db);
      lap('serve');
      let killing = false;
      let w;
      try {
        const work = payrollByApi(srv.url, seen).then(
          () => 'done',
          (e) => {
            if (!killing) throw e; // a real failure, not the kill
            return 'killed';
          },
        );
        await Promise.race([work, new Promise((r) => setTimeout(r, info.killAt))]);
        killing = true;
        await srv.kill();
        w = await work;
      } finally {
        killing = true;
        await srv.kill();
      }
      wal = await killState(db);
      k = { killed: w !== 'done', step: seen.step };
    }
    clock.update(!k.killed);
    lap('kill');

    // what the crash left: every run of the two months whole (the reference's payments exactly),
    // a month all units or none, drafts pending and confirmed runs paid, in the order of the steps
    const s = (await payrollState(db)).runs;
    const perMonth = MONTHS.map((m) => [...s.keys()].filter((x) => x.startsWith(m)).length);
    for (let i = 0; i < MONTHS.length; i++) assert.ok(perMonth[i] === 0 || perMonth[i] === units.size, `${MONTHS[i]}: all units or none, got ${perMonth[i]} runs`);
    let confirmed = 0;
    for (const [key, v] of s) {
      assert.ok(ref.has(key), `a run the reference has not: ${key}`);
      assert.equal(v.hash, ref.get(key).hash, `run ${key} (${v.status}) is not the reference's: ${v.count} payments ${v.fen} fen, want ${ref.get(key).count} ${ref.get(key).fen}`);
      if (v.status === 'confirmed') confirmed++;
      assert.equal(v.statuses, v.count === 0 ? null : v.status === 'confirmed' ? 'paid' : 'pending', `${key} ${v.status}: payment statuses ${v.statuses}`);
    }
    // every step acknowledged before the kill (a 200, a job done, a line printed) is there
    for (const m of seen.computed) assert.equal(perMonth[MONTHS.indexOf(m)], units.size, `${m} was computed (acknowledged) but its runs are not all there`);
    for (const x of seen.confirmed) assert.equal(s.get(x)?.status, 'confirmed', `run ${x} was confirmed (acknowledged) but is ${s.get(x)?.status}`);
    if (perMonth[1] > 0) assert.ok([...s].filter(([x]) => x.startsWith(MONTHS[0])).every(([, v]) => v.status === 'confirmed'), 'June is computed only after May is confirmed');
    lap('check');
    const committed = perMonth[0] === 0 ? 'nothing' : confirmed === 2 * units.size ? 'everything' : 'part';

    // run the same steps again: they finish, and the result is the reference's. Through the
    // API: restart, let the jobs queued before the kill finish (or be marked interrupted), then
    // the steps again.
    if (!byApi) {
      const again = await runKilled(payrollSteps(db), null);
      assert.equal(again.step, 4);
    } else {
      const srv = await serveKillable(db);
      lap('serve');
      try {
        const c = api(srv.url, adminToken);
        for (const id of seen.jobs) await waitJob(c, id);
        await payrollByApi(srv.url, { jobs: [], computed: [], confirmed: [] });
      } finally {
        await srv.kill();
      }
    }
    lap('rerun');
    const fs = await payrollState(db);
    const f = fs.runs;
    assert.deepEqual([...f.keys()], [...ref.keys()], 'the same runs');
    let count = 0;
    let fen = 0;
    for (const [key, v] of f) {
      assert.equal(v.status, 'confirmed', key);
      assert.equal(v.hash, ref.get(key).hash, `after the rerun, run ${key}: ${v.count} payments ${v.fen} fen, want ${ref.get(key).count} ${ref.get(key).fen}`);
      count += v.count;
      fen += v.fen;
    }
    assert.deepEqual([count, fen], [refCount, refFen], 'payments and fen of the two months');
    assert.deepEqual(fs.byStatus, refSum, 'every payment of every month by status');
    lap('check');
    await dbIntact(db, { what: 'after the rerun' });
    lap('integrity');
    return { via: byApi ? 'api' : 'cli', killAt: Math.round(info.killAt), killed: k.killed, step: STEP_NAMES[k.step], committed, wal: k.killed ? walWord(wal) : 'exited', acked: seen.computed.length + seen.confirmed.length };
  });

  const cliR = results.filter((r) => r.via === 'cli');
  const apiR = results.filter((r) => r.via === 'api');
  figures.payroll = `${results.length} rounds in ${(ms / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s; per round, ms: ${phases(results)}); ` +
    `${refCount} payments, ${refFen} fen, 12 re-issues in the two months; CLI (T = ${T.toFixed(0)} → ${clocks.cli.T.toFixed(0)} ms, ${cliR.length} rounds) killed during: ${tally(cliR, 'step')}, ` +
    `committed at the kill: ${tally(cliR, 'committed')}, WAL: ${tally(cliR, 'wal')}; API (T = ${Tapi.toFixed(0)} → ${clocks.api.T.toFixed(0)} ms, ${apiR.length} rounds) killed during: ${tally(apiR, 'step')}, ` +
    `committed at the kill: ${tally(apiR, 'committed')}, WAL: ${tally(apiR, 'wal')}`;
});

// ==== 2. import ================================================================================

const IMPORT_HOUSEHOLDS = 1000;

/** The households file: 1,000 households of 3 (head, spouse, child) in villages across the
 * city, 10 rows with a wrong check digit (rejected, with their household when it is the head),
 * and 10 persons already registered (skipped). */
async function importCsv(db) {
  const villages = (await rows(db, `SELECT code FROM regions WHERE level = 5 ORDER BY code`)).map((r) => r[0]);
  const existing = await rows(db, `SELECT id_number, name FROM persons WHERE status = 'active' ORDER BY id LIMIT 10`);
  const lines = ['户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话'];
  const rel = ['户主', '配偶', '子女'];
  for (let i = 0; i < IMPORT_HOUSEHOLDS * 3; i++) {
    const h = Math.floor(i / 3);
    const birth = i % 3 === 2 ? `${1990 + (h % 25)}` : `${1950 + (h % 30)}`;
    const id17 = `110105${birth}${String(1 + (h % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
    // distinct: the sequence (i % 1000) with the day (i % 28) and the birth year/month from h
    let id = id17 + checkChar(id17);
    if (i % 301 === 5) id = id17 + (checkChar(id17) === '1' ? '2' : '1');
    const phone = i % 3 === 0 ? `139${String(10000000 + h).slice(-8)}` : '';
    lines.push(`C${h},${villages[(h * 7) % villages.length]},崩溃测试路 ${h} 号,${h % 2 ? '农村' : '城镇'},${id},测试${h}之${i % 3},${rel[i % 3]},${phone}`);
  }
  existing.forEach(([id, name], j) => lines.push(`E${j},${villages[0]},已登记 ${j},城镇,${id},${name},户主,`));
  return lines.join('\r\n') + '\r\n';
}

/** The registry as the import leaves it: every person of the file's households with their
 * household (by its head's ID number), and the registry's totals. */
async function importState(db) {
  const q = await queries(db, {
    totals: `SELECT count(*), count(DISTINCT id_number), (SELECT count(*) FROM households),
        (SELECT count(*) FROM audit_log WHERE action = 'household.create') FROM persons`,
    sizes: `SELECT count(*) FROM persons p JOIN households h ON h.id = p.household_id WHERE h.address LIKE '崩溃测试路%' GROUP BY h.id`,
    persons: `SELECT h.region_code, h.address, h.residence_type, h.phone, (SELECT id_number FROM persons WHERE id = h.head_person_id),
        p.id_number, p.name, p.relation, p.status, p.region_code, p.sex, p.birth_date, p.phone
      FROM persons p JOIN households h ON h.id = p.household_id WHERE h.address LIKE '崩溃测试路%' ORDER BY p.id_number`,
  });
  const [persons, distinct] = q.totals[0].map(Number);
  const sizes = q.sizes.map((r) => Number(r[0]));
  const hash = sha256(JSON.stringify([q.totals, q.persons]));
  return { persons, distinct, households: sizes.length, sizes, hash, imported: q.persons.length };
}

/** Through the API: upload the file, run it as a job, wait for the job's end. Every answer is
 * written into `seen` as it arrives (the kill may come at any moment). */
async function importByApi(url, token, csv, seen) {
  const c = api(url, token);
  const up = await c.raw('POST', '/api/v1/imports/uploads?kind=households&name=crash.csv', { rawBody: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' } });
  assert.equal(up.status, 201, up.text);
  seen.upload = up.json.id;
  const run = await c.post(`/api/v1/imports/uploads/${seen.upload}/run`, {});
  assert.equal(run.status, 202, run.text);
  seen.jobs.push(run.json.id);
  return waitJob(c, run.json.id);
}

test(`import: 3,000 household rows by the CLI and as a server job, kill -9 at random moments (${ROUNDS} rounds), again = the reference`, { timeout: 600000 }, async () => {
  const tStart = Date.now();
  const csv = await importCsv(base);
  const file = path.join(root, 'households.csv');
  writeFileSync(file, csv);
  const admin = adminToken;
  await settle(base);
  const before_ = await importState(base);
  assert.equal(before_.imported, 0);

  // the reference: the CLI on one copy and the job on another, side by side (as the rounds run)
  // — the same registry
  const [refA, refB] = await Promise.all([copyOf('import-ref-a.db'), copyOf('import-ref-b.db')]);
  const srv = await serveKillable(refB);
  let Tapi;
  const [a, job] = await Promise.all([
    runKilled([['import', 'households', file, '--db', refA]], null),
    (async () => {
      const b0 = performance.now();
      const j = await importByApi(srv.url, admin, csv, { jobs: [] });
      Tapi = performance.now() - b0;
      return j;
    })(),
  ]);
  await srv.kill();
  const Tcli = a.elapsed;
  const last = a.outputs[0].trim().split('\n').pop();
  const ref = await importState(refA);
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  assert.equal((await importState(refB)).hash, ref.hash, 'the CLI and the job import the same');
  assert.match(last, /^accepted \d+, rejected \d+$/);
  const [accepted, rejected] = last.match(/\d+/g).map(Number);
  assert.deepEqual([job.result.accepted, job.result.rejected, job.result.skipped], [accepted, rejected, 10]);
  assert.ok(accepted > 2900 && rejected >= 10, last);
  assert.equal(ref.persons, before_.persons + accepted);
  assert.equal(ref.distinct, ref.persons, 'no ID number twice');
  assert.ok(ref.sizes.every((n) => n >= 2 && n <= 3), 'whole households');
  for (const db of [refA, refB]) await removeDb(db);
  const setupMs = Date.now() - tStart;

  const clocks = { cli: killClock(Tcli), job: killClock(Tapi) };
  const { results, ms } = await rounds('import', async ({ rng, db, round, info, lap }) => {
    lap('copy');
    const byApi = round % 2 === 1;
    let killed;
    let wal;
    let jobState = '';
    let srv;
    const seen = { jobs: [] };
    if (!byApi) {
      drawKill(info, rng, clocks.cli);
      const k = await runKilled([['import', 'households', file, '--db', db]], info.killAt);
      killed = k.killed;
      wal = await killState(db);
    } else {
      drawKill(info, rng, clocks.job);
      srv = await serveKillable(db);
      let killing = false;
      let j;
      try {
        const work = importByApi(srv.url, admin, csv, seen).catch((e) => {
          if (!killing) throw e; // a real failure, not the kill
          return { error: e };
        });
        await Promise.race([work, new Promise((r) => setTimeout(r, info.killAt))]);
        killing = true;
        await srv.kill();
        j = await work;
      } finally {
        killing = true;
        await srv.kill();
      }
      killed = !(j && j.status === 'done');
      wal = await killState(db);
    }

    clocks[byApi ? 'job' : 'cli'].update(!killed);
    lap('kill');
    // what the crash left: the file's households all there or none (one transaction)
    const s = await importState(db);
    assert.ok(s.hash === before_.hash || s.hash === ref.hash, `neither nothing nor the whole file: ${s.imported} persons in ${s.households} households`);
    const committed = s.hash === ref.hash;
    lap('check');

    // again: the CLI runs the file again; through the API the server is restarted, the job (if
    // any got queued) finishes or is marked interrupted, and the upload is run again if needed
    if (!byApi) {
      const again = await runKilled([['import', 'households', file, '--db', db]], null);
      const l = again.outputs[0].trim().split('\n').pop();
      assert.equal(l, committed ? 'accepted 0, rejected ' + rejected : last, 'the second import');
    } else {
      srv = await serveKillable(db);
      try {
        const c = api(srv.url, admin);
        const states = [];
        for (const id of seen.jobs) states.push(await waitJob(c, id));
        jobState = states.map((j) => j.status + (j.error ? `:${j.error.code}` : '')).join(',') || 'no job';
        if (committed && states.some((j) => j.error?.code === 'interrupted')) jobState = 'failed:interrupted (the import committed)';
        if (!states.some((j) => j.status === 'done')) {
          let id = seen.upload;
          if (!id) {
            const up = await c.raw('POST', '/api/v1/imports/uploads?kind=households&name=crash.csv', { rawBody: Buffer.from(csv), headers: { 'Content-Type': 'text/csv' } });
            assert.equal(up.status, 201, up.text);
            id = up.json.id;
          }
          const run = await c.post(`/api/v1/imports/uploads/${id}/run`, {});
          assert.equal(run.status, 202, run.text);
          const j = await waitJob(c, run.json.id);
          if (j.status === 'failed') assert.equal(j.error.code, 'already_imported', `the rerun: ${JSON.stringify(j.error)}`);
          else assert.equal(j.result.accepted, committed ? 0 : accepted, 'the rerun accepts what was not committed');
          jobState += ` → ${j.status}${j.error ? ':' + j.error.code : ''}`;
        }
      } finally {
        await srv.kill();
      }
    }
    lap('rerun');
    const f = await importState(db);
    assert.equal(f.hash, ref.hash, `the registry after the rerun: ${f.imported} persons in ${f.households} households, want ${ref.imported} in ${ref.households}`);
    lap('check');
    await dbIntact(db, { what: 'after the rerun' });
    lap('integrity');
    return {
      via: byApi ? 'job' : 'cli',
      killAt: Math.round(info.killAt),
      point: !killed ? 'finished' : committed ? 'after-commit' : wal.uncommitted > 0 || wal.torn > 0 ? 'in-commit' : 'before-commit',
      jobs: jobState,
    };
  });

  const cliR = results.filter((r) => r.via === 'cli');
  const apiR = results.filter((r) => r.via === 'job');
  figures.import = `${results.length} rounds in ${(ms / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s; per round, ms: ${phases(results)}); file: ${accepted} accepted, ${rejected} rejected, 10 skipped; ` +
    `CLI (T = ${Tcli.toFixed(0)} → ${clocks.cli.T.toFixed(0)} ms, ${cliR.length} rounds): ${tally(cliR, 'point')}; job (T = ${Tapi.toFixed(0)} → ${clocks.job.T.toFixed(0)} ms upload to done, ${apiR.length} rounds): ${tally(apiR, 'point')}; ` +
    `jobs after the restart: ${tally(apiR, 'jobs')}`;
});

/**
 * One burst round's start: serve a copy, send the burst, kill -9 the server at info.killAt, wait for
 * every request to end (answered or cut off), read the WAL's tail; the kill clock learns whether
 * the kill came after the burst. {wal, acked}.
 */
async function burstAndKill(db, plan, burst, info, clock, lap) {
  const srv = await serveKillable(db);
  lap('serve');
  const all = burst(srv.url, plan);
  await new Promise((r) => setTimeout(r, info.killAt));
  await srv.kill();
  await all;
  const wal = await killState(db);
  lap('kill');
  const acked = plan.filter((r) => r.first.status !== 0).length;
  clock.update(acked === plan.length);
  return { wal, acked };
}

// ==== 3. reserve-fund grants ===================================================================

const TOWNSHIPS = 4;
const PER_TOWNSHIP = 15;
const CLIENTS = 12; // requests in flight at once
const EXPENSE_CAUSES = ['medical', 'education', 'epidemic_income_loss', 'basic_living', 'other_expense'];

test(`reserve-fund grants: a burst of ${TOWNSHIPS * PER_TOWNSHIP} pay-first grants, the server killed -9 (${ROUNDS} rounds), retries exactly once`, { timeout: 600000 }, async () => {
  const tStart = Date.now();
  const day = todayChina();
  const towns = (await rows(base, `SELECT r.township_code, r.balance_fen FROM relief_reserves r
      WHERE EXISTS (SELECT 1 FROM users u WHERE u.username = 'township_' || r.township_code)
      ORDER BY (SELECT count(*) FROM persons p WHERE p.status = 'active' AND p.region_code LIKE r.township_code || '%') DESC, r.township_code LIMIT ${TOWNSHIPS}`))
    .map(([code, bal]) => ({ code, balance: Number(bal) }));
  const plan0 = [];
  for (const t of towns) {
    t.token = (await mzOk(['token', 'create', '--db', base, '--username', `township_${t.code}`])).trim();
    const people = await rows(base, `SELECT id FROM persons p WHERE p.status = 'active' AND p.region_code LIKE '${t.code}%'
        AND NOT EXISTS (SELECT 1 FROM relief_grants g WHERE g.person_id = p.id) ORDER BY id LIMIT ${PER_TOWNSHIP}`);
    assert.equal(people.length, PER_TOWNSHIP, `persons in ${t.code}`);
    for (const [id] of people) plan0.push({ town: t, person: Number(id) });
  }
  await settle(base);
  const maxGrant = await num(base, 'SELECT coalesce(max(id), 0) FROM relief_grants');
  const maxNeed = await num(base, 'SELECT coalesce(max(id), 0) FROM relief_needs');

  /** A round's requests: a cause, an amount of 200–1,000 yuan, cash or (one in eight) goods. */
  const planOf = (rng) =>
    rng.shuffle(plan0).map((p) => {
      const goods = rng.next() < 0.125;
      return {
        ...p,
        body: {
          person_id: p.person, kind: 'expense', cause: rng.pick(EXPENSE_CAUSES), amount_fen: rng.int(20, 100) * 1000,
          form: goods ? 'goods' : 'cash', goods_note: goods ? '米面油一批' : '', applied_by: 'self', pay_first: true,
          reason: '崩溃测试', applied_on: day,
          // the form's request key: a retry of a request whose answer was lost is answered with
          // what the first attempt did, never applied twice
          request_key: `crash-${p.person}`,
        },
      };
    });
  /** The burst: CLIENTS phones at once, each sending its next request when answered. */
  const burst = (url, plan) =>
    pool(plan, CLIENTS, async (r) => {
      r.first = await send(api(url, r.town.token), 'POST', '/api/v1/relief/grants', r.body);
    });

  /** The grants, reserves, moves and needs the burst wrote, checked against the answers. */
  async function checkGrants(db, plan, when) {
    const q = await queries(db, {
      grants: `SELECT id, person_id, cause, amount_fen, form, payment, pay_first, township_code, CASE WHEN repeat_of IS NOT NULL THEN 1 ELSE 0 END,
          (SELECT count(*) FROM relief_reserve_moves m WHERE m.grant_id = g.id AND m.kind = 'disbursement' AND m.amount_fen = g.amount_fen)
        FROM relief_grants g WHERE id > ${maxGrant}`,
      needs: `SELECT person_id, cause, amount_fen FROM relief_needs WHERE id > ${maxNeed}`,
      reserves: `SELECT township_code, balance_fen, (SELECT balance_after_fen FROM relief_reserve_moves m WHERE m.township_code = r.township_code ORDER BY id DESC LIMIT 1)
        FROM relief_reserves r WHERE township_code IN ('${towns.map((t) => t.code).join("','")}')`,
    });
    const grants = q.grants;
    const byKey = new Map();
    for (const g of grants) {
      const key = `${g[1]}:${g[2]}`;
      assert.ok(!byKey.has(key), `${when}: person ${g[1]} granted twice for ${g[2]} (grants ${byKey.get(key)?.[0]} and ${g[0]})`);
      byKey.set(key, g);
      const r = plan.find((x) => x.person === Number(g[1]));
      assert.ok(r && r.body.cause === g[2], `${when}: grant ${g[0]} answers no request`);
      assert.deepEqual(g.slice(3, 10), [String(r.body.amount_fen), r.body.form, r.body.form === 'goods' ? 'drawn' : 'paid', '1', r.town.code, '0', '1'], `${when}: grant ${g[0]} as asked, drawn once from the reserve`);
    }
    const needs = q.needs.map((n) => n.join(':'));
    for (const r of plan) {
      const g = byKey.get(`${r.person}:${r.body.cause}`);
      const answers = [r.first, r.retry].filter((x) => x && x.status !== 0);
      for (const a of answers) {
        if (a.status === 201 || (a.status === 200 && a === r.retry)) {
          // 200: a retry whose first attempt had committed, answered with that grant
          assert.ok(g, `${when}: person ${r.person}'s grant was answered ${a.status} (id ${a.json?.id}) but is not in the database`);
          assert.equal(Number(g[0]), a.json.id, `${when}: the grant answered is the grant stored`);
        } else if (a.status === 409 && a.json?.error?.code === 'reserve_insufficient') {
          assert.ok(!g, `${when}: person ${r.person} refused for the reserve, yet granted (grant ${g?.[0]})`);
          assert.ok(needs.includes(`${r.person}:${r.body.cause}:${r.body.amount_fen}`), `${when}: the refusal's replenishment need is recorded`);
        } else {
          assert.fail(`${when}: unexpected answer ${a.status} ${a.text?.slice(0, 300)}`);
        }
      }
    }
    // every reserve: the balance is the initial one minus the grants drawn from it, never below
    // zero, and the last move's balance; the reconciliation agrees
    for (const t of towns) {
      const drawn = grants.filter((g) => g[7] === t.code).reduce((s, g) => s + Number(g[3]), 0);
      const [bal, lastMove] = q.reserves.find((x) => x[0] === t.code).slice(1).map(Number);
      assert.equal(bal, t.balance - drawn, `${when}: ${t.code}'s balance = ${t.balance} − ${drawn} drawn`);
      assert.ok(bal >= 0);
      assert.equal(lastMove, bal, `${when}: ${t.code}'s last move leaves the balance`);
    }
    const rec = await mz(['relief', 'reconcile', '--db', db]);
    assert.equal(rec.status, 0, `${when}: relief reconcile: ${rec.stdout.slice(-600)}${rec.stderr}`);
    // a refusal whose answer was lost and that was retried is refused again without a second
    // replenishment need (the request key)
    assert.equal(needs.length, new Set(needs).size, `${when}: a replenishment need recorded twice`);
    return byKey;
  }

  // the duration of a whole burst: two clean bursts on two copies side by side (as the rounds
  // run), the slower one
  let T = 0;
  let refOk = 0;
  await Promise.all(['a', 'b'].map(async (x) => {
    const refDb = await copyOf(`relief-ref-${x}.db`);
    const srv0 = await serveKillable(refDb);
    const refPlan = planOf(prng(hash32(`${SEED}:relief:ref-${x}`)));
    const b0 = performance.now();
    await burst(srv0.url, refPlan);
    T = Math.max(T, performance.now() - b0);
    await srv0.kill();
    const ok = refPlan.filter((r) => r.first.status === 201).length;
    assert.ok(ok > 0 && refPlan.every((r) => r.first.status === 201 || r.first.json?.error?.code === 'reserve_insufficient'), 'the clean burst: granted or refused for the reserve');
    assert.ok(ok < refPlan.length, 'the burst asks more than the reserves hold');
    await checkGrants(refDb, refPlan, 'the clean burst');
    await removeDb(refDb);
    if (x === 'a') refOk = ok;
  }));
  const setupMs = Date.now() - tStart;

  const clock = killClock(T);
  const { results, ms } = await rounds('relief', async ({ rng, db, info, lap }) => {
    const plan = planOf(rng);
    drawKill(info, rng, clock);
    lap('copy');
    const { wal, acked } = await burstAndKill(db, plan, burst, info, clock, lap);
    const after = await checkGrants(db, plan, 'after the kill');
    const unanswered = plan.filter((r) => r.first.status === 0);
    const lost = unanswered.filter((r) => after.has(`${r.person}:${r.body.cause}`)).length;
    lap('check');

    // restart, retry what got no answer (the same request again)
    const srv = await serveKillable(db);
    lap('serve');
    try {
      await Promise.all(unanswered.map(async (r) => {
        r.retry = await send(api(srv.url, r.town.token), 'POST', '/api/v1/relief/grants', r.body);
        assert.notEqual(r.retry.status, 0, 'the restarted server answers');
      }));
    } finally {
      await srv.kill();
    }
    lap('rerun');
    const final = await checkGrants(db, plan, 'after the retries');
    for (const r of plan) {
      const outcome = [r.first, r.retry].find((a) => a && a.status !== 0);
      const g = final.has(`${r.person}:${r.body.cause}`);
      assert.equal(g, outcome.status === 201 || outcome.status === 200, `person ${r.person}: granted exactly when the answer says so`);
    }
    lap('check');
    await dbIntact(db, { what: 'after the retries' });
    lap('integrity');
    return {
      killAt: Math.round(info.killAt), acked, unanswered: unanswered.length, committedUnanswered: lost,
      point: acked === plan.length ? 'after-burst' : acked === 0 ? 'before-any-answer' : 'mid-burst',
      wal: walWord(wal), retriedCommitted: unanswered.filter((r) => r.retry?.status === 200).length,
    };
  });

  const sum = (k) => results.reduce((s, r) => s + r[k], 0);
  figures.relief = `${results.length} rounds in ${(ms / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s; per round, ms: ${phases(results)}); burst of ${plan0.length} over ${TOWNSHIPS} reserves, clean T = ${T.toFixed(0)} → ${clock.T.toFixed(0)} ms ` +
    `(${refOk} granted, the rest refused for the reserve); kill points: ${tally(results, 'point')}; answered before the kill ${sum('acked')}, unanswered ${sum('unanswered')} ` +
    `of which committed ${sum('committedUnanswered')} (their retries answered 200 with the same grant: ${sum('retriedCommitted')}); WAL at the kill: ${tally(results, 'wal')}`;
});

// ==== 4. report bursts =========================================================================

const REPORT_DAYS = Array.from({ length: 14 }, (_, i) => `2020-01-${String(10 + i).padStart(2, '0')}`);
const DAYS_EACH = 3;
const REPORTERS = 6;
const REPORT_CLIENTS = 16; // reports in flight at once

test(`report bursts: institutions' daily and zero reports, the server killed -9 (${ROUNDS} rounds), retries exactly once`, { timeout: 600000 }, async () => {
  const tStart = Date.now();
  const from = REPORT_DAYS[0];
  const to = REPORT_DAYS.at(-1);
  const insts = (await rows(base, `SELECT i.id, i.type, i.region_code, i.unit_code, i.residents, i.staff FROM institutions i ORDER BY i.id`)).map(([id, type, region, unit, residents, staff]) => ({
    id: Number(id), type, region, unit, residents: Number(residents), staff: Number(staff), hasResidents: !['funeral_home', 'marriage_office', 'lottery_outlet'].includes(type),
  }));
  assert.equal(await num(base, `SELECT count(*) FROM inst_reports WHERE report_date BETWEEN '${from}' AND '${to}'`), 0, 'no report in the window yet');
  // reporters of their own for some institutions; the county (or zone) staff file for the others
  // (代报); the city administrator where the unit has no such user
  const tokens = new Map();
  const token = async (u) => {
    if (!tokens.has(u)) tokens.set(u, (await mzOk(['token', 'create', '--db', base, '--username', u])).trim());
    return tokens.get(u);
  };
  const unitUsers = new Map((await rows(base, `SELECT username FROM users WHERE role = 'county_staff'`)).map(([u]) => [u.slice(u.indexOf('_') + 1), u]));
  for (const [n, i] of insts.filter((x) => x.hasResidents).slice(0, REPORTERS).entries()) {
    const u = `crash_reporter_${n}`;
    await mzOk(['user', 'add', '--db', base, '--username', u, '--role', 'institution_reporter', '--region', i.region.slice(0, 6), '--password-stdin'], { input: 'Crash@2020x\n' });
    await mzOk(['institutions', 'attach', '--db', base, '--institution', String(i.id), '--username', u]);
    i.user = u;
  }
  for (const i of insts) i.token = await token(i.user ?? unitUsers.get(i.unit) ?? 'admin');
  await settle(base);

  /** A round's reports: each institution 3 of the 14 days; one in four a full daily report (one
   * in ten of those with a fever, which raises a health alert), the rest zero reports. */
  const planOf = (rng) => {
    const plan = [];
    for (const i of insts) {
      for (const d of rng.shuffle(REPORT_DAYS).slice(0, DAYS_EACH)) {
        let body = { kind: 'zero', report_date: d };
        if (rng.next() < 0.25) {
          const fever = rng.next() < 0.1 ? 1 : 0;
          body = {
            kind: 'daily', report_date: d, staff_on_site: i.staff, temperature_checks: i.staff + i.residents, fever, suspected: 0, confirmed: 0,
            isolated: fever, deaths: 0, goods_days: rng.int(7, 30), note: '崩溃测试',
          };
          if (i.hasResidents) Object.assign(body, { residents_present: i.residents, admissions: 0, departures: 0 });
        }
        plan.push({ inst: i, body });
      }
    }
    return rng.shuffle(plan);
  };
  const post = (url, r) => send(api(url, r.inst.token), 'POST', `/api/v1/institutions/${r.inst.id}/reports`, r.body);
  /** The burst: REPORT_CLIENTS reporters at once, each sending its next report when answered. */
  const burst = (url, plan) => pool(plan, REPORT_CLIENTS, async (r) => (r.first = await post(url, r)));

  /** The reports of the window against the answers; counters, alerts and the period report
   * against the stored reports. */
  async function checkReports(db, plan, when, { withReport = true } = {}) {
    const q = await queries(db, {
      stored: `SELECT r.id, r.institution_id, r.report_date, r.kind, r.version, r.fever,
          (SELECT count(*) FROM inst_report_versions v WHERE v.report_id = r.id)
        FROM inst_reports r WHERE r.report_date BETWEEN '${from}' AND '${to}'`,
      // the counters are the stored reports, recounted (the whole table, every day)
      diff: `WITH recount AS (SELECT r.report_date, i.area_code, i.type, count(*) AS received, sum(r.on_time) AS on_time, sum(CASE WHEN r.kind = 'zero' THEN 1 ELSE 0 END) AS zero
                   FROM inst_reports r JOIN institutions i ON i.id = r.institution_id GROUP BY 1, 2, 3),
          kept AS (SELECT report_date, area_code, type, received, on_time, zero FROM inst_report_stats WHERE received > 0 OR on_time > 0 OR zero > 0)
        SELECT 'counted, not stored', * FROM (SELECT * FROM kept EXCEPT SELECT * FROM recount) AS a
        UNION ALL SELECT 'stored, not counted', * FROM (SELECT * FROM recount EXCEPT SELECT * FROM kept) AS b`,
      alerts: `SELECT institution_id || ':' || report_date || ':' || kind FROM inst_alerts WHERE report_date BETWEEN '${from}' AND '${to}' ORDER BY 1`,
    });
    const stored = q.stored;
    const byKey = new Map(stored.map((s) => [`${s[1]}:${s[2]}`, s]));
    assert.equal(byKey.size, stored.length, `${when}: a report twice`);
    for (const s of stored) {
      const r = plan.find((x) => x.inst.id === Number(s[1]) && x.body.report_date === s[2]);
      assert.ok(r, `${when}: report ${s[0]} answers no request`);
      assert.deepEqual([s[3], s[4], s[5], s[6]], [r.body.kind, '1', String(r.body.fever ?? 0), '1'], `${when}: report ${s[0]} as filed, one version`);
    }
    for (const r of plan) {
      const s = byKey.get(`${r.inst.id}:${r.body.report_date}`);
      for (const a of [r.first, r.retry].filter((x) => x && x.status !== 0)) {
        if (a.status === 201) {
          assert.ok(s, `${when}: report of institution ${r.inst.id} for ${r.body.report_date} was answered 201 but is not stored`);
          assert.equal(Number(s[0]), a.json.report.id, `${when}: the report answered is the report stored`);
        } else if (a.status === 409 && a.json?.error?.code === 'report_exists') {
          assert.ok(a === r.retry && s, `${when}: report_exists only for a retry of a stored report`);
        } else {
          assert.fail(`${when}: unexpected answer ${a.status} ${a.text?.slice(0, 300)}`);
        }
      }
    }
    const diff = q.diff;
    assert.deepEqual(diff, [], `${when}: the completeness counters disagree with the reports: ${JSON.stringify(diff.slice(0, 4))}`);
    // one health alert for each stored report with a fever, nothing else in the window
    const alerts = q.alerts.map((x) => x[0]);
    const want = stored.filter((s) => s[5] === '1').map((s) => `${s[1]}:${s[2]}:health`).sort();
    assert.deepEqual(alerts, want, `${when}: alerts`);
    // the period report (what the dashboard and leaders read) agrees with the stored reports
    if (!withReport) return byKey;
    const rep = JSON.parse(await mzOk(['report', 'institutions', '--db', db, '--from', from, '--to', to, '--format', 'json'])).reports;
    const zero = stored.filter((s) => s[3] === 'zero').length;
    assert.deepEqual([rep.received, rep.zero, rep.on_time, rep.missing], [stored.length, zero, 0, rep.expected - stored.length], `${when}: the period report`);
    assert.equal(rep.completeness_bp, Math.floor((stored.length * 10000) / rep.expected), `${when}: completeness`);
    return byKey;
  }

  // the duration of a whole burst: two clean bursts on two copies side by side (as the rounds
  // run), the slower one
  let T = 0;
  await Promise.all(['a', 'b'].map(async (x) => {
    const refDb = await copyOf(`reports-ref-${x}.db`);
    const srv0 = await serveKillable(refDb);
    const refPlan = planOf(prng(hash32(`${SEED}:reports:ref-${x}`)));
    const b0 = performance.now();
    await burst(srv0.url, refPlan);
    T = Math.max(T, performance.now() - b0);
    await srv0.kill();
    assert.ok(refPlan.every((r) => r.first.status === 201), `the clean burst: ${JSON.stringify(refPlan.find((r) => r.first.status !== 201)?.first)}`);
    await checkReports(refDb, refPlan, 'the clean burst');
    await removeDb(refDb);
  }));
  const setupMs = Date.now() - tStart;

  const clock = killClock(T);
  const { results, ms } = await rounds('reports', async ({ rng, db, info, lap }) => {
    const plan = planOf(rng);
    drawKill(info, rng, clock);
    lap('copy');
    const { wal, acked } = await burstAndKill(db, plan, burst, info, clock, lap);
    const after = await checkReports(db, plan, 'after the kill', { withReport: false });
    const unanswered = plan.filter((r) => r.first.status === 0);
    const lost = unanswered.filter((r) => after.has(`${r.inst.id}:${r.body.report_date}`)).length;
    lap('check');

    const srv = await serveKillable(db);
    lap('serve');
    try {
      await Promise.all(unanswered.map(async (r) => {
        r.retry = await post(srv.url, r);
        assert.notEqual(r.retry.status, 0, 'the restarted server answers');
      }));
    } finally {
      await srv.kill();
    }
    lap('rerun');
    const final = await checkReports(db, plan, 'after the retries');
    assert.equal(final.size, plan.length, 'every report stored once');
    lap('check');
    await dbIntact(db, { what: 'after the retries' });
    lap('integrity');
    return {
      killAt: Math.round(info.killAt), acked, unanswered: unanswered.length, committedUnanswered: lost,
      point: acked === plan.length ? 'after-burst' : acked === 0 ? 'before-any-answer' : 'mid-burst',
      wal: walWord(wal),
    };
  });

  const sum = (k) => results.reduce((s, r) => s + r[k], 0);
  figures.reports = `${results.length} rounds in ${(ms / 1000).toFixed(1)} s (setup ${(setupMs / 1000).toFixed(1)} s; per round, ms: ${phases(results)}); burst of ${insts.length * DAYS_EACH} reports from ${tokens.size} users, clean T = ${T.toFixed(0)} → ${clock.T.toFixed(0)} ms; ` +
    `kill points: ${tally(results, 'point')}; answered before the kill ${sum('acked')}, unanswered ${sum('unanswered')} of which committed (answer lost, retry → report_exists) ` +
    `${sum('committedUnanswered')}; WAL at the kill: ${tally(results, 'wal')}`;
});
