// pages/assistance_case.js — one assistance case (#/assistance/case/ID): its facts, this month's
// figures by the rules (or, for an application, the amount an approval would decide), the
// household's members as the rules counted them, every step taken with its record, the
// objections to its public notice, the refusals of suitable job offers recorded on a 低保 case,
// and the steps the user may take now (next_steps from the server, so a township assistant never
// sees 审批 and the leader sees no buttons at all).
//
// Each step is a form (a dialog, or the approval panel for the county) that POSTs
// /api/v1/assistance/cases/ID/<step> and redraws the case from the answer. The approval panel
// shows what the county decides on: the notice's dates and whether it has run, open objections,
// the appraisal's vote and the monthly amount the rules give. Server errors (notice still
// running, unresolved objection…) are shown in full.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import {
  PROGRAM_LABELS, STEP_LABELS, PAY_STATE_LABELS, EXIT_CAUSE_LABELS, CARE_LEVEL_LABELS,
  SUPPORT_FORM_LABELS, PLACEMENT_LABELS, REVIEW_CATEGORY_LABELS, CHILD_CATEGORY_LABELS,
  PARENT_CONDITION_LABELS, RELATION_LABELS, ADL_LABELS, UPLIFT_LABELS, RESIDENCE_LABELS, label, options,
} from '../labels.js';
import { dateTime } from '../format.js';
import {
  button, busy, formDialog, formError, showServerError, loading, failure, notice, emptyState, uid,
} from '../ui.js';
import { today, yuanToFen, money, statusBadge, facts, DATE_RE } from './assistance_common.js';

