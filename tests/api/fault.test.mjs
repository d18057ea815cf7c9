// fault.test.mjs — a real `minzheng serve` under injected faults (MZ_FAULT, src/core/fault.h):
// every 37th database step fails (busy, full disk, I/O error in turn) and every 1009th of
// SQLite's allocations, both from the moment the server is up (`ready`), under a mixed load of
// reads and writes from several clients at once. Every answer must be a clean status with a JSON
// body (a Chinese error with a code for a failure), no connection may drop, and the server must
// keep serving. Afterwards it is restarted without faults: it serves normally, `audit verify`
// passes, SQLite's integrity and foreign-key checks pass, and no household was half-written.
// On PostgreSQL (MZ_TEST_PG_URL) the same run meets the same injected faults in db_pg.c (its
// `sqlmem` are libpq's result and value allocations); the server enforces the constraints itself,
// so the checks afterwards are: every constraint declared and validated, amcheck finds every
// index consistent with its table, no person points at a missing household, and again no
// household half-written.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { Client, isChinese, makeId, makePhone, request } from '../lib/http.mjs';
import { auditVerify, cliOk, makeDemoDb, pgDropDb, spawnServe, sqlite } from '../lib/server.mjs';

const VILLAGE = '370704008231';
const FAULTS = 'step:every=37:mix:ready,sqlmem:every=1009:ready';
let dir, dbPath, token;
const isPg = (p) => /^postgres(ql)?:\/\//.test(p);

before(() => {
  ({ dir, dbPath } = makeDemoDb({ scale: 0.005 }));
  token = cliOk(['token', 'create', '--db', dbPath, '--username', 'admin']).trim();
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (dbPath) pgDropDb(dbPath);
});

async function withFaults(spec, fn) {
  const saved = process.env.MZ_FAULT;
  process.env.MZ_FAULT = spec;
  let srv;
  try {
    srv = await spawnServe(dbPath, { extraArgs: ['--threads', '2'] });
  } finally {
    if (saved === undefined) delete process.env.MZ_FAULT;
    else process.env.MZ_FAULT = saved;
  }
  try {
    return await fn(srv);
  } finally {
    await srv.stop();
  }
}

let serial = 0;
function householdBody() {
  serial++;
  return {
    region_code: VILLAGE, address: `故障注入测试路 ${serial} 号`, residence_type: 'rural', phone: makePhone(),
    members: [
      { id_number: makeId(), name: '测试户主', relation: 'head' },
      { id_number: makeId(), name: '测试配偶', relation: 'spouse' },
    ],
  };
}

// One request of the mix: [method, path, body].
function pick(i) {
  switch (i % 8) {
    case 0: case 4: return ['POST', '/api/v1/households', householdBody()];
    case 1: return ['GET', '/api/v1/institutions/dashboard', undefined];
    case 2: return ['GET', `/api/v1/persons?q=${encodeURIComponent('测试')}&limit=10`, undefined];
    case 3: return ['GET', `/api/v1/regions/${VILLAGE}`, undefined];
    case 5: return ['GET', '/api/v1/ledger/entries?limit=10', undefined];
    case 6: return ['GET', '/api/v1/institutions', undefined];
    default: return ['GET', '/api/v1/institutions/alerts', undefined];
  }
}

