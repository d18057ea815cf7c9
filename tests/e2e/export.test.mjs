// export.test.mjs — the 导出 links on list pages: they carry the filters on screen and download
// the whole filtered list as a file (docs/export.md).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { startServer } from '../lib/server.mjs';
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
