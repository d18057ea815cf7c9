// pages/lottery.js — 福彩网点 (#/lottery…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-lottery' }, h('h1', null, '福彩网点'), h('p', null, '本模块尚在建设中。')));
}
