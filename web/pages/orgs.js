// pages/orgs.js — 社会组织 (#/orgs…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-orgs' }, h('h1', null, '社会组织'), h('p', null, '本模块尚在建设中。')));
}
