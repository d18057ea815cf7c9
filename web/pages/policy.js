// pages/policy.js — the policy parameters (#/policy?unit=…&residence=…&month=…&edit=KEY).
// Pick a management unit (or the city's defaults), urban/rural and a month: the table shows every
// parameter in force then (GET /api/v1/policy) in yuan / % / months, with the month it took effect
// and whether it is the unit's own value or the city's. Users with policy.write get 修改 on each
// row (for units they may set), which opens an editor with the key's history (GET
// /api/v1/policy/history) and a form (value, effective month, note) that POSTs /api/v1/policy.
// The state lives in the hash, so back/forward and bookmarks work; after saving, the page renders
// again with the editor still open on the fresh history.
//
// Money is typed in yuan and rates in percent, and turned into fen / basis points by string
// arithmetic (no floating point): more than two decimals is refused, never rounded.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { RESIDENCE_LABELS, options } from '../labels.js';
import { yuan, dateTime } from '../format.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';

const UNIT_LABELS = {
  fen_month: '元/月', fen_year: '元/年', fen: '元', bp: '%', months: '个月', years: '岁', days: '天',
  hours: '小时', minutes: '分钟', tenths_c: '°C', time_of_day: '时刻', flag: '（1 是 / 0 否）', code: '（选项）',
};
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/* The current month in Asia/Shanghai, "YYYY-MM". */
export function currentMonth(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/* policyHash({unit, residence, month, edit}) → "#/policy?…". */
export function policyHash({ unit = '', residence = 'urban', month = '', edit = '' }) {
  const p = new URLSearchParams();
  if (unit) p.set('unit', unit);
  p.set('residence', residence);
  if (month) p.set('month', month);
  if (edit) p.set('edit', edit);
  return '#/policy?' + p.toString();
}

/* percent(bp) → "12.5" for 1250 (integer arithmetic). */
function percent(bp) {
  const n = Math.abs(bp);
  const whole = Math.floor(n / 100);
  const frac = String(n % 100).padStart(2, '0').replace(/0+$/, '');
  return (bp < 0 ? '-' : '') + whole + (frac ? '.' + frac : '');
}

/* formatValue(unit, v) → "710.00 元/月", "12.5%", "130%（1.3 倍）", "3 个月". */
export function formatValue(unit, v) {
  if (v === null || v === undefined) return '';
  if (unit.startsWith('fen')) return `${yuan(v)} ${UNIT_LABELS[unit]}`;
  if (unit === 'bp') return v > 10000 ? `${percent(v)}%（${percent(Math.floor(v / 100))} 倍）` : `${percent(v)}%`;
  if (unit === 'tenths_c') return `${v < 0 ? '-' : ''}${Math.floor(Math.abs(v) / 10)}.${Math.abs(v) % 10} °C`;
  if (unit === 'time_of_day') return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`;
  if (unit === 'flag') return v ? '是' : '否';
  return `${v} ${UNIT_LABELS[unit] || ''}`;
}

/* The number typed into the editor for a stored value: yuan for fen, percent for bp. */
function editText(unit, v) {
  if (v === null || v === undefined) return '';
  if (unit.startsWith('fen')) return yuan(v).replace(/,/g, '');
  if (unit === 'bp') return percent(v);
  if (unit === 'tenths_c') return `${Math.floor(v / 10)}.${v % 10}`;
  if (unit === 'time_of_day') return `${String(Math.floor(v / 60)).padStart(2, '0')}:${String(v % 60).padStart(2, '0')}`;
  return String(v);
}

/* parseValue(unit, text) → {value} or {error}: yuan → fen, percent → bp, others whole numbers.
 * Exact: at most two decimals, no floating point. */
export function parseValue(unit, text) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  if (s === '') return { error: '请填写参数值' };
  if (unit === 'tenths_c') {
    const m = /^(\d{1,3})(?:\.(\d))?$/.exec(s);
    if (!m) return { error: '请填写温度（°C），最多一位小数，如 37.3' };
    return { value: Number(m[1]) * 10 + Number(m[2] || 0) };
  }
  if (unit === 'time_of_day') {
    const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s);
    if (!m) return { error: '请填写时刻，如 10:00' };
    return { value: Number(m[1]) * 60 + Number(m[2]) };
  }
  if (unit.startsWith('fen') || unit === 'bp') {
    const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
    if (!m) return { error: unit === 'bp' ? '请填写百分比数值，最多两位小数，如 12.5' : '请填写金额（元），最多两位小数，如 710.00' };
    const whole = Number(m[1]);
    const frac = Number((m[2] || '').padEnd(2, '0'));
    const value = whole * 100 + frac;
    if (!Number.isSafeInteger(value)) return { error: '数值过大' };
    return { value };
  }
  if (!/^\d+$/.test(s)) return { error: '请填写整数' };
  return { value: Number(s) };
}

/* The page's unit choices: the city first, then the units in the user's scope. */
function unitOptions(units) {
  const city = units.length ? units[0].code.slice(0, 4) : '3707';
  return [{ value: city, label: `${city} 全市默认值` }, ...units.map((u) => ({ value: u.code, label: `${u.code} ${u.name}` }))];
}

/* The unit a user naturally works for: their own unit, the city for city users, else the unit
 * managing their township. */
function defaultUnit(user, units) {
  const rc = user.region_code || '';
  if (units.some((u) => u.code === rc)) return rc;
  if (rc.length <= 4) return rc || (units[0] ? units[0].code.slice(0, 4) : '');
  const t = rc.slice(0, 9);
  const u = units.find((x) => (x.townships || []).includes(t)) || units.find((x) => rc.startsWith(x.code));
  return u ? u.code : (units[0] ? units[0].code : '');
}

/* Whether the user may set the unit's parameters (the server decides; this only hides buttons). */
function maySet(ctx, unit) {
  if (!ctx.can('policy.write')) return false;
  const rc = ctx.user.region_code || '';
  return rc === unit || (rc.length <= 4 && unit.startsWith(rc));
}

export default async function render(el, ctx) {
  ctx.setTitle('政策参数');
  loading(el);
  let units;
  let keys;
  try {
    [units, keys] = await Promise.all([get('/api/v1/units'), get('/api/v1/policy/keys')]);
  } catch (err) {
    failure(el, err, '政策参数加载失败');
    return;
  }
  const unitList = units.items || [];
  const keyDefs = Object.fromEntries((keys.items || []).map((k) => [k.key, k]));
  const unit = ctx.query.get('unit') || defaultUnit(ctx.user, unitList);
  const residence = ctx.query.get('residence') === 'rural' ? 'rural' : 'urban';
  const month = ctx.query.get('month') || currentMonth();
  const editKey = ctx.query.get('edit') || '';

  const opts = unitOptions(unitList);
  if (unit && !opts.some((o) => o.value === unit)) opts.push({ value: unit, label: unit });
  const uf = field({ label: '管理单位', input: select(opts, { name: 'unit', value: unit }), testid: 'policy-unit' });
  const rf = field({ label: '城乡', input: select(options(RESIDENCE_LABELS).reverse(), { name: 'residence', value: residence }), testid: 'policy-residence' });
  const mf = field({
    label: '月份',
    input: textInput({ name: 'month', value: month, inputmode: 'numeric', placeholder: 'YYYY-MM', maxlength: '7' }),
    testid: 'policy-month',
    hint: '查看该月生效的参数',
  });
  const box = formError('policy-error');
  const submit = button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'policy-submit' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, uf.wrap, rf.wrap, mf.wrap),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const m = mf.input.value.trim();
    mf.setError(MONTH_RE.test(m) ? '' : '月份应为 YYYY-MM，如 2020-03');
    if (!MONTH_RE.test(m)) return;
    ctx.navigate(policyHash({ unit: uf.input.value, residence: rf.input.value, month: m }));
  });

  const results = h('div', { 'aria-live': 'polite' });
  replace(el,
    h('section', { class: 'panel' }, h('h1', null, '政策参数'), box.el, form),
    results);
  if (!unit) {
    replace(results, h('div', { class: 'panel' }, emptyState('没有可查看的管理单位', 'policy-empty')));
    return;
  }

  replace(results, h('div', { class: 'loading', role: 'status' }, '正在加载…'));
  let snap;
  try {
    snap = await get('/api/v1/policy', { unit, residence, month });
  } catch (err) {
    replace(results);
    showServerError(err, { unit: uf, residence: rf, month: mf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const writable = maySet(ctx, unit);
  const unitName = (opts.find((o) => o.value === unit) || { label: unit }).label;
  const tbody = h('tbody', { 'data-testid': 'policy-rows' }, snap.items.map((it) => row(it, { unit, residence, month, writable, ctx })));
  const table = h('table', { class: 'data responsive', 'data-testid': 'policy-table' },
    h('caption', { class: 'sr-only' }, '政策参数'),
    h('thead', null, h('tr', null,
      ['参数', '值', '生效月份', '来源', writable ? '操作' : null].filter(Boolean).map((t, i) =>
        h('th', { scope: 'col', class: i === 1 ? 'num' : null }, t)))),
    tbody);
  const panel = h('section', { class: 'panel' },
    h('div', { class: 'panel-head' },
      h('h2', null, `${unitName} · ${RESIDENCE_LABELS[residence]} · ${month}`),
      h('span', { class: 'muted', 'data-testid': 'policy-caption' }, '县级单位没有自己的值时沿用全市默认值')),
    h('div', { class: 'table-wrap' }, table));
  const editorEl = h('div');
  replace(results, panel, editorEl);

  if (editKey && writable && keyDefs[editKey]) {
    const it = snap.items.find((x) => x.key === editKey);
    await openEditor(editorEl, keyDefs[editKey], it, { unit, unitName, residence, month, ctx });
  }
}

function row(it, { unit, residence, month, writable, ctx }) {
  const own = it.source_unit && it.source_unit === unit;
  const source = it.value === null ? '' : own ? '本单位' : `沿用 ${it.source_unit}`;
  const cells = [
    h('td', { 'data-label': '参数' }, h('div', null, it.label),
      h('div', { class: 'muted mono' }, it.key, it.per_residence ? ` · ${RESIDENCE_LABELS[residence]}` : '')),
    h('td', { 'data-label': '值', class: 'num', 'data-testid': 'policy-value' },
      it.value === null ? h('span', { class: 'badge badge-muted' }, '未设置') : formatValue(it.unit, it.value)),
    h('td', { 'data-label': '生效月份', class: 'mono' }, it.effective_from || ''),
    h('td', { 'data-label': '来源' }, source),
  ];
  if (writable) {
    cells.push(h('td', { 'data-label': '操作' }, button('修改', {
      class: 'btn btn-small', 'data-testid': 'policy-edit', 'data-key': it.key,
      onclick: () => ctx.navigate(policyHash({ unit, residence, month, edit: it.key })),
    })));
  }
  return h('tr', { 'data-testid': 'policy-row', 'data-key': it.key }, cells);
}

async function openEditor(el, def, it, { unit, unitName, residence, month, ctx }) {
  replace(el, h('div', { class: 'loading', role: 'status' }, '正在加载历史…'));
  let hist;
  try {
    hist = await get('/api/v1/policy/history', { unit, key: def.key });
  } catch (err) {
    failure(el, err, '历史加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const res = def.per_residence ? residence : 'all';
  const now = currentMonth();
  const vf = field({
    label: `新值（${UNIT_LABELS[def.unit] || ''}）`,
    input: textInput({ name: 'value', value: editText(def.unit, it && it.value), inputmode: 'decimal' }),
    testid: 'policy-edit-value',
    required: true,
    hint: `允许范围 ${formatValue(def.unit, def.min)} 至 ${formatValue(def.unit, def.max)}`,
  });
  const ff = field({
    label: '生效月份',
    input: textInput({ name: 'effective_from', value: addMonths(now, 1), inputmode: 'numeric', placeholder: 'YYYY-MM', maxlength: '7' }),
    testid: 'policy-edit-from',
    required: true,
    hint: `不早于本月（${now}）：已过去的月份可能已用于发放，不能修改`,
  });
  const nf = field({
    label: '备注（文件号等）',
    input: textInput({ name: 'note', maxlength: '200' }),
    testid: 'policy-edit-note',
    wide: true,
  });
  const box = formError('policy-edit-error');
  const save = button('保存', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'policy-edit-save' });
  const cancel = button('关闭', {
    'data-testid': 'policy-edit-cancel',
    onclick: () => ctx.navigate(policyHash({ unit, residence, month })),
  });
  const form = h('form', { novalidate: true, 'data-testid': 'policy-edit-form' },
    box.el, h('div', { class: 'form-grid' }, vf.wrap, ff.wrap, nf.wrap), h('div', { class: 'actions' }, save, cancel));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const parsed = parseValue(def.unit, vf.input.value);
    let bad = null;
    let vErr = parsed.error || '';
    if (!vErr && (parsed.value < def.min || parsed.value > def.max)) {
      vErr = `${def.label}应在 ${formatValue(def.unit, def.min)} 至 ${formatValue(def.unit, def.max)} 之间`;
    }
    vf.setError(vErr);
    if (vErr) bad = vf;
    const from = ff.input.value.trim();
    const fErr = !MONTH_RE.test(from) ? '生效月份应为 YYYY-MM，如 2020-07' : from < now ? `不能早于本月（${now}）` : '';
    ff.setError(fErr);
    if (fErr && !bad) bad = ff;
    if (bad) {
      bad.input.focus();
      return;
    }
    try {
      await busy(save, () => post('/api/v1/policy', {
        unit_code: unit, residence_type: res, key: def.key, value: parsed.value, effective_from: from, note: nf.input.value.trim(),
      }));
    } catch (err) {
      showServerError(err, { value: vf, effective_from: ff, note: nf }, box);
      return;
    }
    notice(`已保存：${def.label}自 ${from} 起为 ${formatValue(def.unit, parsed.value)}`);
    ctx.navigate(policyHash({ unit, residence, month, edit: def.key }));
  });

  const rows = (hist.items || []).map((r) => h('tr', { 'data-testid': 'policy-history-row' },
    h('td', { 'data-label': '生效月份', class: 'mono' }, r.effective_from),
    h('td', { 'data-label': '城乡' }, r.residence_type === 'all' ? '城乡统一' : RESIDENCE_LABELS[r.residence_type] || r.residence_type),
    h('td', { 'data-label': '值', class: 'num' }, formatValue(def.unit, r.value)),
    h('td', { 'data-label': '设置人' }, r.set_by),
    h('td', { 'data-label': '设置时间' }, dateTime(r.set_at)),
    h('td', { 'data-label': '备注', class: 'wide' }, r.note)));
  const history = rows.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'policy-history' },
      h('caption', { class: 'sr-only' }, '历史记录'),
      h('thead', null, h('tr', null, ['生效月份', '城乡', '值', '设置人', '设置时间', '备注'].map((t, i) =>
        h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
      h('tbody', null, rows)))
    : emptyState(`${unitName}尚无本单位的记录，沿用全市默认值`, 'policy-history-empty');

  replace(el, h('section', { class: 'panel', 'data-testid': 'policy-editor', 'data-key': def.key },
    h('div', { class: 'panel-head' },
      h('h2', null, `修改：${def.label}`),
      h('span', { class: 'muted' }, def.per_residence ? `城乡分别设定 · 本次设置${RESIDENCE_LABELS[residence]}` : '城乡统一')),
    h('p', { class: 'muted' }, def.help,
      it && it.value !== null ? `。${month} 生效值：${formatValue(def.unit, it.value)}` : ''),
    form,
    h('h3', null, '历史记录'),
    history));
  vf.input.focus();
}
