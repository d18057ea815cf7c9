// xss.test.mjs — stored script injection: names and free text holding `<script>`, an `<img>` with
// onerror and a `"><svg onload=…>` are stored through the API (a household's members and address,
// an institution's name and contact, a hotline call's caller and description, a ledger visit's
// findings), and the pages that show them render the text literally: no payload sets its window
// flag, no element with an inline handler appears, and the page throws nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { makeId, makePhone } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser } from '../lib/browser.mjs';

const VILLAGE = '370704008231';
// Short enough for a person's name (at most 30 characters); each would set its own flag if run.
const P = {
  script: '<script>__xss1=1</script>',
  img: '<img src=x onerror=__xss2=1>',
  svg: '"><svg onload=__xss3=1>',
};
const ALL = Object.values(P);

let srv, br, admin;
const made = {};

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  admin = await apiLogin(srv.url, 'admin');

  const hh = await admin.post('/api/v1/households', {
    region_code: VILLAGE,
    address: P.svg,
    residence_type: 'rural',
    members: [
      { id_number: makeId({ birth: '1938-05-01' }), name: P.script, relation: 'head', tags: ['elderly_alone'] },
      { id_number: makeId({ birth: '1940-03-01' }), name: P.img, relation: 'spouse' },
    ],
  });
  made.household = hh.id;
  made.head = hh.head_person_id;

  const inst = await admin.post('/api/v1/institutions', {
    name: P.img, type: 'elderly_home', region_code: '370704003', opened_on: '2020-01-01',
    capacity: 60, residents: 40, staff: 8, contact_name: P.svg, contact_phone: makePhone(),
  });
  made.institution = inst.id;

  const call = await admin.post('/api/v1/hotline/calls', {
    line_code: 'child', duration_seconds: 60, caller_name: P.svg, caller_phone: makePhone(),
    region_code: VILLAGE, category: 'child_care', urgency: 'normal',
    description: ALL.join(' '), outcome: 'advice', advice: P.script,
  });
  made.call = call.id;

  await admin.post(`/api/v1/ledger/entries/${made.head}/visits`, {
    mode: 'home', visitor: P.img, findings: ALL.join(' '), actions: P.script,
  });
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

/** After the page shows `expect` (literally), no payload ran and no injected element exists. */
async function assertInert(page, expect) {
  for (const t of expect) await page.getByText(t, { exact: false }).first().waitFor();
  const found = await page.evaluate(() => ({
    flags: [window.__xss1, window.__xss2, window.__xss3],
    handlers: document.querySelectorAll('[onerror], [onload]').length,
    inlineScripts: [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent),
    strayImg: document.querySelectorAll('img[src="x"]').length,
  }));
  assert.deepEqual(found.flags, [undefined, undefined, undefined], 'no payload ran');
  assert.equal(found.handlers, 0, 'no element with an inline event handler');
  assert.deepEqual(found.inlineScripts, [], 'no inline script element');
  assert.equal(found.strayImg, 0, 'no injected <img src=x>');
}

test('a household whose members are named <script>…</script> and <img onerror> and whose address is "><svg onload> shows them as text', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'admin');
    await goHash(page, `#/household/${made.household}`);
    await assertInert(page, [P.script, P.img, P.svg]);
  }, { name: 'xss-household' }));

test('the person search lists a <script> name as text', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'admin');
    await goHash(page, `#/search?q=${encodeURIComponent('<script>')}`);
    await assertInert(page, [P.script]);
  }, { name: 'xss-search' }));

test('an institution named <img onerror> with an "><svg onload> contact shows both as text', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'admin');
    await goHash(page, `#/institutions/${made.institution}`);
    await assertInert(page, [P.img]);
    await goHash(page, '#/institutions/list');
    await assertInert(page, [P.img]);
  }, { name: 'xss-institution' }));

test('a hotline call whose description and caller hold the payloads shows them as text', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'admin');
    await goHash(page, `#/hotline/call/${made.call}`);
    await assertInert(page, [P.script, P.img]);
  }, { name: 'xss-hotline-call' }));

test('a ledger visit whose findings hold the payloads shows them as text on the entry', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'admin');
    await goHash(page, `#/ledger/entry/${made.head}`);
    await assertInert(page, [P.script, P.img, P.svg]);
  }, { name: 'xss-ledger-visit' }));
