// pages/funeral.js — 殡葬服务 (#/funeral…): the funeral homes' records. This module is the entry
// app.js loads for every #/funeral sub-path (ctx.params[0]):
//   #/funeral              the records (?home=&cause=&status=&offset=), newest death first, with
//                          the homes and their counts
//   #/funeral/new          register a body (works on a phone)
//   #/funeral/ID           one record: its steps in order and the form for the next one
//                          (pages/funeral_body.js)

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { label, options } from '../labels.js';
import {
  field, textInput, select, button, busy, loading, failure, emptyState, formError, showServerError, notice,
} from '../ui.js';
import { exportLinks } from './export_links.js';
import {
  CAUSE_LABELS, SOURCE_LABELS, STATUS_LABELS, DATE_RE, statusBadge, homeOptions, todayText,
} from './funeral_common.js';

const PAGE = 50;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  let m;
  if (sub === '') return list(el, ctx);
  if (sub === 'new') return form(el, ctx);
  if ((m = /^(\d+)$/.exec(sub))) return (await import('./funeral_body.js')).renderBody(el, ctx, m[1]);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' },
    h('h1', null, '页面不存在'), h('p', { class: 'muted' }, '请从殡葬服务的列表选择记录。')));
  return undefined;
}

function listHash(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== 0) p.set(k, String(v));
  const s = p.toString();
  return '#/funeral' + (s ? '?' + s : '');
}

async function list(el, ctx) {
  ctx.setTitle('殡葬服务');
  loading(el);
  const q = {
    home: ctx.query.get('home') || '',
    cause: ctx.query.get('cause') || '',
    status: ctx.query.get('status') || '',
    offset: Number(ctx.query.get('offset') || 0) || 0,
  };
  let homes, page;
  try {
    [homes, page] = await Promise.all([
      get('/api/v1/funeral/homes'),
      get('/api/v1/funeral/bodies', { institution_id: q.home, cause: q.cause, status: q.status, limit: PAGE, offset: q.offset }),
    ]);
  } catch (err) {
    failure(el, err, '殡葬服务记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;

  const F = {
    home: field({ label: '殡仪馆', input: select(homeOptions(homes.items || []), { value: q.home, placeholder: '全部' }), testid: 'funeral-list-home' }),
    cause: field({ label: '死因类别', input: select([{ value: 'epidemic', label: '新冠确诊及疑似' }, ...options(CAUSE_LABELS)], { value: q.cause, placeholder: '全部' }), testid: 'funeral-list-cause' }),
    status: field({ label: '进度', input: select([{ value: 'open', label: '未办结' }, ...options(STATUS_LABELS)], { value: q.status, placeholder: '全部' }), testid: 'funeral-list-status' }),
  };
  const search = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'funeral-list-form' },
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'funeral-list-submit' })));
  search.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(listHash({ home: F.home.input.value, cause: F.cause.input.value, status: F.status.input.value }));
  });

  const homeTable = h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'funeral-homes' },
    h('thead', null, h('tr', null, ['殡仪馆', '遗体记录', '其中确诊疑似', '未办结'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
    h('tbody', null, (homes.items || []).map((x) => h('tr', { 'data-testid': 'funeral-home-row', 'data-id': x.id },
      h('td', { 'data-label': '殡仪馆' }, h('a', { href: listHash({ home: x.id }) }, x.name)),
      h('td', { 'data-label': '遗体记录', class: 'num' }, count(x.bodies)),
      h('td', { 'data-label': '其中确诊疑似', class: 'num' }, count(x.epidemic)),
      h('td', { 'data-label': '未办结', class: 'num' }, count(x.open)))))));

  const items = page.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'funeral-list' },
      h('caption', { class: 'sr-only' }, '遗体接运火化记录'),
      h('thead', null, h('tr', null, ['逝者', '死亡日期', '殡仪馆', '来源', '死因类别', '进度'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((x) => h('tr', { class: 'clickable', 'data-testid': 'funeral-list-row', 'data-id': x.id, onclick: () => ctx.navigate(`#/funeral/${x.id}`) },
        h('td', { 'data-label': '逝者' }, h('a', { href: `#/funeral/${x.id}` }, x.unidentified ? '（身份不明）' : x.name)),
        h('td', { 'data-label': '死亡日期', class: 'mono' }, x.died_on),
        h('td', { 'data-label': '殡仪馆' }, x.home_name),
        h('td', { 'data-label': '来源' }, label(SOURCE_LABELS, x.source)),
        h('td', { 'data-label': '死因类别' }, x.epidemic ? h('span', { class: 'badge badge-warn' }, label(CAUSE_LABELS, x.cause)) : label(CAUSE_LABELS, x.cause)),
        h('td', { 'data-label': '进度' }, statusBadge(x.status)))))))
    : emptyState('没有符合条件的记录', 'funeral-list-empty');
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': 'funeral-list-total' }, `共 ${count(page.total)} 条`),
    q.offset > 0 ? h('a', { class: 'btn btn-small', href: listHash({ ...q, offset: Math.max(0, q.offset - PAGE) }) }, '上一页') : null,
    q.offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: listHash({ ...q, offset: q.offset + PAGE }) }, '下一页') : null,
    exportLinks('/api/v1/funeral/bodies', { institution_id: q.home, cause: q.cause, status: q.status }, 'funeral-export'));

  replace(el,
    h('section', { class: 'panel', 'data-testid': 'page-funeral' },
      h('div', { class: 'panel-head' }, h('h1', null, '遗体接运火化记录'),
        h('div', { class: 'actions' }, h('a', { class: 'btn btn-primary', href: '#/funeral/new', 'data-testid': 'funeral-new' }, '登记遗体'))),
      search, table, pager),
    h('section', { class: 'panel' }, h('h2', null, '殡仪馆'), homeTable));
}