export default async function render(el, ctx) {
  const id = ctx.params[0];
  loading(el);
  let c;
  try {
    c = await get(`/api/v1/assistance/cases/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该案件，或不在您的管辖范围内' : '案件加载失败');
    return;
  }
  if (ctx.isCurrent()) draw(el, ctx, c);
}

function draw(el, ctx, c) {
  ctx.setTitle(`救助案件 ${c.id} · ${c.name}`);
  const redraw = (fresh) => { if (ctx.isCurrent()) draw(el, ctx, fresh); };
  replace(el,
    headPanel(c, ctx),
    c.next_steps.includes('approve') ? approvalPanel(c, redraw) : null,
    actionsPanel(c, redraw),
    monthPanel(c),
    refusalsPanel(c, redraw),
    objectionsPanel(c, redraw),
    stepsPanel(c));
}

// ---------------------------------------------------------------- facts

function headPanel(c, ctx) {
  const isTekun = c.program === 'tekun';
  const isChild = c.program === 'orphan' || c.program === 'unsupported_child';
  const list = [
    ['救助项目', label(PROGRAM_LABELS, c.program), 'case-program'],
    [c.program === 'dibao' ? '户主' : '对象', c.name, 'case-name'],
    ['身份证号', c.id_number, 'case-id-number'],
    ['村居', `${c.region_name}（${c.region_code}）`, 'case-region'],
    ['审批单位', `${c.unit_name || ''}（${c.unit_code}）`, 'case-unit'],
    ['城乡', label(RESIDENCE_LABELS, c.residence_type), null],
    ['申请日期', c.applied_at, 'case-applied'],
    ['起始发放月', c.start_month, 'case-start'],
    ['月保障金额', c.monthly_amount_fen ? money(c.monthly_amount_fen) : '', 'case-amount'],
    c.status === 'notice' || c.notice_start ? ['公示期', c.notice_start ? `${c.notice_start} 至 ${c.notice_end}` : '', 'case-notice'] : null,
    c.program === 'dibao' ? ['复核类别', label(REVIEW_CATEGORY_LABELS, c.review_category), null] : null,
    c.program === 'dibao' && c.next_review_month ? ['下次复核', c.next_review_month, 'case-next-review'] : null,
    c.phaseout_from ? ['渐退', `${c.phaseout_from} 复核发现收入超过标准，渐退 ${c.phaseout_months} 个月`, 'case-phaseout', true] : null,
    c.suspended_from ? ['暂停', c.suspended_until ? `${c.suspended_from} 至 ${c.suspended_until}（不含）` : `自 ${c.suspended_from} 起`, 'case-suspended'] : null,
    c.exit_cause ? ['终止原因', `${label(EXIT_CAUSE_LABELS, c.exit_cause)}${c.end_month ? `，发放至 ${c.end_month}` : ''}`, 'case-exit'] : null,
    isTekun ? ['生活自理能力', label(CARE_LEVEL_LABELS, c.care_level), 'case-care'] : null,
    isTekun ? ['供养方式', label(SUPPORT_FORM_LABELS, c.support_form), null] : null,
    isChild ? ['儿童类别', label(CHILD_CATEGORY_LABELS, c.child_category), 'case-child-category'] : null,
    isChild ? ['养育方式', label(PLACEMENT_LABELS, c.child_placement), null] : null,
    isChild ? ['父母情形', (c.parent_conditions || []).map((x) => label(PARENT_CONDITION_LABELS, x)).join('；'), null] : null,
    ['收款', `${c.payee_name} · ${c.bank_name || ''} ${c.bank_account}`, 'case-payee', true],
    c.reason ? ['理由', c.reason, 'case-reason', true] : null,
  ];
  const links = [h('a', { class: 'btn', href: `#/household/${c.household_id}`, 'data-testid': 'case-household-link' }, '家庭档案')];
  if (c.notice_start && c.program !== 'orphan' && c.program !== 'unsupported_child') {
    links.push(h('a', { class: 'btn', href: `#/assistance/notice/${c.region_code}?date=${c.notice_start}`, 'data-testid': 'case-notice-link' }, '公示栏（打印）'));
  }
  return h('section', { class: 'panel', 'data-testid': 'case-head' },
    h('div', { class: 'panel-head' },
      h('h1', null, `救助案件 ${c.id}`, ' ', statusBadge(c.status)),
      h('div', { class: 'actions' }, links)),
    facts(list));
}

function monthPanel(c) {
  const m = c.month;
  if (!m) return null;
  const title = m.preview ? `审批后首月（${m.month}）预计` : `${m.month} 本月`;
  if (m.error) {
    return h('section', { class: 'panel', 'data-testid': 'case-month' }, h('h2', null, title),
      h('p', { class: 'form-error', 'data-testid': 'case-month-error' }, m.error));
  }
  const rows = [
    ['发放状态', m.owed ? label(PAY_STATE_LABELS, m.state) : `不发放${m.why ? `（${whyText(m.why)}）` : ''}`, 'case-month-state'],
    ['金额', m.owed ? money(m.amount_fen) : '0', 'case-month-amount'],
    m.phaseout_n ? ['渐退', m.phaseout_k ? `第 ${m.phaseout_k} / ${m.phaseout_n} 个月` : `共 ${m.phaseout_n} 个月`, null] : null,
    m.exit_month ? ['停发月份', `${m.exit_month}${m.exit_held ? '（疫情期间暂缓）' : ''}`, 'case-month-exit'] : null,
  ];
  const d = m.dibao;
  if (d) {
    rows.push(['低保标准', money(d.standard_fen), null], ['计入人数', `${d.counted_members} / ${d.members}`, null],
      ['家庭月收入', money(d.total_income_fen), null], ['补差', money(d.gap_paid_fen), null],
      d.refusing_members ? ['拒绝就业不予发放', `${money(d.gap_withheld_fen)}（${d.refusing_members} 人拒绝就业满 3 次的补差份额）`, 'case-month-withheld', true] : null,
      ['分类施保加发', money(d.uplift_fen), null], d.minimum_applied ? ['最低保障', '按户最低额发放', null] : null,
      !d.eligible ? ['结论', d.reason_text, 'case-month-reason', true] : null);
  }
  if (m.tekun) rows.push(['基本生活费', money(m.tekun.basic_fen), null], ['护理补贴', money(m.tekun.care_fen), null]);
  if (m.child) rows.push(['最后发放月', m.child.last_month, null]);
  const members = (m.members || []).length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'case-members' },
    h('caption', { class: 'sr-only' }, '家庭成员'),
    h('thead', null, h('tr', null, ['姓名', '关系', '年龄', '月收入', '残疾', '重病', '计入', '拒绝就业', '加发'].map((t, i) => h('th', { scope: 'col', class: i === 3 || i === 8 ? 'num' : null }, t)))),
    h('tbody', null, m.members.map((x) => h('tr', { 'data-testid': 'case-member' },
      h('td', { 'data-label': '姓名' }, x.name || '—'),
      h('td', { 'data-label': '关系' }, label(RELATION_LABELS, x.relation)),
      h('td', { 'data-label': '年龄' }, x.age === null ? '' : String(x.age)),
      h('td', { 'data-label': '月收入', class: 'num' }, money(x.income_month_fen)),
      h('td', { 'data-label': '残疾' }, x.disability_grade ? `${x.disability_grade} 级` : ''),
      h('td', { 'data-label': '重病' }, x.serious_illness ? '是' : ''),
      h('td', { 'data-label': '计入' }, x.is_tekun ? '特困供养，不计入' : x.counted ? '是' : '否'),
      h('td', { 'data-label': '拒绝就业', 'data-testid': 'case-member-refusals' }, x.job_refusals ? `${x.job_refusals} 次${x.work_refused ? '，补差份额不予发放' : ''}` : ''),
      h('td', { 'data-label': '加发', class: 'num' }, x.uplift_fen ? `${label(UPLIFT_LABELS, x.uplift)} ${money(x.uplift_fen)}` : '')))))) : null;
  return h('section', { class: 'panel', 'data-testid': 'case-month' }, h('h2', null, title), facts(rows), members);
}

