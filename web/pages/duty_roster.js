// pages/duty_roster.js — one roster (#/duty/ID?from=YYYY-MM-DD): its shifts over eight days
// (GET /api/v1/duty/rosters/ID?from=&to=), who is on duty now, each shift's report and handover,
// the coverage of the window (gaps with no officer, overlaps of two), and the forms: a new shift,
// a zero report or a report of what happened, a handover to the next shift, removing a shift
// that has not begun. The server checks everything (times, lengths, the same person twice);
// its message is shown next to the field.

import { h, replace } from '../dom.js';
import { get, post, del } from '../api.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState, formDialog } from '../ui.js';
import { KIND_LABELS, POST_LABELS, TIME_RE, DATE_RE, hm, today, addDays, dutyTabs } from './duty_common.js';

export async function renderRoster(el, ctx, id) {
  loading(el);
  const from = DATE_RE.test(ctx.query.get('from') || '') ? ctx.query.get('from') : addDays(today(), -1);
  const to = addDays(from, 8);
  let r, cov;
  try {
    [r, cov] = await Promise.all([
      get(`/api/v1/duty/rosters/${id}`, { from, to }),
      get(`/api/v1/duty/rosters/${id}/coverage`, { from, to }),
    ]);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该值班表，或不在您的管辖范围内' : '值班表加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`值班表 · ${r.name}`);
  const refresh = () => ctx.navigate(`#/duty/${id}?from=${from}`);
  const canWrite = ctx.can('duty');
  const started = (s) => s.start_at <= r.at;

  const act = async (s, kind) => {
    try {
      if (kind === 'zero') {
        await post(`/api/v1/duty/shifts/${s.id}/report`, { zero: true });
        notice('已零报告');
      } else if (kind === 'events') {
        const done = await formDialog({
          title: '值班情况报告', intro: `${s.person_name} · ${hm(s.start_at)}–${hm(s.end_at)}`,
          fields: [{ name: 'events', label: '值班期间发生的情况和处置', required: true }],
          submitLabel: '报告', onSubmit: (v) => post(`/api/v1/duty/shifts/${s.id}/report`, v),
        });
        if (!done) return;
      } else if (kind === 'handover') {
        const next = r.shifts.filter((x) => x.post === s.post && x.id !== s.id && x.start_at <= s.end_at && x.end_at > s.end_at);
        const done = await formDialog({
          title: '交班', intro: `${s.person_name} 交班（本班至 ${hm(s.end_at)}）`,
          fields: [
            { name: 'to_shift_id', label: '接班', type: 'select', required: true, value: next.length === 1 ? String(next[0].id) : '',
              options: next.map((x) => ({ value: String(x.id), label: `${x.person_name} · ${hm(x.start_at)}–${hm(x.end_at)}` })) },
            { name: 'notes', label: '交接事项', placeholder: '待办、待反馈的事项；无则填“无”' },
          ],
          submitLabel: '交班', onSubmit: (v) => post(`/api/v1/duty/shifts/${s.id}/handover`, { to_shift_id: Number(v.to_shift_id), notes: v.notes }),
        });
        if (!done) return;
      } else if (kind === 'delete') {
        await del(`/api/v1/duty/shifts/${s.id}`);
        notice('已删除班次');
      }
      refresh();
    } catch (err) {
      notice(err.message, 'error');
    }
  };

  const shiftRows = r.shifts.map((s) => h('tr', { 'data-testid': 'duty-shift-row', 'data-id': s.id, class: s.on_duty ? 'selected' : null },
    h('td', { 'data-label': '岗位' }, h('span', { class: s.post === 'leader' ? 'badge' : 'badge badge-muted' }, POST_LABELS[s.post] || s.post),
      s.on_duty ? h('span', { class: 'badge badge-warn', 'data-testid': 'duty-on-duty' }, '在岗') : null),
    h('td', { 'data-label': '姓名' }, s.person_name),
    h('td', { 'data-label': '电话', class: 'mono' }, s.phone),
    h('td', { 'data-label': '时间', class: 'mono' }, `${hm(s.start_at)} – ${hm(s.end_at)}`),
    h('td', { 'data-label': '值班报告', 'data-testid': 'duty-shift-report' },
      s.report ? (s.report.kind === 'zero' ? '零报告（无情况）' : s.report.events) : started(s) ? h('span', { class: 'badge badge-warn' }, '未报告') : '—'),
    h('td', { 'data-label': '交班' }, s.handover ? `已交班 · ${s.handover.notes || '无'}` : '—'),
    h('td', { 'data-label': '' }, canWrite ? h('div', { class: 'row-actions' },
      started(s) && !s.report ? button('零报告', { class: 'btn btn-small', 'data-testid': 'duty-zero', onclick: () => act(s, 'zero') }) : null,
      started(s) && !s.report ? button('报告情况', { class: 'btn btn-small', 'data-testid': 'duty-events', onclick: () => act(s, 'events') }) : null,
      started(s) && !s.handover ? button('交班', { class: 'btn btn-small', 'data-testid': 'duty-handover', onclick: () => act(s, 'handover') }) : null,
      !started(s) ? button('删除', { class: 'btn btn-small btn-danger', 'data-testid': 'duty-delete', onclick: () => act(s, 'delete') }) : null) : null)));

  const coverage = h('section', { class: 'panel', 'data-testid': 'duty-coverage' },
    h('h2', null, '值班员覆盖'),
    cov.complete && !cov.n_overlaps ? h('p', null, '本时段每一分钟都有值班员在岗，无重叠。')
      : h('div', null,
        cov.n_gaps ? h('p', null, h('strong', null, `空档 ${cov.n_gaps} 段（共 ${Math.round(cov.gap_minutes / 6) / 10} 小时）：`),
          cov.gaps.map((g) => h('span', { class: 'badge badge-warn', 'data-testid': 'duty-coverage-gap' }, `${hm(g.from)}–${hm(g.to)}`))) : null,
        cov.n_overlaps ? h('p', null, h('strong', null, `重叠 ${cov.n_overlaps} 段：`),
          cov.overlaps.map((g) => h('span', { class: 'badge', 'data-testid': 'duty-coverage-overlap' }, `${hm(g.from)}–${hm(g.to)}`))) : null));

  replace(el, dutyTabs(ctx, ''),
    h('section', { class: 'panel', 'data-testid': 'duty-roster' },
      h('div', { class: 'panel-head' }, h('h1', null, r.name),
        h('span', { class: 'muted' }, `${KIND_LABELS[r.unit_kind] || r.unit_kind} · ${r.region_name || r.region_code} · 值班电话 ${r.duty_phone || '—'}`)),
      h('div', { class: 'actions' },
        h('a', { class: 'btn btn-small', href: `#/duty/${id}?from=${addDays(from, -7)}`, 'data-testid': 'duty-prev' }, '上一周'),
        h('span', null, `${from} 至 ${addDays(to, -1)}`),
        h('a', { class: 'btn btn-small', href: `#/duty/${id}?from=${addDays(from, 7)}`, 'data-testid': 'duty-next' }, '下一周')),
      r.shifts.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'duty-shifts' },
        h('thead', null, h('tr', null, ['岗位', '姓名', '电话', '时间', '值班报告', '交班', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, shiftRows))) : emptyState('本时段没有排班', 'duty-shifts-empty')),
    coverage,
    canWrite ? shiftForm(id, refresh) : null);
}

