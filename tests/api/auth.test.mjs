// auth.test.mjs — docs/api.md "Authentication", "Errors" and "Roles and permissions": logging in
// and out, the session cookie, CSRF, bearer tokens, lockout, disabled users, role permissions.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, assertError, assertStatus, makeId, request, sessionCookie } from '../lib/http.mjs';
import { DEMO_PASSWORD, addUser, auditVerify, bearer, cliOk, login, startServer } from '../lib/server.mjs';

let srv;
let county; // county_370704, logged in by cookie

const VILLAGE = '370704008231';

function householdBody(name) {
  return {
    region_code: VILLAGE,
    address: '栾家山后村认证测试 1 号',
    residence_type: 'rural',
    members: [{ id_number: makeId(), name, relation: 'head' }],
  };
}

async function householdCount(client = county) {
  const r = await client.get(`/api/v1/regions/${VILLAGE}`);
  assertStatus(r, 200, `GET /api/v1/regions/${VILLAGE}`);
  return r.json.household_count;
}

async function nameTotal(client, name) {
  const r = await client.get(`/api/v1/persons?q=${encodeURIComponent(name)}`);
  assertStatus(r, 200, 'GET /api/v1/persons');
  return r.json.total;
}

before(async () => {
  srv = await startServer();
  county = await srv.login('county_370704');
});

after(async () => {
  await srv?.stop();
});

test('GET /healthz answers 200 {"status":"ok"} without logging in', async () => {
  const r = await request(srv.url, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('GET /api/v1/session without a cookie is 401 unauthenticated', async () => {
  const r = await request(srv.url, 'GET', '/api/v1/session');
  assertError(r, 401, 'unauthenticated');
});

test('an unknown session cookie is 401 unauthenticated', async () => {
  const r = await request(srv.url, 'GET', '/api/v1/session', { headers: { Cookie: 'mz_session=' + 'ab'.repeat(32) } });
  assertError(r, 401, 'unauthenticated');
});

test('API data routes are 401 unauthenticated without a login', async () => {
  for (const path of ['/api/v1/persons', '/api/v1/regions', '/api/v1/units', '/api/v1/households/1']) {
    const r = await request(srv.url, 'GET', path);
    assertError(r, 401, 'unauthenticated');
  }
});

test('login answers 200 with the user object and a CSRF token', async () => {
  const c = await srv.login('county_370704');
  const body = c.loginResponse.json;
  assert.equal(typeof body.csrf_token, 'string');
  assert.ok(body.csrf_token.length >= 16, 'csrf_token is long enough');
  const u = body.user;
  assert.equal(u.username, 'county_370704');
  assert.equal(u.role, 'county_staff');
  assert.equal(u.region_code, '370704');
  assert.equal(u.region_name, '坊子区');
  assert.ok(Array.isArray(u.permissions));
});

test('GET /api/v1/session with the cookie returns the same user and CSRF token', async () => {
  const c = await srv.login('township_370704008');
  const r = await c.get('/api/v1/session');
  assertStatus(r, 200);
  assert.deepEqual(r.json.user, c.loginResponse.json.user);
  assert.equal(r.json.csrf_token, c.csrf);
  assert.equal(r.json.user.region_name, '太保庄街道');
});

test('the session cookie is mz_session with HttpOnly, SameSite=Strict and Path=/', async () => {
  const c = await srv.login('village_370704008231');
  const parts = c.setCookie.split(';').map((s) => s.trim());
  assert.match(parts[0], /^mz_session=[^;\s]{32,}$/, 'cookie value is a long random token');
  const attrs = parts.slice(1).map((s) => s.toLowerCase());
  assert.ok(attrs.includes('httponly'), `HttpOnly in ${c.setCookie}`);
  assert.ok(attrs.includes('samesite=strict'), `SameSite=Strict in ${c.setCookie}`);
  assert.ok(attrs.includes('path=/'), `Path=/ in ${c.setCookie}`);
});

test('each role gets the permissions of the table in docs/api.md', async () => {
  const all = ['region.read', 'registry.read', 'registry.write', 'registry.unmask', 'user.manage', 'audit.read',
    'policy.read', 'policy.write', 'assistance.read', 'assistance.write', 'assistance.approve', 'payroll',
    'ledger', 'institution.read', 'institution.report', 'institution.manage', 'inspection', 'duty',
    'hotline', 'rescue', 'funeral', 'crosscheck', 'marriage', 'goods', 'charity', 'social_org', 'staff',
    'documents', 'stats.read'];
  const work = ['region.read', 'registry.read', 'registry.write', 'registry.unmask', 'policy.read',
    'assistance.read', 'assistance.write'];
  const readOnly = ['region.read', 'registry.read', 'policy.read', 'assistance.read'];
  const want = {
    admin: ['city_admin', all],
    county_370704: ['county_staff', [...work, 'policy.write', 'assistance.approve', 'payroll', 'ledger',
      'institution.read', 'institution.manage', 'inspection', 'duty', 'hotline', 'rescue', 'funeral',
      'crosscheck', 'marriage', 'goods', 'social_org', 'staff', 'documents']],
    township_370704008: ['township_assistant', [...work, 'ledger', 'institution.read', 'duty', 'goods', 'social_org']],
    village_370704008231: ['village_worker', [...work, 'ledger']],
    hotline: ['hotline_operator', [...readOnly, 'hotline', 'duty']],
    rescue: ['rescue_worker', ['region.read', 'rescue', 'registry.unmask', 'institution.report', 'duty']],
    leader: ['leader', [...readOnly, 'institution.read', 'stats.read']],
    funeral: ['funeral_worker', ['region.read', 'funeral', 'registry.unmask', 'institution.report', 'duty']],
    registrar: ['registrar', ['region.read', 'marriage', 'registry.unmask', 'institution.report', 'duty']],
    charity: ['charity_officer', ['region.read', 'charity', 'goods']],
    institution: ['institution_reporter', ['region.read', 'institution.report', 'duty']],
    inspector: ['inspector', ['region.read', 'institution.read', 'inspection']],
  };
  for (const [username, [role, perms]] of Object.entries(want)) {
    const c = await login(srv.url, username, DEMO_PASSWORD);
    assert.equal(c.user.role, role, `${username}'s role`);
    assert.deepEqual([...c.user.permissions].sort(), [...perms].sort(), `${username}'s permissions`);
  }
});

test('a wrong password is 401 bad_credentials with a Chinese message', async () => {
  const r = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'hotline', password: 'wrong-password' } });
  assertError(r, 401, 'bad_credentials');
  assert.equal(sessionCookie(r.headers), undefined, 'no session cookie on a failed login');
});