function whyText(why) {
  return {
    suspended: '暂停发放', ended: '已停发', not_started: '尚未开始', person_removed: '人员已注销',
    income_not_below_standard: '家庭人均收入不低于标准', no_counted_members: '无计入成员',
    work_refused: '拒绝就业', over_age: '已超过发放年龄', parent_able: '父母有抚养能力', zero_amount: '金额为零',
  }[why] || why;
}

// ---------------------------------------------------------------- job-offer refusals

// A 低保 member able to work who refuses 3 suitable job offers has their share of the gap
// withheld: each refusal counts from the month after it happened and was recorded, for 12 months.
function refusalsPanel(c, redraw) {
  const list = c.job_refusals || [];
  const may = c.next_steps.includes('job_refusal');
  if (!list.length && !may) return null;
  const members = ((c.month && c.month.members) || []).filter((m) => m.counted && !m.is_tekun);
  const add = may ? button('登记拒绝就业', {
    class: 'btn', 'data-testid': 'refusal-add',
    onclick: async () => {
      const result = await formDialog({
        title: '登记拒绝就业',
        intro: '有劳动能力的成员无正当理由拒绝推荐的适当工作时登记。每次拒绝自发生并登记后的次月起计入 12 个月；某月计入满 3 次的成员，其补差份额不予发放（分类施保加发照发）。',
        fields: [
          { name: 'person_id', label: '家庭成员', type: 'select', required: true, options: members.map((m) => ({ value: String(m.person_id), label: `${m.name}（${label(RELATION_LABELS, m.relation)}）` })) },
          { name: 'date', label: '拒绝日期', value: today(), placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') },
          { name: 'offer', label: '推荐的工作（单位、岗位、待遇）', required: true },
        ],
        submitLabel: '登记',
        onSubmit: async (v) => post(`/api/v1/assistance/cases/${c.id}/job-refusals`, { person_id: Number(v.person_id), date: v.date, offer: v.offer }),
      });
      if (result && result !== true) {
        notice('已登记拒绝就业');
        redraw(result);
      }
    },
  }) : null;
  const body = list.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'case-refusals' },
    h('caption', { class: 'sr-only' }, '拒绝就业登记'),
    h('thead', null, h('tr', null, ['日期', '成员', '推荐的工作', '计入月份', '登记'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, list.map((r) => h('tr', { 'data-testid': 'case-refusal' },
      h('td', { 'data-label': '日期' }, r.date),
      h('td', { 'data-label': '成员' }, r.name || String(r.person_id)),
      h('td', { 'data-label': '推荐的工作' }, r.offer),
      h('td', { 'data-label': '计入月份' }, r.counts_from <= r.counts_until ? `${r.counts_from} 至 ${r.counts_until}` : '登记时已超过 12 个月，不计入'),
      h('td', { 'data-label': '登记', class: 'muted' }, `${dateTime(r.at)} · ${r.by}`)))))) : emptyState('尚无拒绝就业登记', 'case-refusals-empty');
  return h('section', { class: 'panel', 'data-testid': 'case-refusals-panel' }, h('div', { class: 'panel-head' }, h('h2', null, '拒绝就业'), add), body);
}

