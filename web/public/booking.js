// public/booking.js — the public marriage-registration booking page (booking.html): no account,
// phone-sized, Chinese. Two tabs: 预约 (office, date, a free slot, both parties' names and ID
// numbers, a phone → the booking code) and 查询/改约/取消 (booking code + one party's ID number
// → the booking, to move or cancel). ID numbers are checked here as the server checks them, and
// never shown back in full: answers carry the masked form only, and the inputs are cleared
// after a booking. Talks to /api/v1/public/marriage/… (docs/marriage.md).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { field, textInput, select, button, busy, formError, showServerError, attachIdCheck, attachPhoneCheck } from '../ui.js';
import { todayShanghai } from '../format.js';
import { slotPicker, bookingFacts, addDays, BOOK_DAYS } from './booking_parts.js';

const root = document.getElementById('booking');

async function start() {
  let offices;
  try {
    offices = (await get('/api/v1/public/marriage/offices')).items || [];
  } catch (err) {
    replace(root, h('div', { class: 'panel panel-error', 'data-testid': 'booking-load-error' }, err.message || '加载失败，请稍后再试'));
    return;
  }
  const bookTab = button('预约登记', { 'data-testid': 'tab-book', role: 'tab' });
  const findTab = button('查询 / 改约 / 取消', { 'data-testid': 'tab-find', role: 'tab' });
  const body = h('div');
  const show = (which) => {
    bookTab.setAttribute('aria-selected', String(which === 'book'));
    findTab.setAttribute('aria-selected', String(which === 'find'));
    replace(body, which === 'book' ? bookForm(offices) : findForm(offices));
  };
  bookTab.addEventListener('click', () => show('book'));
  findTab.addEventListener('click', () => show('find'));
  replace(root, h('div', { class: 'bk-tabs', role: 'tablist' }, bookTab, findTab), body);
  show('book');
}

/* ---------------------------------------------------------------- booking */

function bookForm(offices) {
  const tomorrow = addDays(todayShanghai(), 1);
  const officeF = field({
    label: '婚姻登记处', required: true, testid: 'bk-office',
    input: select(offices.map((o) => ({ value: String(o.id), label: o.name })), { placeholder: '请选择登记处' }),
  });
  const dateF = field({
    label: '预约日期', required: true, testid: 'bk-date', hint: `可预约明天起 ${BOOK_DAYS} 天内`,
    input: textInput({ type: 'date', min: tomorrow, max: addDays(todayShanghai(), BOOK_DAYS), value: tomorrow }),
  });
  const slots = slotPicker('bk');
  const names = [0, 1].map((i) => field({ label: i ? '另一方姓名' : '一方姓名', required: true, testid: `bk-name-${i}`, input: textInput({ maxlength: '30', autocomplete: 'off' }) }));
  const ids = [0, 1].map((i) => field({ label: i ? '另一方身份证号' : '一方身份证号', required: true, testid: `bk-id-${i}`, input: textInput({ maxlength: '18', inputmode: 'text', autocomplete: 'off' }) }));
  const idChecks = ids.map((f) => attachIdCheck(f));
  const phoneF = field({ label: '联系电话', required: true, testid: 'bk-phone', input: textInput({ type: 'tel', inputmode: 'tel', maxlength: '20' }) });
  const phoneCheck = attachPhoneCheck(phoneF, { required: true });
  const box = formError('bk-error');
  const result = h('div', { 'data-testid': 'bk-result' });
  const submit = button('提交预约', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'bk-submit' });

  // Only the answer to the latest choice is shown: an earlier request answered late (a slow
  // network, office then date picked quickly) must not redraw the slots of another day.
  let slotsAsked = 0;
  const loadSlots = async () => {
    const asked = ++slotsAsked;
    officeF.setError('');
    dateF.setError('');
    if (!officeF.input.value) return slots.clear('请先选择登记处');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateF.input.value)) return slots.clear('请选择日期');
    try {
      const plan = await get(`/api/v1/public/marriage/offices/${officeF.input.value}/slots`, { date: dateF.input.value });
      if (asked === slotsAsked) slots.show(plan);
    } catch (err) {
      if (asked !== slotsAsked) return undefined;
      slots.clear('');
      dateF.setError(err.message);
    }
    return undefined;
  };
  officeF.input.addEventListener('change', loadSlots);
  dateF.input.addEventListener('change', loadSlots);

  const fields = {
    office_id: officeF, date: dateF, phone: phoneF,
    'party[0].name': names[0], 'party[1].name': names[1], 'party[0].id_number': ids[0], 'party[1].id_number': ids[1],
  };
  const form = h('form', { class: 'panel', novalidate: true, 'data-testid': 'bk-form' },
    h('h2', null, '预约办理结婚登记'),
    h('p', { class: 'bk-note' }, '实行全面预约、错峰办理。请双方按预约时段准时到场，佩戴口罩并配合测温。'),
    h('div', { class: 'form-grid' }, officeF.wrap, dateF.wrap),
    slots.el,
    h('div', { class: 'form-grid' }, names[0].wrap, ids[0].wrap, names[1].wrap, ids[1].wrap, phoneF.wrap),
    box.el,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    let ok = true;
    if (!officeF.input.value) { officeF.setError('请选择登记处'); ok = false; }
    if (!slots.value()) { box.set('请选择预约时段'); ok = false; }
    names.forEach((f) => {
      const bad = !f.input.value.trim();
      f.setError(bad ? '请填写姓名' : '');
      if (bad) ok = false;
    });
    const idr = idChecks.map((c) => c());
    if (idr.some((r) => !r.ok)) ok = false;
    if (idr[0].ok && idr[1].ok && idr[0].value === idr[1].value) {
      ids[1].setError('双方的身份证号码相同');
      ok = false;
    }
    const pr = phoneCheck();
    if (!pr.ok) ok = false;
    if (!ok) return;
    await busy(submit, async () => {
      try {
        const b = await post('/api/v1/public/marriage/bookings', {
          office_id: Number(officeF.input.value), date: dateF.input.value, time: slots.value(),
          party: [0, 1].map((i) => ({ name: names[i].input.value.trim(), id_number: idr[i].value })),
          phone: pr.value,
        });
        for (const f of [...names, ...ids, phoneF]) f.input.value = '';
        ids.forEach((f) => f.setHint(''));
        form.hidden = true;
        replace(result, h('div', { class: 'panel', 'data-testid': 'bk-done' },
          h('h2', null, '预约成功'),
          h('p', null, '您的预约码：'),
          h('div', { class: 'bk-code', 'data-testid': 'bk-code' }, b.code),
          h('p', { class: 'bk-note' }, '请记下预约码。凭预约码和任一方身份证号可以查询、改约或取消。'),
          bookingFacts(b)));
      } catch (err) {
        showServerError(err, fields, box);
        if (err.code === 'slot_full') loadSlots();
      }
    }, '提交中…');
  });
  return h('div', null, form, result);
}

