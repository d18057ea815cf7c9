// dashboard.test.mjs — the leadership dashboard in the browser (docs/stats.md, "驾驶舱"): the
// leader opens #/dashboard on the scale-0.02 demo city; ECharts (served by our own binary, no
// request leaves the server) draws the four charts with the API's figures; clicking a county's
// bar narrows every chart to that county, and 全部单位 widens them again. Also the statistics
// report page: the published-table figures, every one recorded by a module.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
import { apiLogin, loginUI, goHash, openBrowser, tid, waitForFresh } from '../lib/browser.mjs';

let srv, br, api, all;

before(async () => {
  srv = await startServer({ assistance: true });
  br = await openBrowser(srv.url, { timeout: 15000 });
  api = await apiLogin(srv.url, 'leader');
  all = await api.get('/api/v1/dashboard');
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

/** What the chart in a testid box shows: its category axis and its series' data. */
function chartData(page, id) {
  return page.evaluate((t) => {
    const box = document.querySelector(`[data-testid="${t}"]`);
    const c = box && globalThis.echarts?.getInstanceByDom(box);
    if (!c) return null;
    const o = c.getOption();
    return { categories: o.xAxis[0].data, series: o.series.map((s) => s.data), canvas: !!box.querySelector('canvas') };
  }, id);
}

test('the charts draw the API’s figures; a click on a county narrows every chart to it', () => br.run(async ({ page }) => {
  const outside = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(srv.url)) outside.push(r.url());
  });
  await loginUI(page, 'leader');
  await goHash(page, '#/dashboard');
  await tid(page, 'dashboard').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('.dash-chart canvas').length === 4);
  const units = await chartData(page, 'chart-units');
  assert.ok(units.canvas);
  assert.deepEqual(units.categories, all.units.map((u) => u.name));
  assert.deepEqual(units.series[0], all.units.map((u) => u.recipients));
  const months = await chartData(page, 'chart-months');
  assert.deepEqual(months.categories, ['2020-01', '2020-02', '2020-03', '2020-04']);
  const days = await chartData(page, 'chart-days');
  assert.equal(days.categories.length, all.days.length);

  // click 坊子区's first bar
  const i = all.units.findIndex((u) => u.code === '370704');
  const pos = await page.evaluate((idx) => {
    const box = document.querySelector('[data-testid="chart-units"]');
    const c = globalThis.echarts.getInstanceByDom(box);
    const [x, y] = c.convertToPixel({ seriesIndex: 0 }, [idx, Math.max(1, c.getOption().series[0].data[idx] / 2)]);
    return { x, y };
  }, i);
  await waitForFresh(page, 'dashboard', () => tid(page, 'chart-units').click({ position: pos }));
  await page.waitForFunction(() => document.querySelectorAll('.dash-chart canvas').length === 4);
  assert.match(page.url(), /county=370704/);
  assert.match(await tid(page, 'dashboard-scope').textContent(), /坊子区/);
  const one = await api.get('/api/v1/dashboard?county=370704');
  const narrowed = await chartData(page, 'chart-units');
  assert.deepEqual(narrowed.categories, ['坊子区']);
  assert.deepEqual((await chartData(page, 'chart-amounts')).categories, ['坊子区']);
  assert.deepEqual((await chartData(page, 'chart-months')).series[0], one.months.map((m) => Math.round(m.amount_fen / 100) / 10000));
  assert.deepEqual((await chartData(page, 'chart-days')).series[1], one.days.map((x) => x.received));
  assert.notDeepEqual((await chartData(page, 'chart-days')).series[1], all.days.map((x) => x.received));

  await waitForFresh(page, 'dashboard', () => tid(page, 'dashboard-all').click());
  await page.waitForFunction(() => document.querySelectorAll('.dash-chart canvas').length === 4);
  assert.equal((await chartData(page, 'chart-units')).categories.length, all.units.length);
  assert.deepEqual(outside, [], 'no request leaves our server');
}, { name: 'dashboard' }));

test('the statistics report page shows the figures of every module', () => br.run(async ({ page }) => {
  await loginUI(page, 'admin');
  await goHash(page, '#/stats?from=2020-01-24&to=2020-04-26');
  await tid(page, 'stats').waitFor();
  const r = await (await apiLogin(srv.url, 'admin')).get('/api/v1/reports/stats?from=2020-01-24&to=2020-04-26');
  assert.equal((await tid(page, 'stats-value-funeral.homes').textContent()).trim(), String(r.city['funeral.homes']));
  assert.equal(r.not_recorded.length, 0);
  assert.equal(await page.getByText('尚未记录').count(), 0, 'every figure is recorded by a module');
  assert.equal(await tid(page, 'stats-unit-row').count(), 16);
  assert.match(await tid(page, 'stats-html').getAttribute('href'), /format=html/);
  // 打印 puts the A4 document into a frame of the page and prints it from there
  await tid(page, 'stats-print').click();
  const frame = page.frameLocator('[data-testid="stats-print-frame"]');
  await frame.locator('h1').waitFor({ state: 'attached' });
  assert.equal(await frame.locator('h1').textContent(), '民政工作统计报表');
  assert.equal(await frame.locator('section.unit').count(), 16);
}, { name: 'stats' }));
