// pages/report.js — the assistance report (#/report?from=…&to=…&county=…): persons paid
// (distinct) and amounts per program, per management unit and per month, computed by the server
// from the payments (GET /api/v1/reports/assistance), with the same figures as an Excel download
// (…&format=xlsx). Only money actually paid counts: confirmed runs, not returned by the bank, in
// the month of the run that paid it. 合计 is the monthly allowances; the price subsidy (价格临时
// 补贴, distinct persons paid) and the temporary assistance (临时救助, person-times by payment
// date, from the relief module) are columns beside it, not added in.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { PROGRAM_LABELS, label } from '../labels.js';
import { yuan, count } from '../format.js';
import { showServerError, loading, failure } from '../ui.js';
import { periodUnitForm } from './period_form.js';
import { MONTH_RE, currentMonth } from './payroll.js';

const PROGRAMS = ['dibao', 'tekun', 'orphan', 'unsupported_child'];
// beside the total: [key, label, count field, count label]
const BESIDE = [['price_subsidy', '价格临时补贴', 'persons', '人数'], ['temp_relief', '临时救助', 'person_times', '人次']];

function reportHash({ from, to, county }) {
  const p = new URLSearchParams({ from, to });
  if (county) p.set('county', county);
  return '#/report?' + p.toString();
}

/* Header cells: program persons / amount pairs, then the total pair. */
function headRow(first) {
  return [
    h('tr', null, first.map((t) => h('th', { scope: 'col', rowspan: '2' }, t)),
      [...PROGRAMS.map((p) => label(PROGRAM_LABELS, p)), '合计', ...BESIDE.map((b) => b[1])].map((t) => h('th', { scope: 'colgroup', colspan: '2', class: 'num' }, t))),
    h('tr', null, [...PROGRAMS.map(() => '人数'), '人数', ...BESIDE.map((b) => b[3])].flatMap((n) => [h('th', { scope: 'col', class: 'num' }, n), h('th', { scope: 'col', class: 'num' }, '金额（元）')])),
  ];
}

function cells(block) {
  const c = [];
  for (const p of PROGRAMS) {
    const x = block.programs[p];
    c.push(h('td', { class: 'num', 'data-label': `${label(PROGRAM_LABELS, p)}人数`, 'data-testid': `report-${p}-persons` }, count(x.persons)));
    c.push(h('td', { class: 'num', 'data-label': `${label(PROGRAM_LABELS, p)}金额`, 'data-testid': `report-${p}-amount` }, yuan(x.amount_fen)));
  }
  c.push(h('td', { class: 'num', 'data-label': '合计人数', 'data-testid': 'report-total-persons' }, count(block.total.persons)));
  c.push(h('td', { class: 'num', 'data-label': '合计金额', 'data-testid': 'report-total-amount' }, yuan(block.total.amount_fen)));
  for (const [key, name, n, nLabel] of BESIDE) {
    const x = block.programs[key] || { [n]: 0, amount_fen: 0 };
    c.push(h('td', { class: 'num', 'data-label': `${name}${nLabel}`, 'data-testid': `report-${key}-${n === 'persons' ? 'persons' : 'person-times'}` }, count(x[n])));
    c.push(h('td', { class: 'num', 'data-label': `${name}金额`, 'data-testid': `report-${key}-amount` }, yuan(x.amount_fen)));
  }
  return c;
}

export default async function render(el, ctx) {
  ctx.setTitle('救助发放统计');
  const now = currentMonth();
  const from = ctx.query.get('from') || `${now.slice(0, 4)}-01`;
  const to = ctx.query.get('to') || now;
  const county = ctx.query.get('county') || '';
  loading(el);
  let units;
  try {
    units = await get('/api/v1/units');
  } catch (err) {
    failure(el, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  const { form, box, fields } = periodUnitForm({
    units, from, to, unit: county, re: MONTH_RE, unitName: 'county',
    input: { placeholder: 'YYYY-MM', maxlength: '7', inputmode: 'numeric' },
    labels: ['起始月份', '截止月份'],
    messages: { from: '月份应为 YYYY-MM，如 2020-01', to: '月份应为 YYYY-MM，如 2020-04', order: '截止月份不能早于起始月份' },
    testids: { from: 'report-from', to: 'report-to', unit: 'report-county', submit: 'report-submit', error: 'report-error' },
    navigate: (f, t, c) => ctx.navigate(reportHash({ from: f, to: t, county: c })),
  });
  const results = h('div', { 'aria-live': 'polite' }, h('div', { class: 'loading', role: 'status' }, '正在统计…'));
  replace(el, h('section', { class: 'panel' }, h('h1', null, '救助发放统计'), box.el, form), results);

  let r;
  try {
    r = await get('/api/v1/reports/assistance', { from, to, county });
  } catch (err) {
    replace(results);
    showServerError(err, { from: fields.from, to: fields.to, county: fields.unit }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const xlsx = `/api/v1/reports/assistance?${new URLSearchParams({ from, to, ...(county ? { county } : {}), format: 'xlsx' })}`;
  const codes = Object.keys(r.counties);
  const byUnit = h('table', { class: 'data responsive', 'data-testid': 'report-units' },
    h('caption', { class: 'sr-only' }, '按管理单位'),
    h('thead', null, headRow(['管理单位'])),
    h('tbody', null,
      codes.map((c) => h('tr', { 'data-testid': 'report-unit-row', 'data-unit': c },
        h('td', { 'data-label': '管理单位' }, `${c} ${r.counties[c].name}`), cells(r.counties[c]))),
      h('tr', { 'data-testid': 'report-all-row' },
        h('td', { 'data-label': '管理单位' }, h('strong', null, county ? '合计' : '全部')), cells(r))));
  const byMonth = h('table', { class: 'data responsive', 'data-testid': 'report-months' },
    h('caption', { class: 'sr-only' }, '按月份'),
    h('thead', null, headRow(['月份'])),
    h('tbody', null,
      Object.keys(r.months).map((m) => h('tr', { 'data-testid': 'report-month-row', 'data-month': m },
        h('td', { 'data-label': '月份', class: 'mono' }, m), cells(r.months[m]))),
      h('tr', null, h('td', { 'data-label': '月份' }, h('strong', null, '期间合计')), cells(r))));
  replace(results,
    h('section', { class: 'panel', 'data-testid': 'report' },
      h('div', { class: 'panel-head' },
        h('h2', null, `${r.from} 至 ${r.to}`),
        h('a', { class: 'btn', href: xlsx, download: '', 'data-testid': 'report-xlsx' }, '下载 Excel')),
      h('p', { class: 'muted', 'data-testid': 'report-note' },
        '人数为期间内（或当月）去重后的人数，同一人跨月、跨项目只计一次于合计；金额为已确认发放且未被银行退回的款项，按发放批次所属月份统计。合计为低保、特困、孤儿、事实无人抚养儿童；价格临时补贴与临时救助（人次，按发放日期）另列，不计入合计。'),
      h('h3', null, '按管理单位'),
      h('div', { class: 'table-wrap' }, byUnit),
      h('h3', null, '按月份'),
      h('div', { class: 'table-wrap' }, byMonth)));
}
