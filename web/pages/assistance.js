// pages/assistance.js — the assistance work queue (#/assistance?view=…&program=…&region=…&offset=)
// and the application form (#/assistance/new?program=…&household=…&person=…).
//
// The queue shows the cases in the user's scope by stage — 待调查 (applied), 待评议
// (investigated), 待公示 (appraised), 公示中, 在册, 已结束 — newest first, 20 a page
// (GET /api/v1/assistance/cases); a row opens the case (pages/assistance_case.js), where every
// step is taken. The form takes a written application: 低保 for a household, 特困 and the child
// allowances for a person (looked up by id so the clerk sees whom they picked), with the
// program's own fields (the six daily activities and the support form for 特困, the placement and
// both parents' situation for a child), the payee's bank account, and POSTs
// /api/v1/assistance/cases. Amounts are typed in yuan and sent in fen.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import {
  PROGRAM_LABELS, RESIDENCE_LABELS, REVIEW_CATEGORY_LABELS, SUPPORT_FORM_LABELS, PLACEMENT_LABELS,
  ADL_LABELS, options,
} from '../labels.js';
import { count, date } from '../format.js';
import {
  field, textInput, select, button, busy, formError, showServerError, loading, failure, notice,
  emptyState, uid,
} from '../ui.js';
import {
  today, yuanToFen, money, statusBadge, programText, caseHash, queueHash, DATE_RE,
} from './assistance_common.js';
import { exportLinks } from './export_links.js';

const VIEWS = [
  { view: 'pending', title: '全部在办', q: { stage: 'pending' } },
  { view: 'applied', title: '待调查', q: { status: 'applied' } },
  { view: 'investigated', title: '待评议', q: { status: 'investigated' } },
  { view: 'appraised', title: '待公示', q: { status: 'appraised' } },
  { view: 'notice', title: '公示中 / 待审批', q: { status: 'notice' } },
  { view: 'on_roll', title: '在册', q: { stage: 'on_roll' } },
  { view: 'closed', title: '已结束', q: { stage: 'closed' } },
];
const PAGE = 20;

export default async function render(el, ctx) {
  if (ctx.params[0] === 'new') return renderApply(el, ctx);
  return renderQueue(el, ctx);
}

// ---------------------------------------------------------------- queue

