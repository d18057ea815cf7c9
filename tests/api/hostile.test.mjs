// hostile.test.mjs — the hostile-input catalogue: every write route that `minzheng routes` prints
// (POST/PUT/PATCH/DELETE under /api/v1/) gets malformed JSON, bodies that are not objects, deep
// nesting, invalid UTF-8, path ids that name nothing or are not numbers, and a plausible body
// (from docs/openapi.json's request schema) with each field in turn replaced by a wrong type, a
// 10 KB string, control characters, 1e308, -1, 2^63, a negative amount, an impossible date, or an
// ID number with a wrong check digit, 15 digits with an impossible date, or 17 digits. They are
// sent by the city admin, who holds every permission, so only the input can refuse them. Every
// case must answer 4xx with the JSON error body of docs/api.md (a Chinese message), and the
// database dump afterwards must equal the dump before (sessions and the public booking throttle
// left aside).
//
// Then the SQL-injection probes: every text field of those bodies gets `' OR 1=1 --` and
// `"; DROP TABLE persons; --`. A probe is only text, and a free-text field (a note, a holiday's
// name) may keep it as text, so here the check is: never 5xx, no table, index or trigger changed,
// and no person, household or user added or removed. Every list route gets the probes in q, name
// and region: never 5xx, never more rows than without, and the dump unchanged.
//
// Records named by a path id are ids that do not exist (987654321), so that a value a route
// legitimately ignores can never change a real record; the routes that create records get bodies
// whose other fields are plausible, so the hostile field is what is judged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { dump as dumpDb, hasTable, schema as schemaOf } from '../lib/dbcopy.mjs';
import { isChinese, makeId, wrongCheckChar } from '../lib/http.mjs';
import { repoRoot, routes, startServer, sqlite } from '../lib/server.mjs';

const OPENAPI = JSON.parse(readFileSync(path.join(repoRoot, 'docs/openapi.json'), 'utf8'));
const ALL = routes();
const WRITES = ALL.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.pattern.startsWith('/api/v1/'))
  // Logging in and out are the session's own routes (tests/api/websec.test.mjs); an upload takes
  // any bytes as the file to import (tests/api/import.test.mjs checks what it refuses).
  .filter((r) => !(r.pattern === '/api/v1/session' || r.pattern === '/api/v1/imports/uploads'));
const LISTS = ALL.filter((r) => r.method === 'GET' && r.pattern.startsWith('/api/v1/') && !r.pattern.includes('{'));

const MISSING_ID = '987654321';
const MISSING_CODE = '370704999999';
const BIG = '9223372036854775808'; // 2^63
const SQL_PROBES = ["' OR 1=1 --", '"; DROP TABLE persons; --'];

// ---- plausible bodies from the OpenAPI request schemas -------------------------------------

function resolve(s) {
  let n = 0;
  while (s && s.$ref && n++ < 20) s = s.$ref.split('/').slice(1).reduce((o, k) => o[k], OPENAPI);
  if (s && s.allOf) return Object.assign({}, ...s.allOf.map(resolve), { properties: Object.assign({}, ...s.allOf.map((x) => resolve(x).properties || {})) });
  if (s && (s.oneOf || s.anyOf)) return resolve((s.oneOf || s.anyOf)[0]);
  return s || {};
}

function sample(name, s, depth = 0) {
  s = resolve(s);
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t === 'object' || s.properties) {
    const o = {};
    if (depth > 3) return o;
    for (const [k, v] of Object.entries(s.properties || {})) o[k] = sample(k, v, depth + 1);
    return o;
  }
  if (t === 'array') return depth > 3 ? [] : [sample(name, s.items || {}, depth + 1)];
  if (t === 'integer') return Math.max(1, s.minimum ?? 1);
  if (t === 'number') return Math.max(1, s.minimum ?? 1);
  if (t === 'boolean') return false;
  const n = name.toLowerCase();
  if (s.format === 'date' || /(^|_)(date|on|day)$|_at$|birth/.test(n)) return '2024-03-01';
  if (/month/.test(n)) return '2024-03';
  if (/id_number|idnum/.test(n)) return makeId();
  if (/region|code$/.test(n)) return '370704008231';
  if (/phone|mobile|tel/.test(n)) return '13912345678';
  return '测试';
}

