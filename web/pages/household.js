// pages/household.js — one household (#/household/ID): its facts, its members, and the writes
// on it for users with registry.write: edit address/type/phone (PATCH), add a member (POST
// members), remove a member (DELETE with a reason), move a member to another household
// (POST /api/v1/persons/{id}/move). Users with registry.unmask may refetch with ?unmask=1 to
// see full ID numbers and phones; that read is audited server-side and the page says so.
// Server errors are shown next to the field named by error.field.

import { h, replace } from '../dom.js';
import { get, post, patch, del } from '../api.js';
import {
  RELATION_LABELS, RESIDENCE_LABELS, SEX_LABELS, PERSON_STATUS_LABELS, label, options,
} from '../labels.js';
import { dateTime } from '../format.js';
import {
  field, textInput, select, button, busy, formError, showServerError, notice, loading, failure,
  emptyState, formDialog, tagList, attachIdCheck, attachPhoneCheck,
} from '../ui.js';
import { requiredProblem, textProblem, LIMITS } from '../validate.js';

export default async function render(el, ctx) {
  const id = ctx.params[0];
  const page = { el, ctx, id, unmasked: false, hh: null };
  loading(el);
  try {
    const hh = await get(`/api/v1/households/${id}`);
    draw(page, hh, false);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该家庭，或不在您的管辖范围内' : '家庭档案加载失败');
  }
}

/* reload(page, unmask): fetch again (masked unless asked) and redraw. */
async function reload(page, unmask = false) {
  const hh = await get(`/api/v1/households/${page.id}`, unmask ? { unmask: 1 } : null);
  if (page.ctx.isCurrent()) draw(page, hh, unmask);
  return hh;
}

function draw(page, hh, unmasked) {
  const { el, ctx } = page;
  page.hh = hh;
  page.unmasked = unmasked;
  ctx.setTitle(`家庭档案 · ${hh.address || hh.id}`);
  const canWrite = ctx.can('registry.write');
  replace(el,
    infoPanel(page, hh, unmasked),
    membersPanel(page, hh, canWrite),
    canWrite ? editPanel(page, hh, unmasked) : null,
    canWrite ? addMemberPanel(page, hh) : null);
}

// ---------------------------------------------------------------- facts

function infoPanel(page, hh, unmasked) {
  const { ctx } = page;
  const members = hh.members || [];
  const head = members.find((m) => m.id === hh.head_person_id) || members.find((m) => m.relation === 'head');
  const actions = [];
  let note = null;
  if (ctx.can('registry.unmask')) {
    const btn = button(unmasked ? '恢复脱敏显示' : '显示完整信息', {
      class: 'btn', 'data-testid': 'unmask-button', 'aria-pressed': String(unmasked),
    });
    btn.addEventListener('click', async () => {
      try {
        await busy(btn, () => reload(page, !unmasked), '正在加载…');
      } catch (err) {
        if (err.status !== 401) notice(err.message, 'error'); // 401: app.js shows the login page
      }
    });
    actions.push(btn);
    if (unmasked) {
      note = h('p', { class: 'audit-note', role: 'status', 'data-testid': 'unmask-note' }, '此次查看已记录审计');
    }
  }
  const regionText = `${hh.region_name || ''}（${hh.region_code}）`;
  const facts = [
    ['户主', head ? head.name : '—', 'hh-detail-head'],
    ['地址', hh.address || '—', 'hh-detail-address'],
    ['村居', ctx.can('region.read') ? h('a', { href: `#/regions/${hh.region_code}` }, regionText) : regionText, 'hh-detail-region'],
    ['户籍类型', label(RESIDENCE_LABELS, hh.residence_type) || '—', 'hh-detail-residence'],
    ['联系电话', hh.phone || '—', 'hh-detail-phone'],
    ['在册人数', String(hh.member_count ?? members.filter((m) => m.status === 'active').length), 'hh-detail-member-count'],
    ['家庭编号', String(hh.id), 'hh-detail-id'],
    ['登记时间', dateTime(hh.created_at) || '—', 'hh-detail-created'],
    ['更新时间', dateTime(hh.updated_at) || '—', 'hh-detail-updated'],
  ];
  return h('section', { class: 'panel', 'data-testid': 'hh-detail', 'data-household-id': hh.id },
    h('div', { class: 'panel-head' },
      h('h1', null, '家庭档案', h('span', { class: 'muted h-sub' }, `${hh.region_name || ''} · ${head ? head.name + '户' : '#' + hh.id}`)),
      actions.length ? h('div', { class: 'actions' }, actions) : null),
    note,
    h('dl', { class: 'facts' }, facts.map(([k, v, t]) =>
      h('div', { class: 'fact' + (k === '地址' ? ' fact-wide' : '') }, h('dt', null, k), h('dd', { 'data-testid': t }, v)))));
}

