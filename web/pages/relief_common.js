// pages/relief_common.js — what the temporary-assistance pages share: the option lists from
// GET /api/v1/relief/options (loaded once), labels, hashes, a state badge, and money in yuan.

import { h } from '../dom.js';
import { get } from '../api.js';
import { yuan } from '../format.js';

let optionsPromise = null;
/* The kinds, causes, forms and ways of applying (cached for the page's life). */
export function reliefOptions() {
  optionsPromise ??= get('/api/v1/relief/options').catch((e) => {
    optionsPromise = null;
    throw e;
  });
  return optionsPromise;
}

export const LEVEL_LABELS = { township: '镇街审批', county: '县级审批' };
export const MOVE_LABELS = { allocation: '县级拨付', replenishment: '县级补充', disbursement: '先行救助支出', return: '退回' };
export const OVERDUE_LABELS = { papers: '先行救助补办材料超期', decisions: '超期未审批', deliveries: '物资超期未送达' };

export const grantHash = (id) => `#/relief/${id}`;

/* "1,500.00 元" */
export function money(fen) {
  return fen === null || fen === undefined ? '' : `${yuan(fen)} 元`;
}

/* The grant's state as a badge (its label comes from the server's rules). */
export function stateBadge(g) {
  const warn = g.state_label.includes('待') || g.state_label.includes('超期');
  const muted = g.decision === 'refused' || g.payment === 'returned';
  return h('span', {
    class: muted ? 'badge badge-muted' : warn ? 'badge badge-warn' : 'badge',
    'data-testid': 'relief-state', 'data-decision': g.decision, 'data-payment': g.payment,
  }, g.state_label);
}

/* yuanToFen("1,234.5") → {value: 123450} or {error}. At most two decimals: never rounded. */
export function yuanToFen(text) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  if (s === '') return { error: '请填写金额' };
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { error: '金额应为元，最多两位小数，如 1500 或 1500.50' };
  const value = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
  if (!Number.isSafeInteger(value) || value <= 0) return { error: '金额应大于 0' };
  return { value };
}

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/* Today in Asia/Shanghai, "YYYY-MM-DD". */
export function today(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}
