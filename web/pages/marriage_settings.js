// pages/marriage_settings.js — #/marriage/settings?office=ID: an office's weekly opening hours
// (one input per weekday), slot length and couples per slot; closed dates; dated epidemic rules
// (capacity limit, one couple at a time, counselling and ceremonies suspended). Saving never
// cancels a booking: the day page lists the bookings to call.

import { h, replace } from '../dom.js';
import { get, post, request } from '../api.js';
import { field, select, textInput, button, busy, loading, failure, formError, showServerError, notice } from '../ui.js';
import { WEEKDAY_LABELS, splitHours, dayHoursProblem, officeHash, tabs, todayShanghai } from './marriage_common.js';

export async function renderSettings(el, ctx) {
  ctx.setTitle('开放时间与防控规则');
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
  const of = field({ label: '登记处', testid: 'mars-office', input: select(offices.map((o) => ({ value: String(o.id), label: o.name })), { value: officeId }) });
  of.input.addEventListener('change', () => ctx.navigate(officeHash('settings', { office: of.input.value })));
  const head = h('div', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '婚姻登记预约'), tabs('settings', officeId)),
    h('div', { class: 'form-grid' }, of.wrap));
  if (!officeId) {
    replace(el, head);
    return;
  }
  let o;
  try {
    o = await get(`/api/v1/marriage/offices/${officeId}`);
  } catch (err) {
    failure(el, err, '登记处加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.refresh();
  replace(el, head, hoursPanel(o, reload), o.configured ? rulesPanel(o, reload) : null, o.configured ? closedPanel(o, reload) : null);
}

function hoursPanel(o, reload) {
  const days = splitHours(o.hours || '09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;09:00-11:30,13:30-17:00;;');
  const dayFields = WEEKDAY_LABELS.map((w, i) => field({ label: w, testid: `mars-hours-${i}`, hint: '留空为不开放', input: textInput({ value: days[i], placeholder: '09:00-11:30,13:30-17:00' }) }));
  const slotF = field({ label: '每个时段（分钟）', required: true, testid: 'mars-slot', input: textInput({ inputmode: 'numeric', value: o.slot_minutes || 30, maxlength: '3' }) });
  const capF = field({ label: '每时段可约（对）', required: true, testid: 'mars-capacity', input: textInput({ inputmode: 'numeric', value: o.capacity || 3, maxlength: '2' }) });
  const box = formError('mars-hours-error');
  const save = button('保存', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'mars-save' });
  const form = h('form', { class: 'panel', novalidate: true, 'data-testid': 'mars-hours-form' },
    h('h2', null, o.configured ? '开放时间与容量' : '开放预约：设置开放时间与容量'),
    h('div', { class: 'form-grid' }, dayFields.map((f) => f.wrap), slotF.wrap, capF.wrap), box.el,
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    let ok = true;
    dayFields.forEach((f) => {
      const m = dayHoursProblem(f.input.value);
      f.setError(m);
      if (m) ok = false;
    });
    const slot = Number(slotF.input.value), cap = Number(capF.input.value);
    slotF.setError(Number.isInteger(slot) && slot >= 10 && slot <= 240 ? '' : '10–240 分钟');
    capF.setError(Number.isInteger(cap) && cap >= 1 && cap <= 20 ? '' : '1–20 对');
    if (!ok || slotF.input.classList.contains('invalid') || capF.input.classList.contains('invalid')) return;
    await busy(save, async () => {
      try {
        await request('PUT', `/api/v1/marriage/offices/${o.id}`, {
          body: { hours: dayFields.map((f) => f.input.value.trim()).join(';'), slot_minutes: slot, capacity: cap },
        });
        notice('已保存；超出新容量的预约见“当日名单”页的需电话联系列表');
        reload();
      } catch (err) {
        showServerError(err, { slot_minutes: slotF, capacity: capF, hours: dayFields[0] }, box);
      }
    });
  });
  return form;
}

