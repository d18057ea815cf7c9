// pages/dashboard.js — 领导驾驶舱 (#/dashboard?county=…&from=…&to=…): one answer from
// GET /api/v1/dashboard drawn with ECharts (web/vendor/echarts.min.js, served by the binary; no
// network beyond our own server): the management units side by side (recipients, amounts,
// ledger size and overdue visits, report completeness), the trend by month (assistance paid)
// and by day (institution reports), and the last day's alerts. Clicking a unit in any unit chart
// narrows every chart to it (the hash gains county=…); 全部单位 widens again.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { yuan, count } from '../format.js';
import { loading, failure } from '../ui.js';

let echartsLoaded = null;
/* The vendored ECharts (a UMD bundle: importing it defines globalThis.echarts). */
function loadEcharts() {
  if (!echartsLoaded) echartsLoaded = import('../vendor/echarts.min.js').then(() => globalThis.echarts);
  return echartsLoaded;
}

function dashHash({ county, from, to }) {
  const p = new URLSearchParams();
  if (county) p.set('county', county);
  if (from) p.set('from', from);
  if (to) p.set('to', to);
  const q = p.toString();
  return '#/dashboard' + (q ? '?' + q : '');
}

const pct = (bp) => (bp === null || bp === undefined ? null : Math.round(bp) / 100);
const fenToWan = (fen) => Math.round(fen / 100) / 10000; // 万元, two decimals

function chartBox(testid, title) {
  const box = h('div', { class: 'dash-chart', 'data-testid': testid, style: 'width:100%;height:300px' });
  return { box, wrap: h('section', { class: 'panel' }, h('h2', null, title), box) };
}

function fact(label, value, testid) {
  return h('div', { class: 'fact' }, h('div', { class: 'muted' }, label), h('div', { class: 'num', 'data-testid': testid, style: 'font-size:20px;text-align:left' }, value));
}

