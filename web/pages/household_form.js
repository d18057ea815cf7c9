// pages/household_form.js — register a new household (#/household/new[?region=CODE]).
// Village code (12 digits, looked up to show its name), address, residence type, phone, and a
// list of members (ID number, name, relation, phone) with rows added and removed in place;
// exactly one member is 户主. Checks run as the person types and on blur (ID check digit via
// idnum.js, phone format); submit POSTs /api/v1/households and opens the new household on 201.
// A 4xx error is shown next to the field it names ("members[1].id_number" → that row's ID
// input) and everything typed is kept.
//
// Member rows are indexed by their current position: after a row is removed the rest are
// renumbered, so data-testids (member-id-0, member-error-id-0, …) always match what the server
// would call members[i].

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { RELATION_LABELS, RESIDENCE_LABELS, LEVEL_LABELS, label, options } from '../labels.js';
import {
  field, textInput, select, button, busy, formError, attachIdCheck, attachPhoneCheck,
} from '../ui.js';
import { villageCodeProblem, requiredProblem, textProblem, LIMITS } from '../validate.js';

// Server field suffix (members[i].X) → the key of that row's field object.
const MEMBER_FIELDS = { id_number: 'idf', name: 'name', relation: 'relation', phone: 'phone' };

export default async function render(el, ctx) {
  ctx.setTitle('新增家庭');
  const user = ctx.user;
  const initialRegion = ctx.query.get('region') || ((user.region_code || '').length === 12 ? user.region_code : '');

  // ---- household fields
  const region = field({
    label: '村居代码',
    input: textInput({ inputmode: 'numeric', value: initialRegion, placeholder: '12位村（社区）代码' }),
    testid: 'hh-region', required: true,
  });
  region.hint.setAttribute('data-testid', 'hh-region-name');
  const address = field({ label: '家庭住址', input: textInput({ placeholder: '如：某村某街某号' }), testid: 'hh-address', wide: true });
  const residence = field({
    label: '户籍类型',
    input: select(options(RESIDENCE_LABELS), { placeholder: '请选择' }),
    testid: 'hh-residence', required: true,
  });
  const phone = field({ label: '联系电话', input: textInput({ type: 'tel', inputmode: 'tel', placeholder: '手机或座机，如 0536-8123456' }), testid: 'hh-phone' });
  const checkPhone = attachPhoneCheck(phone);
  const checkRegion = attachRegionLookup(region);
  if (initialRegion) checkRegion();

  // ---- members
  const rows = [];
  const list = h('div', { class: 'member-list', 'data-testid': 'member-list' });
  const membersError = h('div', { class: 'field-error', 'data-testid': 'members-error', 'aria-live': 'polite' });
  const addBtn = button('＋ 添加成员', { class: 'btn', 'data-testid': 'add-member' });

  const renumber = () => {
    rows.forEach((r, i) => r.setIndex(i));
    rows.forEach((r) => { r.removeBtn.disabled = rows.length === 1; });
    addBtn.disabled = rows.length >= LIMITS.members;
    addBtn.title = addBtn.disabled ? `每户最多 ${LIMITS.members} 名成员` : '';
  };
  const checkHeads = () => {
    const heads = rows.filter((r) => r.relation.input.value === 'head').length;
    const msg = heads === 1 ? '' : `每户须有且只有一名户主，实有 ${heads} 名`;
    membersError.textContent = msg;
    return msg;
  };
  const addRow = (relation = '') => {
    const r = memberRow({ relation, onRemove: () => {
      const i = rows.indexOf(r);
      if (i < 0 || rows.length === 1) return;
      rows.splice(i, 1);
      r.el.remove();
      renumber();
      if (membersError.textContent) checkHeads();
      (rows[Math.min(i, rows.length - 1)].idf.input).focus();
    }, onRelation: () => { if (membersError.textContent) checkHeads(); } });
    rows.push(r);
    list.appendChild(r.el);
    renumber();
    return r;
  };
  addBtn.addEventListener('click', () => {
    if (rows.length < LIMITS.members) addRow().idf.input.focus();
  });
  addRow('head');

  // ---- form
  const box = formError('form-error');
  const submit = button('提交登记', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'hh-submit' });
  const cancel = h('a', { class: 'btn', href: '#/search', 'data-testid': 'hh-cancel' }, '取消');
  const form = h('form', { class: 'hh-form', novalidate: true, 'aria-labelledby': 'hh-title' },
    h('section', { class: 'panel' },
      h('h1', { id: 'hh-title' }, '新增家庭'),
      box.el,
      h('h2', null, '家庭信息'),
      h('div', { class: 'form-grid' }, region.wrap, residence.wrap, phone.wrap, address.wrap)),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, '家庭成员'),
        h('span', { class: 'muted' }, '性别、出生日期由身份证号自动得出')),
      membersError, list,
      h('div', { class: 'actions' }, addBtn)),
    h('div', { class: 'actions actions-sticky' }, submit, cancel));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    // Client checks first (the server checks everything again).
    const problems = [];
    const regionOk = checkRegion();
    if (!regionOk) problems.push(region.input);
    address.setError(textProblem(address.input.value, LIMITS.addressChars, '地址'));
    if (address.error.textContent) problems.push(address.input);
    residence.setError(requiredProblem(residence.input.value, '请选择城乡类别'));
    if (residence.error.textContent) problems.push(residence.input);
    const p = checkPhone();
    if (!p.ok) problems.push(phone.input);
    const members = [];
    const seen = new Map();
    rows.forEach((r, i) => {
      const m = r.check();
      if (!m.ok) problems.push(m.first);
      if (m.idValue && m.idOk) {
        if (seen.has(m.idValue)) {
          r.idf.setError(`身份证号与第 ${seen.get(m.idValue) + 1} 位成员重复`);
          problems.push(r.idf.input);
        } else seen.set(m.idValue, i);
      }
      members.push(m.body);
    });
    if (checkHeads()) problems.push(rows[0].relation.input);
    if (problems.length) {
      box.set('请修正标出的项目后再提交');
      problems[0].focus();
      return;
    }
    const body = {
      region_code: region.input.value.trim(),
      address: address.input.value.trim(),
      residence_type: residence.input.value,
      members,
    };
    if (p.value) body.phone = p.value;
    try {
      const hh = await busy(submit, () => post('/api/v1/households', body), '正在提交…');
      ctx.navigate(`#/household/${hh.id}`);
    } catch (err) {
      showError(err);
    }
  });

  // Server error → the input it names, plus the message at the top of the form.
  const showError = (err) => {
    box.set(err.message || '提交失败');
    const f = err.field || '';
    const top = { region_code: region, address, residence_type: residence, phone }[f];
    const m = /^members\[(\d+)\](?:\.(\w+))?$/.exec(f);
    let target = null;
    if (top) target = top;
    else if (m && rows[Number(m[1])]) {
      const r = rows[Number(m[1])];
      target = r[MEMBER_FIELDS[m[2]]] || r.idf;
    } else if (f === 'members' || err.code === 'head_count') {
      membersError.textContent = err.message;
    }
    if (target) {
      target.setError(err.message);
      target.input.focus();
    }
  };

  replace(el, form);
  (initialRegion ? address : region).input.focus();
}

