// pages/hotline_case.js — one hotline case (#/hotline/case/ID): who and where, the guardian's
// situation and who cares for the child now, the due times (assessment, next follow-up) with
// what is overdue, the temporary care placements and referrals, every step taken with its time,
// who took it and what was recorded, and the steps the case allows now (next_steps from the
// server). Each step is a dialog that POSTs /api/v1/hotline/cases/ID/<step> and redraws the case
// from the answer; the server's reason is shown when it refuses (the child still in care, a
// referral unanswered, out of scope…).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { label, options } from '../labels.js';
import { dateTime, todayShanghai, yuanText } from '../format.js';
import { button, formDialog, loading, failure, notice, emptyState } from '../ui.js';
import {
  SITUATION_LABELS, CARE_LABELS, PLACEMENT_LABELS, REFERRAL_TARGET_LABELS, REFERRAL_STATUS_LABELS,
  RESOURCE_LABELS, FOLLOWUP_LABELS, RISK_LABELS, CLOSE_OUTCOME_LABELS, STEP_LABELS, URGENCY_LABELS,
  RELIEF_CAUSE_LABELS, callHash, facts, statusBadge, urgencyBadge, overdueBadge, due, yuanToFen,
} from './hotline_common.js';

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const dateField = (name, lbl) => ({ name, label: lbl, value: todayShanghai(), placeholder: 'YYYY-MM-DD', validate: (v) => (!v || DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') });

export default async function render(el, ctx, id, unmask = false) {
  loading(el);
  let c;
  try {
    c = await get(`/api/v1/hotline/cases/${id}`, unmask ? { unmask: 1 } : undefined);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该个案，或不在您的管辖范围内' : '个案加载失败');
    return;
  }
  if (ctx.isCurrent()) draw(el, ctx, c);
}

function draw(el, ctx, c) {
  ctx.setTitle(`热线个案 ${c.id} · ${c.subject_name}`);
  const redraw = (fresh) => { if (ctx.isCurrent()) draw(el, ctx, fresh); };
  replace(el, headPanel(c, ctx, el), actionsPanel(c, redraw, ctx), placementsPanel(c), referralsPanel(c), stepsPanel(c));
}

// ---------------------------------------------------------------- facts

function headPanel(c, ctx, el) {
  const child = c.kind === 'child_protection';
  const dueText = c.status === 'intake'
    ? [`评估时限 ${due(c.assess_due)}`, c.assess_overdue ? [' ', overdueBadge('评估逾期')] : null]
    : c.status === 'active' && c.next_followup_due
      ? [`下次回访 ${c.next_followup_due}`, c.followup_overdue ? [' ', overdueBadge('回访逾期')] : null] : '';
  const links = [];
  if (c.call_id) links.push(h('a', { class: 'btn', href: callHash(c.call_id), 'data-testid': 'case-call-link' }, `来电 ${c.call_id}`));
  if (c.subject_person_id && ctx.can('registry.read')) links.push(h('a', { class: 'btn', href: `#/search?q=${encodeURIComponent(c.subject_name)}` }, '户籍查询'));
  if (c.masked && ctx.can('registry.unmask') && (c.subject_id_number || c.guardian_phone)) {
    links.push(button('显示完整信息', {
      'data-testid': 'case-unmask',
      onclick: async () => {
        const mod = await import('./hotline_case.js');
        mod.default(el, ctx, c.id, true);
      },
    }));
  }
  return h('section', { class: 'panel', 'data-testid': 'hotline-case-head' },
    h('div', { class: 'panel-head' },
      h('h1', null, `热线个案 ${c.id}`, ' ', statusBadge(c.status), ' ', urgencyBadge(c.urgency)),
      h('div', { class: 'actions' }, links)),
    facts([
      ['热线', c.line_name, 'case-line'],
      [child ? '儿童' : '求助对象', c.subject_name, 'case-subject'],
      ['身份证号', c.subject_id_number, 'case-id-number'],
      c.subject_birth_date ? ['出生日期', c.subject_birth_date, null] : null,
      ['地区', `${c.region_name}（${c.region_code}）`, 'case-region'],
      child || c.guardian_name ? ['监护人', `${c.guardian_name || '—'} ${c.guardian_phone || ''}`, 'case-guardian'] : null,
      child ? ['监护人情况', label(SITUATION_LABELS, c.guardian_situation), 'case-situation'] : null,
      c.in_scope === false ? ['评估结论', `不属于儿童救助保护范围：${c.scope_reason || ''}`, 'case-out-of-scope', true] : null,
      ['目前照料', `${label(CARE_LABELS, c.care_arrangement)}${c.care_note ? `：${c.care_note}` : ''}`, 'case-care', true],
      ['个案概要', c.summary, 'case-summary', true],
      c.risk ? ['风险等级', label(RISK_LABELS, c.risk), 'case-risk'] : null,
      c.plan ? ['帮扶计划', `${c.plan}（每 ${c.followup_days} 天回访）`, 'case-plan', true] : null,
      ['立案', `${dateTime(c.opened_at)} · ${c.opened_by}`, 'case-opened'],
      ['时限', dueText, 'case-due'],
      ['责任人', c.assigned_to || '', 'case-assigned'],
      c.status === 'closed' ? ['结案', `${dateTime(c.closed_at)} · ${c.closed_by} · ${label(CLOSE_OUTCOME_LABELS, c.outcome)}${c.outcome_note ? `：${c.outcome_note}` : ''}`, 'case-closed', true] : null,
      c.reopen_count ? ['重新开启', `${c.reopen_count} 次`, null] : null,
    ]));
}

// ---------------------------------------------------------------- steps to take

function dialogFor(c, step, ctx) {
  const child = c.kind === 'child_protection';
  const open = (c.placements || []).filter((p) => p.open);
  const pending = (c.referrals || []).filter((r) => r.status === 'pending');
  switch (step) {
    case 'assess':
      return {
        title: '评估', intro: child ? '核实儿童和监护人情况。监护人确诊、疑似、被隔离、参与疫情防控工作或因其他原因无法照料的，属于儿童救助保护范围。' : '核实求助人情况。',
        fields: [
          { name: 'risk', label: '风险等级', type: 'select', options: options(RISK_LABELS), required: true, value: c.risk || '' },
          { name: 'findings', label: '评估情况', required: true },
          child ? { name: 'guardian_situation', label: '监护人情况', type: 'select', options: options(SITUATION_LABELS), required: true, value: c.guardian_situation || '' } : null,
          child ? { name: 'guardian_note', label: '监护情况说明', value: c.guardian_note || '' } : null,
          { name: 'care_arrangement', label: '目前照料情况', type: 'select', options: options(CARE_LABELS), value: c.care_arrangement || '' },
        ].filter(Boolean),
      };
    case 'plan':
      return {
        title: '制定帮扶计划', intro: '帮扶计划生效后即可安排临时照料、转介、链接资源和跟进回访；回访间隔留空按政策参数。',
        fields: [
          { name: 'plan', label: '帮扶计划', required: true, value: c.plan || '' },
          { name: 'followup_days', label: '回访间隔（天）', type: 'number', placeholder: '留空按政策参数', validate: (v) => (!v || /^\d{1,2}$/.test(v) ? '' : '请填写 1–90 的天数') },
        ],
        body: (v) => ({ plan: v.plan, followup_days: v.followup_days ? Number(v.followup_days) : undefined }),
      };
    case 'place':
      return {
        title: '临时照料安置', intro: '安排儿童临时照料：亲属、临时寄养家庭、机构（如儿童福利院）或村（居）委会。',
        fields: [
          { name: 'kind', label: '安置方式', type: 'select', options: options(PLACEMENT_LABELS), required: true },
          { name: 'place_name', label: '安置地点 / 机构名称', required: true },
          { name: 'institution_id', label: '机构编号（机构照料时可填）', type: 'number', validate: (v) => (!v || /^\d+$/.test(v) ? '' : '应为数字') },
          { name: 'carer_name', label: '照料人' },
          { name: 'carer_phone', label: '照料人电话' },
          dateField('date', '开始日期'),
        ],
        body: (v) => ({ ...v, institution_id: v.institution_id ? Number(v.institution_id) : undefined }),
      };
    case 'place_end':
      return {
        title: '结束临时照料', intro: '监护人恢复监护（如解除隔离）接回，或转入其他安置。',
        fields: [
          { name: 'placement_id', label: '临时照料', type: 'select', required: true, options: open.map((p) => ({ value: String(p.id), label: `${label(PLACEMENT_LABELS, p.kind)}：${p.place_name}（${p.start_date} 起）` })), value: open.length === 1 ? String(open[0].id) : '' },
          dateField('date', '结束日期'),
          { name: 'note', label: '结束原因及去向', required: true },
          { name: 'care_arrangement', label: '之后由谁照料', type: 'select', options: options(CARE_LABELS), value: 'guardian' },
        ],
        body: (v) => ({ ...v, placement_id: Number(v.placement_id) }),
      };
    case 'refer':
      return {
        title: '转介', intro: '转介给机构或部门（如卫生健康、妇联、学校、心理咨询机构），对方答复接收或拒绝后登记。',
        fields: [
          { name: 'kind', label: '转介对象', type: 'select', options: options(REFERRAL_TARGET_LABELS), required: true },
          { name: 'place_name', label: '机构 / 部门名称', required: true },
          { name: 'institution_id', label: '机构编号（可填）', type: 'number', validate: (v) => (!v || /^\d+$/.test(v) ? '' : '应为数字') },
          { name: 'note', label: '转介事由', required: true },
        ],
        body: (v) => ({ ...v, institution_id: v.institution_id ? Number(v.institution_id) : undefined }),
      };
    case 'refer_answer':
      return {
        title: '登记转介答复',
        fields: [
          { name: 'referral_id', label: '转介', type: 'select', required: true, options: pending.map((r) => ({ value: String(r.id), label: `${r.agency_name}：${r.reason}` })), value: pending.length === 1 ? String(pending[0].id) : '' },
          { name: 'answer', label: '答复', type: 'select', required: true, options: [{ value: 'accept', label: '接收' }, { value: 'decline', label: '拒绝' }] },
          { name: 'note', label: '说明（拒绝时必填）' },
        ],
        body: (v) => ({ ...v, referral_id: Number(v.referral_id) }),
      };
    case 'resource':
      return {
        title: '链接资源', intro: ctx.can('assistance.write')
          ? '临时救助可直接提出申请（由临时救助模块按规定审批，来源记为热线个案）；也可只登记需求，转镇街办理。'
          : '登记需要的临时救助、物资或服务；临时救助由县区或镇街工作人员提出申请。',
        fields: [
          { name: 'kind', label: '资源类型', type: 'select', options: options(RESOURCE_LABELS), required: true },
          { name: 'note', label: '内容', required: true },
          { name: 'amount', label: '金额 / 折价（元）', validate: (v) => yuanToFen(v).error || '' },
          ctx.can('assistance.write') ? { name: 'apply_relief', label: '立即申请临时救助', type: 'select', options: [{ value: 'no', label: '否，只登记需求' }, { value: 'yes', label: '是' }], value: 'no' } : null,
          ctx.can('assistance.write') ? { name: 'relief_cause', label: '临时救助事由', type: 'select', options: options(RELIEF_CAUSE_LABELS), value: 'epidemic_isolation' } : null,
        ].filter(Boolean),
        body: (v) => ({ kind: v.kind, note: v.note, amount_fen: yuanToFen(v.amount).value, apply_relief: v.apply_relief === 'yes', relief_cause: v.relief_cause || undefined }),
      };
    case 'followup':
      return {
        title: '跟进回访',
        fields: [
          { name: 'kind', label: '回访方式', type: 'select', options: options(FOLLOWUP_LABELS), required: true },
          dateField('date', '回访日期'),
          { name: 'note', label: '回访情况', required: true },
        ],
      };
    case 'assign':
      return { title: '指定责任人', fields: [{ name: 'username', label: '责任人（用户名）', required: true, value: c.assigned_to || '' }] };
    case 'close': {
      const outs = Object.entries(CLOSE_OUTCOME_LABELS).filter(([k]) => child || k !== 'guardian_resumed').map(([value, l]) => ({ value, label: l }));
      return {
        title: '结案', intro: '儿童仍在临时照料中或转介尚未答复的，不能结案。', danger: false,
        fields: [
          { name: 'outcome', label: '结案结果', type: 'select', options: outs, required: true },
          { name: 'note', label: '结案说明' },
        ],
      };
    }
    case 'reopen':
      return { title: '重新开启', intro: '重新开启后需重新评估，评估时限重新计算。', fields: [{ name: 'reason', label: '原因', required: true }] };
    default:
      return null;
  }
}

function actionsPanel(c, redraw, ctx) {
  const steps = c.next_steps || [];
  if (!steps.length) return null;
  const btns = steps.map((s) => button(label(STEP_LABELS, s), {
    class: s === 'close' || s === 'assess' || s === 'plan' ? 'btn btn-primary' : 'btn',
    'data-testid': `step-${s}`,
    onclick: async () => {
      const d = dialogFor(c, s, ctx);
      if (!d) return;
      const path = s.replace(/_/g, '-');
      const result = await formDialog({
        title: d.title, intro: d.intro, fields: d.fields, submitLabel: '保存', danger: d.danger,
        onSubmit: (v) => post(`/api/v1/hotline/cases/${c.id}/${path}`, d.body ? d.body(v) : v),
      });
      if (result && result !== true) {
        notice(`已${label(STEP_LABELS, s)}`);
        redraw(result);
      }
    },
  }));
  return h('section', { class: 'panel', 'data-testid': 'hotline-case-actions' }, h('h2', null, '办理'), h('div', { class: 'actions' }, btns));
}

// ---------------------------------------------------------------- placements, referrals, steps

function placementsPanel(c) {
  const list = c.placements || [];
  if (!list.length) return null;
  return h('section', { class: 'panel' }, h('h2', null, '临时照料'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'case-placements' },
      h('thead', null, h('tr', null, ['方式', '地点 / 机构', '照料人', '开始', '结束', '说明'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, list.map((p) => h('tr', { 'data-testid': 'case-placement', 'data-open': String(p.open) },
        h('td', { 'data-label': '方式' }, label(PLACEMENT_LABELS, p.kind)),
        h('td', { 'data-label': '地点 / 机构' }, p.place_name, p.institution_id ? h('span', { class: 'muted' }, `（机构 ${p.institution_id}）`) : null),
        h('td', { 'data-label': '照料人' }, `${p.carer_name} ${p.carer_phone}`),
        h('td', { 'data-label': '开始', class: 'mono' }, p.start_date),
        h('td', { 'data-label': '结束', class: 'mono' }, p.end_date || h('span', { class: 'badge' }, '照料中')),
        h('td', { 'data-label': '说明' }, p.end_note)))))));
}

function referralsPanel(c) {
  const list = c.referrals || [];
  if (!list.length) return null;
  return h('section', { class: 'panel' }, h('h2', null, '转介'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'case-referrals' },
      h('thead', null, h('tr', null, ['对象', '名称', '事由', '转介', '答复'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, list.map((r) => h('tr', { 'data-testid': 'case-referral', 'data-status': r.status },
        h('td', { 'data-label': '对象' }, label(REFERRAL_TARGET_LABELS, r.target)),
        h('td', { 'data-label': '名称' }, r.agency_name),
        h('td', { 'data-label': '事由' }, r.reason),
        h('td', { 'data-label': '转介', class: 'mono' }, `${dateTime(r.referred_at)} · ${r.referred_by}`),
        h('td', { 'data-label': '答复' }, label(REFERRAL_STATUS_LABELS, r.status), r.answer_note ? `：${r.answer_note}` : '')))))));
}

function recordText(step, r) {
  const parts = [];
  if (r.response_minutes) parts.push(`响应时限 ${r.response_minutes} 分钟，${due(r.assess_due)} 前评估`);
  if (r.risk) parts.push(`风险${label(RISK_LABELS, r.risk)}`);
  if (r.findings) parts.push(r.findings);
  if (r.guardian_situation) parts.push(label(SITUATION_LABELS, r.guardian_situation));
  if (r.in_scope === false) parts.push(`不属于受理范围：${r.scope_reason || ''}`);
  if (r.on_time === true && step === 'assess') parts.push('按时');
  if (r.on_time === false && step === 'assess') parts.push('超过响应时限');
  if (r.plan) parts.push(`${r.plan}（每 ${r.followup_days} 天回访）`);
  if (step === 'place') parts.push(`${label(PLACEMENT_LABELS, r.kind)}：${r.place_name}，${r.start_date} 起`);
  if (step === 'place_end') parts.push(`${r.end_date} 结束：${r.note}`);
  if (step === 'refer') parts.push(`转介 ${r.agency_name}：${r.reason}`);
  if (step === 'refer_answer') parts.push(`${r.agency_name} ${label(REFERRAL_STATUS_LABELS, r.answer)}${r.note ? `：${r.note}` : ''}`);
  if (step === 'resource') parts.push(`${label(RESOURCE_LABELS, r.kind)}：${r.note}${r.amount_fen ? `（${yuanText(r.amount_fen)}）` : ''}${r.relief_grant_id ? `，已申请临时救助（第 ${r.relief_grant_id} 号）` : ''}`);
  if (step === 'followup') parts.push(`${label(FOLLOWUP_LABELS, r.method)} ${r.date}：${r.note}；下次 ${r.next_followup_due}`);
  if (r.assigned_to) parts.push(`责任人 ${r.assigned_to}`);
  if (step === 'close') parts.push(`${label(CLOSE_OUTCOME_LABELS, r.outcome)}${r.note ? `：${r.note}` : ''}`);
  if (step === 'reopen') parts.push(r.reason);
  if (r.urgency && step === 'open') parts.push(label(URGENCY_LABELS, r.urgency));
  return parts.join('；');
}

function stepsPanel(c) {
  const steps = c.steps || [];
  return h('section', { class: 'panel' }, h('h2', null, '办理记录'),
    steps.length ? h('ol', { class: 'timeline', 'data-testid': 'case-steps' }, steps.map((s) => h('li', { 'data-testid': 'case-step', 'data-step': s.step },
      h('div', { class: 'timeline-head' }, h('strong', null, label(STEP_LABELS, s.step)), ' ', h('span', { class: 'muted mono' }, `${dateTime(s.at)} · ${s.by}`)),
      h('div', null, recordText(s.step, s.record || {}))))) : emptyState('尚无记录', 'case-steps-empty'));
}

