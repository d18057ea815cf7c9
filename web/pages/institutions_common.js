// pages/institutions_common.js — what the institutions pages share: the Chinese names of types,
// statuses and chase outcomes, the section tabs (看板 · 未报名单 · 预警 · 机构名录 · 期间统计), rates
// in basis points as percentages, clock times, a plain SVG trend chart (no chart library: the
// intranet is offline and two lines need none), and the few styles these pages add to style.css.

import { h } from '../dom.js';

export const TYPE_LABELS = {
  elderly_home: '养老机构',
  children_welfare_home: '儿童福利机构',
  rescue_station: '救助管理站',
  funeral_home: '殡仪馆',
  marriage_office: '婚姻登记处',
  lottery_outlet: '福彩销售站点',
  other: '其他机构',
};

export const DAY_STATUS = {
  on_time: { label: '按时报送', cls: 'inst-ok' },
  late: { label: '迟报', cls: 'inst-warn' },
  due: { label: '待报送', cls: 'inst-muted' },
  overdue: { label: '逾期未报', cls: 'inst-bad' },
  closed: { label: '不在开办期', cls: 'inst-muted' },
};

export const METHODS = [
  { value: 'phone', label: '电话' },
  { value: 'sms', label: '短信' },
  { value: 'visit', label: '上门' },
];

export const OUTCOMES = [
  { value: 'promised', label: '已联系，承诺补报' },
  { value: 'no_answer', label: '无人接听/未回复' },
  { value: 'unreachable', label: '无法联系' },
  { value: 'other', label: '其他' },
];

export const FIELD_LABELS = {
  residents_present: '在院人数',
  staff_on_site: '在岗工作人员',
  admissions: '新入住',
  departures: '离开',
  temperature_checks: '测温人数',
  fever: '发热',
  suspected: '疑似',
  confirmed: '确诊',
  isolated: '隔离观察',
  deaths: '死亡',
  goods_days: '物资可用天数',
};

/* pct(bp) → "98.5%" (basis points, integer arithmetic); '—' when there is no rate. */
export function pct(bp) {
  if (bp === null || bp === undefined) return '—';
  const whole = Math.floor(bp / 100);
  const frac = bp % 100;
  return frac === 0 ? `${whole}%` : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}%`;
}

/* clock("2020-03-01T09:58:00+08:00") → "09:58". */
export function clock(at) {
  const m = /T(\d{2}:\d{2})/.exec(at || '');
  return m ? m[1] : '';
}

/* deadlineText(deadline_at, date) → "10:00", or "24:00" for a deadline at the next midnight. */
export function deadlineText(deadlineAt, date) {
  return deadlineAt && deadlineAt.slice(0, 10) > date ? '24:00' : clock(deadlineAt);
}

/* statusBadge(status) → a coloured badge with the day status's name. */
export function statusBadge(status, testid) {
  const s = DAY_STATUS[status] || { label: status, cls: 'inst-muted' };
  return h('span', { class: `inst-badge ${s.cls}`, 'data-testid': testid || 'day-status', 'data-status': status }, s.label);
}

const TABS = [
  { key: '', label: '看板', hash: '#/institutions' },
  { key: 'calls', label: '未报名单', hash: '#/institutions/calls' },
  { key: 'alerts', label: '预警', hash: '#/institutions/alerts' },
  { key: 'list', label: '机构名录', hash: '#/institutions/list' },
  { key: 'report', label: '期间统计', hash: '#/institutions/report' },
];

/* sectionTabs(current) — the institutions section's tabs. */
export function sectionTabs(current) {
  return h('nav', { class: 'tabs', 'aria-label': '机构日报', 'data-testid': 'inst-tabs' },
    TABS.map((t) => h('a', {
      href: t.hash, class: 'tab', 'data-testid': `inst-tab-${t.key || 'dashboard'}`,
      'aria-selected': t.key === current ? 'true' : 'false',
    }, t.label)));
}

/* dayPlus(date, n) → "YYYY-MM-DD". */
export function dayPlus(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/* trendChart(trend) — completeness and timeliness per day as two lines (0–100 %), with the
 * expected and received counts in each point's tooltip. trend: [{date, completeness_bp,
 * timeliness_bp, expected, received, on_time}] oldest first. */
export function trendChart(trend) {
  const W = 640, H = 220, L = 40, R = 12, T = 14, B = 30;
  const n = trend.length;
  const x = (i) => L + (n <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const y = (bp) => T + (H - T - B) * (1 - Math.max(0, Math.min(10000, bp)) / 10000);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'inst-chart', role: 'img', 'aria-label': '完整率与及时率趋势', 'data-testid': 'inst-trend' });
  for (const v of [0, 5000, 10000]) {
    svg.appendChild(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'inst-grid' }));
    svg.appendChild(s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'inst-axis' }, `${v / 100}%`));
  }
  const labels = n ? [0, Math.floor((n - 1) / 2), n - 1] : [];
  for (const i of new Set(labels)) svg.appendChild(s('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', class: 'inst-axis' }, trend[i].date.slice(5)));
  for (const [key, cls, name] of [['completeness_bp', 'inst-line-c', '完整率'], ['timeliness_bp', 'inst-line-t', '及时率']]) {
    const pts = trend.map((d, i) => (d[key] === null ? null : `${x(i).toFixed(1)},${y(d[key]).toFixed(1)}`)).filter(Boolean);
    if (pts.length) svg.appendChild(s('polyline', { points: pts.join(' '), class: cls, fill: 'none' }));
    trend.forEach((d, i) => {
      if (d[key] === null) return;
      const c = s('circle', { cx: x(i), cy: y(d[key]), r: n > 60 ? 1.5 : 3, class: cls });
      c.appendChild(s('title', null, `${d.date} ${name} ${pct(d[key])}（应报 ${d.expected}，已报 ${d.received}，按时 ${d.on_time}）`));
      svg.appendChild(c);
    });
  }
  const legend = h('div', { class: 'inst-legend' },
    h('span', { class: 'inst-key inst-key-c' }, '完整率（已报 ÷ 应报）'),
    h('span', { class: 'inst-key inst-key-t' }, '及时率（按时 ÷ 应报）'));
  return h('figure', { class: 'inst-figure' }, svg, legend);
}

/* The styles of these pages, added once (style.css stays the shared sheet). */
export function ensureStyles() {
  if (document.getElementById('inst-styles')) return;
  const css = `