// ---------------------------------------------------------------- members

function membersPanel(page, hh, canWrite) {
  const order = (m) => (m.status === 'active' ? 0 : 1) * 10 + (m.relation === 'head' ? 0 : 1);
  const members = [...(hh.members || [])].sort((a, b) => order(a) - order(b));
  if (!members.length) {
    return h('section', { class: 'panel' }, h('h2', null, '家庭成员'), emptyState('本户暂无成员', 'members-empty'));
  }
  const cols = ['姓名', '身份证号', '性别', '年龄', '与户主关系', '联系电话', '标签', '状态'];
  if (canWrite) cols.push('操作');
  const rows = members.map((m) => {
    const active = m.status === 'active' || !m.status;
    const ops = canWrite && active ? h('div', { class: 'row-actions' },
      button('迁移', { class: 'btn btn-small', 'data-testid': 'member-move', onclick: () => moveMember(page, m) }),
      button('移除', { class: 'btn btn-small btn-danger', 'data-testid': 'member-remove', onclick: () => removeMember(page, m) }))
      : null;
    return h('tr', { 'data-testid': 'member-row', 'data-person-id': m.id, class: active ? null : 'row-inactive' },
      h('td', { 'data-label': '姓名' }, m.name),
      h('td', { 'data-label': '身份证号', class: 'mono wide', 'data-testid': 'member-cell-id-number' }, m.id_number),
      h('td', { 'data-label': '性别' }, label(SEX_LABELS, m.sex)),
      h('td', { 'data-label': '年龄', class: 'num' }, m.age ?? ''),
      h('td', { 'data-label': '与户主关系', 'data-testid': 'member-cell-relation' }, label(RELATION_LABELS, m.relation)),
      h('td', { 'data-label': '联系电话', class: 'mono', 'data-testid': 'member-cell-phone' }, m.phone || ''),
      h('td', { 'data-label': '标签', class: 'wide' }, tagList(m.tags)),
      h('td', { 'data-label': '状态', 'data-testid': 'member-cell-status' }, label(PERSON_STATUS_LABELS, m.status || 'active')),
      canWrite ? h('td', { 'data-label': '操作', class: 'wide' }, ops) : null);
  });
  return h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', null, '家庭成员'),
      h('span', { class: 'muted' }, memberSummary(members))),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data responsive', 'data-testid': 'members-table' },
        h('caption', { class: 'sr-only' }, '家庭成员'),
        h('thead', null, h('tr', null, cols.map((c, i) => h('th', { scope: 'col', class: i === 3 ? 'num' : null }, c)))),
        h('tbody', null, rows))));
}

function memberSummary(members) {
  const active = members.filter((m) => (m.status || 'active') === 'active').length;
  const other = members.length - active;
  return other ? `在册 ${active} 人，另有 ${other} 条历史记录` : `在册 ${active} 人`;
}

async function removeMember(page, m) {
  const done = await formDialog({
    title: `移除成员：${m.name}`,
    intro: '移除后该成员记录作为历史保留，不再计入本户。户主在还有其他成员时不能移除。',
    submitLabel: '确认移除',
    danger: true,
    fields: [{
      name: 'reason', label: '移除原因', required: true, placeholder: '如：死亡、户籍迁出、重复登记',
      validate: (v) => textProblem(v, LIMITS.reasonChars, '原因'),
    }],
    onSubmit: ({ reason }) => del(`/api/v1/households/${page.id}/members/${m.id}`, { reason }),
  });
  if (!done) return;
  notice(`已移除成员 ${m.name}`);
  await safeReload(page);
}

async function moveMember(page, m) {
  const target = await formDialog({
    title: `迁移成员：${m.name}`,
    intro: '将该成员迁入另一户（两户均须在您的管辖范围内），迁移记录保留在个人历史中。',
    submitLabel: '确认迁移',
    fields: [
      {
        name: 'household_id', label: '迁入家庭编号', type: 'number', required: true, placeholder: '如 7',
        validate: (v) => (!/^[1-9]\d*$/.test(v) ? '家庭编号应为正整数'
          : (v === String(page.id) ? '该人员已在这一户' : '')),
      },
      { name: 'relation', label: '在新家庭中的关系', type: 'select', required: true, options: options(RELATION_LABELS) },
      { name: 'reason', label: '迁移原因', placeholder: '如：结婚、分户', validate: (v) => textProblem(v, LIMITS.reasonChars, '原因') },
    ],
    onSubmit: async ({ household_id: hid, relation, reason }) => {
      const body = { household_id: Number(hid), relation };
      if (reason) body.reason = reason;
      await post(`/api/v1/persons/${m.id}/move`, body);
      return hid;
    },
  });
  if (!target) return;
  notice(`已将 ${m.name} 迁入家庭 #${target}`);
  await safeReload(page);
}

