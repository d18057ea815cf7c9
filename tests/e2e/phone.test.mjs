// phone.test.mjs — the UI on a phone-sized screen (390×844, touch): login and search still
// work, the left nav collapses behind the 菜单 button, and the page never scrolls sideways.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { DEMO_PASSWORD, MASKED_ID, apiLogin, openBrowser, texts, tid } from '../lib/browser.mjs';

const PHONE = {
  viewport: { width: 390, height: 844 },
  contextOptions: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

let srv;
let br;
before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
});
after(async () => {
  await br?.close();
  await srv?.stop();
});

/** The page body does not scroll sideways. */
async function assertNoHorizontalOverflow(page, where) {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    inner: window.innerWidth,
  }));
  assert.ok(m.scroll <= m.inner + 1, `${where}: documentElement.scrollWidth ${m.scroll} > innerWidth ${m.inner} + 1`);
  assert.ok(m.body <= m.inner + 1, `${where}: body.scrollWidth ${m.body} > innerWidth ${m.inner} + 1`);
}

/** The element is fully inside the viewport horizontally. */
async function assertInViewport(page, locator, what) {
  const b = await locator.boundingBox();
  assert.ok(b, `${what} has a box`);
  assert.ok(b.x >= -0.5 && b.x + b.width <= 390.5, `${what} inside 0–390 px: x=${b.x} width=${b.width}`);
}

test('on a 390×844 phone login and search work, the nav collapses behind nav-toggle, nothing overflows sideways', () =>
  br.run(async ({ page }) => {
    const admin = await apiLogin(srv.url, 'admin');
    await page.goto('/');
    await tid(page, 'login-username').waitFor();
    assert.equal(await page.evaluate(() => window.innerWidth), 390);
    await assertNoHorizontalOverflow(page, 'login page');
    for (const id of ['login-username', 'login-password', 'login-submit']) await assertInViewport(page, tid(page, id), id);

    await tid(page, 'login-username').fill('county_370704');
    await tid(page, 'login-password').fill(DEMO_PASSWORD);
    await tid(page, 'login-submit').tap();
    await tid(page, 'topbar-user').waitFor();
    await tid(page, 'region-detail').waitFor();
    await assertNoHorizontalOverflow(page, 'region page after login');

    // the nav is collapsed behind the toggle
    const toggle = tid(page, 'nav-toggle');
    assert.ok(await toggle.isVisible(), 'nav-toggle shown on a phone');
    await assertInViewport(page, toggle, 'nav-toggle');
    await assertInViewport(page, tid(page, 'logout'), 'logout');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(!(await tid(page, 'nav-search').isVisible()), 'nav entries hidden until the toggle is used');

    await toggle.tap();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await tid(page, 'nav-search').waitFor({ state: 'visible' });
    await assertNoHorizontalOverflow(page, 'nav open');
    await tid(page, 'nav-search').tap();
    await page.waitForURL(/#\/search$/);
    await tid(page, 'search-hint').waitFor();
    await tid(page, 'nav-search').waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false', 'the nav closes after choosing an entry');
    await assertNoHorizontalOverflow(page, 'empty search page');

    // a search with more than one page of results
    const someone = (await admin.get('/api/v1/persons?region=370704&limit=1')).items[0];
    const surname = [...someone.name][0];
    const api = await admin.get(`/api/v1/persons?region=370704&q=${encodeURIComponent(surname)}&limit=20`);
    await assertInViewport(page, tid(page, 'search-q'), 'search-q');
    await tid(page, 'search-q').fill(surname);
    await assertInViewport(page, tid(page, 'search-submit'), 'search-submit');
    await tid(page, 'search-submit').tap();
    await tid(page, 'search-total').waitFor();
    assert.equal((await tid(page, 'search-total').textContent()).trim(), `共 ${api.total} 条`);
    const rows = tid(page, 'search-row');
    assert.equal(await rows.count(), Math.min(20, api.total));
    assert.ok(await rows.first().isVisible());
    for (const id of await texts(page.locator('[data-testid="search-row"] td[data-label="身份证号"]'))) assert.match(id, MASKED_ID);
    await assertInViewport(page, rows.first(), 'first result row');
    await assertNoHorizontalOverflow(page, 'search results');
    if (api.total > 20) {
      await tid(page, 'search-next').scrollIntoViewIfNeeded();
      await assertInViewport(page, tid(page, 'search-next'), 'search-next');
      await tid(page, 'search-next').tap();
      await page.locator('[data-testid="search-range"]', { hasText: '第 21–' }).waitFor();
      await assertNoHorizontalOverflow(page, 'search page 2');
    }

    // a row opens the household, which fits too
    await page.locator('[data-testid="search-row"] td[data-label="性别"]').first().tap();
    await page.waitForURL(/#\/household\/\d+$/);
    await tid(page, 'member-row').first().waitFor();
    await assertNoHorizontalOverflow(page, 'household page');
  }, { ...PHONE, name: 'phone-layout' }));