.inst-badge { display: inline-block; font-size: 12px; line-height: 20px; padding: 0 8px; border-radius: 10px; white-space: nowrap; }
.inst-ok { background: var(--ok-soft); color: var(--ok); }
.inst-warn { background: var(--warn-soft); color: var(--warn); }
.inst-bad { background: var(--danger-soft); color: var(--danger); }
.inst-muted { background: #eceff3; color: var(--muted); }
.inst-kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 10px; margin: 0 0 12px; }
.inst-kpi { border: 1px solid var(--border); border-radius: var(--radius); padding: 8px 10px; background: #fff; }
.inst-kpi dt { font-size: 12px; color: var(--muted); }
.inst-kpi dd { margin: 0; font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.inst-kpi.inst-alarm dd { color: var(--danger); }
.inst-figure { margin: 0; }
.inst-chart { width: 100%; max-width: 720px; height: auto; display: block; }
.inst-grid { stroke: #e5e9ef; stroke-width: 1; }
.inst-axis { font-size: 11px; fill: var(--muted); }
.inst-line-c { stroke: var(--accent); fill: var(--accent); stroke-width: 2; }
.inst-line-t { stroke: var(--ok); fill: var(--ok); stroke-width: 2; }
polyline.inst-line-c, polyline.inst-line-t { fill: none; }
.inst-legend { display: flex; gap: 16px; font-size: 12px; color: var(--muted); margin-top: 4px; }
.inst-key::before { content: ""; display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 4px; }
.inst-key-c::before { background: var(--accent); }
.inst-key-t::before { background: var(--ok); }
.daily { max-width: 560px; margin: 0 auto; }
.daily-head h1 { margin-bottom: 2px; }
.daily-state { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; margin: 8px 0 12px; }
.daily-carry { background: var(--blue-soft); border-radius: var(--radius); padding: 10px 12px; margin-bottom: 12px; }
.daily-carry strong { font-size: 18px; }
.btn-zero { width: 100%; min-height: 64px; font-size: 18px; font-weight: 600; }
.daily-done { border-left: 4px solid var(--ok); }
.daily-done.inst-late-done { border-left-color: var(--warn); }
.daily-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 12px; }
.daily-grid input { text-align: right; font-size: 17px; }
.daily-recent { list-style: none; margin: 0; padding: 0; }
.daily-recent li { display: flex; justify-content: space-between; gap: 8px; padding: 7px 0; border-bottom: 1px solid #e5e9ef; }
.inst-alert-row.inst-open td:first-child { border-left: 3px solid var(--danger); }
@media (max-width: 760px) { .daily-grid { grid-template-columns: 1fr 1fr; } .daily { max-width: none; } }
`;
  document.head.appendChild(h('style', { id: 'inst-styles' }, css));
}
