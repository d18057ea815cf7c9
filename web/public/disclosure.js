// public/disclosure.js — the public disclosure of charity appeals (disclosure.html): no account,
// phone-friendly, Chinese. Lists the public appeals with money raised and used; one appeal
// (#ID in the address) shows its totals to a date (截至), every use with recipient, purpose and
// voucher, and the donations — a donor who did not agree to be named appears as 爱心人士, an
// anonymous one as 匿名, their amounts still counted. Talks to /api/v1/public/charity/…
// (docs/charity.md).

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { field, textInput, button } from '../ui.js';
import { yuanText, count } from '../format.js';
import { usesTable, donationsTable, totalsFacts } from './disclosure_parts.js';

const root = document.getElementById('disclosure');

function appealId() {
  const m = /^#\/?(\d+)$/.exec(location.hash);
  return m ? Number(m[1]) : 0;
}

async function showList() {
  let list;
  try {
    list = (await get('/api/v1/public/charity/appeals')).items || [];
  } catch (err) {
    replace(root, h('div', { class: 'panel panel-error', 'data-testid': 'disc-error' }, err.message || '加载失败，请稍后再试'));
    return;
  }
  const cards = list.map((a) => h('a', { class: 'panel', href: `#${a.id}`, 'data-testid': 'disc-appeal', 'data-id': String(a.id), style: 'display:block' },
    h('strong', null, a.name),
    h('div', { class: 'muted' }, `${a.organisation} · ${a.started_on} 起`),
    h('div', null, `募集资金 ${yuanText(a.raised_fen)}，已使用 ${yuanText(a.used_fen)}，捐赠 ${count(a.donations)} 笔`)));
  replace(root, h('h1', null, '慈善募捐活动'),
    cards.length ? h('div', null, cards) : h('p', { class: 'empty', 'data-testid': 'disc-empty' }, '暂无公开的募捐活动'));
}

async function showAppeal(id, to) {
  let a;
  try {
    a = await get(`/api/v1/public/charity/appeals/${id}`, to ? { to } : undefined);
  } catch (err) {
    replace(root, h('a', { href: '#' }, '‹ 全部募捐活动'),
      h('div', { class: 'panel panel-error', 'data-testid': 'disc-error' }, err.message || '加载失败，请稍后再试'));
    return;
  }
  const toF = field({ label: '截至日期', testid: 'disc-to', input: textInput({ type: 'date', value: to || '' }) });
  const go = button('查询', { class: 'btn btn-primary', 'data-testid': 'disc-go' });
  go.addEventListener('click', () => showAppeal(id, toF.input.value));
  replace(root,
    h('a', { href: '#', 'data-testid': 'disc-back' }, '‹ 全部募捐活动'),
    h('section', { class: 'panel', 'data-testid': 'disc-head' },
      h('h1', { 'data-testid': 'disc-name' }, a.name),
      h('p', { class: 'muted' }, `${a.organisation} · ${a.started_on} 起 · ${a.purpose || ''}`),
      h('div', { class: 'form-grid' }, toF.wrap, h('div', { class: 'actions' }, go)),
      totalsFacts(a)),
    h('section', { class: 'panel' }, h('h2', null, `使用明细（${a.uses.length} 笔）`), usesTable(a.uses)),
    h('section', { class: 'panel' }, h('h2', null, `捐赠名单（${a.donation_list.length} 笔）`),
      h('p', { class: 'muted' }, '未同意公开姓名的个人捐赠人显示为“爱心人士”，匿名捐赠显示为“匿名”，其捐赠均计入合计。'),
      donationsTable(a.donation_list)));
}

function route() {
  const id = appealId();
  if (id) showAppeal(id, '');
  else showList();
}

window.addEventListener('hashchange', route);
route();
