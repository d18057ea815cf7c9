// stress.test.mjs — the server's threads all busy at once, for `make tsan` (tests/tsan.sh): the
// event loops (reads, searches, writes), the offload pool (logins, the dashboard recomputed after
// each write on its part threads and pooled connections, the payroll review), the job runner
// (audit.verify and payroll.run jobs, polled), and /metrics scrapes that read every loop's
// counters — in parallel over many connections. Under ThreadSanitizer a data race stops the
// server (halt_on_error) and it no longer answers or exits 0: every answer is checked and the
// server must stop cleanly at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { bearer, login, startServer } from '../lib/server.mjs';

const SECONDS = Number(process.env.MZ_STRESS_SECONDS || 20);
let srv;

before(async () => {
  srv = await startServer({ assistance: true });
});

after(async () => {
  await srv?.stop();
});

test('loops, offload pool, dashboard threads, job runner and /metrics at once', async (t) => {
  const county = bearer(srv.url, srv.dbPath, 'county_370704');
  const admin = bearer(srv.url, srv.dbPath, 'admin');
  const leader = bearer(srv.url, srv.dbPath, 'leader');
  const persons = (await county.get('/api/v1/persons?limit=50')).json.items.map((p) => p.id);
  const entries = (await county.get('/api/v1/ledger/entries?limit=50')).json.items.map((e) => e.id);
  const runs = (await county.get('/api/v1/payroll/runs?limit=10')).json.items.map((r) => r.id);
  assert.ok(persons.length && entries.length && runs.length, 'the demo city has persons, ledger entries and payroll runs');

  const end = Date.now() + SECONDS * 1000;
  const counts = {};
  const ok = (kind, r, want = [200]) => {
    assert.ok(want.includes(r.status), `${kind}: ${r.status} ${r.text?.slice(0, 200)}`);
    counts[kind] = (counts[kind] || 0) + 1;
  };
  const pick = (a, i) => a[i % a.length];
  const lanes = {
    async read(i) {
      ok('detail', await county.get(`/api/v1/persons/${pick(persons, i)}`));
      ok('search', await county.get(`/api/v1/persons?q=${encodeURIComponent('王')}&limit=20`));
    },
    async write(i) {
      ok('visit', await county.post(`/api/v1/ledger/entries/${pick(entries, i)}/visits`, { mode: 'phone', visitor: '并发测试', findings: '正常' }), [201]);
    },
    async dashboard(i) {
      ok('dashboard', await (i % 2 ? leader : county).get(i % 3 ? '/api/v1/dashboard' : '/api/v1/dashboard?county=370704'));
    },
    async login() {
      const c = await login(srv.url, 'township_370704008');
      ok('login', await c.get('/api/v1/session'));
    },
    async payroll(i) {
      ok('payroll', await county.get(`/api/v1/payroll/runs/${pick(runs, i)}`));
    },
    async jobs() {
      const r = await admin.post('/api/v1/jobs', { kind: 'audit.verify' });
      ok('job', r, [202]);
      for (;;) {
        const j = await admin.get(`/api/v1/jobs/${r.json.id}`);
        ok('job poll', j);
        if (j.json.status === 'done' || j.json.status === 'failed') break;
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    async metrics() {
      const m = await fetch(`${srv.url}/metrics`);
      assert.equal(m.status, 200);
      await m.text();
      counts.metrics = (counts.metrics || 0) + 1;
    },
  };
  const plan = ['read', 'read', 'read', 'read', 'write', 'write', 'dashboard', 'dashboard', 'login', 'payroll', 'jobs', 'metrics'];
  await Promise.all(plan.map(async (lane, k) => {
    for (let i = k; Date.now() < end; i++) await lanes[lane](i);
  }));
  t.diagnostic(`answers by kind in ${SECONDS} s: ${JSON.stringify(counts)}`);
  for (const k of ['detail', 'visit', 'dashboard', 'login', 'payroll', 'job', 'metrics']) assert.ok(counts[k] > 0, `no ${k} answered`);
});