/* attachRegionLookup(f): on blur (and before submit) check the code has 12 digits and, when
 * it changed, look it up (GET /api/v1/regions/CODE) to show "县区 镇街 村居" under the input.
 * Returns check() → true when the format is right (the lookup result only informs). */
function attachRegionLookup(f) {
  let lastLooked = '';
  let token = 0;
  const lookup = async (code) => {
    if (code === lastLooked) return;
    lastLooked = code;
    const my = ++token;
    f.setHint('正在查询区划…');
    try {
      const r = await get(`/api/v1/regions/${code}`);
      if (my !== token) return;
      const path = (r.ancestors || []).filter((a) => a.level !== 'province' && a.level !== 'city').map((a) => a.name);
      path.push(r.name);
      f.setHint(path.join(' '));
      if (r.level && r.level !== 'village') f.setError(`这是${label(LEVEL_LABELS, r.level)}代码，请填写村（社区）代码`);
    } catch (err) {
      if (my !== token) return;
      f.setHint('');
      f.setError(err.status === 404 ? '区划不存在，或不在您的管辖范围内' : '');
      if (err.status !== 404) lastLooked = '';
    }
  };
  const check = () => {
    const code = f.input.value.trim();
    const msg = villageCodeProblem(code);
    if (msg) {
      f.setError(msg);
      f.setHint('');
      lastLooked = '';
      return false;
    }
    if (code !== lastLooked) {
      f.setError('');
      lookup(code);
    }
    return !f.input.classList.contains('invalid');
  };
  f.input.addEventListener('input', () => {
    const code = f.input.value.trim();
    if (/\D/.test(code)) f.setError('区划代码应为数字');
    else if (code.length === 12) check();
    else {
      f.setError('');
      f.setHint('');
      lastLooked = '';
    }
  });
  f.input.addEventListener('blur', () => {
    if (f.input.value.trim() !== '') check();
  });
  return check;
}