// Bodies with two forms, one of which wins when both are sent: the form the catalogue judges.
const ONE_FORM = { 'POST /api/v1/orgs/volunteers': (b) => { delete b.volunteers; return b; } };

function baseBody(route) {
  const b = schemaBody(route);
  const f = ONE_FORM[`${route.method} ${route.pattern}`];
  return f ? f(b) : b;
}

function schemaBody(route) {
  const op = OPENAPI.paths?.[route.pattern]?.[route.method.toLowerCase()];
  const schema = op?.requestBody?.content?.['application/json']?.schema;
  if (!schema) return {};
  const b = sample('', schema);
  return b && typeof b === 'object' && !Array.isArray(b) ? b : {};
}

// ---- the cases ------------------------------------------------------------------------------

const isMoney = (k) => /amount|money|fen|yuan|price|cost|fee|total|sum|standard|pay/i.test(k);
const isDate = (k, v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const isMonth = (k, v) => typeof v === 'string' && /^\d{4}-\d{2}$/.test(v);
const isIdNumber = (k) => /id_number|idnum/i.test(k);

/** The hostile values for one field of a body: [label, rawJsonText]. */
function hostileValues(key, value) {
  const J = JSON.stringify;
  const out = [];
  if (typeof value === 'string') {
    out.push(['number', '12345'], ['object', '{"a":1}'], ['array', '[1,2]'], ['10 KB string', J('长'.repeat(10240))],
      ['control characters', J('a\u0000b\u0007c\u001b[31m\u0008')], ['bool', 'true']);
  } else if (typeof value === 'number') {
    out.push(['string', J('abc')], ['1e308', '1e308'], ['-1', '-1'], ['2^63', BIG], ['-2^63-1', '-' + BIG + '1'],
      ['fraction', '0.5'], ['object', '{}']);
    if (isMoney(key)) out.push(['negative money', '-100']);
  } else if (typeof value === 'boolean') {
    out.push(['string', J('yes')], ['number', '2']);
  } else if (Array.isArray(value)) {
    out.push(['string', J('abc')], ['object', '{}'], ['10000 items', '[' + Array(10000).fill('1').join(',') + ']']);
  } else if (value && typeof value === 'object') {
    out.push(['string', J('abc')], ['array', '[]']);
  }
  if (isDate(key, value)) out.push(['2020-02-30', J('2020-02-30')], ['99999-01-01', J('99999-01-01')], ['2021-13-01', J('2021-13-01')], ['not a date', J('昨天')]);
  if (isMonth(key, value)) out.push(['month 13', J('2024-13')], ['month 99999-01', J('99999-01')]);
  if (isIdNumber(key)) {
    const id = makeId();
    out.push(['wrong check digit', J(id.slice(0, 17) + wrongCheckChar(id.slice(0, 17)))], ['15 digits, month 13', J('370704851301123')],
      ['17 digits', J(id.slice(0, 17))], ['letters', J('37070419800101abcd')]);
  }
  return out;
}

/** A body as JSON text with one field (key) given raw JSON text. */
function withField(body, key, raw) {
  const marker = `__HOSTILE_${Math.random().toString(36).slice(2)}__`;
  return JSON.stringify({ ...body, [key]: marker }).replace(JSON.stringify(marker), raw);
}

function concretePath(pattern, value) {
  return pattern.replace(/\{[^}]+\}/g, (m) => (value !== undefined ? value : m === '{code}' ? MISSING_CODE : MISSING_ID));
}

