// websec.test.mjs — web security (docs/api.md "Authentication", docs/deploy.md "Web security"):
// the security headers on HTML, JavaScript and API answers; the session cookie's flags; a fresh
// session id at every login (no fixation); CSRF on cookie-authenticated writes; the login lockout
// per account (per address is the proxy's, docs/nginx.conf); the password policy of `user add` and
// `user passwd`; revoked bearer tokens; and static files that never leave web/, however the path
// is spelled.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, request, sessionCookie } from '../lib/http.mjs';
import { addUser, bearer, cli, cliOk, DEMO_PASSWORD, startServer } from '../lib/server.mjs';

const VILLAGE = '370704008231';
let srv, admin;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
});
after(async () => {
  await srv?.stop();
});

// ---- headers --------------------------------------------------------------------------------

function cspDirectives(csp) {
  const m = new Map();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) m.set(name.toLowerCase(), values);
  }
  return m;
}

function assertSecurityHeaders(res, what) {
  const h = res.headers;
  const csp = h.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  const d = cspDirectives(csp);
  const scripts = d.get('script-src') || d.get('default-src');
  assert.ok(scripts, `${what}: the CSP restricts scripts (script-src or default-src): ${csp}`);
  assert.ok(!scripts.includes("'unsafe-inline'") && !scripts.includes("'unsafe-eval'") && !scripts.includes('*'),
    `${what}: scripts only from the origin, none inline: ${csp}`);
  const frames = d.get('frame-ancestors');
  assert.ok(h.get('x-frame-options') === 'DENY' || (frames && frames.join(' ') === "'none'"), `${what}: framing denied`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options DENY (older browsers)`);
  assert.deepEqual(frames, ["'none'"], `${what}: frame-ancestors 'none'`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.ok(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(h.get('referrer-policy')),
    `${what}: Referrer-Policy (${h.get('referrer-policy')})`);
}

test('security headers on the HTML page, a script, a stylesheet, API answers, errors and 404s', async () => {
  const cases = [
    ['GET /', await request(srv.url, 'GET', '/')],
    ['GET /index.html', await request(srv.url, 'GET', '/index.html')],
    ['GET /app.js', await request(srv.url, 'GET', '/app.js')],
    ['GET /style.css', await request(srv.url, 'GET', '/style.css')],
    ['GET /api/v1/session (logged in)', await admin.get('/api/v1/session')],
    ['GET /api/v1/persons (no login, 401)', await request(srv.url, 'GET', '/api/v1/persons')],
    ['POST /api/v1/session (bad JSON, 400)', await request(srv.url, 'POST', '/api/v1/session', { rawBody: '{' })],
    ['GET /no-such-page (404)', await request(srv.url, 'GET', '/no-such-page')],
    ['GET /healthz', await request(srv.url, 'GET', '/healthz')],
  ];
  assert.match(cases[2][1].headers.get('content-type'), /^text\/javascript/);
  for (const [what, res] of cases) assertSecurityHeaders(res, what);
});

test('the HTML pages hold no inline script and no inline event handler (the CSP would block them)', async () => {
  for (const page of ['/', '/booking.html', '/disclosure.html']) {
    const res = await request(srv.url, 'GET', page);
    if (res.status === 404) continue;
    assertStatus(res, 200, page);
    for (const m of res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      assert.match(m[1], /\bsrc=/, `${page}: every script is a file: ${m[0].slice(0, 120)}`);
      assert.equal(m[2].trim(), '', `${page}: no inline script body`);
    }
    assert.doesNotMatch(res.text, /\son[a-z]+\s*=/i, `${page}: no inline event handler attribute`);
    assert.doesNotMatch(res.text, /javascript:/i, `${page}: no javascript: URL`);
  }
});

// ---- the session cookie -----------------------------------------------------------------------

test('the session cookie is HttpOnly, SameSite=Strict, Path=/, with an idle lifetime, and the server alone never marks it Secure', async () => {
  const c = await srv.login('admin');
  const parts = c.setCookie.split(';').map((s) => s.trim());
  assert.match(parts[0], /^mz_session=[0-9a-f]{64}$/);
  assert.ok(parts.includes('HttpOnly'), c.setCookie);
  assert.ok(parts.includes('SameSite=Strict'), c.setCookie);
  assert.ok(parts.includes('Path=/'), c.setCookie);
  assert.ok(parts.some((p) => /^Max-Age=\d+$/.test(p)), c.setCookie);
  // minzheng itself speaks plain HTTP behind the proxy; docs/nginx.conf adds Secure there
  // (proxy_cookie_flags), since only the proxy knows the client used TLS.
  assert.ok(!parts.includes('Secure'), 'Secure is the proxy\'s (docs/deploy.md "Web security")');
  const out = await c.del('/api/v1/session');
  assert.equal(out.status, 204);
  const gone = sessionCookie(out.headers).header;
  assert.match(gone, /Max-Age=0/);
  assert.match(gone, /HttpOnly/);
});

// ---- session fixation -------------------------------------------------------------------------

test('session fixation: a session id the client chose is never adopted — login sets a new one and the chosen one stays 401', async () => {
  const planted = 'ab'.repeat(32);
  const res = await request(srv.url, 'POST', '/api/v1/session', {
    body: { username: 'admin', password: DEMO_PASSWORD },
    headers: { Cookie: `mz_session=${planted}` },
  });
  assertStatus(res, 200, 'login with a planted cookie');
  const c = sessionCookie(res.headers);
  assert.notEqual(c.pair, `mz_session=${planted}`);
  assertError(await request(srv.url, 'GET', '/api/v1/session', { headers: { Cookie: `mz_session=${planted}` } }), 401, 'unauthenticated');
  assertStatus(await request(srv.url, 'GET', '/api/v1/session', { headers: { Cookie: c.pair } }), 200, 'the new cookie');
});

test('session fixation: logging in again with a valid session id ends that session (the id known before the login is not kept)', async () => {
  const first = await srv.login('leader');
  const res = await request(srv.url, 'POST', '/api/v1/session', {
    body: { username: 'admin', password: DEMO_PASSWORD },
    headers: { Cookie: first.cookie },
  });
  assertStatus(res, 200, 'second login');
  const second = sessionCookie(res.headers);
  assert.notEqual(second.pair, first.cookie);
  assertError(await first.get('/api/v1/session'), 401, 'unauthenticated');
  assert.equal((await request(srv.url, 'GET', '/api/v1/session', { headers: { Cookie: second.pair } })).json.user.username, 'admin');
});

// ---- CSRF -------------------------------------------------------------------------------------

test('CSRF: a cookie-authenticated write without X-CSRF-Token, with an empty one or another value is 403 csrf_failed and changes nothing', async () => {
  const body = { date: '2031-10-08', kind: 'holiday', name: '测试' };
  for (const headers of [{}, { 'X-CSRF-Token': '' }, { 'X-CSRF-Token': 'f'.repeat(64) }, { 'X-CSRF-Token': admin.csrf.slice(0, -1) }]) {
    const r = await admin.post('/api/v1/calendar', body, { csrf: false, headers });
    assertError(r, 403, 'csrf_failed');
  }
  // also a form post, the classic cross-site shape
  const r = await admin.raw('POST', '/api/v1/calendar', { csrf: false, rawBody: 'date=2031-10-08', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assertError(r, 403, 'csrf_failed');
  const days = await admin.get('/api/v1/calendar?year=2031');
  assert.ok(!JSON.stringify(days.json || {}).includes('2031-10-08'), 'the day was not written');
});

// ---- login throttling -------------------------------------------------------------------------

test('lockout: five wrong passwords lock that account for 15 minutes (429 account_locked, even with the right password), other accounts from the same address still log in', async () => {
  addUser(srv.dbPath, 'websec_lock', 'village_worker', VILLAGE);
  const statuses = [];
  for (let i = 1; i <= 5; i++) {
    const r = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'websec_lock', password: `Wrong-${i}x` } });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses.slice(0, 4), [401, 401, 401, 401]);
  assert.equal(statuses[4], 429, 'the fifth failure locks');
  const right = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'websec_lock', password: DEMO_PASSWORD } });
  const e = assertError(right, 429, 'account_locked');
  assert.match(e.message, /15 分钟|分钟后再试/);
  assert.equal(sessionCookie(right.headers), undefined);
  // Per address: minzheng does not block an address (offices share one NAT address); the
  // proxy limits login attempts per address (docs/nginx.conf, limit_req).
  await srv.login('leader');
  // the administrator's password reset unlocks
  cliOk(['user', 'passwd', '--db', srv.dbPath, '--username', 'websec_lock', '--password-stdin'], { input: 'Reset#2031pw\n' });
  await srv.login('websec_lock', 'Reset#2031pw');
});

test('an unknown username and a wrong password answer alike (401 bad_credentials, same message)', async () => {
  const a = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'admin', password: 'Wrong-pass1' } });
  const b = await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'nobody_here', password: 'Wrong-pass1' } });
  assert.deepEqual(assertError(a, 401, 'bad_credentials'), assertError(b, 401, 'bad_credentials'));
});

// ---- password policy --------------------------------------------------------------------------

test('password policy on `user add` and `user passwd`: 8–128 bytes, three of four character classes, not containing the username', () => {
  const weak = [
    ['Ab1!', '至少 8 位'],
    ['alllowercase', '至少三类'],
    ['lowercase123', '至少三类'],
    ['UPPER-CASE', '至少三类'],
    ['Aa1!'.repeat(33), '过长'],
    ['xpolicy_u1A!', '用户名'],
  ];
  for (const [pw, why] of weak) {
    const r = cli(['user', 'add', '--db', srv.dbPath, '--username', 'policy_u1', '--role', 'village_worker', '--region', VILLAGE, '--password-stdin'], { input: pw + '\n' });
    assert.notEqual(r.status, 0, `user add with "${pw}" is refused`);
    assert.match(r.stderr + r.stdout, new RegExp(why), `the reason for "${pw}"`);
    assert.match(r.stderr + r.stdout, /weak_password/);
  }
  assert.equal(cli(['user', 'list', '--db', srv.dbPath]).stdout.includes('policy_u1'), false, 'no user was created');
  addUser(srv.dbPath, 'policy_u1', 'village_worker', VILLAGE, 'Good#Pass2031');
  for (const [pw] of weak.slice(0, 4)) {
    const r = cli(['user', 'passwd', '--db', srv.dbPath, '--username', 'policy_u1', '--password-stdin'], { input: pw + '\n' });
    assert.notEqual(r.status, 0, `user passwd with "${pw}" is refused`);
  }
  cliOk(['user', 'passwd', '--db', srv.dbPath, '--username', 'policy_u1', '--password-stdin'], { input: 'Another$Pass2032\n' });
});

test('the password policy leaves the login alone: a short wrong password is just 401 bad_credentials', async () => {
  assertError(await request(srv.url, 'POST', '/api/v1/session', { body: { username: 'leader', password: 'x' } }), 401, 'bad_credentials');
});

// ---- bearer tokens ----------------------------------------------------------------------------

test('bearer token revocation: `minzheng token revoke` makes every token of that user 401 at once; a new token works again', async () => {
  addUser(srv.dbPath, 'websec_api', 'county_staff', '370704');
  const t1 = bearer(srv.url, srv.dbPath, 'websec_api');
  const t2 = bearer(srv.url, srv.dbPath, 'websec_api');
  const other = bearer(srv.url, srv.dbPath, 'leader');
  assertStatus(await t1.get('/api/v1/session'), 200, 'token 1 before');
  assertStatus(await t2.get('/api/v1/persons?limit=1'), 200, 'token 2 before');
  const out = cliOk(['token', 'revoke', '--db', srv.dbPath, '--username', 'websec_api']);
  assert.match(out, /2 个令牌/);
  assertError(await t1.get('/api/v1/session'), 401, 'unauthenticated');
  assertError(await t2.get('/api/v1/persons?limit=1'), 401, 'unauthenticated');
  assertError(await t2.post('/api/v1/calendar', { date: '2031-10-09', kind: 'holiday', name: '测试' }), 401, 'unauthenticated');
  assertStatus(await other.get('/api/v1/session'), 200, 'another user\'s token is untouched');
  const t3 = bearer(srv.url, srv.dbPath, 'websec_api');
  assertStatus(await t3.get('/api/v1/session'), 200, 'a token made after the revocation');
  const none = cli(['token', 'revoke', '--db', srv.dbPath, '--username', 'no_such_user']);
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /用户不存在/);
  const audit = srv.cli(['audit', 'verify', '--db', srv.dbPath]);
  assert.equal(audit.status, 0, audit.stderr + audit.stdout);
});

test('a disabled user\'s bearer token is refused', async () => {
  addUser(srv.dbPath, 'websec_off', 'county_staff', '370704');
  const t = bearer(srv.url, srv.dbPath, 'websec_off');
  assertStatus(await t.get('/api/v1/session'), 200);
  cliOk(['user', 'disable', '--db', srv.dbPath, '--username', 'websec_off']);
  const r = await t.get('/api/v1/session');
  assert.ok(r.status === 401 || r.status === 403, `${r.status}`);
});

// ---- static files and path traversal ----------------------------------------------------------

/** One request with the path exactly as written (fetch would normalise "..") over a raw socket. */
function rawGet(port, target) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    s.setTimeout(5000, () => {
      s.destroy();
      reject(new Error(`timeout on ${target}`));
    });
    s.on('connect', () => s.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`));
    s.on('data', (d) => (data = Buffer.concat([data, d])));
    s.on('error', reject);
    s.on('end', () => {
      const text = data.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    });
  });
}

