// pages/ledger_entry.js — one ledger entry (#/ledger/entry/ID) and the record-a-visit form
// (#/ledger/entry/ID/visit).
//
// The entry page shows who the person is (ID number and phone masked; 显示完整 for roles with
// registry.unmask, audited by the server), their categories and visit frequency, the helper and
// the township's 24-hour number, the needs (open first) with 已解决 / 无法解决 / 发起临时救助, and
// every visit. Changes go through dialogs and redraw the page from the server's answer.
//
// The visit form is built for a phone: the day, the mode as big buttons, what was found and done,
// the needs as check boxes with a line each, and the open needs settled on this visit. It POSTs
// /api/v1/ledger/entries/ID/visits and returns to the entry.

import { h, replace } from '../dom.js';
import { get, post, patch } from '../api.js';
import { dateTime } from '../format.js';
import { field, textInput, button, busy, formDialog, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import {
  CATEGORY_LABELS, MANUAL_CATEGORIES, MODE_LABELS, NEED_LABELS, NEED_STATUS_LABELS, categoryBadges, dueBadge, entryHash,
  visitHash, helperText, ledgerTabs, today, DATE_RE,
} from './ledger_common.js';

function facts(list) {
  return h('dl', { class: 'facts' }, list.filter(Boolean).map(([dt, dd, testid, wide]) =>
    h('div', { class: 'fact' + (wide ? ' fact-wide' : '') }, h('dt', null, dt),
      h('dd', { 'data-testid': testid || null }, dd === '' || dd === null || dd === undefined ? '—' : dd))));
}

export async function renderEntry(el, ctx, id) {
  loading(el);
  let e;
  try {
    e = await get(`/api/v1/ledger/entries/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该对象，或不在您的管辖范围内' : '加载失败');
    return;
  }
  if (ctx.isCurrent()) draw(el, ctx, e);
}

function draw(el, ctx, e) {
  ctx.setTitle(`台账 · ${e.name}`);
  const redraw = (fresh) => { if (ctx.isCurrent()) draw(el, ctx, fresh); };
  replace(el, headPanel(e, ctx, redraw), needsPanel(e, ctx, redraw), visitsPanel(e));
}

function headPanel(e, ctx, redraw) {
  const active = e.status === 'active';
  const list = [
    ['姓名', `${e.name}${e.age !== null ? `（${e.age} 岁）` : ''}`, 'entry-name'],
    ['身份证号', e.id_number, 'entry-id-number'],
    ['电话', e.phone, 'entry-phone'],
    ['村居', `${e.region_name}（${e.region_code}）`, 'entry-region'],
    ['住址', e.address, null, true],
    ['困难类别', categoryBadges(e.categories), 'entry-categories', true],
    e.manual_categories.length ? ['手工登记的类别', categoryBadges(e.manual_categories), null, true] : null,
    ['走访频次', e.frequency_days ? `每 ${e.frequency_days} 天至少一次` : '未设置参数', 'entry-frequency'],
    ['纳入台账', `${e.joined_on}（${e.source === 'auto' ? '按名册、标签自动纳入' : '手工登记'}）`, null],
    ['上次走访', e.last_visit_on || '未走访', 'entry-last-visit'],
    ['应访', dueBadge(e), 'entry-next-due'],
    ['包帮责任人', helperText(e.helper), 'entry-helper'],
    ['24 小时值守电话', e.contact && e.contact.phone ? `${e.contact.phone}（${e.contact.township_name}）` : '未设置', 'entry-contact'],
    !active ? ['销号', `${e.closed_on} ${e.close_reason || ''}（${e.close_kind === 'auto' ? '自动' : '手工'}）`, 'entry-closed', true] : null,
    e.note ? ['备注', e.note, 'entry-note', true] : null,
  ];
  const actions = [];
  if (active) actions.push(h('a', { class: 'btn btn-primary', href: visitHash(e.id), 'data-testid': 'entry-visit' }, '记录走访'));
  actions.push(button('指定包帮责任人', { 'data-testid': 'entry-assign', onclick: () => assignDialog(e, redraw) }));
  actions.push(button('修改类别', { 'data-testid': 'entry-categories-edit', onclick: () => categoriesDialog(e, redraw) }));
  if (active) actions.push(button('销号', { class: 'btn btn-danger', 'data-testid': 'entry-close', onclick: () => closeDialog(e, redraw) }));
  else actions.push(button('恢复', { 'data-testid': 'entry-reopen', onclick: () => act(`/api/v1/ledger/entries/${e.id}/reopen`, {}, redraw, '已恢复') }));
  if (e.masked && ctx.can('registry.unmask')) {
    actions.push(button('显示完整证件号', {
      'data-testid': 'entry-unmask',
      onclick: async () => {
        try {
          redraw(await get(`/api/v1/ledger/entries/${e.id}`, { unmask: 1 }));
        } catch (err) {
          notice(err.message, 'error');
        }
      },
    }));
  }
  actions.push(h('a', { class: 'btn', href: `#/household/${e.household_id}` }, '家庭档案'));
  return h('section', { class: 'panel', 'data-testid': 'entry-head' },
    h('div', { class: 'panel-head' },
      h('h1', null, e.name, ' ', h('span', { class: active ? 'badge' : 'badge badge-muted', 'data-testid': 'entry-status', 'data-status': e.status }, active ? '在册' : '已销号')),
      h('a', { href: '#/ledger', class: 'muted' }, '返回台账')),
    ledgerTabs(ctx, ''),
    facts(list),
    h('div', { class: 'actions' }, actions));
}

async function act(path, body, redraw, done) {
  try {
    redraw(await post(path, body));
    notice(done);
  } catch (err) {
    notice(err.message, 'error');
  }
}

async function assignDialog(e, redraw) {
  let helpers = [];
  try {
    helpers = (await get('/api/v1/ledger/helpers', { region: e.region_code.slice(0, 9) })).items;
  } catch (err) {
    helpers = [];
  }
  const covering = helpers.filter((u) => e.region_code.startsWith(u.region_code) || u.region_code.length <= 6);
  const r = await formDialog({
    title: '指定包帮责任人',
    intro: '责任人须为该村（居）、镇（街道）或上级的台账工作人员；姓名和电话会告知群众，首次指定时必填。',
    fields: [
      { name: 'helper_username', label: '责任人（用户）', type: 'select', required: true, value: e.helper ? e.helper.username : '',
        options: covering.map((u) => ({ value: u.username, label: `${u.name || u.username}（${u.role_label}，${u.username}）` })) },
      { name: 'helper_name', label: '姓名', placeholder: '首次指定时必填' },
      { name: 'helper_phone', label: '联系电话', placeholder: '手机或固话' },
    ],
    submitLabel: '保存',
    onSubmit: (v) => post(`/api/v1/ledger/entries/${e.id}/assign`, v),
  });
  if (r) {
    redraw(r);
    notice('已指定包帮责任人');
  }
}

async function categoriesDialog(e, redraw) {
  // a small dialog of its own: check boxes are not among formDialog's field types
  const checks = MANUAL_CATEGORIES.map((c) => {
    const input = h('input', { type: 'checkbox', value: c, checked: e.manual_categories.includes(c) ? true : null, 'data-testid': `cat-${c}` });
    return { c, input, el: h('label', { class: 'check' }, input, CATEGORY_LABELS[c]) };
  });
  const note = h('textarea', { rows: '2', maxlength: '200', 'data-testid': 'cat-note' }, e.note || '');
  const box = formError('dialog-error');
  const save = button('保存', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'dialog-submit' });
  const cancel = button('取消', { 'data-testid': 'dialog-cancel' });
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { class: 'dialog-title' }, '手工登记的困难类别'),
    h('p', { class: 'dialog-intro' }, `按户籍标签和救助名册自动认定的类别：${e.auto_categories.map((c) => CATEGORY_LABELS[c]).join('、') || '无'}（在户籍登记中修改）。`),
    box.el, h('div', { class: 'checks' }, checks.map((x) => x.el)),
    h('label', null, '备注', note),
    h('div', { class: 'actions' }, save, cancel));
  const dlg = h('dialog', { class: 'dialog', 'data-testid': 'dialog', 'aria-label': '困难类别' }, form);
  document.body.appendChild(dlg);
  const close = () => { if (dlg.open) dlg.close(); dlg.remove(); };
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const r = await busy(save, () => patch(`/api/v1/ledger/entries/${e.id}`, {
        categories: checks.filter((x) => x.input.checked).map((x) => x.c), note: note.value.trim(),
      }));
      close();
      redraw(r);
      notice('已保存');
    } catch (err) {
      box.set(err.message);
    }
  });
  dlg.showModal();
}

