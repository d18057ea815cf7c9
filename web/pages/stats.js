// stats.js — 统计报告 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '统计报告：建设中';
}
