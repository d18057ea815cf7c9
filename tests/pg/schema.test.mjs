// schema.test.mjs — the migrations make equivalent schemas on both engines: `minzheng init` on a
// SQLite file and on a PostgreSQL database (MZ_TEST_PG_URL; tests/run.sh runs tests/pg/ in its
// PostgreSQL round only) give the same tables, the same columns in the same order with matching
// types, nullability and primary keys, the same indexes by name and the same triggers, and the
// same schema_version rows.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { cliOk, pgDropDb, pgEmptyDb, sqlite } from '../lib/server.mjs';

let dir, file, url;

before(() => {
  assert.ok(process.env.MZ_TEST_PG_URL, 'MZ_TEST_PG_URL names the PostgreSQL server (tests/run.sh sets it)');
  dir = mkdtempSync(path.join(os.tmpdir(), 'mz-schema-'));
  file = path.join(dir, 'minzheng.db');
  url = pgEmptyDb();
  cliOk(['init', '--db', file]);
  cliOk(['init', '--db', url]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (url) pgDropDb(url);
});

const rows = (text) => text.trim().split('\n').filter(Boolean).map((l) => l.split('|'));

/** SQLite's declared type → the PostgreSQL type the translation gives it. */
function pgTypeOf(sqliteType, isPk) {
  const t = sqliteType.toUpperCase();
  if (t === 'INTEGER' || t === 'INT') return 'bigint';
  if (t === 'TEXT' || t === '') return 'text';
  if (t === 'REAL') return 'double precision';
  if (t === 'BLOB') return 'bytea';
  return `?${t}${isPk ? ' pk' : ''}`;
}

function sqliteColumns() {
  return rows(sqlite(file, `SELECT m.name, p.cid, p.name, p.type, p."notnull", p.pk FROM sqlite_master m, pragma_table_info(m.name) p
    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid;`));
}

function pgColumns() {
  return rows(sqlite(url, `SELECT c.table_name, c.ordinal_position, c.column_name, c.data_type, c.is_nullable,
    (SELECT count(*) FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k
       ON k.constraint_name = tc.constraint_name AND k.table_name = tc.table_name
     WHERE tc.table_name = c.table_name AND tc.constraint_type = 'PRIMARY KEY' AND k.column_name = c.column_name)
    FROM information_schema.columns c JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name COLLATE "C", c.ordinal_position;`));
}

test('the same tables with the same columns in the same order, types, nullability and primary keys', () => {
  const lite = sqliteColumns();
  const pg = pgColumns();
  const byTable = (list) => {
    const m = new Map();
    for (const r of list) {
      if (!m.has(r[0])) m.set(r[0], []);
      m.get(r[0]).push(r);
    }
    return m;
  };
  const L = byTable(lite);
  const P = byTable(pg);
  assert.ok(L.size > 100, `tables on SQLite: ${L.size}`);
  assert.deepEqual([...P.keys()].sort(), [...L.keys()].sort(), 'the same tables');
  let columns = 0;
  for (const [table, cols] of L) {
    const pcols = P.get(table);
    assert.deepEqual(pcols.map((c) => c[2]), cols.map((c) => c[2]), `${table}: the same columns in the same order`);
    for (const [i, c] of cols.entries()) {
      const p = pcols[i];
      const isPk = c[5] !== '0';
      assert.equal(p[3], pgTypeOf(c[3], isPk), `${table}.${c[2]}: ${c[3]} on SQLite, ${p[3]} on PostgreSQL`);
      // a primary key is NOT NULL on PostgreSQL whatever it says; SQLite's INTEGER PRIMARY KEY is the rowid
      if (!isPk) assert.equal(p[4] === 'NO', c[4] === '1', `${table}.${c[2]}: NOT NULL on both or neither`);
      assert.equal(p[5] !== '0', isPk, `${table}.${c[2]}: part of the primary key on both or neither`);
      columns++;
    }
  }
  assert.ok(columns > 800, `columns compared: ${columns}`);
});

test('the same indexes by name, the same triggers, the same schema_version rows', () => {
  const liteIdx = sqlite(file, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name;").trim().split('\n');
  const pgIdx = new Set(sqlite(url, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public';").trim().split('\n'));
  assert.ok(liteIdx.length > 100, `indexes on SQLite: ${liteIdx.length}`);
  for (const name of liteIdx) assert.ok(pgIdx.has(name), `index ${name} exists on PostgreSQL too`);
  const liteTrg = sqlite(file, "SELECT name || ' ON ' || tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY 1;").trim().split('\n');
  const pgTrg = sqlite(url, "SELECT DISTINCT tgname || ' ON ' || c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal ORDER BY 1;").trim().split('\n');
  assert.ok(liteTrg.length >= 10, `triggers on SQLite: ${liteTrg.length}`);
  assert.deepEqual([...pgTrg].sort(), [...liteTrg].sort(), 'the same triggers on the same tables');
  const versions = (db) => sqlite(db, 'SELECT version, owner FROM schema_version ORDER BY version;');
  assert.equal(versions(url), versions(file), 'the same migrations applied in the same order');
});
