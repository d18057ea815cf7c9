// pages/documents.js — 防疫文件 (#/documents…). ctx.params[0] is the sub-path:
//   ""      the documents the user's unit received (or issued), unacknowledged first filter
//           (GET /api/v1/documents), exportable
//   "new"   issue a document with its file to units (POST /api/v1/documents; documents
//           permission)
//   "ID"    one document: the file, acknowledging receipt for one's unit, and for the issuer the
//           recipients with who has not acknowledged

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, dateTime, todayShanghai } from '../format.js';
import { field, textInput, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';

const MAX_FILE = 700 * 1024;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return renderList(el, ctx);
  if (sub === 'new' && ctx.can('documents')) return renderNew(el, ctx);
  if (/^\d+$/.test(sub)) return renderDoc(el, ctx, sub);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

function tabs(ctx, active) {
  const tab = (key, text, href) => h('a', { class: 'tab', role: 'tab', href, 'aria-selected': active === key ? 'true' : 'false', 'data-testid': `documents-tab-${key}` }, text);
  return h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '防疫文件' },
    tab('all', '全部文件', '#/documents'), tab('pending', '待签收', '#/documents?unacknowledged=1'),
    ctx.can('documents') ? tab('new', '下发文件', '#/documents/new') : null);
}

async function renderList(el, ctx) {
  ctx.setTitle('防疫文件');
  loading(el);
  const unack = ctx.query.get('unacknowledged') === '1';
  let page;
  try {
    page = await get('/api/v1/documents', { unacknowledged: unack ? 1 : '', limit: 200 });
  } catch (err) {
    failure(el, err, '文件加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(el, tabs(ctx, unack ? 'pending' : 'all'), h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, `${unack ? '待签收文件' : '防疫文件'}（${count(page.total)} 件）`), exportLinks('/api/v1/documents', { unacknowledged: unack }, 'documents-export')),
    page.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'documents-list' },
      h('thead', null, h('tr', null, ['文号', '标题', '成文日期', '本单位', '签收'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, page.items.map((d) => h('tr', { 'data-testid': 'documents-row', 'data-id': d.id },
        h('td', { 'data-label': '文号' }, d.number),
        h('td', { 'data-label': '标题' }, h('a', { href: `#/documents/${d.id}` }, d.title)),
        h('td', { 'data-label': '成文日期' }, d.issued_on),
        h('td', { 'data-label': '本单位' }, d.mine ? (d.mine.acknowledged_at ? '已签收' : h('span', { class: 'badge badge-warn' }, '未签收')) : '—'),
        h('td', { 'data-label': '签收', class: 'num' }, `${count(d.acknowledged)} / ${count(d.recipients)}`))))))
      : emptyState(unack ? '没有待签收的文件' : '没有文件', 'documents-empty')));
}

async function renderDoc(el, ctx, id) {
  loading(el);
  let d;
  try {
    d = await get(`/api/v1/documents/${id}`);
  } catch (err) {
    failure(el, err, '文件加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(d.title);
  let ack = null;
  if (d.mine && !d.mine.acknowledged_at) {
    ack = button('签收', { class: 'btn btn-primary', 'data-testid': 'document-acknowledge' });
    ack.addEventListener('click', async () => {
      try {
        await busy(ack, () => post(`/api/v1/documents/${id}/acknowledge`, {}));
      } catch (err) {
        notice(err.message, 'error');
        return;
      }
      notice('已签收');
      renderDoc(el, ctx, id);
    });
  }
  const fact = (dt, dd, testid) => h('div', { class: 'fact' }, h('dt', null, dt), h('dd', { 'data-testid': testid || null }, dd || '—'));
  replace(el, tabs(ctx, ''),
    h('section', { class: 'panel', 'data-testid': 'document-detail' },
      h('div', { class: 'panel-head' }, h('h1', null, d.title), ack),
      h('dl', { class: 'facts' },
        fact('文号', d.number), fact('发文机关', d.issuing_body), fact('成文日期', d.issued_on), fact('适用范围', d.scope_text),
        fact('附件', d.file_name ? h('a', { href: `/api/v1/documents/${id}/file`, download: '', 'data-testid': 'document-file' }, d.file_name) : ''),
        fact('本单位签收', d.mine ? (d.mine.acknowledged_at ? dateTime(d.mine.acknowledged_at) : '未签收') : '', 'document-mine'))),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, `接收单位（已签收 ${count(d.acknowledged)} / ${count(d.recipients)}）`),
        d.issuer_view ? exportLinks(`/api/v1/documents/${id}/pending`, {}, 'document-pending-export') : null),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'document-recipients' },
        h('thead', null, h('tr', null, ['接收单位', '签收时间', '签收人'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, d.recipients_list.map((r) => h('tr', { 'data-testid': r.acknowledged_at ? 'recipient-done' : 'recipient-pending' },
          h('td', { 'data-label': '接收单位' }, r.name),
          h('td', { 'data-label': '签收时间' }, r.acknowledged_at ? dateTime(r.acknowledged_at) : h('span', { class: 'badge badge-warn' }, '未签收')),
          h('td', { 'data-label': '签收人' }, r.acknowledged_by || '—'))))))));
}

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

async function renderNew(el, ctx) {
  ctx.setTitle('下发文件');
  const f = {
    number: field({ label: '文号', input: textInput({ maxlength: '40', placeholder: '如 潍民发〔2020〕1号' }), testid: 'document-number', required: true }),
    title: field({ label: '标题', input: textInput({ maxlength: '120' }), testid: 'document-title', required: true, wide: true }),
    issuing_body: field({ label: '发文机关', input: textInput({ maxlength: '60' }), testid: 'document-body', required: true }),
    issued_on: field({ label: '成文日期', input: textInput({ type: 'date', value: todayShanghai() }), testid: 'document-date', required: true }),
    scope_text: field({ label: '适用范围', input: textInput({ maxlength: '200' }), testid: 'document-scope' }),
    recipients: field({ label: '接收单位区划代码', input: textInput({ placeholder: '多个用逗号分隔；留空为全市各县级单位' }), testid: 'document-recipients', wide: true }),
    file: field({ label: '附件', input: h('input', { type: 'file', accept: '.pdf,.doc,.docx,.ofd,.txt,.jpg,.png' }), testid: 'document-file-input', hint: '不超过 700 KB' }),
  };
  const box = formError('document-error');
  const submit = button('下发', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'document-submit' });
  const form = h('form', { novalidate: true }, h('div', { class: 'form-grid' }, Object.values(f).map((x) => x.wrap)), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const body = {};
    for (const k of ['number', 'title', 'issuing_body', 'issued_on', 'scope_text']) body[k] = f[k].input.value.trim();
    const codes = f.recipients.input.value.split(/[,，\s]+/).filter(Boolean);
    if (codes.length) body.recipients = codes;
    else body.all_units = true;
    const file = f.file.input.files[0];
    if (file) {
      if (file.size > MAX_FILE) {
        f.file.setError('附件不能超过 700 KB');
        return;
      }
      body.file = { name: file.name, type: file.type || 'application/octet-stream', content_base64: await base64Of(file) };
    }
    let d;
    try {
      d = await busy(submit, () => post('/api/v1/documents', body));
    } catch (err) {
      showServerError(err, { ...f, 'file.type': f.file, 'file.name': f.file, file: f.file }, box);
      return;
    }
    notice('已下发');
    ctx.navigate(`#/documents/${d.id}`);
  });
  replace(el, tabs(ctx, 'new'), h('section', { class: 'panel' }, h('h1', null, '下发防疫文件'), form));
}
