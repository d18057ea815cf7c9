// pages/lottery.js — 福彩网点 (#/lottery…). ctx.params[0] is the sub-path:
//   ""     the outlets in scope with their status on a day (GET /api/v1/lottery/outlets),
//          exportable
//   "ID"   one outlet: its closures, checklists and reopenings; with institution.manage the
//          closure, the reopening checklist (four items) and the reopening, which the server
//          refuses (409 checklist_required, shown as it says) without a complete checklist

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, todayShanghai } from '../format.js';
import { button, busy, formDialog, textInput, loading, failure, notice, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';

const STATUS = { open: '营业', closed: '停业', not_open: '未开业' };

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return renderList(el, ctx);
  if (/^\d+$/.test(sub)) return renderOutlet(el, ctx, sub);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

async function renderList(el, ctx) {
  ctx.setTitle('福彩网点');
  loading(el);
  const date = ctx.query.get('date') || todayShanghai();
  let page;
  try {
    page = await get('/api/v1/lottery/outlets', { date, limit: 200 });
  } catch (err) {
    failure(el, err, '福彩网点加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const dateIn = textInput({ type: 'date', value: date, 'data-testid': 'lottery-date', 'aria-label': '日期' });
  dateIn.addEventListener('change', () => ctx.navigate(`#/lottery?date=${dateIn.value}`));
  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '福利彩票销售网点'), exportLinks('/api/v1/lottery/outlets', { date }, 'lottery-export')),
    h('div', { class: 'toolbar' }, dateIn),
    h('p', { 'data-testid': 'lottery-counts' }, `${date}：营业 ${count(page.open)} 个，停业 ${count(page.closed)} 个，共 ${count(page.total)} 个`),
    page.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'lottery-list' },
      h('thead', null, h('tr', null, ['网点', '所属单位', '状态', '停业', '复业', '复业核查'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, page.items.map((o) => h('tr', { 'data-testid': 'lottery-row', 'data-id': o.id },
        h('td', { 'data-label': '网点' }, h('a', { href: `#/lottery/${o.id}` }, o.name)),
        h('td', { 'data-label': '所属单位' }, o.unit_name),
        h('td', { 'data-label': '状态' }, h('span', { class: o.status === 'open' ? 'badge' : 'badge badge-warn' }, STATUS[o.status] || o.status)),
        h('td', { 'data-label': '停业' }, o.closed_on || '—'),
        h('td', { 'data-label': '复业' }, o.reopened_on || '—'),
        h('td', { 'data-label': '复业核查' }, o.checklist_ok ? '已完成' : '—'))))))
      : emptyState('没有福彩销售网点', 'lottery-empty')));
}

async function renderOutlet(el, ctx, id) {
  loading(el);
  let o;
  try {
    o = await get(`/api/v1/lottery/outlets/${id}`);
  } catch (err) {
    failure(el, err, '网点加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(o.name);
  const act = (text, testid, dialog) => {
    const b = button(text, { class: 'btn', 'data-testid': testid });
    b.addEventListener('click', async () => {
      const r = await formDialog(dialog);
      if (r) {
        notice('已保存');
        renderOutlet(el, ctx, id);
      }
    });
    return b;
  };
  const yesNo = [{ value: '1', label: '已做到' }, { value: '0', label: '未做到' }];
  const manage = ctx.can('institution.manage') ? h('div', { class: 'actions' },
    o.status === 'open' ? act('停业', 'lottery-close', {
      title: '停业', fields: [{ name: 'date', label: '停业日期', required: true, value: todayShanghai() }, { name: 'note', label: '备注' }],
      onSubmit: (v) => post(`/api/v1/lottery/outlets/${id}/closure`, v),
    }) : null,
    act('复业核查', 'lottery-checklist', {
      title: '复业核查', intro: '测温、佩戴口罩、保持间距、消毒四项全部做到，方可复业。',
      fields: [
        { name: 'checked_on', label: '核查日期', required: true, value: todayShanghai() },
        { name: 'checked_by', label: '核查人', required: true },
        { name: 'temperature', label: '测温', type: 'select', options: yesNo, value: '1' },
        { name: 'masks', label: '佩戴口罩', type: 'select', options: yesNo, value: '1' },
        { name: 'distance', label: '保持间距', type: 'select', options: yesNo, value: '1' },
        { name: 'disinfection', label: '消毒', type: 'select', options: yesNo, value: '1' },
      ],
      onSubmit: (v) => post(`/api/v1/lottery/outlets/${id}/checklist`, {
        checked_on: v.checked_on, checked_by: v.checked_by,
        temperature: v.temperature === '1', masks: v.masks === '1', distance: v.distance === '1', disinfection: v.disinfection === '1',
      }),
    }),
    o.status === 'closed' ? act('复业', 'lottery-reopen', {
      title: '复业', fields: [{ name: 'date', label: '复业日期', required: true, value: todayShanghai() }, { name: 'note', label: '备注' }],
      onSubmit: (v) => post(`/api/v1/lottery/outlets/${id}/reopening`, v),
    }) : null) : null;
  const mark = (b) => (b ? '✓' : '✗');
  replace(el,
    h('section', { class: 'panel', 'data-testid': 'lottery-detail' },
      h('h1', null, o.name),
      h('p', null, `${o.unit_name} · ${o.region_name} · 今日：`, h('strong', { 'data-testid': 'lottery-status' }, STATUS[o.status] || o.status)),
      manage),
    h('section', { class: 'panel' }, h('h2', null, '停业与复业'),
      o.events.length ? h('ul', { class: 'timeline', 'data-testid': 'lottery-events' }, o.events.map((x) => h('li', null,
        `${x.date} ${x.kind === 'closure' ? '停业' : '复业'}`, x.note ? ` · ${x.note}` : ''))) : emptyState('没有停业记录', 'lottery-events-empty')),
    h('section', { class: 'panel' }, h('h2', null, '复业核查'),
      o.checklists.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'lottery-checklists' },
        h('thead', null, h('tr', null, ['日期', '核查人', '测温', '口罩', '间距', '消毒', '结论'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, o.checklists.map((c) => h('tr', null,
          h('td', { 'data-label': '日期' }, c.checked_on), h('td', { 'data-label': '核查人' }, c.checked_by),
          h('td', { 'data-label': '测温' }, mark(c.temperature)), h('td', { 'data-label': '口罩' }, mark(c.masks)),
          h('td', { 'data-label': '间距' }, mark(c.distance)), h('td', { 'data-label': '消毒' }, mark(c.disinfection)),
          h('td', { 'data-label': '结论' }, c.complete ? '合格' : h('span', { class: 'badge badge-warn' }, '未完成')))))))
        : emptyState('没有核查记录', 'lottery-checklists-empty')));
}
