// orgs.test.mjs — social organisations in the browser (docs/orgs.md): on a phone-sized screen
// a county worker opens an organisation of this file, records a disinfection with two of its
// volunteers (the area typed in km²), sees it in the organisation's latest engagements and the
// volunteers' service counts; a wrong input is answered beside the field and nothing is saved;
// the home page's figures for the period move by exactly this engagement.
//
// The organisation and its volunteers are made over the API; the engagement is dated in March
// 2021 so that the period 2021-03-01..2021-03-31 holds only this file's records.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid } from '../lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
let srv, br, api, org, vols;
const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  api = await apiLogin(srv.url, 'county_370704');
  org = await api.post('/api/v1/orgs', { name: '界面测试志愿服务队', type: 'volunteer_team', reg_no: 'E2E-001', region_code: '370704008', contact_name: '王小明', contact_phone: '13812345678' });
  vols = await api.post('/api/v1/orgs/volunteers', { org_id: org.id, volunteers: [{ name: '赵一', phone: '13900000001' }, { name: '钱二' }, { name: '孙三' }] });
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

test('phone: recording a disinfection with two volunteers', () => br.run(async ({ page }) => {
  await loginUI(page, 'county_370704');
  await goHash(page, `#/orgs/${org.id}`);
  assert.equal(await text(page, 'org-name'), '界面测试志愿服务队');
  await tid(page, 'org-engage').click();
  await tid(page, 'engage-submit').waitFor();
  assert.equal(await text(page, 'engage-org'), '界面测试志愿服务队');
  await tid(page, 'engage-date').fill('2021-03-05');
  await tid(page, 'engage-activity').selectOption('disinfection');
  // a wrong area is refused beside the field, nothing is sent
  await tid(page, 'engage-area').fill('一点五');
  await tid(page, 'engage-submit').click();
  assert.match(await text(page, 'engage-area-error'), /消杀面积应为数字/);
  await tid(page, 'engage-area').fill('1.25');
  // two volunteers: the number mobilised follows the ticks
  await tid(page, 'engage-volunteer').nth(0).check();
  await tid(page, 'engage-volunteer').nth(2).check();
  assert.equal(await tid(page, 'engage-volunteers').inputValue(), '2');
  await tid(page, 'engage-hours').nth(2).fill('3.5');
  // a region outside the county: the server's answer is shown beside the field
  await tid(page, 'engage-region').fill('370705001');
  await tid(page, 'engage-submit').click();
  await tid(page, 'engage-region-error').filter({ hasText: '不在您的管辖范围内' }).waitFor();
  assert.equal((await api.get(`/api/v1/orgs/engagements?org_id=${org.id}`)).total, 0);
  await tid(page, 'engage-region').fill('370704008');
  await tid(page, 'engage-note').fill('村道与集贸市场消杀');
  await tid(page, 'engage-submit').click();
  await tid(page, 'org-engagements').waitFor();
  const row = tid(page, 'engagement-row').first();
  assert.equal((await row.locator('[data-testid="engagement-activity"]').textContent()).trim(), '消杀');
  assert.equal((await row.locator('[data-testid="engagement-volunteers"]').textContent()).trim(), '2');
  assert.match(await row.textContent(), /1\.25 平方千米/);
  // the record as stored
  const page1 = await api.get(`/api/v1/orgs/engagements?org_id=${org.id}`);
  assert.equal(page1.total, 1);
  const e = page1.items[0];
  assert.deepEqual([e.date, e.activity, e.area_m2, e.volunteers, e.activities, e.hours_tenths], ['2021-03-05', 'disinfection', 1250000, 2, 2, 55]);
  // volunteers: service counts, phones masked
  const rows = tid(page, 'volunteer-row');
  assert.equal(await rows.count(), 3);
  const all = (await rows.allTextContents()).join('|');
  assert.match(all, /139\*\*\*\*0001/);
  assert.doesNotMatch(all, /13900000001/);
}, { viewport: PHONE, name: 'orgs-engagement' }));

test('the home page shows the period\'s figures', () => br.run(async ({ page }) => {
  await loginUI(page, 'county_370704');
  await goHash(page, '#/orgs?from=2021-03-01&to=2021-03-31');
  await tid(page, 'orgs-summary').waitFor();
  const s = await api.get('/api/v1/orgs/summary?from=2021-03-01&to=2021-03-31');
  assert.equal(await text(page, 'orgs-engaged'), String(s.engaged));
  assert.equal(await text(page, 'orgs-volunteers'), String(s.volunteers));
  assert.equal(s.volunteers, 2);
  assert.equal(s.disinfected_km2, 1);
  await tid(page, 'orgs-q').fill('界面测试');
  await tid(page, 'orgs-search').click();
  await page.locator('[data-testid="orgs-row"]').first().waitFor();
  assert.equal(await tid(page, 'orgs-row').count(), 1);
  assert.match(await tid(page, 'orgs-export-xlsx').getAttribute('href'), /format=xlsx/);
}, { viewport: PHONE, name: 'orgs-home' }));

test('the deployment, document and lottery pages: a county acknowledges a document', () => br.run(async ({ page }) => {
  await loginUI(page, 'county_370704');
  await goHash(page, '#/staff?on=2020-03-01');
  await tid(page, 'staff-summary').waitFor();
  const staff = await api.get('/api/v1/staff/summary?from=2020-01-24&to=2020-04-26');
  assert.equal(await text(page, 'staff-front-line'), String(staff.front_line)); // the county's own posts
  assert.ok(staff.front_line > 0 && staff.front_line < 227);
  assert.ok(await tid(page, 'staff-row').count() > 0);
  // the demo's documents 30–32 are not acknowledged by every unit; find one of ours
  await goHash(page, '#/documents?unacknowledged=1');
  await tid(page, 'documents-list').or(tid(page, 'documents-empty')).first().waitFor();
  const pending = await api.get('/api/v1/documents?unacknowledged=1');
  assert.equal(await tid(page, 'documents-row').count(), pending.total);
  if (pending.total) {
    const d = pending.items[0];
    await goHash(page, `#/documents/${d.id}`);
    await tid(page, 'document-acknowledge').click();
    await tid(page, 'document-mine').filter({ hasText: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/ }).waitFor();
    assert.equal((await api.get(`/api/v1/documents/${d.id}`)).mine.acknowledged_at !== null, true);
  }
  await goHash(page, '#/lottery?date=2020-02-01');
  await tid(page, 'lottery-counts').waitFor();
  assert.match(await text(page, 'lottery-counts'), /营业 0 个/);
}, { viewport: PHONE, name: 'orgs-other-pages' }));
