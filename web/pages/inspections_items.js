// pages/inspections_items.js — rectification items:
//   #/inspections/items?status=&region=     the items in scope (GET /api/v1/rectifications)
//   #/inspections/overdue?as_of=&region=    the overdue list, oldest deadline first
//                                           (GET /api/v1/rectifications/overdue)
//   #/inspections/items/ID                  one item, its history, and the actions: the owner
//                                           starts and submits evidence; the inspecting side
//                                           verifies, rejects, reopens or extends
// The server decides who may do what (403 with the reason, shown in the dialog); the page only
// hides the actions a role can never take.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, dateTime } from '../format.js';
import { field, textInput, select, button, formError, showServerError, loading, failure, notice, emptyState, formDialog } from '../ui.js';
import { RECT_STATUS_LABELS, ACTION_LABELS, DATE_RE, today, label, rectBadges, tabs, facts } from './inspections_common.js';
import { exportLinks } from './export_links.js';

function listHash(which, q) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return `#/inspections/${which}${s ? '?' + s : ''}`;
}

export async function renderList(el, ctx, which) {
  const overdue = which === 'overdue';
  ctx.setTitle(overdue ? '逾期整改事项' : '整改事项');
  const q = {
    region: ctx.query.get('region') || '',
    status: overdue ? '' : ctx.query.get('status') || '',
    as_of: ctx.query.get('as_of') || '',
  };
  const offset = Number(ctx.query.get('offset') || 0);
  const rf = field({ label: '区划代码', input: textInput({ value: q.region, maxlength: '12', inputmode: 'numeric', placeholder: '如 370704' }), testid: 'rect-filter-region' });
  const sf = field({
    label: '状态',
    input: select([{ value: 'pending', label: '待整改（含整改中、重新整改）' }, ...Object.entries(RECT_STATUS_LABELS).map(([value, l]) => ({ value, label: l }))],
      { placeholder: '全部', value: q.status }),
    testid: 'rect-filter-status',
  });
  const af = field({ label: '截至日期', input: textInput({ value: q.as_of, maxlength: '10', placeholder: `YYYY-MM-DD（默认今天）` }), testid: 'rect-filter-as-of', hint: '期限在此日之前仍未完成的为逾期' });
  const box = formError('rect-filter-error');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, rf.wrap, overdue ? af.wrap : sf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rect-filter-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = { region: rf.input.value.trim(), status: overdue ? '' : sf.input.value, as_of: overdue ? af.input.value.trim() : '' };
    rf.setError(/^\d{0,12}$/.test(next.region) ? '' : '区划代码应为数字');
    af.setError(!next.as_of || DATE_RE.test(next.as_of) ? '' : '日期应为 YYYY-MM-DD');
    if (/^\d{0,12}$/.test(next.region) && (!next.as_of || DATE_RE.test(next.as_of))) ctx.navigate(listHash(which, next));
  });
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, tabs(ctx, overdue ? 'overdue' : 'items'),
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, overdue ? '逾期整改事项' : '整改事项'),
      h('span', { class: 'muted' }, overdue ? '期限已过仍未提交整改材料的事项，期限早的在前' : '督导检查发现问题的整改进度')), box.el, form),
    results);
  loading(results);
  let page;
  try {
    page = await get(overdue ? '/api/v1/rectifications/overdue' : '/api/v1/rectifications', { ...q, limit: 100, offset });
  } catch (err) {
    replace(results);
    showServerError(err, { region: rf, status: sf, as_of: af }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = page.items;
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': overdue ? 'rect-overdue-table' : 'rect-table' },
      h('thead', null, h('tr', null, ['编号', '责任单位', '问题', '整改期限', '状态', '督导组 / 检查日期'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((r) => h('tr', { class: 'clickable', 'data-testid': 'rect-row', 'data-id': r.id, onclick: () => ctx.navigate(`#/inspections/items/${r.id}`) },
        h('td', { 'data-label': '编号' }, h('a', { href: `#/inspections/items/${r.id}` }, String(r.id))),
        h('td', { 'data-label': '责任单位', 'data-testid': 'rect-owner' }, r.owner_name),
        h('td', { 'data-label': '问题', 'data-testid': 'rect-finding' }, r.finding),
        h('td', { 'data-label': '整改期限', class: 'mono', 'data-testid': 'rect-deadline' }, r.deadline),
        h('td', { 'data-label': '状态' }, rectBadges(r)),
        h('td', { 'data-label': '督导组 / 检查日期' }, `${r.team_name || '本单位检查'} · ${r.visited_on}`))))))
    : emptyState(overdue ? '没有逾期的整改事项' : '没有整改事项', overdue ? 'rect-overdue-empty' : 'rect-empty');
  const pager = page.total > items.length ? h('div', { class: 'pager' },
    h('span', { class: 'total' }, `共 ${count(page.total)} 项`),
    offset > 0 ? h('a', { class: 'btn btn-small', href: listHash(which, { ...q, offset: String(Math.max(0, offset - 100)) }) }, '上一页') : null,
    offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: listHash(which, { ...q, offset: String(offset + 100) }) }, '下一页') : null) : null;
  replace(results, h('section', { class: 'panel' },
    h('p', { class: 'muted', 'data-testid': 'rect-total' }, `${overdue ? `截至 ${page.as_of} 逾期` : '共'} ${count(page.total)} 项`),
    exportLinks(overdue ? '/api/v1/rectifications/overdue' : '/api/v1/rectifications', q, 'rect-export'),
    table, pager));
}

