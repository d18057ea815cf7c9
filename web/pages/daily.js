// pages/daily.js — 填报日报: the institution reporter's page (#/daily?date=…), made for a phone.
// Nothing happened today → one tap on 今日无异常 files the zero report with the headcounts of the
// last report (shown, and sent back as the confirmation: if they changed meanwhile the server
// answers 409 carry_changed and the page reloads them). Something happened → the daily form, one
// number per field of the institution's type (blank is not zero: every field must be filled).
// A filed report can be corrected with a reason; every version is kept on the server.
// GET /api/v1/institutions/mine, POST /api/v1/institutions/{id}/reports; for a funeral home also
// GET /api/v1/funeral/homes/{id}/daily (its day from the body records, pre-filled into the note).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { field, textInput, button, busy, formError, showServerError, loading, failure, notice } from '../ui.js';
import { DATE_RE, FIELD_LABELS, TYPE_LABELS, clock, dayPlus, deadlineText, ensureStyles, statusBadge } from './institutions_common.js';

/* The daily form: one input per field the type reports, a note, and (correcting) a reason. */
function reportForm(day, { correcting, onDone }) {
  const fields = {};
  const inputs = day.fields.map((f) => {
    const cur = day.report ? day.report[f.name] : (f.name in day.carry ? day.carry[f.name] : null);
    const fld = field({
      label: f.label || FIELD_LABELS[f.name] || f.name,
      input: textInput({ name: f.name, inputmode: 'numeric', value: cur === null || cur === undefined ? '' : String(cur), autocomplete: 'off' }),
      testid: `daily-field-${f.name}`,
      required: f.name !== 'goods_days',
    });
    fields[f.name] = fld;
    return fld.wrap;
  });
  const note = field({ label: '情况说明', input: h('textarea', { name: 'note', rows: '2', maxlength: '500' }, day.report ? day.report.note : (day.funeral_note || '')), testid: 'daily-note', wide: true });
  fields.note = note;
  let reason = null;
  if (correcting) {
    reason = field({ label: '更正原因', input: textInput({ name: 'reason', maxlength: '500', placeholder: '如：午检发现一名老人发热' }), testid: 'daily-reason', required: true, wide: true });
    fields.reason = reason;
  }
  const box = formError('daily-error');
  const submit = button(correcting ? '提交更正' : '报送日报', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'daily-submit' });
  const form = h('form', { class: 'daily-form', novalidate: true, 'data-testid': 'daily-form' },
    h('h2', null, correcting ? '更正当日报告' : '填写日报'),
    h('p', { class: 'muted' }, '每项都要填写，没有请填 0。发热、疑似、确诊、隔离、死亡大于 0，或封闭期间人员有进出，会即时向县区和市局预警。'),
    box.el, h('div', { class: 'daily-grid' }, inputs), note.wrap, reason ? reason.wrap : null,
    h('div', { class: 'actions actions-sticky' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const body = { report_date: day.date, kind: 'daily' };
    let bad = null;
    for (const f of day.fields) {
      const fld = fields[f.name];
      const v = fld.input.value.trim();
      let msg = '';
      if (v === '') msg = f.name === 'goods_days' ? '' : `请填写${FIELD_LABELS[f.name] || f.name}（没有请填 0）`;
      else if (!/^\d{1,6}$/.test(v)) msg = '请填写整数';
      fld.setError(msg);
      if (msg && !bad) bad = fld;
      if (v !== '' && !msg) body[f.name] = Number(v);
    }
    if (reason && !reason.input.value.trim()) {
      reason.setError('请填写更正原因');
      bad = bad || reason;
    }
    if (bad) {
      bad.input.focus();
      return;
    }
    body.note = note.input.value.trim();
    if (reason) body.reason = reason.input.value.trim();
    try {
      const r = await busy(submit, () => post(`/api/v1/institutions/${day.institution.id}/reports`, body));
      onDone(r);
    } catch (err) {
      showServerError(err, fields, box);
    }
  });
  return form;
}

function recentList(day) {
  if (!day.recent || !day.recent.length) return h('p', { class: 'muted' }, '近 7 天没有报告。');
  return h('ul', { class: 'daily-recent', 'data-testid': 'daily-recent' }, day.recent.map((r) =>
    h('li', { 'data-date': r.report_date },
      h('span', null, h('a', { href: `#/daily?date=${r.report_date}` }, r.report_date), ' ', r.kind_label,
        r.version > 1 ? h('span', { class: 'muted' }, `（更正 ${r.version - 1} 次）`) : null),
      statusBadge(r.on_time ? 'on_time' : 'late', 'daily-recent-status'))));
}

function alertsNote(r) {
  if (!r.alerts || !r.alerts.length) return '';
  return `；已向县区预警：${r.alerts.map((a) => a.kind_label).join('、')}`;
}