async function closeDialog(e, redraw) {
  const r = await formDialog({
    title: '销号',
    intro: '销号后不再列入应访名单；自动同步不会恢复手工销号的对象。',
    fields: [{ name: 'reason', label: '销号原因', required: true, placeholder: '如：已入住养老机构' }],
    submitLabel: '销号',
    danger: true,
    onSubmit: (v) => post(`/api/v1/ledger/entries/${e.id}/close`, v),
  });
  if (r) {
    redraw(r);
    notice('已销号');
  }
}

// ---------------------------------------------------------------- needs

function needsPanel(e, ctx, redraw) {
  const rows = e.needs.map((n) => {
    const buttons = [];
    if (n.status === 'open') {
      buttons.push(button('已解决', { class: 'btn btn-small', 'data-testid': 'need-met', onclick: () => resolveDialog(e, n, 'met', redraw) }));
      buttons.push(button('无法解决', { class: 'btn btn-small', 'data-testid': 'need-unmet', onclick: () => resolveDialog(e, n, 'unmet', redraw) }));
      if (!n.relief_grant_id && ctx.can('assistance.write')) {
        buttons.push(button('发起临时救助', { class: 'btn btn-small btn-primary', 'data-testid': 'need-relief', onclick: () => reliefDialog(e, n, redraw) }));
      }
    }
    return h('tr', { 'data-testid': 'need-row', 'data-id': n.id, 'data-status': n.status },
      h('td', { 'data-label': '需求' }, NEED_LABELS[n.kind] || n.kind),
      h('td', { 'data-label': '说明' }, n.detail || ''),
      h('td', { 'data-label': '提出', class: 'mono' }, n.raised_on),
      h('td', { 'data-label': '状态' }, h('span', { class: n.status === 'open' ? 'badge badge-warn' : 'badge', 'data-testid': 'need-status' }, NEED_STATUS_LABELS[n.status]),
        n.relief_grant_id ? h('span', { class: 'badge', 'data-testid': 'need-grant' }, `临时救助 ${n.relief_grant_id}`) : null),
      h('td', { 'data-label': '处理' }, n.resolved_on ? `${n.resolved_on} ${n.resolution || ''}` : ''),
      h('td', { 'data-label': '操作' }, h('div', { class: 'row-actions' }, buttons)));
  });
  return h('section', { class: 'panel', 'data-testid': 'entry-needs' },
    h('h2', null, '需求', e.open_needs ? h('span', { class: 'badge badge-warn' }, `${e.open_needs} 项待解决`) : null),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
      h('thead', null, h('tr', null, ['需求', '说明', '提出', '状态', '处理', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows))) : emptyState('没有记录的需求', 'needs-empty'));
}