export default async function render(el, ctx) {
  ctx.setTitle('领导驾驶舱');
  const county = ctx.query.get('county') || '';
  const from = ctx.query.get('from') || '';
  const to = ctx.query.get('to') || '';
  loading(el);
  let d, echarts;
  try {
    [d, echarts] = await Promise.all([get('/api/v1/dashboard', { county, from, to }), loadEcharts()]);
  } catch (err) {
    failure(el, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  const t = d.totals;
  const unitName = county && d.units.length === 1 ? d.units[0].name : '全部单位';
  const head = h('section', { class: 'panel', 'data-testid': 'dashboard' },
    h('div', { class: 'panel-head' },
      h('h1', null, '领导驾驶舱', h('span', { class: 'h-sub', 'data-testid': 'dashboard-scope' }, `${unitName} · ${d.from} 至 ${d.to}`)),
      county ? h('a', { class: 'btn', href: dashHash({ from, to }), 'data-testid': 'dashboard-all' }, '全部单位') : null),
    h('div', { class: 'facts' },
      fact('低保、特困人数', count(t.recipients), 'dash-recipients'),
      fact('低保、特困金额（元）', yuan(t.amount_fen), 'dash-amount'),
      fact('价格临时补贴（元）', yuan(t.price_subsidy_amount_fen), 'dash-price'),
      fact('临时救助人次', count(t.temp_relief_person_times), 'dash-relief'),
      fact('台账在册', t.ledger_entries === null ? '—' : count(t.ledger_entries), 'dash-ledger'),
      fact('逾期未走访', t.ledger_overdue === null ? '—' : count(t.ledger_overdue), 'dash-overdue'),
      fact('日报告完整率', t.completeness_bp === null || t.completeness_bp === undefined ? '—' : `${pct(t.completeness_bp).toFixed(2)}%`, 'dash-completeness')));

  const units = chartBox('chart-units', '各单位：救助人数、台账与逾期走访');
  const money = chartBox('chart-amounts', '各单位：发放金额（万元）与日报告完整率');
  const months = chartBox('chart-months', '按月趋势');
  const days = chartBox('chart-days', '按日：机构日报告');
  const a = d.alerts || {};
  const alertRows = (a.institution_alerts || []).map((x) => h('tr', { 'data-testid': 'dash-alert-row' },
    h('td', null, x.report_date), h('td', null, x.institution_name), h('td', null, x.kind === 'health' ? '健康' : '人员流动'),
    h('td', null, x.summary), h('td', null, x.status === 'open' ? '待处理' : '已知悉')));
  const missingRows = (a.missing_reports || []).map((x) => h('tr', { 'data-testid': 'dash-missing-row' },
    h('td', null, d.to), h('td', null, x.institution_name), h('td', null, '未报日报告'), h('td', null, x.status === 'overdue' ? '已超时' : '未到截止时间'), h('td', null, '')));
  const alerts = h('section', { class: 'panel', 'data-testid': 'dash-alerts' },
    h('h2', null, `${d.to} 预警`, h('span', { class: 'h-sub' },
      `机构预警 ${count(a.institution_alerts_active || 0)} 条；未报 ${count((a.missing_due || 0) + (a.missing_overdue || 0))} 家（超时 ${count(a.missing_overdue || 0)}）`)),
    alertRows.length + missingRows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
        h('thead', null, h('tr', null, ['日期', '机构', '类别', '情况', '状态'].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', null, alertRows, missingRows)))
      : h('p', { class: 'empty', 'data-testid': 'dash-no-alerts' }, '当日无预警，机构均已报告。'));
  replace(el, head, h('div', { style: 'display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:12px' },
    units.wrap, money.wrap, months.wrap, days.wrap), alerts);

  const names = d.units.map((u) => u.name);
  const codes = d.units.map((u) => u.code);
  const charts = [];
  const make = (box, option) => {
    const c = echarts.init(box, null, { renderer: 'canvas' });
    c.setOption({ animation: false, tooltip: { trigger: 'axis' }, grid: { left: 56, right: 56, bottom: 64, top: 56 }, ...option });
    charts.push(c);
    return c;
  };
  const axisUnits = { type: 'category', data: names, axisLabel: { rotate: names.length > 6 ? 40 : 0, interval: 0 } };
  const cu = make(units.box, {
    legend: { top: 0 },
    xAxis: axisUnits,
    yAxis: { type: 'value' },
    series: [
      { name: '低保、特困人数', type: 'bar', data: d.units.map((u) => u.recipients) },
      { name: '台账在册', type: 'bar', data: d.units.map((u) => u.ledger_entries) },
      { name: '逾期未走访', type: 'bar', data: d.units.map((u) => u.ledger_overdue) },
    ],
  });
  const cm = make(money.box, {
    legend: { top: 0 },
    xAxis: axisUnits,
    yAxis: [{ type: 'value', name: '万元' }, { type: 'value', name: '%', min: 0, max: 100 }],
    series: [
      { name: '低保、特困金额', type: 'bar', data: d.units.map((u) => fenToWan(u.amount_fen)) },
      { name: '价格临时补贴', type: 'bar', data: d.units.map((u) => fenToWan(u.price_subsidy_amount_fen)) },
      { name: '日报告完整率', type: 'line', yAxisIndex: 1, data: d.units.map((u) => pct(u.completeness_bp)) },
    ],
  });
  make(months.box, {
    legend: { top: 0 },
    xAxis: { type: 'category', data: d.months.map((m) => m.month) },
    yAxis: [{ type: 'value', name: '万元' }, { type: 'value', name: '人' }],
    series: [
      { name: '低保、特困金额', type: 'bar', data: d.months.map((m) => fenToWan(m.amount_fen)) },
      { name: '价格临时补贴', type: 'bar', data: d.months.map((m) => fenToWan(m.price_subsidy_amount_fen)) },
      { name: '临时救助', type: 'bar', data: d.months.map((m) => fenToWan(m.temp_relief_amount_fen)) },
      { name: '救助人数', type: 'line', yAxisIndex: 1, data: d.months.map((m) => m.recipients) },
    ],
  });
  make(days.box, {
    legend: { top: 0 },
    xAxis: { type: 'category', data: d.days.map((x) => x.date) },
    yAxis: [{ type: 'value', name: '份' }, { type: 'value', name: '%', min: 0, max: 100 }],
    series: [
      { name: '应报', type: 'line', showSymbol: false, data: d.days.map((x) => x.expected) },
      { name: '已报', type: 'line', showSymbol: false, data: d.days.map((x) => x.received) },
      { name: '完整率', type: 'line', yAxisIndex: 1, showSymbol: false, data: d.days.map((x) => pct(x.completeness_bp)) },
    ],
  });
  // a click on a unit (its bar, or its axis label) narrows everything to it
  for (const c of [cu, cm]) {
    c.on('click', (p) => {
      const code = codes[p.dataIndex];
      if (code && code !== county) ctx.navigate(dashHash({ county: code, from, to }));
    });
    c.getZr().on('click', (ev) => {
      if (ev.target) return; // a bar: handled above
      const [i] = c.convertFromPixel({ seriesIndex: 0 }, [ev.offsetX, ev.offsetY]) || [];
      const code = codes[Math.round(i)];
      if (code !== undefined && code !== county) ctx.navigate(dashHash({ county: code, from, to }));
    });
  }
  const resize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', resize);
  const gone = new MutationObserver(() => {
    if (!el.isConnected || !ctx.isCurrent()) {
      window.removeEventListener('resize', resize);
      charts.forEach((c) => c.dispose());
      gone.disconnect();
    }
  });
  gone.observe(document.body, { childList: true, subtree: true });
}
