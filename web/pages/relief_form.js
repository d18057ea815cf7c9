// pages/relief_form.js — a new temporary-assistance grant (#/relief/new[?person=ID]), made for a
// phone at night: find the person in scope by name or ID number (GET /api/v1/persons), see the
// limits in force for them and the township's reserve balance
// (GET /api/v1/relief/persons/{id}/limits), choose type, cause, amount, cash or goods, tick
// 先行救助 to pay at once from the reserve, and POST /api/v1/relief/grants. The grant page then
// shows its paperwork deadline. The rules are the server's; the form only helps.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import {
  field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, uid,
  emptyState,
} from '../ui.js';
import { grantHash, money, reliefOptions, yuanToFen } from './relief_common.js';

function checkbox(labelText, testid) {
  const id = uid('cb');
  const input = h('input', { type: 'checkbox', id, 'data-testid': testid });
  return { input, wrap: h('label', { class: 'check', for: id }, input, ' ', labelText) };
}

/** 32 hex characters from the browser's random source (works on plain-HTTP intranet addresses,
 * where crypto.randomUUID is not offered). */
function newRequestKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export default async function render(el, ctx) {
  ctx.setTitle('登记临时救助');
  loading(el);
  let opts;
  try {
    opts = await reliefOptions();
  } catch (err) {
    failure(el, err);
    return;
  }
  if (!ctx.isCurrent()) return;

  const box = formError('relief-form-error');
  let person = null;
  let limits = null;

  // ---- 1. the person
  const qf = field({ label: '姓名或身份证号', input: textInput({ placeholder: '如 王秀英，或身份证后 4–6 位', enterkeyhint: 'search' }), testid: 'relief-person-q', required: true });
  const find = button('查找', { class: 'btn', 'data-testid': 'relief-person-search' });
  const found = h('div', { 'data-testid': 'relief-person-results' });
  const chosen = h('div', { 'data-testid': 'relief-person-chosen' });
  const limitsBox = h('div', { 'data-testid': 'relief-limits' });

  async function search() {
    const q = qf.input.value.trim();
    qf.setError(q ? '' : '请输入姓名或身份证号');
    if (!q) return;
    await busy(find, async () => {
      try {
        const r = await get('/api/v1/persons', { q, limit: 10 });
        replace(found, r.items.length ? h('ul', { class: 'pick-list', style: 'list-style:none;padding:0;margin:8px 0' }, r.items.map((p) =>
          h('li', null, button(`${p.name}　${p.id_number}　${p.age ?? ''}岁`, {
            class: 'btn', style: 'width:100%;justify-content:flex-start;margin-bottom:6px',
            'data-testid': 'relief-person-option', 'data-id': p.id, onclick: () => choose(p),
          })))) : emptyState('管辖范围内没有找到此人', 'relief-person-none'));
      } catch (err) {
        showServerError(err, { q: qf }, box);
      }
    });
  }
  find.addEventListener('click', search);
  qf.input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } });

  async function choose(p) {
    person = p;
    replace(found);
    replace(chosen, h('div', { class: 'audit-note', style: 'background:var(--blue-soft);color:var(--blue);border-color:var(--blue-soft)' },
      h('strong', { 'data-testid': 'relief-person-name' }, p.name), `　${p.id_number}　${p.region_code}`,
      button('重选', { class: 'btn btn-small', style: 'margin-left:8px', 'data-testid': 'relief-person-change', onclick: () => { person = null; limits = null; replace(chosen); replace(limitsBox); } })));
    replace(limitsBox, h('div', { class: 'loading' }, '正在读取救助标准…'));
    try {
      limits = await get(`/api/v1/relief/persons/${p.id}/limits`);
    } catch (err) {
      replace(limitsBox);
      box.set(err.message);
      return;
    }
    const prior = limits.prior_this_year.map((x) => opts.causes.find((c) => c.code === x.cause)?.label || x.cause);
    replace(limitsBox, h('dl', { class: 'facts', style: 'margin:8px 0' },
      fact('低保月标准', money(limits.standard_fen), 'relief-limit-standard'),
      fact('一般上限', money(limits.max_fen), 'relief-limit-max'),
      fact('急难型最低', money(limits.emergency_min_fen), 'relief-limit-min'),
      fact('镇街审批限额', money(limits.township_limit_fen), 'relief-limit-township'),
      fact('本镇街备用金余额', money(limits.reserve_balance_fen), 'relief-reserve-balance'),
      fact('今年已救助事由', prior.length ? prior.join('、') : '无', 'relief-prior')));
    payFirstHint();
  }

  // ---- 2. the grant
  const kindSel = select(opts.kinds.map((k) => ({ value: k.code, label: k.label })), { value: 'emergency' });
  const kf = field({ label: '救助类型', input: kindSel, testid: 'relief-kind', required: true });
  const causeSel = select([], { placeholder: '请选择' });
  const cf = field({ label: '事由', input: causeSel, testid: 'relief-cause', required: true });
  function fillCauses() {
    replace(causeSel, h('option', { value: '' }, '请选择'),
      opts.causes.filter((c) => c.kind === kindSel.value).map((c) => h('option', { value: c.code }, c.label)));
  }
  kindSel.addEventListener('change', () => { fillCauses(); payFirstHint(); });
  fillCauses();
  const af = field({ label: '金额（元）', input: textInput({ inputmode: 'decimal', placeholder: '如 1500' }), testid: 'relief-amount', required: true });
  const formSel = select(opts.forms.map((f) => ({ value: f.code, label: f.label })), { value: 'cash' });
  const ff = field({ label: '救助形式', input: formSel, testid: 'relief-cash-goods' });
  const gf = field({ label: '实物清单及折价', input: textInput({ placeholder: '如 米 2 袋、油 1 桶、口罩 20 个，折价 300 元' }), testid: 'relief-goods', wide: true });
  gf.wrap.hidden = true;
  formSel.addEventListener('change', () => { gf.wrap.hidden = formSel.value !== 'goods'; });
  const bf = field({ label: '申请方式', input: select(opts.applied_by.map((w) => ({ value: w.code, label: w.label })), { value: 'village_worker' }), testid: 'relief-applied-by' });
  const rf = field({ label: '情况说明', input: h('textarea', { rows: 3, placeholder: '如 居家隔离，家中断粮，已送米面油' }), testid: 'relief-reason', wide: true });
  const pay = checkbox('先行救助：立即从镇街备用金发放，事后补办手续', 'relief-pay-first');
  const payHint = h('div', { class: 'field-hint', 'data-testid': 'relief-pay-first-hint' });
  function payFirstHint() {
    if (!limits) { payHint.textContent = ''; return; }
    payHint.textContent = `备用金余额 ${money(limits.reserve_balance_fen)}；先行救助须在规定工作日内补齐申请审批材料。`;
  }
  af.input.addEventListener('input', () => af.clearError());

  const submit = button('提交', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'relief-submit' });
  const form = h('form', { novalidate: true },
    h('section', { class: 'panel' }, h('h2', null, '救助对象'), h('div', { class: 'form-grid' }, qf.wrap), h('div', { class: 'actions' }, find), found, chosen, limitsBox),
    h('section', { class: 'panel' }, h('h2', null, '救助内容'),
      h('div', { class: 'form-grid' }, kf.wrap, cf.wrap, af.wrap, ff.wrap, gf.wrap, bf.wrap, rf.wrap),
      h('div', { class: 'checks' }, pay.wrap), payHint),
    h('div', { class: 'actions actions-sticky' }, submit, h('a', { class: 'btn', href: '#/relief' }, '取消')));
  let lastSent = null;
  let requestKey = null;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    for (const f of [kf, cf, af, gf]) f.clearError();
    if (!person) {
      qf.setError('请先查找并选择救助对象');
      qf.input.focus();
      return;
    }
    const amt = yuanToFen(af.input.value);
    let bad = null;
    if (!causeSel.value) { cf.setError('请选择事由'); bad ??= cf; }
    if (amt.error) { af.setError(amt.error); bad ??= af; }
    if (formSel.value === 'goods' && !gf.input.value.trim()) { gf.setError('实物救助请写明物品及折价'); bad ??= gf; }
    if (bad) { bad.input.focus(); return; }
    const body = {
      person_id: person.id, kind: kindSel.value, cause: causeSel.value, amount_fen: amt.value,
      form: formSel.value, goods_note: formSel.value === 'goods' ? gf.input.value.trim() : '',
      applied_by: bf.input.value, reason: rf.input.value.trim(), pay_first: pay.input.checked,
    };
    // The same application sent again (its answer lost to a dropped connection) carries the same
    // request key, so the server answers with the first attempt's grant instead of a second one;
    // a changed application gets a new key.
    const sig = JSON.stringify(body);
    if (sig !== lastSent) { requestKey = newRequestKey(); lastSent = sig; }
    body.request_key = requestKey;
    await busy(submit, async () => {
      try {
        const g = await post('/api/v1/relief/grants', body);
        notice(g.pay_first
          ? (g.payment === 'paid' ? `已从备用金先行发放 ${money(g.amount_fen)}，请于 ${g.papers_due} 前补齐材料` : `已从备用金领出物资，请于 ${g.deliver_by} 前送达`)
          : `已登记，${g.level === 'county' ? '报县级' : '由镇街'}审批，期限 ${g.decision_due}`);
        ctx.navigate(grantHash(g.id));
      } catch (err) {
        showServerError(err, { kind: kf, cause: cf, amount_fen: af, goods_note: gf, person_id: qf, pay_first: af }, box);
        if (err.code === 'reserve_insufficient') await choose(person); // the balance as it is now
      }
    });
  });

  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '登记临时救助')),
    h('p', { class: 'muted' }, '急难情况可先行救助；一般程序由镇街或县级按金额审批。'), box.el), form);

  const pre = Number(ctx.query.get('person'));
  if (pre > 0) {
    try {
      await choose(await get(`/api/v1/persons/${pre}`));
    } catch (err) {
      box.set(err.message);
    }
  } else {
    qf.input.focus();
  }
}

function fact(dt, dd, testid) {
  return h('div', { class: 'fact' }, h('dt', null, dt), h('dd', { 'data-testid': testid }, dd));
}
