// ledger.test.mjs — the hardship ledger in the browser (docs/ledger.md): a village worker finds an
// elderly man living alone on the overdue list, records a phone visit with a need on the phone-
// sized form, and the entry leaves the overdue list with the need open on its page; the county
// sees the overdue list by township and drills into one; 摸底 on a phone, one household a screen;
// the township sets its 24-hour number and the printable notice shows it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { makeId, todayShanghai } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid, waitForFresh } from '../lib/browser.mjs';

const VILLAGE = '370704008231'; // 栾家山后村, 太保庄街道
const VILLAGE_USER = 'village_370704008231';
const TOWN_USER = 'township_370704008';
const COUNTY_USER = 'county_370704';

let srv, br, village;

let serial = 0;
/** A household in the village whose head carries the tags; returns the head's person id. */
async function tagged(tags, name) {
  serial++;
  const h = await village.post('/api/v1/households', {
    region_code: VILLAGE,
    address: `浏览器台账 ${serial} 号`,
    residence_type: 'rural',
    members: [{ id_number: makeId({ birth: '1938-05-01' }), name, relation: 'head', tags }],
  });
  return h.head_person_id;
}

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  village = await apiLogin(srv.url, VILLAGE_USER);
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

test('a village worker records a visit with a need and the entry leaves the overdue list', () =>
  br.run(async ({ page }) => {
    const head = await tagged(['elderly_alone'], '台账老张');
    await loginUI(page, VILLAGE_USER);
    // on a phone the menu sits behind the toggle
    await tid(page, 'nav-toggle').click();
    await tid(page, 'nav-ledger').click();
    await tid(page, 'ledger-table').waitFor();
    // on the list, due today (never visited), with its category
    const listRow = page.locator(`[data-testid="ledger-row"][data-id="${head}"]`);
    await listRow.waitFor();
    assert.match(await listRow.locator('[data-testid="entry-due"]').textContent(), /今日应访/);
    assert.match(await listRow.textContent(), /独居老人/);

    await tid(page, 'ledger-tab-overdue').click();
    await tid(page, 'overdue-total').waitFor();
    const row = page.locator(`[data-testid="overdue-row"][data-id="${head}"]`);
    await row.waitFor();
    const totalBefore = Number((await tid(page, 'overdue-total').textContent()).match(/应访未访 ([\d,]+) 人/)[1].replace(/,/g, ''));

    await row.getByRole('link', { name: '记录走访' }).click();
    await tid(page, 'visit-form').waitFor();
    await tid(page, 'visit-mode-phone').click();
    assert.equal(await tid(page, 'visit-mode-phone').getAttribute('aria-pressed'), 'true');
    await tid(page, 'visit-findings').fill('老人说米面快吃完了，身体尚可');
    await tid(page, 'visit-need-food').check();
    await tid(page, 'visit-need-food-detail').fill('米面油各一份');
    await tid(page, 'visit-submit').click();

    // back on the entry: visited today, due in 7 days, the need open
    await tid(page, 'entry-head').waitFor();
    assert.equal((await tid(page, 'entry-last-visit').textContent()).trim(), todayShanghai());
    assert.equal(await tid(page, 'visit-item').count(), 1);
    assert.match(await tid(page, 'visit-item').textContent(), /电话联系/);
    const need = tid(page, 'need-row');
    assert.equal(await need.count(), 1);
    assert.equal(await need.getAttribute('data-status'), 'open');
    assert.match(await need.textContent(), /米面油各一份/);

    await waitForFresh(page, 'overdue-total', () => goHash(page, '#/ledger/overdue'));
    assert.equal(await page.locator(`[data-testid="overdue-row"][data-id="${head}"]`).count(), 0, 'the entry left the overdue list');
    const totalAfter = Number((await tid(page, 'overdue-total').textContent()).match(/应访未访 ([\d,]+) 人/)[1].replace(/,/g, ''));
    assert.equal(totalAfter, totalBefore - 1);

    // the need is settled from the entry page
    await goHash(page, `#/ledger/entry/${head}`);
    await tid(page, 'need-met').click();
    await tid(page, 'dialog-resolution').fill('已送米面油');
    await tid(page, 'dialog-submit').click();
    await page.locator('[data-testid="need-row"][data-status="met"]').waitFor();
    const api = await village.get(`/api/v1/ledger/entries/${head}`);
    assert.equal(api.open_needs, 0);
    assert.equal(api.visits, 1);
  }, { viewport: { width: 390, height: 844 }, name: 'ledger-visit' }));