function shiftForm(id, refresh) {
  const pf = field({ label: '岗位', input: select(Object.entries(POST_LABELS).map(([value, l]) => ({ value, label: l })), { value: 'officer' }), testid: 'shift-post' });
  const nf = field({ label: '姓名', input: textInput({ maxlength: '60' }), testid: 'shift-person', required: true });
  const tf = field({ label: '联系电话', input: textInput({ maxlength: '20', inputmode: 'tel' }), testid: 'shift-phone', required: true });
  const sf = field({ label: '开始', input: textInput({ maxlength: '16', placeholder: 'YYYY-MM-DDTHH:MM' }), testid: 'shift-start', required: true });
  const ef = field({ label: '结束', input: textInput({ maxlength: '16', placeholder: 'YYYY-MM-DDTHH:MM' }), testid: 'shift-end', required: true, hint: '跨夜的班次结束于次日' });
  const box = formError('shift-error');
  const submit = button('排班', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'shift-submit' });
  const form = h('form', { novalidate: true }, h('div', { class: 'form-grid' }, pf.wrap, nf.wrap, tf.wrap, sf.wrap, ef.wrap), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const body = { post: pf.input.value, person_name: nf.input.value.trim(), phone: tf.input.value.trim(), start_at: sf.input.value.trim(), end_at: ef.input.value.trim() };
    sf.setError(TIME_RE.test(body.start_at) ? '' : '时间应为 YYYY-MM-DDTHH:MM');
    ef.setError(TIME_RE.test(body.end_at) ? '' : '时间应为 YYYY-MM-DDTHH:MM');
    if (!TIME_RE.test(body.start_at) || !TIME_RE.test(body.end_at)) return;
    try {
      await busy(submit, () => post(`/api/v1/duty/rosters/${id}/shifts`, body));
    } catch (err) {
      showServerError(err, { post: pf, person_name: nf, phone: tf, start_at: sf, end_at: ef }, box);
      return;
    }
    notice('已排班');
    refresh();
  });
  return h('section', { class: 'panel' }, h('h2', null, '排班'), form);
}