/* memberRow({relation, onRemove, onRelation}) → one member's inputs as a fieldset, with
 * setIndex(i) to renumber its labels and test ids and check() → {ok, first, body, idValue}. */
function memberRow({ relation, onRemove, onRelation }) {
  const idf = field({ label: '身份证号', input: textInput({ autocapitalize: 'characters', placeholder: '18位，末位可为 X' }), testid: 'member-id', required: true });
  const name = field({ label: '姓名', input: textInput(), testid: 'member-name', required: true });
  const rel = field({ label: '与户主关系', input: select(options(RELATION_LABELS), { placeholder: '请选择', value: relation }), testid: 'member-relation', required: true });
  const phone = field({ label: '联系电话', input: textInput({ type: 'tel', inputmode: 'tel' }), testid: 'member-phone' });
  const checkId = attachIdCheck(idf);
  const checkPhone = attachPhoneCheck(phone);
  rel.input.addEventListener('change', () => {
    rel.setError(requiredProblem(rel.input.value, '请填写与户主关系'));
    onRelation();
  });
  name.input.addEventListener('input', () => { if (name.input.value.trim()) name.setError(''); });
  const legend = h('legend', null, '');
  const removeBtn = button('删除', { class: 'btn btn-small btn-danger', onclick: onRemove });
  const el = h('fieldset', { class: 'member-row' },
    legend,
    h('div', { class: 'member-row-body' },
      h('div', { class: 'form-grid' }, idf.wrap, name.wrap, rel.wrap, phone.wrap),
      h('div', { class: 'row-actions' }, removeBtn)));
  return {
    el, idf, name, relation: rel, phone, removeBtn,
    setIndex(i) {
      legend.textContent = `成员 ${i + 1}`;
      el.setAttribute('data-testid', `member-row-${i}`);
      idf.setTestIds(`member-id-${i}`, `member-error-id-${i}`);
      name.setTestIds(`member-name-${i}`, `member-error-name-${i}`);
      rel.setTestIds(`member-relation-${i}`, `member-error-relation-${i}`);
      phone.setTestIds(`member-phone-${i}`, `member-error-phone-${i}`);
      removeBtn.setAttribute('data-testid', `member-remove-${i}`);
      removeBtn.setAttribute('aria-label', `删除成员 ${i + 1}`);
    },
    check() {
      const id = checkId();
      name.setError(requiredProblem(name.input.value, '请填写姓名') || textProblem(name.input.value, LIMITS.nameChars, '姓名'));
      rel.setError(requiredProblem(rel.input.value, '请填写与户主关系'));
      const p = checkPhone();
      const first = [idf, name, rel, phone].find((f) => f.input.classList.contains('invalid'));
      const body = { id_number: id.value, name: name.input.value.trim(), relation: rel.input.value };
      if (p.value) body.phone = p.value;
      return { ok: !first, first: first && first.input, body, idValue: id.value, idOk: id.ok };
    },
  };
}
