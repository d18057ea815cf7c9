// http.mjs — small helpers the API tests share: an HTTP client that remembers a session cookie
// and CSRF token (or a bearer token), GB 11643 ID numbers for test data, and assertions on the
// error body of docs/api.md.
import assert from 'node:assert/strict';

// ---- requests -------------------------------------------------------------------------------

/** One request; never throws on an HTTP status. Returns {status, json, text, headers}. */
export async function request(url, method, path, { body, headers = {}, rawBody } = {}) {
  const h = { ...headers };
  let payload;
  if (rawBody !== undefined) {
    payload = rawBody;
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  // One turn of the event loop first: a test that just ran a command synchronously (spawnSync
  // blocks the loop) must let the client notice a keep-alive connection the server closed
  // meanwhile (idle timeout), or the request goes out on the dead socket and fails.
  await new Promise((resolve) => setImmediate(resolve));
  const res = await fetch(url + path, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json;
  if (text.length) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, json, text, headers: res.headers };
}

/**
 * A logged-in client. Cookie clients send the session cookie and, on writes, X-CSRF-Token
 * (unless the call passes {csrf: false} or its own header); bearer clients send Authorization.
 */
export class Client {
  constructor(url, { cookie, csrf, bearer, user } = {}) {
    this.url = url;
    this.cookie = cookie; // "mz_session=…"
    this.csrf = csrf;
    this.bearer = bearer;
    this.user = user;
  }

  headers(method, { csrf = true, headers = {} } = {}) {
    const h = {};
    if (this.cookie) h.Cookie = this.cookie;
    if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    if (csrf && this.csrf && method !== 'GET' && method !== 'HEAD') h['X-CSRF-Token'] = this.csrf;
    return { ...h, ...headers };
  }

  /** Any method, with options {body, rawBody, headers, csrf}. */
  raw(method, path, opts = {}) {
    return request(this.url, method, path, { ...opts, headers: this.headers(method, opts) });
  }

  get(path, opts) {
    return this.raw('GET', path, opts);
  }
  post(path, body, opts = {}) {
    return this.raw('POST', path, { ...opts, body });
  }
  patch(path, body, opts = {}) {
    return this.raw('PATCH', path, { ...opts, body });
  }
  del(path, body, opts = {}) {
    return this.raw('DELETE', path, { ...opts, body });
  }
}

/** The mz_session cookie pair ("mz_session=…") out of a response's Set-Cookie headers. */
export function sessionCookie(headers) {
  const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie') ?? ''];
  for (const c of all) {
    const m = /^\s*(mz_session=[^;]*)/.exec(c);
    if (m) return { pair: m[1], header: c };
  }
  return undefined;
}

// ---- the error body of docs/api.md ----------------------------------------------------------

const HAN = /[\u3400-\u9fff]/;

/** Assert {"error":{"code","message"(Chinese),"field"?}} with this status and code. */
export function assertError(res, status, code, field) {
  const where = `${res.status} ${res.text?.slice(0, 300)}`;
  assert.equal(res.status, status, `status: ${where}`);
  assert.ok(res.json && typeof res.json === 'object', `error body is JSON: ${where}`);
  assert.ok(res.json.error && typeof res.json.error === 'object', `has "error" object: ${where}`);
  assert.equal(res.json.error.code, code, `error code: ${where}`);
  assert.equal(typeof res.json.error.message, 'string', `message is a string: ${where}`);
  assert.match(res.json.error.message, HAN, `message is Chinese: ${where}`);
  if (field !== undefined) assert.equal(res.json.error.field, field, `error field: ${where}`);
  return res.json.error;
}

export function assertStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what} expected ${status}, got ${res.status}: ${res.text?.slice(0, 400)}`);
  return res.json;
}

export const isChinese = (s) => HAN.test(s);

// ---- GB 11643 citizen ID numbers ------------------------------------------------------------

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character of the first 17 digits. */
export function checkChar(id17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(id17[i]) * WEIGHTS[i];
  return CHECK[s % 11];
}

/** A character that is NOT the right check character of id17. */
export function wrongCheckChar(id17) {
  const right = checkChar(id17);
  return right === '0' ? '1' : '0';
}

let idSerial = 0;
// Test IDs use address codes outside Weifang so they never collide with demo data, and a per-run
// base so that reruns against the same process don't either.
const runBase = (process.pid * 7919 + Date.now()) % 100000;

/**
 * A fresh valid 18-character ID number. opts: {sex: 'male'|'female', birth: 'YYYY-MM-DD',
 * address: '110105'}.
 */
export function makeId({ sex, birth, address = '110105' } = {}) {
  idSerial++;
  const n = runBase + idSerial * 37;
  let date = birth;
  if (!date) {
    const y = 1950 + (n % 50);
    const m = 1 + (Math.floor(n / 50) % 12);
    const d = 1 + (Math.floor(n / 600) % 28);
    date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  let seq = Math.floor(n / 17) % 1000;
  const wantOdd = sex === 'male' ? 1 : sex === 'female' ? 0 : seq % 2;
  if (seq % 2 !== wantOdd) seq = (seq + 1) % 1000;
  const id17 = address + date.replaceAll('-', '') + String(seq).padStart(3, '0');
  return id17 + checkChar(id17);
}

/** "370704********123X": the first 6, 8 stars, the last 4. */
export function maskId(id) {
  return id.slice(0, 6) + '********' + id.slice(-4);
}

/** Age in whole years on `today` (YYYY-MM-DD) of someone born on `birth`. */
export function ageOn(birth, today) {
  const [by, bm, bd] = birth.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age--;
  return age;
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai() {
  const t = new Date(Date.now() + 8 * 3600 * 1000);
  return t.toISOString().slice(0, 10);
}

/** A plausible mobile number that passes validation: 1 3x followed by 9 digits. */
let phoneSerial = 0;
export function makePhone() {
  phoneSerial++;
  return '139' + String((runBase * 13 + phoneSerial * 7919) % 100000000).padStart(8, '0');
}
