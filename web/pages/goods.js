// pages/goods.js — 物资管理 (#/goods…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-goods' }, h('h1', null, '物资管理'), h('p', null, '本模块尚在建设中。')));
}
