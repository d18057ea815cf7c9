// pages/price.js — 价格临时补贴 (price-linked subsidies), one module for three views:
//   #/price                      the months: indices (CPI and food CPI year on year, release day),
//                                whether the month triggers with the city's parameters, the due
//                                date, what was generated, paid, unpaid and late in the user's
//                                scope; the city enters indices here (policy.write, city users)
//                                and generates a month (payroll permission: a job on the server)
//   #/price/subsidies?month=&state=&offset=   the subsidies, one per person and month
//   #/price/late                 the late list: not paid by the due date
// Amounts are computed by the server (src/price/price_rules.c); the page only shows them. Rises
// travel as basis points (5.4 % = 540) and are typed as percentages.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { yuan, count } from '../format.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { MONTH_RE, waitJob } from './payroll.js';
import { exportLinks } from './export_links.js';

export const GROUP_LABELS = {
  dibao: '低保', tekun: '特困', orphan: '孤儿', unsupported_child: '事实无人抚养儿童',
  entitled_veteran: '优抚对象', unemployment_insurance: '失业保险金', unemployment_assistance: '失业补助金',
};
export const STATE_LABELS = { unpaid: '未发放', pending: '待确认', paid: '已发放', failed: '银行退回' };
const STATE_FILTERS = [
  { value: 'unpaid', label: '未发放' }, { value: 'pending', label: '待确认（草稿批次）' },
  { value: 'paid', label: '已发放' }, { value: 'failed', label: '银行退回' },
  { value: 'late', label: '逾期未发' }, { value: 'no_account', label: '缺少收款账户' },
];
const PAGE = 50;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/* percent(430) → "4.3%"; percent(-120) → "-1.2%". */
export function percent(bp) {
  const a = Math.abs(bp);
  const frac = String(a % 100).padStart(2, '0').replace(/0+$/, '');
  return `${bp < 0 ? '-' : ''}${Math.floor(a / 100)}${frac ? '.' + frac : ''}%`;
}

/* parsePercent("4.3") → 430; null when it is not a percentage with at most two decimals. */
export function parsePercent(text) {
  const m = /^(-?)(\d{1,3})(?:\.(\d{1,2}))?$/.exec(String(text).trim().replace(/%$/, ''));
  if (!m) return null;
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number((m[3] || '').padEnd(2, '0')));
}

function basisText(b) {
  return b === 'food_cpi' ? '食品 CPI' : b === 'cpi' ? 'CPI' : '';
}

function cityUser(ctx) {
  return (ctx.user.region_code || '').length <= 4;
}

/* ---- #/price ------------------------------------------------------------------------------ */

function indexForm(ctx) {
  const mf = field({ label: '指数月份', input: textInput({ name: 'month', inputmode: 'numeric', placeholder: 'YYYY-MM', maxlength: '7' }), testid: 'price-index-month', required: true });
  const cf = field({ label: 'CPI 同比涨幅（%）', input: textInput({ name: 'cpi', inputmode: 'decimal', placeholder: '如 4.3' }), testid: 'price-index-cpi', required: true });
  const ff = field({ label: '食品 CPI 同比涨幅（%）', input: textInput({ name: 'food', inputmode: 'decimal', placeholder: '如 18.3' }), testid: 'price-index-food', required: true });
  const pf = field({ label: '发布日期', input: textInput({ name: 'published_on', inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'price-index-published', required: true, hint: '发放期限从此日起按工作日计算' });
  const nf = field({ label: '备注', input: textInput({ name: 'note', maxlength: '100' }), testid: 'price-index-note' });
  const box = formError('price-index-error');
  const submit = button('录入指数', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'price-index-submit' });
  const form = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'price-index-form' },
    box.el, h('div', { class: 'form-grid' }, mf.wrap, cf.wrap, ff.wrap, pf.wrap, nf.wrap), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const month = mf.input.value.trim(), published = pf.input.value.trim();
    const cpi = parsePercent(cf.input.value), food = parsePercent(ff.input.value);
    mf.setError(MONTH_RE.test(month) ? '' : '月份应为 YYYY-MM，如 2020-03');
    cf.setError(cpi === null ? '请填写百分数，最多两位小数，如 4.3' : '');
    ff.setError(food === null ? '请填写百分数，最多两位小数，如 18.3' : '');
    pf.setError(DATE_RE.test(published) ? '' : '日期应为 YYYY-MM-DD，如 2020-04-10');
    if (!MONTH_RE.test(month) || cpi === null || food === null || !DATE_RE.test(published)) return;
    try {
      await busy(submit, () => post('/api/v1/price/indices', { month, cpi_bp: cpi, food_cpi_bp: food, published_on: published, note: nf.input.value.trim() }));
    } catch (err) {
      showServerError(err, { month: mf, cpi_bp: cf, food_cpi_bp: ff, published_on: pf, note: nf }, box);
      return;
    }
    notice(`已录入 ${month} 的价格指数`);
    ctx.refresh();
  });
  return h('section', { class: 'panel' }, h('h2', null, '录入价格指数'), form);
}

