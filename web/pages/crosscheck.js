// pages/crosscheck.js — 死亡比对 (#/crosscheck…): no payment to the dead.
//   #/crosscheck                 payments made after death (?status=&month=&offset=) with the
//                                recovery steps: 已通知, 已追回, 核销 (with a reason)
//   #/crosscheck/deaths          the deaths matched to the registry (?month=&offset=)
//   #/crosscheck/report          the monthly report per management unit (?month=)
// Death lists of other departments are imported on the import page (kind 死亡名单).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, yuan } from '../format.js';
import { label, options } from '../labels.js';
import {
  field, textInput, select, button, loading, failure, emptyState, notice, formDialog,
} from '../ui.js';
import { exportLinks } from './export_links.js';
import { OVER_STATUS_LABELS, PROGRAM_TEXT, MONTH_RE } from './funeral_common.js';

const PAGE = 50;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return overpayments(el, ctx);
  if (sub === 'deaths') return deaths(el, ctx);
  if (sub === 'report') return report(el, ctx);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

function hash(path, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== 0) p.set(k, String(v));
  const s = p.toString();
  return path + (s ? '?' + s : '');
}

function tabs(active) {
  const t = [['', '死亡后多发与追回'], ['deaths', '死亡人员'], ['report', '月报']];
  return h('nav', { class: 'tabs', 'aria-label': '死亡比对' }, t.map(([k, text]) =>
    h('a', { href: k ? `#/crosscheck/${k}` : '#/crosscheck', class: 'tab', 'aria-selected': String(k === active), 'data-testid': `crosscheck-tab-${k || 'overpayments'}` }, text)),
  h('a', { class: 'tab', href: '#/import' }, '导入死亡名单'));
}

function monthFilter(value, testid) {
  return field({ label: '月份', input: textInput({ value, placeholder: 'YYYY-MM', maxlength: '7', inputmode: 'numeric' }), testid });
}

async function overpayments(el, ctx) {
  ctx.setTitle('死亡比对');
  loading(el);
  const q = { status: ctx.query.get('status') ?? 'open', month: ctx.query.get('month') || '', offset: Number(ctx.query.get('offset') || 0) || 0 };
  let page;
  try {
    page = await get('/api/v1/crosscheck/overpayments', { status: q.status, month: q.month, limit: PAGE, offset: q.offset });
  } catch (err) {
    failure(el, err, '死亡后多发加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const F = {
    status: field({ label: '状态', input: select([{ value: 'open', label: '待办（已发现、已通知）' }, ...options(OVER_STATUS_LABELS)], { value: q.status, placeholder: '全部' }), testid: 'crosscheck-status' }),
    month: monthFilter(q.month, 'crosscheck-month'),
  };
  const form = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'crosscheck-form' },
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'crosscheck-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = F.month.input.value.trim();
    F.month.setError(m && !MONTH_RE.test(m) ? '月份应为 YYYY-MM' : '');
    if (m && !MONTH_RE.test(m)) return;
    ctx.navigate(hash('#/crosscheck', { status: F.status.input.value || 'all', month: m }).replace('status=all', 'status='));
  });
  const act = (x, action) => {
    if (action === 'write_off') {
      return formDialog({
        title: '核销多发款项', intro: `${x.name} ${x.month} ${PROGRAM_TEXT[x.program] || x.program} 多发 ${yuan(x.amount_fen)} 元`,
        fields: [{ name: 'reason', label: '核销原因', required: true }], submitLabel: '核销', danger: true,
        onSubmit: (v) => post(`/api/v1/crosscheck/overpayments/${x.id}/actions`, { action, reason: v.reason }),
      }).then((r) => { if (r) { notice('已核销'); ctx.refresh(); } });
    }
    return post(`/api/v1/crosscheck/overpayments/${x.id}/actions`, { action })
      .then(() => { notice(action === 'notify' ? '已登记通知' : '已登记追回'); ctx.refresh(); })
      .catch((err) => notice(err.message, 'error'));
  };
  const items = page.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'crosscheck-list' },
      h('thead', null, h('tr', null, ['姓名', '项目', '发放月份', '死亡日期', '发放金额', '多发金额', '村居', '状态', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((x) => h('tr', { 'data-testid': 'crosscheck-row', 'data-id': x.id },
        h('td', { 'data-label': '姓名' }, x.name),
        h('td', { 'data-label': '项目' }, PROGRAM_TEXT[x.program] || x.program),
        h('td', { 'data-label': '发放月份', class: 'mono' }, x.month),
        h('td', { 'data-label': '死亡日期', class: 'mono' }, x.died_on),
        h('td', { 'data-label': '发放金额', class: 'num' }, yuan(x.paid_fen)),
        h('td', { 'data-label': '多发金额', class: 'num', 'data-testid': 'crosscheck-amount' }, yuan(x.amount_fen)),
        h('td', { 'data-label': '村居' }, x.region_name),
        h('td', { 'data-label': '状态', 'data-testid': 'crosscheck-row-status' }, label(OVER_STATUS_LABELS, x.status), x.reason ? h('div', { class: 'muted' }, x.reason) : null),
        h('td', { 'data-label': '' },
          x.status === 'found' ? button('已通知', { class: 'btn btn-small', 'data-testid': 'crosscheck-notify', onclick: () => act(x, 'notify') }) : null,
          x.status === 'found' || x.status === 'notified' ? button('已追回', { class: 'btn btn-small', 'data-testid': 'crosscheck-recover', onclick: () => act(x, 'recover') }) : null,
          x.status === 'found' || x.status === 'notified' ? button('核销', { class: 'btn btn-small', 'data-testid': 'crosscheck-write-off', onclick: () => act(x, 'write_off') }) : null))))))
    : emptyState('没有符合条件的多发款项', 'crosscheck-empty');
  const base = { status: q.status || 'all', month: q.month };
  const fix = (s) => s.replace('status=all', 'status=');
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': 'crosscheck-total' }, `共 ${count(page.total)} 笔`),
    q.offset > 0 ? h('a', { class: 'btn btn-small', href: fix(hash('#/crosscheck', { ...base, offset: Math.max(0, q.offset - PAGE) })) }, '上一页') : null,
    q.offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: fix(hash('#/crosscheck', { ...base, offset: q.offset + PAGE })) }, '下一页') : null,
    exportLinks('/api/v1/crosscheck/overpayments', { status: q.status, month: q.month }, 'crosscheck-export'));
  const scan = button('重新比对', {
    class: 'btn', 'data-testid': 'crosscheck-scan',
    onclick: () => post('/api/v1/crosscheck/scan', {}).then((r) => { notice(`新发现 ${r.found} 笔`); ctx.refresh(); }).catch((err) => notice(err.message, 'error')),
  });
  replace(el, h('section', { class: 'panel', 'data-testid': 'page-crosscheck' },
    h('div', { class: 'panel-head' }, h('h1', null, '死亡后多发与追回'), h('div', { class: 'actions' }, scan)),
    tabs(''), form, table, pager));
}

