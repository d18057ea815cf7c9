// daily.js — 填报日报 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '填报日报：建设中';
}