async function generate(ctx, month, btn, stateEl, box) {
  box.clear();
  let done;
  try {
    done = await busy(btn, async () => {
      const job = await post('/api/v1/price/generate', { month });
      return waitJob(job.id, (j) => { stateEl.textContent = j.message || '生成中…'; });
    }, '生成中…');
  } catch (err) {
    stateEl.textContent = '';
    box.set(err.message);
    return;
  }
  stateEl.textContent = '';
  if (done.status === 'failed') {
    box.set((done.error && done.error.message) || '生成失败');
    return;
  }
  const r = done.result;
  notice(`${month}：新生成 ${count(r.added)} 人，${yuan(r.added_fen)} 元；已有 ${count(r.existing)} 人未变`);
  ctx.refresh();
}

function monthRow(ctx, m, box) {
  const trig = m.city && m.city.triggered;
  const f = m.figures;
  const stateEl = h('span', { class: 'muted', 'aria-live': 'polite' });
  const actions = [h('a', { class: 'btn', href: `#/price/subsidies?month=${m.month}`, 'data-testid': 'price-month-list' }, '明细')];
  if (trig && ctx.can('payroll')) {
    const btn = button(f.generated ? '补充生成' : '生成补贴', { class: f.generated ? 'btn' : 'btn btn-primary', 'data-testid': 'price-generate' });
    btn.addEventListener('click', () => generate(ctx, m.month, btn, stateEl, box));
    actions.unshift(btn);
  }
  const why = !m.city ? '参数未设置' : trig ? '' : m.city.why;
  const history = m.history.length > 1
    ? h('details', { class: 'muted' }, h('summary', null, `修改记录 ${m.history.length} 条`),
      h('ul', null, m.history.map((x) => h('li', null, `${x.set_at.slice(0, 16).replace('T', ' ')} ${x.set_by}：CPI ${percent(x.cpi_bp)}，食品 ${percent(x.food_cpi_bp)}，发布 ${x.published_on}${x.note ? '（' + x.note + '）' : ''}`))))
    : null;
  return h('tr', { 'data-testid': 'price-month-row', 'data-month': m.month, 'data-triggered': trig ? '1' : '0' },
    h('td', { 'data-label': '月份', class: 'mono', style: 'white-space:nowrap' }, m.month, history),
    h('td', { 'data-label': 'CPI', class: 'num', 'data-testid': 'price-cpi' }, percent(m.cpi_bp)),
    h('td', { 'data-label': '食品 CPI', class: 'num', 'data-testid': 'price-food' }, percent(m.food_cpi_bp)),
    h('td', { 'data-label': '发布', class: 'mono', style: 'white-space:nowrap' }, m.published_on),
    h('td', { 'data-label': '是否启动', 'data-testid': 'price-triggered' },
      trig ? h('span', { class: 'badge' }, '启动') : h('span', { class: 'badge badge-muted' }, '不启动'),
      trig ? h('div', { class: 'muted' }, `按 ${basisText(m.city.basis)} ${percent(m.city.rise_bp)}`) : h('div', { class: 'muted' }, why)),
    h('td', { 'data-label': '发放期限', class: 'mono', style: 'white-space:nowrap', 'data-testid': 'price-due' }, trig ? m.due_on || '' : ''),
    h('td', { 'data-label': '已生成', class: 'num', 'data-testid': 'price-generated' }, `${count(f.generated)} 人`, h('div', { class: 'muted' }, `${yuan(f.generated_fen)} 元`)),
    h('td', { 'data-label': '已发放', class: 'num', 'data-testid': 'price-paid' }, `${count(f.paid)} 人`, h('div', { class: 'muted' }, `${yuan(f.paid_fen)} 元`)),
    h('td', { 'data-label': '未发放', class: 'num', 'data-testid': 'price-unpaid' }, count(f.unpaid + f.pending + f.failed),
      f.no_account ? h('div', { class: 'muted' }, `缺账户 ${count(f.no_account)}`) : null),
    h('td', { 'data-label': '逾期', class: 'num', 'data-testid': 'price-late' },
      f.late ? h('a', { href: `#/price/late?month=${m.month}` }, `${count(f.late)} 人`) : '0'),
    h('td', { 'data-label': '操作' }, h('div', { class: 'actions' }, actions, stateEl)));
}