test('the county sees the overdue list by township and drills into one', () =>
  br.run(async ({ page }) => {
    await tagged(['isolated_family'], '隔离户');
    await loginUI(page, COUNTY_USER);
    await goHash(page, '#/ledger/overdue');
    await tid(page, 'overdue-groups').waitFor();
    const groups = page.locator('[data-testid="overdue-group"]');
    assert.ok((await groups.count()) >= 1);
    for (const code of await groups.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-region')))) {
      assert.match(code, /^370704\d{3}$/, 'one row per township of the county');
    }
    const town = page.locator('[data-testid="overdue-group"][data-region="370704008"]');
    const n = Number((await town.locator('[data-testid="overdue-group-count"]').textContent()).replace(/,/g, ''));
    assert.ok(n >= 1);
    await waitForFresh(page, 'overdue-total', () => town.locator('a').click());
    for (const code of await page.locator('[data-testid="overdue-group"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-region')))) {
      assert.match(code, /^370704008\d{3}$/, 'then one row per village');
    }
    assert.match(await tid(page, 'overdue-total').textContent(), new RegExp(`应访未访 ${n} 人`));
  }, { name: 'ledger-county' }));

test('摸底 on a phone: one household a screen, saved as survey visits', () =>
  br.run(async ({ page }) => {
    const a = await tagged(['left_behind_elderly'], '摸底甲');
    await tagged(['left_behind_elderly'], '摸底乙');
    await loginUI(page, VILLAGE_USER);
    await goHash(page, '#/ledger/survey');
    await tid(page, 'survey-card').waitFor();
    // walk to household a
    for (let i = 0; i < 200 && (await tid(page, 'survey-card').getAttribute('data-id')) !== String(a); i++) {
      await waitForFresh(page, 'survey-card', () => tid(page, 'survey-skip').click());
    }
    assert.equal(await tid(page, 'survey-card').getAttribute('data-id'), String(a));
    await tid(page, 'survey-need-masks').check();
    await tid(page, 'survey-need-masks-detail').fill('需要口罩 10 只');
    await waitForFresh(page, 'survey-card', () => tid(page, 'survey-save').click());
    assert.match(await tid(page, 'survey-progress').textContent(), /已登记 1 户/);
    const e = await village.get(`/api/v1/ledger/entries/${a}`);
    assert.equal(e.visit_list[0].mode, 'survey');
    assert.equal(e.needs[0].kind, 'masks');
    assert.equal(e.needs[0].detail, '需要口罩 10 只');
    // nothing overflows sideways on the phone
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false);
  }, { viewport: { width: 390, height: 844 }, name: 'ledger-survey' }));

test('the township sets its 24-hour number and the printable notice shows it', () =>
  br.run(async ({ page }) => {
    await loginUI(page, TOWN_USER);
    await goHash(page, `#/ledger/notice/${VILLAGE}`);
    await tid(page, 'ledger-notice-sheet').waitFor();
    await tid(page, 'contact-phone').fill('0536 8765432');
    await waitForFresh(page, 'ledger-notice-sheet', () => tid(page, 'contact-save').click());
    assert.match(await tid(page, 'ledger-notice-phone').textContent(), /0536-8765432/);
    // print: only the sheet
    await page.emulateMedia({ media: 'print' });
    assert.equal(await tid(page, 'contact-save').isVisible(), false);
    assert.equal(await tid(page, 'nav-ledger').isVisible(), false);
    assert.equal(await tid(page, 'ledger-notice-sheet').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
    // the village worker sees the number on the ledger
    const v = await village.get('/api/v1/ledger/notice/' + VILLAGE);
    assert.equal(v.contact.phone, '0536-8765432');
  }, { name: 'ledger-notice' }));
