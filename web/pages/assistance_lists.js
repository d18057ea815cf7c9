// pages/assistance_lists.js — three lists of the assistance module, one route each:
//   #/assistance/reviews?month=&region=   到期复核: active 低保 cases whose review falls due by
//        the month, per township (GET /api/v1/assistance/reviews-due); a review due inside an
//        epidemic period moves to the month after it, and the page says how many moved;
//   #/assistance/held?month=&region=      暂缓退出: phase-outs and terminations whose exit an
//        epidemic period holds (GET /api/v1/assistance/held-exits);
//   #/assistance/epidemic                 疫情期间: the city's declared periods, and for the city
//        administrator the form that declares one (POST /api/v1/assistance/epidemic-periods).
// Rows open the case (pages/assistance_case.js).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { PROGRAM_LABELS, EXIT_CAUSE_LABELS, PAY_STATE_LABELS, label } from '../labels.js';
import { dateTime } from '../format.js';
import {
  field, textInput, button, busy, formError, showServerError, loading, failure, notice, emptyState,
} from '../ui.js';
import { thisMonth, addMonths, money, caseHash, MONTH_RE } from './assistance_common.js';
import { exportLinks } from './export_links.js';

export default async function render(el, ctx) {
  const which = ctx.params[0];
  if (which === 'epidemic') return renderEpidemic(el, ctx);
  return renderList(el, ctx, which === 'held' ? HELD : REVIEWS);
}

const REVIEWS = {
  route: 'reviews',
  title: '到期复核',
  api: '/api/v1/assistance/reviews-due',
  testid: 'reviews',
  hint: '截至该月到期（含逾期）的低保复核；疫情期间的复核顺延至期间结束后的次月',
  cols: ['案件号', '户主', '村居', '复核类别', '上次复核', '到期月份', '月保障金额'],
  cells: (c) => [
    h('td', { 'data-label': '户主' }, c.name),
    h('td', { 'data-label': '村居' }, c.region_name),
    h('td', { 'data-label': '复核类别' }, c.review_category === 'irregular' ? '收入不固定' : '收入稳定'),
    h('td', { 'data-label': '上次复核', class: 'mono' }, c.last_review_month || ''),
    h('td', { 'data-label': '到期月份', class: 'mono' }, c.due_month,
      c.overdue ? h('span', { class: 'badge badge-warn' }, '逾期') : null,
      c.postponed ? h('span', { class: 'badge badge-muted' }, `原定 ${c.scheduled_month}`) : null),
    h('td', { 'data-label': '月保障金额', class: 'num' }, money(c.monthly_amount_fen)),
  ],
  summary: (r) => `${r.total} 户到期${r.postponed ? `；另有 ${r.postponed} 户因疫情期间顺延` : ''}`,
};

const HELD = {
  route: 'held',
  title: '疫情期间暂缓退出',
  api: '/api/v1/assistance/held-exits',
  testid: 'held',
  hint: '渐退期满或终止后本应停发、因疫情期间暂缓的对象：期间内照常发放，期满后停发',
  cols: ['案件号', '户主 / 对象', '项目', '村居', '原因', '原定停发', '暂缓至', '本月', '月金额'],
  cells: (c) => [
    h('td', { 'data-label': '户主 / 对象' }, c.name),
    h('td', { 'data-label': '项目' }, label(PROGRAM_LABELS, c.program)),
    h('td', { 'data-label': '村居' }, c.region_name),
    h('td', { 'data-label': '原因' }, label(EXIT_CAUSE_LABELS, c.exit_cause)),
    h('td', { 'data-label': '原定停发', class: 'mono' }, c.exit_month),
    h('td', { 'data-label': '暂缓至', class: 'mono' }, c.held_exit_month),
    h('td', { 'data-label': '本月' }, label(PAY_STATE_LABELS, c.state)),
    h('td', { 'data-label': '月金额', class: 'num' }, money(c.monthly_amount_fen)),
  ],
  summary: (r) => `${r.total} 户（人）的退出被暂缓`,
};

function listHash(route, month, region) {
  const p = new URLSearchParams();
  if (month) p.set('month', month);
  if (region) p.set('region', region);
  const s = p.toString();
  return `#/assistance/${route}${s ? '?' + s : ''}`;
}

