// ui.js — the building blocks pages share: labelled form fields with an error line, selects,
// buttons, tag badges, a busy state for submit buttons, a modal form dialog (native <dialog>), a transient
// notice, and status/empty/error panels. Every input gets a <label for> and a data-testid;
// a field's error line is "<testid>-error" unless the caller names another.

import { h, replace } from './dom.js';
import { TAG_LABELS, label } from './labels.js';
import { validateIdNumber, partialIdProblem } from './idnum.js';
import { phoneProblem } from './validate.js';
import { validatePhone } from './phone.js';

let seq = 0;
/* uid(prefix) → a document-unique id for label/input pairs. */
export function uid(prefix = 'f') {
  seq += 1;
  return `${prefix}-${seq}`;
}

/* field({label, input, testid, errorTestid, hint, required, wide}) → {wrap, input, error, hint,
 * setError(msg), clearError(), setHint(text), setTestIds(testid, errorTestid), setLabel(text)}.
 * `input` is an <input>/<select>/<textarea> element built by the caller. */
export function field({ label, input, testid, errorTestid, hint = '', required = false, wide = false }) {
  const id = uid('in');
  const errorId = id + '-err';
  const hintId = id + '-hint';
  input.id = id;
  if (required) input.setAttribute('aria-required', 'true');
  input.setAttribute('aria-describedby', `${hintId} ${errorId}`);
  const labelEl = h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
  const hintEl = h('div', { class: 'field-hint', id: hintId }, hint);
  const errorEl = h('div', { class: 'field-error', id: errorId, 'aria-live': 'polite' });
  const wrap = h('div', { class: 'field' + (wide ? ' field-wide' : '') }, labelEl, input, hintEl, errorEl);
  const f = {
    wrap,
    input,
    error: errorEl,
    hint: hintEl,
    setError(msg) {
      errorEl.textContent = msg || '';
      input.classList.toggle('invalid', !!msg);
      if (msg) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
    clearError() {
      f.setError('');
    },
    setHint(text) {
      hintEl.textContent = text || '';
    },
    setLabel(text) {
      labelEl.firstChild.textContent = text;
    },
    setTestIds(t, et) {
      if (t) input.setAttribute('data-testid', t);
      errorEl.setAttribute('data-testid', et || `${t}-error`);
    },
  };
  f.setTestIds(testid, errorTestid);
  return f;
}

/* textInput(props) → <input type=text> with sensible defaults for this system. */
export function textInput(props = {}) {
  return h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...props });
}

/* select(opts, props) — opts [{value, label}]; props.placeholder adds a first empty option. */
export function select(opts, props = {}) {
  const { placeholder, ...rest } = props;
  return h('select', rest,
    placeholder !== undefined ? h('option', { value: '' }, placeholder) : null,
    opts.map((o) => h('option', { value: o.value }, o.label)));
}

/* button(text, props) — type="button" unless props.type says otherwise. */
export function button(text, props = {}) {
  return h('button', { type: 'button', class: 'btn', ...props }, text);
}

/* busy(btn, fn): disable btn and show "处理中…" while the async fn runs; returns fn's result. */
export async function busy(btn, fn, busyText = '处理中…') {
  const text = btn.textContent;
  btn.disabled = true;
  btn.setAttribute('aria-busy', 'true');
  btn.textContent = busyText;
  try {
    return await fn();
  } finally {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    btn.textContent = text;
  }
}

/* formError(testid) → a form-level error box (hidden while empty) with set(msg)/clear(). */
export function formError(testid = 'form-error') {
  const el = h('div', { class: 'form-error', role: 'alert', 'data-testid': testid, hidden: true });
  return {
    el,
    set(msg) {
      el.textContent = msg || '';
      el.hidden = !msg;
    },
    clear() {
      el.textContent = '';
      el.hidden = true;
    },
  };
}

/* showServerError(err, fields, box): put err.message next to fields[err.field] when that field
 * exists, and always in the form-level box (so the reason is seen even when the field is far
 * up the page). Returns the field object used, or null. */
export function showServerError(err, fields, box) {
  const f = err && err.field && fields[err.field];
  if (f) {
    f.setError(err.message);
    f.input.focus();
  }
  if (box) box.set(err.message || '提交失败');
  return f || null;
}

/* notice(text, kind): a transient message at the top of the page ("已保存"). */
export function notice(text, kind = 'ok') {
  let el = document.querySelector('[data-testid="notice"]');
  if (!el) {
    el = h('div', { class: 'notice', role: 'status', 'data-testid': 'notice' });
    document.body.appendChild(el);
  }
  el.className = `notice notice-${kind}`;
  el.textContent = text;
  el.hidden = false;
  el._shownAt = Date.now();
  clearTimeout(el._timer);
  el._timer = setTimeout(() => { el.hidden = true; }, 5000);
}

/* dismissStaleNotice(): hide a notice left over from an earlier page (app.js calls it on every
 * route change; a notice shown just before a navigation, e.g. "已保存", survives it). */
export function dismissStaleNotice() {
  const el = document.querySelector('[data-testid="notice"]');
  if (el && Date.now() - (el._shownAt || 0) > 1500) el.hidden = true;
}

/* loading(el) / failure(el, err) / emptyState(text, testid): standard panels. */
export function loading(el) {
  replace(el, h('div', { class: 'loading', role: 'status' }, '正在加载…'));
}

export function failure(el, err, title = '加载失败') {
  replace(el, h('div', { class: 'panel panel-error', role: 'alert', 'data-testid': 'page-error' },
    h('strong', null, title + '：'), (err && err.message) || '未知错误'));
}