const TRAVERSALS = [
  '/../../../../etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..%5c..%5c..%5cetc%5cpasswd', '/....//....//etc/passwd',
  '//etc/passwd', '/etc/passwd', '/%252e%252e/%252e%252e/etc/passwd', '/..%c0%af..%c0%afetc/passwd',
  '/index.html/../../Makefile', '/../Makefile', '/%2e%2e/Makefile', '/../src/main.c', '/../docs/api.md',
  '/app.js%00.html', '/index.html%00', '/%00', '/pages/../../README.md', '/vendor/../../tests/package.json',
  '/./././../README.md', '/web/index.html', '/.git/config', '/..;/README.md', '/%2e%2e;/README.md',
  'http://127.0.0.1/../../etc/passwd', '/proc/self/environ', '/~root/.ssh/id_rsa', '/./.././../etc/shadow',
];

test('static files never come from outside web/: traversal, encoded dots and slashes, absolute paths and NUL bytes answer 404 or 400', async () => {
  const home = await rawGet(srv.port, '/index.html');
  assert.equal(home.status, 200);
  for (const t of TRAVERSALS) {
    const r = await rawGet(srv.port, t);
    assert.ok([400, 404].includes(r.status), `${t} → ${r.status} ${r.text.slice(0, 200)}`);
    assert.doesNotMatch(r.text, /root:x?:0:0|\[core\]|#include|minzheng-tests|CC\s*=|PATH=/, `${t}: no file content from outside web/`);
  }
  console.log(`path traversal probes: ${TRAVERSALS.length}`);
});

test('a path through /api/ with .. does not escape into another route or file', async () => {
  for (const t of ['/api/v1/../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/../index.html']) {
    const r = await rawGet(srv.port, t);
    assert.ok([400, 401, 404].includes(r.status), `${t} → ${r.status}`);
    assert.doesNotMatch(r.text, /root:x?:0:0|<!doctype html/i, t);
  }
});
