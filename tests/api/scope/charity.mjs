// scope/charity.mjs — the charity module's part of the scope matrix (tests/api/scope.test.mjs):
// a public appeal of an organisation in the fixture village's county, a money donation of a
// person who did not agree to be named, and a money use (docs/charity.md). Scope is the
// appeal's region code (the city or a county).
//
// Charity needs the `charity` permission (charity officers and the city admin only;
// src/accounts/roles.c): its lists and creates answer 403 without it (the route table); the
// routes by id are `login` in the table and their handlers answer 404 (reads) or 403 (writes)
// without it, whatever the appeal — the matrix checks both for every role. The charity officer
// and the city admin of the matrix are bound to a county: another county's appeal is 404.
//
// The disclosure (/api/v1/public/charity/…) is public by design: no login, any public appeal of
// the city, so it is no part of the scope matrix (a foreign appeal answers 200 to everyone).
// Instead the fixture checks that it names no donor who did not agree, shows no receipt number
// and no channel (tests/api/charity.test.mjs covers it in full).
import assert from 'node:assert/strict';

import { request } from '../../lib/http.mjs';

const STAFF = '/api/v1/charity/';
const PUBLIC = '/api/v1/public/charity/';
export const prefix = [STAFF, PUBLIC];

export async function fixture(admin, village, tag) {
  const county = village.slice(0, 6);
  const a = await admin.post('/api/v1/charity/appeals', {
    name: `范围募捐${tag}`, organisation: `范围慈善会${tag}`, region_code: county, kind: 'public', started_on: '2020-01-26', purpose: '范围测试',
  });
  assert.equal(a.status, 201, `admin opens an appeal of ${county}: ${a.text}`);
  assert.equal(a.json.region_code, county);
  const path = `/api/v1/charity/appeals/${a.json.id}`;
  const donor = `范围捐赠人${tag}`;
  const receipt = `FW${tag}${a.json.id}`;
  const d = await admin.post(`${path}/donations`, {
    kind: 'money', amount_fen: 50000, donor_kind: 'person', donor_name: donor, disclose: false, channel: 'wechat', receipt_no: receipt, donated_on: '2020-02-01',
  });
  assert.equal(d.status, 201, `admin records a donation: ${d.text}`);
  const u = await admin.post(`${path}/uses`, {
    kind: 'money', amount_fen: 20000, recipient_kind: 'township', recipient_name: '范围镇街', purpose: '范围测试', evidence: `范围拨${tag}`, used_on: '2020-02-10',
  });
  assert.equal(u.status, 201, `admin records a use: ${u.text}`);
  assert.equal(u.json.balance_fen, 30000);
  // the disclosure, without a login: the totals and the use, never the donor who did not agree
  const p = await request(admin.url, 'GET', `${PUBLIC}appeals/${a.json.id}`);
  assert.equal(p.status, 200, `the disclosure of the appeal: ${p.text}`);
  assert.equal(p.json.raised_fen, 50000);
  assert.ok(!p.text.includes(donor), 'a donor who did not agree is not named in public');
  assert.ok(!p.text.includes(receipt), 'receipt numbers are not shown in public');
  assert.ok(p.json.donation_list.every((x) => x.channel === undefined && x.receipt_no === undefined && x.created_by === undefined),
    'donations show no channel, receipt or clerk in public');
  assert.equal(p.json.created_by, undefined, 'the clerk is not shown in public');
  return { charity_appeal_id: a.json.id, charity_donation_id: d.json.id, charity_use_id: u.json.use_id };
}

export function param(prev, pattern, f) {
  if (prev === 'appeals') return f.charity_appeal_id;
  return undefined;
}

// the routes by id check `charity` in the handler (charity_api.c)
export const needs = (route, actor, f, can) => can(actor, 'charity');

// an appeal is of a county (or the city): the fixture's is the village's county
export const level = () => 'county';

// Valid bodies for the donations and uses, so that only the scope can refuse them (the handler
// reads the body before it looks the appeal up).
export function body(method, pattern, own, n) {
  if (pattern.endsWith('/donations')) {
    return { kind: 'money', amount_fen: 100, donor_kind: 'person', donor_name: `越权捐赠${n}`, disclose: true, channel: 'wechat', receipt_no: `YQ${n}${Date.now().toString(36)}`, donated_on: '2020-02-01' };
  }
  if (pattern.endsWith('/uses')) {
    return { kind: 'money', amount_fen: 100, recipient_kind: 'township', recipient_name: '越权镇街', purpose: '越权测试', evidence: `越权${n}`, used_on: '2020-02-10' };
  }
  return undefined;
}

// the public list is every public appeal of the city for everyone, without a login (see the header)
export const unscoped = ['GET /api/v1/public/charity/appeals'];

// the disclosure is public by design (see the header)
export const publicRoutes = {
  'GET /api/v1/public/charity/appeals': 'the disclosure: every public appeal of the city, for anyone, without donors who did not agree',
  'GET /api/v1/public/charity/appeals/{id}': 'the disclosure of one appeal: totals and uses, no hidden donor, receipt or channel',
};
