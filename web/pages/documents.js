// pages/documents.js — 防疫文件 (#/documents…).

import { h, replace } from '../dom.js';

export default async function render(el) {
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-documents' }, h('h1', null, '防疫文件'), h('p', null, '本模块尚在建设中。')));
}
