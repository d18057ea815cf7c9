// inspections.test.mjs — the inspection story in the browser (docs/inspections.md): an inspector
// of the city's team records a visit to 凤凰街道 with the full checklist, one item failing with a
// deadline already past; the visit's page shows the rectification item it became. The county
// user finds it on the overdue list with its days counted, opens it and submits the evidence of
// closure; the inspector verifies it and it leaves the overdue list. Also the duty page: who is
// on duty at an instant of the demo period.
//
// Each test can run alone: the item the county works on is taken from the test before it when
// that one got there, otherwise made over the API.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { todayShanghai } from '../lib/http.mjs';
import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, texts, tid, waitForFresh } from '../lib/browser.mjs';

const TOWN = '370704003'; // 凤凰街道, 坊子区
const FAILING = 'closed_no_visitors'; // 外来人员不进入
const DEADLINE = '2020-03-06';

let srv, br;
let rectId; // the item made by the first test

function daysSince(day) {
  return Math.round((Date.parse(`${todayShanghai()}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86400000);
}

/** The item over the API, when the first test did not make it. */
async function ensureItem() {
  if (rectId) return rectId;
  const insp = await apiLogin(srv.url, 'inspector');
  const teams = await insp.get('/api/v1/inspection-teams');
  const codes = (await insp.get('/api/v1/inspection-checklist')).items.filter((x) => x.applies_to !== 'institution').map((x) => x.code);
  const v = await insp.post('/api/v1/inspections', {
    team_id: teams.items[0].id, region_code: TOWN, visited_on: '2020-03-02',
    results: codes.map((code) => ({ code, result: code === FAILING ? 'fail' : 'pass', note: code === FAILING ? '门岗无登记' : '' })),
    findings: [{ code: FAILING, description: '外来人员不进入：门岗无登记', deadline: DEADLINE }],
  });
  rectId = v.rectifications[0].id;
  return rectId;
}

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

test('an inspector records a visit with one failed item, which becomes a rectification item', () => br.run(async ({ page }) => {
  await loginUI(page, 'inspector');
  await tid(page, 'nav-inspections').click();
  await tid(page, 'insp-summary').waitFor();
  await tid(page, 'insp-new').click();
  await tid(page, 'insp-form').waitFor();
  await tid(page, 'insp-team').selectOption({ label: '第一督导组' });
  await tid(page, 'insp-region').fill(TOWN);
  await tid(page, 'insp-date').fill('2020-03-02');
  await tid(page, 'insp-inspectors').fill('王强、赵敏');
  const codes = await page.locator('[data-testid="insp-check-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.code));
  assert.equal(codes.length, 10, 'a region visit has the 8 common items and the 2 for counties and townships');
  assert.deepEqual(codes.slice(0, 4), ['closed_staff_stay', 'closed_no_visitors', 'closed_residents_stay', 'closed_goods_contactless']);
  // leaving one item undecided is refused in the page
  for (const code of codes.filter((c) => c !== 'duty_roster')) await tid(page, `insp-result-${code}`).selectOption(code === FAILING ? 'fail' : 'pass');
  await tid(page, 'insp-submit').click();
  await page.locator('[data-testid="insp-result-duty_roster-error"]', { hasText: '请选择结果' }).waitFor();
  await tid(page, 'insp-result-duty_roster').selectOption('pass');
  // the failed item: its note and a deadline (already past)
  await tid(page, `insp-note-${FAILING}`).fill('门岗无登记');
  await tid(page, `insp-deadline-${FAILING}`).fill(DEADLINE);
  await tid(page, 'insp-submit').click();
  await tid(page, 'insp-visit').waitFor();
  assert.match(await tid(page, 'insp-visit-counts').textContent(), /符合 9，不符合 1，不适用 0/);
  assert.equal(await tid(page, 'insp-visit-team').textContent(), '第一督导组');
  const rows = page.locator('[data-testid="insp-rect-row"]');
  assert.equal(await rows.count(), 1);
  const row = rows.first();
  rectId = Number(await row.getAttribute('data-id'));
  const text = await row.textContent();
  assert.match(text, /凤凰街道/);
  assert.match(text, /外来人员不进入：门岗无登记/);
  assert.match(text, new RegExp(DEADLINE));
  assert.equal(await row.locator('[data-testid="rect-overdue"]').textContent(), `逾期 ${daysSince(DEADLINE)} 天`);
}, { name: 'inspector-records' }));

test('the county sees the item on its overdue list, and closes it with evidence', () => br.run(async ({ page }) => {
  const id = await ensureItem();
  await loginUI(page, 'county_370704');
  await tid(page, 'nav-inspections').click();
  await tid(page, 'insp-tab-overdue').click();
  const row = page.locator(`[data-testid="rect-row"][data-id="${id}"]`);
  await row.waitFor();
  assert.equal(await row.locator('[data-testid="rect-owner"]').textContent(), '凤凰街道');
  assert.equal(await row.locator('[data-testid="rect-deadline"]').textContent(), DEADLINE);
  assert.equal(await row.locator('[data-testid="rect-overdue"]').textContent(), `逾期 ${daysSince(DEADLINE)} 天`);
  // oldest deadline first
  const deadlines = await texts(page.locator('[data-testid="rect-deadline"]'));
  assert.deepEqual([...deadlines].sort(), deadlines);
  // as of the deadline day itself it is not overdue
  await tid(page, 'rect-filter-region').fill(TOWN);
  await tid(page, 'rect-filter-as-of').fill(DEADLINE);
  await waitForFresh(page, 'rect-total', () => tid(page, 'rect-filter-submit').click());
  assert.equal(await page.locator(`[data-testid="rect-row"][data-id="${id}"]`).count(), 0);
  // back to today; open the item and submit the evidence
  await goHash(page, '#/inspections/overdue');
  await page.locator(`[data-testid="rect-row"][data-id="${id}"]`).click();
  await tid(page, 'rect-detail').waitFor();
  assert.equal(await tid(page, 'rect-verify').count(), 0, 'the county does not verify the team\'s item');
  await tid(page, 'rect-submit').click();
  await tid(page, 'dialog').waitFor();
  await tid(page, 'dialog-submit').click();
  await page.locator('[data-testid="dialog-text-error"]', { hasText: '请填写' }).waitFor();
  await tid(page, 'dialog-text').fill('已设立外来人员登记簿，门岗专人值守，附照片');
  await tid(page, 'dialog-submit').click();
  await page.locator('[data-testid="rect-detail-status"]', { hasText: '待核验' }).waitFor();
  assert.equal(await tid(page, 'rect-detail-evidence').textContent(), '已设立外来人员登记簿，门岗专人值守，附照片');
  assert.equal(await page.locator('[data-testid="rect-detail"] [data-testid="rect-overdue"]').count(), 0, 'a submission stops the clock');
  await goHash(page, '#/inspections/overdue');
  await tid(page, 'rect-total').waitFor();
  assert.equal(await page.locator(`[data-testid="rect-row"][data-id="${id}"]`).count(), 0, 'no longer overdue');
}, { name: 'county-overdue' }));

test('the inspector verifies the item; the history shows every step', () => br.run(async ({ page }) => {
  const id = await ensureItem();
  const r = await (await apiLogin(srv.url, 'admin')).get(`/api/v1/rectifications/${id}`);
  if (r.status !== 'submitted') {
    const county = await apiLogin(srv.url, 'county_370704');
    await county.post(`/api/v1/rectifications/${id}/submit`, { text: '已整改' });
  }
  await loginUI(page, 'inspector');
  await goHash(page, `#/inspections/items/${id}`);
  await tid(page, 'rect-verify').click();
  await tid(page, 'dialog-text').fill('复查合格');
  await tid(page, 'dialog-submit').click();
  await page.locator('[data-testid="rect-detail-status"]', { hasText: '已销号' }).waitFor();
  const steps = await texts(page.locator('[data-testid="rect-events"] li strong'));
  assert.deepEqual(steps, ['下发整改', '提交整改材料', '核验销号']);
  assert.equal(await tid(page, 'rect-actions').locator('button').allTextContents().then((b) => b.join()), '重新打开');
}, { name: 'inspector-verifies' }));

test('the duty page shows who is on duty at an instant, and the county above the township', () => br.run(async ({ page }) => {
  await loginUI(page, 'township_370704003');
  await goHash(page, '#/duty?at=2020-03-02T03:00');
  await tid(page, 'duty-upward').waitFor();
  const people = await texts(tid(page, 'duty-upward').locator('[data-testid="duty-person"]'));
  assert.equal(people.length, 4, 'the city and the county: a leader and an officer each');
  assert.ok(people.every((p) => /^(带班领导|值班员) \S+ 1\d{2}\*{4}\d{4} 至 03-02 08:00$/.test(p)), people.join(' | '));
}, { name: 'duty-now' }));