test('an unknown username is 401 bad_credentials like a wrong password', async () => {
  const r = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'no_such_user', password: DEMO_PASSWORD } });
  assertError(r, 401, 'bad_credentials');
});

test('a login body that is not JSON is 400 invalid_json', async () => {
  const r = await request(srv.url, 'POST', '/api/v1/session', { rawBody: 'username=admin&password=x' });
  assertError(r, 400, 'invalid_json');
});

test('five wrong passwords lock the account: 429 account_locked even with the right password', async () => {
  addUser(srv.dbPath, 'lock_me', 'village_worker', VILLAGE);
  for (let i = 1; i <= 4; i++) {
    const r = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'lock_me', password: `wrong-${i}` } });
    assertError(r, 401, 'bad_credentials');
  }
  // the fifth failure itself may already say that the account is now locked
  const fifth = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'lock_me', password: 'wrong-5' } });
  if (fifth.status === 429) assertError(fifth, 429, 'account_locked');
  else assertError(fifth, 401, 'bad_credentials');
  const r = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'lock_me', password: DEMO_PASSWORD } });
  assertError(r, 429, 'account_locked');
  assert.equal(sessionCookie(r.headers), undefined, 'no session cookie while locked');
});

test('a locked account does not lock other users', async () => {
  const c = await login(srv.url, 'village_370704008231');
  assert.equal(c.user.username, 'village_370704008231');
});

test('logins and failed logins are audited', async () => {
  const n0 = auditVerify(srv.dbPath).rows;
  assert.equal(typeof n0, 'number', 'audit verify reports a row count');
  await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'leader', password: 'nope-nope' } });
  const n1 = auditVerify(srv.dbPath).rows;
  assert.ok(n1 > n0, `a failed login adds an audit row (${n0} → ${n1})`);
  await login(srv.url, 'leader');
  const n2 = auditVerify(srv.dbPath).rows;
  assert.ok(n2 > n1, `a login adds an audit row (${n1} → ${n2})`);
});

test('a write without X-CSRF-Token is 403 csrf_failed and changes nothing', async () => {
  const before = await householdCount();
  const body = householdBody('无令牌测试');
  const r = await county.post('/api/v1/households', body, { csrf: false });
  assertError(r, 403, 'csrf_failed');
  assert.equal(await householdCount(), before, 'household count unchanged');
  assert.equal(await nameTotal(county, '无令牌测试'), 0, 'no person registered');
});

test('a write with a wrong X-CSRF-Token is 403 csrf_failed and changes nothing', async () => {
  const before = await householdCount();
  const r = await county.post('/api/v1/households', householdBody('错令牌测试'), {
    csrf: false,
    headers: { 'X-CSRF-Token': 'f'.repeat(64) },
  });
  assertError(r, 403, 'csrf_failed');
  assert.equal(await householdCount(), before, 'household count unchanged');
});

test('another session\'s CSRF token is refused with 403 csrf_failed', async () => {
  const other = await srv.login('county_370704');
  const r = await county.post('/api/v1/households', householdBody('串令牌测试'), {
    csrf: false,
    headers: { 'X-CSRF-Token': other.csrf },
  });
  assertError(r, 403, 'csrf_failed');
});

