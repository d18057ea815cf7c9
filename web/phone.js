// phone.js — mainland China phone numbers checked in the browser with the same rules and
// Chinese messages as the server (src/core/phone.c):
//   mobile    11 digits, "1" then 3–9 ("138 1234 5678" → "13812345678");
//   landline  area code + 7–8 digit number not starting with 0/1, '-' optional between them,
//             optional "-ext" of 1–6 digits ("05368123456" → "0536-8123456"). 010 and 020–029
//             are three-digit area codes, every other one has four.
// ASCII whitespace anywhere is ignored. Pure functions, no DOM.

const MAX_BYTES = 24; // the server refuses longer input before parsing

const isDigit = (c) => c !== undefined && c.length === 1 && c >= '0' && c <= '9';

function spanDigits(z, from = 0) {
  let n = 0;
  while (isDigit(z[from + n])) n++;
  return n;
}

const fail = (message) => ({ ok: false, value: '', message });

function mobile(z) {
  const n = new TextEncoder().encode(z).length;
  if (spanDigits(z) !== n) return fail('手机号只能由数字组成');
  if (n !== 11) return fail(`手机号长度错误：应为11位，实为${n}位`);
  if (z[1] < '3' || z[1] > '9') return fail('手机号第2位应为3–9');
  return { ok: true, value: z, message: '' };
}

function landline(z) {
  const at = (i) => (i < z.length ? z[i] : ''); // '' plays the C string's NUL
  const area = at(1) === '1' || at(1) === '2' ? 3 : 4;
  const lead = spanDigits(z);
  let num;
  if (at(1) === '0') return fail('固定电话区号错误：区号不能以00开头');
  if (lead < area) {
    if (at(lead) === '') return fail('固定电话号码不完整：应为区号加7–8位号码');
    if (at(lead) === '-') {
      return fail(area === 3 ? '固定电话区号错误：010、020–029为3位区号' : '固定电话区号错误：该区号应为4位（如 0536）');
    }
    return fail('固定电话只能由数字和“-”组成');
  }
  if (lead === area) {
    if (at(area) !== '-') {
      return fail(at(area) ? '固定电话只能由数字和“-”组成' : '固定电话缺少号码：区号后应为7–8位号码');
    }
    num = area + 1;
  } else {
    num = area;
  }
  const nn = spanDigits(z, num);
  if (nn < 7 || nn > 8) {
    if (at(num + nn) !== '' && at(num + nn) !== '-') return fail('固定电话只能由数字和“-”组成');
    return fail(`固定电话号码长度错误：区号后应为7–8位，实为${nn}位`);
  }
  if (at(num) === '0' || at(num) === '1') return fail('固定电话号码错误：区号后的号码不能以0或1开头');
  let ext = num + nn;
  let ne = 0;
  if (at(ext) === '-') {
    ext++;
    ne = spanDigits(z, ext);
    if (ne === 0 || at(ext + ne) !== '') {
      if (at(ext + ne) !== '' && at(ext + ne) !== '-') return fail('固定电话只能由数字和“-”组成');
      return fail('分机号错误：应为“-”后1–6位数字');
    }
    if (ne > 6) return fail('分机号错误：应为“-”后1–6位数字');
  } else if (at(ext) !== '') {
    return fail('固定电话只能由数字和“-”组成');
  }
  let value = z.slice(0, area) + '-' + z.slice(num, num + nn);
  if (ne) value += '-' + z.slice(ext, ext + ne);
  return { ok: true, value, message: '' };
}

/* validatePhone(text) → {ok, value (normalized), message}. Empty input is "电话号码为空";
 * callers decide whether a phone is required. */
export function validatePhone(text) {
  const z = String(text ?? '').replace(/[ \t\n\r\v\f]/g, '');
  if (new TextEncoder().encode(z).length > MAX_BYTES) return fail('电话号码过长');
  if (z === '') return fail('电话号码为空');
  if (z[0] === '1') return mobile(z);
  if (z[0] === '0') return landline(z);
  return fail('电话号码格式错误：应为11位手机号（如 13812345678）或带区号的固定电话（如 0536-8123456）');
}