// ---------------------------------------------------------------- steps taken

function recordText(s) {
  const r = s.record || {};
  const parts = [];
  if (r.date) parts.push(r.date);
  if (r.result) parts.push({ eligible: '符合条件', ineligible: '不符合条件', agree: '同意', disagree: '不同意', continue: '继续保障', phaseout: '启动渐退', not_eligible: '不符合条件' }[r.result] || r.result);
  if (r.attendees) parts.push(`参加 ${r.attendees} 人，同意 ${r.votes_for} 人`);
  if (r.people) parts.push(r.people);
  if (r.place) parts.push(`地点：${r.place}`);
  if (r.notice_days) parts.push(`公示 ${r.notice_days} 天，至 ${r.last_day}`);
  if (r.start_month) parts.push(`自 ${r.start_month} 起每月 ${money(r.amount_fen)}`);
  else if (r.amount_fen !== undefined && s.step !== 'apply') parts.push(`月保障金额 ${money(r.amount_fen)}`);
  if (r.phaseout) parts.push(`渐退 ${r.phaseout.months} 个月（${r.phaseout.first_month} 至 ${r.phaseout.last_month}），${r.phaseout.exit_month} 起停发${r.phaseout.held ? '（疫情期间暂缓）' : ''}`);
  if (r.cause) parts.push(label(EXIT_CAUSE_LABELS, r.cause));
  if (r.from_month) parts.push(`自 ${r.from_month}`);
  if (r.total_income_fen !== undefined) parts.push(`家庭月收入 ${money(r.total_income_fen)}`);
  if (r.care_level) parts.push(label(CARE_LEVEL_LABELS, r.care_level));
  if (r.text) parts.push(r.text);
  if (r.note) parts.push(r.note);
  return parts.join('；');
}

function stepsPanel(c) {
  return h('section', { class: 'panel' }, h('h2', null, '办理记录'),
    h('ol', { class: 'timeline', 'data-testid': 'case-steps' }, c.steps.map((s) => h('li', { 'data-testid': 'case-step', 'data-step': s.step },
      h('div', { class: 'timeline-head' }, h('strong', null, label(STEP_LABELS, s.step)), h('span', { class: 'muted' }, ` ${dateTime(s.at)} · ${s.by}`)),
      h('div', null, recordText(s))))));
}

function objectionsPanel(c, redraw) {
  if (!c.objections.length && c.status !== 'notice') return null;
  const list = c.objections.length ? h('ul', { class: 'plain-list', 'data-testid': 'case-objections' }, c.objections.map((o) => h('li', { 'data-testid': 'case-objection' },
    h('div', null, o.content, h('span', { class: 'muted' }, ` · ${dateTime(o.at)} ${o.by}`)),
    o.resolution ? h('div', { class: 'muted' }, `核实处理：${o.resolution}`)
      : h('div', null, h('span', { class: 'badge badge-warn' }, '未处理'), ' ',
        c.next_steps.includes('objection') ? button('录入核实结果', {
          class: 'btn btn-small', 'data-testid': 'objection-resolve',
          onclick: () => formDialog({
            title: '录入异议核实结果', fields: [{ name: 'resolution', label: '核实处理结果', required: true }], submitLabel: '保存',
            onSubmit: async (v) => redraw(await post(`/api/v1/assistance/cases/${c.id}/objections/resolve`, { objection_id: o.id, resolution: v.resolution })),
          }),
        }) : null)))) : emptyState('公示期间暂无异议', 'case-objections-empty');
  const add = c.next_steps.includes('objection') ? button('登记异议', {
    class: 'btn', 'data-testid': 'objection-add',
    onclick: () => formDialog({
      title: '登记公示异议', fields: [{ name: 'content', label: '异议内容', required: true }, { name: 'resolution', label: '核实处理结果（可稍后录入）' }], submitLabel: '登记',
      onSubmit: async (v) => redraw(await post(`/api/v1/assistance/cases/${c.id}/objections`, v)),
    }),
  }) : null;
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', null, '公示异议'), add), list);
}

// ---------------------------------------------------------------- approval

