// scope/imports.mjs — the uploads' part of the scope matrix (tests/api/scope.test.mjs). An upload
// belongs to the user who uploaded it, like a job: the admin's upload is foreign to every actor
// (404, and running it changes nothing), whatever its rows. The admin uploads a small households
// file with one rejected row (an ID number too short) and checks it with a dry run, so that the
// upload has rejects, which the admin — its owner — downloads in the 200 test.
import assert from 'node:assert/strict';

export const prefix = '/api/v1/imports/';

const HEADER = '户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话';

export async function fixture(admin, village, tag) {
  const csv = Buffer.from(`${HEADER}\nS${tag},${village},范围测试路 1 号,农村,123,范围导入${tag},户主,\n`);
  const up = await admin.raw('POST', '/api/v1/imports/uploads?kind=households&name=x.csv', { rawBody: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(up.status, 201, `admin uploads a file: ${up.text}`);
  const run = await admin.post(`/api/v1/imports/uploads/${up.json.id}/run?dry_run=1`, {});
  assert.equal(run.status, 202, `admin checks the upload: ${run.text}`);
  let job = run.json;
  for (let i = 0; i < 300 && job.status !== 'done' && job.status !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const j = await admin.get(`/api/v1/jobs/${job.id}`);
    assert.equal(j.status, 200, `the dry run's job: ${j.text}`);
    job = j.json;
  }
  assert.equal(job.status, 'done', `the dry run finished: ${JSON.stringify(job.error)}`);
  assert.equal(job.result.rejected, 1, 'the short ID number is rejected');
  return { upload_id: up.json.id };
}

export function param(prev, pattern, f) {
  if (prev === 'uploads') return f.upload_id;
  return undefined;
}

// the upload is the admin's own: out of every other user's scope
export const level = () => 'owner';