export default async function render(el, ctx) {
  ensureStyles();
  ctx.setTitle('填报日报');
  const date = ctx.query.get('date') || '';
  loading(el);
  let day;
  try {
    day = await get('/api/v1/institutions/mine', date ? { date } : undefined);
  } catch (err) {
    if (err.code === 'not_attached') {
      replace(el, h('section', { class: 'panel daily', 'data-testid': 'daily-not-attached' },
        h('h1', null, '填报日报'), h('p', null, err.message)));
      return;
    }
    failure(el, err, '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const inst = day.institution;
  const today = day.now.slice(0, 10);
  const done = (r) => {
    notice(`${r.created ? '已报送' : '已更正'}：${day.date} ${r.report.kind_label}${r.report.on_time ? '（按时）' : '（迟报）'}${alertsNote(r)}`);
    ctx.refresh();
  };

  const head = h('div', { class: 'daily-head' },
    h('h1', { 'data-testid': 'daily-institution' }, inst.name),
    h('p', { class: 'muted' }, `${TYPE_LABELS[inst.type] || inst.type} · ${inst.region_name || inst.region_code}`,
      day.under_closed_management ? ' · 封闭管理中' : ''));
  const state = h('div', { class: 'daily-state' },
    h('strong', { 'data-testid': 'daily-date' }, day.date === today ? `今天 ${day.date}` : day.date),
    h('span', { class: 'muted' }, `截止 ${deadlineText(day.deadline_at, day.date)}`),
    statusBadge(day.day_status, 'daily-status'));

  const parts = [head, state];
  // A funeral home's day from its body-handling records (the funeral module): shown here and
  // pre-filled into the report's note, which has no fields of its own for them.
  if (inst.type === 'funeral_home' && day.open) {
    const f = await get(`/api/v1/funeral/homes/${inst.id}/daily`, { date: day.date }).catch(() => null);
    if (!ctx.isCurrent()) return;
    if (f) {
      day.funeral_note = `当日接运遗体 ${f.transfers} 具，火化 ${f.cremations} 具（其中新冠肺炎确诊、疑似 ${f.epidemic_cremations} 具，按疫情防控程序办理），终末消毒 ${f.disinfections} 次，骨灰交付 ${f.ashes} 份，未办结 ${f.open} 具，告别仪式 ${f.gatherings} 场。`;
      parts.push(h('p', { class: 'muted', 'data-testid': 'daily-funeral' }, day.funeral_note));
    }
  }
  const formSlot = h('div', { 'data-testid': 'daily-form-slot' });
  if (!day.open) {
    parts.push(h('p', { class: 'panel', 'data-testid': 'daily-closed' }, '本机构当日不在开办期，无需填报。'));
  } else if (day.report) {
    const r = day.report;
    parts.push(h('div', { class: `panel daily-done${r.on_time ? '' : ' inst-late-done'}`, 'data-testid': 'daily-done' },
      h('h2', null, `已报送${r.kind_label}`),
      h('p', null, `${r.submitted_at.slice(0, 10) === day.date ? '' : r.submitted_at.slice(0, 10) + ' '}${clock(r.submitted_at)} 由 ${r.submitted_by} 报送，`,
        r.on_time ? '按时' : '迟报', r.version > 1 ? `；已更正 ${r.version - 1} 次，最后 ${clock(r.updated_at)} 由 ${r.updated_by}` : ''),
      h('p', { class: 'muted' }, `在院 ${count(r.residents_present ?? 0)} 人 · 在岗 ${count(r.staff_on_site ?? 0)} 人 · 发热 ${r.fever} · 疑似 ${r.suspected} · 确诊 ${r.confirmed} · 隔离 ${r.isolated} · 死亡 ${r.deaths}`),
      button('更正', { class: 'btn', 'data-testid': 'daily-correct', onclick: () => replace(formSlot, reportForm(day, { correcting: true, onDone: done })) })));
  } else {
    const c = day.carry;
    const hasRes = day.fields.some((f) => f.name === 'residents_present');
    const carryText = [hasRes ? `在院 ${count(c.residents_present)} 人` : null, `在岗 ${count(c.staff_on_site)} 人`].filter(Boolean).join(' · ');
    const zeroBtn = button('今日无异常，一键零报告', { class: 'btn btn-primary btn-zero', 'data-testid': 'daily-zero' });
    const box = formError('daily-zero-error');
    zeroBtn.addEventListener('click', async () => {
      box.clear();
      const body = { report_date: day.date, kind: 'zero', staff_on_site: c.staff_on_site };
      if (hasRes) body.residents_present = c.residents_present;
      try {
        const r = await busy(zeroBtn, () => post(`/api/v1/institutions/${inst.id}/reports`, body), '报送中…');
        done(r);
      } catch (err) {
        box.set(err.message);
        if (err.code === 'carry_changed' || err.code === 'report_exists') setTimeout(() => ctx.refresh(), 1500);
      }
    });
    parts.push(
      h('div', { class: 'daily-carry', 'data-testid': 'daily-carry' },
        h('div', { class: 'muted' }, c.from ? `与上次报告（${c.from}）相同` : '按机构登记人数'),
        h('strong', null, carryText),
        h('div', { class: 'muted' }, '无发热、疑似、确诊、隔离、死亡，人员无进出')),
      box.el, zeroBtn,
      h('div', { class: 'actions' },
        button('有情况，填写日报', { class: 'btn btn-block', 'data-testid': 'daily-open-form', onclick: () => replace(formSlot, reportForm(day, { correcting: false, onDone: done })) })));
  }
  parts.push(formSlot);

  const other = textInput({ name: 'date', value: day.date, inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: '10' });
  const otherField = field({ label: '补报或查看其他日期', input: other, testid: 'daily-other-date' });
  const go = button('查看', { 'data-testid': 'daily-other-go' });
  go.addEventListener('click', () => {
    const v = other.value.trim();
    if (!DATE_RE.test(v)) {
      otherField.setError('日期应为 YYYY-MM-DD');
      return;
    }
    ctx.navigate(v === today ? '#/daily' : `#/daily?date=${v}`);
  });
  replace(el,
    h('section', { class: 'panel daily', 'data-testid': 'daily-page', 'data-institution': inst.id }, parts),
    h('section', { class: 'panel daily' },
      h('h2', null, '近 7 天'), recentList(day),
      h('div', { class: 'form-grid' }, otherField.wrap), h('div', { class: 'actions' }, go,
        day.date !== today ? h('a', { class: 'btn', href: '#/daily' }, '回到今天') : h('a', { class: 'btn', href: `#/daily?date=${dayPlus(today, -1)}` }, '昨天'))));
}
