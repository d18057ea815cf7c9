// pages/duty_common.js — what the duty pages share: labels, the section tabs, time helpers.

import { h } from '../dom.js';

export const KIND_LABELS = { city: '市', county: '县市区', township: '镇街', institution: '机构' };
export const POST_LABELS = { leader: '带班领导', officer: '值班员' };

export const TIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;
export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/* "2020-02-01T08:00" → "02-01 08:00" */
export function hm(t) {
  return t ? t.slice(5, 16).replace('T', ' ') : '';
}

/* Today in Asia/Shanghai, "YYYY-MM-DD"; addDays("2020-02-28", 2) → "2020-03-01". */
export function today(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function addDays(day, n) {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function dutyTabs(ctx, current) {
  const list = [
    ['now', '#/duty', '此刻在岗'],
    ['handovers', '#/duty/handovers', '交接班记录'],
    ctx.can('duty') ? ['new', '#/duty/new', '新建值班表'] : null,
  ].filter(Boolean);
  return h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '值班值守' },
    list.map(([key, href, text]) => h('a', {
      class: 'tab', role: 'tab', href, 'aria-selected': key === current ? 'true' : 'false', 'data-testid': `duty-tab-${key}`,
    }, text)));
}
