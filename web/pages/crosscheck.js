// pages/crosscheck.js — 死亡比对 (#/crosscheck…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-crosscheck' }, h('h1', null, '死亡比对'), h('p', null, '本模块尚在建设中。')));
}
