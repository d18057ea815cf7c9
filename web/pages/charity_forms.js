// pages/charity_forms.js — the forms on an appeal's page (pages/charity.js): record a donation
// (money with donor, channel and receipt, or goods into a warehouse) and record a use (money or
// goods to an institution, township or project with purpose and voucher). Amounts are typed in
// yuan and sent as integer fen (parsed as text, never through floating point). A refusal (余额不足,
// 收据编号重复 …) shows the server's message.

import { h } from '../dom.js';
import { get, post } from '../api.js';
import { todayShanghai } from '../format.js';
import { field, select, textInput, button, busy, formError, showServerError, notice } from '../ui.js';

/* "1,234.5" → 123450; null when not an amount. */
export function fenOf(text) {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(String(text).replace(/[,，\s]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

const opts = (pairs) => pairs.map(([value, label]) => ({ value, label }));

async function goodsLists() {
  const [w, i] = await Promise.all([get('/api/v1/goods/warehouses'), get('/api/v1/goods/items')]);
  return {
    warehouses: (w.items || []).map((x) => ({ value: String(x.id), label: x.name })),
    items: (i.items || []).map((x) => ({ value: String(x.id), label: `${x.name}（${x.unit}）` })),
  };
}

function fill(sel, options) {
  for (const o of options) sel.appendChild(h('option', { value: o.value }, o.label));
}

export function donationForm(appeal, onDone) {
  const F = {
    kind: field({ label: '捐赠类型', testid: 'don-kind', input: select(opts([['money', '资金'], ['goods', '物资']])) }),
    donated_on: field({ label: '捐赠日期', testid: 'don-date', input: textInput({ value: todayShanghai(), maxlength: '10' }) }),
    donor_kind: field({ label: '捐赠人类型', testid: 'don-donor-kind', input: select(opts([['person', '个人'], ['organisation', '单位']])) }),
    donor_name: field({ label: '捐赠人姓名或单位', testid: 'don-donor', input: textInput({ maxlength: '40' }) }),
    amount: field({ label: '金额（元）', testid: 'don-amount', input: textInput({ inputmode: 'decimal', maxlength: '16' }) }),
    channel: field({ label: '渠道', testid: 'don-channel', input: select(opts([['bank', '银行转账'], ['wechat', '微信'], ['alipay', '支付宝'], ['cash', '现金'], ['other', '其他']])) }),
    receipt_no: field({ label: '收据编号', testid: 'don-receipt', input: textInput({ maxlength: '30' }) }),
    item_id: field({ label: '物资', testid: 'don-item', input: select([], { placeholder: '请选择物资' }) }),
    quantity: field({ label: '数量', testid: 'don-quantity', input: textInput({ inputmode: 'numeric', maxlength: '9' }) }),
    value: field({ label: '折价（元）', testid: 'don-value', input: textInput({ inputmode: 'decimal', maxlength: '16' }) }),
    warehouse_id: field({ label: '入库仓库', testid: 'don-warehouse', input: select([], { placeholder: '请选择仓库' }) }),
  };
  const anon = h('input', { type: 'checkbox', 'data-testid': 'don-anonymous' });
  const disclose = h('input', { type: 'checkbox', 'data-testid': 'don-disclose' });
  let loaded = false;
  const show = async () => {
    const goods = F.kind.input.value === 'goods';
    for (const k of ['amount', 'channel']) F[k].wrap.hidden = goods;
    for (const k of ['item_id', 'quantity', 'value', 'warehouse_id']) F[k].wrap.hidden = !goods;
    F.donor_name.wrap.hidden = anon.checked;
    if (goods && !loaded) {
      loaded = true;
      try {
        const l = await goodsLists();
        fill(F.item_id.input, l.items);
        fill(F.warehouse_id.input, l.warehouses);
      } catch (err) {
        box.set(err.message);
      }
    }
  };
  F.kind.input.addEventListener('change', show);
  anon.addEventListener('change', show);
  const box = formError('don-error');
  const submit = button('登记捐赠', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'don-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'don-form' }, box.el,
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap),
      h('div', { class: 'field' }, h('label', null, anon, ' 匿名捐赠'), h('label', null, disclose, ' 同意公开姓名'))),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    box.clear();
    const goods = F.kind.input.value === 'goods';
    const body = {
      kind: F.kind.input.value, donated_on: F.donated_on.input.value.trim(), donor_kind: F.donor_kind.input.value,
      anonymous: anon.checked, disclose: disclose.checked, receipt_no: F.receipt_no.input.value.trim(),
    };
    if (!anon.checked) body.donor_name = F.donor_name.input.value.trim();
    if (goods) {
      body.item_id = Number(F.item_id.input.value) || null;
      body.warehouse_id = Number(F.warehouse_id.input.value) || null;
      body.quantity = /^\d{1,9}$/.test(F.quantity.input.value.trim()) ? Number(F.quantity.input.value.trim()) : 0;
      const v = F.value.input.value.trim();
      if (v) {
        const fen = fenOf(v);
        F.value.setError(fen === null ? '金额格式不正确' : '');
        if (fen === null) return;
        body.value_fen = fen;
      }
    } else {
      const fen = fenOf(F.amount.input.value.trim());
      F.amount.setError(fen === null ? '请填写金额，如 1000 或 1000.50' : '');
      if (fen === null) return;
      body.amount_fen = fen;
      body.channel = F.channel.input.value;
    }
    busy(submit, async () => {
      try {
        await post(`/api/v1/charity/appeals/${appeal.id}/donations`, body);
        notice('已登记捐赠');
        onDone();
      } catch (err) {
        showServerError(err, { ...F, amount_fen: F.amount, value_fen: F.value }, box);
      }
    });
  });
  show();
  return h('details', { class: 'panel-sub', 'data-testid': 'don-details' }, h('summary', null, '登记捐赠'), form);
}

