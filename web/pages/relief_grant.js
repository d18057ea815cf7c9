// pages/relief_grant.js — one temporary-assistance grant (#/relief/<id>): who, why, how much,
// where it stands, its deadlines (papers for pay-first, the decision, the hand-over of goods),
// the case decision (一事一议) when one is attached, every step taken, and the next steps as
// buttons (POST /api/v1/relief/grants/{id}/<step>). The server decides who may take a step;
// a refusal comes back as a message in the dialog.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { dateTime } from '../format.js';
import { button, formDialog, loading, failure, notice, emptyState } from '../ui.js';
import { LEVEL_LABELS, money, stateBadge, today, DATE_RE } from './relief_common.js';
import { reliefTabs } from './relief.js';

const STEP_LABELS = {
  apply: '登记申请', pay: '发放', papers: '补齐材料', decision: '一事一议', approve: '审批同意',
  refuse: '不予救助', deliver: '物资送达', return: '退回',
};

const dateField = (name, label) => ({ name, label, value: today(), placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') });

export default async function render(el, ctx, id) {
  ctx.setTitle('临时救助');
  loading(el);
  let g;
  try {
    g = await get(`/api/v1/relief/grants/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该记录，或不在您的管辖范围内' : '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  draw(el, ctx, g);
}

function fact(dt, dd, testid, wide) {
  return h('div', { class: 'fact' + (wide ? ' fact-wide' : '') }, h('dt', null, dt),
    h('dd', { 'data-testid': testid || null }, dd === '' || dd === null || dd === undefined ? '—' : dd));
}

function draw(el, ctx, g) {
  const redraw = (next) => draw(el, ctx, next);
  const step = (name, title, fields, done, intro) => formDialog({
    title, intro, fields, submitLabel: '确定',
    onSubmit: async (v) => redraw(await post(`/api/v1/relief/grants/${g.id}/${name}`, v)),
  }).then((r) => { if (r) notice(done); });

  const open = g.decision === 'pending';
  const actions = [];
  if (g.pay_first && !g.papers_on && g.decision !== 'refused') {
    actions.push(button('补齐材料', { class: 'btn btn-primary', 'data-testid': 'relief-step-papers',
      onclick: () => step('papers', '补齐申请审批材料', [dateField('on', '补齐日期')], '材料已补齐') }));
  }
  if (open && g.needs_decision && !g.has_decision && ctx.can('assistance.approve')) {
    actions.push(button('一事一议', { class: 'btn', 'data-testid': 'relief-step-decision',
      onclick: () => step('decision', '一事一议记录', [dateField('on', '议定日期'),
        { name: 'participants', label: '参会人员', required: true },
        { name: 'decision', label: '议定结论', required: true }], '已附一事一议记录',
      `金额 ${money(g.amount_fen)} 超过一般上限 ${money(g.max_fen)}，须集体研究决定。`) }));
  }
  if (open && ctx.can(g.level === 'county' || g.repeat_of ? 'assistance.approve' : 'assistance.write')) {
    actions.push(button('审批同意', { class: 'btn btn-primary', 'data-testid': 'relief-step-approve',
      onclick: () => step('approve', '审批同意', [dateField('on', '审批日期'),
        { name: 'note', label: g.repeat_of ? '再次救助的理由' : '审批意见', required: !!g.repeat_of }], '已审批同意') }));
    actions.push(button('不予救助', { class: 'btn btn-danger', 'data-testid': 'relief-step-refuse',
      onclick: () => step('refuse', '不予救助', [dateField('on', '决定日期'), { name: 'note', label: '理由', required: true }], '已决定不予救助') }));
  }
  if (!g.pay_first && g.decision === 'approved' && g.payment === 'none') {
    actions.push(button('发放', { class: 'btn btn-primary', 'data-testid': 'relief-step-pay',
      onclick: () => step('pay', '登记发放', [dateField('on', '发放日期')], '已发放') }));
  }
  if (g.payment === 'drawn') {
    actions.push(button('物资送达', { class: 'btn btn-primary', 'data-testid': 'relief-step-deliver',
      onclick: () => step('deliver', '物资送达', [dateField('on', '送达日期')], '物资已送达') }));
  }
  if (g.payment === 'paid' || g.payment === 'drawn') {
    actions.push(button('登记退回', { class: 'btn btn-danger', 'data-testid': 'relief-step-return',
      onclick: () => step('return', '登记退回', [dateField('on', '退回日期'), { name: 'note', label: '退回原因', required: true }],
        '已登记退回', g.pay_first ? '退回的金额回到本镇街备用金。' : '') }));
  }

  const d = g.case_decision;
  const deadlines = [
    g.pay_first ? fact('补办材料期限', g.papers_on ? `${g.papers_due}（已于 ${g.papers_on} 补齐）` : g.papers_due, 'relief-papers-due') : null,
    fact('审批期限', g.decided_on ? `${g.decision_due}（已于 ${g.decided_on} 决定）` : g.decision_due, 'relief-decision-due'),
    g.deliver_by ? fact('物资送达期限', g.deliver_by, 'relief-deliver-by') : null,
  ];
  replace(el,
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', null, `临时救助 ${g.id}`, stateBadge(g)),
        h('a', { class: 'btn', href: '#/relief' }, '返回列表')),
      reliefTabs(ctx, ''),
      h('dl', { class: 'facts' },
        fact('救助对象', `${g.name}（${g.id_number}）`, 'relief-person', true),
        fact('村居', `${g.township_name} ${g.region_name}`),
        fact('类型 / 事由', `${g.kind_label} · ${g.cause_label}`, 'relief-cause'),
        fact('金额', money(g.amount_fen), 'relief-amount'),
        fact('形式', g.form === 'goods' ? `实物：${g.goods_note}` : '现金', 'relief-form', g.form === 'goods'),
        fact('办理方式', g.pay_first ? '先行救助（镇街备用金）' : '一般程序', 'relief-path'),
        fact('审批层级', LEVEL_LABELS[g.level] + (g.needs_decision ? '，须一事一议' : '') + (g.repeat_of ? `，同一事由再次救助（前次 ${g.repeat_of}）` : ''), 'relief-level'),
        fact('申请方式', g.applied_by_label + (g.source_ref ? `（${g.source_ref}）` : '')),
        fact('申请日期', g.applied_on, 'relief-applied-on'),
        fact('发放日期', g.paid_on, 'relief-paid-on'),
        ...deadlines,
        g.reason ? fact('情况说明', g.reason, 'relief-reason', true) : null,
        g.decision_note ? fact('审批意见', g.decision_note, 'relief-decision-note', true) : null),
      actions.length ? h('div', { class: 'actions', 'data-testid': 'relief-actions' }, actions) : null),
    d ? h('section', { class: 'panel', 'data-testid': 'relief-case-decision' }, h('h2', null, '一事一议'),
      h('dl', { class: 'facts' }, fact('议定日期', d.decided_on), fact('参会人员', d.participants, null, true),
        fact('议定结论', d.decision, null, true), fact('记录人', d.recorded_by))) : null,
    h('section', { class: 'panel' }, h('h2', null, '办理经过'),
      g.steps.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'relief-steps' },
        h('thead', null, h('tr', null, ['步骤', '日期', '办理人', '说明', '录入时间'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, g.steps.map((s) => h('tr', { 'data-testid': 'relief-step-row', 'data-step': s.step },
          h('td', { 'data-label': '步骤' }, STEP_LABELS[s.step] || s.step),
          h('td', { 'data-label': '日期', class: 'mono' }, s.on),
          h('td', { 'data-label': '办理人' }, s.by),
          h('td', { 'data-label': '说明' }, s.note),
          h('td', { 'data-label': '录入时间', class: 'mono' }, dateTime(s.at))))))) : emptyState('暂无', 'relief-steps-empty')));
}
