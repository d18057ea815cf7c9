// assistance_flow.test.mjs — a 低保 application from start to first payment, in the browser: the
// township assistant takes the application and records the investigation, the village appraisal
// and the public notice; the county approves after the notice has run (and is refused while it
// runs); the village's printable notice board; the payroll of the first month (draft, totals,
// confirmation dialog, CSV bank file, masked accounts); the 统计报表 for that month; the leader's
// read-only view. docs/assistance.md, docs/payroll.md, docs/api.md.
//
// The village 栾家山后村 (370704008231) lies in 坊子区's territory (so county_370704 sees and
// approves its cases) but is managed by 峡山生态经济开发区 (unit 370791): its payments are that
// unit's payroll, run by zone_370791 — a unit's staff run their own unit's payroll only.
//
// Each test can run alone: what it builds on (the approved case, the run) is taken from the test
// before it when that one got there, otherwise made over the API.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { makeId, maskId, todayShanghai } from '../lib/http.mjs';
import { cliOk, startServer } from '../lib/server.mjs';
import {
  MASKED_ID, apiLogin, goHash, loginUI, openBrowser, texts, tid, waitForFresh,
} from '../lib/browser.mjs';

const VILLAGE = '370704008231'; // 栾家山后村, 太保庄街道
const UNIT = '370791'; // 峡山生态经济开发区: the management unit that pays the village
const TOWN_USER = 'township_370704008';
const COUNTY_USER = 'county_370704';
const PAY_USER = 'zone_370791';

let srv, br, town, county, zone, leader;
let noticeDays; // policy notice_days in force for the unit
let baseline; // what the unit owes in the first month before any case of this file: {dibao:{fen, persons}, total_fen}

// ---- dates, money ----------------------------------------------------------------------------

