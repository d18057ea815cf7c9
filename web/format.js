// format.js — display formatting: money (integer fen → yuan text, no floating point), counts,
// dates and timestamps (shown in Asia/Shanghai, the bureau's time zone).

/* yuan(fen) → "1,200.00" for 120000. Integer arithmetic only: fen arrives as an integer (int64
 * on the server; exact in a JS number up to 2^53, i.e. 90 trillion yuan). */
export function yuan(fen) {
  if (fen === null || fen === undefined || fen === '') return '';
  const n = Number(fen);
  if (!Number.isInteger(n)) return String(fen);
  const neg = n < 0;
  const abs = Math.abs(n);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  return (neg ? '-' : '') + groupDigits(whole) + '.' + String(cents).padStart(2, '0');
}

/* yuanText(fen) → "1,200.00 元". */
export function yuanText(fen) {
  const y = yuan(fen);
  return y === '' ? '' : y + ' 元';
}

/* count(n) → "12,345"; '' for missing values, '—' never (callers decide). */
export function count(n) {
  if (n === null || n === undefined || n === '') return '';
  const v = Number(n);
  return Number.isInteger(v) ? (v < 0 ? '-' : '') + groupDigits(Math.abs(v)) : String(n);
}

function groupDigits(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/* date("2026-11-29T10:00:00+08:00") → "2026-11-29"; a plain date passes through. */
export function date(text) {
  if (!text) return '';
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(text));
  if (m && !String(text).includes('T')) return m[1];
  const t = dateTime(text);
  return t ? t.slice(0, 10) : String(text);
}

/* dateTime(iso) → "2026-11-29 10:00" in Asia/Shanghai. Text already in +08:00 is cut, not
 * converted, so it is shown exactly as the server wrote it. */
export function dateTime(text) {
  if (!text) return '';
  const s = String(text);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(\+08:00)?/.exec(s);
  if (m && m[3]) return m[1] + ' ' + m[2];
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const parts = shanghaiParts(d);
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/* todayShanghai() → "YYYY-MM-DD", today's date in the bureau's time zone. */
export function todayShanghai(now = new Date()) {
  const p = shanghaiParts(now);
  return `${p.year}-${p.month}-${p.day}`;
}

function shanghaiParts(d) {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  const out = {};
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value;
  return out;
}
