// pages/marriage.js — 婚姻登记预约 (#/marriage…), the registrar's pages:
//   #/marriage?office=ID&date=D[&unmask=1]   the day's list of an office with its statistics:
//                                            check-in with the temperature (fever turns the
//                                            couple away), outcome (办理登记 / 未办理 + 原因 / 未到),
//                                            and the bookings to call after a capacity cut
//   #/marriage/settings?office=ID            opening hours, slot length, couples per slot,
//                                            closed dates and dated epidemic rules
//                                            (pages/marriage_settings.js)
// Couples book themselves on the public page /booking.html (no account).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { field, select, textInput, button, busy, loading, failure, emptyState, notice, formDialog } from '../ui.js';
import { exportLinks } from './export_links.js';
import { parseTemperature } from './rescue_common.js';
import { todayShanghai, OUTCOME_LABELS, WHY_LABELS, officeHash, tabs } from './marriage_common.js';

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === 'settings') return (await import('./marriage_settings.js')).renderSettings(el, ctx);
  if (sub !== '') {
    replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
    return undefined;
  }
  return dayPage(el, ctx);
}

async function dayPage(el, ctx) {
  ctx.setTitle('婚姻登记预约');
  loading(el);
  let offices;
  try {
    offices = (await get('/api/v1/marriage/offices')).items || [];
  } catch (err) {
    failure(el, err, '登记处加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const officeId = ctx.query.get('office') || (offices[0] ? String(offices[0].id) : '');
  const date = ctx.query.get('date') || todayShanghai();
  const unmask = ctx.query.get('unmask') === '1';
  const office = offices.find((o) => String(o.id) === officeId);

  const of = field({ label: '登记处', testid: 'mar-office', input: select(offices.map((o) => ({ value: String(o.id), label: o.name + (o.configured ? '' : '（未开放预约）') })), { value: officeId }) });
  const df = field({ label: '日期', testid: 'mar-date', input: textInput({ type: 'date', value: date }) });
  const form = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'mar-form' },
    h('div', { class: 'form-grid' }, of.wrap, df.wrap),
    h('div', { class: 'actions' }, button('查看', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'mar-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(officeHash('', { office: of.input.value, date: df.input.value }));
  });
  const head = h('div', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '婚姻登记预约'), tabs('day', officeId)),
    h('p', { class: 'muted' }, '公众通过 ', h('a', { href: '/booking.html', target: '_blank', rel: 'noopener', 'data-testid': 'mar-public-link' }, '网上预约页面'), ' 自助预约；此处查看当日名单，登记到场、体温和办理结果。'),
    form);
  if (!office) {
    replace(el, head, emptyState('管辖范围内没有婚姻登记处', 'mar-empty'));
    return;
  }
  if (!office.configured) {
    replace(el, head, h('div', { class: 'panel', 'data-testid': 'mar-not-configured' },
      h('p', null, '该登记处尚未设置开放时间，公众还不能预约。'),
      h('a', { class: 'btn btn-primary', href: officeHash('settings', { office: officeId }) }, '去设置')));
    return;
  }
  const body = h('div');
  replace(el, head, body);
  loading(body);
  let day, over;
  try {
    [day, over] = await Promise.all([
      get(`/api/v1/marriage/offices/${officeId}/day`, { date, unmask: unmask ? 1 : '' }),
      get(`/api/v1/marriage/offices/${officeId}/over-capacity`),
    ]);
  } catch (err) {
    failure(body, err, '当日名单加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(body, statsPanel(day.stats), listPanel(ctx, day, officeId, date, unmask), overPanel(over, officeId));
}

function statsPanel(s) {
  const fig = (label, n, testid) => h('div', { class: 'fact' }, h('dt', null, label), h('dd', { 'data-testid': testid }, count(n)));
  return h('div', { class: 'panel', 'data-testid': 'mar-stats' },
    h('h2', null, '当日统计'),
    h('dl', { class: 'facts' },
      fig('预约（对）', s.booked, 'mar-stat-booked'), fig('到场', s.arrived, 'mar-stat-arrived'),
      fig('办理登记', s.registered, 'mar-stat-registered'), fig('未办理', s.not_registered, 'mar-stat-not-registered'),
      fig('未到', s.no_show, 'mar-stat-no-show'), fig('发热劝返', s.fever, 'mar-stat-fever')));
}

function listPanel(ctx, day, officeId, date, unmask) {
  const canUnmask = ctx.can('registry.unmask');
  const toggle = canUnmask
    ? h('a', { class: 'btn btn-small', href: officeHash('', { office: officeId, date, unmask: unmask ? '' : '1' }), 'data-testid': 'mar-unmask' }, unmask ? '隐藏完整信息' : '显示完整姓名和电话')
    : null;
  const rows = day.items.map((b) => h('tr', { 'data-testid': `mar-row-${b.id}` },
    h('td', { 'data-label': '时段' }, b.time),
    h('td', { 'data-label': '预约码' }, b.code),
    h('td', { 'data-label': '双方' }, `${b.party_a}、${b.party_b}`, h('div', { class: 'muted' }, b.parties.map((p) => p.id_number).join(' / '))),
    h('td', { 'data-label': '电话' }, b.phone),
    h('td', { 'data-label': '到场与体温', 'data-testid': `mar-checkin-${b.id}` }, b.checked_in_at ? `${b.checked_in_at.slice(11, 16)}　${(b.temperature_tenths / 10).toFixed(1)} ℃${b.fever ? '（发热）' : ''}` : '—'),
    h('td', { 'data-label': '结果', 'data-testid': `mar-outcome-${b.id}` }, b.outcome ? OUTCOME_LABELS[b.outcome] + (b.outcome_reason ? `：${b.outcome_reason}` : '') : '待办理'),
    h('td', { 'data-label': '操作' }, actions(ctx, b))));
  return h('div', { class: 'panel', 'data-testid': 'mar-day' },
    h('div', { class: 'panel-head' }, h('h2', null, `当日名单（${count(day.total)} 对）`),
      h('div', { class: 'actions' }, toggle, exportLinks(`/api/v1/marriage/offices/${officeId}/day`, { date, unmask: unmask ? 1 : '' }, 'mar-day-export'))),
    day.items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
        h('thead', null, h('tr', null, ['时段', '预约码', '双方', '电话', '到场与体温', '结果', '操作'].map((t) => h('th', null, t)))),
        h('tbody', null, rows)))
      : emptyState('当日没有预约', 'mar-day-empty'));
}