/** Today (Asia/Shanghai) plus n days, "YYYY-MM-DD". */
function dayPlus(n) {
  const [y, m, d] = todayShanghai().split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** This month plus n, "YYYY-MM". */
function monthPlus(n) {
  const [y, m] = todayShanghai().split('-').map(Number);
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

const MONTH = monthPlus(1); // an approval today pays from next month

/** 122000 → "1,220.00" (the pages' format), by integer arithmetic. */
function yuan(fen) {
  const whole = String(Math.floor(fen / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(fen % 100).padStart(2, '0')}`;
}
/** 122000 → "1220.00" (the bank file's format). */
const plainYuan = (fen) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** 122000 → "1,220.00 元" (the case pages' format). */
const money = (fen) => `${yuan(fen)} 元`;
/** 3 → "3" (counts as format.js prints them). */
const count = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** RFC 4180 CSV (BOM dropped) → rows of fields. */
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r') continue;
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

// ---- test data over the API ------------------------------------------------------------------

const NAME_CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
let serial = Date.now() % 400;
function testName(prefix) {
  serial++;
  return prefix + NAME_CHARS[serial % NAME_CHARS.length] + NAME_CHARS[Math.floor(serial / NAME_CHARS.length) % NAME_CHARS.length];
}

let acctSerial = Date.now() % 1000000;
/** A bank account of 19 digits, different for every case: {typed (with spaces), digits}. */
function bankAccount() {
  acctSerial++;
  const digits = '62284800' + String(acctSerial).padStart(11, '0');
  return { digits, typed: digits.replace(/(\d{4})(?=\d)/g, '$1 ') };
}

/** An urban household in the village: the head (born 1975, wage 200.00 a month) and a child. */
async function household() {
  const headId = makeId({ sex: 'male', birth: '1975-03-01' });
  const headName = testName('救助');
  const hh = await town.post('/api/v1/households', {
    region_code: VILLAGE,
    address: `栾家山后村 救助测试 ${serial} 号`,
    residence_type: 'urban',
    members: [
      { id_number: headId, name: headName, relation: 'head', income_items: [{ type: 'wage', amount_fen: 20000 }] },
      { id_number: makeId({ birth: '2012-06-01' }), name: testName('子女'), relation: 'child' },
    ],
  });
  return { hh, headId, headName };
}

/** A 低保 case taken to public notice over the API, the notice's first day noticeStart. */
async function caseInNotice(noticeStart) {
  const h = await household();
  const acct = bankAccount();
  let c = await town.post('/api/v1/assistance/cases', {
    program: 'dibao', household_id: h.hh.id, applied_on: dayPlus(-20), bank_name: '潍坊农村商业银行', bank_account: acct.digits,
  });
  c = await town.post(`/api/v1/assistance/cases/${c.id}/investigate`, { date: dayPlus(-18), result: 'eligible', text: '入户核查属实' });
  c = await town.post(`/api/v1/assistance/cases/${c.id}/appraise`, { date: dayPlus(-15), result: 'agree', attendees: 9, votes_for: 9 });
  c = await town.post(`/api/v1/assistance/cases/${c.id}/notice`, { date: noticeStart, place: '村务公开栏' });
  assert.equal(c.status, 'notice');
  return { ...h, acct, c };
}

// What the tests build on: the case of test 1 (the run of test 4 is found over the API).
const flow = { case: null, headName: null, headId: null, acct: null };

/** The approved case: test 1's, or one made over the API when test 1 did not get there. */
async function approvedCase() {
  if (flow.case) {
    const c = await county.get(`/api/v1/assistance/cases/${flow.case.id}`);
    if (c.status === 'active') return c;
  }
  const h = await caseInNotice(dayPlus(-noticeDays));
  const c = await county.post(`/api/v1/assistance/cases/${h.c.id}/approve`, { text: '同意（测试准备）' });
  Object.assign(flow, { case: c, headName: h.headName, headId: h.headId, acct: h.acct });
  return c;
}

async function waitJob(client, id) {
  for (let i = 0; i < 200; i++) {
    const j = await client.get(`/api/v1/jobs/${id}`);
    if (j.status === 'done' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`job ${id} did not finish`);
}

/** The unit's run of MONTH: test 4's, or computed over the API. */
async function monthRun() {
  await approvedCase();
  const list = await zone.get(`/api/v1/payroll/runs?month=${MONTH}&unit=${UNIT}`);
  if (list.items.length) return list.items[0];
  const j = await zone.post('/api/v1/payroll/runs', { month: MONTH, unit_code: UNIT });
  const done = await waitJob(zone, j.id);
  assert.equal(done.status, 'done', JSON.stringify(done.error));
  return zone.get(`/api/v1/payroll/runs/${done.result.runs[0].run_id}`);
}

/** The run of MONTH, confirmed (over the API when test 4 did not confirm it). */
async function confirmedRun() {
  let run = await monthRun();
  if (run.status !== 'confirmed') run = await zone.post(`/api/v1/payroll/runs/${run.id}/confirm`, {});
  return run;
}

/** What the unit owes in MONTH now, by the assistance module (`assistance entitlements`, read-only). */
function entitlements() {
  const out = cliOk(['assistance', 'entitlements', '--db', srv.dbPath, '--month', MONTH, '--unit', UNIT, '--format', 'csv']);
  const [head, ...lines] = out.trim().split('\n');
  const cols = head.split(',');
  const at = (name) => cols.indexOf(name);
  const r = { dibao: { fen: 0, persons: 0, cases: [] }, total_fen: 0 };
  for (const l of lines) {
    const f = l.split(',');
    const fen = Number(f[at('amount_fen')]);
    r.total_fen += fen;
    if (f[at('program')] === 'dibao') {
      r.dibao.fen += fen;
      r.dibao.persons += Number(f[at('n_persons')]);
      r.dibao.cases.push(Number(f[at('case_id')]));
    }
  }
  return r;
}

// ---- UI helpers ------------------------------------------------------------------------------

const text = async (page, id) => ((await tid(page, id).first().textContent()) || '').trim();

/** Open a step's dialog on the case page, fill it and submit; waits for the case's new status. */
async function takeStep(page, step, values, status) {
  await tid(page, `step-${step}`).click();
  const dlg = tid(page, 'dialog');
  await dlg.waitFor();
  for (const [name, v] of Object.entries(values)) {
    const input = tid(page, `dialog-${name}`);
    if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(v);
    else await input.fill(v);
  }
  await tid(page, 'dialog-submit').click();
  await dlg.waitFor({ state: 'detached' });
  await page.locator(`[data-testid="case-head"] [data-testid="case-status"][data-status="${status}"]`).waitFor();
}

async function logoutUI(page) {
  await tid(page, 'logout').click();
  await tid(page, 'login-username').waitFor();
}

/** The cells of a table row keyed by their data-label. */
const rowCells = (row) => row.evaluate((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-label'), td.textContent.trim()])));

// ---- setup -----------------------------------------------------------------------------------

before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
  town = await apiLogin(srv.url, TOWN_USER);
  county = await apiLogin(srv.url, COUNTY_USER);
  zone = await apiLogin(srv.url, PAY_USER);
  leader = await apiLogin(srv.url, 'leader');
  const pol = await town.get(`/api/v1/policy?unit=${UNIT}&residence=urban`);
  noticeDays = pol.items.find((x) => x.key === 'notice_days').value;
  assert.ok(noticeDays >= 7, `notice_days ${noticeDays}`);
  baseline = entitlements(); // before any case of this file is approved
});

after(async () => {
  await br?.close();
  await srv?.stop();
});

// ---- 1. the application, from the township to the county's approval -------------------------

test('a 低保 application taken by the township through the UI is approved by the county after the notice and is active from next month with the API\'s amount', () =>
  br.run(async ({ page }) => {
    const { hh, headId, headName } = await household();
    const acct = bankAccount();
    const firstDay = dayPlus(-noticeDays); // the notice ran noticeDays days and ended yesterday

    await loginUI(page, TOWN_USER);
    await tid(page, 'nav-assistance').click();
    await tid(page, 'case-new').click();
    await page.waitForURL(/#\/assistance\/new$/);
    assert.equal(await tid(page, 'apply-program').inputValue(), 'dibao');
    await tid(page, 'apply-target').fill(String(hh.id));
    await tid(page, 'apply-lookup').click();
    await page.locator('[data-testid="apply-found"]', { hasText: '栾家山后村' }).waitFor();
    assert.match(await text(page, 'apply-found'), new RegExp(`户主 ${headName} · 2 人`));
    await tid(page, 'apply-date').fill(dayPlus(-20));
    await tid(page, 'apply-bank-name').fill('潍坊农村商业银行');
    await tid(page, 'apply-bank-account').fill(acct.typed);
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/assistance/cases') && r.request().method() === 'POST');
    await tid(page, 'apply-submit').click();
    const res = await posted;
    assert.equal(res.status(), 201, `POST /api/v1/assistance/cases: ${res.status()} ${await res.text()}`);
    const id = (await res.json()).id;
    Object.assign(flow, { case: { id }, headName, headId, acct }); // later tests use it once approved
    await page.waitForURL(new RegExp(`#/assistance/case/${id}$`));
    await page.locator('[data-testid="case-head"] [data-testid="case-status"][data-status="applied"]').waitFor();
    assert.equal(await text(page, 'case-name'), headName);
    assert.match(await text(page, 'case-id-number'), MASKED_ID);
    assert.equal(await text(page, 'case-id-number'), maskId(headId));
    assert.ok((await text(page, 'case-payee')).endsWith(`****${acct.digits.slice(-4)}`), 'the account masked on the case');

    await takeStep(page, 'investigate', { date: dayPlus(-18), result: 'eligible', people: '民政助理 王', text: '入户核查，家庭收入属实' }, 'investigated');
    await takeStep(page, 'appraise', { date: dayPlus(-15), result: 'agree', attendees: '9', votes_for: '9', text: '同意纳入' }, 'appraised');
    await takeStep(page, 'notice', { date: firstDay, place: '村务公开栏' }, 'notice');
    assert.equal(await text(page, 'case-notice'), `${firstDay} 至 ${dayPlus(-1)}`, `notice of ${noticeDays} days counting the first`);
    assert.deepEqual(await texts(page.locator('[data-testid="case-step"] strong')), ['受理申请', '入户调查', '民主评议', '公示']);
    assert.equal(await tid(page, 'approval-panel').count(), 0, 'the township does not approve');
    assert.equal(await tid(page, 'step-approve').count(), 0);

    // the county approves on the same case page
    const api = await county.get(`/api/v1/assistance/cases/${id}`);
    assert.equal(api.status, 'notice');
    assert.equal(api.month.month, MONTH, 'the preview is of next month');
    await logoutUI(page);
    await loginUI(page, COUNTY_USER);
    await goHash(page, `#/assistance/case/${id}`);
    await tid(page, 'approval-panel').waitFor();
    assert.equal(await text(page, 'approve-notice-state'), '已期满，可以审批');
    assert.equal(await text(page, 'approve-objections'), '0');
    assert.equal(await text(page, 'approve-amount'), money(api.month.amount_fen), 'the amount proposed is the rules\' preview');
    await tid(page, 'approve-text').fill('经审核，同意纳入最低生活保障');
    await tid(page, 'approve-submit').click();
    await page.locator('[data-testid="case-head"] [data-testid="case-status"][data-status="active"]').waitFor();

    const done = await county.get(`/api/v1/assistance/cases/${id}`);
    assert.equal(done.status, 'active');
    assert.equal(done.start_month, MONTH);
    assert.equal(done.monthly_amount_fen, api.month.amount_fen, 'decided as previewed');
    assert.ok(done.monthly_amount_fen > 0);
    assert.equal(await text(page, 'case-start'), MONTH, 'active from next month');
    assert.equal(await text(page, 'case-amount'), money(done.monthly_amount_fen), 'the API\'s monthly amount');
    assert.match(await text(page, 'case-head'), /在保/);
    assert.equal(await tid(page, 'approval-panel').count(), 0);
    await tid(page, 'step-suspend').waitFor(); // what the county may do now: suspend, terminate …
    assert.ok(done.steps.some((s) => s.step === 'approve' && s.record.text === '经审核，同意纳入最低生活保障'));
  }, { name: 'flow-apply-approve' }));

// ---- 2. approval refused while the notice runs ------------------------------------------------

test('approving while the notice is still running shows the server\'s Chinese 409 message and the case stays in notice', () =>
  br.run(async ({ page }) => {
    const { c } = await caseInNotice(dayPlus(-(noticeDays - 1))); // its last day is today
    assert.equal(c.notice_end, todayShanghai());
    await loginUI(page, COUNTY_USER);
    await goHash(page, `#/assistance/case/${c.id}`);
    await tid(page, 'approval-panel').waitFor();
    assert.match(await text(page, 'approve-notice-state'), new RegExp(`公示中，${c.notice_end} 期满后次日方可审批`));

    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/v1/assistance/cases/${c.id}/approve`));
    await tid(page, 'approve-submit').click();
    const res = await answered;
    const body = await res.json();
    assert.equal(res.status(), 409, `approve answered ${res.status()}: status ${body.status ?? body.error?.code}`);
    assert.equal(body.error.code, 'notice_running');
    await page.locator('[data-testid="approve-error"]:visible').waitFor();
    const shown = await text(page, 'approve-error');
    assert.equal(shown, body.error.message, 'the server\'s message as it is');
    assert.match(shown, /[\u4e00-\u9fff]/);
    assert.match(shown, /公示/);
    assert.equal(await page.locator('[data-testid="case-head"] [data-testid="case-status"]').getAttribute('data-status'), 'notice');

    // after a reload, and for the server: still in notice, no approval step
    await page.reload();
    await page.locator('[data-testid="case-head"] [data-testid="case-status"][data-status="notice"]').waitFor();
    assert.equal(await text(page, 'case-start'), '—');
    const still = await county.get(`/api/v1/assistance/cases/${c.id}`);
    assert.equal(still.status, 'notice');
    assert.equal(still.start_month, null);
    assert.ok(!still.steps.some((s) => s.step === 'approve'));
  }, { name: 'flow-approve-too-early' }));

// ---- 3. the village's notice board ------------------------------------------------------------

test('the village\'s printable notice lists the household with a masked ID and its amount, and prints without the navigation', () =>
  br.run(async ({ page }) => {
    const { c, headId, headName } = await caseInNotice(dayPlus(-2));
    const board = await town.get(`/api/v1/assistance/notices/${VILLAGE}?date=${c.notice_start}`);
    const item = board.items.find((x) => x.case_id === c.id);
    assert.ok(item, 'the API lists the case on the board');
    assert.equal(item.amount_fen, c.month.amount_fen);

    await loginUI(page, TOWN_USER);
    await goHash(page, `#/assistance/case/${c.id}`);
    await tid(page, 'case-notice-link').click();
    await page.waitForURL(new RegExp(`#/assistance/notice/${VILLAGE}\\?date=${c.notice_start}$`));
    const row = page.locator(`[data-testid="notice-item"][data-case="${c.id}"]`);
    await row.waitFor();
    assert.match(await text(page, 'notice-sheet'), /栾家山后村最低生活保障、特困人员救助供养审批前公示/);
    const cells = await rowCells(row);
    assert.equal(cells['姓名'], headName);
    assert.match(cells['身份证号'], MASKED_ID);
    assert.equal(cells['身份证号'], maskId(headId));
    assert.equal(cells['救助项目'], item.program_label);
    assert.match(cells['救助项目'], /最低生活保障|低保/);
    assert.equal(cells['保障人数'], '2');
    assert.equal(cells['拟月保障金额'], money(item.amount_fen));
    assert.equal(cells['公示期'], `${c.notice_start} 至 ${c.notice_end}`);
    assert.ok(!(await page.content()).includes(headId), 'the full ID number is nowhere in the page');

    // on screen the navigation is there; printed, only the sheet
    for (const id of ['nav-assistance', 'topbar-user', 'notice-print']) assert.ok(await tid(page, id).isVisible(), `${id} on screen`);
    await page.emulateMedia({ media: 'print' });
    for (const id of ['nav-assistance', 'topbar-user', 'logout', 'notice-print', 'notice-date']) {
      assert.equal(await tid(page, id).isVisible(), false, `${id} hidden in print`);
    }
    assert.equal(await page.locator('nav.sidenav').evaluate((e) => getComputedStyle(e).display), 'none');
    assert.ok(await tid(page, 'notice-sheet').isVisible(), 'the sheet is printed');
    assert.ok(await row.isVisible(), 'the household is printed');
    const a4 = await page.evaluate(() => [...document.styleSheets].some((s) => {
      try {
        return [...s.cssRules].some((r) => r instanceof CSSPageRule && /A4/i.test(r.style.getPropertyValue('size')));
      } catch {
        return false;
      }
    }));
    assert.ok(a4, 'an @page rule sets A4');
  }, { name: 'flow-notice-board' }));

// ---- 4. the payroll of the first month --------------------------------------------------------

test('the unit\'s payroll for the first month computed in 发放管理 is a draft whose 低保 totals include the new case', () =>
  br.run(async ({ page }) => {
    const c = await approvedCase();
    assert.ok(!baseline.dibao.cases.includes(c.id), 'the baseline was taken before the approval');
    await loginUI(page, PAY_USER);
    await tid(page, 'nav-payroll').click();
    await tid(page, 'payroll-form').waitFor();
    await tid(page, 'payroll-month').fill(MONTH);
    assert.equal(await tid(page, 'payroll-unit').inputValue(), UNIT, 'the zone runs its own unit');
    const submitted = page.waitForResponse((r) => r.url().endsWith('/api/v1/payroll/runs') && r.request().method() === 'POST');
    await tid(page, 'payroll-compute').click();
    assert.equal((await submitted).status(), 202);
    await page.waitForURL(/#\/payroll\/\d+$/, { timeout: 20000 });
    const runId = Number(/#\/payroll\/(\d+)$/.exec(page.url())[1]);
    await page.locator('[data-testid="payroll-run"][data-status="draft"]').waitFor();

    assert.equal(await text(page, 'payroll-status'), '草稿');
    assert.equal(await text(page, 'payroll-month'), MONTH);
    assert.match(await text(page, 'payroll-unit'), new RegExp(`^${UNIT} `));
    const want = { fen: baseline.dibao.fen + c.monthly_amount_fen, persons: baseline.dibao.persons + 2 };
    const dibao = await rowCells(page.locator('[data-testid="payroll-total-row"][data-program="dibao"]'));
    assert.equal(dibao['金额（元）'], yuan(want.fen), `低保 = ${yuan(baseline.dibao.fen)} before + ${yuan(c.monthly_amount_fen)} of the new case`);
    assert.equal(dibao['人数'], count(want.persons));
    assert.equal(dibao['笔数'], count(baseline.dibao.cases.length + 1));
    const run = await zone.get(`/api/v1/payroll/runs/${runId}`);
    assert.equal(run.status, 'draft');
    assert.equal(run.programs.dibao.amount_fen, want.fen, 'the API agrees');
    assert.equal(run.amount_fen, baseline.total_fen + c.monthly_amount_fen, 'every program: what was owed before + the new case');
    assert.equal(await text(page, 'payroll-total'), yuan(run.total_fen), 'the total (re-issues of returned payments included)');

    // the new case is among the changes against last month
    const mine = page.locator('[data-testid="payroll-change-item"]', { hasText: flow.headName });
    assert.equal(await mine.count(), 1, 'the new case in the changes');
    const ch = await rowCells(mine);
    assert.equal(ch['变化'], '新增');
    assert.equal(ch['项目'], '低保');
    assert.equal(ch['本月（元）'], yuan(c.monthly_amount_fen));

  }, { name: 'flow-payroll-draft' }));

test('confirming the draft goes through the confirmation dialog (cancel keeps it a draft) and locks the run', () =>
  br.run(async ({ page }) => {
    const run = await monthRun();
    assert.equal(run.status, 'draft', 'the run is still a draft before this test');
    await loginUI(page, PAY_USER);
    await goHash(page, `#/payroll/${run.id}`);
    await page.locator('[data-testid="payroll-run"][data-status="draft"]').waitFor();

    await tid(page, 'payroll-confirm').click();
    await tid(page, 'dialog').waitFor();
    const intro = await page.locator('[data-testid="dialog"] .dialog-intro').textContent();
    assert.match(intro, new RegExp(`共 ${count(run.payments + run.reissues)} 笔，${yuan(run.total_fen).replace('.', '\\.')} 元`));
    await tid(page, 'dialog-cancel').click();
    await tid(page, 'dialog').waitFor({ state: 'detached' });
    assert.equal((await zone.get(`/api/v1/payroll/runs/${run.id}`)).status, 'draft', 'cancelled: still a draft');
    assert.equal(await page.locator('[data-testid="payroll-run"]').getAttribute('data-status'), 'draft');

    await tid(page, 'payroll-confirm').click();
    await tid(page, 'dialog').waitFor();
    const confirmed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/payroll/runs/${run.id}/confirm`));
    await tid(page, 'dialog-submit').click();
    assert.equal((await confirmed).status(), 200);
    await page.locator('[data-testid="payroll-run"][data-status="confirmed"]').waitFor();
    assert.equal(await text(page, 'payroll-status'), '已确认');
    assert.match(await text(page, 'payroll-confirmed'), new RegExp(PAY_USER));
    assert.equal(await tid(page, 'payroll-confirm').count(), 0, 'no confirm on a confirmed run');
    assert.equal(await tid(page, 'payroll-recompute').count(), 0, 'no recompute on a confirmed run');
    await tid(page, 'payroll-bank-csv').waitFor();
    await tid(page, 'payroll-bank-xlsx').waitFor();
    const after = await zone.get(`/api/v1/payroll/runs/${run.id}`);
    assert.equal(after.status, 'confirmed');
    assert.equal(after.confirmed_by, PAY_USER);
    assert.equal(after.total_fen, run.total_fen, 'confirmed as reviewed');
  }, { name: 'flow-payroll-confirm' }));

test('the CSV bank file downloaded from the run page has the payee, the full account and the amount in yuan with two decimals', () =>
  br.run(async ({ page }) => {
    const run = await confirmedRun();
    const c = await approvedCase();
    await loginUI(page, PAY_USER);
    await goHash(page, `#/payroll/${run.id}`);
    await tid(page, 'payroll-bank-csv').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), tid(page, 'payroll-bank-csv').click()]);
    assert.equal(download.suggestedFilename(), `代发_${UNIT}_${MONTH}.csv`);
    assert.equal(await download.failure(), null);
    const buf = readFileSync(await download.path());
    const body = buf.toString('utf8');
    assert.equal(body.charCodeAt(0), 0xfeff, 'UTF-8 with a byte-order mark');
    assert.ok(body.includes('\r\n'), 'CRLF line ends');
    const [head, ...rows] = parseCsv(body);
    assert.deepEqual(head, ['序号', '户名', '账号', '开户行', '金额（元）', '业务编号', '项目', '所属月份']);
    assert.equal(rows.length, run.payments + run.reissues);
    const mine = rows.filter((r) => r[1] === flow.headName);
    assert.equal(mine.length, 1, `one row for ${flow.headName}`);
    const [, payee, account, bank, amount, ref, program, month] = mine[0];
    assert.equal(payee, flow.headName);
    assert.equal(account, flow.acct.digits, 'the full account number');
    assert.equal(bank, '潍坊农村商业银行');
    assert.equal(amount, plainYuan(c.monthly_amount_fen));
    assert.match(amount, /^\d+\.\d{2}$/);
    assert.match(ref, /^MZ\d{10}$/);
    assert.equal(program, '低保');
    assert.equal(month, MONTH);
    for (const r of rows) assert.match(r[4], /^\d+\.\d{2}$/, `amount ${r[4]}`);
    const total = rows.reduce((s, r) => s + Number(r[4].replace('.', '')), 0);
    assert.equal(total, run.total_fen, 'the file adds up to the run');
  }, { name: 'flow-bank-csv' }));

