// pages/export_links.js — the 导出 links a list page shows beside its total: the list's own API
// route with the filters now on screen plus format=xlsx, format=csv (UTF-8 with BOM) or
// format=csv&encoding=gb18030 (for older Excel). Plain download links: the browser sends the
// session cookie, the server exports the whole filtered list (not just the page on screen) with
// the same scope and masking as the table, and audits the export.

import { h } from '../dom.js';

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

/* The three links, as one inline group (data-testid `${testid}-xlsx`, -csv, -gb18030). */
export function exportLinks(path, params, testid = 'export') {
  const link = (text, format, encoding, suffix, title) =>
    h('a', { class: 'btn btn-small', href: exportUrl(path, params, format, encoding), download: '', title, 'data-testid': `${testid}-${suffix}` }, text);
  return h('span', { class: 'export-links', 'data-testid': testid },
    link('导出 Excel', 'xlsx', null, 'xlsx', '按当前筛选条件导出全部记录（.xlsx）'),
    link('CSV', 'csv', null, 'csv', 'UTF-8 编码的 CSV 文件'),
    link('CSV（GB18030）', 'csv', 'gb18030', 'gb18030', '适用于旧版 Excel 的 GB18030 编码 CSV 文件'));
}
