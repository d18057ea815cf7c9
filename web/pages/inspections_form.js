// pages/inspections_form.js — recording a visit (#/inspections/new): the team, what was
// inspected (a county, township or village by its code, or an institution from the registry),
// the day, and a result for every checklist item that applies. An item judged 不符合 opens its
// finding: what was found, the rectification deadline (empty: the policy's default period),
// or 立行立改 (fixed on site). POST /api/v1/inspections; every failed item the server turns into
// a rectification item, and the page opens the recorded visit.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, uid } from '../ui.js';
import { DATE_RE, today, tabs } from './inspections_common.js';

export async function renderForm(el, ctx) {
  ctx.setTitle('记录督导检查');
  loading(el);
  let teams, checklist;
  try {
    [teams, checklist] = await Promise.all([get('/api/v1/inspection-teams'), get('/api/v1/inspection-checklist')]);
  } catch (err) {
    failure(el, err, '检查项加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const cityUser = (ctx.user.region_code || '').length <= 4;
  const teamOpts = teams.items.filter((t) => t.active).map((t) => ({ value: String(t.id), label: t.name }));
  const tf = field({
    label: '督导组',
    input: select(teamOpts, { placeholder: cityUser ? '请选择' : '本单位自行检查', value: teamOpts.length === 1 && cityUser ? teamOpts[0].value : '' }),
    testid: 'insp-team',
    required: cityUser,
  });
  const kf = field({ label: '检查对象', input: select([{ value: 'region', label: '县市区 / 镇街 / 村居' }, { value: 'institution', label: '服务机构' }], { value: 'region' }), testid: 'insp-kind' });
  const rf = field({ label: '区划代码', input: textInput({ maxlength: '12', inputmode: 'numeric', placeholder: '如 370704 或 370704003' }), testid: 'insp-region', required: true, hint: '被检查的县市区、镇街或村居的代码' });
  const instSearch = field({ label: '查找机构', input: textInput({ maxlength: '30', placeholder: '机构名称中的字' }), testid: 'insp-inst-q' });
  const instPick = field({ label: '机构', input: select([], { placeholder: '请先查找' }), testid: 'insp-institution', required: true });
  const df = field({ label: '检查日期', input: textInput({ value: today(), maxlength: '10', placeholder: 'YYYY-MM-DD' }), testid: 'insp-date', required: true });
  const pf = field({ label: '检查人员', input: textInput({ maxlength: '200', placeholder: '姓名，以顿号分隔' }), testid: 'insp-inspectors' });
  const sf = field({ label: '检查情况', input: h('textarea', { rows: '2', maxlength: '1000' }), testid: 'insp-summary', wide: true });
  const instRow = h('div', { class: 'form-grid', hidden: true }, instSearch.wrap, instPick.wrap);
  const regionRow = h('div', { class: 'form-grid' }, rf.wrap);
  let institutions = [];
  async function findInstitutions() {
    try {
      const r = await get('/api/v1/institutions', { q: instSearch.input.value.trim(), limit: 200 });
      institutions = r.items || [];
      replace(instPick.input, h('option', { value: '' }, institutions.length ? '请选择' : '没有找到机构'),
        institutions.map((i) => h('option', { value: String(i.id) }, `${i.name}（${i.region_name || i.region_code}）`)));
      instPick.setError('');
    } catch (err) {
      instPick.setError(err.message);
    }
  }
  instSearch.input.addEventListener('change', findInstitutions);

  // the checklist, redrawn when the kind of target changes
  const rows = new Map(); // code → {item, result, note, deadline, onsite}
  const listBox = h('div');
  function drawChecklist() {
    const kind = kf.input.value;
    const items = checklist.items.filter((it) => it.applies_to === 'all' || it.applies_to === kind);
    const trs = items.map((it) => {
      const prev = rows.get(it.code);
      const result = select([{ value: 'pass', label: '符合' }, { value: 'fail', label: '不符合' }, { value: 'na', label: '不适用' }],
        { placeholder: '请选择', value: prev ? prev.result.value : '', 'data-testid': `insp-result-${it.code}`, 'aria-label': `${it.label} 检查结果` });
      const note = textInput({ maxlength: '200', value: prev ? prev.note.value : '', placeholder: '说明（不符合时写明问题）', 'data-testid': `insp-note-${it.code}`, 'aria-label': `${it.label} 说明` });
      const deadline = textInput({ maxlength: '10', value: prev ? prev.deadline.value : '', placeholder: '整改期限 YYYY-MM-DD（空：默认期限）', 'data-testid': `insp-deadline-${it.code}`, 'aria-label': `${it.label} 整改期限` });
      const onsiteId = uid('cb');
      const onsite = h('input', { type: 'checkbox', id: onsiteId, 'data-testid': `insp-onsite-${it.code}`, checked: prev ? prev.onsite.checked : false });
      const failBox = h('div', { class: 'checks', hidden: result.value !== 'fail' }, deadline,
        h('label', { class: 'check', for: onsiteId }, onsite, '立行立改（当场整改，不下发整改事项）'));
      const err = h('div', { class: 'field-error', 'data-testid': `insp-result-${it.code}-error` });
      result.addEventListener('change', () => { failBox.hidden = result.value !== 'fail'; err.textContent = ''; });
      rows.set(it.code, { item: it, result, note, deadline, onsite, err });
      return h('tr', { 'data-testid': 'insp-check-row', 'data-code': it.code },
        h('td', { 'data-label': '类别' }, it.category),
        h('td', { 'data-label': '检查内容' }, h('div', null, it.label), h('div', { class: 'field-hint' }, it.guidance)),
        h('td', { 'data-label': '结果' }, result, err),
        h('td', { 'data-label': '说明' }, note, failBox));
    });
    for (const code of [...rows.keys()]) if (!items.some((it) => it.code === code)) rows.delete(code);
    replace(listBox, h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'insp-checklist' },
      h('caption', { class: 'sr-only' }, '检查项'),
      h('thead', null, h('tr', null, ['类别', '检查内容', '结果', '说明 / 整改'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, trs))));
  }
  kf.input.addEventListener('change', () => {
    const inst = kf.input.value === 'institution';
    instRow.hidden = !inst;
    regionRow.hidden = inst;
    if (inst && !institutions.length) findInstitutions();
    drawChecklist();
  });
  drawChecklist();

  const box = formError('insp-form-error');
  const submit = button('保存检查记录', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'insp-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'insp-form' },
    h('div', { class: 'form-grid' }, tf.wrap, kf.wrap, df.wrap, pf.wrap), regionRow, instRow,
    h('div', { class: 'form-grid' }, sf.wrap),
    h('h2', null, '检查项'), listBox, box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const kind = kf.input.value;
    const body = {
      target_kind: kind,
      visited_on: df.input.value.trim(),
      inspectors: pf.input.value.trim(),
      summary: sf.input.value.trim(),
      results: [],
      findings: [],
    };
    if (tf.input.value) body.team_id = Number(tf.input.value);
    let bad = null;
    const mark = (f, msg) => { f.setError(msg); if (msg && !bad) bad = f.input; };
    mark(tf, cityUser && !tf.input.value ? '请选择督导组' : '');
    mark(df, DATE_RE.test(body.visited_on) ? (body.visited_on > today() ? '检查日期不能晚于今天' : '') : '日期应为 YYYY-MM-DD');
    if (kind === 'region') {
      body.region_code = rf.input.value.trim();
      mark(rf, /^\d{6}(\d{3})?(\d{3})?$/.test(body.region_code) ? '' : '区划代码应为 6、9 或 12 位数字');
    } else {
      const inst = institutions.find((i) => String(i.id) === instPick.input.value);
      mark(instPick, inst ? '' : '请选择机构');
      if (inst) {
        body.institution_id = inst.id;
        body.region_code = inst.region_code;
        body.target_name = inst.name;
      }
    }
    for (const [code, r] of rows) {
      r.err.textContent = '';
      if (!r.result.value) {
        r.err.textContent = '请选择结果';
        if (!bad) bad = r.result;
        continue;
      }
      const note = r.note.value.trim();
      body.results.push({ code, result: r.result.value, note });
      if (r.result.value !== 'fail') continue;
      const dl = r.deadline.value.trim();
      if (dl && !DATE_RE.test(dl)) {
        r.err.textContent = '整改期限应为 YYYY-MM-DD';
        if (!bad) bad = r.deadline;
        continue;
      }
      body.findings.push({
        code,
        description: note ? `${r.item.label}：${note}` : `不符合：${r.item.label}`,
        deadline: dl,
        fixed_on_site: r.onsite.checked,
      });
    }
    if (bad) {
      bad.focus();
      box.set('请补全标红的内容');
      return;
    }
    let v;
    try {
      v = await busy(submit, () => post('/api/v1/inspections', body));
    } catch (err) {
      const m = /^results\[(\d+)\]/.exec(err.field || '') || /^findings\[(\d+)\]/.exec(err.field || '');
      if (m) {
        const list = err.field.startsWith('results') ? body.results : body.findings;
        const r = list[Number(m[1])] && rows.get(list[Number(m[1])].code);
        if (r) r.err.textContent = err.message;
      }
      showServerError(err, { team_id: tf, visited_on: df, region_code: rf, institution_id: instPick, inspectors: pf, summary: sf }, box);
      return;
    }
    const n = v.rectifications.length;
    notice(n ? `已保存，下发整改事项 ${n} 项` : '已保存');
    ctx.navigate(`#/inspections/${v.id}`);
  });
  replace(el, tabs(ctx, 'new'), h('section', { class: 'panel' },
    h('h1', null, '记录督导检查'),
    h('p', { class: 'muted' }, '逐项判定检查结果。判为“不符合”的检查项自动生成整改事项，下发给被检查单位；未填整改期限的按政策参数规定的天数计算。'),
    form));
}
