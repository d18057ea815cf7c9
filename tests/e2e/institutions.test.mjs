// institutions.test.mjs — the daily report in the browser (docs/institutions.md): the county
// bureau watches today's call list while an elderly home's reporter, on a 390×844 phone, opens the
// app (landing on 填报日报), sees yesterday's headcounts and files the zero report with one tap;
// the county refreshes and the home is off the list. Then the reporter corrects the day with a
// fever, the county finds the alert on the dashboard, acknowledges it and closes it with the
// action taken; the dashboard's counters and trend chart are drawn from the records.
//
// The deadline of elderly homes in 潍城区 (the demo reporter's county) is set to 24:00 for this
// month first, so the report is on time whatever hour the test runs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { todayShanghai } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';
import { apiLogin, keepShot, loginUI, openBrowser, tid, waitForFresh } from '../lib/browser.mjs';

const PHONE = {
  viewport: { width: 390, height: 844 },
  contextOptions: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const TODAY = todayShanghai();

let srv, br, home;

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  const county = await apiLogin(srv.url, 'county_370702');
  await county.post('/api/v1/policy', {
    unit_code: '370702', residence_type: 'all', key: 'institution_deadline_elderly_home', value: 1440,
    effective_from: TODAY.slice(0, 7), note: '测试：当日报送均为按时',
  });
  home = (await (await apiLogin(srv.url, 'institution')).get('/api/v1/institutions/mine')).institution;
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

/** The page does not scroll sideways. */
async function assertNoHorizontalOverflow(page, where) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(m.scroll <= m.inner + 1, `${where}: scrollWidth ${m.scroll} > innerWidth ${m.inner}`);
}

