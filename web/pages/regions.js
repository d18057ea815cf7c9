// pages/regions.js — the region browser (#/regions, #/regions/CODE).
// Without a code it opens the user's scope root (see renderRoot). Shows a breadcrumb from
// GET /api/v1/regions/CODE (ancestors above the user's scope are plain text: they would 404),
// the region's own figures, and its children from GET /api/v1/regions?parent=CODE; a row click
// goes one level down. A village links to the person search filtered by its code
// ("查看本村人员") and, for writers, to the new-household form prefilled with it.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { LEVEL_LABELS, label } from '../labels.js';
import { count } from '../format.js';
import { loading, failure, emptyState, textInput, field } from '../ui.js';

export default async function render(el, ctx) {
  const code = ctx.params[0] || '';
  loading(el);
  if (!code) {
    await renderRoot(el, ctx);
    return;
  }
  let region;
  let children = { items: [], total: 0 };
  try {
    const isVillage = code.length >= 12;
    [region, children] = await Promise.all([
      get(`/api/v1/regions/${encodeURIComponent(code)}`),
      isVillage ? Promise.resolve({ items: [], total: 0 }) : get('/api/v1/regions', { parent: code }),
    ]);
  } catch (err) {
    failure(el, err, err.status === 404 ? '区划不存在或不在您的管辖范围内' : '区划加载失败');
    return;
  }
  ctx.setTitle(`${region.name} · 区划浏览`);
  const items = (children && children.items) || [];
  replace(el,
    breadcrumb(region, ctx.user),
    header(region, ctx),
    items.length ? childrenPanel(items, children.total, ctx) :
      (region.level === 'village' ? null : h('div', { class: 'panel' }, emptyState('无下级区划', 'region-empty'))));
}

/* #/regions: the scope root. GET /api/v1/regions without parent lists the root's children (one
 * prefix) or the townships of a functional zone (several prefixes, whose user region_code is a
 * unit code and no region, so GET /api/v1/regions/CODE answers 404 and only the list shows). */
async function renderRoot(el, ctx) {
  const rootCode = ctx.user.region_code || '';
  let list;
  let root = null;
  try {
    [list, root] = await Promise.all([
      get('/api/v1/regions'),
      rootCode ? get(`/api/v1/regions/${encodeURIComponent(rootCode)}`).catch((err) => {
        if (err.status === 404) return null;
        throw err;
      }) : Promise.resolve(null),
    ]);
  } catch (err) {
    failure(el, err, '区划加载失败');
    return;
  }
  ctx.setTitle(`${root ? root.name : ctx.user.region_name || '辖区'} · 区划浏览`);
  const items = (list && list.items) || [];
  replace(el,
    root ? breadcrumb(root, ctx.user) : null,
    root ? header(root, ctx) : h('section', { class: 'panel', 'data-testid': 'region-detail' },
      h('h1', null, ctx.user.region_name || '本辖区')),
    items.length ? childrenPanel(items, list.total, ctx, root ? '下级区划' : '辖区内区划')
      : h('div', { class: 'panel' }, emptyState('无可浏览的区划', 'region-empty')));
}

/* Ancestors inside the user's scope are links; those above it are plain text (they would 404).
 * A functional-zone user (whose scope root is no single region) gets a first crumb "本辖区". */
function breadcrumb(region, user) {
  const scope = user.region_code || '';
  const chain = [...(region.ancestors || []), region];
  const trail = [];
  if (!chain.some((a) => a.code === scope)) {
    trail.push(h('a', { href: '#/regions', 'data-testid': 'breadcrumb-link' }, user.region_name || '本辖区'));
  }
  for (const a of region.ancestors || []) {
    trail.push(scope === '' || a.code.startsWith(scope)
      ? h('a', { href: `#/regions/${a.code}`, 'data-testid': 'breadcrumb-link' }, a.name)
      : h('span', { class: 'crumb-outside' }, a.name));
  }
  trail.push(h('span', { 'aria-current': 'page' }, region.name));
  const list = h('ol', { class: 'breadcrumb' }, trail.map((t) => h('li', null, t)));
  return h('nav', { 'aria-label': '当前位置', 'data-testid': 'region-breadcrumb' }, list);
}

