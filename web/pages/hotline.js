// pages/hotline.js — 热线个案: the module's pages under #/hotline (ctx.params[0] is the sub-path).
//   #/hotline                 the desk: my queue (assessments, follow-ups, callbacks due), what is
//                             overdue in my scope, and the county view (open, overdue, closed)
//   #/hotline/new             a call, and the case it opens, in one screen (hotline_call.js)
//   #/hotline/calls           call records (latest versions), filters and pages
//   #/hotline/call/ID         one call with its corrections (hotline_call.js)
//   #/hotline/cases           cases by stage: open, overdue, in temporary care, closed; mine
//   #/hotline/case/ID         one case, its record and its next steps (hotline_case.js)

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { label } from '../labels.js';
import { count, dateTime } from '../format.js';
import { field, textInput, select, button, loading, failure, emptyState } from '../ui.js';
import {
  CALL_OUTCOME_LABELS, CATEGORY_LABELS, CLOSE_OUTCOME_LABELS, TASK_LABELS, caseHash, callHash, hotlineHash, statusBadge,
  urgencyBadge, overdueBadge, due,
} from './hotline_common.js';
import { exportLinks } from './export_links.js';

const PAGE = 20;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  const m = /^(call|case)\/(\d+)$/.exec(sub);
  if (sub === 'new' || (m && m[1] === 'call')) {
    const mod = await import('./hotline_call.js');
    return mod.default(el, ctx, m ? m[2] : null);
  }
  if (m && m[1] === 'case') {
    const mod = await import('./hotline_case.js');
    return mod.default(el, ctx, m[2]);
  }
  if (sub === 'calls') return renderCalls(el, ctx);
  if (sub === 'cases') return renderCases(el, ctx);
  if (sub === '') return renderDesk(el, ctx);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在'), h('p', { class: 'muted' }, '请从左侧菜单选择功能。')));
}

function head(title, ctx) {
  return h('div', { class: 'panel-head' }, h('h1', null, title),
    h('div', { class: 'actions' },
      h('a', { class: 'btn btn-primary', href: '#/hotline/new', 'data-testid': 'hotline-new-call' }, '登记来电'),
      h('a', { class: 'btn', href: '#/hotline', 'data-testid': 'hotline-desk' }, '工作台'),
      h('a', { class: 'btn', href: '#/hotline/calls', 'data-testid': 'hotline-calls' }, '来电记录'),
      h('a', { class: 'btn', href: '#/hotline/cases', 'data-testid': 'hotline-cases' }, '个案')));
}

// ---------------------------------------------------------------- the desk

function taskRow(t, ctx) {
  const href = t.case_id ? caseHash(t.case_id) : callHash(t.call_id);
  return h('tr', {
    class: 'clickable', 'data-testid': 'hotline-task', 'data-type': t.type, 'data-case': t.case_id || '', tabindex: '0',
    onclick: () => ctx.navigate(href), onkeydown: (e) => { if (e.key === 'Enter') ctx.navigate(href); },
  },
  h('td', { 'data-label': '事项' }, h('a', { href }, label(TASK_LABELS, t.type))),
  h('td', { 'data-label': '对象 / 来电人' }, t.subject),
  h('td', { 'data-label': '地区' }, t.region_name || t.region_code),
  h('td', { 'data-label': '紧急程度' }, urgencyBadge(t.urgency)),
  h('td', { 'data-label': '时限', class: 'mono' }, due(t.due), ' ', t.overdue ? overdueBadge() : null),
  h('td', { 'data-label': '责任人' }, t.owner));
}

function taskTable(items, ctx, testid, caption) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': testid },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, ['事项', '对象 / 来电人', '地区', '紧急程度', '时限', '责任人'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, items.map((t) => taskRow(t, ctx)))));
}

const OVERVIEW_COLS = [
  ['calls', '来电'], ['calls_child', '儿童热线'], ['opened', '立案'], ['closed', '结案'],
  ['assessed_on_time', '按时评估'], ['assessed_late', '超时评估'], ['open', '办理中'],
  ['overdue_assess', '评估逾期'], ['overdue_followup', '回访逾期'], ['in_care', '临时照料中'],
];

