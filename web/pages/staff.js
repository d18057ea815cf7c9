// pages/staff.js — 干部下沉 (#/staff…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-staff' }, h('h1', null, '干部下沉'), h('p', null, '本模块尚在建设中。')));
}
