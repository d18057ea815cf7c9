// scope/lottery.mjs — the lottery outlets' part of the scope matrix (tests/api/scope.test.mjs):
// a lottery outlet (an institution of type lottery_outlet) in the fixture village, made by the
// admin.
//
// Reading needs `institution.read`, writing (closure, checklist, reopening) `institution.manage`:
// the route table says so, and a role without them gets 403 whatever the outlet.
import assert from 'node:assert/strict';

export const prefix = '/api/v1/lottery/';

export async function fixture(admin, village, tag) {
  const r = await admin.post('/api/v1/institutions', { name: `范围福彩站点${tag}`, type: 'lottery_outlet', region_code: village, opened_on: '2020-01-01' });
  assert.equal(r.status, 201, `admin registers a lottery outlet in ${village}: ${r.text}`);
  return { lottery_outlet_id: r.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'outlets') return f.lottery_outlet_id;
  return undefined;
}

// Valid bodies for the writes (closure, checklist, reopening), so that only the scope can be the
// reason for a refusal: a foreign outlet answers 404 before anything is read from the body.
export function body(method, pattern) {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  if (pattern.endsWith('/closure')) return { date: today, note: '越权测试' };
  if (pattern.endsWith('/checklist')) return { checked_on: today, checked_by: '越权', temperature: true, masks: true, distance: true, disinfection: true };
  if (pattern.endsWith('/reopening')) return { date: today, note: '越权测试' };
  return undefined;
}