/* ---------------------------------------------------------------- find, change, cancel */

function findForm() {
  const codeF = field({ label: '预约码', required: true, testid: 'fd-code', input: textInput({ maxlength: '8', autocapitalize: 'characters' }) });
  const idF = field({ label: '任一方身份证号', required: true, testid: 'fd-id', input: textInput({ maxlength: '18' }) });
  const idCheck = attachIdCheck(idF);
  const box = formError('fd-error');
  const out = h('div', { 'data-testid': 'fd-result' });
  const submit = button('查询', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'fd-submit' });
  let cred = null;

  const render = (b) => {
    const parts = [h('div', { class: 'panel', 'data-testid': 'fd-booking' }, h('h2', null, '我的预约'), bookingFacts(b))];
    if (b.status === 'booked' && !b.outcome) parts.push(changePanel(b), cancelPanel());
    replace(out, ...parts);
  };
  const cancelPanel = () => {
    const go = button('取消预约', { class: 'btn btn-danger btn-block', 'data-testid': 'fd-cancel' });
    const sure = button('确认取消', { class: 'btn btn-danger-solid btn-block', 'data-testid': 'fd-cancel-confirm', hidden: true });
    const err = formError('fd-cancel-error');
    go.addEventListener('click', () => { go.hidden = true; sure.hidden = false; });
    sure.addEventListener('click', () => busy(sure, async () => {
      try {
        render(await post('/api/v1/public/marriage/bookings/cancel', cred));
      } catch (e) {
        err.set(e.message);
      }
    }));
    return h('div', { class: 'panel' }, h('p', { class: 'bk-note' }, '取消后名额将释放给他人。'), err.el, go, sure);
  };
  const changePanel = (b) => {
    const dateF = field({ label: '新的日期', testid: 'fd-date', input: textInput({ type: 'date', min: addDays(todayShanghai(), 1), max: addDays(todayShanghai(), BOOK_DAYS), value: b.date }) });
    const slots = slotPicker('fd');
    const err = formError('fd-change-error');
    const save = button('改到所选时段', { class: 'btn btn-primary btn-block', 'data-testid': 'fd-change' });
    let asked = 0; // as in the booking form: only the latest day's answer is shown
    const load = async () => {
      const mine = ++asked;
      try {
        const plan = await get(`/api/v1/public/marriage/offices/${b.office_id}/slots`, { date: dateF.input.value });
        if (mine === asked) slots.show(plan);
      } catch (e) {
        if (mine !== asked) return;
        slots.clear('');
        dateF.setError(e.message);
      }
    };
    dateF.input.addEventListener('change', load);
    save.addEventListener('click', () => busy(save, async () => {
      err.clear();
      if (!slots.value()) return err.set('请选择新的时段');
      try {
        render(await post('/api/v1/public/marriage/bookings/change', { ...cred, date: dateF.input.value, time: slots.value() }));
      } catch (e) {
        err.set(e.message);
      }
      return undefined;
    }));
    load();
    return h('details', { class: 'panel', 'data-testid': 'fd-change-panel' }, h('summary', null, '改约'), dateF.wrap, slots.el, err.el, save);
  };

  const form = h('form', { class: 'panel', novalidate: true, 'data-testid': 'fd-form' },
    h('h2', null, '查询、改约或取消'),
    h('div', { class: 'form-grid' }, codeF.wrap, idF.wrap), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const code = codeF.input.value.trim().toUpperCase();
    codeF.setError(code ? '' : '请填写预约码');
    const r = idCheck();
    if (!code || !r.ok) return;
    await busy(submit, async () => {
      try {
        cred = { code, id_number: r.value };
        render(await post('/api/v1/public/marriage/bookings/lookup', cred));
        idF.input.value = ''; // kept only in memory for a change or cancel, never shown again
        idF.setHint('');
      } catch (err) {
        replace(out);
        showServerError(err, { code: codeF, id_number: idF }, box);
      }
    });
  });
  return h('div', null, form, out);
}

start();
