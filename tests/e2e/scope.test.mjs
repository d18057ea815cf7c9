// scope.test.mjs — what a user may see: a township assistant is kept to the township, and only
// roles with registry.unmask can show full ID numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import {
  FULL_ID, MASKED_ID, apiLogin, goHash, loginUI, openBrowser, texts, tid, waitForFresh,
} from '../lib/browser.mjs';

const TOWNSHIP = '370704008'; // 太保庄街道
let srv;
let br;
let admin;
before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  admin = await apiLogin(srv.url, 'admin');
});
after(async () => {
  await br?.close();
  await srv?.stop();
});

async function firstPerson(region) {
  const p = (await admin.get(`/api/v1/persons?region=${region}&limit=1`)).items[0];
  assert.ok(p, `the demo has someone in ${region}`);
  return p;
}

/** The result rows' [personId, region code]. */
async function resultRows(page) {
  return page.locator('[data-testid="search-row"]').evaluateAll((trs) => trs.map((tr) => ({
    personId: Number(tr.getAttribute('data-person-id')),
    region: tr.querySelector('td[data-label="村居"]').textContent.trim(),
  })));
}

async function searchHash(page, hash) {
  await goHash(page, hash);
  await page.locator('[data-testid="search-total"], [data-testid="search-error"]:visible').first().waitFor();
}

test('a township assistant opening another township\'s household sees the not-found message', () =>
  br.run(async ({ page }) => {
    const other = await firstPerson('370702'); // 潍城区
    const neighbour = await firstPerson('370704005'); // 坊城街道, same county
    const own = await firstPerson(TOWNSHIP);
    await loginUI(page, 'township_370704008');

    for (const p of [other, neighbour]) {
      await goHash(page, `#/household/${p.household_id}`);
      const err = tid(page, 'page-error');
      await err.waitFor();
      assert.match((await err.textContent()).trim(), /未找到该家庭，或不在您的管辖范围内/);
      assert.equal(await tid(page, 'member-row').count(), 0, `no members of household ${p.household_id}`);
      assert.equal(await page.getByText(p.name).count(), 0, `${p.name} is not on the page`);
    }

    // and their own township's household does open (the message is about scope, not a broken page)
    await goHash(page, `#/household/${own.household_id}`);
    await page.locator(`[data-testid="member-row"][data-person-id="${own.id}"]`).waitFor();
  }, { name: 'scope-household-not-found' }));

test('a township assistant\'s search never shows other townships\' people', () =>
  br.run(async ({ page }) => {
    const other = await firstPerson('370702');
    const neighbour = await firstPerson('370704005');
    const mine = await (await apiLogin(srv.url, 'township_370704008')).get('/api/v1/persons?limit=1');
    await loginUI(page, 'township_370704008');
    await tid(page, 'nav-search').click();
    await tid(page, 'search-hint').waitFor();

    const checkRows = async (what) => {
      const rs = await resultRows(page);
      for (const r of rs) assert.ok(r.region.startsWith(TOWNSHIP), `${what}: row of person ${r.personId} in ${r.region}`);
      for (const p of [other, neighbour]) assert.ok(!rs.some((r) => r.personId === p.id), `${what}: ${p.name} (#${p.id}) not listed`);
      return rs;
    };

    // everyone: only the township, with the township's total
    await tid(page, 'search-submit').click();
    await page.waitForURL(/#\/search\?q=$/);
    await tid(page, 'search-total').waitFor();
    assert.equal((await tid(page, 'search-total').textContent()).trim(), `共 ${mine.total} 条`);
    assert.ok((await checkRows('all')).length > 0);
    // the last page too
    const lastOffset = Math.floor((mine.total - 1) / 20) * 20;
    await searchHash(page, `#/search?q=&offset=${lastOffset}`);
    await page.locator('[data-testid="search-range"]', { hasText: `第 ${lastOffset + 1}–` }).waitFor();
    await checkRows('last page');

    // by the names and ID tails of people elsewhere
    for (const p of [other, neighbour]) {
      for (const q of [p.name, p.id_number.slice(-4)]) {
        await tid(page, 'search-q').fill(q);
        await waitForFresh(page, 'search-total', () => tid(page, 'search-submit').click());
        assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1] || '').get('q'), q);
        await checkRows(`q=${q}`);
      }
    }

    // an explicit filter on another county answers an error and no rows
    await searchHash(page, '#/search?q=&region=370702');
    assert.equal(await tid(page, 'search-row').count(), 0, 'no rows for region=370702');
    const errs = (await texts(page.locator('[data-testid="search-error"], [data-testid="search-region-error"]'))).join(' ');
    assert.match(errs, /管辖范围/, `an out-of-scope message is shown: "${errs}"`);
  }, { name: 'scope-search' }));

