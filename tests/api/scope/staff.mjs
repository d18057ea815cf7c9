// scope/staff.mjs — staff deployment's part of the scope matrix (tests/api/scope.test.mjs): one
// member of staff deployed to a front-line post in the fixture village, made by the admin.
//
// The lists need the `staff` permission (county staff, the city admin; the route table). One
// deployment (GET …/{id}, POST …/{id}/end) is `login` in the table and its handler answers 404
// without `staff`, whatever the deployment.
import assert from 'node:assert/strict';

export const prefix = '/api/v1/staff/';

let serial = 0;

export async function fixture(admin, village, tag) {
  const d = await admin.post('/api/v1/staff/deployments', {
    staff_no: `S${Date.now().toString(36)}${++serial}`, name: `范围干部${tag}`, phone: '13800003333', from_unit: '市民政局',
    post: `范围卡口${tag}`, region_code: village, type: 'front_line', start_date: '2020-02-01', note: '范围测试',
  });
  assert.equal(d.status, 201, `admin deploys a member of staff to ${village}: ${d.text}`);
  return { staff_deployment_id: d.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'deployments') return f.staff_deployment_id;
  return undefined;
}

export const needs = (route, actor, f, can) => can(actor, 'staff');

// The summary is not a list: the distinct counts of the caller's scope over ?from..to (400
// `required` without them, which the list test accepts); tests/api/staff.test.mjs checks them.
export const mayBeEmpty = ['GET /api/v1/staff/summary'];
