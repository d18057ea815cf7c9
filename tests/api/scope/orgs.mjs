// scope/orgs.mjs — the social organisations' part of the scope matrix (tests/api/scope.test.mjs):
// an organisation registered in the fixture village, one volunteer of it and one engagement of it
// in the village, all made by the admin.
//
// The lists need the `social_org` permission (county_staff, township_assistant; the route
// table). One organisation's page (GET /api/v1/orgs/{id}) is `login` in the table and its handler
// answers 404 without social_org, whatever the organisation.
import assert from 'node:assert/strict';

export const prefix = '/api/v1/orgs';

let serial = 0;

export async function fixture(admin, village, tag) {
  const n = `${Date.now().toString(36)}${++serial}`;
  const o = await admin.post('/api/v1/orgs', {
    name: `范围志愿服务队${tag}-${n}`, type: 'volunteer_team', reg_no: `SCOPE-${n}`, region_code: village,
    contact_name: `范围联系人${tag}`, contact_phone: '13800001111',
  });
  assert.equal(o.status, 201, `admin registers an organisation in ${village}: ${o.text}`);
  const v = await admin.post('/api/v1/orgs/volunteers', { org_id: o.json.id, name: `范围志愿者${tag}`, phone: '13900002222', skills: '消杀' });
  assert.equal(v.status, 201, `admin adds a volunteer: ${v.text}`);
  const e = await admin.post('/api/v1/orgs/engagements', {
    org_id: o.json.id, date: '2020-02-03', region_code: village, activity: 'disinfection', area_m2: 1000, households: 0, volunteers: 1,
    note: `范围测试${tag}`, activities: [{ volunteer_id: v.json.id, hours_tenths: 20 }],
  });
  assert.equal(e.status, 201, `admin records an engagement: ${e.text}`);
  return { org_id: o.json.id, org_volunteer_id: v.json.id, org_engagement_id: e.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'orgs') return f.org_id;
  return undefined;
}

export const needs = (route, actor, f, can) => can(actor, 'social_org');

// The summary is not a list: the figures of the caller's scope over ?from..to (it answers 400
// `required` without them, which the list test accepts); tests/api/orgs.test.mjs checks them.
export const mayBeEmpty = ['GET /api/v1/orgs/summary'];
