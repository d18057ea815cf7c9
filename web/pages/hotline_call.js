// pages/hotline_call.js — a call and the case it opens, in one screen (#/hotline/new), and one
// call record with its corrections (#/hotline/call/ID).
//
// The form takes what the operator hears — line, time, duration, caller and phone, where (county
// → township → village), category, urgency, what was said — and what came of it: advice given, a
// referral, nothing to do, or a case. For a case the same screen takes the child (or the person in
// need), looked up in the registry where they are known (the guardian is then chosen among the
// household's members), the guardian's situation (on the child-protection line it decides whether
// the case is in scope: the server answers 409 out_of_scope with the reason), who cares for the
// child now, and a summary. One POST /api/v1/hotline/calls stores the call and opens the case.
//
// A call record is never edited: 更正 records a new version with a reason; the versions are listed
// oldest first. Phones are masked unless the user may see them (显示完整号码, audited).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { label, options } from '../labels.js';
import { dateTime } from '../format.js';
import {
  field, textInput, select, button, busy, formError, showServerError, loading, failure, notice,
  formDialog, emptyState,
} from '../ui.js';
import {
  CALL_OUTCOME_LABELS, CATEGORY_LABELS, URGENCY_LABELS, SITUATION_LABELS, CARE_LABELS,
  callHash, caseHash, facts, regionPicker, nowLocal, urgencyBadge, TIME_RE,
} from './hotline_common.js';

export default async function render(el, ctx, id) {
  if (id) return renderCall(el, ctx, id);
  return renderForm(el, ctx);
}

const textarea = (props = {}) => h('textarea', { rows: '3', ...props });

// ---------------------------------------------------------------- the form

