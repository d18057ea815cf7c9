// public/booking_parts.js — pieces of the public booking page (booking.js): the slot picker
// (one button per slot of the day, the taken ones disabled), the facts of a booking as the
// public sees them (masked names and ID numbers, no phone), and date arithmetic.

import { h, replace } from '../dom.js';
import { button } from '../ui.js';

export const BOOK_DAYS = 30; // the server books from tomorrow up to this many days ahead

/* addDays("2020-03-01", 1) → "2020-03-02" (calendar days, no time zone involved). */
export function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
export function dateText(date) {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日（星期${WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]}）`;
}

/* slotPicker(prefix) → {el, show(plan), clear(message), value()}: testids PREFIX-slots,
 * PREFIX-slot-HHMM, PREFIX-slots-note. */
export function slotPicker(prefix) {
  let chosen = '';
  const note = h('p', { class: 'bk-note', 'data-testid': `${prefix}-slots-note` }, '选择登记处和日期后显示可预约时段');
  const grid = h('div', { class: 'bk-slots', 'data-testid': `${prefix}-slots` });
  const rules = h('p', { class: 'bk-note', 'data-testid': `${prefix}-rules` });
  return {
    el: h('div', null, note, grid, rules),
    value: () => chosen,
    clear(message) {
      chosen = '';
      replace(grid);
      replace(rules);
      note.textContent = message;
    },
    show(plan) {
      chosen = '';
      replace(grid);
      const r = [];
      if (plan.one_couple) r.push('每个时段只接待一对');
      if (plan.counselling_suspended) r.push('暂停婚姻家庭辅导');
      if (plan.ceremony_suspended) r.push('暂停颁证仪式');
      rules.textContent = r.length ? `疫情防控期间：${r.join('，')}。` : '';
      if (!plan.open) {
        note.textContent = `${dateText(plan.date)}不可预约：${plan.reason}`;
        return;
      }
      const free = plan.slots.filter((s) => s.available).length;
      note.textContent = free ? `${dateText(plan.date)}，请选择时段（每段 ${plan.slot_minutes} 分钟）：` : `${dateText(plan.date)}已约满，请选择其他日期`;
      for (const s of plan.slots) {
        const b = button(s.available ? s.time : `${s.time} 已满`, {
          'data-testid': `${prefix}-slot-${s.time.replace(':', '')}`, 'aria-pressed': 'false', disabled: !s.available,
        });
        b.addEventListener('click', () => {
          chosen = s.time;
          for (const x of grid.children) x.setAttribute('aria-pressed', String(x === b));
        });
        grid.appendChild(b);
      }
    },
  };
}

const STATUS_TEXT = { booked: '已预约', cancelled: '已取消' };
const OUTCOME_TEXT = { registered: '已办理登记', not_registered: '未办理', no_show: '未到场' };

/* The facts of a public booking. */
export function bookingFacts(b) {
  const row = (k, v, testid) => [h('dt', null, k), h('dd', { 'data-testid': testid }, v)];
  return h('dl', { class: 'bk-rows' },
    row('预约码', b.code, 'bk-fact-code'),
    row('状态', b.outcome ? OUTCOME_TEXT[b.outcome] || b.outcome : STATUS_TEXT[b.status] || b.status, 'bk-fact-status'),
    row('登记处', b.office_name, 'bk-fact-office'),
    b.office_address ? row('地址', b.office_address, 'bk-fact-address') : null,
    row('日期', dateText(b.date), 'bk-fact-date'),
    row('时段', b.time, 'bk-fact-time'),
    (b.parties || []).map((p, i) => row(i ? '另一方' : '一方', `${p.name}　${p.id_number}`, `bk-fact-party-${i}`)));
}
