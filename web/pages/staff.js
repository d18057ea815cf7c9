// pages/staff.js — 干部下沉 (#/staff…). ctx.params[0] is the sub-path:
//   ""      the period's distinct counts (GET /api/v1/staff/summary) and the deployments, by
//           default those on duty today (?on=), filterable by type; each open one can be ended
//   "new"   record a deployment (POST /api/v1/staff/deployments)

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, todayShanghai } from '../format.js';
import { field, textInput, select, button, busy, formError, formDialog, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';

const TYPES = [{ value: 'front_line', label: '下沉一线' }, { value: 'seconded', label: '抽调督导' }];

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return renderList(el, ctx);
  if (sub === 'new') return renderNew(el, ctx);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

function tabs(active) {
  const tab = (key, text, href) => h('a', { class: 'tab', role: 'tab', href, 'aria-selected': active === key ? 'true' : 'false', 'data-testid': `staff-tab-${key}` }, text);
  return h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '干部下沉' }, tab('list', '派驻情况', '#/staff'), tab('new', '登记派驻', '#/staff/new'));
}

async function renderList(el, ctx) {
  ctx.setTitle('干部下沉');
  loading(el);
  const on = ctx.query.has('on') ? ctx.query.get('on') : todayShanghai();
  const type = ctx.query.get('type') || '';
  const from = ctx.query.get('from') || '2020-01-24';
  const to = ctx.query.get('to') || '2020-04-26';
  let sum, page;
  try {
    [sum, page] = await Promise.all([get('/api/v1/staff/summary', { from, to }), get('/api/v1/staff/deployments', { on, type, limit: 200 })]);
  } catch (err) {
    failure(el, err, '派驻情况加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const onIn = textInput({ type: 'date', value: on, 'data-testid': 'staff-on', 'aria-label': '在岗日期' });
  const typeSel = select(TYPES, { placeholder: '全部类型', value: type, 'data-testid': 'staff-type', 'aria-label': '类型' });
  const form = h('form', { class: 'search-form' }, h('div', { class: 'checks' }, '在岗日期 ', onIn, typeSel, button('查询', { type: 'submit', class: 'btn', 'data-testid': 'staff-search' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`#/staff?${new URLSearchParams({ on: onIn.value, type: typeSel.value }).toString()}`);
  });
  const endBtn = (d) => {
    const b = button('结束派驻', { class: 'btn btn-small', 'data-testid': 'staff-end' });
    b.addEventListener('click', async () => {
      const r = await formDialog({
        title: '结束派驻', intro: `${d.name}（${d.staff_no}）· ${d.post}`,
        fields: [{ name: 'end_date', label: '结束日期', required: true, value: todayShanghai() }],
        onSubmit: (v) => post(`/api/v1/staff/deployments/${d.id}/end`, v),
      });
      if (r) {
        notice('已结束派驻');
        renderList(el, ctx);
      }
    });
    return b;
  };
  replace(el, tabs('list'),
    h('section', { class: 'panel' }, h('h1', null, `干部下沉 · ${from} 至 ${to}`),
      h('dl', { class: 'facts', 'data-testid': 'staff-summary' },
        h('div', { class: 'fact' }, h('dt', null, '抽调督导'), h('dd', null, h('strong', { 'data-testid': 'staff-seconded' }, count(sum.seconded)), ' 人')),
        h('div', { class: 'fact' }, h('dt', null, '下沉一线'), h('dd', null, h('strong', { 'data-testid': 'staff-front-line' }, count(sum.front_line)), ' 人'))),
      h('p', { class: 'muted' }, '期内有派驻的干部人数，同一人多次派驻只计一次。')),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, `派驻记录（${count(page.total)} 条）`), exportLinks('/api/v1/staff/deployments', { on, type }, 'staff-export')),
      form,
      page.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'staff-list' },
        h('thead', null, h('tr', null, ['工号', '姓名', '原单位', '派驻岗位', '类型', '起止', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, page.items.map((d) => h('tr', { 'data-testid': 'staff-row', 'data-id': d.id },
          h('td', { 'data-label': '工号', class: 'mono' }, d.staff_no),
          h('td', { 'data-label': '姓名' }, d.name, ' ', h('span', { class: 'mono muted' }, d.phone || '')),
          h('td', { 'data-label': '原单位' }, d.from_unit),
          h('td', { 'data-label': '派驻岗位' }, d.post, h('div', { class: 'muted' }, d.region_name)),
          h('td', { 'data-label': '类型' }, d.type_label),
          h('td', { 'data-label': '起止' }, `${d.start_date} 至 ${d.end_date || '今'}`),
          h('td', { 'data-label': '' }, d.end_date ? '' : endBtn(d)))))))
        : emptyState('该日没有派驻记录', 'staff-empty')));
}

async function renderNew(el, ctx) {
  ctx.setTitle('登记派驻');
  const f = {
    staff_no: field({ label: '工号', input: textInput({ maxlength: '20' }), testid: 'staff-no', required: true }),
    name: field({ label: '姓名', input: textInput({ maxlength: '30' }), testid: 'staff-name', required: true }),
    phone: field({ label: '电话', input: textInput({ maxlength: '20', inputmode: 'tel' }), testid: 'staff-phone' }),
    from_unit: field({ label: '原单位', input: textInput({ maxlength: '60' }), testid: 'staff-from-unit', required: true }),
    post: field({ label: '派驻岗位', input: textInput({ maxlength: '60', placeholder: '如 太保庄街道疫情防控卡口' }), testid: 'staff-post', required: true }),
    region_code: field({ label: '派驻地区划代码', input: textInput({ value: ctx.user.region_code || '', maxlength: '12', inputmode: 'numeric' }), testid: 'staff-region', required: true }),
    type: field({ label: '类型', input: select(TYPES), testid: 'staff-type-input', required: true }),
    start_date: field({ label: '开始日期', input: textInput({ type: 'date', value: todayShanghai() }), testid: 'staff-start', required: true }),
    end_date: field({ label: '结束日期', input: textInput({ type: 'date' }), testid: 'staff-end-date', hint: '尚未结束可不填' }),
  };
  const box = formError('staff-error');
  const submit = button('登记', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'staff-submit' });
  const form = h('form', { novalidate: true }, h('div', { class: 'form-grid' }, Object.values(f).map((x) => x.wrap)), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const body = {};
    for (const [k, x] of Object.entries(f)) {
      x.clearError();
      body[k] = x.input.value.trim();
    }
    try {
      await busy(submit, () => post('/api/v1/staff/deployments', body));
    } catch (err) {
      showServerError(err, f, box);
      return;
    }
    notice('已登记派驻');
    ctx.navigate(`#/staff?on=${body.start_date}`);
  });
  replace(el, tabs('new'), h('section', { class: 'panel' }, h('h1', null, '登记派驻'), form));
}