function header(region, ctx) {
  const facts = [
    ['区划代码', region.code, 'region-code'],
    ['级别', label(LEVEL_LABELS, region.level), 'region-level'],
    ['管理单位', region.unit_name || '—', 'region-unit'],
    ['下级区划', count(region.child_count), 'region-child-count'],
    ['户数', count(region.household_count), 'region-household-count'],
    ['人数', count(region.person_count), 'region-person-count'],
  ];
  const actions = [];
  if (ctx.can('registry.read')) {
    actions.push(h('a', { class: 'btn', href: `#/search?region=${region.code}`, 'data-testid': 'region-persons' },
      region.level === 'village' ? '查看本村人员' : '查看辖区人员'));
  }
  if (region.level === 'village' && ctx.can('registry.write')) {
    actions.push(h('a', { class: 'btn', href: `#/household/new?region=${region.code}`, 'data-testid': 'region-new-household' },
      '在本村新增家庭'));
  }
  return h('section', { class: 'panel', 'data-testid': 'region-detail' },
    h('div', { class: 'panel-head' },
      h('h1', null, region.name, ' ', h('span', { class: 'badge' }, label(LEVEL_LABELS, region.level))),
      actions.length ? h('div', { class: 'actions' }, actions) : null),
    h('dl', { class: 'facts' }, facts.map(([k, v, t]) =>
      h('div', { class: 'fact' }, h('dt', null, k), h('dd', { 'data-testid': t }, v)))));
}

function childrenPanel(items, total, ctx, title = '下级区划') {
  const tbody = h('tbody', { 'data-testid': 'region-children' });
  const rows = items.map((r) => {
    const href = `#/regions/${r.code}`;
    const tr = h('tr', { class: 'clickable', 'data-testid': 'region-row', 'data-code': r.code },
      h('td', { 'data-label': '名称' }, h('a', { href }, r.name)),
      h('td', { 'data-label': '代码', class: 'mono' }, r.code),
      h('td', { 'data-label': '级别' }, label(LEVEL_LABELS, r.level)),
      h('td', { 'data-label': '管理单位' }, r.unit_name || ''),
      h('td', { 'data-label': '下级数', class: 'num' }, count(r.child_count)),
      h('td', { 'data-label': '户数', class: 'num' }, count(r.household_count)),
      h('td', { 'data-label': '人数', class: 'num' }, count(r.person_count)));
    tr.addEventListener('click', (e) => {
      if (e.target.closest('a')) return; // the link navigates by itself
      ctx.navigate(href);
    });
    tr._text = `${r.name} ${r.code} ${r.unit_name || ''}`;
    return tr;
  });
  rows.forEach((tr) => tbody.appendChild(tr));

  const table = h('table', { class: 'data responsive', 'data-testid': 'region-table' },
    h('caption', { class: 'sr-only' }, '下级区划'),
    h('thead', null, h('tr', null,
      ['名称', '代码', '级别', '管理单位', '下级数', '户数', '人数'].map((t, i) =>
        h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, t)))),
    tbody);

  // A quick filter helps in townships with a hundred villages.
  const shown = h('span', { class: 'muted', 'data-testid': 'region-total' }, `共 ${count(total ?? items.length)} 个下级区划`);
  let filter = null;
  if (items.length > 12) {
    filter = field({ label: '筛选', input: textInput({ placeholder: '名称、代码或管理单位', type: 'search' }), testid: 'region-filter' });
    filter.input.addEventListener('input', () => {
      const q = filter.input.value.trim();
      let n = 0;
      for (const tr of rows) {
        const hit = !q || tr._text.includes(q);
        tr.hidden = !hit;
        if (hit) n++;
      }
      shown.textContent = q ? `筛选出 ${n} 个，共 ${count(total ?? items.length)} 个下级区划` : `共 ${count(total ?? items.length)} 个下级区划`;
    });
  }
  return h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', null, title), shown),
    filter ? h('div', { class: 'toolbar' }, filter.wrap) : null,
    h('div', { class: 'table-wrap' }, table));
}
