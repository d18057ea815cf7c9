// auth.test.mjs — login page, the layout after login, logout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import {
  apiLogin, goHash, loginUI, openBrowser, texts, tid, waitForFresh,
} from '../lib/browser.mjs';

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

const HAN = /[\u3400-\u9fff]/;

test('login with a wrong password shows the Chinese error and stays on the login page', () =>
  br.run(async ({ page }) => {
    await page.goto('/');
    await page.waitForURL(/#\/login$/);
    await tid(page, 'login-username').fill('admin');
    await tid(page, 'login-password').fill('Wrong@2020');
    await tid(page, 'login-submit').click();
    const err = tid(page, 'login-error');
    await err.waitFor({ state: 'visible' });
    const msg = (await err.textContent()).trim();
    assert.match(msg, HAN, `error is Chinese: "${msg}"`);
    assert.match(msg, /(用户名|账号)或密码错误/, `error names the wrong credentials: "${msg}"`);
    assert.equal(await tid(page, 'login-password').inputValue(), '', 'the password field is cleared');
    assert.equal(await tid(page, 'topbar-user').count(), 0, 'no layout after a failed login');
    assert.match(page.url(), /#\/login$/);
  }, { name: 'login-wrong-password' }));

test('login as admin shows the layout with the role label and the nav entries', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'admin');
    assert.equal((await tid(page, 'topbar-role').textContent()).trim(), '市局管理员');
    assert.equal((await tid(page, 'topbar-region').textContent()).trim(), '潍坊市');
    assert.ok((await tid(page, 'topbar-user').textContent()).trim().length > 0, 'user name shown');
    for (const [id, title, hash] of [
      ['nav-regions', '区划浏览', '#/regions'],
      ['nav-search', '人员查询', '#/search'],
      ['nav-new-household', '新增家庭', '#/household/new'],
    ]) {
      const a = tid(page, id);
      assert.ok(await a.isVisible(), `${id} visible`);
      assert.equal((await a.textContent()).trim(), title);
      assert.equal(await a.getAttribute('href'), hash);
    }
    // the first nav entry is the landing page, and it is marked current
    await page.waitForURL(/#\/regions$/);
    assert.equal(await tid(page, 'nav-regions').getAttribute('aria-current'), 'page');
    await tid(page, 'region-detail').waitFor();
    assert.equal(await tid(page, 'login-username').count(), 0, 'login form is gone');
  }, { name: 'login-admin-layout' }));

test('a read-only leader sees the nav without 新增家庭', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'leader');
    assert.equal((await tid(page, 'topbar-role').textContent()).trim(), '领导（只读）');
    assert.deepEqual(await texts(page.locator('nav.sidenav a')), ['区划浏览', '人员查询', '政策参数', '救助案件', '到期复核', '暂缓退出', '疫情期间', '统计报表',
      '临时救助', '价格补贴', '机构日报', '防疫文件', '福彩网点', '综合统计', '领导驾驶舱']);
    assert.equal(await tid(page, 'nav-new-household').count(), 0);
  }, { name: 'login-leader-nav' }));

test('logout returns to the login page and the back button does not show data again', () =>
  br.run(async ({ page }) => {
    const admin = await apiLogin(srv.url, 'admin');
    const hh = (await admin.get('/api/v1/persons?region=370704&limit=1')).items[0];
    await loginUI(page, 'admin');
    await tid(page, 'nav-search').click();
    await page.waitForURL(/#\/search$/);
    await goHash(page, `#/household/${hh.household_id}`);
    await tid(page, 'member-row').first().waitFor();
    assert.ok(await page.getByText(hh.name, { exact: true }).first().isVisible(), 'household data shown before logout');

    await tid(page, 'logout').click();
    await page.waitForURL(/#\/login$/);
    await tid(page, 'login-username').waitFor();
    assert.equal(await tid(page, 'topbar-user').count(), 0, 'layout gone after logout');

    // The session is gone on the server too.
    const status = await page.evaluate(async () => (await fetch('/api/v1/session', { cache: 'no-store' })).status);
    assert.equal(status, 401, 'GET /api/v1/session after logout');

    // the router draws the login form again (not the household)
    await waitForFresh(page, 'login-username', () => page.goBack());
    await page.waitForURL(/#\/login$/);
    assert.equal(await tid(page, 'member-row').count(), 0, 'no member rows after back');
    assert.equal(await tid(page, 'hh-detail').count(), 0, 'no household panel after back');
    assert.equal(await page.getByText(hh.name).count(), 0, `the member name "${hh.name}" is not on the page`);

    // Going back once more (to the search page) still shows no data.
    await waitForFresh(page, 'login-username', () => page.goBack());
    await page.waitForURL(/#\/login$/);
    assert.equal(await tid(page, 'topbar-user').count(), 0);
    assert.equal(await tid(page, 'search-results').count(), 0);
  }, { name: 'logout-back' }));