async function renderDesk(el, ctx) {
  ctx.setTitle('热线个案');
  const mine = h('div', { 'aria-live': 'polite' });
  const overdue = h('div', { 'aria-live': 'polite' });
  const view = h('div', { 'aria-live': 'polite' });
  const from = ctx.query.get('from') || '';
  const to = ctx.query.get('to') || '';
  const ff = field({ label: '自', input: textInput({ value: from, placeholder: 'YYYY-MM-DD' }), testid: 'overview-from' });
  const tf = field({ label: '至', input: textInput({ value: to, placeholder: 'YYYY-MM-DD' }), testid: 'overview-to' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, ff.wrap, tf.wrap),
    h('div', { class: 'actions' }, button('统计', { type: 'submit', class: 'btn', 'data-testid': 'overview-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(hotlineHash('', { from: ff.input.value.trim(), to: tf.input.value.trim() }));
  });
  replace(el,
    h('section', { class: 'panel' }, head('热线个案', ctx),
      h('h2', null, '我的待办'), mine),
    h('section', { class: 'panel' }, h('h2', null, '辖区内逾期事项'), overdue),
    h('section', { class: 'panel', 'data-testid': 'hotline-overview' }, h('h2', null, '各县区办理情况'),
      h('p', { class: 'muted' }, '来电、立案、结案和按时评估按所选期间统计；办理中、逾期和临时照料中为当前数。'), form, view));
  loading(mine);
  loading(overdue);
  loading(view);
  let t1, t2, ov;
  try {
    [t1, t2, ov] = await Promise.all([
      get('/api/v1/hotline/tasks', { mine: 1, limit: 50 }),
      get('/api/v1/hotline/tasks', { overdue: 1, limit: 50 }),
      get('/api/v1/hotline/overview', { from, to }),
    ]);
  } catch (err) {
    failure(mine, err);
    replace(overdue);
    replace(view);
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(mine, t1.items.length ? taskTable(t1.items, ctx, 'hotline-my-tasks', '我的待办')
    : emptyState('没有待办事项', 'hotline-my-tasks-empty'),
  h('p', { class: 'muted', 'data-testid': 'hotline-my-total' }, `共 ${count(t1.total)} 项，其中逾期 ${count(t1.overdue)} 项`, ' ',
    exportLinks('/api/v1/hotline/tasks', { mine: 1 }, 'hotline-my-tasks-export')));
  replace(overdue, t2.items.length ? taskTable(t2.items, ctx, 'hotline-overdue-tasks', '逾期事项')
    : emptyState('没有逾期事项', 'hotline-overdue-empty'),
  h('p', { class: 'muted' }, exportLinks('/api/v1/hotline/tasks', { overdue: 1 }, 'hotline-overdue-tasks-export')));
  if (!ov.items.length) {
    replace(view, emptyState('所选期间没有来电和个案', 'hotline-overview-empty'));
    return;
  }
  const link = (code, stage, n) => (n ? h('a', { href: hotlineHash('cases', { stage, region: code.length >= 6 ? code : '' }) }, count(n)) : '0');
  const cell = (r, key) => {
    const v = r[key];
    if (key === 'open') return link(r.region_code, 'open', v);
    if (key === 'overdue_assess' || key === 'overdue_followup') return v ? link(r.region_code, 'overdue', v) : '0';
    if (key === 'in_care') return link(r.region_code, 'in_care', v);
    return count(v);
  };
  replace(view, h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'overview-table' },
    h('caption', { class: 'sr-only' }, '各县区办理情况'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, '县市区'), OVERVIEW_COLS.map(([, t]) => h('th', { scope: 'col', class: 'num' }, t)))),
    h('tbody', null,
      ov.items.map((r) => h('tr', { 'data-testid': 'overview-row', 'data-region': r.region_code },
        h('td', { 'data-label': '县市区' }, r.region_name || r.region_code),
        OVERVIEW_COLS.map(([k, t]) => h('td', { 'data-label': t, class: 'num', 'data-key': k }, cell(r, k))))),
      ov.items.length > 1 ? h('tr', { class: 'total', 'data-testid': 'overview-total' },
        h('td', { 'data-label': '县市区' }, '合计'),
        OVERVIEW_COLS.map(([k, t]) => h('td', { 'data-label': t, class: 'num', 'data-key': k }, count(ov.totals[k])))) : null))));
}

