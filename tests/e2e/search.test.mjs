// search.test.mjs — person search: by name prefix, by ID tail, paging, back/forward.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import {
  MASKED_ID, apiLogin, fmtCount, keepShot, loginUI, openBrowser, tid, waitForFresh,
} from '../lib/browser.mjs';

let srv;
let br;
let admin;
let sample; // a real person from the API
before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  admin = await apiLogin(srv.url, 'admin');
  const list = await admin.get('/api/v1/persons?region=370704&limit=50');
  // someone whose two-character name prefix is shared by only a few (so one page holds them all)
  for (const p of list.items) {
    if ([...p.name].length < 2) continue;
    const pre = [...p.name].slice(0, 2).join('');
    const r = await admin.get(`/api/v1/persons?q=${encodeURIComponent(pre)}&limit=200`);
    if (r.total >= 1 && r.total <= 20) {
      sample = { ...p, prefix: pre, prefixTotal: r.total };
      break;
    }
  }
  assert.ok(sample, 'found a demo person with a rare two-character name prefix');
});
after(async () => {
  await br?.close();
  await srv?.stop();
});

/** Type q in the search form and submit; wait for the results or the empty state. */
async function search(page, q) {
  await tid(page, 'search-q').fill(q);
  await waitForFresh(page, 'search-total', () => tid(page, 'search-submit').click());
  assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1]).get('q'), q, 'the query is in the hash');
}

/** The result rows: [{personId, name, id, region}]. */
async function rows(page) {
  return page.locator('[data-testid="search-row"]').evaluateAll((trs) => trs.map((tr) => ({
    personId: Number(tr.getAttribute('data-person-id')),
    name: tr.querySelector('td[data-label="姓名"] a').textContent.trim(),
    id: tr.querySelector('td[data-label="身份证号"]').textContent.trim(),
    region: tr.querySelector('td[data-label="村居"]').textContent.trim(),
  })));
}

const totalText = async (page) => (await tid(page, 'search-total').textContent()).trim();

