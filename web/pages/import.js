// import.js — 数据导入 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '数据导入：建设中';
}
