// pages/rescue_common.js — what the rescue-station pages share: the Chinese names of the codes
// the API sends, temperatures typed in °C (exact string arithmetic into tenths), times in the
// bureau's time zone for <input type="datetime-local">, the station picker, and the few styles
// these pages need beyond style.css (added once, on first use).

import { h } from '../dom.js';
import { label } from '../labels.js';

export const DECISION_LABELS = {
  admit: '收入生活区',
  isolate: '收入隔离区观察',
  hospital: '送医（发热等）',
  refuse: '不予收留',
};

export const STATUS_LABELS = {
  in_station: '在站',
  isolation: '隔离观察中',
  referred: '已送医',
  refused: '未收留',
  discharged: '已离站',
};

export const RISK_LABELS = {
  low: '低风险（14 天内未到过中高风险地区）',
  medium_high: '来自中高风险地区',
  unverifiable: '行程或健康状况无法核实',
};

export const LEAVE_LABELS = {
  return_home: '返乡（购票）',
  transfer: '转介其他机构',
  hospital: '送医',
  voluntary: '自愿离站（签署声明）',
  max_stay: '救助期满离站',
};

export const ZONE_LABELS = { general: '生活区', isolation: '隔离区' };

export const CHANGE_LABELS = {
  start: '开始隔离',
  extend: '延长隔离',
  reduce: '缩短隔离',
  end: '期满解除隔离',
  early_end: '提前解除（凭阴性检测）',
};

export const SEX_TEXT = { male: '男', female: '女' };

/* "36.5" → {value: 365}; "37" → {value: 370}; otherwise {error}. No floating point. */
export function parseTemperature(text) {
  const s = String(text ?? '').trim();
  if (s === '') return { error: '请填写体温（°C），如 36.5' };
  const m = /^(\d{2})(?:\.(\d))?$/.exec(s);
  if (!m) return { error: '体温应为 °C，最多一位小数，如 36.5' };
  const value = Number(m[1]) * 10 + Number(m[2] || '0');
  if (value < 300 || value > 450) return { error: '体温应在 30.0 到 45.0 °C 之间' };
  return { value };
}

/* 373 → "37.3" */
export function degrees(tenths) {
  if (tenths === null || tenths === undefined || tenths === '') return '';
  const n = Number(tenths);
  return `${Math.trunc(n / 10)}.${Math.abs(n % 10)}`;
}

/* The moment in Asia/Shanghai as "YYYY-MM-DDTHH:MM" (a datetime-local value). */
export function shanghaiNow(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

/* Today in Asia/Shanghai plus n days, "YYYY-MM-DD". */
export function dayPlus(n, now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000 + n * 86400000).toISOString().slice(0, 10);
}

/* "2020-02-01T21:30:00+08:00" → "2020-02-01 21:30" */
export function minute(text) {
  if (!text) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(text);
  return m ? `${m[1]} ${m[2]}` : text;
}

export const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const TIME_RE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/;

/* A datetime-local or typed time problem ('' = fine; empty allowed = now). */
export function timeProblem(v) {
  return v === '' || TIME_RE.test(v) ? '' : '时间应为 YYYY-MM-DD HH:MM';
}

/* The time as the API takes it ("" stays ""). */
export function apiTime(v) {
  return v ? v.replace(' ', 'T') : '';
}

export function statusBadge(status) {
  const cls = status === 'isolation' ? 'badge badge-warn'
    : ['discharged', 'refused', 'referred'].includes(status) ? 'badge badge-muted' : 'badge';
  return h('span', { class: cls, 'data-testid': 'rescue-status', 'data-status': status }, label(STATUS_LABELS, status));
}

/* "张**" or "身份不明" */
export function personName(x) {
  if (x.unidentified) return x.name ? `身份不明（自称 ${x.name}）` : '身份不明';
  return x.name || '—';
}

/* Options of the stations the user may see: [{value, label}]. */
export function stationOptions(stations) {
  return stations.map((s) => ({ value: String(s.id), label: `${s.name}（${s.region_name || s.region_code}）` }));
}

/* A row of figure cards: [[label, value, testid, warn]]. */
export function figures(list) {
  ensureStyles();
  return h('div', { class: 'rescue-figures' }, list.filter(Boolean).map(([k, v, testid, warn]) =>
    h('div', { class: 'rescue-figure' + (warn ? ' rescue-figure-warn' : '') },
      h('div', { class: 'rescue-figure-value', 'data-testid': testid || null }, String(v)),
      h('div', { class: 'rescue-figure-label' }, k))));
}

let styled = false;
/* The few styles of these pages (figure cards, the form's sections, a bar chart row). */
export function ensureStyles() {
  if (styled || document.getElementById('rescue-styles')) return;
  styled = true;
  document.head.appendChild(h('style', { id: 'rescue-styles' }, `
.rescue-figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; margin: 8px 0 4px; }
.rescue-figure { border: 1px solid var(--border); border-radius: var(--radius); padding: 10px 12px; background: #fff; }
.rescue-figure-warn { border-color: #e3a59e; background: var(--danger-soft); }
.rescue-figure-value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.rescue-figure-label { font-size: 12px; color: var(--muted); }
.rescue-section { border: 1px solid var(--border); border-radius: var(--radius); padding: 10px 12px 12px; margin: 0 0 12px; }
.rescue-section legend { font-weight: 600; font-size: 14px; padding: 0 4px; }
.rescue-alert { border: 1px solid #e3a59e; background: var(--danger-soft); color: var(--danger); border-radius: var(--radius); padding: 8px 10px; margin: 8px 0; }
.rescue-ok { border: 1px solid #b5dcc4; background: var(--ok-soft); color: var(--ok); border-radius: var(--radius); padding: 8px 10px; margin: 8px 0; }
.rescue-bar { display: inline-block; height: 10px; background: var(--blue); border-radius: 2px; vertical-align: middle; }
.rescue-bar-out { background: var(--accent); }
.rescue-records h2 { margin-top: 16px; }
.rescue-records h2:first-child { margin-top: 0; }
.rescue-input { width: 100%; min-height: var(--control-h); padding: 5px 8px; font: inherit; color: var(--text); background: #fff; border: 1px solid var(--border-strong); border-radius: var(--radius); }
@media (max-width: 760px) {
  .rescue-figures { grid-template-columns: 1fr 1fr; }
  .rescue-section { padding: 8px 8px 10px; }
}
`));
}

/* The tabs of the rescue pages; `current` is the sub-path's first segment. */
export function tabs(current) {
  ensureStyles();
  const items = [
    ['', '概况'],
    ['intake/new', '登记到站'],
    ['list', '在站与历史'],
    ['patrols', '街面巡查'],
    ['stations', '站点与床位'],
  ];
  return h('nav', { class: 'tabs', 'aria-label': '救助站' }, items.map(([path, text]) =>
    h('a', {
      class: 'tab',
      href: path ? `#/rescue/${path}` : '#/rescue',
      'aria-selected': String(current === path),
      'data-testid': `rescue-tab-${path.replace('/', '-') || 'home'}`,
    }, text)));
}
