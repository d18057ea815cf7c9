// regions.test.mjs — the region browser: drilling down from the city by clicking rows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import {
  COUNT, apiLogin, fmtCount, loginUI, openBrowser, texts, tid,
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

/** The region page shows `region` (API answer): header facts as formatted numbers. */
async function assertRegionHeader(page, region) {
  await page.locator('[data-testid="region-detail"] h1', { hasText: region.name }).waitFor();
  assert.equal((await tid(page, 'region-code').textContent()).trim(), region.code);
  for (const [id, key] of [['region-child-count', 'child_count'], ['region-household-count', 'household_count'],
    ['region-person-count', 'person_count']]) {
    const t = (await tid(page, id).textContent()).trim();
    assert.match(t, COUNT, `${id} of ${region.name} is a number: "${t}"`);
    assert.equal(t, fmtCount(region[key]), `${id} of ${region.name} equals the API's ${key}`);
  }
}

/** Every row of the children table has numeric counts (下级数, 户数, 人数). */
async function assertRowCountsNumeric(page) {
  const cells = await texts(page.locator('[data-testid="region-row"] td.num'));
  assert.ok(cells.length > 0, 'child rows have count cells');
  for (const c of cells) assert.match(c, COUNT, `row count "${c}" is a number`);
}

/** Click the row of `name` (on its code cell, not on the link, to use the row's own handler). */
async function clickRow(page, name) {
  const row = page.locator('[data-testid="region-row"]', { has: page.locator('td a', { hasText: name }) });
  assert.equal(await row.count(), 1, `exactly one row named like ${name}`);
  const code = await row.getAttribute('data-code');
  await row.locator('td.mono').click();
  await page.waitForURL(new RegExp(`#/regions/${code}$`));
  return code;
}

/** The breadcrumb's items (links and plain text) in order. */
async function crumbs(page) {
  return texts(page.locator('[data-testid="region-breadcrumb"] li'));
}

test('region browser drills down 坊子区 → 太保庄街道 → 栾家山后村 by rows, with ancestors in the breadcrumb', () =>
  br.run(async ({ page }) => {
    const admin = await apiLogin(srv.url, 'admin');
    await loginUI(page, 'admin');
    await page.waitForURL(/#\/regions$/);

    // The city: 潍坊市 with its counties.
    const city = await admin.get('/api/v1/regions/3707');
    await assertRegionHeader(page, city);
    const cityChildren = await admin.get('/api/v1/regions?parent=3707');
    assert.equal(await tid(page, 'region-row').count(), cityChildren.items.length, 'one row per county');
    await assertRowCountsNumeric(page);

    // 坊子区
    const county = await clickRow(page, '坊子区');
    assert.equal(county, '370704');
    await assertRegionHeader(page, await admin.get('/api/v1/regions/370704'));
    assert.deepEqual((await crumbs(page)).slice(-2), ['潍坊市', '坊子区']);
    await assertRowCountsNumeric(page);

    // 太保庄街道
    const township = await clickRow(page, '太保庄街道');
    assert.equal(township, '370704008');
    await assertRegionHeader(page, await admin.get('/api/v1/regions/370704008'));
    assert.deepEqual((await crumbs(page)).slice(-3), ['潍坊市', '坊子区', '太保庄街道']);
    await assertRowCountsNumeric(page);

    // 栾家山后村 (its row filtered out of >100 villages with the quick filter first)
    await tid(page, 'region-filter').fill('栾家山后');
    assert.equal(await page.locator('[data-testid="region-row"]:visible').count(), 1, 'the filter leaves one row');
    const village = await clickRow(page, '栾家山后村');
    assert.equal(village, '370704008231');
    const v = await admin.get('/api/v1/regions/370704008231');
    await assertRegionHeader(page, v);
    const trail = await crumbs(page);
    assert.deepEqual(trail.slice(-4), ['潍坊市', '坊子区', '太保庄街道', v.name], `breadcrumb: ${trail.join(' › ')}`);
    // ancestors inside admin's scope are links, the current region is not
    const links = await texts(page.locator('[data-testid="region-breadcrumb"] a'));
    assert.deepEqual(links, ['潍坊市', '坊子区', '太保庄街道']);
    assert.equal(await tid(page, 'region-row').count(), 0, 'a village has no child rows');
    assert.equal(await tid(page, 'region-persons').getAttribute('href'), '#/search?region=370704008231');

    // A breadcrumb link goes back up.
    await page.locator('[data-testid="region-breadcrumb"] a', { hasText: '坊子区' }).click();
    await page.waitForURL(/#\/regions\/370704$/);
    await assertRegionHeader(page, await admin.get('/api/v1/regions/370704'));
  }, { name: 'regions-drilldown' }));
