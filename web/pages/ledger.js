// ledger.js — 困难台账 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '困难台账：建设中';
}
