// pages/funeral.js — 殡葬服务 (#/funeral…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-funeral' }, h('h1', null, '殡葬服务'), h('p', null, '本模块尚在建设中。')));
}