function approvalPanel(c, redraw) {
  const noticeDone = !c.notice_end || c.notice_end < today();
  const open = c.objections.filter((o) => !o.resolution).length;
  const appraisal = c.steps.find((s) => s.step === 'appraise');
  const m = c.month || {};
  const box = formError('approve-error');
  const opinion = h('textarea', { rows: '2', maxlength: '500', 'data-testid': 'approve-text', id: uid('ta') });
  const approve = button('审批同意', { class: 'btn btn-primary', 'data-testid': 'approve-submit' });
  const refuse = button('不予批准', { class: 'btn btn-danger', 'data-testid': 'refuse-open' });
  approve.addEventListener('click', async () => {
    box.clear();
    try {
      const fresh = await busy(approve, () => post(`/api/v1/assistance/cases/${c.id}/approve`, { text: opinion.value.trim() }));
      notice(`已审批：自 ${fresh.start_month} 起每月 ${money(fresh.monthly_amount_fen)}`);
      redraw(fresh);
    } catch (err) {
      showServerError(err, {}, box);
    }
  });
  refuse.addEventListener('click', () => stepDialog(c, 'refuse', redraw));
  return h('section', { class: 'panel panel-approve', 'data-testid': 'approval-panel' },
    h('h2', null, '县级审批'),
    facts([
      c.notice_start ? ['公示期', `${c.notice_start} 至 ${c.notice_end}`, 'approve-notice'] : ['公示', '儿童保障不公示', null],
      c.notice_start ? ['公示状态', noticeDone ? '已期满，可以审批' : `公示中，${c.notice_end} 期满后次日方可审批`, 'approve-notice-state'] : null,
      ['未处理异议', String(open), 'approve-objections'],
      appraisal ? ['民主评议', recordText(appraisal), null, true] : null,
      ['拟月保障金额', m.owed ? money(m.amount_fen) : '按现有登记信息计算为 0', 'approve-amount'],
      ['起始发放月', m.month || '', null],
    ]),
    box.el,
    h('div', { class: 'field field-wide' }, h('label', { for: opinion.id }, '审批意见'), opinion),
    h('div', { class: 'actions' }, approve, refuse));
}

// ---------------------------------------------------------------- the other steps

const RESULT_OPTIONS = {
  investigate: [{ value: 'eligible', label: '符合条件' }, { value: 'ineligible', label: '不符合条件' }],
  appraise: [{ value: 'agree', label: '同意' }, { value: 'disagree', label: '不同意' }],
};

