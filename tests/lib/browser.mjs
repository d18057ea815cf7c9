// browser.mjs — headless Debian Chromium for the browser tests (tests/e2e): one browser per test
// file, a fresh context and page per test, a screenshot when a test fails (its path is put at
// the top of the error so the reporter shows it), and a check that the page threw no uncaught
// JavaScript error. Also: logging in through the UI, reading the page, API calls over
// connections that are closed after each request.
//
//   import { openBrowser, DEMO_PASSWORD } from '../lib/browser.mjs';
//   const br = await openBrowser(srv.url);             // in before()
//   test('…', () => br.run(async ({ page }) => { … })); // fresh context per test
//   await br.close();                                   // in after(), before srv.stop()
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const DEMO_PASSWORD = 'Demo@2020';
export const CHROMIUM = process.env.MZ_CHROMIUM || '/usr/bin/chromium';
export const SHOTS_DIR = '/tmp/mz-shots'; // screenshots for people to look at (not in git)

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let failDir; // temp dir for failure screenshots, made on the first failure
function failureShotPath(name) {
  failDir ??= mkdtempSync(path.join(os.tmpdir(), 'mz-e2e-fail-'));
  const safe = name.replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 80);
  return path.join(failDir, `${safe}-${Date.now()}.png`);
}

/** Put a line at the top of an error's message and stack (what the reporter prints). */
function prefixError(err, line) {
  if (!(err instanceof Error)) return new Error(`${line}\n${String(err)}`);
  const plain = (t) => String(t).replace(/\x1b\[[0-9;]*m/g, ''); // Playwright's call log is coloured
  try {
    const stack = err.stack || '';
    err.message = `${line}\n${plain(err.message)}`;
    err.stack = `${line}\n${plain(stack)}`;
  } catch {
    /* a frozen error: leave it */
  }
  return err;
}

/**
 * Launch the browser for one test file. Returns {browser, url, run(fn, opts), close()}.
 * run(fn, {viewport, contextOptions, name}) makes a fresh context + page on `url`, calls
 * fn({page, context}), screenshots on failure, fails when the page threw an uncaught error, and
 * closes the context.
 */
export async function openBrowser(url, { timeout = 8000 } = {}) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  async function run(fn, { viewport = { width: 1280, height: 900 }, contextOptions = {}, name } = {}) {
    const context = await browser.newContext({
      baseURL: url, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...contextOptions,
    });
    context.setDefaultTimeout(timeout);
    const page = await context.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const testName = name || 'e2e';
    try {
      await fn({ page, context });
      assert.deepEqual(pageErrors, [], `uncaught JavaScript errors in the page: ${pageErrors.join(' | ')}`);
    } catch (err) {
      let line;
      try {
        const p = failureShotPath(testName);
        await page.screenshot({ path: p, fullPage: true, timeout: 5000 });
        line = `screenshot: ${p} (at ${page.url()})`;
      } catch (e) {
        line = `screenshot failed: ${e.message.split('\n')[0]}`;
      }
      throw prefixError(err, line);
    } finally {
      await context.close().catch(() => {});
    }
  }
  return {
    browser,
    url,
    run,
    async close() {
      await browser.close().catch(() => {});
    },
  };
}

/** Screenshot into /tmp/mz-shots/NAME.png (for people to look at); returns the path. */
export async function keepShot(page, name) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const p = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: p, fullPage: true });
  return p;
}

/** The locator of a data-testid. */
export const tid = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Open the app, log in through the form and wait for the layout. */
export async function loginUI(page, username, password = DEMO_PASSWORD, { hash = '#/login' } = {}) {
  await page.goto('/' + hash);
  await tid(page, 'login-username').fill(username);
  await tid(page, 'login-password').fill(password);
  await tid(page, 'login-submit').click();
  await tid(page, 'topbar-user').waitFor();
  await tid(page, 'logout').waitFor();
}

/**
 * Navigate inside the app by hash (no reload: the session state is in the page). Resolves after
 * the app's hashchange handler has run, so the previous page's content is already gone.
 */
export async function goHash(page, hash) {
  await page.evaluate((h) => new Promise((resolve) => {
    if (location.hash === h) {
      resolve();
      return;
    }
    window.addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
    location.hash = h;
  }), hash);
}

/**
 * Run action (a click that re-renders a page) and wait until an element matching the testid is
 * there that was not there before — so a check never reads the previous render's copy.
 */
export async function waitForFresh(page, testid, action) {
  await page.evaluate((t) => {
    for (const el of document.querySelectorAll(`[data-testid="${t}"]`)) el.setAttribute('data-stale', '');
  }, testid);
  await action();
  await page.locator(`[data-testid="${testid}"]:not([data-stale])`).first().waitFor();
}

/** The trimmed texts of every element matching a locator. */
export async function texts(locator) {
  return (await locator.allTextContents()).map((s) => s.trim());
}

/** Masked ID numbers as the API and UI show them: 6 digits, 8 stars, the last 4. */
export const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;
/** A full 18-character ID number. */
export const FULL_ID = /^\d{17}[\dX]$/;
/** A count as format.js prints it: "1,234". */
export const COUNT = /^\d{1,3}(,\d{3})*$/;
/** format.js count(): 12345 → "12,345". */
export const fmtCount = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// ---- API calls for test data ------------------------------------------------------------------
// Plain node:http, one connection per request ("Connection: close").

function rawRequest(url, method, p, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const h = { Connection: 'close', Accept: 'application/json', ...headers };
    if (payload) {
      h['Content-Type'] = 'application/json';
      h['Content-Length'] = String(payload.length);
    }
    const req = http.request(url + p, { method, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, json, text, headers: res.headers });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Log in over the API: {get(path), post(path, body), del(path, body), user}. */
export async function apiLogin(url, username, password = DEMO_PASSWORD) {
  const res = await rawRequest(url, 'POST', '/api/v1/session', { body: { username, password } });
  assert.equal(res.status, 200, `API login ${username}: ${res.status} ${res.text.slice(0, 200)}`);
  const set = [].concat(res.headers['set-cookie'] || []);
  const m = set.map((c) => /^\s*(mz_session=[^;]*)/.exec(c)).find(Boolean);
  assert.ok(m, `API login ${username}: no mz_session cookie`);
  const cookie = m[1];
  const csrf = res.json.csrf_token;
  const call = (method, p, body) => rawRequest(url, method, p, {
    body,
    headers: { Cookie: cookie, ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrf }) },
  });
  const ok = async (method, p, body) => {
    const r = await call(method, p, body);
    assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status} ${r.text.slice(0, 300)}`);
    return r.json;
  };
  return {
    user: res.json.user,
    raw: call,
    get: (p) => ok('GET', p),
    post: (p, body) => ok('POST', p, body),
  };
}
