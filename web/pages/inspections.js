// pages/inspections.js — 督导检查 (#/inspections…). One route serves the section; ctx.params[0]
// is the sub-path:
//   ""            the dashboard figures (GET /api/v1/rectifications/summary) and the visits in
//                 scope (GET /api/v1/inspections), filtered by region and dates
//   "new"         record a visit (pages/inspections_form.js)
//   "ID"          one visit: results of the checklist, findings, its rectification items
//   "items"       rectification items; "overdue" the overdue list; "items/ID" one item with its
//                 actions (pages/inspections_items.js)
//   "teams"       the inspection teams (pages/inspections_teams.js)

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count, dateTime } from '../format.js';
import { field, textInput, button, formError, showServerError, loading, failure, emptyState } from '../ui.js';
import { RESULT_LABELS, TARGET_KIND_LABELS, DATE_RE, label, rectBadges, tabs, facts } from './inspections_common.js';
import { renderForm } from './inspections_form.js';
import { renderList, renderItem } from './inspections_items.js';
import { renderTeams } from './inspections_teams.js';
import { exportLinks } from './export_links.js';

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  let m;
  if (sub === '') return renderHome(el, ctx);
  if (sub === 'new') return renderForm(el, ctx);
  if (sub === 'items' || sub === 'overdue') return renderList(el, ctx, sub);
  if ((m = /^items\/(\d+)$/.exec(sub))) return renderItem(el, ctx, m[1]);
  if (sub === 'teams') return renderTeams(el, ctx);
  if (/^\d+$/.test(sub)) return renderVisit(el, ctx, sub);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

// ---------------------------------------------------------------- home

function summaryPanel(s) {
  const cell = (title, value, testid, warn) => h('div', { class: 'fact' },
    h('dt', null, title), h('dd', { 'data-testid': testid }, warn && value ? h('span', { class: 'badge badge-warn' }, count(value)) : count(value)));
  const pending = (s.by_status.open || 0) + (s.by_status.in_progress || 0) + (s.by_status.reopened || 0);
  return h('section', { class: 'panel', 'data-testid': 'insp-summary' },
    h('div', { class: 'panel-head' }, h('h2', null, '整改事项'), h('span', { class: 'muted' }, `截至 ${s.as_of}`)),
    h('dl', { class: 'facts' },
      cell('全部', s.total, 'insp-sum-total'),
      cell('待整改', pending, 'insp-sum-pending'),
      cell('待核验', s.by_status.submitted || 0, 'insp-sum-submitted'),
      cell('已销号', s.by_status.verified || 0, 'insp-sum-verified'),
      cell('逾期未完成', s.overdue, 'insp-sum-overdue', true),
      cell('临期', s.due_soon, 'insp-sum-due-soon'),
      cell('逾期完成', s.closed_late, 'insp-sum-closed-late')),
    s.units.length > 1 ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'insp-sum-units' },
      h('thead', null, h('tr', null, ['县级单位', '全部', '待整改', '待核验', '已销号', '逾期', '临期'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
      h('tbody', null, s.units.map((u) => h('tr', null,
        h('td', { 'data-label': '县级单位' }, u.unit_name || u.unit_code),
        h('td', { 'data-label': '全部', class: 'num' }, count(u.total)),
        h('td', { 'data-label': '待整改', class: 'num' }, count(u.pending)),
        h('td', { 'data-label': '待核验', class: 'num' }, count(u.submitted)),
        h('td', { 'data-label': '已销号', class: 'num' }, count(u.verified)),
        h('td', { 'data-label': '逾期', class: 'num' }, u.overdue ? h('span', { class: 'badge badge-warn' }, count(u.overdue)) : '0'),
        h('td', { 'data-label': '临期', class: 'num' }, count(u.due_soon))))))) : null);
}

function homeHash(q) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  const s = p.toString();
  return `#/inspections${s ? '?' + s : ''}`;
}

