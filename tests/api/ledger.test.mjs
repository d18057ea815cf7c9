// ledger.test.mjs — docs/api.md "Hardship ledger" over real HTTP: a household tagged in the
// registry joins its village's ledger at the next look, due at once; the village worker records
// a visit with a need, the entry leaves the overdue list and the need is settled; helpers and
// township 24-hour numbers, the printable notice; hand-added entries; bad input (400 with the
// field, nothing written); other townships (404) and read-only roles (403); unmasking (audited);
// a need opening a temporary-assistance grant; statistics; the sync job; the CLI giving the same
// figures; the audit chain intact.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus, makeId, todayShanghai } from '../lib/http.mjs';
import { auditVerify, sqlite, startServer } from '../lib/server.mjs';

const VILLAGE = '370704008231'; // 太保庄街道 栾家山后村
const VILLAGE2 = '370704008201'; // 太保庄村, same township
const TOWNSHIP = '370704008';
const OTHER_VILLAGE = '370704009201'; // 王家庄街道 王家庄子村, same county
let srv, admin, county, town, village, otherTown, leader;

function dayPlus(n) {
  const [y, m, d] = todayShanghai().split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

let serial = 0;
/** A household with a tagged head and an untagged child; returns {household, head, child}. */
async function household(tags = ['elderly_alone'], client = town, region = VILLAGE) {
  serial++;
  const h = assertStatus(await client.post('/api/v1/households', {
    region_code: region,
    address: `台账测试 ${serial} 号`,
    residence_type: 'rural',
    phone: '13912345678',
    members: [
      { id_number: makeId({ birth: '1941-03-01' }), name: `台账户主${serial}`, relation: 'head', tags, phone: '13800001111' },
      { id_number: makeId({ birth: '2012-06-01' }), name: `台账子女${serial}`, relation: 'child' },
    ],
  }), 201, 'household');
  return { household: h, head: h.head_person_id, child: h.members.find((m) => m.relation === 'child').id };
}

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  town = await srv.login('township_370704008');
  village = await srv.login('village_370704008231');
  otherTown = await srv.login('township_370704009');
  leader = await srv.login('leader');
});

after(async () => {
  await srv?.stop();
});

test('a tagged person joins the village ledger at once, due today, masked, with the frequency of the category', async () => {
  const { head, child } = await household(['elderly_alone']);
  const list = assertStatus(await village.get('/api/v1/ledger/entries?limit=200'), 200);
  const e = list.items.find((x) => x.id === head);
  assert.ok(e, 'the head is on the village ledger');
  assert.ok(!list.items.some((x) => x.id === child), 'the untagged child is not');
  assert.deepEqual(e.categories, ['elderly_alone']);
  assert.equal(e.source, 'auto');
  assert.equal(e.joined_on, todayShanghai());
  assert.equal(e.next_due, todayShanghai());
  assert.equal(e.due, true);
  assert.equal(e.days_overdue, 0);
  assert.equal(e.frequency_days, 7); // ledger_visit_days_elderly_alone (demo value)
  assert.equal(e.masked, true);
  assert.match(e.id_number, /^\d{6}\*{8}\d{3}[\dX]$/);
  assert.equal(e.phone, '138****1111');
  for (const it of list.items) assert.ok(it.region_code === VILLAGE, `village list holds ${it.region_code}`);
});

test('recording a visit with a need takes the entry off the overdue list; the need is settled later', async () => {
  const { head } = await household(['seriously_ill']);
  let od = assertStatus(await village.get('/api/v1/ledger/overdue?limit=200'), 200);
  assert.ok(od.items.some((x) => x.id === head), 'due at once: on the overdue list');
  const before = od.total;
  const r = assertStatus(await village.post(`/api/v1/ledger/entries/${head}/visits`, {
    mode: 'home', visitor: '王芳', findings: '老人咳嗽，药快吃完了', actions: '联系村医上门',
    needs: [{ kind: 'medicine', detail: '降压药剩两天' }],
  }), 201, 'visit');
  assert.ok(r.visit_id > 0);
  assert.equal(r.last_visit_on, todayShanghai());
  assert.equal(r.next_due, dayPlus(7)); // seriously ill: 7 days
  assert.equal(r.open_needs, 1);
  assert.equal(r.visit_list[0].visitor, '王芳');
  assert.equal(r.visit_list[0].needs[0].kind, 'medicine');
  assert.equal(r.needs[0].status, 'open');
  od = assertStatus(await village.get('/api/v1/ledger/overdue?limit=200'), 200);
  assert.ok(!od.items.some((x) => x.id === head), 'visited: off the list');
  assert.equal(od.total, before - 1);
  const need = r.needs[0].id;
  const s = assertStatus(await village.post(`/api/v1/ledger/entries/${head}/needs/resolve`, { need_id: need, status: 'met', resolution: '村医已送药' }), 200);
  assert.equal(s.open_needs, 0);
  assert.equal(s.needs[0].status, 'met');
  assert.equal(s.needs[0].resolved_by, 'village_370704008231');
  assertError(await village.post(`/api/v1/ledger/entries/${head}/needs/resolve`, { need_id: need, status: 'met' }), 409, 'need_closed');
});

