// pages/import.js — 数据导入: upload a spreadsheet (Excel .xlsx, or CSV in UTF-8 or GB18030),
// check it first (a dry run: accepted / rejected / already present, each rejected row with its
// reason, the rejected rows as an .xlsx to fix and upload again), then import the accepted rows.
// The file is uploaded once (POST /api/v1/imports/uploads, up to 32 MB), then checked or imported
// by a job on the server (POST …/uploads/{id}/run) whose progress — rows done of total, rows per
// second, time left — the page polls (GET /api/v1/jobs/{id}); the upload
// shows its progress. The server validates every row with the registry's own rules; the page
// only shows the outcome.

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { button, formError, notice } from '../ui.js';

// unit: what `accepted` and `skipped` count for the kind
const KINDS = [
  { value: 'households', label: '户籍（家庭及成员，每行一人）', unit: '人' },
  { value: 'institutions', label: '机构（每行一个机构）', unit: '个' },
  { value: 'ledger', label: '台账（困难群众，每行一人，按身份证号）', unit: '人' },
  { value: 'assistance', label: '救助名册（已在册的低保、特困对象，每行一件）', unit: '件' },
  { value: 'deaths', label: '死亡名单（卫健、公安等部门提供，每行一人，按身份证号）', unit: '人' },
];
const unitOf = (k) => (KINDS.find((x) => x.value === k) || KINDS[0]).unit;
const MAX_BYTES = 32 << 20;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* POST the file with upload progress; resolves with the parsed JSON answer. */
function send(path, file, csrf, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', path);
    x.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
    x.upload.onprogress = (ev) => ev.lengthComputable && onProgress(ev.loaded / ev.total);
    x.onerror = () => reject(new Error('无法连接服务器，请检查网络后重试'));
    x.onload = () => {
      if (x.status >= 200 && x.status < 300) return resolve(JSON.parse(x.responseText));
      let msg = `请求失败（${x.status}）`;
      try {
        msg = JSON.parse(x.responseText).error.message || msg;
      } catch (e) { /* not JSON */ }
      reject(new Error(msg));
    };
    x.send(file);
  });
}