function buildCases() {
  const cases = [];
  for (const r of WRITES) {
    const p = concretePath(r.pattern);
    const base = baseBody(r);
    const add = (what, rawBody, pathOverride) => cases.push({ route: r, path: pathOverride || p, what, rawBody });
    add('not JSON', 'this is not json');
    add('truncated JSON', JSON.stringify(base).slice(0, -1) || '{');
    add('array', '[]');
    add('number', '42');
    add('string', '"对象"');
    add('null', 'null');
    add('deep nesting', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000));
    add('invalid UTF-8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]));
    add('GBK bytes', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('"}')]));
    add('UTF-16 body', Buffer.from(JSON.stringify(base), 'utf16le'));
    add('duplicate keys', '{"a":1,"a":2}');
    if (r.pattern.includes('{')) {
      for (const id of ['0', '-1', '99999999999999999999', 'abc', '1e3', '%00'])
        add(`path id ${id}`, JSON.stringify(base), concretePath(r.pattern, id));
    }
    for (const [k, v] of Object.entries(base)) {
      for (const [label, raw] of hostileValues(k, v)) add(`${k} = ${label}`, withField(base, k, raw));
    }
    // one level down: the first item of an array of objects (a household's members, a roster's shifts)
    for (const [k, v] of Object.entries(base)) {
      if (!Array.isArray(v) || !v[0] || typeof v[0] !== 'object' || Array.isArray(v[0])) continue;
      for (const [k2, v2] of Object.entries(v[0])) {
        for (const [label, raw] of hostileValues(k2, v2)) {
          const inner = withField(v[0], k2, raw);
          add(`${k}[0].${k2} = ${label}`, withField(base, k, `[${inner}]`));
        }
      }
    }
  }
  return cases;
}

function sqlCases() {
  const cases = [];
  for (const r of WRITES) {
    const p = concretePath(r.pattern);
    const base = baseBody(r);
    const strings = [];
    for (const [k, v] of Object.entries(base)) {
      if (typeof v === 'string') strings.push([k, (x) => ({ ...base, [k]: x })]);
      if (Array.isArray(v) && v[0] && typeof v[0] === 'object')
        for (const [k2, v2] of Object.entries(v[0]))
          if (typeof v2 === 'string') strings.push([`${k}[0].${k2}`, (x) => ({ ...base, [k]: [{ ...v[0], [k2]: x }] })]);
    }
    for (const [k, make] of strings) for (const probe of SQL_PROBES) cases.push({ route: r, path: p, what: `${k} = ${probe}`, body: make(probe) });
  }
  return cases;
}

// ---- the database dump ----------------------------------------------------------------------
// The whole database as SQL text (tests/lib/dbcopy.mjs: sqlite3 .dump, or pg_dump --inserts: one
// INSERT line per row on either engine, PostgreSQL's prefixed with the schema, public.).

// Logins write a session and a session's last_seen moves as it is used; the public booking
// routes count requests per address (marriage_throttle: a rate limit, not data). Refused requests
// are not audited (the comparison would see an audit row if one were), so audit_log is compared.
const VOLATILE = /^INSERT INTO (public\.)?"?(sessions|login_attempts|marriage_throttle)"? /;
async function dump(dbPath) {
  return (await dumpDb(dbPath))
    .split('\n')
    .filter((l) => !VOLATILE.test(l));
}
function dumpDiff(a, b) {
  const sa = new Set(a), sb = new Set(b);
  return { gone: a.filter((l) => !sb.has(l)).slice(0, 5), added: b.filter((l) => !sa.has(l)).slice(0, 5) };
}

// ---- the run --------------------------------------------------------------------------------

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
});
after(async () => {
  await srv?.stop();
});

function judge(res, c, problems, { allow2xx = false } = {}) {
  const where = `${c.route.method} ${c.path} [${c.what}] → ${res.status} ${res.text.slice(0, 160)}`;
  if (res.status >= 500) return problems.push(`5xx: ${where}`);
  if (res.status < 400) {
    if (!allow2xx) problems.push(`not refused: ${where}`);
    return;
  }
  const err = res.json?.error;
  if (!err || typeof err.code !== 'string' || typeof err.message !== 'string') return problems.push(`no JSON error body: ${where}`);
  if (!isChinese(err.message)) problems.push(`message not Chinese: ${where}`);
}

