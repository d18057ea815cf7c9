// scope/charity.mjs — the charity module's part of the scope matrix (tests/api/scope.test.mjs):
// a public appeal of an organisation in the fixture village's county, a money donation of a
// person who did not agree to be named, and a money use (docs/charity.md). Scope is the
// appeal's region code (the city or a county).
//
// Charity needs the `charity` permission (charity officers and the city admin only;
// src/accounts/roles.c), which none of the matrix's actors has: its lists and its writes answer
// 403 whatever the record, so they are skipped for every actor; the reads by id answer 404
// without the permission, and the matrix still checks that for every actor. The 200 test reads
// the records as the demo's charity officer, whose scope is the whole city.
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

export function skip(route) {
  if (route.pattern.startsWith(PUBLIC)) return true; // public by design (see the header)
  // without `charity`: lists and writes 403 whatever the record; reads by id 404 (checked)
  // (none of the matrix's actors has `charity`)
  return !(route.method === 'GET' && route.pattern.includes('{'));
}

export const ownReader = 'charity';

// the public list is every public appeal of the city for everyone, without a login (see the header)
export const unscoped = ['GET /api/v1/public/charity/appeals'];
