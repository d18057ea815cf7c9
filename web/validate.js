// validate.js — small input checks shared by the forms, worded like the server's own errors
// (src/registry/registry_rules.c, registry_store.c) so a message reads the same whether the
// browser or the server found the fault. Each *Problem returns '' when the value is fine or a
// Chinese message. ID numbers live in idnum.js, phone rules in phone.js.

import { validatePhone } from './phone.js';
import { validateIdNumber } from './idnum.js';

/* Limits, as in src/registry/registry.h. */
export const LIMITS = { nameChars: 30, addressChars: 200, reasonChars: 200, members: 20 };

/* phoneProblem(text, {required}) — see phone.js; '' for an empty optional phone. */
export function phoneProblem(text, { required = false } = {}) {
  if (String(text ?? '').trim() === '' && !required) return '';
  const r = validatePhone(text);
  return r.ok ? '' : r.message;
}

/* villageCodeProblem(text) — a village code is exactly 12 digits. */
export function villageCodeProblem(text) {
  const s = String(text ?? '').trim();
  if (s === '') return '请填写所在村（社区）的代码';
  if (!/^\d{12}$/.test(s)) return '区划代码应为 12 位数字的村（社区）代码';
  return '';
}

/* regionFilterProblem(text) — the search filter: digits, at most 12; '' when empty. */
export function regionFilterProblem(text) {
  const s = String(text ?? '').trim();
  if (s === '') return '';
  if (!/^\d+$/.test(s)) return '区划代码应为数字';
  if (s.length > 12) return '区划代码最长 12 位';
  return '';
}

/* searchQueryProblem(q) — q is a name prefix, a full ID number (18 or legacy 15), or its last
 * 4–6 characters. Digits (with an optional final X) are taken as an ID number. */
export function searchQueryProblem(q) {
  const s = String(q ?? '').trim();
  if (s === '' || !/^\d*[\dXx]$/.test(s)) return '';
  if (s.length === 18 || s.length === 15) {
    const r = validateIdNumber(s);
    return r.ok ? '' : r.message;
  }
  if (s.length >= 4 && s.length <= 6) return '';
  return '请输入姓名开头、完整身份证号或身份证号末 4–6 位';
}

/* textProblem(text, max, what) — length in characters (code points), as the server counts. */
export function textProblem(text, max, what) {
  const n = [...String(text ?? '').trim()].length;
  return n > max ? `${what}过长：最多 ${max} 个字，实为 ${n} 个` : '';
}

/* requiredProblem(text, message) */
export function requiredProblem(text, message) {
  return String(text ?? '').trim() === '' ? message : '';
}