test('county staff unmask a household and see full 18-character IDs with the audit note', () =>
  br.run(async ({ page }) => {
    const p = await firstPerson('370704');
    const full = await admin.get(`/api/v1/households/${p.household_id}?unmask=1`);
    const fullById = new Map(full.members.map((m) => [m.id, m.id_number]));
    await loginUI(page, 'county_370704');
    await goHash(page, `#/household/${p.household_id}`);
    await tid(page, 'member-row').first().waitFor();
    const ids = () => page.locator('[data-testid="member-row"]').evaluateAll((trs) => trs.map((tr) =>
      [Number(tr.getAttribute('data-person-id')), tr.querySelector('[data-testid="member-cell-id-number"]').textContent.trim()]));
    for (const [, id] of await ids()) assert.match(id, MASKED_ID, 'masked before unmasking');
    assert.equal(await tid(page, 'unmask-note').count(), 0);

    const btn = tid(page, 'unmask-button');
    assert.equal((await btn.textContent()).trim(), '显示完整信息');
    const answered = page.waitForResponse((r) => r.url().includes(`/api/v1/households/${p.household_id}?unmask=1`));
    await btn.click();
    assert.equal((await answered).status(), 200);
    await tid(page, 'unmask-note').waitFor();
    assert.equal((await tid(page, 'unmask-note').textContent()).trim(), '此次查看已记录审计');
    const shown = await ids();
    assert.ok(shown.length > 0);
    for (const [pid, id] of shown) {
      assert.match(id, FULL_ID, `full ID shown for person ${pid}`);
      assert.equal(id.length, 18);
      assert.equal(id, fullById.get(pid), `person ${pid}: the ID the server holds`);
    }
    assert.equal((await tid(page, 'unmask-button').textContent()).trim(), '恢复脱敏显示');
    assert.equal(await tid(page, 'unmask-button').getAttribute('aria-pressed'), 'true');

    // and back to masked
    await tid(page, 'unmask-button').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="unmask-note"]'));
    for (const [, id] of await ids()) assert.match(id, MASKED_ID, 'masked again');
  }, { name: 'scope-unmask-county' }));

test('a leader sees a household masked and no unmask button', () =>
  br.run(async ({ page }) => {
    const p = await firstPerson('370704');
    await loginUI(page, 'leader');
    await goHash(page, `#/household/${p.household_id}`);
    await page.locator(`[data-testid="member-row"][data-person-id="${p.id}"]`).waitFor();
    assert.equal(await tid(page, 'unmask-button').count(), 0, 'no 显示完整信息 for a leader');
    assert.equal(await page.getByText('显示完整信息').count(), 0);
    for (const id of await texts(page.locator('[data-testid="member-cell-id-number"]'))) assert.match(id, MASKED_ID);
    assert.equal(await tid(page, 'edit-submit').count(), 0, 'a read-only leader gets no edit form');
    assert.equal(await tid(page, 'detail-add-submit').count(), 0, 'nor the add-member form');
  }, { name: 'scope-leader-no-unmask' }));