async function resolveDialog(e, n, status, redraw) {
  const r = await formDialog({
    title: status === 'met' ? `需求已解决：${NEED_LABELS[n.kind]}` : `需求无法解决：${NEED_LABELS[n.kind]}`,
    fields: [
      { name: 'resolution', label: status === 'met' ? '处理情况' : '原因', required: status === 'unmet', placeholder: status === 'met' ? '如：已送去米面油' : '如：本人拒绝' },
      { name: 'date', label: '日期', value: today(), validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') },
    ],
    onSubmit: (v) => post(`/api/v1/ledger/entries/${e.id}/needs/resolve`, { need_id: n.id, status, ...v }),
  });
  if (r) {
    redraw(r);
    notice('已处理');
  }
}

/* "1,000.50" → fen, or an error text. */
function yuanToFen(text) {
  const s = String(text || '').trim().replace(/,/g, '');
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { error: '金额应为元，最多两位小数' };
  return { value: Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) };
}

async function reliefDialog(e, n, redraw) {
  let opts = { causes: [], kinds: [], forms: [] };
  try {
    opts = await get('/api/v1/relief/options');
  } catch (err) {
    notice(err.message, 'error');
    return;
  }
  const r = await formDialog({
    title: '发起临时救助',
    intro: `为 ${e.name} 的需求（${NEED_LABELS[n.kind]}${n.detail ? `：${n.detail}` : ''}）发起临时救助，按临时救助的规则审核。`,
    fields: [
      { name: 'kind', label: '类型', type: 'select', required: true, value: 'emergency', options: opts.kinds.map((k) => ({ value: k.code, label: k.label })) },
      { name: 'cause', label: '事由', type: 'select', required: true, options: opts.causes.map((c) => ({ value: c.code, label: c.label })) },
      { name: 'amount', label: '金额（元）', required: true, validate: (v) => yuanToFen(v).error || '' },
      { name: 'form', label: '形式', type: 'select', value: 'cash', options: opts.forms.map((f) => ({ value: f.code, label: f.label })) },
      { name: 'pay_first', label: '先行救助（镇街备用金当即支付）', type: 'select', value: 'no', options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }] },
      { name: 'reason', label: '理由', value: n.detail || '' },
    ],
    submitLabel: '发起',
    onSubmit: (v) => post(`/api/v1/ledger/entries/${e.id}/relief`, {
      need_id: n.id, kind: v.kind, cause: v.cause, amount_fen: yuanToFen(v.amount).value, form: v.form || 'cash',
      pay_first: v.pay_first === 'yes', reason: v.reason,
    }),
  });
  if (r) {
    redraw(r);
    notice(`已发起临时救助（编号 ${r.grant_id}）`);
  }
}