test('account numbers are masked on the payroll pages and the case page', () =>
  br.run(async ({ page }) => {
    const run = await monthRun();
    const c = await approvedCase();
    const full = flow.acct.digits;
    const last4 = full.slice(-4);
    await loginUI(page, PAY_USER);
    await goHash(page, `#/payroll/${run.id}`);
    const mine = page.locator('[data-testid="payroll-change-item"]', { hasText: flow.headName });
    await mine.waitFor();
    const account = (await rowCells(mine))['账号'];
    assert.match(account, /^\d{4}\*+\d{4}$/, `masked: ${account}`);
    assert.ok(account.endsWith(last4));
    for (const a of await page.locator('[data-testid="payroll-change-item"] td[data-label="账号"]').allTextContents()) {
      assert.match(a.trim(), /^\d{4}\*+\d{4}$/, `every account in the changes is masked: ${a}`);
    }
    const html = () => page.content();
    assert.ok(!(await html()).includes(full), 'the full account is nowhere in the run page');
    await goHash(page, '#/payroll');
    await tid(page, 'payroll-run-row').first().waitFor();
    assert.ok(!(await html()).includes(full), 'nor in the list of runs');
    await goHash(page, `#/assistance/case/${c.id}`);
    await tid(page, 'case-payee').waitFor();
    assert.ok((await text(page, 'case-payee')).endsWith(`****${last4}`));
    assert.ok(!(await html()).includes(full), 'nor on the case page');
  }, { name: 'flow-masked-accounts' }));