async function renderQueue(el, ctx) {
  ctx.setTitle('救助案件');
  const viewName = ctx.query.get('view') || 'pending';
  const v = VIEWS.find((x) => x.view === viewName) || VIEWS[0];
  const program = ctx.query.get('program') || '';
  const region = ctx.query.get('region') || '';
  const offset = Math.max(0, Number(ctx.query.get('offset')) || 0);
  const state = { view: v.view, program, region };

  const tabs = h('div', { class: 'tabs', role: 'tablist', 'data-testid': 'case-tabs' }, VIEWS.map((x) =>
    h('a', {
      href: queueHash({ ...state, view: x.view }), role: 'tab', class: 'tab',
      'aria-selected': String(x.view === v.view), 'data-testid': `case-tab-${x.view}`,
    }, x.title)));
  const pf = field({ label: '救助项目', input: select(options(PROGRAM_LABELS), { placeholder: '全部', value: program }), testid: 'case-filter-program' });
  const rf = field({ label: '区划代码', input: textInput({ value: region, inputmode: 'numeric', maxlength: '12', placeholder: '如 370704008' }), testid: 'case-filter-region', hint: '在管辖范围内缩小到镇街或村居' });
  const go = button('筛选', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'case-filter-submit' });
  const form = h('form', { class: 'search-form', novalidate: true }, h('div', { class: 'form-grid' }, pf.wrap, rf.wrap), h('div', { class: 'actions' }, go));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const r = rf.input.value.trim();
    rf.setError(/^\d{0,12}$/.test(r) ? '' : '区划代码应为数字');
    if (!/^\d{0,12}$/.test(r)) return;
    ctx.navigate(queueHash({ view: v.view, program: pf.input.value, region: r }));
  });
  const box = formError('case-list-error');
  const head = h('div', { class: 'panel-head' }, h('h1', null, '救助案件'),
    ctx.can('assistance.write') ? h('a', { class: 'btn btn-primary', href: '#/assistance/new', 'data-testid': 'case-new' }, '受理新申请') : null);
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, head, tabs, box.el, form), results);

  loading(results);
  let page;
  try {
    page = await get('/api/v1/assistance/cases', { ...v.q, program, region, limit: PAGE, offset });
  } catch (err) {
    replace(results);
    showServerError(err, { program: pf, region: rf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!page.items.length) {
    replace(results, h('section', { class: 'panel' }, emptyState(`没有${v.title}的案件`, 'case-list-empty')));
    return;
  }
  const rows = page.items.map((c) => h('tr', {
    class: 'clickable', 'data-testid': 'case-row', 'data-id': c.id, tabindex: '0',
    onclick: () => ctx.navigate(caseHash(c.id)),
    onkeydown: (e) => { if (e.key === 'Enter') ctx.navigate(caseHash(c.id)); },
  },
  h('td', { 'data-label': '案件号' }, h('a', { href: caseHash(c.id) }, String(c.id))),
  h('td', { 'data-label': '项目' }, programText(c.program)),
  h('td', { 'data-label': '户主 / 对象' }, c.name || '—'),
  h('td', { 'data-label': '村居' }, c.region_name || c.region_code),
  h('td', { 'data-label': '状态' }, statusBadge(c.status)),
  h('td', { 'data-label': '申请日期', class: 'mono' }, date(c.applied_at)),
  h('td', { 'data-label': '公示期 / 起始月', class: 'mono' }, c.status === 'notice' ? `${c.notice_start} 至 ${c.notice_end}` : c.start_month || ''),
  h('td', { 'data-label': '月保障金额', class: 'num' }, c.monthly_amount_fen ? money(c.monthly_amount_fen) : '')));
  const table = h('table', { class: 'data responsive', 'data-testid': 'case-table' },
    h('caption', { class: 'sr-only' }, v.title),
    h('thead', null, h('tr', null, ['案件号', '项目', '户主 / 对象', '村居', '状态', '申请日期', '公示期 / 起始月', '月保障金额'].map((t, i) =>
      h('th', { scope: 'col', class: i === 7 ? 'num' : null }, t)))),
    h('tbody', null, rows));
  const prev = button('上一页', { 'data-testid': 'case-prev', disabled: offset <= 0, onclick: () => ctx.navigate(queueHash({ ...state, offset: Math.max(0, offset - PAGE) })) });
  const next = button('下一页', { 'data-testid': 'case-next', disabled: offset + PAGE >= page.total, onclick: () => ctx.navigate(queueHash({ ...state, offset: offset + PAGE })) });
  replace(results, h('section', { class: 'panel' },
    h('div', { class: 'table-wrap' }, table),
    h('div', { class: 'pager' },
      h('span', { class: 'muted', 'data-testid': 'case-total' }, `共 ${count(page.total)} 件，第 ${offset + 1}–${offset + page.items.length} 件`),
      prev, next,
      exportLinks('/api/v1/assistance/cases', { ...v.q, program, region }, 'case-export'))));
}

// ---------------------------------------------------------------- application form

function checkbox(labelText, testid, checked = false) {
  const id = uid('cb');
  const input = h('input', { type: 'checkbox', id, 'data-testid': testid, checked });
  return { input, wrap: h('label', { class: 'check', for: id }, input, ' ', labelText) };
}

function numberField(labelText, testid, hint = '') {
  return field({ label: labelText, input: textInput({ inputmode: 'numeric', maxlength: '4', value: '0' }), testid, hint });
}

/* One parent's situation for a child application. */
function parentBox(i) {
  const who = i === 0 ? '父（母）一方' : '另一方';
  const dead = checkbox('死亡（含宣告死亡）', `apply-parent${i}-dead`);
  const missing = checkbox('失踪（含宣告失踪）', `apply-parent${i}-missing`);
  const ill = checkbox('重病', `apply-parent${i}-ill`);
  const grade = field({
    label: '残疾等级',
    input: select([{ value: '0', label: '无' }, ...[1, 2, 3, 4].map((g) => ({ value: String(g), label: `${g} 级` }))], { value: '0' }),
    testid: `apply-parent${i}-grade`,
  });
  const kind = field({
    label: '残疾类别',
    input: select([['', '—'], ['visual', '视力'], ['hearing', '听力'], ['speech', '言语'], ['physical', '肢体'], ['intellectual', '智力'], ['mental', '精神'], ['multiple', '多重']].map(([value, l]) => ({ value, label: l })), { value: '' }),
    testid: `apply-parent${i}-kind`,
  });
  const detained = numberField('服刑在押等（月）', `apply-parent${i}-detained`);
  const lost = numberField('失联（月）', `apply-parent${i}-lost`);
  const wrap = h('fieldset', { class: 'member-row' }, h('legend', null, who),
    h('div', { class: 'checks' }, dead.wrap, missing.wrap, ill.wrap),
    h('div', { class: 'form-grid' }, grade.wrap, kind.wrap, detained.wrap, lost.wrap));
  return {
    wrap,
    fields: { detained_months: detained, out_of_contact_months: lost },
    value() {
      return {
        dead: dead.input.checked, missing: missing.input.checked, seriously_ill: ill.input.checked,
        disability_grade: Number(grade.input.value), disability_kind: kind.input.value,
        detained_months: Number(detained.input.value) || 0, out_of_contact_months: Number(lost.input.value) || 0,
      };
    },
  };
}

async function renderApply(el, ctx) {
  ctx.setTitle('受理救助申请');
  if (!ctx.can('assistance.write')) {
    failure(el, { message: '您的账号没有受理申请的权限' }, '没有权限');
    return;
  }
  const program0 = ctx.query.get('program') || 'dibao';
  const prog = field({ label: '救助项目', input: select(options(PROGRAM_LABELS), { value: program0 }), testid: 'apply-program', required: true });
  const who = field({
    label: '户 id', input: textInput({ inputmode: 'numeric', value: ctx.query.get('household') || ctx.query.get('person') || '' }),
    testid: 'apply-target', required: true, hint: '',
  });
  const lookup = button('查找', { 'data-testid': 'apply-lookup' });
  const found = h('div', { class: 'muted', 'data-testid': 'apply-found', 'aria-live': 'polite' });
  const applied = field({ label: '书面申请日期', input: textInput({ value: today(), maxlength: '10', placeholder: 'YYYY-MM-DD' }), testid: 'apply-date', required: true, hint: '不得晚于今天' });
  const assets = field({ label: '家庭财产（元）', input: textInput({ inputmode: 'decimal', value: '0' }), testid: 'apply-assets', hint: '存款、车辆等折合金额' });
  const category = field({ label: '复核类别', input: select(options(REVIEW_CATEGORY_LABELS), { value: 'stable' }), testid: 'apply-category' });
  const form1 = field({ label: '供养方式', input: select(options(SUPPORT_FORM_LABELS), { placeholder: '请选择', value: '' }), testid: 'apply-support-form', required: true });
  const adl = ADL_LABELS.map(([bit, l]) => ({ bit, ...checkbox(`${l}不能自理`, `apply-adl-${bit}`) }));
  const placement = field({ label: '养育方式', input: select(options(PLACEMENT_LABELS), { placeholder: '请选择', value: '' }), testid: 'apply-placement', required: true });
  const parents = [parentBox(0), parentBox(1)];
  const payee = field({ label: '收款人姓名', input: textInput({ maxlength: '30' }), testid: 'apply-payee', hint: '默认户主或对象本人；儿童可填监护人' });
  const bank = field({ label: '开户银行', input: textInput({ maxlength: '60' }), testid: 'apply-bank-name' });
  const acct = field({ label: '收款账号', input: textInput({ inputmode: 'numeric', maxlength: '40' }), testid: 'apply-bank-account', required: true, hint: '银行卡或存折号，8–32 位数字' });
  const note = field({ label: '申请说明', input: h('textarea', { rows: '3', maxlength: '500' }), testid: 'apply-note', wide: true });

  const dibaoBox = h('div', { class: 'form-grid', 'data-testid': 'apply-dibao' }, category.wrap);
  const tekunBox = h('fieldset', { class: 'member-row', 'data-testid': 'apply-tekun' }, h('legend', null, '生活自理能力（六项日常生活活动）'),
    h('div', { class: 'checks' }, adl.map((a) => a.wrap)), h('div', { class: 'form-grid' }, form1.wrap));
  const childBox = h('div', { 'data-testid': 'apply-child' }, h('div', { class: 'form-grid' }, placement.wrap), parents.map((p) => p.wrap));
  const box = formError('apply-error');
  const submit = button('提交申请', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'apply-submit' });
  const cancel = h('a', { class: 'btn', href: '#/assistance', 'data-testid': 'apply-cancel' }, '返回');
  const form = h('form', { novalidate: true, 'data-testid': 'apply-form' },
    box.el,
    h('div', { class: 'form-grid' }, prog.wrap, h('div', { class: 'field' }, who.wrap, h('div', { class: 'actions' }, lookup), found), applied.wrap, assets.wrap),
    dibaoBox, tekunBox, childBox,
    h('h2', null, '收款信息'),
    h('div', { class: 'form-grid' }, payee.wrap, bank.wrap, acct.wrap, note.wrap),
    h('div', { class: 'actions actions-sticky' }, submit, cancel));

  const sync = () => {
    const p = prog.input.value;
    const dibao = p === 'dibao';
    who.setLabel(dibao ? '户 id' : '人员 id');
    who.setHint(dibao ? '低保以户申请：填写家庭档案的户 id' : '以人申请：填写人员 id（人员查询中可见）');
    dibaoBox.hidden = !dibao;
    tekunBox.hidden = p !== 'tekun';
    childBox.hidden = !(p === 'orphan' || p === 'unsupported_child');
    found.textContent = '';
  };
  prog.input.addEventListener('change', sync);
  sync();

  const doLookup = async () => {
    const id = who.input.value.trim();
    if (!/^\d+$/.test(id)) {
      who.setError('请填写数字 id');
      return null;
    }
    who.setError('');
    try {
      if (prog.input.value === 'dibao') {
        const hh = await get(`/api/v1/households/${id}`);
        const head = (hh.members || []).find((m) => m.relation === 'head');
        found.textContent = `${hh.region_name || hh.region_code} · ${RESIDENCE_LABELS[hh.residence_type] || ''} · 户主 ${head ? head.name : '—'} · ${hh.member_count ?? (hh.members || []).length} 人`;
        return hh;
      }
      const p = await get(`/api/v1/persons/${id}`);
      found.textContent = `${p.name} · ${p.sex === 'female' ? '女' : '男'} · ${p.birth_date} 出生`;
      if (!payee.input.value) payee.input.placeholder = p.name;
      return p;
    } catch (err) {
      found.textContent = '';
      who.setError(err.message);
      return null;
    }
  };
  lookup.addEventListener('click', () => busy(lookup, doLookup, '查找中…'));
  if (who.input.value) doLookup();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const p = prog.input.value;
    const fields = { household_id: who, person_id: who, applied_on: applied, assets_fen: assets, review_category: category, support_form: form1, placement, payee_name: payee, bank_name: bank, bank_account: acct, note };
    let bad = null;
    const fail = (f, msg) => { f.setError(msg); if (msg && !bad) bad = f; };
    const id = who.input.value.trim();
    fail(who, /^\d+$/.test(id) ? '' : '请填写数字 id');
    const d = applied.input.value.trim();
    fail(applied, !DATE_RE.test(d) ? '日期应为 YYYY-MM-DD' : d > today() ? '申请日期不能晚于今天' : '');
    const a = yuanToFen(assets.input.value);
    fail(assets, a.error || '');
    const digits = acct.input.value.replace(/[\s-]/g, '');
    fail(acct, !digits ? '请填写收款账号' : !/^\d{8,32}$/.test(digits) ? '收款账号应为 8–32 位数字' : '');
    if (p === 'tekun') fail(form1, form1.input.value ? '' : '请选择供养方式');
    const child = p === 'orphan' || p === 'unsupported_child';
    if (child) fail(placement, placement.input.value ? '' : '请选择养育方式');
    if (bad) {
      bad.input.focus();
      return;
    }
    const body = {
      program: p, applied_on: d, assets_fen: a.value, payee_name: payee.input.value.trim(),
      bank_name: bank.input.value.trim(), bank_account: digits, note: note.input.value.trim(),
    };
    if (p === 'dibao') {
      body.household_id = Number(id);
      body.review_category = category.input.value;
    } else {
      body.person_id = Number(id);
    }
    if (p === 'tekun') {
      body.support_form = form1.input.value;
      body.adl_mask = adl.reduce((m, x) => m | (x.input.checked ? x.bit : 0), 0);
    }
    if (child) {
      body.placement = placement.input.value;
      body.parents = parents.map((x) => x.value());
    }
    let c;
    try {
      c = await busy(submit, () => post('/api/v1/assistance/cases', body));
    } catch (err) {
      showServerError(err, fields, box);
      return;
    }
    notice(`已受理：${programText(c.program)}申请，案件号 ${c.id}`);
    ctx.navigate(caseHash(c.id));
  });

  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '受理救助申请'), h('span', { class: 'muted' }, '登记信息（成员、收入）取自户籍登记，申请时一并留存')),
    form));
}
