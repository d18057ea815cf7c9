// export.test.mjs — the 导出 links on list pages: they carry the filters on screen and download
// the whole filtered list as a file (docs/export.md); 加密导出（设置密码） asks for a password and
// downloads an AES-256 ZIP, the password sent in a header and never in the URL.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { cli, startServer } from '../lib/server.mjs';
import { loginUI, openBrowser, tid } from '../lib/browser.mjs';

let srv;
let br;
before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url);
});
after(async () => {
  await br?.close();
  await srv?.stop();
});

test('the search page offers Excel and CSV exports of the current filter, and the Excel link downloads', async () => {
  await br.run(async ({ page }) => {
    await loginUI(page, 'township_370704008', undefined, { hash: '#/search?q=&region=370704008001' });
    const xlsx = tid(page, 'search-export-xlsx');
    await xlsx.waitFor();
    const href = new URL(await xlsx.getAttribute('href'), srv.url);
    assert.equal(href.pathname, '/api/v1/persons');
    assert.equal(href.searchParams.get('region'), '370704008001');
    assert.equal(href.searchParams.get('format'), 'xlsx');
    assert.equal(href.searchParams.has('offset'), false, 'the whole list, not the page');
    const gb = new URL(await tid(page, 'search-export-gb18030').getAttribute('href'), srv.url);
    assert.equal(gb.searchParams.get('encoding'), 'gb18030');
    const [download] = await Promise.all([page.waitForEvent('download'), xlsx.click()]);
    assert.equal(download.suggestedFilename(), '人员名册.xlsx');
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  }, { name: 'export-search', contextOptions: { acceptDownloads: true } });
});

test('the ledger list links its export with the filters in the hash', async () => {
  await br.run(async ({ page }) => {
    await loginUI(page, 'township_370704008', undefined, { hash: '#/ledger?category=elderly_alone' });
    const csv = tid(page, 'ledger-export-csv');
    await csv.waitFor();
    const href = new URL(await csv.getAttribute('href'), srv.url);
    assert.equal(href.pathname, '/api/v1/ledger/entries');
    assert.equal(href.searchParams.get('category'), 'elderly_alone');
    assert.equal(href.searchParams.get('format'), 'csv');
  }, { name: 'export-ledger' });
});

test('加密导出: the password dialog checks length and confirmation, then downloads an AES-256 ZIP', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mz-e2e-enc-'));
  try {
    await br.run(async ({ page }) => {
      const requests = [];
      page.on('request', (r) => {
        if (r.url().includes('/api/v1/persons?')) requests.push({ url: r.url(), pass: r.headers()['x-export-passphrase'] });
      });
      await loginUI(page, 'township_370704008', undefined, { hash: '#/search?q=&region=370704008001' });
      await tid(page, 'search-export-encrypted').click();
      await tid(page, 'export-dialog').waitFor();
      await tid(page, 'export-pass').fill('short');
      await tid(page, 'export-submit').click();
      assert.match(await tid(page, 'export-pass-error').textContent(), /至少需要 8 个字符/);
      await tid(page, 'export-pass').fill('民政 导出 口令 2020');
      await tid(page, 'export-pass2').fill('民政 导出 口令 2021');
      await tid(page, 'export-submit').click();
      assert.match(await tid(page, 'export-pass2-error').textContent(), /不一致/);
      await tid(page, 'export-pass2').fill('民政 导出 口令 2020');
      const [download] = await Promise.all([page.waitForEvent('download'), tid(page, 'export-submit').click()]);
      assert.equal(download.suggestedFilename(), '人员名册.xlsx.zip');
      await tid(page, 'export-dialog').waitFor({ state: 'detached' });
      const bytes = readFileSync(await download.path());
      assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
      assert.equal(bytes.readUInt16LE(8), 99, 'WinZip AES');

      const [req] = requests.filter((r) => r.pass);
      assert.ok(req, 'the export request carries X-Export-Passphrase');
      assert.equal(decodeURIComponent(req.pass), '民政 导出 口令 2020');
      assert.ok(!req.url.includes('2020') && !req.url.toLowerCase().includes('pass'), `not in the URL: ${req.url}`);
      assert.equal(new URL(req.url).searchParams.get('region'), '370704008001', 'the filter on screen');

      // The ZIP opens with the password and holds the workbook.
      writeFileSync(path.join(dir, 'in.zip'), bytes);
      writeFileSync(path.join(dir, 'pass'), '民政 导出 口令 2020\n', { mode: 0o600 });
      mkdirSync(path.join(dir, 'out'));
      const r = cli(['unzip-export', '--from', path.join(dir, 'in.zip'), '--to', path.join(dir, 'out'), '--passphrase-file', path.join(dir, 'pass')]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readdirSync(path.join(dir, 'out')), ['人员名册.xlsx']);
    }, { name: 'export-encrypted', contextOptions: { acceptDownloads: true } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
