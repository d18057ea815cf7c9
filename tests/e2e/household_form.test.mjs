// household_form.test.mjs — registering a household through the form (#/household/new): a
// successful two-member registration, the live check-digit error, and a server-side 409 shown
// next to the member field it names.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import {
  FULL_ID, MASKED_ID, apiLogin, keepShot, loginUI, openBrowser, texts, tid,
} from '../lib/browser.mjs';
import { checkChar, makeId, makeId17, maskId, wrongCheckChar } from './idnum.mjs';

const VILLAGE = '370704008231'; // 栾家山后村委会, 太保庄街道, 坊子区

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

// Names the demo data does not use, different in every run.
const NAME_CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
let nameSerial = Date.now() % 400;
function testName(prefix) {
  nameSerial++;
  return prefix + NAME_CHARS[nameSerial % NAME_CHARS.length] + NAME_CHARS[Math.floor(nameSerial / NAME_CHARS.length) % NAME_CHARS.length];
}

/** A valid ID not yet registered (checked through the API). */
async function freshId(opts) {
  for (;;) {
    const id = makeId(opts);
    const r = await admin.get(`/api/v1/persons?q=${id}`);
    if (r.total === 0) return id;
  }
}

/** Figures that a rejected submit must leave unchanged. */
async function counts() {
  const village = await admin.get(`/api/v1/regions/${VILLAGE}`);
  const all = await admin.get('/api/v1/persons?limit=1');
  return { households: village.household_count, persons: village.person_count, allPersons: all.total };
}

/** Log in, open the form from the nav, and fill the household part. */
async function openForm(page, user, { typeRegion = true } = {}) {
  await loginUI(page, user);
  await tid(page, 'nav-new-household').click();
  await page.waitForURL(/#\/household\/new$/);
  if (typeRegion) {
    await tid(page, 'hh-region').fill(VILLAGE);
    await tid(page, 'hh-region').blur();
  }
  await page.locator('[data-testid="hh-region-name"]', { hasText: '栾家山后村' }).waitFor();
  await tid(page, 'hh-residence').selectOption('rural');
  await tid(page, 'hh-address').fill('坊子区太保庄街道栾家山后村 前街 8 号');
}

/** Fill member row i. */
async function fillMember(page, i, { id, name, relation }) {
  if (i > 0 && (await tid(page, `member-row-${i}`).count()) === 0) {
    await tid(page, 'add-member').click();
    await tid(page, `member-row-${i}`).waitFor();
  }
  await tid(page, `member-id-${i}`).pressSequentially(id);
  await tid(page, `member-name-${i}`).fill(name);
  if (relation) await tid(page, `member-relation-${i}`).selectOption(relation);
}

const errorText = async (page, id) => ((await tid(page, id).textContent()) || '').trim();

test('creating a household with two members through the form lands on its detail page with masked IDs', () =>
  br.run(async ({ page }) => {
    const head = await freshId({ male: true });
    const spouse = await freshId({ male: false });
    const headName = testName('试');
    const spouseName = testName('验');
    await openForm(page, 'township_370704008');
    const hint = (await tid(page, 'hh-region-name').textContent()).trim();
    assert.match(hint, /坊子区.*太保庄街道.*栾家山后村/, `region hint: ${hint}`);
    await tid(page, 'hh-phone').fill('0536-7612345');

    assert.equal(await tid(page, 'member-relation-0').inputValue(), 'head', 'the first member is 户主 by default');
    await fillMember(page, 0, { id: head, name: headName });
    await fillMember(page, 1, { id: spouse, name: spouseName, relation: 'spouse' });
    await tid(page, 'member-name-1').blur();
    assert.equal(await errorText(page, 'member-error-id-0'), '');
    assert.equal(await errorText(page, 'member-error-id-1'), '');

    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/households') && r.request().method() === 'POST');
    await tid(page, 'hh-submit').click();
    const res = await posted;
    assert.equal(res.status(), 201, `POST /api/v1/households: ${res.status()} ${await res.text()}`);
    const created = await res.json();
    await page.waitForURL(new RegExp(`#/household/${created.id}$`));
    await tid(page, 'hh-detail').waitFor();
    await tid(page, 'member-row').nth(1).waitFor();

    assert.equal((await tid(page, 'hh-detail-id').textContent()).trim(), String(created.id));
    assert.equal((await tid(page, 'hh-detail-member-count').textContent()).trim(), '2');
    assert.equal((await tid(page, 'hh-detail-head').textContent()).trim(), headName);
    const members = await page.locator('[data-testid="member-row"]').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.querySelector('td[data-label="姓名"]').textContent.trim(),
      id: tr.querySelector('[data-testid="member-cell-id-number"]').textContent.trim(),
      relation: tr.querySelector('[data-testid="member-cell-relation"]').textContent.trim(),
    })));
    assert.deepEqual(members, [
      { name: headName, id: maskId(head), relation: '户主' },
      { name: spouseName, id: maskId(spouse), relation: '配偶' },
    ]);
    for (const m of members) assert.match(m.id, MASKED_ID);
    const body = await page.locator('body').textContent();
    assert.ok(!body.includes(head) && !body.includes(spouse), 'no full ID number anywhere on the page');

    // The server has it as typed.
    const hh = await admin.get(`/api/v1/households/${created.id}?unmask=1`);
    assert.equal(hh.region_code, VILLAGE);
    assert.deepEqual(hh.members.map((m) => [m.id_number, m.name, m.relation]).sort(),
      [[head, headName, 'head'], [spouse, spouseName, 'spouse']].sort());
    await keepShot(page, 'household');
  }, { name: 'household-create' }));

