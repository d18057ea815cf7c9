// pages/relief.js — 临时救助 (temporary assistance) and the townships' reserve funds. One page
// module for every sub-path of #/relief:
//   #/relief                 the lists: my grants, all grants in scope (20 a page)
//   #/relief/new             a new grant, phone-sized (pages/relief_form.js)
//   #/relief/<id>            one grant with its deadlines and its steps (pages/relief_grant.js)
//   #/relief/overdue         overdue papers, decisions, deliveries
//   #/relief/reserves[/CODE] reserve balances per township; one township's movements, where the
//                            county allocates or replenishes (pages/relief_reserve.js)
//   #/relief/needs           replenishment needs: pay-first grants a reserve could not cover
// Every figure comes from /api/v1/relief/…; amounts are typed in yuan and sent in fen.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count, date } from '../format.js';
import { button, loading, failure, emptyState } from '../ui.js';
import { grantHash, money, stateBadge, OVERDUE_LABELS, reliefOptions } from './relief_common.js';
import { exportLinks } from './export_links.js';

const PAGE = 20;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === 'new') return (await import('./relief_form.js')).default(el, ctx);
  if (/^\d+$/.test(sub)) return (await import('./relief_grant.js')).default(el, ctx, Number(sub));
  if (sub === 'reserves' || /^reserves\/\d{9}$/.test(sub) || sub === 'needs') {
    return (await import('./relief_reserve.js')).default(el, ctx, sub);
  }
  if (sub === 'overdue') return renderOverdue(el, ctx);
  return renderList(el, ctx);
}

/* The section tabs every list view shows. */
export function reliefTabs(ctx, current) {
  const tabs = [
    ['mine', '我办理的', '#/relief?view=mine'],
    ['all', '全部', '#/relief?view=all'],
    ['overdue', '超期提醒', '#/relief/overdue'],
    ['reserves', '备用金', '#/relief/reserves'],
    ['needs', '补充需求', '#/relief/needs'],
  ];
  return h('div', { class: 'tabs', role: 'tablist', 'data-testid': 'relief-tabs' }, tabs.map(([k, t, href]) =>
    h('a', { href, role: 'tab', class: 'tab', 'aria-selected': String(k === current), 'data-testid': `relief-tab-${k}` }, t)));
}

function head(ctx, title) {
  return h('div', { class: 'panel-head' }, h('h1', null, title),
    ctx.can('assistance.write') ? h('a', { class: 'btn btn-primary', href: '#/relief/new', 'data-testid': 'relief-new' }, '登记临时救助') : null);
}

function grantRows(ctx, items, extra) {
  return items.map((g) => h('tr', {
    class: 'clickable', 'data-testid': 'relief-row', 'data-id': g.id, tabindex: '0',
    onclick: () => ctx.navigate(grantHash(g.id)),
    onkeydown: (e) => { if (e.key === 'Enter') ctx.navigate(grantHash(g.id)); },
  },
  h('td', { 'data-label': '编号' }, h('a', { href: grantHash(g.id) }, `${g.id} ${g.name}`)),
  h('td', { 'data-label': '事由' }, g.cause_label),
  h('td', { 'data-label': '金额', class: 'num' }, money(g.amount_fen)),
  h('td', { 'data-label': '方式' }, g.pay_first ? '先行救助' : '一般程序'),
  h('td', { 'data-label': '状态' }, stateBadge(g)),
  h('td', { 'data-label': '村居' }, g.region_name || g.region_code),
  extra ? extra(g) : h('td', { 'data-label': '申请日期', class: 'mono' }, g.applied_on)));
}

function grantTable(ctx, items, caption, extraHead, extra) {
  const cols = ['编号 / 对象', '事由', '金额', '方式', '状态', '村居', extraHead || '申请日期'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'relief-table' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, cols.map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
    h('tbody', null, grantRows(ctx, items, extra))));
}

async function renderList(el, ctx) {
  ctx.setTitle('临时救助');
  const view = ctx.query.get('view') === 'all' ? 'all' : 'mine';
  const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, head(ctx, '临时救助'), reliefTabs(ctx, view)), results);
  loading(results);
  let page;
  try {
    page = await get('/api/v1/relief/grants', { mine: view === 'mine' ? 1 : '', limit: PAGE, offset });
  } catch (err) {
    failure(results, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!page.items.length) {
    replace(results, h('section', { class: 'panel' }, emptyState(view === 'mine' ? '您还没有办理临时救助' : '管辖范围内暂无临时救助', 'relief-empty')));
    return;
  }
  const hash = (o) => `#/relief?view=${view}${o ? `&offset=${o}` : ''}`;
  replace(results, h('section', { class: 'panel' },
    grantTable(ctx, page.items, view === 'mine' ? '我办理的临时救助' : '临时救助'),
    h('div', { class: 'pager' },
      h('span', { class: 'muted', 'data-testid': 'relief-total' }, `共 ${count(page.total)} 笔，第 ${offset + 1}–${offset + page.items.length} 笔`),
      button('上一页', { disabled: offset <= 0, 'data-testid': 'relief-prev', onclick: () => ctx.navigate(hash(Math.max(0, offset - PAGE))) }),
      button('下一页', { disabled: offset + PAGE >= page.total, 'data-testid': 'relief-next', onclick: () => ctx.navigate(hash(offset + PAGE)) }),
      exportLinks('/api/v1/relief/grants', { mine: view === 'mine' ? 1 : '' }, 'relief-export'))));
}

async function renderOverdue(el, ctx) {
  ctx.setTitle('临时救助超期提醒');
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, head(ctx, '超期提醒'), reliefTabs(ctx, 'overdue'),
    h('p', { class: 'muted' }, '先行救助须在规定工作日内补齐材料，一般程序须在规定工作日内作出审批决定，先行救助物资须在时限内送达；法定节假日不计入工作日。')), results);
  loading(results);
  let r;
  try {
    [r] = await Promise.all([get('/api/v1/relief/overdue'), reliefOptions()]);
  } catch (err) {
    failure(results, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  const sections = Object.entries(OVERDUE_LABELS).map(([kind, title]) => {
    const items = r.items.filter((g) => g.overdue_kind === kind);
    return h('section', { class: 'panel', 'data-testid': `relief-overdue-${kind}` },
      h('h2', null, title, h('span', { class: 'badge badge-warn' }, count(items.length))),
      items.length
        ? grantTable(ctx, items, title, '期限 / 超期', (g) => h('td', { 'data-label': '期限 / 超期', class: 'mono', 'data-testid': 'relief-late' },
          `${g.due}，超期 ${g.days_late} ${kind === 'deliveries' ? '天' : '个工作日'}`))
        : emptyState('无', `relief-overdue-${kind}-empty`));
  });
  replace(results, h('p', { class: 'muted', 'data-testid': 'relief-overdue-asof' }, `截至 ${date(r.as_of)}`, ' ',
    exportLinks('/api/v1/relief/overdue', {}, 'relief-overdue-export')), sections);
}
