// pages/export_links.js — the 导出 links a list page shows beside its total: the list's own API
// route with the filters now on screen plus format=xlsx, format=csv (UTF-8 with BOM) or
// format=csv&encoding=gb18030 (for older Excel). Plain download links: the browser sends the
// session cookie, the server exports the whole filtered list (not just the page on screen) with
// the same scope and masking as the table, and audits the export.
// Beside them, 加密导出（设置密码）: a dialog asks for a password (twice) and the format, and the
// file is fetched with the password in the X-Export-Passphrase header (percent-encoded UTF-8,
// never in the URL) and saved as ….xlsx.zip / ….csv.zip — an AES-256 ZIP that 7-Zip, WinRAR or
// 360压缩 opens with that password.

import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { busy, button, field, formError, select } from '../ui.js';

const PASS_MIN = 8;

/* exportUrl('/api/v1/persons', {q, region}, 'xlsx') → '/api/v1/persons?q=…&format=xlsx'. Empty
 * values and paging (limit, offset) are left out. */
export function exportUrl(path, params, format, encoding) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '' || v === false || k === 'limit' || k === 'offset') continue;
    p.set(k, v === true ? '1' : String(v));
  }
  p.set('format', format);
  if (encoding) p.set('encoding', encoding);
  return `${path}?${p.toString()}`;
}

/* The UTF-8 file name of a Content-Disposition header (filename*=UTF-8''…), or fallback. */
function dispositionName(header, fallback) {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(header || '');
  if (!m) return fallback;
  try {
    return decodeURIComponent(m[1]);
  } catch (e) {
    return fallback;
  }
}

/* GET url with the password header; saves the answer as a download. Throws ApiError. */
export async function downloadEncrypted(url, password) {
  let res;
  try {
    res = await fetch(url, {
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'X-Export-Passphrase': encodeURIComponent(password) },
    });
  } catch (e) {
    throw new ApiError({ status: 0, code: 'network', message: '无法连接服务器，请检查网络后重试' });
  }
  if (!res.ok) {
    let e = {};
    try {
      e = (await res.json()).error || {};
    } catch (x) {
      e = {};
    }
    throw new ApiError({ status: res.status, code: e.code || `http_${res.status}`, message: e.message || `导出失败（${res.status}）`, field: e.field || '' });
  }
  const blob = await res.blob();
  const name = dispositionName(res.headers.get('content-disposition'), 'export.zip');
  const href = URL.createObjectURL(blob);
  const a = h('a', { href, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return name;
}

const FORMATS = [
  { value: 'xlsx', label: 'Excel（.xlsx）' },
  { value: 'csv', label: 'CSV（UTF-8）' },
  { value: 'gb18030', label: 'CSV（GB18030，旧版 Excel）' },
];

/* The password dialog of one list. Test ids: export-dialog, export-format, export-pass,
 * export-pass2 (each with -error), export-error, export-submit, export-cancel. */
function encryptedDialog(path, params) {
  const box = formError('export-error');
  const fmt = field({ label: '格式', input: select(FORMATS, { value: 'xlsx' }), testid: 'export-format', wide: true });
  const pass = field({
    label: '密码',
    input: h('input', { type: 'password', autocomplete: 'new-password', minlength: String(PASS_MIN) }),
    testid: 'export-pass',
    hint: `至少 ${PASS_MIN} 个字符；服务器不保存密码，请另行告知接收人`,
    required: true,
    wide: true,
  });
  const pass2 = field({ label: '再次输入密码', input: h('input', { type: 'password', autocomplete: 'new-password' }), testid: 'export-pass2', required: true, wide: true });
  const submit = button('加密导出', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'export-submit' });
  const cancel = button('取消', { 'data-testid': 'export-cancel' });
  const form = h('form', { class: 'dialog-form', novalidate: true },
    h('h2', { class: 'dialog-title' }, '加密导出（设置密码）'),
    h('p', { class: 'dialog-intro' }, '按当前筛选条件导出全部记录，放入以 AES-256 加密的 ZIP 压缩包；用 7-Zip、WinRAR 或 360压缩 输入密码即可打开。'),
    box.el, fmt.wrap, pass.wrap, pass2.wrap,
    h('div', { class: 'actions' }, submit, cancel));
  const dlg = h('dialog', { class: 'dialog', 'data-testid': 'export-dialog', 'aria-label': '加密导出' }, form);
  document.body.appendChild(dlg);
  const close = () => {
    if (dlg.open) dlg.close();
    dlg.remove();
  };
  cancel.addEventListener('click', close);
  dlg.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    pass.clearError();
    pass2.clearError();
    const p = pass.input.value;
    if ([...p].length < PASS_MIN) {
      pass.setError(`密码至少需要 ${PASS_MIN} 个字符`);
      pass.input.focus();
      return;
    }
    if (pass2.input.value !== p) {
      pass2.setError('两次输入的密码不一致');
      pass2.input.focus();
      return;
    }
    const f = fmt.input.value;
    const url = exportUrl(path, params, f === 'gb18030' ? 'csv' : f, f === 'gb18030' ? 'gb18030' : null);
    try {
      await busy(submit, () => downloadEncrypted(url, p), '正在导出…');
      close();
    } catch (err) {
      if (err.field === 'X-Export-Passphrase') pass.setError(err.message);
      box.set(err.message || '导出失败');
    }
  });
  dlg.showModal();
  pass.input.focus();
}

/* The three links and the encrypted export, as one inline group (data-testid `${testid}-xlsx`,
 * -csv, -gb18030, -encrypted). */
export function exportLinks(path, params, testid = 'export') {
  const link = (text, format, encoding, suffix, title) =>
    h('a', { class: 'btn btn-small', href: exportUrl(path, params, format, encoding), download: '', title, 'data-testid': `${testid}-${suffix}` }, text);
  return h('span', { class: 'export-links', 'data-testid': testid },
    link('导出 Excel', 'xlsx', null, 'xlsx', '按当前筛选条件导出全部记录（.xlsx）'),
    link('CSV', 'csv', null, 'csv', 'UTF-8 编码的 CSV 文件'),
    link('CSV（GB18030）', 'csv', 'gb18030', 'gb18030', '适用于旧版 Excel 的 GB18030 编码 CSV 文件'),
    button('加密导出（设置密码）', {
      class: 'btn btn-small',
      title: '导出为设置了密码的 AES-256 加密 ZIP 压缩包',
      'data-testid': `${testid}-encrypted`,
      onclick: () => encryptedDialog(path, params),
    }));
}