test('an ID with a wrong check character shows 校验位错误 under that member and the form is not submitted', () =>
  br.run(async ({ page }) => {
    const before0 = await counts();
    const head = await freshId({ male: true });
    const id17 = makeId17({ male: false, check: 'X' }); // right character X: the message must say so
    const right = checkChar(id17);
    const wrong = wrongCheckChar(id17);
    assert.equal(right, 'X');
    const name1 = testName('错');

    const posts = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/households')) posts.push(r.url());
    });
    await openForm(page, 'admin');
    await fillMember(page, 0, { id: head, name: testName('对') });
    await fillMember(page, 1, { id: id17 + wrong, name: name1, relation: 'child' });

    const expected = `校验位错误：应为 ${right}，实为 ${wrong}`;
    await page.locator('[data-testid="member-error-id-1"]', { hasText: '校验位错误' }).waitFor();
    assert.equal(await errorText(page, 'member-error-id-1'), expected, 'shown while typing');
    assert.equal(await errorText(page, 'member-error-id-0'), '', 'the other member has no error');
    assert.equal(await tid(page, 'member-id-1').getAttribute('aria-invalid'), 'true');
    // the error line belongs to member 2's fieldset
    assert.equal(await page.locator('[data-testid="member-row-1"] [data-testid="member-error-id-1"]').count(), 1);

    await tid(page, 'hh-submit').click();
    await page.locator('[data-testid="form-error"]', { hasText: '请修正' }).waitFor();
    assert.equal(await errorText(page, 'member-error-id-1'), expected, 'still shown after submit');
    assert.match(page.url(), /#\/household\/new$/, 'still on the form');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'member-id-1', 'focus on the bad field');
    assert.equal(await tid(page, 'member-name-1').inputValue(), name1, 'typed values are kept');
    await page.waitForTimeout(200);
    assert.deepEqual(posts, [], 'no POST /api/v1/households was sent');
    assert.deepEqual(await counts(), before0, 'no household or person was created');
    assert.equal((await admin.get(`/api/v1/persons?q=${encodeURIComponent(name1)}`)).total, 0);
  }, { name: 'household-check-digit' }));

test('a server-side 409 (ID already registered) appears next to that member field', () =>
  br.run(async ({ page }) => {
    // An ID the demo registered, in another county (370702 潍城区), in full via admin's unmask.
    const someone = (await admin.get('/api/v1/persons?region=370702&limit=1')).items[0];
    const taken = (await admin.get(`/api/v1/persons/${someone.id}?unmask=1`)).id_number;
    assert.match(taken, FULL_ID);
    const before0 = await counts();
    const head = await freshId({ male: true });
    const name1 = testName('重');

    await openForm(page, 'admin');
    await fillMember(page, 0, { id: head, name: testName('主') });
    await fillMember(page, 1, { id: taken, name: name1, relation: 'sibling' });
    await tid(page, 'member-name-1').blur();
    assert.equal(await errorText(page, 'member-error-id-1'), '', 'the taken ID is valid in itself');

    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/households') && r.request().method() === 'POST');
    await tid(page, 'hh-submit').click();
    const res = await posted;
    const body = await res.json();
    assert.equal(res.status(), 409, `POST answered ${res.status()}: ${JSON.stringify(body)}`);
    assert.equal(body.error.code, 'duplicate_id_number');
    assert.equal(body.error.field, 'members[1].id_number');

    await page.locator('[data-testid="member-error-id-1"]', { hasText: /\S/ }).waitFor();
    assert.equal(await errorText(page, 'member-error-id-1'), body.error.message, 'the server message under member 2\'s ID');
    assert.match(body.error.message, /[\u4e00-\u9fff]/);
    assert.equal(await errorText(page, 'member-error-id-0'), '', 'not under member 1');
    assert.equal(await errorText(page, 'member-error-name-1'), '', 'not under member 2\'s name');
    assert.equal(await tid(page, 'member-id-1').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'member-id-1');
    assert.equal((await tid(page, 'form-error').textContent()).trim(), body.error.message, 'also at the top of the form');
    assert.match(page.url(), /#\/household\/new$/);
    assert.equal(await tid(page, 'member-id-1').inputValue(), taken, 'typed values are kept');
    assert.equal(await tid(page, 'member-id-0').inputValue(), head);
    assert.deepEqual(await counts(), before0, 'nothing was created');
  }, { name: 'household-409' }));

test('removing a member row renumbers the rows so errors still land on the right member', () =>
  br.run(async ({ page }) => {
    const taken = (await admin.get(`/api/v1/persons/${(await admin.get('/api/v1/persons?region=370702&limit=1')).items[0].id}?unmask=1`)).id_number;
    await openForm(page, 'admin');
    await fillMember(page, 0, { id: await freshId(), name: testName('首') });
    await fillMember(page, 1, { id: await freshId(), name: testName('删'), relation: 'child' });
    await fillMember(page, 2, { id: taken, name: testName('留'), relation: 'child' });
    await tid(page, 'member-remove-1').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="member-row-2"]'));
    assert.equal(await tid(page, 'member-id-1').inputValue(), taken, 'the third member is now the second');
    assert.deepEqual(await texts(page.locator('fieldset.member-row legend')), ['成员 1', '成员 2']);
    await tid(page, 'hh-submit').click();
    await page.locator('[data-testid="member-error-id-1"]', { hasText: /\S/ }).waitFor();
    assert.equal(await errorText(page, 'member-error-id-0'), '');
  }, { name: 'household-renumber' }));