async function renderMonths(el, ctx) {
  ctx.setTitle('价格临时补贴');
  loading(el);
  let r;
  try {
    r = await get('/api/v1/price/indices');
  } catch (err) {
    failure(el, err, '价格指数加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const box = formError('price-error');
  const table = r.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'price-months' },
      h('caption', { class: 'sr-only' }, '各月价格指数与补贴'),
      h('thead', null, h('tr', null, ['月份', 'CPI 同比', '食品 CPI 同比', '发布日期', '是否启动', '发放期限', '已生成', '已发放', '未发放', '逾期', ''].map((t, i) =>
        h('th', { scope: 'col', class: i >= 1 && i <= 2 || i >= 6 && i <= 9 ? 'num' : null }, t)))),
      h('tbody', null, r.items.map((m) => monthRow(ctx, m, box)))))
    : emptyState('尚未录入价格指数', 'price-no-months');
  replace(el,
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', null, '价格临时补贴'),
        h('div', { class: 'actions' }, h('a', { class: 'btn', href: '#/price/late', 'data-testid': 'price-late-link' }, '逾期清单'),
          h('a', { class: 'btn', href: '#/price/subsidies', 'data-testid': 'price-all-link' }, '全部补贴'),
          exportLinks('/api/v1/price/indices', {}, 'price-indices-export'))),
      h('p', { class: 'muted' }, 'CPI 同比涨幅达到 3.5% 或食品 CPI 同比涨幅达到 6% 的月份启动（以政策参数为准）；每人每月一份，按当月低保标准 × 涨幅 × 提标倍数计算，随发放批次发放，且只发放一次。数字为您管辖范围内的人数和金额。'),
      box.el, table),
    ctx.can('policy.write') && cityUser(ctx) ? indexForm(ctx) : null);
}

/* ---- #/price/subsidies, #/price/late -------------------------------------------------------- */

function listHash(view, { month, state, offset }) {
  const p = new URLSearchParams();
  if (month) p.set('month', month);
  if (state && view !== 'late') p.set('state', state);
  if (offset) p.set('offset', String(offset));
  const q = p.toString();
  return `#/price/${view}${q ? '?' + q : ''}`;
}

function formula(s) {
  const std = s.standard_per === 'year' ? `${yuan(s.standard_fen)}÷12` : yuan(s.standard_fen);
  return `${std} × ${percent(s.rise_bp)} × ${s.multiplier_bp / 10000}`;
}

