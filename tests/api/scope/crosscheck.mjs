// scope/crosscheck.mjs — the death cross-check's part of the scope matrix
// (tests/api/scope.test.mjs): in the fixture village, an orphan already on the roll (imported as
// an existing case), paid by a confirmed payroll of a month of its own, then cremated at a funeral
// home of the village the month before — so the village has a recorded death and an overpayment.
// Made once per village (see below). The lists
// and records need the crosscheck permission (county staff, the city admin): 403 for the lists
// without it, 404 for every record whatever its region.
import assert from 'node:assert/strict';

import { makeId } from '../../lib/http.mjs';

export const prefix = '/api/v1/crosscheck/';

// One per village, made the first time a fixture asks for that village (each takes a payroll
// month of its own, from 2020-02 on: the matrix's own payroll runs are of 2020-01).
const byVillage = new Map();
let months = 0;

async function ok(res, status, what) {
  const r = await res;
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text?.slice(0, 300)}`);
  return r.json;
}

export function fixture(admin, village, tag) {
  if (!byVillage.has(village)) byVillage.set(village, make(admin, village, tag));
  return byVillage.get(village);
}

async function make(admin, village, tag) {
  const n = 1 + months++;
  const month = `${2020 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`;
  const [y, m] = month.split('-').map(Number);
  const died = `${m === 1 ? y - 1 : y}-${String(m === 1 ? 12 : m - 1).padStart(2, '0')}-15`;
  const child = makeId({ birth: '2012-06-06' });
  await ok(admin.post('/api/v1/households', {
    region_code: village, address: `范围比对 ${tag}`, residence_type: 'rural',
    members: [{ id_number: makeId({ birth: '1980-05-05' }), name: `范围监护${tag}`, relation: 'head' }, { id_number: child, name: `范围孤儿${tag}`, relation: 'child' }],
  }), 201, 'admin registers a household');
  const csv = `救助项目,身份证号,起始月份,月救助金额,养育方式,父亲情况,母亲情况,银行账号\n孤儿,${child},2020-01,1000,社会散居,死亡,死亡,6228480000000000099\n`;
  const imp = await ok(admin.raw('POST', '/api/v1/imports?kind=assistance', { rawBody: Buffer.from(csv, 'utf8'), headers: { 'Content-Type': 'text/csv' } }), 200, 'admin imports the orphan');
  assert.equal(imp.accepted, 1, JSON.stringify(imp.rejects));
  const unit = (await ok(admin.get(`/api/v1/regions/${village}`), 200, 'region')).unit_code;
  const job = await ok(admin.post('/api/v1/payroll/runs', { month, unit_code: unit }), 202, `payroll ${month}`);
  let run;
  for (let i = 0; i < 400 && !run; i++) {
    const d = await ok(admin.get(`/api/v1/jobs/${job.id}`), 200, 'job');
    if (d.status === 'failed') assert.fail(`payroll ${month} of ${unit}: ${JSON.stringify(d.error)}`);
    if (d.status === 'done') run = d.result.runs[0].run_id;
    else await new Promise((r) => setTimeout(r, 50));
  }
  await ok(admin.post(`/api/v1/payroll/runs/${run}/confirm`, {}), 200, 'confirm');
  const home = await ok(admin.post('/api/v1/institutions', { name: `范围比对殡仪馆${tag}`, type: 'funeral_home', region_code: village, opened_on: '2020-01-01' }), 201, 'funeral home');
  await ok(admin.post('/api/v1/funeral/bodies', {
    institution_id: home.id, id_number: child, name: `范围孤儿${tag}`, died_on: died, source: 'home', cause: 'other',
  }), 201, 'the body');
  const over = await ok(admin.get(`/api/v1/crosscheck/overpayments?month=${month}&region=${village}`), 200, 'overpayments');
  assert.equal(over.items.length, 1, `an overpayment of ${month} in ${village}`);
  return { crosscheck_overpayment_id: over.items[0].id };
}

export function param(prev, pattern, f) {
  return prev === 'overpayments' ? f.crosscheck_overpayment_id : undefined;
}

// the overpayment's routes are `login` in the table; the handler asks for crosscheck (404 without)
export const needs = (route, actor, f, can) => can(actor, 'crosscheck');

// The monthly report is per management unit, not rows with a region code (like the payroll runs
// and the statistics): tests/api/crosscheck.test.mjs checks that a county sees only its own unit.
export const unscoped = ['GET /api/v1/crosscheck/report'];
