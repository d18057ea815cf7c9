// pages/goods_forms.js — the goods forms (pages/goods.js routes here), built for a phone:
//   #/goods/distribute   give goods out: from a ledger visit (?ledger_visit=V&person=P, the
//                        person prefilled and the visit linked), or to a household, a person or
//                        an institution by number; the answer shows the movement and the
//                        warehouse's stock left of that item.
//   #/goods/move         receive (purchase, allocation from above), transfer to another
//                        warehouse, or adjust by stocktake with a reason.
// A refusal (库存不足, 不在管辖范围内 …) is shown with the server's Chinese message.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, todayShanghai } from '../format.js';
import { field, select, textInput, button, busy, formError, showServerError, loading, failure } from '../ui.js';
import { tabs, RECIPIENT_LABELS, DATE_RE } from './goods.js';

async function basics() {
  const [w, i] = await Promise.all([get('/api/v1/goods/warehouses'), get('/api/v1/goods/items')]);
  return { warehouses: w.items || [], items: i.items || [] };
}

const whOptions = (list) => list.map((w) => ({ value: String(w.id), label: w.name }));
const itemOptions = (list) => list.map((i) => ({ value: String(i.id), label: `${i.name}（${i.unit}）` }));

function numberInput(props = {}) {
  return textInput({ inputmode: 'numeric', maxlength: '10', ...props });
}

function intOf(f, label, { allowNegative = false } = {}) {
  const v = f.input.value.trim();
  const re = allowNegative ? /^-?\d{1,9}$/ : /^\d{1,9}$/;
  if (!re.test(v) || Number(v) === 0) {
    f.setError(`请填写${label}（${allowNegative ? '非零整数' : '正整数'}）`);
    return null;
  }
  f.clearError();
  return Number(v);
}

// ---------------------------------------------------------------- distribute

export async function renderDistribute(el, ctx) {
  ctx.setTitle('发放物资');
  loading(el);
  const visit = Number(ctx.query.get('ledger_visit') || 0);
  const person = Number(ctx.query.get('person') || 0);
  let b, entry = null;
  try {
    b = await basics();
    if (visit && person) entry = await get(`/api/v1/ledger/entries/${person}`);
  } catch (err) {
    failure(el, err, '发放表单加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const theVisit = entry ? (entry.visit_list || []).find((v) => v.id === visit) : null;

  const F = {
    warehouse_id: field({ label: '出库仓库', required: true, testid: 'goods-dist-warehouse', input: select(whOptions(b.warehouses), { placeholder: '请选择仓库' }) }),
    item_id: field({ label: '物资', required: true, testid: 'goods-dist-item', input: select(itemOptions(b.items), { placeholder: '请选择物资' }) }),
    quantity: field({ label: '数量', required: true, testid: 'goods-dist-quantity', input: numberInput() }),
    date: field({ label: '发放日期', required: true, testid: 'goods-dist-date', input: textInput({ value: todayShanghai(), maxlength: '10', inputmode: 'numeric' }) }),
    recipient_kind: field({ label: '发放对象', required: true, testid: 'goods-dist-recipient-kind', input: select(['household', 'person', 'institution'].map((k) => ({ value: k, label: RECIPIENT_LABELS[k] }))) }),
    recipient_id: field({ label: '家庭 / 个人 / 机构编号', required: true, testid: 'goods-dist-recipient', input: numberInput() }),
    relief_grant_id: field({ label: '关联临时救助编号（可选）', testid: 'goods-dist-relief', input: numberInput() }),
    note: field({ label: '备注', testid: 'goods-dist-note', wide: true, input: textInput({ maxlength: '200' }) }),
  };
  if (b.warehouses.length === 1) F.warehouse_id.input.value = String(b.warehouses[0].id);
  let linked = null;
  if (entry) {
    F.recipient_kind.input.value = 'person';
    F.recipient_kind.input.disabled = true;
    F.recipient_id.input.value = String(person);
    F.recipient_id.input.readOnly = true;
    linked = h('div', { class: 'audit-note', 'data-testid': 'goods-dist-visit' },
      `台账走访：${entry.name}${theVisit ? `，${theVisit.visited_on} 走访` : ''}（发放记录将关联该次走访）`);
  }
  const box = formError('goods-dist-error');
  const done = h('div', { 'data-testid': 'goods-dist-result' });
  const submit = button('确认发放', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'goods-dist-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'goods-dist-form' },
    linked, box.el, h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    box.clear();
    let bad = false;
    for (const k of ['warehouse_id', 'item_id']) {
      F[k].setError(F[k].input.value ? '' : '请选择');
      bad ||= !F[k].input.value;
    }
    const quantity = intOf(F.quantity, '数量');
    const recipient = intOf(F.recipient_id, '编号');
    const d = F.date.input.value.trim();
    F.date.setError(DATE_RE.test(d) ? '' : '日期应为 YYYY-MM-DD');
    const grant = F.relief_grant_id.input.value.trim();
    F.relief_grant_id.setError(grant && !/^\d{1,12}$/.test(grant) ? '编号应为数字' : '');
    if (bad || quantity === null || recipient === null || !DATE_RE.test(d) || (grant && !/^\d{1,12}$/.test(grant))) return;
    const body = {
      kind: 'distribute', warehouse_id: Number(F.warehouse_id.input.value), item_id: Number(F.item_id.input.value), quantity, date: d,
      recipient_kind: F.recipient_kind.input.value, recipient_id: recipient, note: F.note.input.value.trim(),
    };
    if (entry) body.ledger_visit_id = visit;
    if (grant) body.relief_grant_id = Number(grant);
    busy(submit, async () => {
      try {
        const m = await post('/api/v1/goods/movements', body);
        const stock = await get('/api/v1/goods/stock', { warehouse_id: m.warehouse_id });
        const left = (stock.items || []).find((r) => r.item_id === m.item_id);
        replace(done, h('div', { class: 'panel', 'data-testid': 'goods-dist-done' },
          h('strong', null, `已发放：${m.item_name} ${count(-m.quantity)} ${m.unit}`),
          h('p', null, `领取：${RECIPIENT_LABELS[m.recipient_kind]} ${m.recipient_name}，${m.moved_on}，出库单号 ${m.id}`,
            m.ledger_visit_id ? '（已关联台账走访）' : ''),
          h('p', { 'data-testid': 'goods-dist-left' }, `${m.warehouse_name} 剩余 ${count(left ? left.quantity : 0)} ${m.unit}`)));
        F.quantity.input.value = '';
      } catch (err) {
        showServerError(err, F, box);
      }
    });
  });
  replace(el, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, '发放物资')), tabs('distribute'), form, done));
  return undefined;
}