async function renderForm(el, ctx) {
  ctx.setTitle('登记来电');
  loading(el);
  let lines;
  try {
    lines = (await get('/api/v1/hotline/lines')).items.filter((l) => l.active);
  } catch (err) {
    failure(el, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!lines.length) {
    replace(el, h('section', { class: 'panel' }, h('h1', null, '登记来电'), emptyState('尚未设置热线，请市局管理员先设置热线', 'hotline-no-lines')));
    return;
  }
  const byCode = Object.fromEntries(lines.map((l) => [l.code, l]));
  const f = {};
  const add = (name, lbl, input, opts = {}) => {
    f[name] = field({ label: lbl, input, testid: `call-${name.replace(/^case\./, 'case-').replace(/_/g, '-')}`, ...opts });
    return f[name].wrap;
  };
  const box = formError('call-form-error');
  const region = regionPicker({ testid: 'call-region' });
  const wLine = add('line_code', '热线', select(lines.map((l) => ({ value: l.code, label: `${l.name}（${l.number}）` })), { value: lines[0].code }), { required: true });
  const wTime = add('called_at', '来电时间', textInput({ value: nowLocal(), placeholder: 'YYYY-MM-DDTHH:MM' }), { hint: '北京时间；事后补录时改为实际来电时间' });
  const wDur = add('duration_seconds', '通话时长（分钟）', textInput({ inputmode: 'numeric', value: '', placeholder: '如 5' }));
  const wName = add('caller_name', '来电人', textInput({ placeholder: '不愿透露可留空（记为匿名）' }));
  const wPhone = add('caller_phone', '来电电话', textInput({ inputmode: 'tel', placeholder: '手机或固话' }));
  const wAddr = add('address', '详细地址', textInput());
  const wCat = add('category', '来电类别', select(options(CATEGORY_LABELS), { placeholder: '请选择' }), { required: true });
  const wUrg = add('urgency', '紧急程度', select(options(URGENCY_LABELS), { value: 'normal' }), { required: true });
  const wDesc = add('description', '来电内容', textarea({ rows: '4' }), { required: true, wide: true });
  const wOut = add('outcome', '处理结果', select(options(CALL_OUTCOME_LABELS), { value: 'advice' }), { required: true });
  const wAdv = add('advice', '给予的建议 / 转介去向', textarea(), { wide: true });
  const wCb = add('callback_due', '约定回电时间', textInput({ placeholder: 'YYYY-MM-DDTHH:MM（不约定可留空）' }));

  // the case part
  const person = { subject: null, household: null };
  const wSubj = add('case.subject_name', '儿童 / 求助对象姓名', textInput(), { required: true });
  const search = textInput({ placeholder: '姓名或身份证号后 4–6 位', 'data-testid': 'case-person-q' });
  const found = h('div', { 'data-testid': 'case-person-results' });
  const picked = h('div', { class: 'muted', 'data-testid': 'case-person-picked' }, '未关联户籍人员');
  const findBtn = button('在户籍中查找', { 'data-testid': 'case-person-search' });
  const wId = add('case.subject_id_number', '身份证号', textInput({ placeholder: '已关联户籍人员时可不填' }));
  const wBirth = add('case.subject_birth_date', '出生日期', textInput({ placeholder: 'YYYY-MM-DD（无身份证号时填写）' }));
  const guardianSel = select([], { placeholder: '（不关联）' });
  const wGp = add('case.guardian_person_id', '监护人（户籍）', guardianSel);
  const wGn = add('case.guardian_name', '监护人姓名', textInput());
  const wGph = add('case.guardian_phone', '监护人电话', textInput({ inputmode: 'tel' }));
  const wSit = add('case.guardian_situation', '监护人情况', select(options(SITUATION_LABELS), { placeholder: '请选择' }));
  const wGnote = add('case.guardian_note', '监护情况说明', textarea(), { wide: true });
  const wCare = add('case.care_arrangement', '目前照料情况', select(options(CARE_LABELS), { placeholder: '请选择' }));
  const wCnote = add('case.care_note', '照料情况说明', textInput());
  const wSum = add('case.summary', '个案概要', textarea(), { wide: true, hint: '留空则用来电内容' });
  const wAsg = add('case.assigned_to', '责任人（用户名）', textInput({ placeholder: '如 county_370704，可留空' }));

  async function choosePerson(p) {
    person.subject = p;
    f['case.subject_name'].input.value = p.name;
    replace(picked, `已关联：${p.name}（${p.id_number}，${p.age ?? ''} 岁，${p.region_code}）`);
    replace(found);
    await region.set(p.region_code);
    try {
      const hh = await get(`/api/v1/households/${p.household_id}`);
      person.household = hh;
      while (guardianSel.options.length > 1) guardianSel.remove(1);
      for (const m of hh.members || []) {
        if (m.id === p.id) continue;
        guardianSel.appendChild(h('option', { value: String(m.id) }, `${m.name}（${m.relation === 'head' ? '户主' : m.relation}）`));
      }
      const head = (hh.members || []).find((m) => m.id === hh.head_person_id && m.id !== p.id);
      if (head) {
        guardianSel.value = String(head.id);
        f['case.guardian_name'].input.value = head.name;
      }
    } catch (err) {
      f['case.guardian_person_id'].setError(err.message);
    }
  }
  guardianSel.addEventListener('change', () => {
    const m = (person.household?.members || []).find((x) => String(x.id) === guardianSel.value);
    if (m) f['case.guardian_name'].input.value = m.name;
  });
  findBtn.addEventListener('click', () => busy(findBtn, async () => {
    const qv = search.value.trim();
    if (!qv) return;
    try {
      const r = await get('/api/v1/persons', { q: qv, limit: 10 });
      replace(found, r.items.length ? h('ul', { class: 'plain-list' }, r.items.map((p) => h('li', null,
        button('选择', { class: 'btn btn-small', 'data-testid': 'case-person-pick', onclick: () => choosePerson(p) }),
        ` ${p.name} ${p.id_number} ${p.age ?? ''} 岁 ${p.region_code}`))) : h('p', { class: 'muted' }, '户籍中没有找到，可直接填写姓名'));
    } catch (err) {
      replace(found, h('p', { class: 'form-error' }, err.message));
    }
  }));

  const caseSection = h('fieldset', { class: 'panel', 'data-testid': 'call-case-section', hidden: true },
    h('legend', null, '立案：儿童 / 求助对象'),
    h('div', { class: 'form-grid' }, h('div', { class: 'field field-wide' },
      h('label', null, '户籍查找'), h('div', { class: 'toolbar' }, search, findBtn), found, picked)),
    h('div', { class: 'form-grid' }, wSubj, wId, wBirth, wGp, wGn, wGph, wSit, wCare, wCnote, wGnote, wSum, wAsg));
  const sync = () => {
    const opens = f.outcome.input.value === 'case_opened';
    caseSection.hidden = !opens;
    const child = byCode[f.line_code.input.value]?.kind === 'child_protection';
    f['case.guardian_situation'].setLabel(child ? '监护人情况（儿童保护范围）' : '监护人情况');
    f.advice.wrap.hidden = !['advice', 'referred'].includes(f.outcome.input.value);
  };
  f.outcome.input.addEventListener('change', sync);
  f.line_code.input.addEventListener('change', () => {
    if (byCode[f.line_code.input.value]?.kind === 'child_protection' && !f.category.input.value) f.category.input.value = 'child_care';
    sync();
  });
  sync();

  const submit = button('保存', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'call-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'call-form' },
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, '登记来电'),
      h('a', { class: 'btn', href: '#/hotline' }, '返回工作台')), box.el,
    h('div', { class: 'form-grid' }, wLine, wTime, wDur, wName, wPhone, wCat, wUrg),
    h('h2', null, '所在地区'), region.wrap, h('div', { class: 'form-grid' }, wAddr, wDesc, wOut, wAdv, wCb)),
    caseSection,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    Object.values(f).forEach((x) => x.clearError());
    const v = (n) => f[n].input.value.trim();
    let bad = null;
    const need = (n, msg) => { if (!v(n)) { f[n].setError(msg); bad ??= f[n]; } };
    need('category', '请选择来电类别');
    need('description', '请填写来电内容');
    if (v('called_at') && !TIME_RE.test(v('called_at'))) { f.called_at.setError('时间应为 YYYY-MM-DDTHH:MM'); bad ??= f.called_at; }
    if (v('duration_seconds') && !/^\d{1,4}$/.test(v('duration_seconds'))) { f.duration_seconds.setError('请填写分钟数'); bad ??= f.duration_seconds; }
    if (!region.value()) { region.setError('请选择所在县市区'); bad ??= region.fields[0]; }
    const opens = v('outcome') === 'case_opened';
    if (opens) need('case.subject_name', '请填写姓名');
    if (bad) {
      bad.input.focus();
      return;
    }
    const body = {
      line_code: v('line_code'), called_at: v('called_at'), duration_seconds: Number(v('duration_seconds') || 0) * 60,
      caller_name: v('caller_name'), caller_phone: v('caller_phone'), region_code: region.value(), address: v('address'),
      category: v('category'), description: f.description.input.value.trim(), urgency: v('urgency'), outcome: v('outcome'),
      advice: f.advice.input.value.trim(), callback_due: v('callback_due'),
    };
    if (opens) {
      body.case = {
        subject_name: v('case.subject_name'), subject_id_number: v('case.subject_id_number'), subject_birth_date: v('case.subject_birth_date'),
        guardian_name: v('case.guardian_name'), guardian_phone: v('case.guardian_phone'), guardian_situation: v('case.guardian_situation'),
        guardian_note: f['case.guardian_note'].input.value.trim(), care_arrangement: v('case.care_arrangement'), care_note: v('case.care_note'),
        summary: f['case.summary'].input.value.trim(), assigned_to: v('case.assigned_to'),
      };
      if (person.subject) body.case.subject_person_id = person.subject.id;
      if (guardianSel.value) body.case.guardian_person_id = Number(guardianSel.value);
    }
    try {
      const r = await busy(submit, () => post('/api/v1/hotline/calls', body));
      notice(r.case_id ? `已登记来电并立案（个案 ${r.case_id}）` : '已登记来电');
      ctx.navigate(r.case_id ? caseHash(r.case_id) : callHash(r.id));
    } catch (err) {
      const fields = { ...f, region_code: region.fields[0] };
      showServerError(err, fields, box);
    }
  });
  replace(el, form);
}

