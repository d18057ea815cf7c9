// pages/funeral_common.js — what the funeral and cross-check pages share: labels, date checks,
// the status badge and the funeral-home options.

import { h } from '../dom.js';
import { label } from '../labels.js';

export const CAUSE_LABELS = { confirmed: '新冠确诊', suspected: '新冠疑似', other: '其他' };
export const SOURCE_LABELS = { hospital: '医院（免费接运）', home: '家中', other: '其他' };
export const STEP_LABELS = { transfer: '遗体接运', cremation: '火化', disinfection: '终末消毒', ashes: '骨灰交付' };
export const STATUS_LABELS = {
  registered: '已登记', transfer: '已接运', cremation: '已火化', disinfection: '已终末消毒', ashes: '骨灰已处置',
};
export const ASHES_LABELS = { handed: '交家属', held: '暂存' };
export const OVER_STATUS_LABELS = { found: '已发现', notified: '已通知', recovered: '已追回', written_off: '已核销' };
export const PROGRAM_TEXT = {
  dibao: '低保', tekun: '特困', orphan: '孤儿', unsupported_child: '事实无人抚养儿童', price_subsidy: '价格临时补贴',
};

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;
export const TIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;

/* The current moment in Asia/Shanghai as "YYYY-MM-DDTHH:MM". */
export function nowText(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}
export function todayText(now = new Date()) {
  return nowText(now).slice(0, 10);
}

export function statusBadge(status) {
  return h('span', { class: status === 'ashes' ? 'badge' : 'badge badge-warn', 'data-status': status }, label(STATUS_LABELS, status));
}

export function homeOptions(homes) {
  return homes.map((x) => ({ value: String(x.id), label: x.name }));
}