export function emptyState(text, testid) {
  return h('div', { class: 'empty', 'data-testid': testid }, text);
}

/* formDialog({title, intro, fields, submitLabel, danger, onSubmit}) → Promise<result|null>.
 * fields: [{name, label, type: 'text'|'number'|'select', options, placeholder, required,
 * value, validate(v) → msg}]. onSubmit(values) may throw an ApiError; its message is shown next
 * to the field it names (or at the top) and the dialog stays open. Resolves with onSubmit's
 * result, or null when cancelled. Test ids: dialog, dialog-<name>, dialog-<name>-error,
 * dialog-error, dialog-submit, dialog-cancel. */
export function formDialog({ title, intro, fields, submitLabel = '确定', danger = false, onSubmit }) {
  return new Promise((resolve) => {
    const byName = {};
    const box = formError('dialog-error');
    const rows = fields.map((fd) => {
      const input = fd.type === 'select'
        ? select(fd.options, { placeholder: fd.placeholder ?? '请选择', value: fd.value ?? '' })
        : textInput({
          inputmode: fd.type === 'number' ? 'numeric' : null,
          value: fd.value ?? '',
          placeholder: fd.placeholder || null,
        });
      const f = field({ label: fd.label, input, testid: `dialog-${fd.name}`, required: fd.required, wide: true });
      byName[fd.name] = f;
      return f.wrap;
    });
    const submit = button(submitLabel, { type: 'submit', class: danger ? 'btn btn-danger-solid' : 'btn btn-primary', 'data-testid': 'dialog-submit' });
    const cancel = button('取消', { 'data-testid': 'dialog-cancel' });
    const form = h('form', { class: 'dialog-form', novalidate: true },
      h('h2', { class: 'dialog-title' }, title),
      intro ? h('p', { class: 'dialog-intro' }, intro) : null,
      box.el, rows,
      h('div', { class: 'actions' }, submit, cancel));
    const dlg = h('dialog', { class: 'dialog', 'data-testid': 'dialog', 'aria-label': title }, form);
    document.body.appendChild(dlg);

    let done = false;
    const close = (result) => {
      if (done) return;
      done = true;
      if (dlg.open) dlg.close();
      dlg.remove();
      resolve(result);
    };
    cancel.addEventListener('click', () => close(null));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      box.clear();
      const values = {};
      let bad = null;
      for (const fd of fields) {
        const f = byName[fd.name];
        const v = f.input.value.trim();
        values[fd.name] = v;
        let msg = '';
        if (fd.required && v === '') msg = `请填写${fd.label}`;
        else if (fd.validate) msg = fd.validate(v) || '';
        f.setError(msg);
        if (msg && !bad) bad = f;
      }
      if (bad) {
        bad.input.focus();
        return;
      }
      try {
        const result = await busy(submit, () => onSubmit(values));
        close(result === undefined ? true : result);
      } catch (err) {
        showServerError(err, byName, box);
      }
    });
    dlg.showModal();
    const first = rows.length ? byName[fields[0].name].input : submit;
    first.focus();
  });
}

/* tagList(tags) → a row of small badges with the tags' Chinese names. */
export function tagList(tags) {
  if (!tags || !tags.length) return '';
  return h('span', { class: 'tags' }, tags.map((t) => h('span', { class: 'tag', 'data-tag': t }, label(TAG_LABELS, t))));
}

/* attachIdCheck / attachPhoneCheck: live checks while typing (only errors that are already
 * certain), full checks on blur. Each returns check(), which runs the full check, shows the
 * result and returns {ok, value, message}; value is normalized as the server would store it
 * (ID: upper-case X, 15 digits converted to 18; phone: "13812345678" / "0536-8123456"). */
export function attachIdCheck(f, { required = true } = {}) {
  const check = () => {
    const raw = f.input.value.trim();
    if (raw === '') {
      const msg = required ? '请填写身份证号' : '';
      f.setError(msg);
      f.setHint('');
      return { ok: !msg, value: '', message: msg };
    }
    const r = validateIdNumber(raw);
    f.setError(r.ok ? '' : r.message);
    f.setHint(r.ok ? idHint(r) : '');
    return { ok: r.ok, value: r.ok ? r.number : raw, message: r.ok ? '' : r.message };
  };
  f.input.addEventListener('input', () => {
    const msg = partialIdProblem(f.input.value);
    f.setError(msg);
    const r = msg ? null : validateIdNumber(f.input.value);
    f.setHint(r && r.ok ? idHint(r) : '');
  });
  f.input.addEventListener('blur', () => {
    if (f.input.value.trim() !== '') check();
  });
  return check;
}

function idHint(r) {
  const base = `${r.male ? '男' : '女'}，${r.birthDate} 出生`;
  return r.converted ? `${base}；旧15位号码，将登记为 ${r.number}` : base;
}

export function attachPhoneCheck(f, { required = false } = {}) {
  const check = () => {
    const raw = f.input.value.trim();
    const msg = phoneProblem(raw, { required });
    f.setError(msg);
    return { ok: !msg, value: raw && !msg ? validatePhone(raw).value : raw, message: msg };
  };
  f.input.addEventListener('input', () => {
    if (f.input.classList.contains('invalid') && !phoneProblem(f.input.value)) f.setError('');
  });
  f.input.addEventListener('blur', () => {
    if (f.input.value.trim() !== '') check();
  });
  return check;
}