test('bad visits answer 400 with the field and write nothing', async () => {
  const { head } = await household(['orphan']);
  const cases = [
    [{ mode: 'sms' }, 'mode'],
    [{}, 'mode'],
    [{ mode: 'home', visited_on: dayPlus(1) }, 'visited_on'],
    [{ mode: 'home', visited_on: '2020-02-30' }, 'visited_on'],
    [{ mode: 'home', needs: [{ kind: 'car' }] }, 'needs[0].kind'],
    [{ mode: 'home', findings: 'x'.repeat(501) }, 'findings'],
    [{ mode: 'home', resolve: [{ need_id: 999999, status: 'met' }] }, 'resolve[0].need_id'],
  ];
  for (const [body, field] of cases) {
    const res = await village.post(`/api/v1/ledger/entries/${head}/visits`, body);
    assert.ok(res.status === 400 || res.status === 404, `${JSON.stringify(body)}: ${res.status}`);
    assertError(res, res.status, res.json.error.code, field);
  }
  const e = assertStatus(await village.get(`/api/v1/ledger/entries/${head}`), 200);
  assert.equal(e.visits, 0);
  assert.deepEqual(e.visit_list, []);
  assertError(await village.post(`/api/v1/ledger/entries/${head}/visits`, 'not json'), 400, 'invalid_json');
});

test('another township gets 404 and a read-only role 403; nothing changes', async () => {
  const { head } = await household(['left_behind_child']);
  assertError(await otherTown.get(`/api/v1/ledger/entries/${head}`), 404, 'not_found');
  assertError(await otherTown.post(`/api/v1/ledger/entries/${head}/visits`, { mode: 'home' }), 404, 'not_found');
  assertError(await otherTown.post(`/api/v1/ledger/entries/${head}/close`, { reason: '越权' }), 404, 'not_found');
  for (const [m, p, b] of [
    ['GET', '/api/v1/ledger/entries'], ['GET', `/api/v1/ledger/entries/${head}`], ['GET', '/api/v1/ledger/overdue'],
    ['GET', '/api/v1/ledger/stats'], ['POST', `/api/v1/ledger/entries/${head}/visits`, { mode: 'home' }],
    ['PUT', `/api/v1/ledger/contacts/${TOWNSHIP}`, { phone: '0536-8123456' }],
  ]) assertError(await leader.raw(m, p, { body: b }), 403, 'forbidden');
  const e = assertStatus(await town.get(`/api/v1/ledger/entries/${head}`), 200);
  assert.equal(e.status, 'active');
  assert.equal(e.visits, 0);
  assertError(await village.get(`/api/v1/ledger/entries?region=${OTHER_VILLAGE}`), 404, 'not_found');
});