test('a write with the session\'s X-CSRF-Token succeeds (201)', async () => {
  const before = await householdCount();
  const r = await county.post('/api/v1/households', householdBody('有令牌测试'));
  assertStatus(r, 201, 'POST /api/v1/households');
  assert.equal(await householdCount(), before + 1);
});

test('logout (DELETE /api/v1/session) without X-CSRF-Token is 403 csrf_failed', async () => {
  const c = await srv.login('hotline');
  const r = await c.del('/api/v1/session', undefined, { csrf: false });
  assertError(r, 403, 'csrf_failed');
  assertStatus(await c.get('/api/v1/session'), 200, 'session still valid');
});

test('logout answers 204 and the old cookie is then 401 unauthenticated', async () => {
  const c = await srv.login('hotline');
  const r = await c.del('/api/v1/session');
  assert.equal(r.status, 204, `DELETE /api/v1/session: ${r.status} ${r.text}`);
  assert.equal(r.text, '', '204 has no body');
  assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await c.get('/api/v1/persons'), 401, 'unauthenticated');
});

test('a bearer token from `minzheng token create` reads without a cookie', async () => {
  const b = bearer(srv.url, srv.dbPath, 'county_370704');
  const r = await b.get('/api/v1/session');
  assertStatus(r, 200);
  assert.equal(r.json.user.username, 'county_370704');
  assertStatus(await b.get('/api/v1/persons?limit=1'), 200);
});

test('a bearer token writes without X-CSRF-Token', async () => {
  const b = bearer(srv.url, srv.dbPath, 'county_370704');
  const before = await householdCount();
  const r = await b.post('/api/v1/households', householdBody('令牌写入测试'));
  assertStatus(r, 201, 'POST /api/v1/households with a bearer token');
  assert.equal(await householdCount(), before + 1);
});

test('an unknown bearer token is 401 unauthenticated', async () => {
  const b = new Client(srv.url, { bearer: '0'.repeat(64) });
  assertError(await b.get('/api/v1/session'), 401, 'unauthenticated');
});

test('a user disabled with `minzheng user disable` can no longer log in', async () => {
  addUser(srv.dbPath, 'to_disable', 'county_staff', '370704');
  await login(srv.url, 'to_disable');
  cliOk(['user', 'disable', '--db', srv.dbPath, '--username', 'to_disable']);
  const r = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'to_disable', password: DEMO_PASSWORD } });
  assert.ok(r.status === 401 || r.status === 403, `login of a disabled user: ${r.status} ${r.text}`);
  assert.match(r.json?.error?.message ?? '', /[\u4e00-\u9fff]/, 'Chinese error message');
  assert.equal(sessionCookie(r.headers), undefined, 'no session cookie');
});

test('disabling a user ends their open sessions and bearer tokens', async () => {
  addUser(srv.dbPath, 'to_disable2', 'county_staff', '370704');
  const c = await login(srv.url, 'to_disable2');
  const b = bearer(srv.url, srv.dbPath, 'to_disable2');
  assertStatus(await c.get('/api/v1/session'), 200);
  assertStatus(await b.get('/api/v1/session'), 200);
  cliOk(['user', 'disable', '--db', srv.dbPath, '--username', 'to_disable2']);
  assertError(await c.get('/api/v1/session'), 401, 'unauthenticated');
  const r = await b.get('/api/v1/session');
  assert.ok(r.status === 401 || r.status === 403, `bearer token of a disabled user: ${r.status} ${r.text}`);
  assert.ok(r.json?.error?.code, 'JSON error');
  const w = await b.post('/api/v1/households', householdBody('停用令牌写入'));
  assert.ok(w.status === 401 || w.status === 403, `write with the bearer token of a disabled user: ${w.status} ${w.text}`);
});

test('the read-only leader gets 403 forbidden on POST /api/v1/households and nothing changes', async () => {
  const leader = await srv.login('leader');
  const before = await householdCount();
  const r = await leader.post('/api/v1/households', householdBody('领导写入测试'));
  assertError(r, 403, 'forbidden');
  assert.equal(await householdCount(), before);
});

test('the hotline operator reads persons but gets 403 forbidden on writes', async () => {
  const hotline = await srv.login('hotline');
  assertStatus(await hotline.get('/api/v1/persons?limit=1'), 200);
  assertError(await hotline.post('/api/v1/households', householdBody('热线写入测试')), 403, 'forbidden');
});

test('institution_reporter gets 403 forbidden on GET /api/v1/persons', async () => {
  const inst = await srv.login('institution');
  assertError(await inst.get('/api/v1/persons'), 403, 'forbidden');
  assertError(await inst.get('/api/v1/households/1'), 403, 'forbidden');
  assertStatus(await inst.get('/api/v1/regions'), 200, 'institution_reporter has region.read');
});
