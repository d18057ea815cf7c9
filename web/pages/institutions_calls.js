// pages/institutions_calls.js — 未报名单 (#/institutions/calls?date=&unit=&unmask=1): the
// institutions open that day that have not reported, overdue first and escalated first, with the
// contact to call and the chasing log; 登记催报 records a call, SMS or visit, its outcome and
// whether it goes up to the county bureau. Phones are masked; 显示电话 asks for them in full
// (registry.unmask, recorded in the audit log). GET /api/v1/institutions/calls,
// POST /api/v1/institutions/{id}/chases.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { field, textInput, select, button, formDialog, loading, failure, notice, emptyState } from '../ui.js';
import { DATE_RE, METHODS, OUTCOMES, TYPE_LABELS, clock, deadlineText, sectionTabs, statusBadge } from './institutions_common.js';
import { exportLinks } from './export_links.js';

function callsHash({ date, unit, unmask }) {
  const p = new URLSearchParams();
  if (date) p.set('date', date);
  if (unit) p.set('unit', unit);
  if (unmask) p.set('unmask', '1');
  const q = p.toString();
  return '#/institutions/calls' + (q ? '?' + q : '');
}

async function chaseDialog(row, date) {
  return formDialog({
    title: `登记催报：${row.name}`,
    intro: `${date} 的日报未报。联系人 ${row.contact_name || '—'} ${row.contact_phone || ''}`,
    fields: [
      { name: 'method', label: '方式', type: 'select', options: METHODS, value: 'phone', required: true },
      { name: 'outcome', label: '结果', type: 'select', options: OUTCOMES, required: true },
      { name: 'escalate', label: '上报县局', type: 'select', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是，请县局督办' }], value: 'no' },
      { name: 'note', label: '说明', placeholder: '如：院长称网络故障，10:30 前补报' },
    ],
    submitLabel: '登记',
    onSubmit: (v) => post(`/api/v1/institutions/${row.id}/chases`, {
      report_date: date, method: v.method, outcome: v.outcome, note: v.note, escalate: v.escalate === 'yes',
    }),
  });
}

export default async function render(el, ctx) {
  ctx.setTitle('未报名单');
  const date = ctx.query.get('date') || '';
  const unit = ctx.query.get('unit') || '';
  const unmask = ctx.query.get('unmask') === '1';
  loading(el);
  let data, units;
  try {
    [data, units] = await Promise.all([
      get('/api/v1/institutions/calls', { date, unit, unmask: unmask ? 1 : '' }),
      get('/api/v1/units'),
    ]);
  } catch (err) {
    failure(el, err, '未报名单加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const df = field({ label: '日期', input: textInput({ name: 'date', value: data.date, inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'calls-date' });
  const uf = field({
    label: '管理单位',
    input: select((units.items || []).map((u) => ({ value: u.code, label: `${u.code} ${u.name}` })), { name: 'unit', value: unit, placeholder: '管辖范围内全部' }),
    testid: 'calls-unit',
  });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, df.wrap, uf.wrap),
    h('div', { class: 'actions' },
      button('查看', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'calls-go' }),
      button('刷新', { 'data-testid': 'calls-refresh', onclick: () => ctx.refresh() }),
      ctx.can('registry.unmask') && !unmask
        ? button('显示电话', { 'data-testid': 'calls-unmask', title: '显示完整电话（记入审计日志）', onclick: () => ctx.navigate(callsHash({ date, unit, unmask: true })) })
        : null,
      exportLinks('/api/v1/institutions/calls', { date, unit, unmask }, 'calls-export')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = df.input.value.trim();
    df.setError(DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD');
    if (DATE_RE.test(v)) ctx.navigate(callsHash({ date: v, unit: uf.input.value, unmask }));
  });
  const manage = ctx.can('institution.manage');
  const items = data.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'calls-table' },
      h('caption', { class: 'sr-only' }, '未报名单'),
      h('thead', null, h('tr', null, ['机构', '类型', '所在地', '联系人', '电话', '状态', '催报', ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, items.map((r) => h('tr', { 'data-testid': 'call-row', 'data-id': r.id },
        h('td', { 'data-label': '机构' }, h('a', { href: `#/institutions/${r.id}` }, r.name)),
        h('td', { 'data-label': '类型' }, TYPE_LABELS[r.type] || r.type),
        h('td', { 'data-label': '所在地' }, `${r.unit_name} ${r.region_name !== r.unit_name ? r.region_name : ''}`),
        h('td', { 'data-label': '联系人' }, r.contact_name || '—'),
        h('td', { 'data-label': '电话', class: 'mono', 'data-testid': 'call-phone' },
          r.contact_phone && !r.phone_masked ? h('a', { href: `tel:${r.contact_phone}` }, r.contact_phone) : (r.contact_phone || '—')),
        h('td', { 'data-label': '状态' }, statusBadge(r.status, 'call-status'), ` 截止 ${deadlineText(r.deadline_at, data.date)}`),
        h('td', { 'data-label': '催报', 'data-testid': 'call-chases' },
          r.chases ? `${r.chases} 次 · ${r.last_chase.method_label} ${r.last_chase.outcome_label} ${clock(r.last_chase.chased_at)}` : '未催报',
          r.escalated ? h('span', { class: 'inst-badge inst-bad' }, ' 已上报县局') : null),
        h('td', { 'data-label': '' }, manage ? button('登记催报', {
          class: 'btn btn-small', 'data-testid': 'call-chase',
          onclick: async () => {
            const done = await chaseDialog(r, data.date);
            if (done) {
              notice('已登记催报');
              ctx.refresh();
            }
          },
        }) : null))))))
    : emptyState(`${data.date} 管辖范围内应报的机构都已报送`, 'calls-empty');
  replace(el,
    h('section', { class: 'panel' }, h('h1', null, '未报名单'), sectionTabs('calls'), form,
      h('p', { 'data-testid': 'calls-total', 'data-total': data.total },
        h('strong', null, `${data.date} 未报 ${count(data.total)} 家`), `：逾期 ${count(data.overdue)}，待报送（未到截止时间）${count(data.due)}，已上报县局 ${count(data.escalated)}`),
      unmask ? h('p', { class: 'audit-note' }, '已显示完整电话，本次查看已记入审计日志。') : null,
      table));
}
