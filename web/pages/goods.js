// pages/goods.js — 物资管理 (#/goods…): the entry app.js loads for every #/goods sub-path
// (ctx.params[0]):
//   #/goods                    warehouses and their stock at a date, low-stock warnings (this file)
//   #/goods/moves              movements with filters and export (this file)
//   #/goods/distribute         give goods to a household, a person (from a ledger visit:
//                              ?ledger_visit=V&person=P) or an institution (goods_forms.js)
//   #/goods/move               receive, transfer or adjust by stocktake (goods_forms.js)

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count } from '../format.js';
import { field, select, textInput, button, loading, failure, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';

export const KIND_LABELS = { receive: '入库', transfer_out: '调出', transfer_in: '调入', distribute: '发放', adjust: '盘点调整' };
export const SOURCE_LABELS = { purchase: '采购', donation: '捐赠', allocation: '上级调拨' };
export const RECIPIENT_LABELS = { household: '家庭', person: '个人', institution: '机构', outreach: '街面巡查' };
export const LEVEL_LABELS = { city: '市级', county: '县级', township: '镇街' };
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return warehouses(el, ctx);
  if (sub === 'moves') return moves(el, ctx);
  if (sub === 'distribute') return (await import('./goods_forms.js')).renderDistribute(el, ctx);
  if (sub === 'move') return (await import('./goods_forms.js')).renderMove(el, ctx);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

export function tabs(current) {
  const items = [['', '仓库与库存'], ['moves', '出入库记录'], ['distribute', '发放物资'], ['move', '入库 / 调拨 / 盘点']];
  return h('nav', { class: 'tabs', 'aria-label': '物资管理' }, items.map(([path, text]) =>
    h('a', { class: 'tab', href: path ? `#/goods/${path}` : '#/goods', 'aria-current': path === current ? 'page' : null, 'data-testid': `goods-tab-${path || 'home'}` }, text)));
}

function stockTable(rows) {
  if (!rows.length) return emptyState('该日没有库存记录', 'goods-stock-empty');
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'goods-stock' },
    h('thead', null, h('tr', null, ['仓库', '物资', '库存', '单位', ''].map((t, i) => h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
    h('tbody', null, rows.map((r) => h('tr', { 'data-testid': 'goods-stock-row', 'data-item': r.item_code, 'data-warehouse': String(r.warehouse_id) },
      h('td', { 'data-label': '仓库' }, r.warehouse_name),
      h('td', { 'data-label': '物资' }, r.item_name),
      h('td', { 'data-label': '库存', class: 'num', 'data-testid': 'goods-stock-qty' }, count(r.quantity)),
      h('td', { 'data-label': '单位' }, r.unit),
      h('td', null, r.low ? h('span', { class: 'badge badge-warn', 'data-testid': 'goods-low' }, '低于预警线') : null))))));
}

async function warehouses(el, ctx) {
  ctx.setTitle('物资管理');
  loading(el);
  const wid = ctx.query.get('warehouse') || '';
  const date = ctx.query.get('date') || '';
  const low = ctx.query.get('low') === '1';
  let list, stock;
  try {
    [list, stock] = await Promise.all([
      get('/api/v1/goods/warehouses'),
      get('/api/v1/goods/stock', { warehouse_id: wid, date, low: low ? '1' : '' }),
    ]);
  } catch (err) {
    failure(el, err, '物资仓库加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const whF = field({ label: '仓库', testid: 'goods-filter-warehouse', input: select(list.items.map((w) => ({ value: String(w.id), label: w.name })), { placeholder: '全部仓库' }) });
  whF.input.value = wid;
  const dateF = field({ label: '截至日期（当日终了）', testid: 'goods-filter-date', input: textInput({ value: date, placeholder: 'YYYY-MM-DD（默认今天）', maxlength: '10' }) });
  const lowF = h('label', null, h('input', { type: 'checkbox', checked: low, 'data-testid': 'goods-filter-low' }), ' 只看低于预警线的');
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, whF.wrap, dateF.wrap, h('div', { class: 'field' }, lowF)),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'goods-filter-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = dateF.input.value.trim();
    dateF.setError(d && !DATE_RE.test(d) ? '日期应为 YYYY-MM-DD' : '');
    if (d && !DATE_RE.test(d)) return;
    const p = new URLSearchParams();
    if (whF.input.value) p.set('warehouse', whF.input.value);
    if (d) p.set('date', d);
    if (lowF.querySelector('input').checked) p.set('low', '1');
    ctx.navigate('#/goods' + (p.toString() ? '?' + p.toString() : ''));
  });
  const whTable = list.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'goods-warehouses' },
      h('thead', null, h('tr', null, ['仓库', '层级', '所在地', '预警线', '低于预警'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, list.items.map((w) => h('tr', { class: 'clickable', 'data-testid': 'goods-warehouse-row', 'data-id': String(w.id), onclick: () => ctx.navigate(`#/goods?warehouse=${w.id}`) },
        h('td', { 'data-label': '仓库' }, h('a', { href: `#/goods?warehouse=${w.id}` }, w.name)),
        h('td', { 'data-label': '层级' }, LEVEL_LABELS[w.level] || w.level),
        h('td', { 'data-label': '所在地' }, w.region_name || w.region_code),
        h('td', { 'data-label': '预警线' }, count(w.low_stock)),
        h('td', { 'data-label': '低于预警' }, w.items_low ? h('span', { class: 'badge badge-warn' }, `${w.items_low} 种`) : '—'))))))
    : emptyState('管辖范围内还没有仓库', 'goods-warehouses-empty');
  replace(el,
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, '物资管理')), tabs(''), whTable,
      h('div', { class: 'pager' }, h('span', { class: 'muted' }, `共 ${count(list.total)} 个仓库`), exportLinks('/api/v1/goods/warehouses', {}, 'goods-warehouses-export'))),
    h('section', { class: 'panel' }, h('h2', null, '库存'), form, stockTable(stock.items),
      h('div', { class: 'pager' }, h('span', { class: 'muted' }, `共 ${count(stock.total)} 行`),
        exportLinks('/api/v1/goods/stock', { warehouse_id: wid, date, low }, 'goods-stock-export'))));
  return undefined;
}

