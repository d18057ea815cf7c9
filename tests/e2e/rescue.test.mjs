// rescue.test.mjs — the rescue station in the browser (docs/rescue.md): on a phone-sized screen a
// rescue worker records an arrival from a risk area (the form turns 收入生活区 into 隔离观察 by
// itself), sees the isolation's planned end, and discharges the person home when the 14 days
// are over; an early discharge is refused with the reason shown in the dialog, and allowed once
// a negative test is recorded; a fever at the door turns the decision to 送医 and asks for the
// report to the epidemic command; the dashboard lists who is in isolation and until when.
//
// The records are made in a station of this file (坊子区, rooms made over the API); arrivals are
// dated in the past with the form's arrival time, so a 14-day isolation can have ended today.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { apiLogin, goHash, loginUI, openBrowser, tid } from '../lib/browser.mjs';

const PHONE = { width: 390, height: 844 };
let srv, br, api, station;

/** n days from today (negative: ago) at hh:mm, Asia/Shanghai, "YYYY-MM-DDTHH:MM". */
function at(n, hh, mm = 0) {
  const d = new Date(Date.now() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10);
  return `${d}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}
function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}
const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  api = await apiLogin(srv.url, 'rescue');
  station = await api.post('/api/v1/rescue/stations', { name: '坊子区救助管理站（界面测试）', region_code: '370704' });
  await api.post(`/api/v1/rescue/stations/${station.id}/rooms`, { name: '宿舍一', zone: 'general', beds: 4 });
  await api.post(`/api/v1/rescue/stations/${station.id}/rooms`, { name: '隔离一', zone: 'isolation', beds: 2 });
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

/** Fill the intake form (already open) for our station and submit; waits for the record page. */
async function fillIntake(page, { arrived, name, temperature, risk, travel }) {
  await tid(page, 'rescue-station').selectOption(String(station.id));
  await page.locator('[data-testid="rescue-room"] option', { hasText: '隔离一' }).or(page.locator('[data-testid="rescue-room"] option', { hasText: '宿舍一' })).first().waitFor({ state: 'attached' });
  await tid(page, 'rescue-arrived-at').fill(arrived);
  await tid(page, 'rescue-name').fill(name);
  await tid(page, 'rescue-belongings').fill('编织袋 1 个，手机 1 部');
  await tid(page, 'rescue-temperature').fill(temperature);
  await tid(page, 'rescue-travel').fill(travel);
  await tid(page, 'rescue-risk').selectOption(risk);
}

test('phone: an arrival from a risk area is isolated 14 days and discharged home when they are over', () => br.run(async ({ page }) => {
  await loginUI(page, 'rescue');
  await goHash(page, '#/rescue/intake/new');
  const arrived = at(-15, 21, 30);
  await fillIntake(page, { arrived, name: '界面测试甲', temperature: '36.6', risk: 'medium_high', travel: '14 天内到过武汉' });
  // the rules follow the typing: admission becomes isolation, in an isolation room
  await tid(page, 'rescue-decision').selectOption('admit');
  await tid(page, 'rescue-risk').selectOption('unverifiable');
  await tid(page, 'rescue-risk').selectOption('medium_high');
  assert.equal(await tid(page, 'rescue-decision').inputValue(), 'isolate');
  assert.match(await text(page, 'rescue-decision-note'), /隔离区单独观察 14 天/);
  assert.match(await tid(page, 'rescue-room').locator('option:checked').textContent(), /隔离一/);
  // the whole form fits the phone's width
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no horizontal scrolling (${width}px)`);
  await tid(page, 'rescue-intake-submit').click();
  await tid(page, 'rescue-detail').waitFor();

  assert.match(await text(page, 'rescue-status'), /隔离观察中/);
  assert.equal(await text(page, 'rescue-detail-name'), '界***'); // masked (at most three stars) unless asked for (and the asking is audited)
  const end = addDays(arrived.slice(0, 10), 14);
  assert.equal(await text(page, 'rescue-iso-end'), end);
  assert.equal(await text(page, 'rescue-detail-belongings'), '编织袋 1 个，手机 1 部');

  // the dashboard lists the person with the planned end
  await goHash(page, '#/rescue');
  const row = page.locator('[data-testid="rescue-dash-isolation-row"]', { hasText: '界***' });
  await row.first().waitFor();
  assert.equal((await row.first().locator('[data-testid="rescue-dash-isolation-end"]').textContent()).trim(), end);
  await row.first().locator('a').click();
  await tid(page, 'rescue-detail').waitFor();

  // 14 days are over: home with a ticket, no test needed
  await tid(page, 'rescue-step-discharge').click();
  await tid(page, 'dialog').waitFor();
  await tid(page, 'dialog-kind').selectOption('return_home');
  await tid(page, 'dialog-ticket').fill('K1234 次 05 车 12 号');
  await tid(page, 'dialog-destination').fill('河南郑州');
  await tid(page, 'dialog-submit').click();
  await tid(page, 'rescue-discharge').waitFor();
  assert.match(await text(page, 'rescue-status'), /已离站/);
  assert.match(await text(page, 'rescue-discharge-kind'), /返乡/);
  assert.equal(await tid(page, 'rescue-actions').count(), 0, 'nothing more to do');
}, { viewport: PHONE, name: 'rescue-phone-story' }));

