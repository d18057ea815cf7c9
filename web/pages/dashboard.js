// dashboard.js — 领导驾驶舱 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '领导驾驶舱：建设中';
}