test('the county sees the home on today\'s call list; the reporter, on a phone, files the zero report with one tap; the list updates', () =>
  br.run(async ({ page: countyPage }) => {
    // the county bureau: today's call list
    await loginUI(countyPage, 'county_370702');
    await countyPage.goto('/#/institutions/calls');
    await tid(countyPage, 'calls-table').waitFor();
    const row = countyPage.locator(`[data-testid="call-row"][data-id="${home.id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(home.name));
    assert.equal(await row.locator('[data-testid="call-status"]').getAttribute('data-status'), 'due', 'deadline 24:00: due, not overdue');
    const total0 = Number(await tid(countyPage, 'calls-total').getAttribute('data-total'));
    assert.ok(total0 >= 1);

    // the reporter, on a phone in another browser context
    const phone = await br.browser.newContext({ baseURL: srv.url, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: PHONE.viewport, ...PHONE.contextOptions });
    const errors = [];
    try {
      const page = await phone.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto('/');
      await tid(page, 'login-username').fill('institution');
      await tid(page, 'login-password').fill('Demo@2020');
      await tid(page, 'login-submit').tap();
      await tid(page, 'daily-page').waitFor();
      assert.match(page.url(), /#\/daily$/, 'the reporter lands on 填报日报');
      assert.equal(await tid(page, 'daily-institution').textContent(), home.name);
      assert.equal(await tid(page, 'daily-status').getAttribute('data-status'), 'due');
      const carry = await tid(page, 'daily-carry').textContent();
      assert.match(carry, /与上次报告（2020-04-26）相同/);
      assert.match(carry, new RegExp(`在院 ${home.residents} 人`));
      await assertNoHorizontalOverflow(page, 'daily page');
      const btn = tid(page, 'daily-zero');
      const box = await btn.boundingBox();
      assert.ok(box.width >= 300 && box.height >= 56, `a big button for the thumb: ${box.width}×${box.height}`);
      await keepShot(page, 'institutions-daily-phone');
      await waitForFresh(page, 'daily-page', () => btn.tap());
      await tid(page, 'daily-done').waitFor();
      assert.match(await tid(page, 'daily-done').textContent(), /已报送零报告[\s\S]*按时/);
      assert.equal(await tid(page, 'daily-status').getAttribute('data-status'), 'on_time');
      await keepShot(page, 'institutions-daily-phone-done');
      assert.deepEqual(errors, [], 'no uncaught errors on the phone');
    } finally {
      await phone.close();
    }

    // the county refreshes: the home is off the list
    await waitForFresh(countyPage, 'calls-total', () => tid(countyPage, 'calls-refresh').click());
    assert.equal(await countyPage.locator(`[data-testid="call-row"][data-id="${home.id}"]`).count(), 0, 'off the call list');
    assert.equal(Number(await tid(countyPage, 'calls-total').getAttribute('data-total')), total0 - 1);
    await keepShot(countyPage, 'institutions-calls');
  }));

test('a correction with a fever raises an alert that the county acknowledges and closes from the dashboard', () =>
  br.run(async ({ page }) => {
    // the reporter corrects today's report (desktop is fine here: the form is the same)
    await loginUI(page, 'institution');
    await tid(page, 'daily-page').waitFor();
    if (!(await tid(page, 'daily-done').count())) { // the first test did not get there: file it now
      await waitForFresh(page, 'daily-page', () => tid(page, 'daily-zero').click());
    }
    await tid(page, 'daily-correct').click();
    await tid(page, 'daily-form').waitFor();
    await tid(page, 'daily-field-fever').fill('1');
    await tid(page, 'daily-field-isolated').fill('1');
    await tid(page, 'daily-submit').click();
    assert.match(await tid(page, 'daily-reason-error').textContent(), /更正原因/, 'a correction needs its reason');
    await tid(page, 'daily-reason').fill('午检发现一名老人发热');
    await waitForFresh(page, 'daily-page', () => tid(page, 'daily-submit').click());
    assert.match(await tid(page, 'daily-done').textContent(), /已报送日报[\s\S]*已更正 1 次/);
    await tid(page, 'logout').click();

    // the county: the dashboard shows the open alert and today's figures
    await loginUI(page, 'county_370702');
    await page.goto('/#/institutions');
    await tid(page, 'inst-kpis').waitFor();
    assert.ok(Number(await tid(page, 'kpi-received').textContent()) >= 1);
    assert.equal(await tid(page, 'kpi-alerts').textContent(), '1');
    assert.equal(await page.locator('[data-testid="inst-unit-row"]').count(), 1, 'one county: 潍城区');
    assert.ok(await page.locator('[data-testid="inst-trend"] polyline').count() >= 1, 'the trend is drawn');
    await keepShot(page, 'institutions-dashboard');
    await tid(page, 'inst-tab-alerts').click();
    const row = page.locator('[data-testid="alert-row"][data-status="open"]').first();
    await row.waitFor();
    assert.match(await row.textContent(), /发热 1 人，隔离观察 1 人/);
    await row.locator('[data-testid="alert-ack"]').click();
    await tid(page, 'dialog-note').fill('已电话核实，单间隔离观察');
    await waitForFresh(page, 'alerts-table', () => tid(page, 'dialog-submit').click());
    await page.locator('[data-testid="alert-row"][data-status="acknowledged"]').first().locator('[data-testid="alert-close"]').click();
    await tid(page, 'dialog-submit').click();
    assert.match(await tid(page, 'dialog-action-error').textContent(), /处置措施/);
    await tid(page, 'dialog-action').fill('复测体温正常，解除隔离观察');
    await waitForFresh(page, 'alerts-status', () => tid(page, 'dialog-submit').click());
    await tid(page, 'alerts-empty').waitFor(); // no active alert left
    await tid(page, 'alerts-status').selectOption('closed');
    await page.locator('[data-testid="alert-row"][data-status="closed"]').first().waitFor();
    assert.match(await page.locator('[data-testid="alert-row"][data-status="closed"]').first().textContent(), /county_370702[\s\S]*复测体温正常/);
  }));

test('the registry: the county opens its institution, sees every version of today\'s report, and unmasks the phone on purpose', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'county_370702');
    await page.goto('/#/institutions/list');
    await tid(page, 'inst-list').waitFor();
    await page.locator(`[data-testid="inst-row"][data-id="${home.id}"]`).click();
    await tid(page, 'inst-detail').waitFor();
    assert.match(await tid(page, 'inst-phone').textContent(), /\*{4}/);
    assert.match(await tid(page, 'inst-reporters').textContent(), /institution/);
    await waitForFresh(page, 'inst-detail', () => tid(page, 'inst-unmask').click());
    assert.match(await tid(page, 'inst-phone').textContent(), /^1\d{10}$/);
    await page.locator(`[data-testid="inst-report-row"][data-date="${TODAY}"] a`).click();
    await tid(page, 'inst-versions').waitFor();
    assert.ok(await page.locator('[data-testid="inst-version"]').count() >= 1);
  }));