async function renderHome(el, ctx) {
  ctx.setTitle('督导检查');
  const q = { region: ctx.query.get('region') || '', from: ctx.query.get('from') || '', to: ctx.query.get('to') || '' };
  const offset = Number(ctx.query.get('offset') || 0);
  const rf = field({ label: '区划代码', input: textInput({ value: q.region, maxlength: '12', inputmode: 'numeric', placeholder: '如 370704' }), testid: 'insp-filter-region' });
  const ff = field({ label: '检查日期自', input: textInput({ value: q.from, maxlength: '10', placeholder: 'YYYY-MM-DD' }), testid: 'insp-filter-from' });
  const tf = field({ label: '至', input: textInput({ value: q.to, maxlength: '10', placeholder: 'YYYY-MM-DD' }), testid: 'insp-filter-to' });
  const box = formError('insp-filter-error');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, rf.wrap, ff.wrap, tf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'insp-filter-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = { region: rf.input.value.trim(), from: ff.input.value.trim(), to: tf.input.value.trim() };
    rf.setError(/^\d{0,12}$/.test(next.region) ? '' : '区划代码应为数字');
    ff.setError(!next.from || DATE_RE.test(next.from) ? '' : '日期应为 YYYY-MM-DD');
    tf.setError(!next.to || DATE_RE.test(next.to) ? '' : '日期应为 YYYY-MM-DD');
    if (!rf.input.classList.contains('invalid') && !ff.input.classList.contains('invalid') && !tf.input.classList.contains('invalid')) ctx.navigate(homeHash(next));
  });
  const summary = h('div');
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, tabs(ctx, 'home'), summary,
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, '督导检查记录'),
      ctx.can('inspection') ? h('a', { class: 'btn btn-primary', href: '#/inspections/new', 'data-testid': 'insp-new' }, '记录检查') : null),
    box.el, form), results);
  loading(results);
  let s, page;
  try {
    [s, page] = await Promise.all([
      get('/api/v1/rectifications/summary', { region: q.region }),
      get('/api/v1/inspections', { ...q, limit: 50, offset }),
    ]);
  } catch (err) {
    replace(results);
    showServerError(err, { region: rf, from: ff, to: tf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(summary, summaryPanel(s));
  const items = page.items;
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'insp-visits' },
      h('thead', null, h('tr', null, ['日期', '督导组', '检查对象', '符合 / 不符合 / 不适用', '整改事项', '未销号'].map((t, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : null }, t)))),
      h('tbody', null, items.map((v) => h('tr', { class: 'clickable', 'data-testid': 'insp-visit-row', 'data-id': v.id, onclick: () => ctx.navigate(`#/inspections/${v.id}`) },
        h('td', { 'data-label': '日期', class: 'mono' }, h('a', { href: `#/inspections/${v.id}` }, v.visited_on)),
        h('td', { 'data-label': '督导组' }, v.team_name || '本单位检查'),
        h('td', { 'data-label': '检查对象' }, `${v.target_name}${v.target_kind === 'institution' ? `（${v.region_name}）` : ''}`),
        h('td', { 'data-label': '结果', class: 'num' }, `${v.counts.pass} / ${v.counts.fail} / ${v.counts.na}`),
        h('td', { 'data-label': '整改事项', class: 'num' }, count(v.counts.items)),
        h('td', { 'data-label': '未销号', class: 'num' }, v.counts.open_items ? h('span', { class: 'badge badge-warn' }, count(v.counts.open_items)) : '0'))))))
    : emptyState('没有检查记录', 'insp-visits-empty');
  const pager = page.total > items.length ? h('div', { class: 'pager' },
    h('span', { class: 'total' }, `共 ${count(page.total)} 次，第 ${offset + 1}–${offset + items.length} 次`),
    offset > 0 ? h('a', { class: 'btn btn-small', href: homeHash({ ...q, offset: String(Math.max(0, offset - 50)) }) }, '上一页') : null,
    offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: homeHash({ ...q, offset: String(offset + 50) }) }, '下一页') : null) : null;
  replace(results, h('section', { class: 'panel' }, table, pager,
    h('div', { class: 'actions' }, exportLinks('/api/v1/inspections', q, 'insp-visits-export'))));
}