// ---------------------------------------------------------------- receive, transfer, adjust

export async function renderMove(el, ctx) {
  ctx.setTitle('入库、调拨与盘点');
  loading(el);
  let b;
  try {
    b = await basics();
  } catch (err) {
    failure(el, err, '表单加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const F = {
    kind: field({ label: '类型', required: true, testid: 'goods-move-kind', input: select([['receive', '入库'], ['transfer', '调拨'], ['adjust', '盘点调整']].map(([value, label]) => ({ value, label }))) }),
    warehouse_id: field({ label: '仓库', required: true, testid: 'goods-move-warehouse', input: select(whOptions(b.warehouses), { placeholder: '请选择仓库' }) }),
    item_id: field({ label: '物资', required: true, testid: 'goods-move-item', input: select(itemOptions(b.items), { placeholder: '请选择物资' }) }),
    quantity: field({ label: '数量（盘亏填负数）', required: true, testid: 'goods-move-quantity', input: numberInput() }),
    date: field({ label: '日期', required: true, testid: 'goods-move-date', input: textInput({ value: todayShanghai(), maxlength: '10' }) }),
    source: field({ label: '来源', testid: 'goods-move-source', input: select([['purchase', '采购'], ['allocation', '上级调拨']].map(([value, label]) => ({ value, label }))) }),
    party: field({ label: '交付单位', testid: 'goods-move-party', input: textInput({ maxlength: '40' }) }),
    value_fen: field({ label: '折价（分，可选）', testid: 'goods-move-value', input: numberInput({ maxlength: '14' }) }),
    to_warehouse_id: field({ label: '调入仓库', testid: 'goods-move-to', input: select(whOptions(b.warehouses), { placeholder: '请选择' }) }),
    reason: field({ label: '原因', testid: 'goods-move-reason', wide: true, input: textInput({ maxlength: '200' }) }),
  };
  const show = () => {
    const k = F.kind.input.value;
    F.source.wrap.hidden = k !== 'receive';
    F.party.wrap.hidden = k !== 'receive';
    F.value_fen.wrap.hidden = k !== 'receive';
    F.to_warehouse_id.wrap.hidden = k !== 'transfer';
    F.reason.wrap.hidden = k !== 'adjust';
  };
  F.kind.input.addEventListener('change', show);
  show();
  const box = formError('goods-move-error');
  const submit = button('保存', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'goods-move-submit' });
  const form = h('form', { novalidate: true }, box.el, h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    box.clear();
    const k = F.kind.input.value;
    const quantity = intOf(F.quantity, '数量', { allowNegative: k === 'adjust' });
    const d = F.date.input.value.trim();
    F.date.setError(DATE_RE.test(d) ? '' : '日期应为 YYYY-MM-DD');
    if (quantity === null || !DATE_RE.test(d)) return;
    const body = { kind: k, warehouse_id: Number(F.warehouse_id.input.value) || null, item_id: Number(F.item_id.input.value) || null, quantity, date: d };
    if (k === 'receive') {
      body.source = F.source.input.value;
      body.party = F.party.input.value.trim();
      if (F.value_fen.input.value.trim()) body.value_fen = Number(F.value_fen.input.value.trim());
    }
    if (k === 'transfer') body.to_warehouse_id = Number(F.to_warehouse_id.input.value) || null;
    if (k === 'adjust') body.reason = F.reason.input.value.trim();
    busy(submit, async () => {
      try {
        await post('/api/v1/goods/movements', body);
        ctx.navigate(`#/goods/moves?warehouse=${body.warehouse_id}`);
      } catch (err) {
        showServerError(err, F, box);
      }
    });
  });
  replace(el, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, '入库、调拨与盘点')), tabs('move'), form));
  return undefined;
}
