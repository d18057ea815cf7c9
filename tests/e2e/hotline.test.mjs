// hotline.test.mjs — the child-protection line in the browser (docs/hotline.md): the operator
// takes a call about a child whose parents were taken into isolation and opens the case on the
// same screen, with the child found in the registry and the guardian chosen among the household;
// the county's staff assess it, make a plan, place the child in temporary care, are refused the
// closure while the child is still in care, follow up, end the care when the parents are back
// and close the case; the desk's county view counts it. Also: a call out of the line's scope
// shows the reason next to the field and stores nothing.
//
// Each test can run alone: the second builds on the case of the first when it got there,
// otherwise it opens one over the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { makeId, makePhone, todayShanghai } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid, texts } from '../lib/browser.mjs';

const VILLAGE = '370704008231'; // 栾家山后村, 太保庄街道, 坊子区

let srv, br, admin, op;
const flow = { caseId: null, child: null };

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  admin = await apiLogin(srv.url, 'admin');
  op = await apiLogin(srv.url, 'hotline');
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

let serial = 0;
/** A household in the village: a guardian (head) and a child of 7. */
async function family() {
  serial++;
  const y = Number(todayShanghai().slice(0, 4));
  const name = `热线童${'甲乙丙丁戊'[serial % 5]}${serial}`;
  const hh = await admin.post('/api/v1/households', {
    region_code: VILLAGE, address: `栾家山后村 ${serial} 号`, residence_type: 'rural', phone: makePhone(),
    members: [
      { id_number: makeId({ birth: `${y - 35}-05-01` }), name: `热线父${serial}`, relation: 'head', phone: makePhone() },
      { id_number: makeId({ birth: `${y - 7}-05-01` }), name, relation: 'child' },
    ],
  });
  return { hh, name, child: hh.members.find((m) => m.relation === 'child'), guardian: hh.members.find((m) => m.relation === 'head') };
}