// ---- 5. the report --------------------------------------------------------------------------

test('the 统计报表 for the first month shows the 低保 amount and persons including the new payment', () =>
  br.run(async ({ page }) => {
    const run = await confirmedRun();
    const c = await approvedCase();
    const api = await leader.get(`/api/v1/reports/assistance?from=${MONTH}&to=${MONTH}`);
    await loginUI(page, 'leader');
    await tid(page, 'nav-report').click();
    await tid(page, 'report').waitFor(); // the default range first
    await tid(page, 'report-from').fill(MONTH);
    await tid(page, 'report-to').fill(MONTH);
    await waitForFresh(page, 'report', () => tid(page, 'report-submit').click());
    await page.locator(`[data-testid="report-month-row"][data-month="${MONTH}"]`).waitFor();

    const unitRow = page.locator(`[data-testid="report-unit-row"][data-unit="${UNIT}"]`);
    const cell = (row, id) => row.locator(`[data-testid="${id}"]`).textContent().then((s) => s.trim());
    // the month's payments of the unit: what was owed before, the new case, and any re-issue the
    // run carried (counted in the month of the run that paid it)
    const reissued = run.programs.dibao.reissue_fen;
    const want = baseline.dibao.fen + c.monthly_amount_fen + reissued;
    assert.equal(await cell(unitRow, 'report-dibao-amount'), yuan(want),
      `${UNIT}: ${yuan(baseline.dibao.fen)} + the new ${yuan(c.monthly_amount_fen)} + re-issued ${yuan(reissued)}`);
    const persons = await cell(unitRow, 'report-dibao-persons');
    assert.equal(persons, count(api.counties[UNIT].programs.dibao.persons));
    if (!run.programs.dibao.reissues) assert.equal(persons, count(baseline.dibao.persons + 2), 'the household\'s two members counted');
    const allRow = tid(page, 'report-all-row');
    const monthRow = page.locator(`[data-testid="report-month-row"][data-month="${MONTH}"]`);
    assert.equal(await cell(allRow, 'report-dibao-amount'), yuan(api.programs.dibao.amount_fen), 'the whole city, as the API reports it');
    assert.equal(await cell(monthRow, 'report-dibao-amount'), yuan(api.months[MONTH].programs.dibao.amount_fen));
    assert.ok(api.programs.dibao.amount_fen >= want);
    assert.equal(api.counties[UNIT].programs.dibao.amount_fen, want);
  }, { name: 'flow-report' }));

