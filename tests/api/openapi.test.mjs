// openapi.test.mjs — docs/openapi.json against the server and docs/api.md: every route that
// `minzheng routes` prints is described (same method, same path), nothing else is, every route
// docs/api.md names is registered, and the document is a well-formed OpenAPI 3.0.3 file with
// Chinese descriptions, the two security schemes and the shared schemas.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { repoRoot, routes } from '../lib/server.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const HAN = /[\u4e00-\u9fff]/;

const spec = JSON.parse(readFileSync(path.join(repoRoot, 'docs/openapi.json'), 'utf8'));
const served = routes().map((r) => `${r.method} ${r.pattern}`);
const described = Object.entries(spec.paths ?? {}).flatMap(([p, item]) =>
  Object.keys(item)
    .filter((k) => METHODS.includes(k))
    .map((m) => `${m.toUpperCase()} ${p}`),
);

function operations() {
  return Object.entries(spec.paths).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([k]) => METHODS.includes(k))
      .map(([m, op]) => ({ key: `${m.toUpperCase()} ${p}`, path: p, method: m, op, item })),
  );
}

function resolve(ref) {
  assert.match(ref, /^#\//, `only local $refs: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .reduce((o, k) => (o === undefined ? undefined : o[k.replaceAll('~1', '/').replaceAll('~0', '~')]), spec);
}

const deref = (x) => (x && x.$ref ? resolve(x.$ref) : x);

test('docs/openapi.json is OpenAPI 3.0.3 with info, paths and components', () => {
  assert.equal(spec.openapi, '3.0.3');
  assert.equal(typeof spec.info?.title, 'string');
  assert.equal(typeof spec.info?.version, 'string');
  assert.match(spec.info.description ?? '', HAN, 'Chinese description');
  assert.ok(spec.paths && typeof spec.paths === 'object');
});

test('docs/openapi.json describes every route that `minzheng routes` prints (method and path exactly)', () => {
  const missing = served.filter((k) => !described.includes(k));
  assert.deepEqual(missing, [], `routes missing from docs/openapi.json: ${missing.join(', ')}`);
});

test('docs/openapi.json describes no route that the server does not register', () => {
  const extra = described.filter((k) => !served.includes(k));
  assert.deepEqual(extra, [], `routes in docs/openapi.json the server does not register: ${extra.join(', ')}`);
});

test('every route named in docs/api.md is registered by the server', () => {
  const md = readFileSync(path.join(repoRoot, 'docs/api.md'), 'utf8');
  const norm = (p) => p.replace(/\{[^}]+\}/g, '{}');
  const servedNorm = served.map((k) => norm(k));
  const named = new Set();
  for (const m of md.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/[^\s`]+)/g)) {
    const p = m[2]
      .replace(/\[[^\]]*\]/g, '') // optional parts like [?unmask=1]
      .replace(/\?.*$/, '') // query strings
      .split('/')
      .map((s) => (/^[A-Z][A-Z_]*$/.test(s) ? '{}' : s)) // placeholders like CODE
      .join('/');
    named.add(`${m[1]} ${norm(p)}`);
  }
  assert.ok(named.size >= 14, `found the routes of docs/api.md (${named.size})`);
  const missing = [...named].filter((k) => !servedNorm.includes(k));
  assert.deepEqual(missing, [], `docs/api.md routes the server does not register: ${missing.join(', ')}`);
});

test('every path parameter is declared as a required path parameter', () => {
  for (const { key, path: p, op, item } of operations()) {
    const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
    for (const n of names) {
      const decl = params.find((x) => x.in === 'path' && x.name === n);
      assert.ok(decl, `${key}: path parameter {${n}} declared`);
      assert.equal(decl.required, true, `${key}: {${n}} required`);
    }
    for (const x of params.filter((x) => x.in === 'path')) assert.ok(names.includes(x.name), `${key}: declared path parameter ${x.name} is in the path`);
  }
});

test('every operation has a Chinese summary, an operationId and responses with a success and an error', () => {
  const ids = new Set();
  for (const { key, op } of operations()) {
    assert.match(op.summary ?? '', HAN, `${key}: Chinese summary`);
    assert.match(op.description ?? '', HAN, `${key}: Chinese description`);
    assert.ok(op.operationId && !ids.has(op.operationId), `${key}: unique operationId`);
    ids.add(op.operationId);
    const codes = Object.keys(op.responses ?? {});
    assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${key}: a 2xx response`);
    if (key !== 'GET /healthz' && key !== 'GET /metrics') assert.ok(codes.some((c) => /^4\d\d$/.test(c)), `${key}: a 4xx response`);
    for (const c of codes) assert.match(deref(op.responses[c]).description ?? '', HAN, `${key} ${c}: Chinese description`);
  }
});

