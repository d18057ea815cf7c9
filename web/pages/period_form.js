// period_form.js — the form over a statistics page: a period (two months or two dates) and a
// management unit from GET /api/v1/units, checked in the page before it navigates to the page's
// own hash. Used by report.js (months), stats.js and institutions_report.js (dates); each page
// keeps its own labels, messages and test ids.

import { h } from '../dom.js';
import { field, textInput, select, button, formError } from '../ui.js';

/*
 * periodUnitForm({
 *   units,                       // GET /api/v1/units answer
 *   from, to, unit,              // current values
 *   re,                          // the pattern both ends must match
 *   input: {placeholder, maxlength, inputmode?},
 *   labels: [fromLabel, toLabel],
 *   messages: {from, to, order}, // bad from, bad to, to before from
 *   unitName,                    // the select's name ('county' or 'unit')
 *   testids: {from, to, unit, submit, error},
 *   navigate(from, to, unit),    // called with valid values
 * }) → {form, box, fields: {from, to, unit}} (box.el goes above the form; fields for
 * showServerError).
 */
export function periodUnitForm(o) {
  const input = (name, value) => textInput({ name, value, placeholder: o.input.placeholder, maxlength: o.input.maxlength, ...(o.input.inputmode ? { inputmode: o.input.inputmode } : {}) });
  const ff = field({ label: o.labels[0], input: input('from', o.from), testid: o.testids.from, required: true });
  const tf = field({ label: o.labels[1], input: input('to', o.to), testid: o.testids.to, required: true });
  const uf = field({
    label: '管理单位',
    input: select((o.units.items || []).map((u) => ({ value: u.code, label: `${u.code} ${u.name}` })), { name: o.unitName, value: o.unit, placeholder: '管辖范围内全部' }),
    testid: o.testids.unit,
  });
  const box = formError(o.testids.error);
  const submit = button('统计', { type: 'submit', class: 'btn btn-primary', 'data-testid': o.testids.submit });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, ff.wrap, tf.wrap, uf.wrap), h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = ff.input.value.trim(), t = tf.input.value.trim();
    const okF = o.re.test(f), okT = o.re.test(t);
    ff.setError(okF ? '' : o.messages.from);
    tf.setError(!okT ? o.messages.to : okF && t < f ? o.messages.order : '');
    if (!okF || !okT || t < f) return;
    o.navigate(f, t, uf.input.value);
  });
  return { form, box, fields: { from: ff, to: tf, unit: uf } };
}