async function form(el, ctx) {
  ctx.setTitle('登记遗体');
  loading(el);
  let homes;
  try {
    homes = (await get('/api/v1/funeral/homes')).items || [];
  } catch (err) {
    failure(el, err, '殡仪馆加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const box = formError('funeral-form-error');
  const unidentified = h('input', { type: 'checkbox', 'data-testid': 'funeral-unidentified' });
  const F = {
    institution_id: field({ label: '殡仪馆', input: select(homeOptions(homes), { value: homes.length === 1 ? String(homes[0].id) : '', placeholder: '请选择' }), testid: 'funeral-home', required: true }),
    id_number: field({ label: '身份证号', input: textInput({ maxlength: '18', inputmode: 'text' }), testid: 'funeral-id-number', hint: '与户籍一致的，系统自动登记死亡并停发救助' }),
    name: field({ label: '姓名', input: textInput({ maxlength: '40' }), testid: 'funeral-name' }),
    description: field({ label: '体貌特征（身份不明时必填）', input: h('textarea', { rows: '2', maxlength: '200' }), testid: 'funeral-description', wide: true }),
    died_on: field({ label: '死亡日期', input: textInput({ value: todayText(), placeholder: 'YYYY-MM-DD', maxlength: '10', inputmode: 'numeric' }), testid: 'funeral-died-on', required: true }),
    source: field({ label: '遗体来源', input: select(options(SOURCE_LABELS), { value: 'hospital' }), testid: 'funeral-source', required: true, hint: '医院太平间移交的免费接运' }),
    cause: field({ label: '死因类别', input: select(options(CAUSE_LABELS), { value: 'other' }), testid: 'funeral-cause', required: true, hint: '确诊、疑似病例按疫情防控程序办理' }),
    note: field({ label: '备注', input: textInput({ maxlength: '200' }), testid: 'funeral-note', wide: true }),
  };
  const submit = button('登记', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'funeral-submit' });
  const f = h('form', { class: 'form', novalidate: true, 'data-testid': 'funeral-form' },
    box.el,
    h('label', { class: 'check' }, unidentified, ' 身份不明'),
    h('div', { class: 'form-grid' }, Object.values(F).map((x) => x.wrap)),
    h('div', { class: 'actions' }, submit, h('a', { class: 'btn', href: '#/funeral' }, '取消')));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    for (const x of Object.values(F)) x.clearError();
    const v = Object.fromEntries(Object.entries(F).map(([k, x]) => [k, x.input.value.trim()]));
    let bad = null;
    const need = (k, msg) => { if (!bad && !v[k]) { F[k].setError(msg); bad = F[k]; } };
    need('institution_id', '请选择殡仪馆');
    if (unidentified.checked) need('description', '请描述体貌特征');
    else { need('id_number', '请填写身份证号'); need('name', '请填写姓名'); }
    if (!bad && !DATE_RE.test(v.died_on)) { F.died_on.setError('日期应为 YYYY-MM-DD'); bad = F.died_on; }
    if (bad) { bad.input.focus(); return; }
    const payload = {
      institution_id: Number(v.institution_id), unidentified: unidentified.checked, died_on: v.died_on, source: v.source, cause: v.cause,
      name: v.name, description: v.description, note: v.note,
    };
    if (!unidentified.checked) payload.id_number = v.id_number.toUpperCase();
    try {
      const b = await busy(submit, () => post('/api/v1/funeral/bodies', payload));
      notice('已登记');
      ctx.navigate(`#/funeral/${b.id}`);
    } catch (err) {
      showServerError(err, F, box);
    }
  });
  replace(el, h('section', { class: 'panel', 'data-testid': 'page-funeral-new' }, h('h1', null, '登记遗体'), f));
}