// ---------------------------------------------------------------- one item

const OWNER_ACTIONS = { start: ['open', 'reopened'], submit: ['open', 'in_progress', 'reopened'] };
const INSPECTOR_ACTIONS = { verify: ['submitted'], reject: ['submitted'], reopen: ['verified'], extend: ['open', 'in_progress', 'reopened'] };

function dialogFor(action, r) {
  const on = { name: 'on', label: '办理日期', value: today(), placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') };
  const deadline = (required) => ({
    name: 'deadline', label: '新的整改期限', required, placeholder: 'YYYY-MM-DD',
    validate: (v) => (!v || DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD'),
  });
  switch (action) {
    case 'start':
      return { title: '开始整改', fields: [on, { name: 'text', label: '整改措施（可选）' }] };
    case 'submit':
      return { title: '提交整改材料', intro: '写明整改情况和佐证材料（照片、台账、制度文件等）。提交后由督导方核验。', fields: [on, { name: 'text', label: '整改情况和佐证材料', required: true }] };
    case 'verify':
      return { title: '核验销号', intro: `整改材料：${r.evidence}`, fields: [on, { name: 'text', label: '核验意见（可选）' }] };
    case 'reject':
      return { title: '退回重新整改', intro: `整改材料：${r.evidence}`, fields: [on, { name: 'text', label: '退回理由', required: true }, deadline(false)] };
    case 'reopen':
      return { title: '重新打开', fields: [on, { name: 'text', label: '理由', required: true }, deadline(false)] };
    case 'extend':
      return { title: '延长整改期限', intro: `当前期限 ${r.deadline}`, fields: [on, deadline(true), { name: 'text', label: '理由', required: true }] };
    default:
      return null;
  }
}

export async function renderItem(el, ctx, id) {
  loading(el);
  let r;
  try {
    r = await get(`/api/v1/rectifications/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该整改事项，或不在您的管辖范围内' : '整改事项加载失败');
    return;
  }
  if (ctx.isCurrent()) draw(el, ctx, r);
}

function draw(el, ctx, r) {
  ctx.setTitle(`整改事项 ${r.id} · ${r.owner_name}`);
  const ownerSide = ctx.can('inspection') || ctx.can('institution.manage') || ctx.can('institution.report');
  const buttons = [];
  const add = (action, primary) => buttons.push(button(ACTION_LABELS[action], {
    class: primary ? 'btn btn-primary' : 'btn',
    'data-testid': `rect-${action}`,
    onclick: async () => {
      const d = dialogFor(action, r);
      const fresh = await formDialog({
        ...d,
        submitLabel: ACTION_LABELS[action],
        onSubmit: (values) => post(`/api/v1/rectifications/${r.id}/${action}`, values),
      });
      if (fresh && typeof fresh === 'object') {
        notice(`已${ACTION_LABELS[action]}`);
        if (ctx.isCurrent()) draw(el, ctx, fresh);
      }
    },
  }));
  if (ownerSide) for (const [a, from] of Object.entries(OWNER_ACTIONS)) if (from.includes(r.status)) add(a, a === 'submit');
  if (ctx.can('inspection')) for (const [a, from] of Object.entries(INSPECTOR_ACTIONS)) if (from.includes(r.status)) add(a, a === 'verify');
  const history = h('ol', { class: 'timeline', 'data-testid': 'rect-events' }, r.events.map((ev) => h('li', null,
    h('div', { class: 'timeline-head' }, h('strong', null, label(ACTION_LABELS, ev.action)), ' ',
      h('span', { class: 'muted' }, `${ev.on} · ${ev.by} · 记录于 ${dateTime(ev.at)}`)),
    ev.note ? h('div', null, ev.note) : null,
    ev.action === 'create' || ev.action === 'extend' || ev.action === 'reject' || ev.action === 'reopen' ? h('div', { class: 'muted' }, `整改期限 ${ev.deadline}`) : null)));
  replace(el, tabs(ctx, 'items'),
    h('section', { class: 'panel', 'data-testid': 'rect-detail' },
      h('div', { class: 'panel-head' }, h('h1', null, `整改事项 ${r.id}`), h('span', null, rectBadges(r))),
      facts([
        ['责任单位', `${r.owner_name}（${r.region_code}）`, 'rect-detail-owner'],
        ['问题', r.finding, 'rect-detail-finding', true],
        ['整改要求', r.requirement, 'rect-detail-requirement', true],
        ['整改期限', r.deadline, 'rect-detail-deadline'],
        ['状态', label(RECT_STATUS_LABELS, r.status), 'rect-detail-status'],
        ['来源', h('a', { href: `#/inspections/${r.inspection_id}` }, `${r.team_name || '本单位检查'} · ${r.visited_on} · ${r.target_name}`), null],
        r.evidence ? ['整改材料', r.evidence, 'rect-detail-evidence', true] : null,
        r.submitted_on ? ['提交', `${r.submitted_on} · ${r.submitted_by}${r.closed_late ? '（逾期完成）' : ''}`, null] : null,
        r.verified_on ? ['销号', `${r.verified_on} · ${r.verified_by}`, 'rect-detail-verified'] : null,
        r.last_note ? ['最近意见', r.last_note, null, true] : null,
      ]),
      buttons.length ? h('div', { class: 'actions', 'data-testid': 'rect-actions' }, buttons) : null),
    h('section', { class: 'panel' }, h('h2', null, '办理记录'), history));
}
