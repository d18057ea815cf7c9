// pages/stats.js — 民政统计报表 (#/stats?from=…&to=…&county=…): every figure of the bureau's
// published table that the modules record, for the city (or one management unit) and per unit,
// computed by the server from the individual records (GET /api/v1/reports/stats). Figures no
// module records yet show as 尚未记录. The same report downloads as Excel and as an A4 HTML
// document for printing (…&format=xlsx / html).

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { yuan, count } from '../format.js';
import { button, showServerError, loading, failure } from '../ui.js';
import { periodUnitForm } from './period_form.js';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function statsHash({ from, to, county }) {
  const p = new URLSearchParams({ from, to });
  if (county) p.set('county', county);
  return '#/stats?' + p.toString();
}

/* An item's value as shown: 尚未记录 for null, yuan for fen, a percentage for basis points. */
export function show(item, v) {
  if (v === null || v === undefined) return item.source ? '无权查看' : '尚未记录';
  if (item.kind === 'fen') return yuan(v);
  if (item.kind === 'bp') return `${(v / 100).toFixed(2)}%`;
  return count(v);
}

/* 打印: the A4 document in a hidden frame of this page, printed from there (no new window). */
function printButton(url) {
  const btn = button('打印', { type: 'button', class: 'btn', 'data-testid': 'stats-print' });
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const res = await fetch(url, { credentials: 'same-origin' });
      if (!res.ok) throw new Error(String(res.status));
      const frame = h('iframe', { title: '打印', 'data-testid': 'stats-print-frame', style: 'position:fixed;width:0;height:0;border:0;right:0;bottom:0' });
      frame.srcdoc = await res.text();
      frame.addEventListener('load', () => {
        frame.contentWindow.focus();
        frame.contentWindow.print();
        setTimeout(() => frame.remove(), 60000);
      }, { once: true });
      document.body.append(frame);
    } catch {
      btn.textContent = '打印失败，请下载 A4 打印版';
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

const COMPARE = ['dibao_persons', 'dibao_amount_fen', 'tekun_persons', 'tekun_amount_fen', 'temp_relief_person_times',
  'temp_relief_amount_fen', 'price_subsidy_persons', 'price_subsidy_amount_fen', 'elderly_homes', 'ledger_entries'];

export default async function render(el, ctx) {
  ctx.setTitle('统计报表');
  const from = ctx.query.get('from') || '2020-01-24';
  const to = ctx.query.get('to') || '2020-04-26';
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
    units, from, to, unit: county, re: DATE_RE, unitName: 'county',
    input: { placeholder: 'YYYY-MM-DD', maxlength: '10' },
    labels: ['开始日期', '结束日期'],
    messages: { from: '日期应为 YYYY-MM-DD，如 2020-01-24', to: '日期应为 YYYY-MM-DD，如 2020-04-26', order: '结束日期不能早于开始日期' },
    testids: { from: 'stats-from', to: 'stats-to', unit: 'stats-county', submit: 'stats-submit', error: 'stats-error' },
    navigate: (f, t, c) => ctx.navigate(statsHash({ from: f, to: t, county: c })),
  });
  const results = h('div', { 'aria-live': 'polite' }, h('div', { class: 'loading', role: 'status' }, '正在统计…'));
  replace(el, h('section', { class: 'panel' }, h('h1', null, '民政工作统计报表'), box.el, form), results);

  let r;
  try {
    r = await get('/api/v1/reports/stats', { from, to, county });
  } catch (err) {
    replace(results);
    showServerError(err, { from: fields.from, to: fields.to, county: fields.unit }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const q = { from, to, ...(county ? { county } : {}) };
  const xlsx = `/api/v1/reports/stats?${new URLSearchParams({ ...q, format: 'xlsx' })}`;
  const html = `/api/v1/reports/stats?${new URLSearchParams({ ...q, format: 'html' })}`;
  const byKey = Object.fromEntries(r.items.map((i) => [i.key, i]));
  const main = h('table', { class: 'data', 'data-testid': 'stats-city' },
    h('thead', null, h('tr', null, ['类别', '项目', '单位', county ? '合计' : '全市'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, r.items.map((i) => h('tr', { 'data-testid': 'stats-row', 'data-key': i.key },
      h('td', null, i.section), h('td', null, i.label), h('td', null, i.kind === 'fen' ? '元' : i.unit),
      h('td', { class: r.city[i.key] === null ? 'muted' : 'num', 'data-testid': `stats-value-${i.key}` }, show(i, r.city[i.key]))))));
  const codes = Object.keys(r.counties);
  const compare = h('table', { class: 'data responsive', 'data-testid': 'stats-units' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, '管理单位'),
      COMPARE.map((k) => h('th', { scope: 'col', class: 'num' }, byKey[k].label + (byKey[k].kind === 'fen' ? '（元）' : ''))))),
    h('tbody', null, codes.map((c) => h('tr', { 'data-testid': 'stats-unit-row', 'data-unit': c },
      h('td', { 'data-label': '管理单位' }, `${c} ${r.counties[c].name}`),
      COMPARE.map((k) => h('td', { class: 'num', 'data-label': byKey[k].label }, show(byKey[k], r.counties[c][k])))))));
  replace(results,
    h('section', { class: 'panel', 'data-testid': 'stats' },
      h('div', { class: 'panel-head' },
        h('h2', null, `${r.from} 至 ${r.to}`),
        h('div', { class: 'row-actions' },
          h('a', { class: 'btn', href: xlsx, download: '', 'data-testid': 'stats-xlsx' }, '下载 Excel'),
          h('a', { class: 'btn', href: html, download: '', 'data-testid': 'stats-html' }, '下载 A4 打印版'),
          printButton(html))),
      h('p', { class: 'muted', 'data-testid': 'stats-note' },
        `按月统计的项目（低保、特困、价格临时补贴、临时救助）取 ${r.months_from} 至 ${r.months_to}；所有数字均由个案记录即时计算，不作估算；“无权查看”为您的角色不能查看的模块。`),
      h('div', { class: 'table-wrap' }, main),
      h('h3', null, '各管理单位对比'),
      h('div', { class: 'table-wrap' }, compare)));
}
