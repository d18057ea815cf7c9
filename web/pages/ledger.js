// pages/ledger.js — 困难群众台账: the entry point of the ledger pages and the village worker's list.
// One route (#/ledger/…) serves every view; ctx.params[0] is the sub-path:
//   (none)              the list: in scope, active first, the most overdue first, with category,
//                       status, due-only, region and name filters (GET /api/v1/ledger/entries)
//   entry/ID            one entry: facts, helper, needs, visits (pages/ledger_entry.js)
//   entry/ID/visit      record a visit, phone-sized (pages/ledger_entry.js)
//   overdue             the overdue list with counts by township / village (pages/ledger_views.js)
//   survey              摸底: one screen per household, next/previous (pages/ledger_views.js)
//   stats               statistics per period and region (pages/ledger_views.js)
//   notice[/CODE]       the printable notice with the township's 24-hour number (ledger_views.js)
//   new                 add a person by hand (pages/ledger_views.js)

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count } from '../format.js';
import { field, textInput, select, button, loading, emptyState, showServerError, formError } from '../ui.js';
import {
  CATEGORY_LABELS, categoryBadges, dueBadge, entryHash, visitHash, helperText, ledgerTabs, withQuery,
} from './ledger_common.js';
import { exportLinks } from './export_links.js';

const PAGE = 50;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  let m;
  if ((m = /^entry\/(\d+)(\/visit)?$/.exec(sub))) {
    const mod = await import('./ledger_entry.js');
    return m[2] ? mod.renderVisit(el, ctx, m[1]) : mod.renderEntry(el, ctx, m[1]);
  }
  if ((m = /^(overdue|survey|stats|new|notice)(?:\/(\d{9}|\d{12}))?$/.exec(sub))) {
    const mod = await import('./ledger_views.js');
    return mod.default(el, ctx, m[1], m[2] || '');
  }
  if (sub) {
    replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在'), h('p', { class: 'muted' }, '请从台账首页进入。')));
    return;
  }
  return renderList(el, ctx);
}

/* The 24-hour number of the user's township (village and township users), or null. */
export async function ownContact(user) {
  const code = user.region_code || '';
  if (code.length !== 9 && code.length !== 12) return null;
  try {
    return (await get(`/api/v1/ledger/notice/${code}`)).contact;
  } catch (e) {
    return null;
  }
}

export function contactLine(contact) {
  if (!contact) return null;
  return h('p', { class: 'muted', 'data-testid': 'ledger-contact' },
    `${contact.township_name || ''} 24 小时值守电话：`,
    contact.phone ? h('strong', { 'data-testid': 'ledger-contact-phone' }, contact.phone) : '未设置');
}

