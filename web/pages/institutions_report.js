// pages/institutions_report.js — 期间统计 (#/institutions/report?from=&to=&unit=): from the
// records of a period (the demo's epidemic period by default), per type the institutions that
// reported, their residents and staff on each one's last report, and the confirmed cases; the
// reports expected, received, on time, zero, late and missing with completeness and timeliness,
// per management unit. The same figures as `minzheng report institutions`.
// GET /api/v1/reports/institutions.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count } from '../format.js';
import { showServerError, loading, failure } from '../ui.js';
import { periodUnitForm } from './period_form.js';
import { DATE_RE, TYPE_LABELS, pct, sectionTabs } from './institutions_common.js';

const tallyCells = (t) => [
  h('td', { class: 'num', 'data-label': '应报' }, count(t.expected)),
  h('td', { class: 'num', 'data-label': '已报' }, count(t.received)),
  h('td', { class: 'num', 'data-label': '按时' }, count(t.on_time)),
  h('td', { class: 'num', 'data-label': '零报告' }, count(t.zero)),
  h('td', { class: 'num', 'data-label': '迟报' }, count(t.late)),
  h('td', { class: 'num', 'data-label': '未报' }, count(t.missing)),
  h('td', { class: 'num', 'data-label': '完整率' }, pct(t.completeness_bp)),
  h('td', { class: 'num', 'data-label': '及时率' }, pct(t.timeliness_bp)),
];

export default async function render(el, ctx) {
  ctx.setTitle('机构期间统计');
  const from = ctx.query.get('from') || '2020-01-24';
  const to = ctx.query.get('to') || '2020-04-26';
  const unit = ctx.query.get('unit') || '';
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
    units, from, to, unit, re: DATE_RE, unitName: 'unit',
    input: { placeholder: 'YYYY-MM-DD', maxlength: '10' },
    labels: ['起始日期', '截止日期'],
    messages: { from: '日期应为 YYYY-MM-DD', to: '日期应为 YYYY-MM-DD', order: '截止日期不能早于起始日期' },
    testids: { from: 'inst-report-from', to: 'inst-report-to', unit: 'inst-report-unit', submit: 'inst-report-go', error: 'inst-report-error' },
    navigate: (f, t, u) => {
      const p = new URLSearchParams({ from: f, to: t });
      if (u) p.set('unit', u);
      ctx.navigate('#/institutions/report?' + p);
    },
  });
  const results = h('div', { 'aria-live': 'polite' }, h('div', { class: 'loading' }, '正在统计…'));
  replace(el, h('section', { class: 'panel' }, h('h1', null, '机构期间统计'), sectionTabs('report'), box.el, form), results);
  let r;
  try {
    r = await get('/api/v1/reports/institutions', { from, to, unit });
  } catch (err) {
    replace(results);
    showServerError(err, { from: fields.from, to: fields.to, unit: fields.unit }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const types = h('table', { class: 'data responsive', 'data-testid': 'inst-report-types' },
    h('thead', null, h('tr', null, ['类型', '机构', '在院人数', '工作人员', '感染', '登记机构'].map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
    h('tbody', null, Object.entries(r.institutions).map(([k, v]) => h('tr', { 'data-type': k, 'data-testid': 'inst-report-type' },
      h('td', { 'data-label': '类型' }, TYPE_LABELS[k] || v.label),
      h('td', { class: 'num', 'data-label': '机构', 'data-testid': 'inst-report-count' }, count(v.count)),
      h('td', { class: 'num', 'data-label': '在院人数', 'data-testid': 'inst-report-residents' }, count(v.residents)),
      h('td', { class: 'num', 'data-label': '工作人员', 'data-testid': 'inst-report-staff' }, count(v.staff)),
      h('td', { class: 'num', 'data-label': '感染', 'data-testid': 'inst-report-infections' }, count(v.infections)),
      h('td', { class: 'num', 'data-label': '登记机构' }, count(v.registered))))));
  const head = ['管理单位', '应报', '已报', '按时', '零报告', '迟报', '未报', '完整率', '及时率'];
  const byUnit = h('table', { class: 'data responsive', 'data-testid': 'inst-report-units' },
    h('thead', null, h('tr', null, head.map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
    h('tbody', null,
      Object.entries(r.counties).map(([code, u]) => h('tr', { 'data-unit': code }, h('td', { 'data-label': '管理单位' }, `${code} ${u.name}`), tallyCells(u))),
      h('tr', { 'data-testid': 'inst-report-total' }, h('td', { 'data-label': '管理单位' }, h('strong', null, '合计')), tallyCells(r.reports))));
  replace(results,
    h('section', { class: 'panel', 'data-testid': 'inst-report' },
      h('h2', null, `${r.from} 至 ${r.to}`),
      h('p', { class: 'muted' }, '由报告逐条计算：机构数为期间报过日报的机构；在院人数、工作人员为各机构期间最后一次报告之和；感染为期间确诊之和。应报为每天开办的机构之和，不含停办、未开办的日子。'),
      h('div', { class: 'table-wrap' }, types),
      h('h3', null, '报送情况'),
      h('div', { class: 'table-wrap' }, byUnit),
      h('p', { class: 'muted' }, `预警：健康异常 ${r.alerts.health} 条，封闭期间人员变动 ${r.alerts.movement} 条，已关闭 ${r.alerts.closed} 条。`)));
}
