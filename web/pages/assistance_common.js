// pages/assistance_common.js — what the assistance pages share: labels of a case, money typed
// in yuan (exact string arithmetic, no floating point), dates and months in the bureau's time
// zone, and the small pieces of UI every assistance page shows (status badge, month facts).

import { h } from '../dom.js';
import { yuan } from '../format.js';
import { CASE_STATUS_LABELS, PROGRAM_LABELS, label } from '../labels.js';

/* Today in Asia/Shanghai, "YYYY-MM-DD". */
export function today(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/* This month in Asia/Shanghai, "YYYY-MM". */
export function thisMonth(now = new Date()) {
  return today(now).slice(0, 7);
}

export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/* yuanToFen("1,234.5") → {value: 123450} or {error}. At most two decimals: never rounded. */
export function yuanToFen(text, { required = false } = {}) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  if (s === '') return required ? { error: '请填写金额' } : { value: 0 };
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { error: '金额应为元，最多两位小数，如 1200.50' };
  const value = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
  if (!Number.isSafeInteger(value)) return { error: '金额过大' };
  return { value };
}

/* "1,291.00 元" */
export function money(fen) {
  return fen === null || fen === undefined ? '' : `${yuan(fen)} 元`;
}

export function statusBadge(status) {
  const cls = ['refused', 'terminated'].includes(status) ? 'badge badge-muted'
    : ['suspended', 'phaseout'].includes(status) ? 'badge badge-warn' : 'badge';
  return h('span', { class: cls, 'data-testid': 'case-status', 'data-status': status }, label(CASE_STATUS_LABELS, status));
}

export function programText(p) {
  return label(PROGRAM_LABELS, p);
}

export function caseHash(id) {
  return `#/assistance/case/${id}`;
}

/* "#/assistance?view=…&program=…&region=…&offset=…" (empty values dropped). */
export function queueHash(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== 0) p.set(k, String(v));
  const s = p.toString();
  return '#/assistance' + (s ? '?' + s : '');
}

/* A definition list of [label, value, testid] facts. */
export function facts(list) {
  return h('dl', { class: 'facts' }, list.filter(Boolean).map(([dt, dd, testid, wide]) =>
    h('div', { class: 'fact' + (wide ? ' fact-wide' : '') }, h('dt', null, dt), h('dd', { 'data-testid': testid || null }, dd === '' || dd === null || dd === undefined ? '—' : dd))));
}
