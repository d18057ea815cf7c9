// public/disclosure_parts.js — pieces of the public disclosure page (disclosure.js): the totals
// of an appeal to a date, the table of uses and the table of donations (donors' public names
// as the server gives them).

import { h } from '../dom.js';
import { yuanText, count } from '../format.js';

const RECIPIENTS = { institution: '机构', township: '镇街', project: '项目' };

export function totalsFacts(a) {
  const fact = (label, value, testid) => h('div', { class: 'fact' }, h('dt', null, label), h('dd', { 'data-testid': testid }, value));
  return h('dl', { class: 'facts', 'data-testid': 'disc-totals' },
    fact('截至', a.to || '今日', 'disc-total-to'),
    fact('募集资金', yuanText(a.raised_fen), 'disc-raised'),
    fact('使用资金', yuanText(a.used_fen), 'disc-used'),
    fact('资金余额', yuanText(a.balance_fen), 'disc-balance'),
    fact('捐赠物资折价', yuanText(a.goods_value_fen), 'disc-goods-value'),
    fact('捐赠笔数', count(a.donations), 'disc-donations'));
}

function table(head, rows, testid) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': testid },
    h('thead', null, h('tr', null, head.map(([t, num]) => h('th', num ? { class: 'num' } : null, t)))),
    h('tbody', null, rows)));
}

export function usesTable(uses) {
  if (!uses.length) return h('p', { class: 'empty' }, '尚无使用记录');
  return table([['日期'], ['受助对象'], ['用途'], ['凭证'], ['金额 / 物资', true]], uses.map((u) => h('tr', { 'data-testid': 'disc-use' },
    h('td', null, u.used_on),
    h('td', null, `${u.recipient_name}（${RECIPIENTS[u.recipient_kind] || u.recipient_kind}）`),
    h('td', null, u.purpose),
    h('td', null, u.evidence),
    h('td', { class: 'num' }, u.kind === 'money' ? yuanText(u.amount_fen) : `${u.item_name} ${count(u.quantity)} ${u.unit}`))), 'disc-uses');
}

export function donationsTable(list) {
  if (!list.length) return h('p', { class: 'empty' }, '尚无捐赠记录');
  return table([['日期'], ['捐赠人'], ['金额 / 物资', true]], list.map((d) => h('tr', { 'data-testid': 'disc-donation' },
    h('td', null, d.donated_on),
    h('td', { 'data-testid': 'disc-donor' }, d.donor_name),
    h('td', { class: 'num' }, d.kind === 'money' ? yuanText(d.amount_fen) : `${d.item_name} ${count(d.quantity)} ${d.unit}（折价 ${yuanText(d.value_fen)}）`))), 'disc-donations-table');
}
