// jobs.test.mjs — long work on the runner thread: POST /api/v1/jobs answers 202 at once, the job
// runs off the event loops, GET /api/v1/jobs/{id} shows progress and the result; jobs belong to
// their submitter; kinds and their permissions are checked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { dropTrigger } from '../lib/dbcopy.mjs';
import { assertError, assertStatus } from '../lib/http.mjs';
import { sqlite, startServer } from '../lib/server.mjs';

let srv, admin, township;

before(async () => {
  srv = await startServer();
  admin = await srv.login('admin');
  township = await srv.login('township_370704008');
});

after(async () => {
  await srv?.stop();
});

async function waitFinished(client, id) {
  for (let i = 0; i < 100; i++) {
    const j = assertStatus(await client.get(`/api/v1/jobs/${id}`), 200, `job ${id}`);
    if (j.status === 'done' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`job ${id} did not finish within 5 s`);
}

test('an audit.verify job answers 202 queued, then runs to done with the chain intact', async () => {
  const j = assertStatus(await admin.post('/api/v1/jobs', { kind: 'audit.verify' }), 202, 'submit');
  assert.ok(Number.isInteger(j.id));
  assert.equal(j.kind, 'audit.verify');
  assert.ok(['queued', 'running', 'done'].includes(j.status));
  const done = await waitFinished(admin, j.id);
  assert.equal(done.status, 'done');
  assert.equal(done.result.intact, true);
  assert.ok(done.result.rows > 0, 'the demo city wrote audit rows');
  assert.equal(done.done, done.total);
  assert.ok(done.finished_at >= done.started_at);
});

test('a job reports a tampered audit chain in its result, naming the row', async () => {
  // Tamper behind the server's back, as in audit.test.mjs, on a row the demo wrote.
  sqlite(srv.dbPath, `${dropTrigger(srv.dbPath, 'audit_no_update', 'audit_log')} UPDATE audit_log SET action='tampered' WHERE id=2;`);
  const j = assertStatus(await admin.post('/api/v1/jobs', { kind: 'audit.verify' }), 202, 'submit');
  const done = await waitFinished(admin, j.id);
  assert.equal(done.status, 'done');
  assert.equal(done.result.intact, false);
  assert.equal(done.result.first_bad_id, 2);
  assert.match(done.result.reason, /篡改|改动|不符/);
});

test("another user's job is 404, never shown", async () => {
  const j = assertStatus(await admin.post('/api/v1/jobs', { kind: 'audit.verify' }), 202, 'submit');
  assertError(await township.get(`/api/v1/jobs/${j.id}`), 404, 'not_found');
});

test('a role without the kind\'s permission gets 403 and nothing is queued', async () => {
  assertError(await township.post('/api/v1/jobs', { kind: 'audit.verify' }), 403, 'forbidden', 'kind');
});

test('an unknown job kind is 400 naming the field', async () => {
  assertError(await admin.post('/api/v1/jobs', { kind: 'no.such.kind' }), 400, 'invalid_value', 'kind');
});

test('params that are not an object are 400', async () => {
  assertError(await admin.post('/api/v1/jobs', { kind: 'audit.verify', params: [1] }), 400, 'invalid_value', 'params');
});
