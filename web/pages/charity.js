// pages/charity.js — 慈善募捐 (#/charity…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-charity' }, h('h1', null, '慈善募捐'), h('p', null, '本模块尚在建设中。')));
}
