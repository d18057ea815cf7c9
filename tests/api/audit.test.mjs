// audit.test.mjs — the hash-chained audit log: writes are audited, `minzheng audit verify` passes
// on an intact log, the table refuses UPDATE/DELETE, and editing or deleting a row behind the
// server's back (sqlite3 CLI, triggers dropped) makes verify exit 1 naming the row.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertStatus, makeId } from '../lib/http.mjs';
import { auditVerify, cli, startServer, sqlite } from '../lib/server.mjs';

const VILLAGE = '370704008231';
let srv, county;

before(async () => {
  srv = await startServer();
  county = await srv.login('county_370704');
});

after(async () => {
  await srv?.stop();
});

/** A consistent copy of the live database (WAL included) to tamper with. */
let copies = 0;
function copyDb() {
  const to = path.join(srv.dir, `copy-${++copies}.db`);
  sqlite(srv.dbPath, `VACUUM INTO '${to}';`);
  return to;
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

test('the audit table refuses UPDATE and DELETE', () => {
  const db = copyDb();
  const upd = sqlite(db, "UPDATE audit_log SET action = 'x' WHERE id = 1;", { allowFail: true });
  assert.notEqual(upd.status, 0, 'UPDATE refused');
  assert.match(upd.stderr, /append-only|audit/i, upd.stderr);
  const del = sqlite(db, 'DELETE FROM audit_log WHERE id = 1;', { allowFail: true });
  assert.notEqual(del.status, 0, 'DELETE refused');
  assert.equal(auditVerify(db).status, 0);
});

test('changing one row\'s action behind the server\'s back makes verify exit 1 naming that row id', () => {
  const db = copyDb();
  const ids = sqlite(db, 'SELECT id FROM audit_log ORDER BY id;').trim().split('\n').map(Number);
  assert.ok(ids.length > 4);
  const victim = ids[Math.floor(ids.length / 2)];
  sqlite(db, `DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; UPDATE audit_log SET action = 'tampered' WHERE id = ${victim};`);
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1, `verify exits 1: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout + r.stderr, new RegExp(`(?<!\\d)${victim}(?!\\d)`), `names row ${victim}: ${r.stdout}${r.stderr}`);
});

test('deleting one row makes verify exit 1 naming where the chain breaks', () => {
  const db = copyDb();
  const ids = sqlite(db, 'SELECT id FROM audit_log ORDER BY id;').trim().split('\n').map(Number);
  const i = Math.floor(ids.length / 3);
  sqlite(db, `DROP TRIGGER audit_no_delete; DELETE FROM audit_log WHERE id = ${ids[i]};`);
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1, `verify exits 1: ${r.stdout}${r.stderr}`);
  const out = r.stdout + r.stderr;
  assert.ok(new RegExp(`(?<!\\d)(${ids[i]}|${ids[i + 1]})(?!\\d)`).test(out), `names row ${ids[i]} or ${ids[i + 1]}: ${out}`);
});

test('changing the last row\'s detail is detected too', () => {
  const db = copyDb();
  const last = Number(sqlite(db, 'SELECT max(id) FROM audit_log;').trim());
  sqlite(db, `DROP TRIGGER audit_no_update; UPDATE audit_log SET detail = detail || ' ' WHERE id = ${last};`);
  const r = cli(['audit', 'verify', '--db', db]);
  assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
  assert.match(r.stdout + r.stderr, new RegExp(`(?<!\\d)${last}(?!\\d)`));
});

test('the live log still verifies after the copies were tampered with', () => {
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
});