test('an early discharge is refused with the reason in the dialog, then allowed on a negative test', () => br.run(async ({ page }) => {
  const x = await api.post('/api/v1/rescue/intakes', {
    station_id: station.id, arrived_at: at(-2, 22, 10), name: '界面测试乙', temperature_tenths: 364,
    risk: 'unverifiable', decision: 'isolate', room_id: (await api.get(`/api/v1/rescue/stations/${station.id}`)).room_list.find((r) => r.zone === 'isolation').id,
  });
  const end = x.isolation.planned_end;
  await loginUI(page, 'rescue');
  await goHash(page, `#/rescue/intake/${x.id}`);
  await tid(page, 'rescue-detail').waitFor();
  assert.match(await text(page, 'rescue-leave-state'), /现在不能提前离站.*没有检测记录/);

  await tid(page, 'rescue-step-discharge').click();
  await tid(page, 'dialog').waitFor();
  await tid(page, 'dialog-kind').selectOption('voluntary');
  await tid(page, 'dialog-declaration_signed').selectOption('1');
  await tid(page, 'dialog-submit').click();
  const err = tid(page, 'dialog-error');
  await err.waitFor({ state: 'visible' });
  const msg = (await err.textContent()).trim();
  assert.match(msg, new RegExp(`隔离期至 ${end} 届满，提前离站须有 72 小时内采样的核酸检测阴性结果`));
  assert.ok(await tid(page, 'dialog').isVisible(), 'the dialog stays open');
  await tid(page, 'dialog-cancel').click();
  assert.match(await text(page, 'rescue-status'), /隔离观察中/);

  // record a negative test sampled now, then the same discharge goes through
  await tid(page, 'rescue-step-test').click();
  await tid(page, 'dialog').waitFor();
  await tid(page, 'dialog-result').selectOption('negative');
  await tid(page, 'dialog-lab').fill('坊子区疾控中心');
  await tid(page, 'dialog-submit').click();
  await page.locator('[data-testid="rescue-test"]').first().waitFor();
  assert.match(await text(page, 'rescue-leave-state'), /可以提前解除隔离或离站/);
  await tid(page, 'rescue-step-discharge').click();
  await tid(page, 'dialog').waitFor();
  await tid(page, 'dialog-kind').selectOption('voluntary');
  await tid(page, 'dialog-declaration_signed').selectOption('1');
  await tid(page, 'dialog-submit').click();
  await tid(page, 'rescue-discharge').waitFor();
  assert.match(await text(page, 'rescue-status'), /已离站/);
  assert.match(await text(page, 'rescue-discharge-test'), /核酸检测阴性/);
  assert.match(await text(page, 'rescue-iso-ended'), /提前，凭阴性检测/);
}, { name: 'rescue-early-discharge' }));

test('a fever at the door turns the decision to hospital and asks for the epidemic report', () => br.run(async ({ page }) => {
  await loginUI(page, 'rescue');
  await goHash(page, '#/rescue/intake/new');
  await fillIntake(page, { arrived: at(-1, 23, 5), name: '界面测试丙', temperature: '37.6', risk: 'low', travel: '潍坊' });
  await tid(page, 'rescue-fever-alert').waitFor({ state: 'visible' });
  assert.match(await text(page, 'rescue-fever-alert'), /37\.6 °C，达到发热标准（37\.3 °C）/);
  assert.equal(await tid(page, 'rescue-decision').inputValue(), 'hospital');
  // forcing an admission is refused by the server with the same rule
  await tid(page, 'rescue-decision').selectOption('admit');
  await tid(page, 'rescue-intake-submit').click();
  await tid(page, 'rescue-intake-error').waitFor({ state: 'visible' });
  assert.match(await text(page, 'rescue-intake-error'), /不得收入站内，须送医并报告疫情防控指挥部/);
  await tid(page, 'rescue-decision').selectOption('hospital');
  await tid(page, 'rescue-hospital').fill('潍坊市人民医院发热门诊');
  await tid(page, 'rescue-report-to').fill('坊子区疫情防控指挥部');
  await tid(page, 'rescue-intake-submit').click();
  await tid(page, 'rescue-detail').waitFor();
  assert.match(await text(page, 'rescue-status'), /已送医/);
  assert.match(await text(page, 'rescue-detail-report'), /坊子区疫情防控指挥部/);
}, { viewport: PHONE, name: 'rescue-fever' }));
