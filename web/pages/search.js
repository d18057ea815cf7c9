// pages/search.js — person search (#/search?q=…&region=…&tag=…&offset=…).
// The whole search state lives in the hash, so back/forward and bookmarks work: submitting the
// form or paging changes the hash, and the router renders this page again from it. A bare
// #/search shows the empty form; any query string (even "?q=") runs GET /api/v1/persons.
// A result row opens its household.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { TAG_LABELS, RELATION_LABELS, SEX_LABELS, PERSON_STATUS_LABELS, label, options } from '../labels.js';
import { count } from '../format.js';
import { field, textInput, select, button, formError, emptyState, showServerError, tagList } from '../ui.js';
import { regionFilterProblem, searchQueryProblem } from '../validate.js';
import { exportLinks } from './export_links.js';

export const PAGE_SIZE = 20;

/* searchHash({q, region, tag, offset}) → "#/search?q=…" (always with a query string). */
export function searchHash({ q = '', region = '', tag = '', offset = 0 }) {
  const p = new URLSearchParams();
  p.set('q', q);
  if (region) p.set('region', region);
  if (tag) p.set('tag', tag);
  if (offset > 0) p.set('offset', String(offset));
  return '#/search?' + p.toString();
}

export default async function render(el, ctx) {
  ctx.setTitle('人员查询');
  const q = (ctx.query.get('q') || '').trim();
  const region = (ctx.query.get('region') || '').trim();
  const tag = ctx.query.get('tag') || '';
  const offset = Math.max(0, parseInt(ctx.query.get('offset'), 10) || 0);

  const qf = field({
    label: '姓名 / 身份证号 / 身份证后4–6位',
    input: textInput({ type: 'search', name: 'q', value: q, placeholder: '如 张三、370704…、123X', enterkeyhint: 'search' }),
    testid: 'search-q',
    wide: true,
  });
  const rf = field({
    label: '区划代码',
    input: textInput({ name: 'region', value: region, inputmode: 'numeric', placeholder: '留空为全部辖区' }),
    testid: 'search-region',
  });
  const tf = field({
    label: '标签',
    input: select(options(TAG_LABELS), { name: 'tag', placeholder: '全部', value: tag }),
    testid: 'search-tag',
  });
  const box = formError('search-error');
  const submit = button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'search-submit' });
  const clear = button('清空', {
    'data-testid': 'search-clear',
    onclick: () => ctx.navigate('#/search'),
  });
  const form = h('form', { class: 'search-form', role: 'search', novalidate: true },
    h('div', { class: 'form-grid' }, qf.wrap, rf.wrap, tf.wrap),
    h('div', { class: 'actions' }, submit, clear));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const nq = qf.input.value.trim();
    const nr = rf.input.value.trim();
    qf.setError(searchQueryProblem(nq));
    rf.setError(regionFilterProblem(nr));
    if (qf.input.classList.contains('invalid') || rf.input.classList.contains('invalid')) return;
    ctx.navigate(searchHash({ q: nq, region: nr, tag: tf.input.value, offset: 0 }));
  });

  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  replace(el,
    h('section', { class: 'panel' }, h('h1', null, '人员查询'), box.el, form),
    results);

  if (!ctx.hasQuery) {
    replace(results, h('div', { class: 'panel muted', 'data-testid': 'search-hint' },
      '输入姓名、身份证号或身份证号后4–6位，也可只按区划或标签查询。'));
    qf.input.focus();
    return;
  }

  replace(results, h('div', { class: 'loading', role: 'status' }, '正在查询…'));
  let data;
  try {
    data = await get('/api/v1/persons', { q, region, tag, limit: PAGE_SIZE, offset });
  } catch (err) {
    replace(results);
    showServerError(err, { q: qf, region: rf, tag: tf }, box);
    return;
  }
  const items = data.items || [];
  const total = data.total ?? items.length;
  const limit = data.limit || PAGE_SIZE;
  const off = data.offset ?? offset;

  const totalEl = h('span', { class: 'total', 'data-testid': 'search-total' }, `共 ${count(total)} 条`);
  if (!items.length) {
    replace(results, h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, '查询结果'), totalEl),
      emptyState('未找到符合条件的人员', 'search-empty')));
    return;
  }

  const tbody = h('tbody', { 'data-testid': 'search-results' }, items.map((p) => personRow(p, ctx)));
  const table = h('table', { class: 'data responsive', 'data-testid': 'search-table' },
    h('caption', { class: 'sr-only' }, '查询结果'),
    h('thead', null, h('tr', null,
      ['姓名', '身份证号', '性别', '年龄', '与户主关系', '村居', '标签'].map((t, i) =>
        h('th', { scope: 'col', class: i === 3 ? 'num' : null }, t)))),
    tbody);

  const hasPrev = off > 0;
  const hasNext = off + items.length < total;
  const prev = button('上一页', {
    'data-testid': 'search-prev', disabled: !hasPrev,
    onclick: () => ctx.navigate(searchHash({ q, region, tag, offset: Math.max(0, off - limit) })),
  });
  const next = button('下一页', {
    'data-testid': 'search-next', disabled: !hasNext,
    onclick: () => ctx.navigate(searchHash({ q, region, tag, offset: off + limit })),
  });
  const page = Math.floor(off / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': 'search-range' },
      `第 ${count(off + 1)}–${count(off + items.length)} 条，第 ${page}/${pages} 页`),
    prev, next);

  replace(results, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', null, '查询结果'), totalEl,
      exportLinks('/api/v1/persons', { q, region, tag }, 'search-export')),
    h('div', { class: 'table-wrap' }, table),
    pager));
}

function personRow(p, ctx) {
  const href = `#/household/${p.household_id}`;
  const tr = h('tr', { class: 'clickable', 'data-testid': 'search-row', 'data-person-id': p.id, 'data-household-id': p.household_id },
    h('td', { 'data-label': '姓名' }, h('a', { href }, p.name),
      p.status && p.status !== 'active' ? h('span', { class: 'badge badge-muted' }, label(PERSON_STATUS_LABELS, p.status)) : null),
    h('td', { 'data-label': '身份证号', class: 'mono wide' }, p.id_number),
    h('td', { 'data-label': '性别' }, label(SEX_LABELS, p.sex)),
    h('td', { 'data-label': '年龄', class: 'num' }, p.age ?? ''),
    h('td', { 'data-label': '与户主关系' }, label(RELATION_LABELS, p.relation)),
    h('td', { 'data-label': '村居', class: 'mono' }, p.region_code),
    h('td', { 'data-label': '标签', class: 'wide' }, tagList(p.tags)));
  tr.addEventListener('click', (e) => {
    if (e.target.closest('a')) return;
    ctx.navigate(href);
  });
  return tr;
}
