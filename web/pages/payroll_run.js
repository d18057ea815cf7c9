// pages/payroll_run.js — one payroll run (#/payroll/ID): its figures per program, the changes
// against last month (new, ended, amount changed — counts and the first cases of each), and the
// actions its state allows: a draft can be recomputed (a job, as on pages/payroll.js) and
// confirmed (after a confirmation dialog; the run is then locked), a confirmed run has its bank
// files (XLSX and CSV, downloaded straight from GET /api/v1/payroll/runs/ID/bank-file; the only
// place account numbers appear, and the download is audited). The price subsidies (价格临时补贴)
// the run pays are a program of their own beside the monthly allowances; being one-off payments
// they are not "changes" against last month.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { PROGRAM_LABELS, label } from '../labels.js';
import { yuan, count, dateTime } from '../format.js';
import { button, busy, formError, loading, failure, notice, emptyState, formDialog } from '../ui.js';
import { statusBadge, computeRun } from './payroll.js';

const PROGRAMS = ['dibao', 'tekun', 'orphan', 'unsupported_child'];
const RUN_PROGRAMS = [...PROGRAMS, 'price_subsidy']; // what a run pays
const LABELS = { ...PROGRAM_LABELS, price_subsidy: '价格临时补贴' };
const CHANGE_LABELS = { new: '新增', ended: '停发', changed: '金额变化' };

function signedYuan(fen) {
  return fen > 0 ? `+${yuan(fen)}` : yuan(fen);
}