function dialogFields(c, step) {
  const date = { name: 'date', label: '日期', value: today(), placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') };
  switch (step) {
    case 'investigate':
      return [date, { name: 'result', label: '调查结论', type: 'select', options: RESULT_OPTIONS.investigate, required: true },
        { name: 'people', label: '调查人员' }, { name: 'assets', label: '核实家庭财产（元，不填则不变）', validate: (v) => (v === '' ? '' : yuanToFen(v).error || '') },
        { name: 'text', label: '调查情况', required: true }];
    case 'appraise':
      return [date, { name: 'result', label: '评议结果', type: 'select', options: RESULT_OPTIONS.appraise, required: true },
        { name: 'attendees', label: '参加人数', type: 'number', value: '0', validate: (v) => (/^\d+$/.test(v) ? '' : '请填写整数') },
        { name: 'votes_for', label: '同意人数', type: 'number', value: '0', validate: (v) => (/^\d+$/.test(v) ? '' : '请填写整数') },
        { name: 'people', label: '评议小组' }, { name: 'text', label: '评议意见' }];
    case 'notice':
      return [{ ...date, label: '公示首日' }, { name: 'place', label: '公示地点', value: '村务公开栏' }];
    case 'refuse':
      return [{ name: 'text', label: '不予批准的理由', required: true }];
    case 'suspend':
      return [{ name: 'text', label: '暂停发放的理由', required: true }];
    case 'resume':
      return [{ name: 'text', label: '说明' }];
    case 'terminate':
      return [{ name: 'cause', label: '终止原因', type: 'select', options: options(EXIT_CAUSE_LABELS), required: true },
        { name: 'text', label: '终止的理由', required: true }];
    case 'review':
      return [{ name: 'category', label: '复核类别', type: 'select', options: options(REVIEW_CATEGORY_LABELS), value: c.review_category },
        { name: 'text', label: '复核情况' }];
    default:
      return [];
  }
}

const INTROS = {
  investigate: '录入镇（街道）入户调查的结果；家庭成员和收入取自户籍登记，请先在家庭档案中核实更新。',
  appraise: '录入村（居）民主评议的结果。',
  notice: '公示天数按政策参数（不少于 7 天），公示期满后的次日起方可审批。',
  refuse: '不予批准须书面说明理由，将告知申请人。',
  suspend: '自下月起暂停发放。',
  resume: '自下月起恢复发放。',
  terminate: '发放至本月。疫情期间除死亡、迁出外的退出暂缓至期间结束。',
  review: '按户籍登记的现有信息重新计算：收入达到标准将启动渐退，否则重新核定金额并排定下次复核。',
};

async function stepDialog(c, step, redraw) {
  const result = await formDialog({
    title: label(STEP_LABELS, step), intro: INTROS[step], fields: dialogFields(c, step),
    submitLabel: label(STEP_LABELS, step), danger: ['refuse', 'terminate', 'suspend'].includes(step),
    onSubmit: async (v) => {
      const body = { ...v };
      if ('assets' in body) {
        delete body.assets;
        if (v.assets !== '') body.assets_fen = yuanToFen(v.assets).value;
      }
      for (const k of ['attendees', 'votes_for']) if (k in body) body[k] = Number(body[k]);
      return post(`/api/v1/assistance/cases/${c.id}/${step}`, body);
    },
  });
  if (result && result !== true) {
    notice(`已办理：${label(STEP_LABELS, step)}`);
    redraw(result);
  }
}

/* 特困 reassessment: the six activities as checkboxes and the support form. */
function reassessPanel(c, redraw) {
  const checks = ADL_LABELS.map(([bit, l]) => {
    const id = uid('cb');
    const input = h('input', { type: 'checkbox', id, checked: (c.adl_mask & bit) !== 0, 'data-testid': `reassess-adl-${bit}` });
    return { bit, input, wrap: h('label', { class: 'check', for: id }, input, ` ${l}不能自理`) };
  });
  const sid = uid('sel');
  const form = h('select', { id: sid, 'data-testid': 'reassess-support-form', value: c.support_form || 'scattered' },
    Object.entries(SUPPORT_FORM_LABELS).map(([v, l]) => h('option', { value: v }, l)));
  const box = formError('reassess-error');
  const save = button('保存评估', { class: 'btn btn-primary', 'data-testid': 'reassess-submit' });
  save.addEventListener('click', async () => {
    box.clear();
    try {
      const fresh = await busy(save, () => post(`/api/v1/assistance/cases/${c.id}/reassess`, {
        adl_mask: checks.reduce((m, x) => m | (x.input.checked ? x.bit : 0), 0), support_form: form.value,
      }));
      notice('已重新评估');
      redraw(fresh);
    } catch (err) {
      showServerError(err, {}, box);
    }
  });
  return h('details', { class: 'reassess', 'data-testid': 'reassess-panel' }, h('summary', null, '重新评估生活自理能力 / 供养方式'),
    box.el, h('div', { class: 'checks' }, checks.map((x) => x.wrap)),
    h('div', { class: 'field' }, h('label', { for: sid }, '供养方式'), form), h('div', { class: 'actions' }, save));
}

function actionsPanel(c, redraw) {
  const steps = c.next_steps.filter((s) => !['approve', 'refuse', 'objection', 'reassess', 'job_refusal'].includes(s) || (s === 'refuse' && !c.next_steps.includes('approve')));
  const buttons = steps.map((s) => button(label(STEP_LABELS, s), {
    class: ['terminate', 'suspend', 'refuse'].includes(s) ? 'btn btn-danger' : 'btn btn-primary',
    'data-testid': `step-${s}`, onclick: () => stepDialog(c, s, redraw),
  }));
  const reassess = c.next_steps.includes('reassess') ? reassessPanel(c, redraw) : null;
  if (!buttons.length && !reassess) return null;
  return h('section', { class: 'panel', 'data-testid': 'case-actions' }, h('h2', null, '办理'), h('div', { class: 'actions' }, buttons), reassess);
}
