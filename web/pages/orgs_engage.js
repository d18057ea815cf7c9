// pages/orgs_engage.js — #/orgs/ID/engage: record one engagement of an organisation (POST
// /api/v1/orgs/engagements): the day, where (a region code, the organisation's by default),
// the activity, the measures — the area disinfected typed in km² (sent as whole m²), households
// screened, volunteers mobilised — and which of its volunteers took part, with their hours.
// Ticking volunteers sets the number mobilised to at least their count.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice } from '../ui.js';
import { todayShanghai } from '../format.js';

export const ACTIVITIES = [
  { value: 'disinfection', label: '消杀' },
  { value: 'screening', label: '排查' },
  { value: 'delivery', label: '配送' },
  { value: 'donation', label: '捐赠' },
  { value: 'other', label: '其他' },
];

/* m² → km² text with up to 2 decimals ("4.35"), integer arithmetic. */
export function km2(m2) {
  const hundredths = Math.round(Number(m2) / 10000);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

/* "4.35" km² → 4350000 m², or null when not a number with at most 6 decimals. */
function m2Of(text) {
  const m = /^(\d{1,4})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 1000000 + Number((m[2] || '').padEnd(6, '0'));
}

export async function renderEngage(el, ctx, id) {
  loading(el);
  let o, vols;
  try {
    [o, vols] = await Promise.all([get(`/api/v1/orgs/${id}`), get('/api/v1/orgs/volunteers', { org_id: id, limit: 200 })]);
  } catch (err) {
    failure(el, err, '社会组织加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`登记参与记录 · ${o.name}`);
  const df = field({ label: '日期', input: textInput({ type: 'date', value: todayShanghai() }), testid: 'engage-date', required: true });
  const rf = field({ label: '活动地点（区划代码）', input: textInput({ value: o.region_code, maxlength: '12', inputmode: 'numeric' }), testid: 'engage-region', required: true });
  const af = field({ label: '活动类型', input: select(ACTIVITIES, { placeholder: '请选择' }), testid: 'engage-activity', required: true });
  const kf = field({ label: '消杀面积（平方千米）', input: textInput({ inputmode: 'decimal', placeholder: '如 1.25' }), testid: 'engage-area', hint: '没有消杀可不填' });
  const hf = field({ label: '排查住户（户）', input: textInput({ inputmode: 'numeric' }), testid: 'engage-households' });
  const vf = field({ label: '发动志愿者（人）', input: textInput({ inputmode: 'numeric' }), testid: 'engage-volunteers', hint: '勾选下方志愿者时至少为勾选人数' });
  const nf = field({ label: '备注', input: textInput({ maxlength: '500' }), testid: 'engage-note', wide: true });
  const rows = vols.items.map((v) => {
    const cb = h('input', { type: 'checkbox', 'data-testid': 'engage-volunteer', 'data-id': v.id, 'aria-label': `${v.name} 参加` });
    const hours = textInput({ value: '2', inputmode: 'decimal', size: '4', 'data-testid': 'engage-hours', 'aria-label': `${v.name} 服务小时` });
    cb.addEventListener('change', () => {
      const n = rows.filter((r) => r.cb.checked).length;
      if (Number(vf.input.value || 0) < n) vf.input.value = String(n);
    });
    return { v, cb, hours, el: h('span', { class: 'check' }, h('label', null, cb, ' ', v.name, ' '), hours, ' 小时') };
  });
  const box = formError('engage-error');
  const submit = button('保存参与记录', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'engage-submit' });
  const form = h('form', { novalidate: true },
    h('div', { class: 'form-grid' }, df.wrap, rf.wrap, af.wrap, kf.wrap, hf.wrap, vf.wrap, nf.wrap),
    rows.length ? h('fieldset', null, h('legend', null, '参加的志愿者'), h('div', { class: 'checks', 'data-testid': 'engage-volunteers-list' }, rows.map((r) => r.el))) : null,
    box.el, h('div', { class: 'actions' }, submit, ' ', h('a', { class: 'btn', href: `#/orgs/${id}` }, '返回')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    for (const f of [df, rf, af, kf, hf, vf]) f.clearError();
    const area = kf.input.value.trim() === '' ? 0 : m2Of(kf.input.value);
    if (area === null) {
      kf.setError('消杀面积应为数字，如 1.25');
      kf.input.focus();
      return;
    }
    const int = (f) => (f.input.value.trim() === '' ? 0 : Number(f.input.value.trim()));
    const activities = rows.filter((r) => r.cb.checked).map((r) => ({ volunteer_id: r.v.id, hours_tenths: Math.round(Number(r.hours.value) * 10) }));
    try {
      await busy(submit, () => post('/api/v1/orgs/engagements', {
        org_id: Number(id), date: df.input.value, region_code: rf.input.value.trim(), activity: af.input.value,
        area_m2: area, households: int(hf), volunteers: int(vf), note: nf.input.value.trim(), activities,
      }));
    } catch (err) {
      showServerError(err, { date: df, region_code: rf, activity: af, area_m2: kf, households: hf, volunteers: vf, note: nf }, box);
      return;
    }
    notice('已登记参与记录');
    ctx.navigate(`#/orgs/${id}`);
  });
  replace(el, h('section', { class: 'panel' }, h('h1', null, '登记参与记录'), h('p', { class: 'muted', 'data-testid': 'engage-org' }, o.name), form));
}
