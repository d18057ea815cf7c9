// rescue.js — 救助站 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '救助站：建设中';
}
