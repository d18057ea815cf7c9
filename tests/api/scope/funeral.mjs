// scope/funeral.mjs — the funeral module's part of the scope matrix (tests/api/scope.test.mjs):
// a funeral home registered in the fixture village and one body record there. Funeral records
// need the funeral permission (funeral workers, county staff, the city admin): 403 for the lists
// without it (the route table), 404 for every record whatever its region (the handlers).
import assert from 'node:assert/strict';

export const prefix = '/api/v1/funeral/';

export async function fixture(admin, village, tag) {
  const r = await admin.post('/api/v1/institutions', { name: `范围殡仪馆${tag}`, type: 'funeral_home', region_code: village, opened_on: '2020-01-01' });
  assert.equal(r.status, 201, `admin registers a funeral home: ${r.text}`);
  const b = await admin.post('/api/v1/funeral/bodies', {
    institution_id: r.json.id, unidentified: true, description: `范围测试${tag}`, died_on: '2020-02-01', source: 'home', cause: 'other',
  });
  assert.equal(b.status, 201, `admin registers a body: ${b.text}`);
  return { funeral_home_id: r.json.id, funeral_body_id: b.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'homes') return f.funeral_home_id;
  if (prev === 'bodies') return f.funeral_body_id;
  return undefined;
}

export const needs = (route, actor, f, can) => can(actor, 'funeral');

// the suspensions are the city's dated rule, the same for everyone
export const unscoped = ['GET /api/v1/funeral/suspensions'];
