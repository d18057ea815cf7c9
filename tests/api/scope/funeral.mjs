// scope/funeral.mjs — the funeral module's part of the scope matrix (tests/api/scope.test.mjs):
// a funeral home registered in the fixture village and one body record there. Funeral records
// need the funeral permission, which townships and villages lack (403 for the lists, 404 for
// every record whatever its region), so only the county actors try the write routes, and the
// county reads its own records in the 200 test.
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

export const skip = (route, actor) => !actor.username.startsWith('county_') && !(route.method === 'GET' && route.pattern.includes('{'));

export const ownReader = 'county_370704';

// the suspensions are the city's dated rule, the same for everyone
export const unscoped = ['GET /api/v1/funeral/suspensions'];
