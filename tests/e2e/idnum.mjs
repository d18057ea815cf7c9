// idnum.mjs — GB 11643 citizen ID numbers computed for the browser tests (not a test file).
// 18 characters: 6-digit address code, birth date YYYYMMDD, 3-digit sequence (odd = male), and
// the check character "10X98765432"[Σ dᵢ·Wᵢ mod 11] with W = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function checkChar(id17) {
  assert17(id17);
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(id17[i]) * WEIGHTS[i];
  return CHECK[s % 11];
}

function assert17(id17) {
  if (!/^\d{17}$/.test(id17)) throw new Error(`not 17 digits: ${id17}`);
}

/** A character that is a valid 18th character in form but the wrong check character. */
export function wrongCheckChar(id17) {
  const right = checkChar(id17);
  return right === '5' ? '7' : '5';
}

// A per-run base so that IDs differ from run to run (the demo data is random, and the server
// refuses an ID that is already registered).
const runBase = (process.pid * 7919 + Date.now()) % 1000000;
let serial = 0;

/**
 * A fresh 17-digit prefix: {address, birth: 'YYYY-MM-DD', male}. opts.check: keep trying until
 * the check character is this one (e.g. 'X').
 */
export function makeId17({ address = '370704', male = true, check } = {}) {
  for (let tries = 0; tries < 1000; tries++) {
    serial++;
    const n = runBase + serial * 7907;
    const y = 1950 + (n % 50);
    const m = 1 + (Math.floor(n / 50) % 12);
    const d = 1 + (Math.floor(n / 600) % 28);
    let seq = Math.floor(n / 17) % 1000;
    if (seq % 2 !== (male ? 1 : 0)) seq = (seq + 1) % 1000;
    const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
    const id17 = address + birth + String(seq).padStart(3, '0');
    if (!check || checkChar(id17) === check) return id17;
  }
  throw new Error(`no ID with check character ${check}`);
}

/** A fresh valid 18-character ID number. */
export function makeId(opts) {
  const id17 = makeId17(opts);
  return id17 + checkChar(id17);
}

/** "370704********123X" */
export const maskId = (id) => id.slice(0, 6) + '********' + id.slice(-4);