// ---------------------------------------------------------------- visits

function visitsPanel(e) {
  const items = e.visit_list.map((v) => h('li', { 'data-testid': 'visit-item', 'data-id': v.id },
    h('div', { class: 'timeline-head' }, h('strong', { class: 'mono' }, v.visited_on), ' ', MODE_LABELS[v.mode] || v.mode, ' · ', v.visitor,
      v.late_days > 0 ? h('span', { class: 'badge badge-warn' }, `晚 ${v.late_days} 天`) : null),
    v.findings ? h('div', null, v.findings) : null,
    v.actions ? h('div', { class: 'muted' }, `措施：${v.actions}`) : null,
    v.needs.length ? h('div', null, '需求：', v.needs.map((n) => `${NEED_LABELS[n.kind]}${n.detail ? `（${n.detail}）` : ''}`).join('；')) : null,
    h('div', { class: 'muted' }, `登记：${v.recorded_by} ${dateTime(v.recorded_at)}`),
    h('a', { class: 'btn btn-small', href: `#/goods/distribute?ledger_visit=${v.id}&person=${e.id}`, 'data-testid': 'visit-goods' }, '发放物资')));
  return h('section', { class: 'panel', 'data-testid': 'entry-visits' },
    h('h2', null, `走访记录（${e.visits_total} 次）`),
    items.length ? h('ul', { class: 'timeline' }, items) : emptyState('还没有走访记录', 'visits-empty'));
}

// ---------------------------------------------------------------- the visit form