// ---------------------------------------------------------------- one call

async function renderCall(el, ctx, id, unmask = false) {
  loading(el);
  let c;
  try {
    c = await get(`/api/v1/hotline/calls/${id}`, unmask ? { unmask: 1 } : undefined);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该来电记录，或不在您的管辖范围内' : '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`来电 ${c.id}`);
  const redraw = () => renderCall(el, ctx, c.id);
  const actions = [];
  if (!c.corrected_by_id) {
    actions.push(button('更正', {
      'data-testid': 'call-correct',
      onclick: async () => {
        const r = await formDialog({
          title: '更正来电记录',
          intro: '来电记录不能修改。更正会生成一条新记录并注明更正原因，原记录保留。只填写需要更正的项目。',
          fields: [
            { name: 'caller_name', label: '来电人', value: c.caller_name },
            { name: 'category', label: '来电类别', type: 'select', options: options(CATEGORY_LABELS), value: c.category },
            { name: 'urgency', label: '紧急程度', type: 'select', options: options(URGENCY_LABELS), value: c.urgency },
            { name: 'region_code', label: '地区代码', value: c.region_code },
            { name: 'description', label: '来电内容', value: c.description },
            { name: 'advice', label: '建议 / 转介去向', value: c.advice },
            { name: 'reason', label: '更正原因', required: true },
          ],
          submitLabel: '保存更正',
          onSubmit: (v) => {
            const body = { reason: v.reason };
            for (const k of ['caller_name', 'category', 'urgency', 'region_code', 'description', 'advice']) if (v[k] !== (c[k] ?? '')) body[k] = v[k];
            return post(`/api/v1/hotline/calls/${c.id}/corrections`, body);
          },
        });
        if (r && r.id) {
          notice('已记录更正');
          ctx.navigate(callHash(r.id));
        }
      },
    }));
  }
  if (c.callback_due && !c.callback_at && !c.corrected_by_id) {
    actions.push(button('已回电', {
      class: 'btn btn-primary', 'data-testid': 'call-callback',
      onclick: async () => {
        const r = await formDialog({
          title: '登记回电', fields: [{ name: 'note', label: '回电情况' }], submitLabel: '登记',
          onSubmit: (v) => post(`/api/v1/hotline/calls/${c.id}/callback`, { note: v.note }),
        });
        if (r) { notice('已登记回电'); redraw(); }
      },
    }));
  }
  if (ctx.can('registry.unmask') && c.masked && c.caller_phone) {
    actions.push(button('显示完整号码', { 'data-testid': 'call-unmask', onclick: () => renderCall(el, ctx, c.id, true) }));
  }
  if (c.case_id) actions.push(h('a', { class: 'btn', href: caseHash(c.case_id), 'data-testid': 'call-case-link' }, `个案 ${c.case_id}`));
  const versions = c.versions.length > 1 ? h('section', { class: 'panel' }, h('h2', null, '更正记录'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'call-versions' },
      h('thead', null, h('tr', null, ['编号', '记录时间', '记录人', '地区', '类别', '内容', '更正原因'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, c.versions.map((x) => h('tr', { 'data-testid': 'call-version', 'data-id': x.id },
        h('td', null, x.id === c.id ? `${x.id}（本条）` : h('a', { href: callHash(x.id) }, String(x.id))),
        h('td', { class: 'mono' }, dateTime(x.recorded_at)), h('td', null, x.recorded_by),
        h('td', null, x.region_name || x.region_code), h('td', null, label(CATEGORY_LABELS, x.category)),
        h('td', null, x.description), h('td', null, x.correction_reason || '')))))))
    : null;
  replace(el,
    h('section', { class: 'panel', 'data-testid': 'call-head' },
      h('div', { class: 'panel-head' }, h('h1', null, `来电 ${c.id}`, ' ', urgencyBadge(c.urgency)),
        h('div', { class: 'actions' }, actions)),
      c.corrected_by_id ? h('p', { class: 'form-error', 'data-testid': 'call-superseded' }, '此记录已被更正，最新记录：', h('a', { href: callHash(c.corrected_by_id) }, String(c.corrected_by_id))) : null,
      facts([
        ['热线', c.line_name, 'call-line'],
        ['来电时间', dateTime(c.called_at), 'call-time'],
        ['通话时长', `${Math.round(c.duration_seconds / 60)} 分钟`, null],
        ['来电人', c.caller_name, 'call-caller'],
        ['电话', c.caller_phone, 'call-phone'],
        ['地区', `${c.region_name}（${c.region_code}）`, 'call-region'],
        ['地址', c.address, null],
        ['类别', label(CATEGORY_LABELS, c.category), 'call-category'],
        ['接线员', c.operator, null],
        ['处理结果', label(CALL_OUTCOME_LABELS, c.outcome), 'call-outcome'],
        ['来电内容', c.description, 'call-description', true],
        c.advice ? ['建议 / 转介去向', c.advice, 'call-advice', true] : null,
        c.callback_due ? ['约定回电', `${dateTime(c.callback_due)}${c.callback_at ? `；已于 ${dateTime(c.callback_at)} 回电（${c.callback_by}）${c.callback_note ? '：' + c.callback_note : ''}` : '；尚未回电'}`, 'call-callback-state', true] : null,
        c.corrects_id ? ['更正', `更正第 ${c.corrects_id} 号记录：${c.correction_reason}`, 'call-correction', true] : null,
      ])),
    versions);
}