// ---------------------------------------------------------------- calls

async function renderCalls(el, ctx) {
  ctx.setTitle('来电记录');
  const st = {
    line: ctx.query.get('line') || '', from: ctx.query.get('from') || '', to: ctx.query.get('to') || '',
    outcome: ctx.query.get('outcome') || '', q: ctx.query.get('q') || '',
  };
  const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  let lines = [];
  try {
    lines = (await get('/api/v1/hotline/lines')).items;
  } catch (err) {
    failure(el, err);
    return;
  }
  const lf = field({ label: '热线', input: select(lines.map((l) => ({ value: l.code, label: l.name })), { placeholder: '全部', value: st.line }), testid: 'calls-line' });
  const of = field({ label: '处理结果', input: select(Object.entries(CALL_OUTCOME_LABELS).map(([value, l]) => ({ value, label: l })), { placeholder: '全部', value: st.outcome }), testid: 'calls-outcome' });
  const ff = field({ label: '自', input: textInput({ value: st.from, placeholder: 'YYYY-MM-DD' }), testid: 'calls-from' });
  const tf = field({ label: '至', input: textInput({ value: st.to, placeholder: 'YYYY-MM-DD' }), testid: 'calls-to' });
  const qf = field({ label: '来电人', input: textInput({ value: st.q, placeholder: '姓名或电话后 4 位' }), testid: 'calls-q' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, lf.wrap, of.wrap, ff.wrap, tf.wrap, qf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'calls-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(hotlineHash('calls', { line: lf.input.value, outcome: of.input.value, from: ff.input.value.trim(), to: tf.input.value.trim(), q: qf.input.value.trim() }));
  });
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, head('来电记录', ctx), form), results);
  loading(results);
  let page;
  try {
    page = await get('/api/v1/hotline/calls', { ...st, limit: PAGE, offset });
  } catch (err) {
    failure(results, err, '查询失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!page.items.length) {
    replace(results, h('section', { class: 'panel' }, emptyState('没有符合条件的来电记录', 'calls-empty')));
    return;
  }
  const rows = page.items.map((c) => h('tr', {
    class: 'clickable', 'data-testid': 'call-row', 'data-id': c.id, tabindex: '0',
    onclick: () => ctx.navigate(callHash(c.id)), onkeydown: (e) => { if (e.key === 'Enter') ctx.navigate(callHash(c.id)); },
  },
  h('td', { 'data-label': '编号' }, h('a', { href: callHash(c.id) }, String(c.id)), c.corrects_id ? h('span', { class: 'muted' }, '（更正）') : null),
  h('td', { 'data-label': '来电时间', class: 'mono' }, dateTime(c.called_at)),
  h('td', { 'data-label': '热线' }, c.line_name),
  h('td', { 'data-label': '来电人' }, `${c.caller_name} ${c.caller_phone}`),
  h('td', { 'data-label': '地区' }, c.region_name || c.region_code),
  h('td', { 'data-label': '类别' }, label(CATEGORY_LABELS, c.category)),
  h('td', { 'data-label': '紧急程度' }, urgencyBadge(c.urgency)),
  h('td', { 'data-label': '处理结果' }, label(CALL_OUTCOME_LABELS, c.outcome), c.case_id ? [' ', h('a', { href: caseHash(c.case_id) }, `个案 ${c.case_id}`)] : null)));
  const state = { ...st };
  replace(results, h('section', { class: 'panel' },
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'calls-table' },
      h('caption', { class: 'sr-only' }, '来电记录'),
      h('thead', null, h('tr', null, ['编号', '来电时间', '热线', '来电人', '地区', '类别', '紧急程度', '处理结果'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows))),
    pager(ctx, 'calls', state, offset, page, exportLinks('/api/v1/hotline/calls', st, 'calls-export'))));
}