test('unmasking shows the full ID number and phone and is audited', async () => {
  const { head, household: h } = await household(['severely_disabled']);
  const e = assertStatus(await village.get(`/api/v1/ledger/entries/${head}?unmask=1`), 200);
  assert.equal(e.masked, false);
  assert.equal(e.id_number, h.members.find((m) => m.id === head) ? (await admin.get(`/api/v1/persons/${head}?unmask=1`)).json.id_number : '');
  assert.equal(e.phone, '13800001111');
  const n = sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = 'ledger.unmask' AND object = 'ledger_entry:${head}';`).trim();
  assert.equal(n, '1');
});

test('the helper is a user covering the village; the township sets its 24-hour number; the notice prints both', async () => {
  const { head } = await household(['elderly_alone'], town, VILLAGE2);
  const helpers = assertStatus(await town.get('/api/v1/ledger/helpers'), 200);
  assert.ok(helpers.items.some((h) => h.username === 'township_370704008'));
  for (const h of helpers.items) assert.ok(h.region_code.startsWith(TOWNSHIP), `helper ${h.username} in scope`);
  // the village worker of 栾家山后村 does not cover 太保庄村
  assertError(await town.post(`/api/v1/ledger/entries/${head}/assign`, { helper_username: 'village_370704008231', helper_name: '王芳', helper_phone: '13812345678' }), 409, 'invalid_helper');
  assertError(await town.post(`/api/v1/ledger/entries/${head}/assign`, { helper_username: 'township_370704008', helper_name: '李强', helper_phone: '12' }), 400, 'invalid_phone', 'helper_phone');
  const a = assertStatus(await town.post(`/api/v1/ledger/entries/${head}/assign`, { helper_username: 'township_370704008', helper_name: '李强', helper_phone: '139 0536 0001' }), 200);
  assert.deepEqual({ username: a.helper.username, name: a.helper.name, phone: a.helper.phone }, { username: 'township_370704008', name: '李强', phone: '13905360001' });

  assertError(await village.raw('PUT', `/api/v1/ledger/contacts/${TOWNSHIP}`, { body: { phone: '0536-8123456' } }), 404, 'not_found');
  assertError(await town.raw('PUT', '/api/v1/ledger/contacts/370704009', { body: { phone: '0536-8123456' } }), 404, 'not_found');
  assertError(await town.raw('PUT', `/api/v1/ledger/contacts/${TOWNSHIP}`, { body: { phone: '8123' } }), 400, 'invalid_phone');
  const c = assertStatus(await town.raw('PUT', `/api/v1/ledger/contacts/${TOWNSHIP}`, { body: { phone: '0536 7654321', note: '民政办值班室' } }), 200);
  assert.equal(c.phone, '0536-7654321');
  const n = assertStatus(await town.get(`/api/v1/ledger/notice/${VILLAGE2}`), 200);
  assert.equal(n.contact.phone, '0536-7654321');
  assert.equal(n.contact.note, '民政办值班室');
  assert.equal(n.level, 'village');
  assert.ok(n.helpers.some((h) => h.name === '李强' && h.phone === '13905360001'));
  assert.ok(!JSON.stringify(n).includes('台账户主'), 'the notice names no one on the ledger');
  const d = assertStatus(await village.get(`/api/v1/ledger/entries?limit=1`), 200);
  assert.ok(d.items.length > 0);
  const detail = assertStatus(await village.get(`/api/v1/ledger/entries/${d.items[0].id}`), 200);
  assert.equal(detail.contact.phone, '0536-7654321', 'the entry shows its township number');
  assertError(await village.get(`/api/v1/ledger/notice/${TOWNSHIP}`), 404, 'not_found');
});

test('adding by hand: categories seen, no roll categories, one entry per person; close and reopen', async () => {
  const { head } = await household([]);
  assertError(await village.post('/api/v1/ledger/entries', { person_id: head }), 400, 'required', 'categories');
  assertError(await village.post('/api/v1/ledger/entries', { person_id: head, categories: ['dibao'] }), 400, 'invalid_value', 'categories[0]');
  const e = assertStatus(await village.post('/api/v1/ledger/entries', { person_id: head, categories: ['other'], note: '独自照顾瘫痪老伴' }), 201);
  assert.equal(e.source, 'manual');
  assert.deepEqual(e.manual_categories, ['other']);
  assert.equal(e.frequency_days, 30);
  assertError(await village.post('/api/v1/ledger/entries', { person_id: head, categories: ['other'] }), 409, 'entry_exists');
  const p = assertStatus(await village.patch(`/api/v1/ledger/entries/${head}`, { categories: ['other', 'left_behind_elderly'] }), 200);
  assert.equal(p.frequency_days, 14);
  assertError(await village.post(`/api/v1/ledger/entries/${head}/close`, {}), 400, 'required', 'reason');
  const c = assertStatus(await village.post(`/api/v1/ledger/entries/${head}/close`, { reason: '已随子女外出居住' }), 200);
  assert.equal(c.status, 'closed');
  assert.equal(c.close_kind, 'manual');
  assert.equal(c.next_due, null);
  assertError(await village.post(`/api/v1/ledger/entries/${head}/visits`, { mode: 'phone' }), 409, 'entry_closed');
  const closed = assertStatus(await village.get('/api/v1/ledger/entries?status=closed&limit=200'), 200);
  assert.ok(closed.items.some((x) => x.id === head));
  const o = assertStatus(await village.post(`/api/v1/ledger/entries/${head}/reopen`, {}), 200);
  assert.equal(o.status, 'active');
});

test('a tag removed in the registry closes the entry automatically, with the reason', async () => {
  const { head } = await household(['isolated_family']);
  assertStatus(await village.get(`/api/v1/ledger/entries/${head}`), 200);
  assertStatus(await town.patch(`/api/v1/persons/${head}`, { tags: [] }), 200);
  const e = assertStatus(await village.get(`/api/v1/ledger/entries/${head}`), 200);
  assert.equal(e.status, 'closed');
  assert.equal(e.close_kind, 'auto');
  assert.match(e.close_reason, /标签/);
});

test('a need opens a temporary-assistance grant in one step, linked to the need', async () => {
  const { head } = await household(['covid_patient_family']);
  const v = assertStatus(await town.post(`/api/v1/ledger/entries/${head}/visits`, { mode: 'phone', needs: [{ kind: 'food', detail: '隔离在家，家中断粮' }] }), 201);
  const need = v.needs[0].id;
  const r = assertStatus(await town.post(`/api/v1/ledger/entries/${head}/relief`, {
    need_id: need, kind: 'emergency', cause: 'epidemic_isolation', amount_fen: 100000, form: 'cash', reason: '隔离期间断粮',
  }), 201);
  assert.ok(r.grant_id > 0);
  assert.equal(r.needs.find((n) => n.id === need).relief_grant_id, r.grant_id);
  const g = assertStatus(await town.get(`/api/v1/relief/grants/${r.grant_id}`), 200);
  assert.equal(g.person_id, head);
  assertError(await town.post(`/api/v1/ledger/entries/${head}/relief`, { need_id: need, kind: 'emergency', cause: 'epidemic_isolation', amount_fen: 100000 }), 409, 'need_relief');
});

test('the county sees the overdue list by township, most overdue first', async () => {
  await household(['elderly_alone'], county, OTHER_VILLAGE);
  const od = assertStatus(await county.get('/api/v1/ledger/overdue?limit=50'), 200);
  assert.equal(od.date, todayShanghai());
  assert.ok(od.total >= od.items.length && od.items.length > 0);
  for (let i = 1; i < od.items.length; i++) assert.ok(od.items[i - 1].next_due <= od.items[i].next_due, 'most overdue first');
  for (const it of od.items) assert.ok(it.region_code.startsWith('370704') && it.due, `in scope and due: ${it.region_code}`);
  assert.ok(od.groups.length >= 2);
  for (const g of od.groups) assert.equal(g.region_code.length, 9, 'one row per township');
  assert.equal(od.groups.reduce((s, g) => s + g.overdue, 0), od.total);
  const asOf = assertStatus(await county.get('/api/v1/ledger/overdue?date=2019-12-31&groups=0'), 200);
  assert.equal(asOf.total, 0, 'nothing was due before anyone joined');
  assertError(await county.get('/api/v1/ledger/overdue?date=2020-02-30'), 400, 'invalid_value', 'date');
  assertError(await county.get('/api/v1/ledger/overdue?region=370705'), 404, 'not_found');
});

test('statistics per period and region; the CLI prints the same figures', async () => {
  const month = todayShanghai().slice(0, 7);
  const s = assertStatus(await county.get(`/api/v1/ledger/stats?from=${month}&to=${month}`), 200);
  assert.equal(s.end, todayShanghai());
  assert.ok(s.total.entries > 0);
  assert.ok(s.total.visits >= 2, `visits this month: ${s.total.visits}`); // the two visits recorded above
  assert.ok(s.total.needs.raised >= 2 && s.total.needs.met >= 1);
  assert.equal(s.items.reduce((a, x) => a + x.entries, 0), s.total.entries);
  for (const it of s.items) assert.equal(it.region_code.length, 9);
  const cli = JSON.parse(srv.cli(['ledger', 'stats', '--db', srv.dbPath, '--from', month, '--to', month, '--region', '370704', '--format', 'json']).stdout);
  assert.equal(cli.total.entries, s.total.entries);
  assert.equal(cli.total.visits, s.total.visits);
  assert.equal(cli.total.overdue, s.total.overdue);
  assertError(await county.get('/api/v1/ledger/stats?from=2020-05&to=2020-04'), 400, 'invalid_value', 'to');
});

test('the sync runs as a job and changes nothing when nothing changed; the CLI lists the overdue', async () => {
  const j = assertStatus(await county.post('/api/v1/jobs', { kind: 'ledger.sync' }), 202);
  let d;
  for (let i = 0; i < 100; i++) {
    d = assertStatus(await county.get(`/api/v1/jobs/${j.id}`), 200);
    if (d.status === 'done' || d.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(d.status, 'done', JSON.stringify(d));
  assert.equal(d.result.joined, 0);
  assert.equal(d.result.closed, 0);
  assert.ok(d.result.examined > 0);
  const out = srv.cli(['ledger', 'overdue', '--db', srv.dbPath, '--region', TOWNSHIP]);
  assert.equal(out.status, 0, out.stderr);
  const api = assertStatus(await town.get('/api/v1/ledger/overdue?groups=0'), 200);
  assert.match(out.stdout, new RegExp(`overdue=${api.total} `));
});

test('the audit chain is intact after the ledger writes', () => {
  const v = auditVerify(srv.dbPath);
  assert.equal(v.status, 0, v.out);
  const n = Number(sqlite(srv.dbPath, "SELECT count(*) FROM audit_log WHERE action LIKE 'ledger.%';").trim());
  assert.ok(n >= 10, `ledger audit rows: ${n}`);
});
