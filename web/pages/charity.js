// pages/charity.js — 慈善募捐 (#/charity…): the entry app.js loads for every #/charity sub-path:
//   #/charity              appeals with money raised, used and the balance (?to= a date)
//   #/charity/ID           one appeal: totals and the goods reconciliation, donations (donors'
//                          names masked) and uses, the forms to record both (charity_forms.js)
//                          and a link to its public disclosure page (disclosure.html#ID)

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count, yuanText } from '../format.js';
import { field, textInput, button, loading, failure, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';

export const KIND_LABELS = { public: '面向社会募捐', staff: '干部职工捐款' };
export const RECIPIENT_LABELS = { institution: '机构', township: '镇街', project: '项目' };
const CHANNELS = { bank: '银行转账', wechat: '微信', alipay: '支付宝', cash: '现金', other: '其他' };
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  let m;
  if (sub === '') return appeals(el, ctx);
  if ((m = /^(\d+)$/.exec(sub))) return appeal(el, ctx, Number(m[1]));
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

function toForm(ctx, base, to) {
  const f = field({ label: '截至日期', testid: 'charity-to', input: textInput({ value: to, placeholder: 'YYYY-MM-DD（默认全部）', maxlength: '10' }) });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, f.wrap), h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'charity-to-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = f.input.value.trim();
    f.setError(v && !DATE_RE.test(v) ? '日期应为 YYYY-MM-DD' : '');
    if (!v || DATE_RE.test(v)) ctx.navigate(base + (v ? `?to=${v}` : ''));
  });
  return form;
}

async function appeals(el, ctx) {
  ctx.setTitle('慈善募捐');
  loading(el);
  const to = ctx.query.get('to') || '';
  let list;
  try {
    list = await get('/api/v1/charity/appeals', { to });
  } catch (err) {
    failure(el, err, '募捐活动加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = list.items || [];
  const sum = (k, kind) => items.filter((a) => (kind ? a.kind === kind : a.kind !== 'staff')).reduce((s, a) => s + a[k], 0);
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'charity-appeals' },
      h('thead', null, h('tr', null, ['募捐活动', '类型', '开始', '募集资金', '使用资金', '余额', '捐赠笔数'].map((t, i) => h('th', { scope: 'col', class: i > 2 ? 'num' : null }, t)))),
      h('tbody', null, items.map((a) => h('tr', { class: 'clickable', 'data-testid': 'charity-appeal-row', 'data-id': String(a.id), onclick: () => ctx.navigate(`#/charity/${a.id}`) },
        h('td', { 'data-label': '募捐活动' }, h('a', { href: `#/charity/${a.id}` }, a.name), h('div', { class: 'muted' }, a.organisation)),
        h('td', { 'data-label': '类型' }, KIND_LABELS[a.kind] || a.kind),
        h('td', { 'data-label': '开始', class: 'mono' }, a.started_on),
        h('td', { 'data-label': '募集资金', class: 'num' }, yuanText(a.raised_fen)),
        h('td', { 'data-label': '使用资金', class: 'num' }, yuanText(a.used_fen)),
        h('td', { 'data-label': '余额', class: 'num' }, yuanText(a.balance_fen)),
        h('td', { 'data-label': '捐赠笔数', class: 'num' }, count(a.donations)))))))
    : emptyState('还没有募捐活动', 'charity-empty');
  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '慈善募捐'),
      h('div', { class: 'actions' }, h('a', { class: 'btn', href: 'disclosure.html', target: '_blank', rel: 'noopener' }, '公开页面'))),
    toForm(ctx, '#/charity', to),
    h('dl', { class: 'facts', 'data-testid': 'charity-sums' },
      h('div', { class: 'fact' }, h('dt', null, '社会募集资金'), h('dd', { 'data-testid': 'charity-sum-raised' }, yuanText(sum('raised_fen')))),
      h('div', { class: 'fact' }, h('dt', null, '已使用'), h('dd', { 'data-testid': 'charity-sum-used' }, yuanText(sum('used_fen')))),
      h('div', { class: 'fact' }, h('dt', null, '干部职工捐款'), h('dd', { 'data-testid': 'charity-sum-staff' }, yuanText(sum('raised_fen', 'staff'))))),
    table,
    h('div', { class: 'pager' }, h('span', { class: 'muted' }, `共 ${count(list.total)} 个`), exportLinks('/api/v1/charity/appeals', { to }, 'charity-export'))));
  return undefined;
}

