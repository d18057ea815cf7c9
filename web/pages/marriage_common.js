// pages/marriage_common.js — what the registrar's marriage pages share: the Chinese names of the
// codes the API sends, the tabs, hash building, and the weekly hours text (seven day parts
// Monday … Sunday separated by ';') split into and joined from one input per weekday.

import { h } from '../dom.js';

export { todayShanghai } from '../format.js';

export const OUTCOME_LABELS = { registered: '已办理登记', not_registered: '未办理', no_show: '未到' };
export const WHY_LABELS = { over_capacity: '超出容量', closed: '当日闭馆', no_slot: '时段已取消' };
export const WEEKDAY_LABELS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/* officeHash('settings', {office: 3}) → "#/marriage/settings?office=3" (empty values left out). */
export function officeHash(sub, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v) p.set(k, String(v));
  const q = p.toString();
  return '#/marriage' + (sub ? '/' + sub : '') + (q ? '?' + q : '');
}

export function tabs(current, officeId) {
  const items = [['day', '当日名单', ''], ['settings', '开放时间与防控规则', 'settings']];
  return h('nav', { class: 'tabs', 'aria-label': '婚姻登记预约' }, items.map(([key, text, sub]) =>
    h('a', { class: 'tab', href: officeHash(sub, { office: officeId }), 'aria-selected': String(current === key), 'data-testid': `mar-tab-${key}` }, text)));
}

/* "a;b;…" → seven strings (missing parts empty). */
export function splitHours(hours) {
  const parts = String(hours || '').split(';');
  return WEEKDAY_LABELS.map((_, i) => parts[i] || '');
}

const RANGE = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/;
/* One weekday's text: "" or ranges "09:00-12:00,13:30-17:00"; '' when fine, else a message. */
export function dayHoursProblem(text) {
  const t = text.trim();
  if (t === '') return '';
  let last = '';
  for (const r of t.split(',')) {
    if (!RANGE.test(r)) return '写作 09:00-12:00，多段以逗号分隔';
    const [a, b] = r.split('-');
    if (a >= b || a < last) return '时间须从早到晚、互不重叠';
    last = b;
  }
  return '';
}
