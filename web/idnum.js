// idnum.js — citizen ID numbers (GB 11643-1999) checked in the browser with the same rules, in
// the same order and with the same Chinese messages as the server (src/core/idnum.c), so a
// person sees the server's reason while typing:
//   1. length   长度错误：应为18位或15位，实为17位
//   2. chars    含非法字符：第14位为“A”，应为数字 / 含非法字符：第18位不是半角数字或X
//   3. date     出生日期不存在：1990-02-30 / 出生日期不合理：1700-01-01 早于1800年
//   4. future   出生日期晚于今天：2099-01-01（今天是 2026-11-29）
//   5. check    校验位错误：应为 X，实为 5
// 18 chars = 6-digit address code + YYYYMMDD + 3-digit sequence (odd male, even female) + check
// character "10X98765432"[Σ dᵢ·Wᵢ mod 11]. A legacy 15-digit number (address + YYMMDD +
// sequence) is converted by inserting "19" before the year and computing the check character.
// Address codes are not checked (divisions are renamed; old IDs keep retired codes).
// Pure functions, no DOM: runs under node for tests.

import { todayShanghai } from './format.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const MIN_YEAR = 1800; // earlier birth years are data-entry errors (as on the server)

const isDigit = (c) => c >= '0' && c <= '9' && c.length === 1;

/* trimAscii(s): strip ASCII whitespace only, like the server (a full-width space is a
 * character, and then an illegal one). */
function trimAscii(s) {
  return s.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
}

/* checkChar(first17) → the check character ('0'..'9' or 'X'). */
export function checkChar(first17) {
  let s = 0;
  for (let i = 0; i < 17; i++) s += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[s % 11];
}

function daysInMonth(y, m) {
  if (m < 1 || m > 12) return 0;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/* badChar(chars, total) → message for the first illegal character, or ''. `total` is the full
 * length: X/x is allowed only as the 18th of 18. */
function badChar(chars, total) {
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const pos = i + 1;
    const last18 = total === 18 && pos === 18;
    if (isDigit(c) || (last18 && (c === 'X' || c === 'x'))) continue;
    const want = last18 ? '数字或X' : '数字';
    const code = c.codePointAt(0);
    if (code >= 0x21 && code <= 0x7e) return `含非法字符：第${pos}位为“${c}”，应为${want}`;
    return `含非法字符：第${pos}位不是半角${want}`;
  }
  return '';
}

/* validateIdNumber(text, today?) →
 *   {ok: true, number, birthDate: "YYYY-MM-DD", male: bool, converted: bool}  or
 *   {ok: false, message}
 * Surrounding ASCII whitespace is ignored and a lower-case x is accepted. `today`
 * ("YYYY-MM-DD") defaults to today in Asia/Shanghai. `number` is the normalized 18-char form. */
export function validateIdNumber(text, today) {
  const z = trimAscii(String(text ?? ''));
  const chars = [...z]; // code points, as the server counts characters
  const n = chars.length;
  if (n !== 18 && n !== 15) return { ok: false, message: `长度错误：应为18位或15位，实为${n}位` };
  const bad = badChar(chars, n);
  if (bad) return { ok: false, message: bad };

  const first17 = n === 18 ? z.slice(0, 17) : z.slice(0, 6) + '19' + z.slice(6);
  const y = Number(first17.slice(6, 10));
  const m = Number(first17.slice(10, 12));
  const d = Number(first17.slice(12, 14));
  const birthDate = `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`;
  if (d < 1 || d > daysInMonth(y, m)) return { ok: false, message: `出生日期不存在：${birthDate}` };
  if (y < MIN_YEAR) return { ok: false, message: `出生日期不合理：${birthDate} 早于${MIN_YEAR}年` };
  const t = today || todayShanghai();
  if (birthDate > t) return { ok: false, message: `出生日期晚于今天：${birthDate}（今天是 ${t}）` };

  const want = checkChar(first17);
  if (n === 18) {
    const got = z[17] === 'x' ? 'X' : z[17];
    if (got !== want) return { ok: false, message: `校验位错误：应为 ${want}，实为 ${got}` };
  }
  return { ok: true, number: first17 + want, birthDate, male: Number(first17[16]) % 2 === 1, converted: n === 15 };
}

/* partialIdProblem(text) → a message that is already certain while the person is still typing,
 * or '' (a value that is merely too short is not an error until the field loses focus). */
export function partialIdProblem(text) {
  const z = trimAscii(String(text ?? ''));
  const chars = [...z];
  const n = chars.length;
  if (n === 0) return '';
  if (n > 18) return `长度错误：应为18位或15位，实为${n}位`;
  if (n === 18) {
    const r = validateIdNumber(z);
    return r.ok ? '' : r.message;
  }
  return badChar(chars, n);
}

/* ageOn(birthDate, today) → whole years (a 29 Feb birthday counts from 1 Mar in common years). */
export function ageOn(birthDate, today) {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age--;
  return age;
}