async function safeReload(page) {
  try {
    await reload(page, false);
  } catch (err) {
    failure(page.el, err);
  }
}

// ---------------------------------------------------------------- edit household

function editPanel(page, hh, unmasked) {
  const address = field({ label: '地址', input: textInput({ value: hh.address || '' }), testid: 'edit-address', wide: true });
  const residence = field({
    label: '户籍类型',
    input: select(options(RESIDENCE_LABELS), { value: hh.residence_type || '' , placeholder: hh.residence_type ? undefined : '请选择' }),
    testid: 'edit-residence',
  });
  // A masked phone can't be sent back, so the field starts empty unless the page is unmasked.
  const phone = field({
    label: '联系电话',
    input: textInput({ type: 'tel', inputmode: 'tel', value: unmasked ? hh.phone || '' : '', placeholder: unmasked ? '' : '不修改请留空' }),
    testid: 'edit-phone',
    hint: !unmasked && hh.phone ? `当前：${hh.phone}` : '',
  });
  const checkPhone = attachPhoneCheck(phone);
  const box = formError('edit-error');
  const submit = button('保存修改', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'edit-submit' });
  const fields = { address, residence_type: residence, phone };

  const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'edit-title' },
    h('h2', { id: 'edit-title' }, '修改家庭信息'),
    box.el,
    h('div', { class: 'form-grid' }, address.wrap, residence.wrap, phone.wrap),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    Object.values(fields).forEach((f) => f.clearError());
    const body = {};
    const a = address.input.value.trim();
    address.setError(textProblem(a, LIMITS.addressChars, '地址'));
    if (a !== (hh.address || '')) body.address = a;
    const r = residence.input.value;
    if (r && r !== hh.residence_type) body.residence_type = r;
    const p = checkPhone();
    // Blank means "unchanged" (the field starts blank when the phone is masked).
    if (p.value && p.value !== hh.phone) body.phone = p.value;
    if (address.input.classList.contains('invalid') || !p.ok) return;
    if (!Object.keys(body).length) {
      box.set('没有需要保存的修改');
      return;
    }
    try {
      const updated = await busy(submit, () => patch(`/api/v1/households/${page.id}`, body), '正在保存…');
      notice('家庭信息已保存');
      if (page.ctx.isCurrent()) draw(page, updated, false);
    } catch (err) {
      showServerError(err, fields, box);
    }
  });
  return form;
}

// ---------------------------------------------------------------- add member

function addMemberPanel(page) {
  const idf = field({
    label: '身份证号',
    input: textInput({ autocapitalize: 'characters', placeholder: '18位，末位可为 X' }),
    testid: 'detail-add-id', required: true,
  });
  const name = field({ label: '姓名', input: textInput(), testid: 'detail-add-name', required: true });
  const relation = field({
    label: '与户主关系',
    input: select(options(RELATION_LABELS).filter((o) => o.value !== 'head'), { placeholder: '请选择' }),
    testid: 'detail-add-relation', required: true,
  });
  const phone = field({ label: '联系电话', input: textInput({ type: 'tel', inputmode: 'tel' }), testid: 'detail-add-phone' });
  const checkId = attachIdCheck(idf);
  const checkPhone = attachPhoneCheck(phone);
  const box = formError('detail-add-error');
  const submit = button('添加成员', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'detail-add-submit' });
  const fields = { id_number: idf, name, relation, phone };

  const form = h('form', { class: 'panel', novalidate: true, 'aria-labelledby': 'add-title' },
    h('h2', { id: 'add-title' }, '添加成员'),
    box.el,
    h('div', { class: 'form-grid' }, idf.wrap, name.wrap, relation.wrap, phone.wrap),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const id = checkId();
    name.setError(requiredProblem(name.input.value, '请填写姓名') || textProblem(name.input.value, LIMITS.nameChars, '姓名'));
    relation.setError(requiredProblem(relation.input.value, '请填写与户主关系'));
    const p = checkPhone();
    const bad = [idf, name, relation, phone].find((f) => f.input.classList.contains('invalid'));
    if (bad || !id.ok || !p.ok) {
      (bad || idf).input.focus();
      return;
    }
    const body = { id_number: id.value, name: name.input.value.trim(), relation: relation.input.value };
    if (p.value) body.phone = p.value;
    try {
      const person = await busy(submit, () => post(`/api/v1/households/${page.id}/members`, body), '正在添加…');
      notice(`已添加成员 ${(person && person.name) || body.name}`);
      await safeReload(page);
    } catch (err) {
      // A field may come back as "id_number" or "members[0].id_number".
      const f = err.field ? err.field.replace(/^members\[\d+\]\./, '') : '';
      showServerError({ ...err, message: err.message, field: f }, fields, box);
    }
  });
  return form;
}
