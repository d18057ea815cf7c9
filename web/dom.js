// dom.js — a tiny element builder. Pages build DOM with h() and never assign innerHTML, so data
// from the server (names, addresses) can never be interpreted as markup.

/* h(tag, props, ...children) → Element.
 * props: "class" → className; "onX" functions → event listeners; "value"/"checked"/"disabled"
 * → properties (value applied after children, so a <select> finds its option); true → boolean
 * attribute; null/undefined/false → skipped; anything else → attribute (data-testid, for, …).
 * children: nodes, strings, numbers, arrays of those; null/false/undefined are skipped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') value = v;
      else if (k === 'checked' || k === 'disabled' || k === 'selected') el[k] = true;
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    }
  }
  append(el, children);
  if (value !== undefined) el.value = String(value);
  return el;
}

/* append(el, children): add nodes/strings (arrays flattened, empty values skipped). */
export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/* replace(el, ...children): empty el, then append. */
export function replace(el, ...children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return append(el, children);
}