test('writes declare a JSON request body where docs/api.md gives one', () => {
  for (const key of [
    'POST /api/v1/session',
    'POST /api/v1/households',
    'PATCH /api/v1/households/{id}',
    'POST /api/v1/households/{id}/members',
    'DELETE /api/v1/households/{id}/members/{person_id}',
    'PATCH /api/v1/persons/{id}',
    'POST /api/v1/persons/{id}/move',
  ]) {
    const o = operations().find((x) => x.key === key);
    assert.ok(o, `${key} described`);
    const rb = deref(o.op.requestBody);
    assert.ok(rb?.content?.['application/json']?.schema, `${key}: application/json request body`);
  }
});

test('the security schemes are the session cookie mz_session and bearer tokens', () => {
  const s = spec.components?.securitySchemes ?? {};
  const cookie = Object.values(s).find((x) => x.type === 'apiKey' && x.in === 'cookie');
  assert.ok(cookie, 'a cookie apiKey scheme');
  assert.equal(cookie.name, 'mz_session');
  const bearer = Object.values(s).find((x) => x.type === 'http' && x.scheme === 'bearer');
  assert.ok(bearer, 'an http bearer scheme');
  for (const x of Object.values(s)) assert.match(x.description ?? '', HAN);
  assert.ok(Array.isArray(spec.security) && spec.security.length >= 2, 'both schemes apply by default');
  for (const key of ['GET /healthz', 'POST /api/v1/session']) {
    assert.deepEqual(operations().find((x) => x.key === key).op.security, [], `${key} needs no login`);
  }
});

test('the PERSON, HOUSEHOLD, REGION and error schemas carry the fields of docs/api.md', () => {
  const sch = spec.components?.schemas ?? {};
  const fields = (name) => {
    const s = sch[name];
    assert.ok(s, `schema ${name}`);
    const parts = s.allOf ? s.allOf.map(deref) : [s];
    return Object.assign({}, ...parts.map((p) => p.properties ?? {}));
  };
  const person = fields('Person');
  for (const k of ['id', 'household_id', 'region_code', 'id_number', 'name', 'relation', 'sex', 'birth_date', 'age', 'phone', 'disability_grade',
    'serious_illness', 'labour_capacity', 'income_items', 'monthly_income_fen', 'tags', 'status', 'masked']) assert.ok(person[k], `Person.${k}`);
  const household = fields('Household');
  for (const k of ['id', 'region_code', 'region_name', 'address', 'residence_type', 'phone', 'head_person_id', 'member_count', 'members', 'created_at',
    'updated_at']) assert.ok(household[k], `Household.${k}`);
  const region = fields('Region');
  for (const k of ['code', 'name', 'level', 'parent_code', 'unit_code', 'unit_name', 'child_count', 'household_count', 'person_count']) assert.ok(region[k], `Region.${k}`);
  const err = fields('Error');
  const inner = deref(err.error).properties;
  for (const k of ['code', 'message', 'field']) assert.ok(inner[k], `Error.error.${k}`);
  for (const [name, s] of Object.entries(sch)) assert.match(s.description ?? '', HAN, `schema ${name}: Chinese description`);
});

test('every $ref in docs/openapi.json resolves', () => {
  const bad = [];
  (function walk(x, where) {
    if (Array.isArray(x)) return x.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (x && typeof x === 'object') {
      if (typeof x.$ref === 'string' && resolve(x.$ref) === undefined) bad.push(`${where}: ${x.$ref}`);
      for (const [k, v] of Object.entries(x)) walk(v, `${where}.${k}`);
    }
  })(spec, '$');
  assert.deepEqual(bad, []);
});
