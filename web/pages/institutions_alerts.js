// pages/institutions_alerts.js — 预警 (#/institutions/alerts?status=&date=): fever, suspected,
// confirmed, isolated or deaths above zero, and residents or staff moving in a closed
// institution. The county or city acknowledges (确认: open → acknowledged) and, once handled,
// closes with the action taken (关闭: acknowledged → closed). GET /api/v1/institutions/alerts,
// POST /api/v1/institutions/alerts/{id}/ack and /close.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { dateTime } from '../format.js';
import { field, select, button, formDialog, loading, failure, notice, emptyState } from '../ui.js';
import { TYPE_LABELS, sectionTabs } from './institutions_common.js';
import { exportLinks } from './export_links.js';

const STATUS = [
  { value: 'active', label: '未关闭（待确认、处置中）' },
  { value: 'open', label: '待确认' },
  { value: 'acknowledged', label: '处置中' },
  { value: 'closed', label: '已关闭' },
  { value: 'all', label: '全部' },
];

export default async function render(el, ctx) {
  ctx.setTitle('机构预警');
  const status = ctx.query.get('status') || 'active';
  loading(el);
  let data;
  try {
    data = await get('/api/v1/institutions/alerts', { status: status === 'all' ? '' : status, limit: 500 });
  } catch (err) {
    failure(el, err, '预警加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const sf = field({ label: '状态', input: select(STATUS, { name: 'status', value: status }), testid: 'alerts-status' });
  sf.input.addEventListener('change', () => ctx.navigate(`#/institutions/alerts?status=${sf.input.value}`));
  const manage = ctx.can('institution.manage');
  const act = async (a, closing) => {
    const ok = await formDialog({
      title: `${closing ? '关闭' : '确认'}预警：${a.institution_name}`,
      intro: `${a.report_date} ${a.kind_label}：${a.summary}`,
      fields: closing
        ? [{ name: 'action', label: '采取的处置措施', required: true, placeholder: '如：复测体温正常，核酸阴性，解除隔离观察' }]
        : [{ name: 'note', label: '说明', placeholder: '如：已电话核实，单间隔离观察' }],
      submitLabel: closing ? '关闭预警' : '确认',
      onSubmit: (v) => post(`/api/v1/institutions/alerts/${a.id}/${closing ? 'close' : 'ack'}`, closing ? { action: v.action } : { note: v.note }),
    });
    if (ok) {
      notice(closing ? '预警已关闭' : '预警已确认');
      ctx.refresh();
    }
  };
  const items = data.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'alerts-table' },
      h('thead', null, h('tr', null, ['报告日期', '机构', '预警', '状态', '确认', '处置', ''].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, items.map((a) => h('tr', { class: `inst-alert-row inst-${a.status}`, 'data-testid': 'alert-row', 'data-id': a.id, 'data-status': a.status },
        h('td', { 'data-label': '报告日期', class: 'mono' }, a.report_date),
        h('td', { 'data-label': '机构' }, h('a', { href: `#/institutions/${a.institution_id}` }, a.institution_name), h('div', { class: 'muted' }, TYPE_LABELS[a.type] || a.type)),
        h('td', { 'data-label': '预警' }, h('strong', null, a.kind_label), h('div', null, a.summary)),
        h('td', { 'data-label': '状态' }, h('span', { class: `inst-badge ${a.status === 'open' ? 'inst-bad' : a.status === 'closed' ? 'inst-ok' : 'inst-warn'}`, 'data-testid': 'alert-status' }, a.status_label)),
        h('td', { 'data-label': '确认' }, a.ack_at ? `${a.ack_by} ${dateTime(a.ack_at)}${a.ack_note ? '：' + a.ack_note : ''}` : '—'),
        h('td', { 'data-label': '处置' }, a.closed_at ? `${a.closed_by} ${dateTime(a.closed_at)}：${a.action}` : '—'),
        h('td', { 'data-label': '' }, manage && a.status === 'open' ? button('确认', { class: 'btn btn-small', 'data-testid': 'alert-ack', onclick: () => act(a, false) }) : null,
          manage && a.status === 'acknowledged' ? button('关闭', { class: 'btn btn-small', 'data-testid': 'alert-close', onclick: () => act(a, true) }) : null))))))
    : emptyState('没有符合条件的预警', 'alerts-empty');
  replace(el, h('section', { class: 'panel' }, h('h1', null, '机构预警'), sectionTabs('alerts'),
    h('div', { class: 'form-grid' }, sf.wrap),
    h('p', { class: 'muted' }, `共 ${data.total} 条。发热、疑似、确诊、隔离观察、死亡大于 0，或封闭管理期间人员进出，即产生预警；须先确认，处置后填写措施关闭。`, ' ',
      exportLinks('/api/v1/institutions/alerts', { status: status === 'all' ? '' : status }, 'alerts-export')),
    table));
}