test('under every-37th-step and every-1009th-allocation faults every answer is a clean status with a JSON body, and the server keeps serving', async () => {
  const tally = { total: 0, ok: 0, byCode: {}, created: 0 };
  const started = Date.now();
  await withFaults(FAULTS, async (srv) => {
    assert.match(srv.output(), /警告：故障注入已启用/, 'a loud warning when faults are armed');
    const client = new Client(srv.url, { bearer: token });
    const N = 480, CONCURRENCY = 8;
    let next = 0;
    async function worker() {
      while (next < N) {
        const i = next++;
        const [method, path, body] = pick(i);
        let res;
        try {
          res = await client.raw(method, path, { body });
        } catch (e) {
          assert.fail(`${method} ${path}: the connection failed: ${e.message}`);
        }
        tally.total++;
        const where = `${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`;
        assert.ok(res.json && typeof res.json === 'object', `a JSON body: ${where}`);
        if (res.status < 300) {
          tally.ok++;
          if (method === 'POST') tally.created++;
          continue;
        }
        // A fault is the server's trouble, never the client's: 5xx only, never a 4xx.
        assert.ok(res.status >= 500 && res.status <= 599, `a fault answers 5xx: ${where}`);
        const { code, message } = res.json.error ?? {};
        assert.ok(['busy', 'disk_full', 'io_error', 'out_of_memory', 'internal', 'txn_aborted'].includes(code), `a known code: ${where}`);
        assert.ok(isChinese(message), `a Chinese message: ${where}`);
        tally.byCode[code] = (tally.byCode[code] ?? 0) + 1;
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.equal(tally.total, N);
    assert.ok(tally.ok > N / 4, `most requests still succeed: ${JSON.stringify(tally)}`);
    assert.ok(tally.total - tally.ok > 0, `faults were met: ${JSON.stringify(tally)}`);
    assert.equal(srv.child.exitCode, null, 'the server is still running');
    const h = await request(srv.url, 'GET', '/healthz');
    assert.ok([200, 503].includes(h.status), 'healthz answers');
  });
  const after = await spawnServe(dbPath);
  try {
    const client = new Client(after.url, { bearer: token });
    const r = await client.post('/api/v1/households', householdBody());
    assert.equal(r.status, 201, `an unfaulted write after the faulted run: ${r.text.slice(0, 200)}`);
    assert.equal((await client.get('/api/v1/institutions/dashboard')).status, 200);
  } finally {
    await after.stop();
  }
  const audit = auditVerify(dbPath);
  assert.equal(audit.status, 0, `audit verify: ${audit.out}`);
  if (isPg(dbPath)) {
    const constraints = sqlite(dbPath, `SELECT count(*) FILTER (WHERE contype = 'f'), count(*) FILTER (WHERE NOT convalidated)
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema();`).trim().split('|').map(Number);
    assert.ok(constraints[0] > 10, `the foreign keys are declared, so the server enforces them (${constraints[0]})`);
    assert.equal(constraints[1], 0, 'every constraint is validated');
    // amcheck: every B-tree index of the schema consistent with its table (PostgreSQL's integrity check).
    const broken = sqlite(dbPath, `CREATE EXTENSION IF NOT EXISTS amcheck;
      SELECT count(*) FROM (SELECT bt_index_check(i.indexrelid, true) FROM pg_index i
        JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = current_schema() AND a.amname = 'btree') x;`).trim();
    assert.match(broken, /^\d+$/, `amcheck ran over the indexes: ${broken}`);
    assert.equal(sqlite(dbPath, 'SELECT count(*) FROM persons p WHERE p.household_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = p.household_id);').trim(), '0', 'no dangling references');
  } else {
    assert.equal(sqlite(dbPath, 'PRAGMA integrity_check;').trim(), 'ok');
    assert.equal(sqlite(dbPath, 'PRAGMA foreign_key_check;').trim(), '', 'no dangling references');
  }
  // No household of this test without its two members, and at least every 201 stored.
  const rows = sqlite(dbPath, "SELECT count(*), coalesce(sum((SELECT count(*) FROM persons p WHERE p.household_id = h.id) <> 2), 0) FROM households h WHERE address LIKE '故障注入测试路%';")
    .trim().split('|').map(Number);
  assert.equal(rows[1], 0, 'every stored household has both its members');
  assert.ok(rows[0] >= tally.created + 1, `every household answered 201 is stored (${rows[0]} ≥ ${tally.created + 1})`);
  console.log(`  under faults: ${tally.total} requests, ${tally.ok} 2xx, failures by code ${JSON.stringify(tally.byCode)}; ${Date.now() - started} ms`);
});