async function renderList(el, ctx) {
  ctx.setTitle('困难群众台账');
  const q = {
    category: ctx.query.get('category') || '',
    status: ctx.query.get('status') || '',
    due: ctx.query.get('due') === '1' ? 1 : 0,
    region: ctx.query.get('region') || '',
    q: ctx.query.get('q') || '',
    offset: Math.max(0, parseInt(ctx.query.get('offset'), 10) || 0),
  };
  const cf = field({ label: '困难类别', input: select(Object.entries(CATEGORY_LABELS).map(([value, label]) => ({ value, label })), { placeholder: '全部', value: q.category }), testid: 'ledger-filter-category' });
  const sf = field({ label: '状态', input: select([{ value: 'active', label: '在册' }, { value: 'closed', label: '已销号' }, { value: 'all', label: '全部' }], { value: q.status || 'active' }), testid: 'ledger-filter-status' });
  const rf = field({ label: '区划代码', input: textInput({ value: q.region, inputmode: 'numeric', maxlength: '12', placeholder: '留空为全部辖区' }), testid: 'ledger-filter-region' });
  const nf = field({ label: '姓名', input: textInput({ value: q.q, placeholder: '姓名开头' }), testid: 'ledger-filter-q' });
  const due = h('input', { type: 'checkbox', 'data-testid': 'ledger-filter-due', checked: q.due ? true : null });
  const box = formError('ledger-error');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, cf.wrap, sf.wrap, rf.wrap, nf.wrap),
    h('label', { class: 'check' }, due, '只看应访未访'),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'ledger-filter-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const region = rf.input.value.trim();
    rf.setError(/^\d{0,12}$/.test(region) ? '' : '区划代码应为数字');
    if (!/^\d{0,12}$/.test(region)) return;
    ctx.navigate(withQuery('#/ledger', {
      category: cf.input.value, status: sf.input.value === 'active' ? '' : sf.input.value, due: due.checked ? 1 : 0, region, q: nf.input.value.trim(),
    }));
  });
  const head = h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '困难群众台账'),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-primary', href: '#/ledger/survey', 'data-testid': 'ledger-survey-link' }, '摸底走访'),
        h('a', { class: 'btn', href: '#/ledger/notice', 'data-testid': 'ledger-notice-link' }, '打印告示'))),
    ledgerTabs(ctx, 'list'), box.el, form);
  const contactSlot = h('div');
  head.insertBefore(contactSlot, head.children[1]);
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, head, results);
  ownContact(ctx.user).then((c) => { if (ctx.isCurrent()) replace(contactSlot, contactLine(c)); });
  loading(results);
  let r;
  try {
    r = await get('/api/v1/ledger/entries', { ...q, due: q.due || '', limit: PAGE });
  } catch (err) {
    replace(results);
    showServerError(err, { region: rf, category: cf, status: sf, q: nf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const rows = r.items.map((e) => h('tr', { 'data-testid': 'ledger-row', 'data-id': e.id, 'data-due': e.due ? '1' : '0' },
    h('td', { 'data-label': '姓名' }, h('a', { href: entryHash(e.id), 'data-testid': 'ledger-row-link' }, e.name), e.age !== null ? h('span', { class: 'muted' }, ` ${e.age} 岁`) : null),
    h('td', { 'data-label': '村居' }, e.region_name),
    h('td', { 'data-label': '困难类别' }, categoryBadges(e.categories)),
    h('td', { 'data-label': '包帮责任人', 'data-testid': 'ledger-row-helper' }, helperText(e.helper)),
    h('td', { 'data-label': '上次走访', class: 'mono' }, e.last_visit_on || '未走访'),
    h('td', { 'data-label': '应访' }, dueBadge(e)),
    h('td', { 'data-label': '待解决需求', class: 'num' }, e.open_needs ? h('span', { class: 'badge badge-warn' }, String(e.open_needs)) : '0'),
    h('td', { 'data-label': '操作' }, e.status === 'active' ? h('a', { class: 'btn btn-small', href: visitHash(e.id), 'data-testid': 'ledger-row-visit' }, '记录走访') : '')));
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': 'ledger-total' }, `共 ${count(r.total)} 人`),
    q.offset > 0 ? button('上一页', { onclick: () => ctx.navigate(withQuery('#/ledger', { ...q, offset: Math.max(0, q.offset - PAGE) })) }) : null,
    q.offset + r.items.length < r.total ? button('下一页', { 'data-testid': 'ledger-next', onclick: () => ctx.navigate(withQuery('#/ledger', { ...q, offset: q.offset + PAGE })) }) : null,
    exportLinks('/api/v1/ledger/entries', { ...q, due: q.due || '' }, 'ledger-export'));
  replace(results, h('section', { class: 'panel' },
    r.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'ledger-table' },
      h('caption', { class: 'sr-only' }, '困难群众台账'),
      h('thead', null, h('tr', null, ['姓名', '村居', '困难类别', '包帮责任人', '上次走访', '应访', '待解决需求', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows))) : emptyState('没有符合条件的对象', 'ledger-empty'),
    pager));
}