async function renderList(el, ctx, view) {
  const late = view === 'late';
  ctx.setTitle(late ? '价格补贴逾期清单' : '价格补贴明细');
  const month = ctx.query.get('month') || '';
  const state = late ? 'late' : ctx.query.get('state') || '';
  const offset = Number(ctx.query.get('offset') || 0) || 0;
  loading(el);
  let r;
  try {
    r = await get('/api/v1/price/subsidies', { month, state, limit: PAGE, offset });
  } catch (err) {
    failure(el, err, '补贴明细加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const mf = field({ label: '月份', input: textInput({ name: 'month', value: month, inputmode: 'numeric', placeholder: '全部月份', maxlength: '7' }), testid: 'price-filter-month' });
  const sf = late ? null : field({ label: '状态', input: select(STATE_FILTERS, { name: 'state', value: state, placeholder: '全部' }), testid: 'price-filter-state' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, mf.wrap, sf ? sf.wrap : null),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'price-filter-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = mf.input.value.trim();
    mf.setError(!m || MONTH_RE.test(m) ? '' : '月份应为 YYYY-MM');
    if (m && !MONTH_RE.test(m)) return;
    ctx.navigate(listHash(view, { month: m, state: sf ? sf.input.value : '' }));
  });
  const rows = r.items.map((s) => h('tr', { 'data-testid': 'price-subsidy-row', 'data-state': s.state, 'data-late': s.late ? '1' : '0' },
    h('td', { 'data-label': '月份', class: 'mono' }, s.month),
    h('td', { 'data-label': '姓名' }, s.name),
    h('td', { 'data-label': '身份证号', class: 'mono' }, s.id_number),
    h('td', { 'data-label': '村居' }, s.region_name || s.region_code),
    h('td', { 'data-label': '对象类别' }, s.groups.map((g) => GROUP_LABELS[g] || g).join('、')),
    h('td', { 'data-label': '计算', class: 'muted' }, formula(s)),
    h('td', { 'data-label': '金额（元）', class: 'num', 'data-testid': 'price-subsidy-amount' }, yuan(s.amount_fen)),
    h('td', { 'data-label': '发放期限', class: 'mono' }, s.due_on),
    h('td', { 'data-label': '状态', 'data-testid': 'price-subsidy-state' },
      STATE_LABELS[s.state] || s.state,
      s.late ? h('span', { class: 'badge badge-warn' }, '逾期') : null,
      s.paid_late ? h('span', { class: 'badge badge-muted' }, '逾期发放') : null,
      !s.has_account && s.state === 'unpaid' ? h('div', { class: 'muted' }, '缺少收款账户') : null,
      s.paid_on ? h('div', { class: 'muted' }, `${s.paid_month} 批次，${s.paid_on} 确认`) : null)));
  const pager = h('div', { class: 'actions' },
    offset > 0 ? h('a', { class: 'btn', href: listHash(view, { month, state, offset: Math.max(0, offset - PAGE) }), 'data-testid': 'price-prev' }, '上一页') : null,
    offset + r.items.length < r.total ? h('a', { class: 'btn', href: listHash(view, { month, state, offset: offset + PAGE }), 'data-testid': 'price-next' }, '下一页') : null,
    exportLinks('/api/v1/price/subsidies', { month, state }, 'price-export'));
  replace(el,
    h('p', null, h('a', { href: '#/price', 'data-testid': 'price-back' }, '‹ 返回价格临时补贴')),
    h('section', { class: 'panel', 'data-testid': late ? 'price-late-list' : 'price-subsidies' },
      h('h1', null, late ? '逾期清单' : '价格补贴明细'),
      late ? h('p', { class: 'muted' }, '超过发放期限（指数发布后规定的工作日数）仍未发放的补贴；确认发放批次后即移出本清单。') : null,
      form,
      h('p', { 'data-testid': 'price-list-total' }, `共 ${count(r.total)} 人，${yuan(r.total_fen)} 元`),
      r.items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
          h('caption', { class: 'sr-only' }, late ? '逾期清单' : '补贴明细'),
          h('thead', null, h('tr', null, ['月份', '姓名', '身份证号', '村居', '对象类别', '计算', '金额（元）', '发放期限', '状态'].map((t) =>
            h('th', { scope: 'col', class: t === '金额（元）' ? 'num' : null }, t)))),
          h('tbody', null, rows)))
        : emptyState(late ? '没有逾期未发的补贴' : '没有符合条件的补贴', 'price-list-empty'),
      pager));
}

export default async function render(el, ctx) {
  const sub = (ctx.params[0] || '').split('?')[0];
  if (sub === 'subsidies' || sub === 'late') return renderList(el, ctx, sub);
  return renderMonths(el, ctx);
}