async function openSearch(page) {
  await loginUI(page, 'admin');
  await tid(page, 'nav-search').click();
  await page.waitForURL(/#\/search$/);
  await tid(page, 'search-hint').waitFor();
}

test('search by name prefix lists the matching people with masked IDs and the total', () =>
  br.run(async ({ page }) => {
    await openSearch(page);
    await search(page, sample.prefix);
    assert.equal(await totalText(page), `共 ${fmtCount(sample.prefixTotal)} 条`);
    const rs = await rows(page);
    assert.equal(rs.length, sample.prefixTotal, 'all matches on one page');
    for (const r of rs) {
      assert.ok(r.name.startsWith(sample.prefix), `"${r.name}" starts with "${sample.prefix}"`);
      assert.match(r.id, MASKED_ID, `masked ID shown: ${r.id}`);
    }
    const me = rs.find((r) => r.personId === sample.id);
    assert.ok(me, `the sampled person ${sample.name} (#${sample.id}) is listed`);
    assert.equal(me.id, sample.id_number);
    await keepShot(page, 'search');
  }, { name: 'search-name-prefix' }));

test('search by the last 4 digits of an ID finds that person, masked', () =>
  br.run(async ({ page }) => {
    const tail = sample.id_number.slice(-4);
    const api = await admin.get(`/api/v1/persons?q=${tail}&limit=20`);
    await openSearch(page);
    await search(page, tail);
    assert.equal(await totalText(page), `共 ${fmtCount(api.total)} 条`);
    const rs = await rows(page);
    assert.ok(rs.length >= 1);
    for (const r of rs) {
      assert.match(r.id, MASKED_ID, `masked ID shown: ${r.id}`);
      assert.ok(r.id.endsWith(tail), `${r.id} ends with ${tail}`);
    }
    assert.ok(rs.some((r) => r.personId === sample.id), `${sample.name} (#${sample.id}) is among the results`);
  }, { name: 'search-id-tail' }));

test('paging next/prev changes the rows and the range, and prev brings the first page back', () =>
  br.run(async ({ page }) => {
    const surname = [...sample.name][0];
    const api = await admin.get(`/api/v1/persons?q=${encodeURIComponent(surname)}&limit=20`);
    assert.ok(api.total > 40, `surname ${surname} has more than two pages (${api.total})`);
    const pages = Math.ceil(api.total / 20);
    await openSearch(page);
    await search(page, surname);
    assert.equal(await totalText(page), `共 ${fmtCount(api.total)} 条`);
    assert.equal((await tid(page, 'search-range').textContent()).trim(), `第 1–20 条，第 1/${pages} 页`);
    assert.ok(await tid(page, 'search-prev').isDisabled(), 'no previous page on page 1');
    const first = (await rows(page)).map((r) => r.personId);
    assert.equal(first.length, 20);
    assert.deepEqual(first, api.items.map((p) => p.id), 'page 1 = the API\'s first 20');

    await tid(page, 'search-next').click();
    await page.waitForURL(/offset=20/);
    await page.locator('[data-testid="search-range"]', { hasText: '第 21–40 条' }).waitFor();
    const second = (await rows(page)).map((r) => r.personId);
    assert.equal(second.length, 20);
    assert.ok(second.every((id) => !first.includes(id)), 'page 2 shares no row with page 1');
    const api2 = await admin.get(`/api/v1/persons?q=${encodeURIComponent(surname)}&limit=20&offset=20`);
    assert.deepEqual(second, api2.items.map((p) => p.id), 'page 2 = the API\'s next 20');
    assert.equal(await tid(page, 'search-q').inputValue(), surname, 'the query stays in the box');
    assert.ok(!(await tid(page, 'search-prev').isDisabled()));

    await tid(page, 'search-prev').click();
    await page.locator('[data-testid="search-range"]', { hasText: '第 1–20 条' }).waitFor();
    assert.doesNotMatch(page.url(), /offset=/);
    assert.deepEqual((await rows(page)).map((r) => r.personId), first, 'prev shows page 1 again');
  }, { name: 'search-paging' }));

test('the back button restores the previous query and its results', () =>
  br.run(async ({ page }) => {
    const tail = sample.id_number.slice(-4);
    await openSearch(page);
    await search(page, sample.prefix);
    const firstRows = await rows(page);
    const firstTotal = await totalText(page);
    await search(page, tail);
    assert.equal(await tid(page, 'search-q').inputValue(), tail);
    assert.notDeepEqual(await rows(page), firstRows, 'the second query shows other rows');

    await waitForFresh(page, 'search-total', () => page.goBack());
    assert.equal(new URLSearchParams(new URL(page.url()).hash.split('?')[1] || '').get('q'), sample.prefix);
    assert.equal(await totalText(page), firstTotal);
    assert.equal(await tid(page, 'search-q').inputValue(), sample.prefix, 'the query box shows the previous query');
    assert.deepEqual(await rows(page), firstRows, 'the previous results are back');

    await waitForFresh(page, 'search-total', () => page.goForward());
    assert.equal(await tid(page, 'search-q').inputValue(), tail);
    const again = await rows(page);
    assert.ok(again.length >= 1 && again.every((r) => r.id.endsWith(tail)), 'forward shows the ID-tail results again');
  }, { name: 'search-back' }));

test('a result row opens its household', () =>
  br.run(async ({ page }) => {
    await openSearch(page);
    await search(page, sample.prefix);
    const row = page.locator(`[data-testid="search-row"][data-person-id="${sample.id}"]`);
    await row.locator('td[data-label="性别"]').click();
    await page.waitForURL(new RegExp(`#/household/${sample.household_id}$`));
    await page.locator(`[data-testid="member-row"][data-person-id="${sample.id}"]`).waitFor();
  }, { name: 'search-row-opens-household' }));