async function deaths(el, ctx) {
  ctx.setTitle('死亡人员');
  loading(el);
  const q = { month: ctx.query.get('month') || '', offset: Number(ctx.query.get('offset') || 0) || 0 };
  let page;
  try {
    page = await get('/api/v1/crosscheck/deaths', { month: q.month, limit: PAGE, offset: q.offset });
  } catch (err) {
    failure(el, err, '死亡人员加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const mf = monthFilter(q.month, 'crosscheck-deaths-month');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, mf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = mf.input.value.trim();
    mf.setError(m && !MONTH_RE.test(m) ? '月份应为 YYYY-MM' : '');
    if (!m || MONTH_RE.test(m)) ctx.navigate(hash('#/crosscheck/deaths', { month: m }));
  });
  const items = page.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'crosscheck-deaths' },
      h('thead', null, h('tr', null, ['姓名', '身份证号', '村居', '死亡日期', '来源', '在保', '多发'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((x) => h('tr', { 'data-testid': 'crosscheck-death-row' },
        h('td', { 'data-label': '姓名' }, x.name),
        h('td', { 'data-label': '身份证号', class: 'mono' }, x.id_number),
        h('td', { 'data-label': '村居' }, x.region_name),
        h('td', { 'data-label': '死亡日期', class: 'mono' }, x.died_on),
        h('td', { 'data-label': '来源' }, x.source === 'funeral' ? '殡仪馆记录' : `死亡名单（${x.source_ref}）`),
        h('td', { 'data-label': '在保' }, x.on_roll ? '是' : '否'),
        h('td', { 'data-label': '多发' }, x.overpayments ? `${x.overpayments} 笔 ${yuan(x.overpaid_fen)} 元` : '—'))))))
    : emptyState('没有死亡人员记录', 'crosscheck-deaths-empty');
  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '死亡人员')), tabs('deaths'), form, table,
    h('div', { class: 'pager' }, h('span', { class: 'muted' }, `共 ${count(page.total)} 人`),
      q.offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: hash('#/crosscheck/deaths', { ...q, offset: q.offset + PAGE }) }, '下一页') : null,
      exportLinks('/api/v1/crosscheck/deaths', { month: q.month }, 'crosscheck-deaths-export'))));
}

async function report(el, ctx) {
  ctx.setTitle('死亡比对月报');
  const month = ctx.query.get('month') || new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
  loading(el);
  let r;
  try {
    r = await get('/api/v1/crosscheck/report', { month });
  } catch (err) {
    failure(el, err, '月报加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const mf = monthFilter(month, 'crosscheck-report-month');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, mf.wrap),
    h('div', { class: 'actions' }, button('查看', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'crosscheck-report-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = mf.input.value.trim();
    mf.setError(MONTH_RE.test(m) ? '' : '月份应为 YYYY-MM');
    if (MONTH_RE.test(m)) ctx.navigate(hash('#/crosscheck/report', { month: m }));
  });
  const row = (x, testid) => h('tr', { 'data-testid': testid },
    h('td', { 'data-label': '管理单位' }, x.unit_name),
    h('td', { 'data-label': '比对死亡', class: 'num' }, count(x.matched)),
    h('td', { 'data-label': '停发', class: 'num' }, count(x.stopped)),
    h('td', { 'data-label': '多发笔数', class: 'num' }, count(x.overpayments)),
    h('td', { 'data-label': '多发金额', class: 'num' }, yuan(x.overpaid_fen)),
    h('td', { 'data-label': '追回笔数', class: 'num' }, count(x.recovered)),
    h('td', { 'data-label': '追回金额', class: 'num' }, yuan(x.recovered_fen)));
  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, `死亡比对月报 ${r.month}`), h('div', { class: 'actions' }, exportLinks('/api/v1/crosscheck/report', { month: r.month }, 'crosscheck-report-export'))),
    tabs('report'), form,
    h('p', { class: 'muted' }, '比对死亡：当月死亡并比对到户籍的人数；停发：上月在发放名单、当月因死亡不再发放的人数；多发与追回按发放月份统计。'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'crosscheck-report' },
      h('thead', null, h('tr', null, ['管理单位', '比对死亡', '停发', '多发笔数', '多发金额（元）', '追回笔数', '追回金额（元）'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, (r.items || []).map((x) => row(x, 'crosscheck-report-row')), row(r.total_row, 'crosscheck-report-total'))))));
}