async function appeal(el, ctx, id) {
  ctx.setTitle('募捐活动');
  loading(el);
  const to = ctx.query.get('to') || '';
  let a, dons, uses, forms;
  try {
    [a, dons, uses, forms] = await Promise.all([
      get(`/api/v1/charity/appeals/${id}`, { to }),
      get(`/api/v1/charity/appeals/${id}/donations`, { to, limit: 100 }),
      get(`/api/v1/charity/appeals/${id}/uses`, { to, limit: 100 }),
      import('./charity_forms.js'),
    ]);
  } catch (err) {
    failure(el, err, '募捐活动加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const fact = (label, value, testid) => h('div', { class: 'fact' }, h('dt', null, label), h('dd', { 'data-testid': testid }, value));
  const donTable = dons.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'charity-donations' },
      h('thead', null, h('tr', null, ['日期', '捐赠人', '金额 / 物资', '渠道', '收据'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, dons.items.map((d) => h('tr', { 'data-testid': 'charity-donation-row' },
        h('td', { 'data-label': '日期', class: 'mono' }, d.donated_on),
        h('td', { 'data-label': '捐赠人' }, d.anonymous ? '匿名' : d.donor_name, d.disclose ? h('span', { class: 'badge' }, '同意公开') : null),
        h('td', { 'data-label': '金额 / 物资' }, d.kind === 'money' ? yuanText(d.amount_fen) : `${d.item_name} ${count(d.quantity)} ${d.unit}（已入库 ${count(d.received)}）`),
        h('td', { 'data-label': '渠道' }, CHANNELS[d.channel] || ''),
        h('td', { 'data-label': '收据' }, d.receipt_no))))))
    : emptyState('还没有捐赠', 'charity-donations-empty');
  const useTable = uses.items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'charity-uses' },
      h('thead', null, h('tr', null, ['日期', '受助对象', '用途', '凭证', '金额 / 物资'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, uses.items.map((u) => h('tr', { 'data-testid': 'charity-use-row' },
        h('td', { 'data-label': '日期', class: 'mono' }, u.used_on),
        h('td', { 'data-label': '受助对象' }, `${u.recipient_name}（${RECIPIENT_LABELS[u.recipient_kind] || ''}）`),
        h('td', { 'data-label': '用途' }, u.purpose),
        h('td', { 'data-label': '凭证' }, u.evidence),
        h('td', { 'data-label': '金额 / 物资' }, u.kind === 'money' ? yuanText(u.amount_fen) : `${u.item_name} ${count(u.quantity)} ${u.unit}`))))))
    : emptyState('还没有使用记录', 'charity-uses-empty');
  replace(el,
    h('a', { href: '#/charity' }, '‹ 全部募捐活动'),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', { 'data-testid': 'charity-name' }, a.name),
        a.kind === 'public' ? h('div', { class: 'actions' }, h('a', { class: 'btn', href: `disclosure.html#${a.id}`, target: '_blank', rel: 'noopener', 'data-testid': 'charity-public-link' }, '公开页面')) : null),
      h('p', { class: 'muted' }, `${a.organisation} · ${KIND_LABELS[a.kind]} · ${a.started_on} 起 · ${a.purpose}`),
      toForm(ctx, `#/charity/${id}`, to),
      h('dl', { class: 'facts', 'data-testid': 'charity-totals' },
        fact('募集资金', yuanText(a.raised_fen), 'charity-raised'),
        fact('使用资金', yuanText(a.used_fen), 'charity-used'),
        fact('余额', yuanText(a.balance_fen), 'charity-balance'),
        fact('捐赠物资折价', yuanText(a.goods_value_fen), 'charity-goods-value'),
        fact('物资对账', a.goods_reconciled ? `一致（捐赠 ${count(a.goods_donated)}，入库 ${count(a.goods_received)}）` : `不一致：捐赠 ${count(a.goods_donated)}，入库 ${count(a.goods_received)}`, 'charity-reconciled'))),
    h('section', { class: 'panel' }, h('h2', null, `捐赠（${count(dons.total)} 笔）`), forms.donationForm(a, () => ctx.refresh()), donTable,
      h('div', { class: 'pager' }, exportLinks(`/api/v1/charity/appeals/${id}/donations`, { to }, 'charity-donations-export'))),
    h('section', { class: 'panel' }, h('h2', null, `使用（${count(uses.total)} 笔）`), forms.useForm(a, () => ctx.refresh()), useTable,
      h('div', { class: 'pager' }, exportLinks(`/api/v1/charity/appeals/${id}/uses`, { to }, 'charity-uses-export'))));
  return undefined;
}
