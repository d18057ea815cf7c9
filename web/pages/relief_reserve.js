// pages/relief_reserve.js — the townships' reserve funds (备用金): balances per township in scope
// (#/relief/reserves, GET /api/v1/relief/reserves), one township's movements with the county's
// allocation / replenishment form (#/relief/reserves/CODE, POST …/reserves/{code}/moves), and the
// replenishment needs — pay-first grants a reserve could not cover (#/relief/needs).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count, dateTime } from '../format.js';
import { button, formDialog, loading, failure, notice, emptyState } from '../ui.js';
import { MOVE_LABELS, grantHash, money, today, yuanToFen, DATE_RE } from './relief_common.js';
import { reliefTabs } from './relief.js';
import { exportLinks } from './export_links.js';

export default async function render(el, ctx, sub) {
  if (sub === 'needs') return renderNeeds(el, ctx);
  if (sub.startsWith('reserves/')) return renderOne(el, ctx, sub.slice('reserves/'.length));
  return renderList(el, ctx);
}

function shell(el, ctx, title, current, ...more) {
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, title)), reliefTabs(ctx, current), ...more), results);
  loading(results);
  return results;
}

async function renderList(el, ctx) {
  ctx.setTitle('镇街备用金');
  const results = shell(el, ctx, '镇街备用金', 'reserves',
    h('p', { class: 'muted' }, '县级拨付和补充，镇街先行救助时支出；余额不能为负，不足时登记为补充需求。'),
    exportLinks('/api/v1/relief/reserves', {}, 'reserves-export'));
  let r;
  try {
    r = await get('/api/v1/relief/reserves');
  } catch (err) {
    failure(results, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!r.items.length) {
    replace(results, h('section', { class: 'panel' }, emptyState('管辖范围内没有镇街备用金', 'reserve-empty')));
    return;
  }
  const rows = r.items.map((x) => h('tr', {
    class: 'clickable', 'data-testid': 'reserve-row', 'data-code': x.township_code, tabindex: '0',
    onclick: () => ctx.navigate(`#/relief/reserves/${x.township_code}`),
  },
  h('td', { 'data-label': '镇街' }, h('a', { href: `#/relief/reserves/${x.township_code}` }, x.township_name || x.township_code)),
  h('td', { 'data-label': '余额', class: 'num', 'data-testid': 'reserve-balance' }, money(x.balance_fen)),
  h('td', { 'data-label': '拨付', class: 'num' }, money(x.allocated_fen)),
  h('td', { 'data-label': '补充', class: 'num' }, money(x.replenished_fen)),
  h('td', { 'data-label': '支出', class: 'num' }, money(x.disbursed_fen)),
  h('td', { 'data-label': '退回', class: 'num' }, money(x.returned_fen)),
  h('td', { 'data-label': '待补充', class: 'num' }, x.open_needs ? h('span', { class: 'badge badge-warn' }, `${x.open_needs} 笔 ${money(x.open_need_fen)}`) : '')));
  replace(results, h('section', { class: 'panel' },
    h('p', { 'data-testid': 'reserve-total' }, `共 ${count(r.total)} 个镇街，余额合计 ${money(r.balance_fen)}`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'reserve-table' },
      h('thead', null, h('tr', null, ['镇街', '余额', '拨付', '补充', '支出', '退回', '待补充'].map((t, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
      h('tbody', null, rows)))));
}

async function renderOne(el, ctx, code) {
  ctx.setTitle('镇街备用金');
  const results = shell(el, ctx, '镇街备用金', 'reserves');
  let r;
  try {
    r = await get(`/api/v1/relief/reserves/${code}`);
  } catch (err) {
    failure(results, err, err.status === 404 ? '未找到该镇街，或不在您的管辖范围内' : '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const add = (kind, title) => formDialog({
    title,
    fields: [
      { name: 'amount', label: '金额（元）', required: true, validate: (v) => yuanToFen(v).error || '' },
      { name: 'on', label: '日期', value: today(), validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') },
      { name: 'note', label: '说明（文号等）' },
    ],
    submitLabel: '拨付',
    onSubmit: async (v) => post(`/api/v1/relief/reserves/${code}/moves`, { kind, amount_fen: yuanToFen(v.amount).value, on: v.on, note: v.note }),
  }).then((res) => {
    if (res) {
      notice(`${title}完成，余额 ${money(res.balance_fen)}`);
      renderOne(el, ctx, code);
    }
  });
  const actions = ctx.can('assistance.approve') ? h('div', { class: 'actions' },
    button('县级拨付', { class: 'btn btn-primary', 'data-testid': 'reserve-allocate', onclick: () => add('allocation', '拨付备用金') }),
    button('补充备用金', { class: 'btn', 'data-testid': 'reserve-replenish', onclick: () => add('replenishment', '补充备用金') })) : null;
  const moves = r.moves.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'reserve-moves' },
    h('thead', null, h('tr', null, ['日期', '类型', '金额', '余额', '救助记录', '经办', '说明'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, r.moves.map((m) => h('tr', { 'data-testid': 'reserve-move', 'data-kind': m.kind },
      h('td', { 'data-label': '日期', class: 'mono' }, m.on),
      h('td', { 'data-label': '类型' }, MOVE_LABELS[m.kind] || m.kind),
      h('td', { 'data-label': '金额', class: 'num' }, (m.kind === 'disbursement' ? '−' : '+') + money(m.amount_fen)),
      h('td', { 'data-label': '余额', class: 'num' }, money(m.balance_after_fen)),
      h('td', { 'data-label': '救助记录' }, m.grant_id ? h('a', { href: grantHash(m.grant_id) }, String(m.grant_id)) : ''),
      h('td', { 'data-label': '经办' }, m.by),
      h('td', { 'data-label': '说明', title: dateTime(m.at) }, m.note)))))) : emptyState('暂无收支', 'reserve-moves-empty');
  replace(results, h('section', { class: 'panel' },
    h('h2', null, r.township_name || r.township_code),
    h('p', null, '余额 ', h('strong', { 'data-testid': 'reserve-balance' }, money(r.balance_fen)),
      r.open_needs ? h('span', { class: 'badge badge-warn', 'data-testid': 'reserve-open-needs' }, `待补充 ${r.open_needs} 笔，缺口 ${money(r.open_need_fen)}`) : null),
    actions), h('section', { class: 'panel' }, h('h2', null, '收支明细'), moves));
}

async function renderNeeds(el, ctx) {
  ctx.setTitle('备用金补充需求');
  const status = ctx.query.get('status') === 'all' ? '' : 'open';
  const results = shell(el, ctx, '备用金补充需求', 'needs',
    h('p', { class: 'muted' }, '镇街先行救助时备用金不足而未能发放的记录，请县级及时补充。'),
    h('div', { class: 'actions' },
      h('a', { class: 'btn', href: '#/relief/needs', 'aria-current': status ? 'true' : null }, '待补充'),
      h('a', { class: 'btn', href: '#/relief/needs?status=all', 'aria-current': status ? null : 'true', 'data-testid': 'needs-all' }, '全部'),
      exportLinks('/api/v1/relief/needs', { status }, 'needs-export')));
  let r;
  try {
    r = await get('/api/v1/relief/needs', { status });
  } catch (err) {
    failure(results, err);
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!r.items.length) {
    replace(results, h('section', { class: 'panel' }, emptyState('暂无备用金补充需求', 'needs-empty')));
    return;
  }
  replace(results, h('section', { class: 'panel' }, h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'needs-table' },
    h('thead', null, h('tr', null, ['镇街', '日期', '救助对象', '事由', '拟发金额', '当时余额', '缺口', '状态'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, r.items.map((n) => h('tr', { 'data-testid': 'need-row', 'data-status': n.status },
      h('td', { 'data-label': '镇街' }, h('a', { href: `#/relief/reserves/${n.township_code}` }, n.township_name || n.township_code)),
      h('td', { 'data-label': '日期', class: 'mono' }, n.on),
      h('td', { 'data-label': '救助对象' }, n.name),
      h('td', { 'data-label': '事由' }, n.cause_label),
      h('td', { 'data-label': '拟发金额', class: 'num' }, money(n.amount_fen)),
      h('td', { 'data-label': '当时余额', class: 'num' }, money(n.balance_fen)),
      h('td', { 'data-label': '缺口', class: 'num', 'data-testid': 'need-shortfall' }, money(n.shortfall_fen)),
      h('td', { 'data-label': '状态' }, n.status === 'open' ? h('span', { class: 'badge badge-warn' }, '待补充') : h('span', { class: 'badge badge-muted' }, '已补充')))))))));
}
