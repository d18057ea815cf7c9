// duty.js — 值班值守 (placeholder until the module lands).
export default async function render(el) {
  el.textContent = '值班值守：建设中';
}
