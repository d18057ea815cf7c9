// pages/funeral_body.js — one body record (#/funeral/ID): the deceased (masked; "显示完整信息"
// for a user who may unmask, audited), the steps recorded in order, and the form for the next
// step — preset to the step the procedure expects; for confirmed and suspected cases the
// transfer and the cremation must be dedicated and no step may be skipped (the server refuses,
// the page says why). A farewell gathering can be recorded for other cases (refused while the
// suspension is in force).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { label, options } from '../labels.js';
import {
  field, textInput, select, button, busy, loading, failure, formError, showServerError, notice, formDialog,
} from '../ui.js';
import {
  CAUSE_LABELS, SOURCE_LABELS, STEP_LABELS, ASHES_LABELS, TIME_RE, DATE_RE, statusBadge, nowText,
} from './funeral_common.js';

export async function renderBody(el, ctx, id) {
  ctx.setTitle('遗体记录');
  loading(el);
  const unmask = ctx.query.get('unmask') === '1';
  let b;
  try {
    b = await get(`/api/v1/funeral/bodies/${id}`, unmask ? { unmask: 1 } : undefined);
  } catch (err) {
    failure(el, err, '记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;

  const facts = h('dl', { class: 'facts', 'data-testid': 'funeral-facts' },
    h('dt', null, '逝者'), h('dd', { 'data-testid': 'funeral-person' }, b.unidentified ? `身份不明：${b.description || ''}` : `${b.name || ''} ${b.id_number || ''}`),
    h('dt', null, '死亡日期'), h('dd', null, b.died_on),
    h('dt', null, '殡仪馆'), h('dd', null, b.home_name),
    h('dt', null, '来源'), h('dd', null, label(SOURCE_LABELS, b.source)),
    h('dt', null, '死因类别'), h('dd', { 'data-testid': 'funeral-cause-text' }, label(CAUSE_LABELS, b.cause), b.epidemic ? h('span', { class: 'badge badge-warn' }, '按疫情防控程序办理') : null),
    h('dt', null, '进度'), h('dd', { 'data-testid': 'funeral-status' }, statusBadge(b.status)),
    b.person_id ? [h('dt', null, '户籍比对'), h('dd', { 'data-testid': 'funeral-matched' }, '已比对到户籍人员，已登记死亡，次月起停发救助')] : null,
    b.farewell_on ? [h('dt', null, '告别仪式'), h('dd', null, `${b.farewell_on}（${b.farewell_attendees} 人）`)] : null);

  const steps = b.steps.length
    ? h('ol', { class: 'timeline', 'data-testid': 'funeral-steps' }, b.steps.map((s) => h('li', { 'data-testid': 'funeral-step-row', 'data-step': s.step },
      h('strong', null, label(STEP_LABELS, s.step)), ' ', h('span', { class: 'mono' }, s.at.replace('T', ' ')), ' ', s.staff,
      s.dedicated ? h('span', { class: 'badge' }, s.step === 'transfer' ? '专用车辆、专用通道' : '专用火化炉') : null,
      s.vehicle ? ` 车辆：${s.vehicle}` : null, s.cremator ? ` 火化炉：${s.cremator}` : null,
      s.ashes ? ` 骨灰：${label(ASHES_LABELS, s.ashes)}${s.receiver ? `（${s.receiver}）` : ''}` : null)))
    : h('p', { class: 'muted', 'data-testid': 'funeral-steps-empty' }, '尚未记录办理步骤');

  const head = h('div', { class: 'panel-head' }, h('h1', null, '遗体记录'),
    h('div', { class: 'actions' },
      !unmask && ctx.can('registry.unmask') && !b.unidentified ? h('a', { class: 'btn btn-small', href: `#/funeral/${b.id}?unmask=1`, 'data-testid': 'funeral-unmask' }, '显示完整信息') : null,
      h('a', { class: 'btn btn-small', href: '#/funeral' }, '返回列表')));

  replace(el,
    h('section', { class: 'panel', 'data-testid': 'page-funeral-body', 'data-id': b.id }, head, facts, h('h2', null, '办理步骤'), steps),
    b.next_step ? stepForm(b, ctx) : h('p', { class: 'panel muted', 'data-testid': 'funeral-done' }, '各步骤已办结'),
    !b.epidemic && !b.farewell_on && b.status !== 'cremation' && b.status !== 'disinfection' && b.status !== 'ashes' ? farewell(b, ctx) : null);
}

function stepForm(b, ctx) {
  const box = formError('funeral-step-form-error');
  const stepOpts = options(STEP_LABELS).filter((o) => !b.steps.some((s) => s.step === o.value));
  const F = {
    step: field({ label: '步骤', input: select(stepOpts, { value: b.next_step }), testid: 'funeral-step', required: true }),
    at: field({ label: '时间', input: textInput({ value: nowText().replace('T', ' '), placeholder: 'YYYY-MM-DD HH:MM', maxlength: '16' }), testid: 'funeral-step-at', required: true }),
    staff: field({ label: '经办人员', input: textInput({ maxlength: '40' }), testid: 'funeral-step-staff', required: true }),
    vehicle: field({ label: '车辆', input: textInput({ maxlength: '20' }), testid: 'funeral-step-vehicle' }),
    cremator: field({ label: '火化炉', input: textInput({ maxlength: '20' }), testid: 'funeral-step-cremator' }),
    ashes: field({ label: '骨灰去向', input: select(options(ASHES_LABELS), { value: 'handed' }), testid: 'funeral-step-ashes' }),
    receiver: field({ label: '领取人', input: textInput({ maxlength: '40' }), testid: 'funeral-step-receiver' }),
  };
  const dedicated = h('input', { type: 'checkbox', 'data-testid': 'funeral-step-dedicated', checked: b.epidemic });
  const dedicatedLabel = h('label', { class: 'check' }, dedicated, ' 专用（接运：专用车辆、专用通道；火化：专用火化炉）');
  const show = () => {
    const s = F.step.input.value;
    F.vehicle.wrap.hidden = s !== 'transfer';
    F.cremator.wrap.hidden = s !== 'cremation';
    dedicatedLabel.hidden = s !== 'transfer' && s !== 'cremation';
    F.ashes.wrap.hidden = s !== 'ashes';
    F.receiver.wrap.hidden = s !== 'ashes' || F.ashes.input.value !== 'handed';
  };
  F.step.input.addEventListener('change', show);
  F.ashes.input.addEventListener('change', show);
  show();
  const submit = button('记录', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'funeral-step-submit' });
  const f = h('form', { class: 'form', novalidate: true, 'data-testid': 'funeral-step-form' },
    b.epidemic ? h('p', { class: 'muted' }, '确诊、疑似病例：接运→火化→终末消毒→骨灰交付，逐步办理，不得跳过或颠倒；接运、火化须专用。') : null,
    box.el, h('div', { class: 'form-grid' }, Object.values(F).map((x) => x.wrap)), dedicatedLabel,
    h('div', { class: 'actions' }, submit));
  f.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    for (const x of Object.values(F)) x.clearError();
    const v = Object.fromEntries(Object.entries(F).map(([k, x]) => [k, x.input.value.trim()]));
    if (!TIME_RE.test(v.at)) { F.at.setError('时间应为 YYYY-MM-DD HH:MM'); F.at.input.focus(); return; }
    if (!v.staff) { F.staff.setError('请填写经办人员'); F.staff.input.focus(); return; }
    const body = { step: v.step, at: v.at.replace(' ', 'T'), staff: v.staff, dedicated: dedicated.checked };
    if (v.step === 'transfer') body.vehicle = v.vehicle;
    if (v.step === 'cremation') body.cremator = v.cremator;
    if (v.step === 'ashes') { body.ashes = v.ashes; body.receiver = v.receiver; }
    try {
      await busy(submit, () => post(`/api/v1/funeral/bodies/${b.id}/steps`, body));
      notice(`已记录${label(STEP_LABELS, v.step)}`);
      ctx.refresh();
    } catch (err) {
      showServerError(err, F, box);
    }
  });
  return h('section', { class: 'panel' }, h('h2', null, '记录下一步'), f);
}

function farewell(b, ctx) {
  return h('section', { class: 'panel' }, h('h2', null, '告别仪式'),
    h('p', { class: 'muted' }, '暂停举办告别仪式期间不能登记。'),
    button('登记告别仪式', {
      class: 'btn', 'data-testid': 'funeral-farewell',
      onclick: () => formDialog({
        title: '登记告别仪式',
        fields: [
          { name: 'on', label: '日期', required: true, placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') },
          { name: 'attendees', label: '参加人数', type: 'number', validate: (v) => (v === '' || /^\d{1,3}$/.test(v) ? '' : '人数应为 0–500') },
        ],
        submitLabel: '登记',
        onSubmit: (v) => post(`/api/v1/funeral/bodies/${b.id}/farewell`, { on: v.on, attendees: Number(v.attendees || 0) }),
      }).then((r) => { if (r) { notice('已登记告别仪式'); ctx.refresh(); } }),
    }));
}