async function renderList(el, ctx, L) {
  ctx.setTitle(L.title);
  const month = ctx.query.get('month') || thisMonth();
  const region = ctx.query.get('region') || '';
  const mf = field({ label: '月份', input: textInput({ value: month, maxlength: '7', placeholder: 'YYYY-MM' }), testid: `${L.testid}-month` });
  const rf = field({ label: '区划代码', input: textInput({ value: region, maxlength: '12', inputmode: 'numeric', placeholder: '如 370704008' }), testid: `${L.testid}-region`, hint: '按镇街查看' });
  const box = formError(`${L.testid}-error`);
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, mf.wrap, rf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': `${L.testid}-submit` })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = mf.input.value.trim();
    const r = rf.input.value.trim();
    mf.setError(MONTH_RE.test(m) ? '' : '月份应为 YYYY-MM');
    rf.setError(/^\d{0,12}$/.test(r) ? '' : '区划代码应为数字');
    if (MONTH_RE.test(m) && /^\d{0,12}$/.test(r)) ctx.navigate(listHash(L.route, m, r));
  });
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, L.title), h('span', { class: 'muted' }, L.hint)), box.el, form), results);
  loading(results);
  let r;
  try {
    r = await get(L.api, { month, region });
  } catch (err) {
    replace(results);
    showServerError(err, { month: mf, region: rf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const body = r.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': `${L.testid}-table` },
      h('caption', { class: 'sr-only' }, L.title),
      h('thead', null, h('tr', null, L.cols.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, r.items.map((c) => h('tr', {
        class: 'clickable', 'data-testid': `${L.testid}-row`, 'data-id': c.id, onclick: () => ctx.navigate(caseHash(c.id)),
      }, h('td', { 'data-label': '案件号' }, h('a', { href: caseHash(c.id) }, String(c.id))), L.cells(c))))))
    : emptyState('没有记录', `${L.testid}-empty`);
  replace(results, h('section', { class: 'panel' },
    h('p', { class: 'muted', 'data-testid': `${L.testid}-summary` }, L.summary(r), ' ',
      exportLinks(L.api, { month, region }, `${L.testid}-export`)), body));
}

// ---------------------------------------------------------------- epidemic periods

async function renderEpidemic(el, ctx) {
  ctx.setTitle('疫情期间');
  loading(el);
  let r;
  try {
    r = await get('/api/v1/assistance/epidemic-periods');
  } catch (err) {
    failure(el, err, '疫情期间加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const list = r.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'epidemic-table' },
      h('caption', { class: 'sr-only' }, '疫情期间'),
      h('thead', null, h('tr', null, ['起止月份', '说明', '宣布人', '宣布时间', '本月'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, r.items.map((p) => h('tr', { 'data-testid': 'epidemic-row', 'data-id': p.id },
        h('td', { 'data-label': '起止月份', class: 'mono' }, `${p.start_month} 至 ${p.end_month}`),
        h('td', { 'data-label': '说明', class: 'wide' }, p.note),
        h('td', { 'data-label': '宣布人' }, p.declared_by),
        h('td', { 'data-label': '宣布时间' }, dateTime(p.declared_at)),
        h('td', { 'data-label': '本月' }, p.in_force ? h('span', { class: 'badge badge-warn' }, '期间内') : ''))))))
    : emptyState('尚未宣布疫情期间', 'epidemic-empty');
  const city = (ctx.user.region_code || '').length <= 4 && ctx.can('assistance.approve');
  replace(el,
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', null, '疫情期间'),
        h('span', { class: 'muted' }, '期间内低保复核顺延、退出暂缓（国务院 2020 年 3 月 6 日通知）；由市局宣布')),
      list),
    city ? declareForm(ctx) : null);
}

function declareForm(ctx) {
  const now = thisMonth();
  const sf = field({ label: '开始月份', input: textInput({ value: now, maxlength: '7', placeholder: 'YYYY-MM' }), testid: 'epidemic-start', required: true, hint: `不早于本月（${now}）` });
  const ef = field({ label: '结束月份', input: textInput({ value: addMonths(now, 2), maxlength: '7', placeholder: 'YYYY-MM' }), testid: 'epidemic-end', required: true, hint: '含该月' });
  const nf = field({ label: '说明（文件依据）', input: textInput({ maxlength: '200' }), testid: 'epidemic-note', wide: true });
  const box = formError('epidemic-error');
  const save = button('宣布', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'epidemic-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'epidemic-form' }, box.el,
    h('div', { class: 'form-grid' }, sf.wrap, ef.wrap, nf.wrap), h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const s = sf.input.value.trim();
    const t = ef.input.value.trim();
    sf.setError(!MONTH_RE.test(s) ? '月份应为 YYYY-MM' : s < now ? `不能早于本月（${now}）` : '');
    ef.setError(!MONTH_RE.test(t) ? '月份应为 YYYY-MM' : t < s ? '不能早于开始月份' : '');
    if (!MONTH_RE.test(s) || s < now || !MONTH_RE.test(t) || t < s) return;
    try {
      await busy(save, () => post('/api/v1/assistance/epidemic-periods', { start_month: s, end_month: t, note: nf.input.value.trim() }));
    } catch (err) {
      showServerError(err, { start_month: sf, end_month: ef, note: nf }, box);
      return;
    }
    notice(`已宣布疫情期间 ${s} 至 ${t}`);
    ctx.refresh();
  });
  return h('section', { class: 'panel', 'data-testid': 'epidemic-declare' }, h('h2', null, '宣布疫情期间'), form);
}
