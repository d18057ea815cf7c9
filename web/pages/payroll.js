// pages/payroll.js — the payroll runs (#/payroll?month=…): compute a month's draft for a unit
// (or, for city users, every unit at once) and the list of runs the user may see.
//
// Computing is a job on the server (POST /api/v1/payroll/runs answers 202 with the job): the page
// polls GET /api/v1/jobs/{id}, shows its progress, and opens the run when it is done (one unit) or
// lists the month (every unit). The review of one run, its confirmation and the bank files are on
// pages/payroll_run.js.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { yuan, count, dateTime } from '../format.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';

export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export const RUN_STATUS_LABELS = { draft: '草稿', confirmed: '已确认' };

/* The current month in Asia/Shanghai, "YYYY-MM". */
export function currentMonth(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export function statusBadge(status) {
  return h('span', { class: status === 'confirmed' ? 'badge' : 'badge badge-muted', 'data-testid': 'payroll-status' },
    RUN_STATUS_LABELS[status] || status);
}

/* Poll a job until it is done or failed; onProgress(job) on every answer. Resolves with the job. */
export async function waitJob(id, onProgress) {
  for (;;) {
    const j = await get(`/api/v1/jobs/${id}`);
    if (onProgress) onProgress(j);
    if (j.status === 'done' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 400));
  }
}

/* Submit a computation and wait for it; throws the job's error as an Error with a message. */
export async function computeRun(month, unitCode, statusEl) {
  const body = { month };
  if (unitCode) body.unit_code = unitCode;
  const job = await post('/api/v1/payroll/runs', body);
  const done = await waitJob(job.id, (j) => {
    if (statusEl) statusEl.textContent = j.message || (j.status === 'queued' ? '排队中…' : '计算中…');
  });
  if (done.status === 'failed') throw new Error((done.error && done.error.message) || '计算失败');
  return done.result;
}

/* The units the user may compute: city users every unit (and all at once), a unit's staff their own. */
function runnableUnits(user, units) {
  const rc = user.region_code || '';
  const own = units.filter((u) => u.code === rc);
  if (own.length) return own;
  return units.filter((u) => !rc || u.code.startsWith(rc.slice(0, 4)));
}

export default async function render(el, ctx) {
  ctx.setTitle('发放管理');
  loading(el);
  const month = ctx.query.get('month') || '';
  let units, runs;
  try {
    [units, runs] = await Promise.all([get('/api/v1/units'), get('/api/v1/payroll/runs', { month, limit: 500 })]);
  } catch (err) {
    failure(el, err, '发放批次加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const mine = runnableUnits(ctx.user, units.items || []);
  const latest = (runs.items || []).reduce((m, r) => (r.month > m ? r.month : m), '');
  const unitOpts = mine.map((u) => ({ value: u.code, label: `${u.code} ${u.name}` }));
  const city = mine.length > 1;

  const mf = field({
    label: '发放月份',
    input: textInput({ name: 'month', value: month || (latest ? addMonths(latest, 1) : currentMonth()), inputmode: 'numeric', placeholder: 'YYYY-MM', maxlength: '7' }),
    testid: 'payroll-month',
    required: true,
  });
  const uf = field({
    label: '管理单位',
    input: select(unitOpts, { name: 'unit', value: mine.length === 1 ? mine[0].code : '', placeholder: city ? '全部单位（一次计算）' : undefined }),
    testid: 'payroll-unit',
    hint: '已确认的批次不会重新计算',
  });
  const box = formError('payroll-error');
  const state = h('span', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'payroll-progress' });
  const submit = button('计算发放', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'payroll-compute' });
  const form = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'payroll-form' },
    h('div', { class: 'form-grid' }, mf.wrap, uf.wrap),
    h('div', { class: 'actions' }, submit, state));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const m = mf.input.value.trim();
    mf.setError(MONTH_RE.test(m) ? '' : '月份应为 YYYY-MM，如 2020-03');
    if (!MONTH_RE.test(m)) {
      mf.input.focus();
      return;
    }
    const unit = uf.input.value;
    let result;
    try {
      result = await busy(submit, () => computeRun(m, unit, state), '计算中…');
    } catch (err) {
      state.textContent = '';
      if (err.field !== undefined) showServerError(err, { month: mf, unit_code: uf }, box);
      else box.set(err.message);
      return;
    }
    state.textContent = '';
    const n = result.runs.length;
    notice(n === 1 ? `已计算：${result.runs[0].unit_code} ${m}，${count(result.runs[0].payments)} 笔` : `已计算 ${m} 的 ${n} 个单位`);
    if (unit && n === 1) ctx.navigate(`#/payroll/${result.runs[0].run_id}`);
    else ctx.navigate(`#/payroll?month=${m}`);
  });

  const filter = h('div', { class: 'actions' },
    h('span', { class: 'muted' }, month ? `${month} 的批次` : '全部批次（最近的月份在前）'),
    month ? h('a', { href: '#/payroll', class: 'btn btn-small', 'data-testid': 'payroll-all-months' }, '查看全部月份') : null,
    exportLinks('/api/v1/payroll/runs', { month }, 'payroll-export'));
  const items = runs.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'payroll-runs' },
      h('caption', { class: 'sr-only' }, '发放批次'),
      h('thead', null, h('tr', null, ['月份', '管理单位', '状态', '笔数', '人数', '金额（元）', '补发（元）', '计算', ''].map((t, i) =>
        h('th', { scope: 'col', class: i >= 3 && i <= 6 ? 'num' : null }, t)))),
      h('tbody', null, items.map((r) => h('tr', { class: 'clickable', 'data-testid': 'payroll-run-row', 'data-id': r.id, onclick: () => ctx.navigate(`#/payroll/${r.id}`) },
        h('td', { 'data-label': '月份', class: 'mono' }, r.month),
        h('td', { 'data-label': '管理单位' }, `${r.unit_code} ${r.unit_name}`),
        h('td', { 'data-label': '状态' }, statusBadge(r.status)),
        h('td', { 'data-label': '笔数', class: 'num' }, count(r.payments + r.reissues)),
        h('td', { 'data-label': '人数', class: 'num' }, count(r.persons)),
        h('td', { 'data-label': '金额（元）', class: 'num' }, yuan(r.amount_fen)),
        h('td', { 'data-label': '补发（元）', class: 'num' }, r.reissues ? yuan(r.reissue_fen) : ''),
        h('td', { 'data-label': '计算' }, `${dateTime(r.computed_at)} · 第 ${r.computations} 次`),
        h('td', { 'data-label': '' }, h('a', { href: `#/payroll/${r.id}`, 'data-testid': 'payroll-open' }, '查看')))))))
    : emptyState(month ? `${month} 还没有发放批次` : '还没有发放批次', 'payroll-empty');

  replace(el,
    h('section', { class: 'panel' },
      h('h1', null, '发放管理'),
      h('p', { class: 'muted' }, '每月按在保对象计算应发金额，生成草稿；核对后确认，再下载银行代发文件。草稿可以重新计算，确认后锁定。'),
      box.el, form),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, '发放批次'), filter),
      table));
}
