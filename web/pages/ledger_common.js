// pages/ledger_common.js — what the ledger pages share: the Chinese names of categories, visit
// modes, need kinds and statuses; the due badge; hashes; the tab bar of the ledger pages.

import { h } from '../dom.js';

export const CATEGORY_LABELS = {
  elderly_alone: '独居老人',
  left_behind_elderly: '留守老人',
  left_behind_child: '留守儿童',
  orphan: '孤儿',
  unsupported_child: '事实无人抚养儿童',
  child_in_difficulty: '困境儿童',
  severely_disabled: '重度残疾人',
  seriously_ill: '重病患者',
  covid_patient_family: '新冠肺炎患者家庭',
  isolated_family: '隔离家庭',
  dibao: '低保对象',
  tekun: '特困人员',
  other: '其他困难群众',
};
/* Recorded by hand: the rolls decide 低保 and 特困. */
export const MANUAL_CATEGORIES = Object.keys(CATEGORY_LABELS).filter((c) => c !== 'dibao' && c !== 'tekun');

export const MODE_LABELS = { home: '入户走访', phone: '电话联系', wechat: '微信视频', other: '其他方式', survey: '摸底登记' };
export const NEED_LABELS = { food: '生活物资', medicine: '药品就医', masks: '口罩防护', care: '照料看护', money: '资金困难', other: '其他' };
export const NEED_STATUS_LABELS = { open: '待解决', met: '已解决', unmet: '无法解决' };

export const entryHash = (id) => `#/ledger/entry/${id}`;
export const visitHash = (id) => `#/ledger/entry/${id}/visit`;

/* Today in Asia/Shanghai, "YYYY-MM-DD". */
export function today(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function categoryBadges(list) {
  if (!list || !list.length) return '';
  return h('span', { class: 'tags' }, list.map((c) => h('span', { class: 'tag', 'data-category': c }, CATEGORY_LABELS[c] || c)));
}

/* The due state of an entry: "逾期 N 天" (warning), "今日应访", or the due day. */
export function dueBadge(e) {
  if (e.status !== 'active' || !e.next_due) return h('span', { class: 'badge badge-muted', 'data-testid': 'entry-due' }, '已销号');
  if (e.days_overdue === null || e.days_overdue === undefined) return h('span', { class: 'mono', 'data-testid': 'entry-due' }, e.next_due);
  return h('span', { class: 'badge badge-warn', 'data-testid': 'entry-due', 'data-days': e.days_overdue },
    e.days_overdue === 0 ? '今日应访' : `逾期 ${e.days_overdue} 天`);
}

export function helperText(helper) {
  if (!helper) return '未指定';
  return `${helper.name || helper.username}${helper.phone ? ` ${helper.phone}` : ''}`;
}

/* The tab bar of the ledger pages; `current` is the tab's key. */
export function ledgerTabs(ctx, current) {
  const tabs = [
    ['list', '#/ledger', '台账'],
    ['overdue', '#/ledger/overdue', '应访未访'],
    ['survey', '#/ledger/survey', '摸底走访'],
    ['stats', '#/ledger/stats', '统计'],
    ['notice', '#/ledger/notice', '告示'],
    ['new', '#/ledger/new', '手工登记'],
  ];
  return h('nav', { class: 'tabs no-print', role: 'tablist', 'aria-label': '困难群众台账' },
    tabs.map(([key, href, text]) => h('a', {
      class: 'tab', href, role: 'tab', 'aria-selected': key === current ? 'true' : 'false', 'data-testid': `ledger-tab-${key}`,
    }, text)));
}

/* "#/ledger/...?a=1" with empty values dropped. */
export function withQuery(base, params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== false && v !== 0) p.set(k, String(v));
  const s = p.toString();
  return base + (s ? '?' + s : '');
}
