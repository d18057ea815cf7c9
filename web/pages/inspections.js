// inspections.js — 督导检查 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '督导检查：建设中';
}
