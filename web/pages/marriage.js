// pages/marriage.js — 婚姻登记 (#/marriage…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-marriage' }, h('h1', null, '婚姻登记'), h('p', null, '本模块尚在建设中。')));
}
