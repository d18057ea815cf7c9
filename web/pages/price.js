// price.js — 价格补贴 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '价格补贴：建设中';
}