export async function renderVisit(el, ctx, id) {
  loading(el);
  let e;
  try {
    e = await get(`/api/v1/ledger/entries/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该对象，或不在您的管辖范围内' : '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`走访 · ${e.name}`);
  const df = field({ label: '走访日期', input: textInput({ value: today(), maxlength: '10', inputmode: 'numeric' }), testid: 'visit-date' });
  let mode = 'home';
  const modeButtons = ['home', 'phone', 'wechat', 'other'].map((m) => button(MODE_LABELS[m], {
    class: m === mode ? 'btn btn-primary' : 'btn', 'data-testid': `visit-mode-${m}`, 'aria-pressed': m === mode ? 'true' : 'false',
    onclick: () => {
      mode = m;
      for (const b of modeButtons) {
        const on = b.getAttribute('data-testid') === `visit-mode-${m}`;
        b.className = on ? 'btn btn-primary' : 'btn';
        b.setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    },
  }));
  const vf = field({ label: '走访人', input: textInput({ value: e.helper ? e.helper.name : '', placeholder: '默认为当前用户' }), testid: 'visit-visitor' });
  const ff = field({ label: '走访情况', input: h('textarea', { rows: '3', maxlength: '500', placeholder: '身体、生活、物资、心理状况' }), testid: 'visit-findings', wide: true });
  const af = field({ label: '采取的措施', input: h('textarea', { rows: '2', maxlength: '500' }), testid: 'visit-actions', wide: true });
  const needs = Object.entries(NEED_LABELS).map(([kind, text]) => {
    const check = h('input', { type: 'checkbox', 'data-testid': `visit-need-${kind}` });
    const detail = textInput({ placeholder: `${text}：具体需要`, 'data-testid': `visit-need-${kind}-detail`, hidden: true, maxlength: '200' });
    check.addEventListener('change', () => { detail.hidden = !check.checked; if (check.checked) detail.focus(); });
    return { kind, check, detail, el: h('div', { class: 'field' }, h('label', { class: 'check' }, check, text), detail) };
  });
  const open = e.needs.filter((n) => n.status === 'open').map((n) => {
    const check = h('input', { type: 'checkbox', 'data-testid': `visit-resolve-${n.id}` });
    return { n, check, el: h('label', { class: 'check' }, check, `${NEED_LABELS[n.kind]}${n.detail ? `：${n.detail}` : ''}（${n.raised_on}）已解决`) };
  });
  const box = formError('visit-error');
  const save = button('保存走访', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'visit-submit' });
  const form = h('form', { class: 'panel', novalidate: true, 'data-testid': 'visit-form' },
    h('div', { class: 'panel-head' }, h('h1', null, `走访：${e.name}`), h('a', { href: entryHash(e.id), class: 'muted' }, '返回')),
    h('p', { class: 'muted' }, categoryBadges(e.categories), ' ', e.address),
    box.el,
    df.wrap,
    h('div', { class: 'field' }, h('span', null, '方式'), h('div', { class: 'actions', role: 'group', 'aria-label': '走访方式' }, modeButtons)),
    vf.wrap, ff.wrap, af.wrap,
    h('h2', null, '收集的需求'), h('div', null, needs.map((x) => x.el)),
    open.length ? [h('h2', null, '本次解决的需求'), h('div', { class: 'checks' }, open.map((x) => x.el))] : null,
    h('div', { class: 'actions actions-sticky' }, save));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    box.clear();
    const day = df.input.value.trim();
    df.setError(DATE_RE.test(day) ? '' : '日期应为 YYYY-MM-DD');
    if (!DATE_RE.test(day)) return;
    const body = {
      visited_on: day, mode, visitor: vf.input.value.trim(), findings: ff.input.value.trim(), actions: af.input.value.trim(),
      needs: needs.filter((x) => x.check.checked).map((x) => ({ kind: x.kind, detail: x.detail.value.trim() })),
      resolve: open.filter((x) => x.check.checked).map((x) => ({ need_id: x.n.id, status: 'met', resolution: '走访时确认已解决' })),
    };
    try {
      await busy(save, () => post(`/api/v1/ledger/entries/${e.id}/visits`, body));
      notice('已记录走访');
      ctx.navigate(entryHash(e.id));
    } catch (err) {
      showServerError(err, { visited_on: df, visitor: vf, findings: ff, actions: af }, box);
    }
  });
  replace(el, form);
}