// ---- 6. the leader ------------------------------------------------------------------------

test('a leader sees the approved case read-only: its facts and no step buttons', () =>
  br.run(async ({ page }) => {
    const c = await approvedCase();
    const asLeader = await leader.get(`/api/v1/assistance/cases/${c.id}`);
    assert.deepEqual(asLeader.next_steps, [], 'the server offers the leader nothing');
    await loginUI(page, 'leader');
    await goHash(page, `#/assistance/case/${c.id}`);
    await page.locator('[data-testid="case-head"] [data-testid="case-status"][data-status="active"]').waitFor();
    await tid(page, 'case-steps').waitFor();
    assert.equal(await text(page, 'case-amount'), money(c.monthly_amount_fen));
    assert.equal(await text(page, 'case-start'), MONTH);
    assert.equal(await page.locator('[data-testid^="step-"]').count(), 0, 'no step buttons');
    for (const id of ['case-actions', 'approval-panel', 'approve-submit', 'refuse-open', 'objection-add', 'reassess-panel']) {
      assert.equal(await tid(page, id).count(), 0, `no ${id}`);
    }
    assert.equal(await page.locator('#content button').count(), 0, 'no button at all in the page');
    assert.equal(await tid(page, 'case-new').count(), 0);
  }, { name: 'flow-leader-case' }));

test('a leader has no 发放管理 in the navigation and #/payroll answers 没有权限', () =>
  br.run(async ({ page }) => {
    await loginUI(page, 'leader');
    await tid(page, 'nav-report').waitFor();
    assert.equal(await tid(page, 'nav-payroll').count(), 0, 'no nav-payroll');
    const nav = await texts(page.locator('nav.sidenav a'));
    assert.ok(!nav.includes('发放管理'), `nav: ${nav.join(' ')}`);
    assert.ok(nav.includes('统计报表') && nav.includes('救助案件'), `nav: ${nav.join(' ')}`);
    await goHash(page, '#/payroll');
    await tid(page, 'page-forbidden').waitFor();
    assert.match(await text(page, 'page-forbidden'), /没有权限/);
  }, { name: 'flow-leader-nav' }));