export default async function render(el, ctx) {
  ctx.setTitle('发放批次');
  loading(el);
  const id = ctx.params[0];
  let run;
  try {
    run = await get(`/api/v1/payroll/runs/${id}`);
  } catch (err) {
    failure(el, err, '发放批次加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`${run.unit_name} ${run.month} 发放`);
  const draft = run.status === 'draft';
  const box = formError('payroll-run-error');
  const state = h('span', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'payroll-progress' });

  const actions = [];
  if (draft) {
    const recompute = button('重新计算', { class: 'btn', 'data-testid': 'payroll-recompute' });
    recompute.addEventListener('click', async () => {
      box.clear();
      try {
        await busy(recompute, () => computeRun(run.month, run.unit_code, state), '计算中…');
      } catch (err) {
        state.textContent = '';
        box.set(err.message);
        return;
      }
      notice('已重新计算');
      ctx.refresh();
    });
    const confirm = button('确认发放', { class: 'btn btn-primary', 'data-testid': 'payroll-confirm' });
    confirm.addEventListener('click', async () => {
      box.clear();
      const done = await formDialog({
        title: '确认发放',
        intro: `确认 ${run.unit_name} ${run.month} 的发放：共 ${count(run.payments + run.reissues)} 笔，` +
          `${yuan(run.total_fen)} 元。确认后本批次锁定，不能再重新计算，可下载银行代发文件。`,
        fields: [],
        submitLabel: '确认发放',
        danger: true,
        onSubmit: () => post(`/api/v1/payroll/runs/${run.id}/confirm`, {}),
      });
      if (!done) return;
      notice('已确认发放');
      ctx.refresh();
    });
    actions.push(recompute, confirm);
  } else {
    const base = `/api/v1/payroll/runs/${run.id}/bank-file`;
    actions.push(
      h('a', { class: 'btn btn-primary', href: `${base}?format=xlsx`, download: '', 'data-testid': 'payroll-bank-xlsx' }, '下载银行文件（Excel）'),
      h('a', { class: 'btn', href: `${base}?format=csv`, download: '', 'data-testid': 'payroll-bank-csv' }, '下载 CSV'));
  }

  const facts = [
    ['管理单位', `${run.unit_code} ${run.unit_name}`, 'payroll-unit'],
    ['发放月份', run.month, 'payroll-month'],
    ['状态', statusBadge(run.status), null],
    ['笔数', count(run.payments + run.reissues), 'payroll-payments'],
    ['金额（元）', yuan(run.total_fen), 'payroll-total'],
    ['计算', `${dateTime(run.computed_at)} · ${run.computed_by} · 第 ${run.computations} 次`, null],
    ['确认', run.confirmed_at ? `${dateTime(run.confirmed_at)} · ${run.confirmed_by}` : '未确认', 'payroll-confirmed'],
    ['银行退回', run.failed ? `${count(run.failed)} 笔（下月补发）` : '无', null],
  ];
  if (run.skipped) facts.push(['已由其他批次发放', `${count(run.skipped)} 笔（未重复发放）`, null]);

  const totals = h('table', { class: 'data responsive', 'data-testid': 'payroll-totals' },
    h('caption', { class: 'sr-only' }, '按项目合计'),
    h('thead', null, h('tr', null, ['项目', '笔数', '人数', '金额（元）', '补发笔数', '补发金额（元）'].map((t, i) =>
      h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
    h('tbody', null,
      RUN_PROGRAMS.filter((p) => run.programs[p]).map((p) => {
        const t = run.programs[p];
        return h('tr', { 'data-testid': 'payroll-total-row', 'data-program': p },
          h('td', { 'data-label': '项目' }, label(LABELS, p)),
          h('td', { 'data-label': '笔数', class: 'num' }, count(t.payments)),
          h('td', { 'data-label': '人数', class: 'num' }, count(t.persons)),
          h('td', { 'data-label': '金额（元）', class: 'num' }, yuan(t.amount_fen)),
          h('td', { 'data-label': '补发笔数', class: 'num' }, count(t.reissues)),
          h('td', { 'data-label': '补发金额（元）', class: 'num' }, yuan(t.reissue_fen)));
      }),
      h('tr', null,
        h('td', { 'data-label': '项目' }, h('strong', null, '合计')),
        h('td', { 'data-label': '笔数', class: 'num' }, count(run.payments)),
        h('td', { 'data-label': '人数', class: 'num' }, count(run.persons)),
        h('td', { 'data-label': '金额（元）', class: 'num' }, yuan(run.amount_fen)),
        h('td', { 'data-label': '补发笔数', class: 'num' }, count(run.reissues)),
        h('td', { 'data-label': '补发金额（元）', class: 'num' }, yuan(run.reissue_fen)))));

  const ch = run.changes;
  const changeTable = h('table', { class: 'data responsive', 'data-testid': 'payroll-changes' },
    h('caption', { class: 'sr-only' }, '与上月相比'),
    h('thead', null, h('tr', null, ['项目', '新增', '新增金额（元）', '停发', '停发金额（元）', '金额变化', '变化合计（元）'].map((t, i) =>
      h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
    h('tbody', null, PROGRAMS.map((p) => {
      const c = ch.programs[p];
      return h('tr', { 'data-testid': 'payroll-change-row', 'data-program': p },
        h('td', { 'data-label': '项目' }, label(PROGRAM_LABELS, p)),
        h('td', { 'data-label': '新增', class: 'num' }, count(c.new)),
        h('td', { 'data-label': '新增金额（元）', class: 'num' }, yuan(c.new_fen)),
        h('td', { 'data-label': '停发', class: 'num' }, count(c.ended)),
        h('td', { 'data-label': '停发金额（元）', class: 'num' }, yuan(c.ended_fen)),
        h('td', { 'data-label': '金额变化', class: 'num' }, count(c.changed)),
        h('td', { 'data-label': '变化合计（元）', class: 'num' }, signedYuan(c.changed_delta_fen)));
    })));
  const items = ch.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'payroll-change-items' },
      h('caption', { class: 'sr-only' }, '变化明细'),
      h('thead', null, h('tr', null, ['变化', '项目', '收款人', '账号', '村居代码', '上月（元）', '本月（元）'].map((t, i) =>
        h('th', { scope: 'col', class: i >= 5 ? 'num' : null }, t)))),
      h('tbody', null, ch.items.map((x) => h('tr', { 'data-testid': 'payroll-change-item', 'data-kind': x.kind },
        h('td', { 'data-label': '变化' }, CHANGE_LABELS[x.kind] || x.kind),
        h('td', { 'data-label': '项目' }, label(PROGRAM_LABELS, x.program)),
        h('td', { 'data-label': '收款人' }, x.payee_name),
        h('td', { 'data-label': '账号', class: 'mono' }, x.bank_account),
        h('td', { 'data-label': '村居代码', class: 'mono' }, x.region_code),
        h('td', { 'data-label': '上月（元）', class: 'num' }, x.kind === 'new' ? '' : yuan(x.old_fen)),
        h('td', { 'data-label': '本月（元）', class: 'num' }, x.kind === 'ended' ? '' : yuan(x.new_fen)))))))
    : emptyState('与上月相比没有变化', 'payroll-no-changes');

  replace(el,
    h('p', null, h('a', { href: `#/payroll?month=${run.month}`, 'data-testid': 'payroll-back' }, '‹ 返回发放批次')),
    h('section', { class: 'panel', 'data-testid': 'payroll-run', 'data-status': run.status },
      h('div', { class: 'panel-head' },
        h('h1', null, `${run.unit_name} ${run.month} 发放`, statusBadge(run.status)),
        h('div', { class: 'actions' }, actions, state)),
      box.el,
      h('dl', { class: 'facts' }, facts.map(([k, v, t]) =>
        h('div', { class: 'fact' }, h('dt', null, k), h('dd', t ? { 'data-testid': t } : null, v)))),
      !draft ? h('p', { class: 'muted' }, '银行文件含完整账号，下载会记入审计日志；页面上不显示账号。') : null),
    h('section', { class: 'panel' }, h('h2', null, '按项目合计'), h('div', { class: 'table-wrap' }, totals)),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' },
        h('h2', null, `与上月（${ch.previous_month}）相比`),
        h('span', { class: 'muted' }, ch.has_previous ? `每类最多列出 ${ch.items_limit} 户` : '上月没有发放批次：本月全部为新增')),
      h('div', { class: 'table-wrap' }, changeTable),
      h('h3', null, '变化明细'),
      items));
}
