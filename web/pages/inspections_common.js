// pages/inspections_common.js — what the inspection pages share: the Chinese names of statuses,
// results and actions, the status badge, the section tabs, a facts list, today's date.

import { h } from '../dom.js';

export const RECT_STATUS_LABELS = {
  open: '待整改',
  in_progress: '整改中',
  submitted: '待核验',
  verified: '已销号',
  reopened: '重新整改',
};

export const RESULT_LABELS = { pass: '符合', fail: '不符合', na: '不适用' };

export const ACTION_LABELS = {
  create: '下发整改',
  start: '开始整改',
  submit: '提交整改材料',
  verify: '核验销号',
  reject: '退回重新整改',
  reopen: '重新打开',
  extend: '延长期限',
};

export const TARGET_KIND_LABELS = { region: '县镇村', institution: '机构' };

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/* Today in Asia/Shanghai, "YYYY-MM-DD". */
export function today(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function label(map, code) {
  return (code && map[code]) || code || '';
}

/* The status badge of a rectification item, with 逾期 / 临期 beside it. */
export function rectBadges(r) {
  const cls = r.status === 'verified' ? 'badge badge-muted' : r.status === 'submitted' ? 'badge' : 'badge badge-warn';
  return [
    h('span', { class: cls, 'data-testid': 'rect-status' }, label(RECT_STATUS_LABELS, r.status)),
    r.overdue ? h('span', { class: 'badge badge-warn', 'data-testid': 'rect-overdue' }, `逾期 ${r.days_overdue} 天`) : null,
    r.due_soon ? h('span', { class: 'badge', 'data-testid': 'rect-due-soon' }, '临期') : null,
  ];
}

/* The section tabs of the inspection pages; `current` is the active key. */
export function tabs(ctx, current) {
  const list = [
    ['home', '#/inspections', '检查记录'],
    ['items', '#/inspections/items', '整改事项'],
    ['overdue', '#/inspections/overdue', '逾期事项'],
    ['teams', '#/inspections/teams', '督导组'],
    ctx.can('inspection') ? ['new', '#/inspections/new', '记录检查'] : null,
  ].filter(Boolean);
  return h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '督导检查' },
    list.map(([key, href, text]) => h('a', {
      class: 'tab', role: 'tab', href, 'aria-selected': key === current ? 'true' : 'false', 'data-testid': `insp-tab-${key}`,
    }, text)));
}

/* A definition list of [label, value, testid, wide] facts. */
export function facts(list) {
  return h('dl', { class: 'facts' }, list.filter(Boolean).map(([dt, dd, testid, wide]) =>
    h('div', { class: 'fact' + (wide ? ' fact-wide' : '') }, h('dt', null, dt),
      h('dd', { 'data-testid': testid || null }, dd === '' || dd === null || dd === undefined ? '—' : dd))));
}