function rulesPanel(o, reload) {
  const fromF = field({ label: '生效日期', required: true, testid: 'mars-rule-from', input: textInput({ type: 'date', value: todayShanghai() }) });
  const limF = field({ label: '每时段限约（对，0 为不限）', testid: 'mars-rule-limit', input: textInput({ inputmode: 'numeric', value: '0', maxlength: '2' }) });
  const check = (label, testid) => {
    const input = h('input', { type: 'checkbox', 'data-testid': testid });
    return { input, wrap: h('label', { class: 'check' }, input, ' ', label) };
  };
  const one = check('每次只接待一对', 'mars-rule-one');
  const couns = check('暂停婚姻家庭辅导', 'mars-rule-counselling');
  const cere = check('暂停颁证仪式', 'mars-rule-ceremony');
  const noteF = field({ label: '说明', testid: 'mars-rule-note', input: textInput({ maxlength: '100' }) });
  const box = formError('mars-rule-error');
  const save = button('设置规则', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'mars-rule-save' });
  const form = h('form', { novalidate: true, 'data-testid': 'mars-rule-form' },
    h('div', { class: 'form-grid' }, fromF.wrap, limF.wrap, noteF.wrap), h('div', null, one.wrap, ' ', couns.wrap, ' ', cere.wrap), box.el,
    h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    await busy(save, async () => {
      try {
        await post(`/api/v1/marriage/offices/${o.id}/rules`, {
          effective_from: fromF.input.value, capacity_limit: Number(limF.input.value) || 0,
          one_couple: one.input.checked, counselling_suspended: couns.input.checked, ceremony_suspended: cere.input.checked,
          note: noteF.input.value.trim(),
        });
        notice('规则已设置');
        reload();
      } catch (err) {
        showServerError(err, { effective_from: fromF, capacity_limit: limF, note: noteF }, box);
      }
    });
  });
  const yes = (b) => (b ? '是' : '—');
  return h('div', { class: 'panel', 'data-testid': 'mars-rules' },
    h('h2', null, '疫情防控规则'),
    h('p', { class: 'muted' }, '自生效日起执行，直到下一条规则；可当晚设置、次日生效。'),
    o.rules.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
        h('thead', null, h('tr', null, ['生效日期', '每时段限约', '一次一对', '暂停辅导', '暂停颁证', '说明'].map((t) => h('th', null, t)))),
        h('tbody', null, o.rules.map((r) => h('tr', { 'data-testid': `mars-rule-${r.effective_from}` },
          h('td', { 'data-label': '生效日期' }, r.effective_from), h('td', { 'data-label': '每时段限约' }, r.capacity_limit ? `${r.capacity_limit} 对` : '不限'),
          h('td', { 'data-label': '一次一对' }, yes(r.one_couple)), h('td', { 'data-label': '暂停辅导' }, yes(r.counselling_suspended)),
          h('td', { 'data-label': '暂停颁证' }, yes(r.ceremony_suspended)), h('td', { 'data-label': '说明' }, r.note))))))
      : h('p', { class: 'muted' }, '尚无规则。'),
    form);
}

function closedPanel(o, reload) {
  const dateF = field({ label: '日期', required: true, testid: 'mars-closed-date', input: textInput({ type: 'date' }) });
  const reasonF = field({ label: '闭馆原因', testid: 'mars-closed-reason', input: textInput({ maxlength: '100' }) });
  const box = formError('mars-closed-error');
  const close = button('设为闭馆', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'mars-closed-save' });
  const form = h('form', { novalidate: true, 'data-testid': 'mars-closed-form' },
    h('div', { class: 'form-grid' }, dateF.wrap, reasonF.wrap), box.el, h('div', { class: 'actions' }, close));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    await busy(close, async () => {
      try {
        await post(`/api/v1/marriage/offices/${o.id}/closed`, { date: dateF.input.value, closed: true, reason: reasonF.input.value.trim() });
        notice('已设为闭馆');
        reload();
      } catch (err) {
        showServerError(err, { date: dateF, reason: reasonF }, box);
      }
    });
  });
  const reopen = (d) => {
    const b = button('恢复开放', { class: 'btn btn-small', 'data-testid': `mars-reopen-${d.date}` });
    b.addEventListener('click', () => busy(b, async () => {
      try {
        await post(`/api/v1/marriage/offices/${o.id}/closed`, { date: d.date, closed: false });
        reload();
      } catch (err) {
        notice(err.message, 'error');
      }
    }));
    return b;
  };
  const upcoming = o.closed.filter((d) => d.date >= todayShanghai());
  return h('div', { class: 'panel', 'data-testid': 'mars-closed' },
    h('h2', null, '闭馆日期'),
    h('p', { class: 'muted' }, '法定节假日按国家节假日安排自动闭馆（调休上班日按周一的时间开放），此处设置其他闭馆日。'),
    upcoming.length
      ? h('ul', null, upcoming.map((d) => h('li', { 'data-testid': `mars-closed-${d.date}` }, `${d.date}　${d.reason}　`, reopen(d))))
      : h('p', { class: 'muted' }, '今后没有闭馆日期。'),
    form);
}
