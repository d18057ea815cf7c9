// hotline.js — 热线个案 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '热线个案：建设中';
}
