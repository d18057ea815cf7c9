// institutions.js — 机构日报 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '机构日报：建设中';
}