/** Open a step's dialog on the case page, fill it and submit. */
async function step(page, name, values, { status } = {}) {
  await tid(page, `step-${name}`).click();
  const dlg = tid(page, 'dialog');
  await dlg.waitFor();
  for (const [field, v] of Object.entries(values)) {
    const input = tid(page, `dialog-${field}`);
    if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(v);
    else await input.fill(v);
  }
  await tid(page, 'dialog-submit').click();
  if (status) {
    await dlg.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="hotline-case-head"] [data-testid="hotline-status"][data-status="${status}"]`).waitFor();
  }
}

const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

test('the operator turns a call into a child-protection case on one screen', () => br.run(async ({ page }) => {
  const f = await family();
  await loginUI(page, 'hotline');
  await goHash(page, '#/hotline/new');
  await tid(page, 'call-form').waitFor();
  await tid(page, 'call-line-code').selectOption('child');
  assert.equal(await tid(page, 'call-category').inputValue(), 'child_care', 'the child line preselects the category');
  await tid(page, 'call-duration-seconds').fill('6');
  await tid(page, 'call-caller-name').fill('李邻居');
  await tid(page, 'call-caller-phone').fill('139 0536 1234');
  await tid(page, 'call-urgency').selectOption('emergency');
  await tid(page, 'call-description').fill('邻居家孩子的父母都被集中隔离了，孩子一个人在家');
  await tid(page, 'call-outcome').selectOption('case_opened');
  await tid(page, 'call-case-section').waitFor();
  // the child from the registry: the village, the guardian and his name come with it
  await tid(page, 'case-person-q').fill(f.name);
  await tid(page, 'case-person-search').click();
  await tid(page, 'case-person-pick').first().click();
  await page.locator('[data-testid="case-person-picked"]', { hasText: f.name }).waitFor();
  await page.waitForFunction((v) => document.querySelector('[data-testid="call-region-village"]').value === v, VILLAGE);
  // the guardian comes with the child's household, read after the pick: wait for it
  await page.waitForFunction((id) => document.querySelector('[data-testid="call-case-guardian-person-id"]').value === id, String(f.guardian.id));
  assert.equal(await tid(page, 'call-case-subject-name').inputValue(), f.name);
  assert.equal(await tid(page, 'call-case-guardian-person-id').inputValue(), String(f.guardian.id));
  assert.equal(await tid(page, 'call-case-guardian-name').inputValue(), f.guardian.name);
  await tid(page, 'call-case-guardian-situation').selectOption('isolated');
  await tid(page, 'call-case-care-arrangement').selectOption('none');
  await tid(page, 'call-submit').click();
  await page.waitForURL(/#\/hotline\/case\/\d+$/);
  const id = Number(/case\/(\d+)$/.exec(page.url())[1]);
  await tid(page, 'hotline-case-head').waitFor();
  assert.equal(await text(page, 'case-subject'), f.name);
  assert.match(await text(page, 'case-situation'), /监护人被隔离/);
  assert.equal(await page.locator('[data-testid="hotline-status"]').first().getAttribute('data-status'), 'intake');
  assert.match(await text(page, 'case-due'), /评估时限 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  assert.match(await text(page, 'case-id-number'), /^\d{6}\*{8}\d{3}[\dX]$/, 'the ID number masked for the operator');
  // the operator may assess or assign, nothing else yet
  assert.deepEqual(await page.locator('[data-testid^="step-"]').evaluateAll((b) => b.map((x) => x.dataset.testid)), ['step-assess', 'step-assign']);
  // the call record links to the case and keeps the phone masked
  await tid(page, 'case-call-link').click();
  await tid(page, 'call-head').waitFor();
  assert.equal(await text(page, 'call-phone'), '139****1234');
  assert.equal(await tid(page, 'call-unmask').count(), 0, 'no unmask for an operator');
  flow.caseId = id;
  flow.child = f;
}, { name: 'hotline-call-to-case' }));

test('county staff take the case through temporary care to closure', () => br.run(async ({ page }) => {
  let id = flow.caseId;
  if (!id) {
    const f = await family();
    const call = await op.post('/api/v1/hotline/calls', {
      line_code: 'child', region_code: VILLAGE, category: 'child_care', description: '父母被隔离', urgency: 'emergency',
      outcome: 'case_opened', case: { subject_person_id: f.child.id, guardian_person_id: f.guardian.id, guardian_situation: 'isolated' },
    });
    id = call.case_id;
  }
  await loginUI(page, 'county_370704');
  await goHash(page, `#/hotline/case/${id}`);
  await tid(page, 'hotline-case-head').waitFor();
  await step(page, 'assess', { risk: 'high', findings: '入户核实：孩子独自在家', guardian_situation: 'isolated', care_arrangement: 'none' }, { status: 'assessed' });
  await step(page, 'plan', { plan: '送儿童福利院临时照料，每 3 天回访，父母解除隔离后接回' }, { status: 'active' });
  assert.match(await text(page, 'case-plan'), /每 3 天回访/);
  await step(page, 'place', { kind: 'institution', place_name: '潍坊市儿童福利院', institution_id: '1', carer_name: '张老师' }, { status: 'active' });
  await tid(page, 'case-placement').waitFor();
  assert.equal(await tid(page, 'case-placement').getAttribute('data-open'), 'true');
  assert.match(await text(page, 'case-care'), /机构临时照料：潍坊市儿童福利院/);
  // closing while the child is in care: refused with the reason, the dialog stays open
  await step(page, 'close', { outcome: 'guardian_resumed' });
  await page.locator('[data-testid="dialog-error"]:not([hidden])').waitFor();
  assert.match(await text(page, 'dialog-error'), /仍在临时照料中/);
  await tid(page, 'dialog-cancel').click();
  await tid(page, 'dialog').waitFor({ state: 'detached' });
  await step(page, 'followup', { kind: 'phone', note: '孩子情绪稳定，生活正常' }, { status: 'active' });
  await step(page, 'place_end', { note: '父母解除隔离，接回家中' }, { status: 'active' });
  assert.equal(await tid(page, 'case-placement').getAttribute('data-open'), 'false');
  assert.match(await text(page, 'case-care'), /监护人照料/);
  await step(page, 'close', { outcome: 'guardian_resumed', note: '监护人恢复监护' }, { status: 'closed' });
  assert.match(await text(page, 'case-closed'), /监护人恢复监护/);
  assert.deepEqual(await page.locator('[data-testid="case-step"]').evaluateAll((li) => li.map((x) => x.dataset.step)),
    ['open', 'assess', 'plan', 'place', 'followup', 'place_end', 'close']);
  assert.deepEqual(await page.locator('[data-testid^="step-"]').evaluateAll((b) => b.map((x) => x.dataset.testid)), ['step-reopen']);
  // the county's full view of the child's ID number, audited on the server
  await tid(page, 'case-unmask').click();
  await page.waitForFunction(() => /^\d{17}[\dX]$/.test(document.querySelector('[data-testid="case-id-number"]')?.textContent.trim() || ''));
  // the desk: the county view counts the case closed today
  const today = todayShanghai();
  await goHash(page, `#/hotline?from=${today}&to=${today}`);
  const row = page.locator('[data-testid="overview-row"][data-region="370704"]');
  await row.waitFor();
  const closed = Number(await row.locator('[data-key="closed"]').textContent());
  assert.ok(closed >= 1, `closed today: ${closed}`);
  assert.deepEqual(await texts(page.locator('[data-testid="overview-row"] td:first-child')), ['坊子区'], 'the county sees its own row only');
}, { name: 'hotline-case-to-closure' }));

test('a call out of the child line\'s scope is refused with the reason beside the field', () => br.run(async ({ page }) => {
  await loginUI(page, 'hotline');
  await goHash(page, '#/hotline/new');
  await tid(page, 'call-form').waitFor();
  await tid(page, 'call-line-code').selectOption('child');
  await tid(page, 'call-region-county').selectOption('370704');
  await tid(page, 'call-description').fill('咨询孩子在家如何照料');
  await tid(page, 'call-outcome').selectOption('case_opened');
  await tid(page, 'call-case-subject-name').fill('王小宝');
  await tid(page, 'call-case-guardian-situation').selectOption('none');
  const before = (await op.get('/api/v1/hotline/calls?limit=1')).total;
  await tid(page, 'call-submit').click();
  await page.locator('[data-testid="call-case-guardian-situation-error"]', { hasText: '能够照料' }).waitFor();
  assert.match(await text(page, 'call-form-error'), /不属于儿童救助保护范围/);
  assert.match(page.url(), /#\/hotline\/new$/);
  assert.equal((await op.get('/api/v1/hotline/calls?limit=1')).total, before, 'nothing stored');
}, { name: 'hotline-out-of-scope' }));