export default async function render(el) {
  const session = await get('/api/v1/session');
  const csrf = session && session.csrf_token;
  const kind = h('select', { 'data-testid': 'import-kind' }, ...KINDS.map((k) => h('option', { value: k.value }, k.label)));
  const input = h('input', { type: 'file', accept: '.xlsx,.csv,text/csv', 'data-testid': 'import-file' });
  const bar = h('progress', { max: 100, value: 0, hidden: true, 'data-testid': 'import-progress' });
  const stage = h('span', { class: 'muted', 'data-testid': 'import-stage' });
  const err = formError('import-error');
  const out = h('div', { 'data-testid': 'import-result' });
  const template = h('a', { class: 'btn btn-small', download: '', 'data-testid': 'import-template' }, '下载模板');
  const setTemplate = () => { template.href = `/api/v1/imports/template?kind=${kind.value}`; };
  setTemplate();
  kind.addEventListener('change', setTemplate);
  let checked = null; // the file the shown dry run was for

  let upload = null; // {id, file}: the upload the shown dry run was for

  const uploadProgress = (label) => (f) => {
    bar.hidden = false;
    bar.value = Math.round(f * 100);
    stage.textContent = `${label}：上传 ${Math.round(f * 100)}%`;
  };

  /* Poll the job until it ends; show rows done of total, the rate and the time left. */
  async function follow(job, label) {
    const t0 = Date.now();
    for (;;) {
      if (job.status === 'done') return job.result;
      if (job.status === 'failed') throw new Error((job.error && job.error.message) || `${label}失败`);
      if (job.total > 0) {
        bar.value = Math.round((job.done / job.total) * 100);
        const secs = (Date.now() - t0) / 1000;
        const rate = secs > 0.5 ? job.done / secs : 0;
        const left = rate > 0 ? Math.ceil((job.total - job.done) / rate) : 0;
        stage.textContent = `${label}：${job.message || ''} ${job.done}/${job.total}`
          + (rate > 0 ? `，${Math.round(rate)} 行/秒，约剩 ${left} 秒` : '');
      } else {
        stage.textContent = `${label}：${job.message || '排队中'}…`;
      }
      await sleep(300);
      job = await get(`/api/v1/jobs/${job.id}`);
    }
  }

  async function run(dry) {
    err.clear();
    const file = input.files[0];
    if (!file) return err.set('请先选择文件');
    if (file.size > MAX_BYTES) return err.set('文件超过 32 MB：请分成几个文件，或请管理员在服务器上用 minzheng import 导入');
    const label = dry ? '检查' : '导入';
    try {
      if (dry || !upload || upload.file !== file) {
        const q = `kind=${encodeURIComponent(kind.value)}&name=${encodeURIComponent(file.name)}`;
        const u = await send(`/api/v1/imports/uploads?${q}`, file, csrf, uploadProgress(label));
        upload = { id: u.id, file };
      }
      bar.value = 0;
      const job = await post(`/api/v1/imports/uploads/${upload.id}/run${dry ? '?dry_run=1' : ''}`);
      const r = await follow(job, label);
      bar.value = 100;
      stage.textContent = dry ? '检查完毕（尚未导入）' : '导入完成';
      checked = dry ? file : null;
      show(r, file);
      if (!dry) notice(r.kind === 'households' ? `已导入 ${r.accepted} 人（${r.households} 户）` : `已导入 ${r.accepted} ${unitOf(r.kind)}`);
    } catch (e) {
      stage.textContent = '';
      err.set(e.message);
    }
  }

  function downloadRejects(r, file) {
    const a = h('a', { href: `/api/v1/imports/uploads/${r.upload_id}/rejects`, download: `未导入的行-${file.name.replace(/\.[^.]*$/, '')}.xlsx` });
    document.body.append(a);
    a.click();
    a.remove();
  }

  function show(r, file) {
    const stat = (label, n, id) => h('div', { class: 'stat' }, h('div', { class: 'stat-label' }, label), h('div', { class: 'stat-value', 'data-testid': id }, String(n)));
    const u = unitOf(r.kind);
    const commit = button(`导入通过的 ${r.accepted} ${u}`, { 'data-testid': 'import-commit', disabled: !r.dry_run || r.accepted === 0 });
    commit.addEventListener('click', () => { if (checked === file) run(false); });
    const rejBtn = button('下载未通过的行（Excel）', { class: 'btn btn-small', 'data-testid': 'import-rejects-download', hidden: r.rejected === 0 });
    rejBtn.addEventListener('click', () => downloadRejects(r, file));
    replace(out,
      h('div', { class: 'stats' },
        stat(r.dry_run ? `可导入（${u}）` : `已导入（${u}）`, r.accepted, 'import-accepted'),
        stat('未通过（行）', r.rejected, 'import-rejected'),
        stat(`已存在、跳过（${u}）`, r.skipped, 'import-skipped'),
        r.kind === 'households' ? stat(r.dry_run ? '新户' : '新建户', r.households, 'import-households') : null),
      r.rejects.length
        ? h('table', { class: 'table', 'data-testid': 'import-rejects' },
          h('thead', {}, h('tr', {}, h('th', {}, '行号'), h('th', {}, '列'), h('th', {}, '原因'))),
          h('tbody', {}, ...r.rejects.map((x) => h('tr', { 'data-testid': 'import-reject-row' },
            h('td', {}, String(x.line)), h('td', {}, x.column || '整行'), h('td', {}, x.reason)))))
        : null,
      r.rejected > r.rejects.length ? h('p', { class: 'muted' }, `只列出前 ${r.rejects.length} 行，全部见下载的文件。`) : null,
      h('div', { class: 'actions' }, rejBtn, r.dry_run ? commit : null));
  }

  const check = button('检查文件', { class: 'btn btn-primary', 'data-testid': 'import-check' });
  check.addEventListener('click', () => run(true));
  input.addEventListener('change', () => { checked = null; replace(out); stage.textContent = ''; bar.hidden = true; });

  replace(el,
    h('h1', {}, '数据导入'),
    h('p', { class: 'muted' }, '支持 Excel (.xlsx) 和 CSV（UTF-8 或 GB18030 编码）。先检查：每一行按系统规则校验，列出未通过的行和原因；确认后再导入通过的行。已登记的人员（机构）自动跳过，同一文件重复导入不会产生重复记录。身份证号一列请设为“文本”格式。'),
    h('div', { class: 'form-row' }, h('label', {}, '导入类型 ', kind), template),
    h('div', { class: 'form-row' }, input, check),
    h('div', {}, bar, ' ', stage),
    err.el,
    out);
}
