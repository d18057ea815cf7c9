// import.test.mjs (e2e) — 数据导入 in the browser: the city administrator picks a CSV with one bad
// row (a wrong check digit), checks it, sees the counts and the row's reason, downloads the
// rejected rows, imports the rest, and the household is in the registry; checking the same file
// again finds everything already present.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { sqlite, startServer } from '../lib/server.mjs';
import { goHash, loginUI, openBrowser, tid } from '../lib/browser.mjs';

let srv, br, dir;
before(async () => {
  srv = await startServer();
  br = await openBrowser(srv.url, { timeout: 15000 });
  dir = mkdtempSync(path.join(os.tmpdir(), 'mz-import-'));
});
after(async () => {
  await br?.close();
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const withCheck = (b) => b + '10X98765432'[[...b].reduce((s, c, i) => s + Number(c) * W[i], 0) % 11];

test('upload a CSV with one bad row: see the reason, import the rest', () => br.run(async ({ page }) => {
  const head = withCheck('37070219750101011'), child = withCheck('37070220050202022');
  const bad = withCheck('37070219770303033').slice(0, 17) + (withCheck('37070219770303033').endsWith('1') ? '2' : '1');
  const file = path.join(dir, 'households.csv');
  writeFileSync(file, '户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话\n'
    + `E1,370702001001,测试路 1 号,城镇,${head},测试户主,户主,13800000009\n`
    + `E1,370702001001,测试路 1 号,城镇,${child},测试子女,子女,\n`
    + `E2,370702001002,测试路 2 号,农村,${bad},测试错号,户主,\n`);

  await loginUI(page, 'admin');
  await goHash(page, '#/import');
  await tid(page, 'import-file').setInputFiles(file);
  await tid(page, 'import-check').click();
  await tid(page, 'import-accepted').waitFor();
  assert.equal(await tid(page, 'import-accepted').innerText(), '2');
  assert.equal(await tid(page, 'import-rejected').innerText(), '1');
  const rows = page.locator('[data-testid="import-reject-row"]');
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().innerText(), /4[\s\S]*身份证号[\s\S]*校验位/);
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM persons WHERE name LIKE '测试%'").trim(), '0');

  const [download] = await Promise.all([page.waitForEvent('download'), tid(page, 'import-rejects-download').click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);

  await tid(page, 'import-commit').click();
  await page.locator('[data-testid="import-stage"]:has-text("导入完成")').waitFor();
  assert.equal(await tid(page, 'import-accepted').innerText(), '2');
  assert.equal(sqlite(srv.dbPath, "SELECT name || ':' || relation FROM persons WHERE name LIKE '测试%' ORDER BY name, id;").trim().split('\n').join(','),
    '测试子女:child,测试户主:head');

  // the same file again: nothing new
  await tid(page, 'import-check').click();
  await page.locator('[data-testid="import-skipped"]:has-text("2")').waitFor();
  assert.equal(await tid(page, 'import-accepted').innerText(), '0');
}));

test('a file over 1 MB: uploaded with progress, checked and imported by the server in the background', () => br.run(async ({ page }) => {
  const village = sqlite(srv.dbPath, "SELECT min(code) FROM regions WHERE level = 5 AND code LIKE '370705%'").trim();
  const lines = ['户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话'];
  for (let i = 0; i < 14000; i++) {
    const base = `110101${1940 + Math.floor(i / 12000)}${String(1 + (Math.floor(i / 1000) % 12)).padStart(2, '0')}16${String(i % 1000).padStart(3, '0')}`;
    lines.push(`L${i},${village},大文件路 ${i} 号,农村,${withCheck(base)},大文件${i},户主,`);
  }
  const file = path.join(dir, 'big.csv');
  writeFileSync(file, lines.join('\n') + '\n');

  await loginUI(page, 'admin');
  await goHash(page, '#/import');
  await tid(page, 'import-stage').waitFor({ state: 'attached' });
  // record every stage the page shows
  await page.evaluate(() => {
    window.__stages = [];
    const el = document.querySelector('[data-testid="import-stage"]');
    new MutationObserver(() => window.__stages.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await tid(page, 'import-file').setInputFiles(file);
  await tid(page, 'import-check').click();
  await page.locator('[data-testid="import-stage"]:has-text("检查完毕")').waitFor({ timeout: 60000 });
  assert.equal(await tid(page, 'import-accepted').innerText(), '14000');
  const stages = await page.evaluate(() => window.__stages);
  assert.ok(stages.some((s) => /检查：上传 \d+%/.test(s)), `upload progress shown: ${stages.slice(0, 5).join(' | ')}`);
  await tid(page, 'import-commit').click();
  await page.locator('[data-testid="import-stage"]:has-text("导入完成")').waitFor({ timeout: 60000 });
  assert.equal(sqlite(srv.dbPath, "SELECT count(*) FROM persons WHERE name LIKE '大文件%'").trim(), '14000');
}));
