// documents.test.mjs — epidemic policy documents over real HTTP (docs/orgs.md, "防疫文件"): the
// city issues a document with an attached file to every unit; a county sees it, downloads the
// file and acknowledges receipt (once); the issuer's list of units that have not acknowledged
// shrinks; a county issues to one of its townships, whose assistant (no documents permission)
// acknowledges; who may see what (404 otherwise); the file size limit (413); refused input;
// the export; the demo's 32 documents.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertError, assertStatus } from '../lib/http.mjs';
import { auditVerify, cliOk, sqlite, startServer } from '../lib/server.mjs';

let srv, admin, county, other, township;
const FILE = Buffer.from('潍民发〔2021〕9号\n关于测试的通知\n', 'utf8');

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  county = await srv.login('county_370704');
  other = await srv.login('county_370705');
  township = await srv.login('township_370704008');
});

after(async () => {
  await srv?.stop();
});

let doc;

test('the city issues to every unit; a county downloads and acknowledges once', async () => {
  doc = assertStatus(await admin.post('/api/v1/documents', {
    number: '潍民发〔2021〕9号', title: '关于测试的通知', issuing_body: '潍坊市民政局', issuer_code: '3707',
    issued_on: '2021-02-01', scope_text: '各县市区民政局', all_units: true,
    file: { name: '通知.txt', type: 'text/plain', content_base64: FILE.toString('base64') },
  }), 201, 'issue');
  assert.equal(doc.recipients, 16);
  assert.equal(doc.pending, 16);
  assert.equal(doc.file_size, FILE.length);
  const mine = assertStatus(await county.get('/api/v1/documents?unacknowledged=1&q=2021'), 200);
  assert.equal(mine.total, 1);
  assert.deepEqual(mine.items[0].mine, { acknowledged_at: null });
  const f = await county.get(`/api/v1/documents/${doc.id}/file`);
  assert.equal(f.status, 200);
  assert.match(f.headers.get('content-type'), /text\/plain/);
  assert.equal(f.text, FILE.toString('utf8'));
  const acked = assertStatus(await county.post(`/api/v1/documents/${doc.id}/acknowledge`, {}), 200);
  assert.equal(acked.acknowledged, 1);
  assert.ok(acked.mine.acknowledged_at);
  assertError(await county.post(`/api/v1/documents/${doc.id}/acknowledge`, {}), 409, 'already_acknowledged');
  const pending = assertStatus(await admin.get(`/api/v1/documents/${doc.id}/pending`), 200);
  assert.equal(pending.total, 15);
  assert.ok(!pending.items.some((r) => r.code === '370704'));
  assert.ok(pending.items.some((r) => r.code === '370705'));
  // a township is not a recipient of this one
  assertError(await township.get(`/api/v1/documents/${doc.id}`), 404, 'not_found');
  assertError(await township.get(`/api/v1/documents/${doc.id}/file`), 404, 'not_found');
  assertError(await township.post(`/api/v1/documents/${doc.id}/acknowledge`, {}), 404, 'not_found');
  const csv = await admin.get(`/api/v1/documents/${doc.id}/pending?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.text, /奎文区/);
  assert.doesNotMatch(csv.text, /坊子区/);
  assert.equal(sqlite(srv.dbPath, `SELECT count(*) FROM audit_log WHERE action = 'documents.acknowledge' AND object = 'document:${doc.id}'`).trim(), '1');
});

test('a county issues to its township; the assistant acknowledges; others do not see it', async () => {
  const d = assertStatus(await county.post('/api/v1/documents', {
    number: '坊民发〔2021〕2号', title: '关于卡口值守的通知', issuing_body: '坊子区民政局',
    issued_on: '2021-02-03', recipients: ['370704008'],
  }), 201);
  assert.equal(d.issuer_code, '370704');
  assert.equal(d.recipients_list.length, 1);
  assertError(await other.get(`/api/v1/documents/${d.id}`), 404, 'not_found');
  assertError(await township.get(`/api/v1/documents/${d.id}/pending`), 404, 'not_found');
  assertError(await township.get(`/api/v1/documents/${d.id}/file`), 404, 'not_found'); // no file
  const t = assertStatus(await township.post(`/api/v1/documents/${d.id}/acknowledge`, {}), 200);
  assert.equal(t.pending, 0);
  assertError(await township.post('/api/v1/documents', { number: 'X', title: 'X', issuing_body: 'X', issued_on: '2021-02-03', recipients: ['370704008'] }), 403, 'forbidden');
});

test('refused issues change nothing; the file limit is 700 KB', async () => {
  const before = sqlite(srv.dbPath, 'SELECT count(*) FROM documents').trim();
  const base = { number: '坊民发〔2021〕3号', title: '标题', issuing_body: '坊子区民政局', issued_on: '2021-02-03', recipients: ['370704008'] };
  assertError(await county.post('/api/v1/documents', { ...base, recipients: ['370705'] }), 403, 'out_of_scope', 'recipients[0].code');
  assertError(await county.post('/api/v1/documents', { ...base, recipients: [] }), 400, 'required', 'recipients');
  assertError(await county.post('/api/v1/documents', { ...base, issued_on: '2021-02-30' }), 400, 'invalid_value', 'issued_on');
  assertError(await county.post('/api/v1/documents', { ...base, number: '潍民发〔2021〕9号' }), 409, 'duplicate_number', 'number');
  assertError(await county.post('/api/v1/documents', { ...base, file: { name: 'a.exe', type: 'application/x-msdownload', content_base64: 'AAAA' } }), 400, 'invalid_value', 'file.type');
  assertError(await county.post('/api/v1/documents', { ...base, file: { name: 'a.txt', type: 'text/plain', content_base64: '***' } }), 400, 'invalid_value', 'file.content_base64');
  const big = Buffer.alloc(710 * 1024, 65).toString('base64');
  assertError(await county.post('/api/v1/documents', { ...base, file: { name: 'a.pdf', type: 'application/pdf', content_base64: big } }), 413, 'file_too_large');
  assert.equal(sqlite(srv.dbPath, 'SELECT count(*) FROM documents').trim(), before);
});

test('lists export; the demo city has 32 documents, some not yet acknowledged', async () => {
  const x = await admin.get('/api/v1/documents?format=xlsx');
  assert.equal(x.status, 200);
  assert.match(x.headers.get('content-type'), /spreadsheet/);
  const demo = assertStatus(await admin.get('/api/v1/documents?from=2020-01-01&to=2020-04-26&limit=200'), 200);
  assert.equal(demo.total, 32);
  assert.ok(demo.items.every((d) => d.recipients === 16));
  assert.ok(demo.items.some((d) => d.pending > 0));
  const rep = JSON.parse(cliOk(['report', 'stats', '--db', srv.dbPath, '--from', '2020-01-24', '--to', '2020-04-26', '--format', 'json']));
  assert.equal(rep.city['documents.issued'], 32);
  assert.equal(rep.counties['370704']['documents.issued'], 0);
  const cli = JSON.parse(cliOk(['documents', 'pending', '--db', srv.dbPath, '--id', String(doc.id)]));
  assert.equal(cli.total, 15);
  assert.equal(auditVerify(srv.dbPath).status, 0);
});