function actions(ctx, b) {
  if (b.outcome || b.status !== 'booked') return null;
  const refresh = () => ctx.refresh();
  if (!b.checked_in_at) {
    const t = textInput({ inputmode: 'decimal', placeholder: '体温 ℃', maxlength: '4', size: '5', 'data-testid': `mar-temp-${b.id}`, 'aria-label': '体温' });
    const go = button('到场测温', { class: 'btn btn-small btn-primary', 'data-testid': `mar-do-checkin-${b.id}` });
    go.addEventListener('click', () => busy(go, async () => {
      const r = parseTemperature(t.value);
      if (r.error) return notice(r.error, 'error');
      try {
        const x = await post(`/api/v1/marriage/bookings/${b.id}/checkin`, { temperature_tenths: r.value });
        notice(x.fever ? '体温异常，已劝返，当日不予办理' : '已登记到场');
        refresh();
      } catch (err) {
        notice(err.message, 'error');
      }
      return undefined;
    }));
    const none = button('未到', { class: 'btn btn-small', 'data-testid': `mar-do-noshow-${b.id}` });
    none.addEventListener('click', () => busy(none, () => outcome(b, 'no_show', '', refresh)));
    return h('div', { class: 'actions' }, t, go, none);
  }
  const reg = button('办理登记', { class: 'btn btn-small btn-primary', 'data-testid': `mar-do-registered-${b.id}` });
  reg.addEventListener('click', () => busy(reg, () => outcome(b, 'registered', '', refresh)));
  const no = button('未办理', { class: 'btn btn-small', 'data-testid': `mar-do-notregistered-${b.id}` });
  no.addEventListener('click', async () => {
    await formDialog({
      title: '未办理登记',
      fields: [{ name: 'reason', label: '原因', required: true, validate: (v) => (v.trim() ? '' : '请填写原因') }],
      submitLabel: '确定',
      onSubmit: (v) => post(`/api/v1/marriage/bookings/${b.id}/outcome`, { outcome: 'not_registered', reason: v.reason.trim() }),
    });
    refresh();
  });
  return h('div', { class: 'actions' }, reg, no);
}

async function outcome(b, what, reason, refresh) {
  try {
    await post(`/api/v1/marriage/bookings/${b.id}/outcome`, { outcome: what, reason });
    notice('已记录');
    refresh();
  } catch (err) {
    notice(err.message, 'error');
  }
}

function overPanel(over, officeId) {
  return h('div', { class: 'panel', 'data-testid': 'mar-over' },
    h('div', { class: 'panel-head' }, h('h2', null, `需电话联系的预约（${count(over.total)}）`),
      over.total ? exportLinks(`/api/v1/marriage/offices/${officeId}/over-capacity`, {}, 'mar-over-export') : null),
    h('p', { class: 'muted' }, '调整容量、开放时间、闭馆日期或防控规则后，超出新安排的预约不会被自动取消，请逐一电话联系改约。'),
    over.items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
        h('thead', null, h('tr', null, ['日期', '时段', '预约码', '双方', '电话', '原因'].map((t) => h('th', null, t)))),
        h('tbody', null, over.items.map((b) => h('tr', { 'data-testid': `mar-over-${b.id}` },
          h('td', { 'data-label': '日期' }, b.date), h('td', { 'data-label': '时段' }, b.time),
          h('td', { 'data-label': '预约码' }, b.code), h('td', { 'data-label': '双方' }, `${b.party_a}、${b.party_b}`),
          h('td', { 'data-label': '电话' }, b.phone),
          h('td', { 'data-label': '原因' }, WHY_LABELS[b.why] + (b.why === 'over_capacity' ? `（现每时段 ${b.capacity} 对）` : '')))))))
      : emptyState('没有需要联系的预约', 'mar-over-empty'));
}