test('the hostile-input catalogue: every case is refused with 4xx and a Chinese message, and the database is unchanged', async () => {
  const cases = buildCases();
  console.log(`hostile cases: ${cases.length} over ${WRITES.length} write routes`);
  assert.ok(cases.length >= 200, `at least 200 cases (${cases.length})`);
  const before = await dump(srv.dbPath);
  const problems = [];
  const codes = {};
  for (const c of cases) {
    const res = await admin.raw(c.route.method, c.path, { rawBody: c.rawBody });
    judge(res, c, problems);
    const k = `${res.status} ${res.json?.error?.code ?? '-'}`;
    codes[k] = (codes[k] || 0) + 1;
  }
  const withBase = WRITES.filter((r) => Object.keys(baseBody(r)).length > 0).length;
  console.log(`routes with a body from docs/openapi.json: ${withBase} of ${WRITES.length}`);
  console.log(`answers: ${Object.entries(codes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases were not refused cleanly:\n${problems.join('\n')}`);
  const d = dumpDiff(before, await dump(srv.dbPath));
  assert.deepEqual(d, { gone: [], added: [] }, 'the dump after the catalogue equals the dump before');
});

test('SQL-injection probes in every text field of every write: never 5xx, no table dropped or changed, no person, household or user added or removed', async () => {
  const cases = sqlCases();
  const schema = () => schemaOf(srv.dbPath);
  const counts = () => sqlite(srv.dbPath, 'SELECT (SELECT count(*) FROM persons), (SELECT count(*) FROM households), (SELECT count(*) FROM users);');
  const before = await dump(srv.dbPath), schemaBefore = await schema(), countsBefore = counts();
  const problems = [];
  const stored = [];
  for (const c of cases) {
    const res = await admin.raw(c.route.method, c.path, { body: c.body });
    // A probe is only text: a free-text field (a note, a holiday's name) may keep it, as text.
    judge(res, c, problems, { allow2xx: true });
    if (res.status < 300) stored.push(c);
  }
  console.log(`SQL probes in write bodies: ${cases.length}, ${stored.length} kept as text by free-text fields`);
  assert.deepEqual(problems, [], `${problems.length} of ${cases.length} probes were not refused cleanly:\n${problems.join('\n')}`);
  assert.equal(await schema(), schemaBefore, 'no table, index or trigger changed');
  assert.equal(counts(), countsBefore, 'no person, household or user added or removed');
});

/** How many rows a list answer holds (its total, else the length of its first array). */
function rowsOf(json) {
  if (Array.isArray(json)) return json.length;
  if (!json || typeof json !== 'object') return 0;
  if (typeof json.total === 'number') return json.total;
  for (const v of Object.values(json)) if (Array.isArray(v)) return v.length;
  return 0;
}

test('SQL-injection probes in q, name and region of every list route: never 5xx, never more rows, the database unchanged', async () => {
  const before = await dump(srv.dbPath);
  const problems = [];
  let n = 0;
  for (const r of LISTS) {
    const plain = await admin.get(r.pattern);
    if (plain.status !== 200 || !(plain.headers.get('content-type') || '').includes('json')) continue;
    const rows = rowsOf(plain.json);
    for (const param of ['q', 'name', 'region']) {
      for (const probe of SQL_PROBES) {
        n++;
        const p = `${r.pattern}?${param}=${encodeURIComponent(probe)}`;
        const res = await admin.get(p);
        const where = `GET ${p} → ${res.status} ${res.text.slice(0, 160)}`;
        if (res.status >= 500) problems.push(`5xx: ${where}`);
        else if (res.status === 200 && (res.headers.get('content-type') || '').includes('json') && rowsOf(res.json) > rows)
          problems.push(`more rows (${rowsOf(res.json)} > ${rows}): ${where}`);
        else if (res.status >= 400 && !isChinese(res.json?.error?.message || '')) problems.push(`no Chinese error: ${where}`);
      }
    }
  }
  console.log(`SQL probes in list queries: ${n} over ${LISTS.length} list routes`);
  const d = dumpDiff(before, await dump(srv.dbPath));
  assert.deepEqual(d, { gone: [], added: [] }, 'the dump after the list probes equals the dump before');
  assert.deepEqual(problems, [], problems.join('\n'));
  assert.ok(await hasTable(srv.dbPath, 'persons'), 'the persons table is still there');
});