const PAGE = 50;

async function moves(el, ctx) {
  ctx.setTitle('出入库记录');
  loading(el);
  const q = {
    warehouse_id: ctx.query.get('warehouse') || '', kind: ctx.query.get('kind') || '',
    from: ctx.query.get('from') || '', to: ctx.query.get('to') || '', offset: Number(ctx.query.get('offset') || 0),
  };
  let list, page;
  try {
    [list, page] = await Promise.all([get('/api/v1/goods/warehouses'), get('/api/v1/goods/movements', { ...q, limit: PAGE })]);
  } catch (err) {
    failure(el, err, '出入库记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const F = {
    warehouse: field({ label: '仓库', testid: 'goods-moves-warehouse', input: select(list.items.map((w) => ({ value: String(w.id), label: w.name })), { placeholder: '全部仓库' }) }),
    kind: field({ label: '类型', testid: 'goods-moves-kind', input: select([['receive', '入库'], ['transfer', '调拨'], ['distribute', '发放'], ['adjust', '盘点调整']].map(([value, label]) => ({ value, label })), { placeholder: '全部' }) }),
    from: field({ label: '日期自', testid: 'goods-moves-from', input: textInput({ value: q.from, placeholder: 'YYYY-MM-DD', maxlength: '10' }) }),
    to: field({ label: '日期至', testid: 'goods-moves-to', input: textInput({ value: q.to, placeholder: 'YYYY-MM-DD', maxlength: '10' }) }),
  };
  F.warehouse.input.value = q.warehouse_id;
  F.kind.input.value = q.kind;
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'goods-moves-submit' })));
  const hashOf = (extra) => {
    const p = new URLSearchParams();
    const v = { warehouse: F.warehouse.input.value, kind: F.kind.input.value, from: F.from.input.value.trim(), to: F.to.input.value.trim(), ...extra };
    for (const [k, x] of Object.entries(v)) if (x) p.set(k, String(x));
    return '#/goods/moves' + (p.toString() ? '?' + p.toString() : '');
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let bad = false;
    for (const k of ['from', 'to']) {
      const v = F[k].input.value.trim();
      F[k].setError(v && !DATE_RE.test(v) ? '日期应为 YYYY-MM-DD' : '');
      bad ||= !!(v && !DATE_RE.test(v));
    }
    if (!bad) ctx.navigate(hashOf({}));
  });
  const items = page.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'goods-moves' },
      h('thead', null, h('tr', null, ['日期', '仓库', '类型', '物资', '数量', '对象 / 来源', '备注'].map((t, i) => h('th', { scope: 'col', class: i === 4 ? 'num' : null }, t)))),
      h('tbody', null, items.map((m) => h('tr', { 'data-testid': 'goods-move-row', 'data-id': String(m.id) },
        h('td', { 'data-label': '日期', class: 'mono' }, m.moved_on),
        h('td', { 'data-label': '仓库' }, m.warehouse_name),
        h('td', { 'data-label': '类型' }, KIND_LABELS[m.kind] || m.kind),
        h('td', { 'data-label': '物资' }, m.item_name),
        h('td', { 'data-label': '数量', class: 'num' }, `${count(m.quantity)} ${m.unit}`),
        h('td', { 'data-label': '对象 / 来源' }, m.kind === 'distribute'
          ? `${RECIPIENT_LABELS[m.recipient_kind] || ''} ${m.recipient_name}${m.ledger_visit_id ? '（台账走访）' : ''}${m.relief_grant_id ? '（临时救助）' : ''}`
          : [SOURCE_LABELS[m.source] || '', m.party].filter(Boolean).join(' · ')),
        h('td', { 'data-label': '备注' }, m.reason || m.note))))))
    : emptyState('没有符合条件的出入库记录', 'goods-moves-empty');
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': 'goods-moves-total' }, `共 ${count(page.total)} 笔`),
    q.offset > 0 ? h('a', { class: 'btn btn-small', href: hashOf({ offset: Math.max(0, q.offset - PAGE) }) }, '上一页') : null,
    q.offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: hashOf({ offset: q.offset + PAGE }) }, '下一页') : null,
    exportLinks('/api/v1/goods/movements', q, 'goods-moves-export'));
  replace(el, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, '出入库记录')), tabs('moves'), form, table, pager));
  return undefined;
}