// ---------------------------------------------------------------- one visit

async function renderVisit(el, ctx, id) {
  loading(el);
  let v;
  try {
    v = await get(`/api/v1/inspections/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该检查记录，或不在您的管辖范围内' : '检查记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`督导检查 ${v.visited_on} · ${v.target_name}`);
  const results = h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'insp-results' },
    h('thead', null, h('tr', null, ['类别', '检查内容', '结果', '说明'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, v.results.map((x) => h('tr', { 'data-testid': 'insp-result-row', 'data-code': x.code },
      h('td', { 'data-label': '类别' }, x.category),
      h('td', { 'data-label': '检查内容' }, x.label),
      h('td', { 'data-label': '结果' }, h('span', { class: x.result === 'fail' ? 'badge badge-warn' : x.result === 'na' ? 'badge badge-muted' : 'badge' }, label(RESULT_LABELS, x.result))),
      h('td', { 'data-label': '说明' }, x.note))))));
  const findings = v.findings.length
    ? h('ol', { class: 'plain-list', 'data-testid': 'insp-findings' }, v.findings.map((f) => h('li', null,
      f.description, ' ',
      f.fixed_on_site ? h('span', { class: 'badge badge-muted' }, '立行立改') : null,
      f.rectification_id ? h('a', { href: `#/inspections/items/${f.rectification_id}` }, ` 整改事项 ${f.rectification_id}`) : null)))
    : emptyState('未发现问题', 'insp-findings-empty');
  const rects = v.rectifications.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'insp-rects' },
      h('thead', null, h('tr', null, ['编号', '责任单位', '整改要求', '期限', '状态'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, v.rectifications.map((r) => h('tr', { class: 'clickable', 'data-testid': 'insp-rect-row', 'data-id': r.id, onclick: () => ctx.navigate(`#/inspections/items/${r.id}`) },
        h('td', { 'data-label': '编号' }, h('a', { href: `#/inspections/items/${r.id}` }, String(r.id))),
        h('td', { 'data-label': '责任单位' }, r.owner_name),
        h('td', { 'data-label': '整改要求' }, r.requirement),
        h('td', { 'data-label': '期限', class: 'mono' }, r.deadline),
        h('td', { 'data-label': '状态' }, rectBadges(r)))))))
    : emptyState('无整改事项', 'insp-rects-empty');
  replace(el, tabs(ctx, ''),
    h('section', { class: 'panel', 'data-testid': 'insp-visit' },
      h('div', { class: 'panel-head' }, h('h1', null, `${v.target_name} · ${v.visited_on}`)),
      facts([
        ['督导组', v.team_name || '本单位检查', 'insp-visit-team'],
        ['检查对象', `${label(TARGET_KIND_LABELS, v.target_kind)} · ${v.target_name}`, 'insp-visit-target'],
        ['区划', `${v.region_name}（${v.region_code}）`, 'insp-visit-region'],
        ['检查日期', v.visited_on, 'insp-visit-date'],
        ['检查人员', v.inspectors, null],
        ['结果', `符合 ${v.counts.pass}，不符合 ${v.counts.fail}，不适用 ${v.counts.na}`, 'insp-visit-counts'],
        ['检查情况', v.summary, null, true],
        ['记录', `${v.created_by} · ${dateTime(v.created_at)}`, null],
      ])),
    h('section', { class: 'panel' }, h('h2', null, '检查结果'), results),
    h('section', { class: 'panel' }, h('h2', null, '发现的问题'), findings),
    h('section', { class: 'panel' }, h('h2', null, '整改事项'), rects));
}