function pager(ctx, path, state, offset, page, extra = null) {
  return h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': `${path}-total` }, `共 ${count(page.total)} 条，第 ${offset + 1}–${offset + page.items.length} 条`),
    button('上一页', { 'data-testid': `${path}-prev`, disabled: offset <= 0, onclick: () => ctx.navigate(hotlineHash(path, { ...state, offset: Math.max(0, offset - PAGE) })) }),
    button('下一页', { 'data-testid': `${path}-next`, disabled: offset + PAGE >= page.total, onclick: () => ctx.navigate(hotlineHash(path, { ...state, offset: offset + PAGE })) }),
    extra);
}

// ---------------------------------------------------------------- cases

const STAGES = [
  { stage: 'open', title: '办理中' },
  { stage: 'overdue', title: '逾期' },
  { stage: 'in_care', title: '临时照料中' },
  { stage: 'closed', title: '已结案' },
  { stage: 'mine', title: '我负责的' },
];

async function renderCases(el, ctx) {
  ctx.setTitle('热线个案');
  const stage = ctx.query.get('stage') || 'open';
  const region = ctx.query.get('region') || '';
  const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'data-testid': 'hotline-case-tabs' }, STAGES.map((s) =>
    h('a', { href: hotlineHash('cases', { stage: s.stage, region }), role: 'tab', class: 'tab', 'aria-selected': String(s.stage === stage), 'data-testid': `hotline-tab-${s.stage}` }, s.title)));
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, head('个案', ctx), tabs,
    region ? h('p', { class: 'muted' }, `地区：${region} `, h('a', { href: hotlineHash('cases', { stage }) }, '（全部地区）')) : null), results);
  loading(results);
  let page;
  try {
    page = await get('/api/v1/hotline/cases', stage === 'mine'
      ? { mine: 1, stage: 'open', region, limit: PAGE, offset }
      : { stage, region, limit: PAGE, offset });
  } catch (err) {
    failure(results, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!page.items.length) {
    replace(results, h('section', { class: 'panel' }, emptyState('没有个案', 'hotline-cases-empty')));
    return;
  }
  const rows = page.items.map((c) => h('tr', {
    class: 'clickable', 'data-testid': 'hotline-case-row', 'data-id': c.id, tabindex: '0',
    onclick: () => ctx.navigate(caseHash(c.id)), onkeydown: (e) => { if (e.key === 'Enter') ctx.navigate(caseHash(c.id)); },
  },
  h('td', { 'data-label': '个案号' }, h('a', { href: caseHash(c.id) }, String(c.id))),
  h('td', { 'data-label': '热线' }, c.line_name),
  h('td', { 'data-label': '对象' }, c.subject_name),
  h('td', { 'data-label': '地区' }, c.region_name || c.region_code),
  h('td', { 'data-label': '紧急程度' }, urgencyBadge(c.urgency)),
  h('td', { 'data-label': '状态' }, statusBadge(c.status), c.open_placements ? [' ', h('span', { class: 'badge' }, '临时照料中')] : null),
  h('td', { 'data-label': '立案时间', class: 'mono' }, dateTime(c.opened_at)),
  h('td', { 'data-label': '时限', class: 'mono' },
    c.status === 'intake' ? [`评估 ${due(c.assess_due)}`, c.assess_overdue ? [' ', overdueBadge()] : null]
      : c.status === 'active' && c.next_followup_due ? [`回访 ${c.next_followup_due}`, c.followup_overdue ? [' ', overdueBadge()] : null]
        : c.status === 'closed' ? label(CLOSE_OUTCOME_LABELS, c.outcome) : ''),
  h('td', { 'data-label': '责任人' }, c.assigned_to || '')));
  replace(results, h('section', { class: 'panel' },
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'hotline-case-table' },
      h('caption', { class: 'sr-only' }, '个案'),
      h('thead', null, h('tr', null, ['个案号', '热线', '对象', '地区', '紧急程度', '状态', '立案时间', '时限 / 结果', '责任人'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows))),
    pager(ctx, 'cases', { stage, region }, offset, page,
      exportLinks('/api/v1/hotline/cases', stage === 'mine' ? { mine: 1, stage: 'open', region } : { stage, region }, 'cases-export'))));
}

