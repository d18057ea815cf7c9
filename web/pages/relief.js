// relief.js — 临时救助 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '临时救助：建设中';
}