export function useForm(appeal, onDone) {
  const F = {
    kind: field({ label: '使用类型', testid: 'use-kind', input: select(opts([['money', '资金'], ['goods', '物资']])) }),
    used_on: field({ label: '使用日期', testid: 'use-date', input: textInput({ value: todayShanghai(), maxlength: '10' }) }),
    recipient_kind: field({ label: '受助对象类型', testid: 'use-recipient-kind', input: select(opts([['institution', '机构'], ['township', '镇街'], ['project', '项目']])) }),
    recipient_name: field({ label: '受助对象', testid: 'use-recipient', input: textInput({ maxlength: '40' }) }),
    purpose: field({ label: '用途', testid: 'use-purpose', input: textInput({ maxlength: '200' }) }),
    evidence: field({ label: '凭证（文号、单据号）', testid: 'use-evidence', input: textInput({ maxlength: '200' }) }),
    amount: field({ label: '金额（元）', testid: 'use-amount', input: textInput({ inputmode: 'decimal', maxlength: '16' }) }),
    item_id: field({ label: '物资', testid: 'use-item', input: select([], { placeholder: '请选择物资' }) }),
    quantity: field({ label: '数量', testid: 'use-quantity', input: textInput({ inputmode: 'numeric', maxlength: '9' }) }),
  };
  let loaded = false;
  const show = async () => {
    const goods = F.kind.input.value === 'goods';
    F.amount.wrap.hidden = goods;
    F.item_id.wrap.hidden = !goods;
    F.quantity.wrap.hidden = !goods;
    if (goods && !loaded) {
      loaded = true;
      try {
        fill(F.item_id.input, (await goodsLists()).items);
      } catch (err) {
        box.set(err.message);
      }
    }
  };
  F.kind.input.addEventListener('change', show);
  const box = formError('use-error');
  const submit = button('登记使用', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'use-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'use-form' }, box.el,
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    box.clear();
    const body = {
      kind: F.kind.input.value, used_on: F.used_on.input.value.trim(), recipient_kind: F.recipient_kind.input.value,
      recipient_name: F.recipient_name.input.value.trim(), purpose: F.purpose.input.value.trim(), evidence: F.evidence.input.value.trim(),
    };
    if (body.kind === 'goods') {
      body.item_id = Number(F.item_id.input.value) || null;
      body.quantity = /^\d{1,9}$/.test(F.quantity.input.value.trim()) ? Number(F.quantity.input.value.trim()) : 0;
    } else {
      const fen = fenOf(F.amount.input.value.trim());
      F.amount.setError(fen === null ? '请填写金额，如 1000 或 1000.50' : '');
      if (fen === null) return;
      body.amount_fen = fen;
    }
    busy(submit, async () => {
      try {
        await post(`/api/v1/charity/appeals/${appeal.id}/uses`, body);
        notice('已登记使用');
        onDone();
      } catch (err) {
        showServerError(err, { ...F, amount_fen: F.amount }, box);
      }
    });
  });
  show();
  return h('details', { class: 'panel-sub', 'data-testid': 'use-details' }, h('summary', null, '登记使用'), form);
}
