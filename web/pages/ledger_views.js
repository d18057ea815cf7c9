// pages/ledger_views.js — the ledger's other views (see pages/ledger.js for the routes):
//   overdue   应访未访: the county's (township's, village's) overdue list as of a day, with the
//             active and overdue counts one level down — click a township to see its villages
//   survey    摸底: one screen per household of a village, next / previous, the needs ticked and
//             saved as a visit of mode "survey"; built for a phone
//   stats     figures per period and region: ledger size by category, visits, overdue, needs
//   notice    the printable notice of a village or township: its 24-hour number and helpers; a
//             township or county user sets the number here
//   new       add a registry person by hand with the categories seen

import { h, replace } from '../dom.js';
import { get, post, request } from '../api.js';
import { count } from '../format.js';
import { field, textInput, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import {
  CATEGORY_LABELS, MANUAL_CATEGORIES, NEED_LABELS, MODE_LABELS, categoryBadges, dueBadge, entryHash, visitHash, helperText,
  ledgerTabs, today, withQuery, DATE_RE, MONTH_RE,
} from './ledger_common.js';
import { exportLinks } from './export_links.js';

export default async function render(el, ctx, view, code) {
  switch (view) {
    case 'overdue': return renderOverdue(el, ctx);
    case 'survey': return renderSurvey(el, ctx);
    case 'stats': return renderStats(el, ctx);
    case 'notice': return renderNotice(el, ctx, code);
    default: return renderNew(el, ctx);
  }
}

function panel(ctx, tab, title, ...children) {
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h1', null, title)), ledgerTabs(ctx, tab), ...children);
}

// ---------------------------------------------------------------- overdue

async function renderOverdue(el, ctx) {
  ctx.setTitle('应访未访');
  const date = ctx.query.get('date') || today();
  const region = ctx.query.get('region') || '';
  const offset = Math.max(0, parseInt(ctx.query.get('offset'), 10) || 0);
  const df = field({ label: '截至日期', input: textInput({ value: date, maxlength: '10' }), testid: 'overdue-date' });
  const rf = field({ label: '区划代码', input: textInput({ value: region, maxlength: '12', inputmode: 'numeric', placeholder: '留空为全部辖区' }), testid: 'overdue-region' });
  const box = formError('overdue-error');
  const form = h('form', { class: 'search-form', novalidate: true }, h('div', { class: 'form-grid' }, df.wrap, rf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'overdue-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = df.input.value.trim();
    const r = rf.input.value.trim();
    df.setError(DATE_RE.test(d) ? '' : '日期应为 YYYY-MM-DD');
    rf.setError(/^\d{0,12}$/.test(r) ? '' : '区划代码应为数字');
    if (DATE_RE.test(d) && /^\d{0,12}$/.test(r)) ctx.navigate(withQuery('#/ledger/overdue', { date: d === today() ? '' : d, region: r }));
  });
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, panel(ctx, 'overdue', '应访未访名单', h('p', { class: 'muted' }, '截至该日应走访而未走访的在册对象（含当天到期），逾期最久的在前。'), box.el, form), results);
  loading(results);
  let r;
  try {
    r = await get('/api/v1/ledger/overdue', { date, region, limit: 50, offset });
  } catch (err) {
    replace(results);
    showServerError(err, { date: df, region: rf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const groups = r.groups.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'overdue-groups' },
    h('caption', { class: 'sr-only' }, '按区划'),
    h('thead', null, h('tr', null, ['区划', '在册', '应访未访', '比例'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, r.groups.map((g) => h('tr', {
      class: 'clickable', 'data-testid': 'overdue-group', 'data-region': g.region_code,
      onclick: () => ctx.navigate(withQuery('#/ledger/overdue', { date: date === today() ? '' : date, region: g.region_code })),
    },
    h('td', { 'data-label': '区划' }, h('a', { href: withQuery('#/ledger/overdue', { date: date === today() ? '' : date, region: g.region_code }) }, g.name || g.region_code)),
    h('td', { 'data-label': '在册', class: 'num' }, count(g.active)),
    h('td', { 'data-label': '应访未访', class: 'num', 'data-testid': 'overdue-group-count' }, count(g.overdue)),
    h('td', { 'data-label': '比例', class: 'num' }, g.active ? `${Math.round((g.overdue * 1000) / g.active) / 10}%` : '—')))))) : null;
  const rows = r.items.map((e) => h('tr', { 'data-testid': 'overdue-row', 'data-id': e.id },
    h('td', { 'data-label': '姓名' }, h('a', { href: entryHash(e.id) }, e.name)),
    h('td', { 'data-label': '村居' }, e.region_name),
    h('td', { 'data-label': '困难类别' }, categoryBadges(e.categories)),
    h('td', { 'data-label': '包帮责任人' }, helperText(e.helper)),
    h('td', { 'data-label': '上次走访', class: 'mono' }, e.last_visit_on || '未走访'),
    h('td', { 'data-label': '应访' }, dueBadge(e)),
    h('td', { 'data-label': '操作' }, h('a', { class: 'btn btn-small', href: visitHash(e.id) }, '记录走访'))));
  replace(results,
    groups ? h('section', { class: 'panel' }, h('h2', null, '按区划'), groups) : null,
    h('section', { class: 'panel' },
      h('p', { class: 'muted', 'data-testid': 'overdue-total' }, `截至 ${r.date} 应访未访 ${count(r.total)} 人`),
      exportLinks('/api/v1/ledger/overdue', { date, region }, 'overdue-export'),
      rows.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'overdue-table' },
        h('thead', null, h('tr', null, ['姓名', '村居', '困难类别', '包帮责任人', '上次走访', '应访', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows))) : emptyState('没有应访未访的对象', 'overdue-empty'),
      h('div', { class: 'pager' },
        offset > 0 ? button('上一页', { onclick: () => ctx.navigate(withQuery('#/ledger/overdue', { date, region, offset: Math.max(0, offset - 50) })) }) : null,
        offset + r.items.length < r.total ? button('下一页', { onclick: () => ctx.navigate(withQuery('#/ledger/overdue', { date, region, offset: offset + 50 })) }) : null)));
}

// ---------------------------------------------------------------- survey (摸底)

async function renderSurvey(el, ctx) {
  ctx.setTitle('摸底走访');
  const region = ctx.query.get('region') || (ctx.user.region_code.length === 12 ? ctx.user.region_code : '');
  if (!/^\d{12}$/.test(region)) {
    const rf = field({ label: '村（居）代码', input: textInput({ value: region, maxlength: '12', inputmode: 'numeric', placeholder: '12 位村居代码' }), testid: 'survey-region' });
    const form = h('form', { class: 'search-form', novalidate: true }, rf.wrap,
      h('div', { class: 'actions' }, button('开始摸底', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'survey-start' })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const r = rf.input.value.trim();
      rf.setError(/^\d{12}$/.test(r) ? '' : '请输入 12 位村（居）代码');
      if (/^\d{12}$/.test(r)) ctx.navigate(withQuery('#/ledger/survey', { region: r }));
    });
    replace(el, panel(ctx, 'survey', '摸底走访', h('p', { class: 'muted' }, '逐户登记需求：选择一个村（居），一屏一户。'), form));
    return;
  }
  loading(el);
  let list;
  try {
    list = await get('/api/v1/ledger/entries', { region, limit: 200 });
  } catch (err) {
    failure(el, err, err.status === 404 ? '该村（居）不在您的管辖范围内' : '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const items = list.items;
  let i = Math.min(Math.max(0, parseInt(ctx.query.get('i'), 10) || 0), Math.max(0, items.length - 1));
  const saved = new Set();
  const screen = h('div');
  const show = () => {
    if (!items.length) {
      replace(screen, emptyState('该村（居）台账中没有在册对象', 'survey-empty'));
      return;
    }
    const e = items[i];
    const needs = Object.entries(NEED_LABELS).map(([kind, text]) => {
      const check = h('input', { type: 'checkbox', 'data-testid': `survey-need-${kind}` });
      const detail = textInput({ placeholder: `${text}：具体需要`, hidden: true, maxlength: '200', 'data-testid': `survey-need-${kind}-detail` });
      check.addEventListener('change', () => { detail.hidden = !check.checked; });
      return { kind, check, detail, el: h('div', { class: 'field' }, h('label', { class: 'check' }, check, text), detail) };
    });
    const findings = h('textarea', { rows: '2', maxlength: '500', placeholder: '情况简述（可不填）', 'data-testid': 'survey-findings' });
    const box = formError('survey-error');
    const save = button(i + 1 < items.length ? '保存并下一户' : '保存', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'survey-save' });
    const prev = button('上一户', { 'data-testid': 'survey-prev', disabled: i === 0 ? true : null, onclick: () => { i--; show(); } });
    const next = button('跳过', { 'data-testid': 'survey-skip', disabled: i + 1 >= items.length ? true : null, onclick: () => { i++; show(); } });
    const form = h('form', { class: 'panel', novalidate: true, 'data-testid': 'survey-card', 'data-id': e.id },
      h('p', { class: 'muted', 'data-testid': 'survey-progress' }, `第 ${i + 1} / ${items.length} 户${saved.size ? `，已登记 ${saved.size} 户` : ''}`),
      h('h2', { 'data-testid': 'survey-name' }, e.name, e.age !== null ? h('span', { class: 'muted' }, ` ${e.age} 岁`) : null,
        saved.has(e.id) ? h('span', { class: 'badge' }, '已登记') : null),
      h('p', null, categoryBadges(e.categories)),
      h('p', { class: 'muted' }, e.address, ' · 上次走访 ', e.last_visit_on || '无', ' · 包帮 ', helperText(e.helper)),
      box.el,
      h('div', null, needs.map((x) => x.el)),
      h('label', null, '情况', findings),
      h('div', { class: 'actions actions-sticky' }, prev, next, save));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {
        mode: 'survey', findings: findings.value.trim(),
        needs: needs.filter((x) => x.check.checked).map((x) => ({ kind: x.kind, detail: x.detail.value.trim() })),
      };
      try {
        await busy(save, () => post(`/api/v1/ledger/entries/${e.id}/visits`, body));
        saved.add(e.id);
        notice(`已登记：${e.name}`);
        if (i + 1 < items.length) i++;
        show();
      } catch (err) {
        box.set(err.message);
      }
    });
    replace(screen, form);
  };
  replace(el, panel(ctx, 'survey', `摸底走访 · ${items[0] ? items[0].region_name : region}`,
    h('p', { class: 'muted' }, '每户勾选收集到的需求后保存（记为一次“摸底登记”走访）；无需求的也请保存，以记录已摸底。')), screen);
  show();
}

// ---------------------------------------------------------------- statistics

async function renderStats(el, ctx) {
  ctx.setTitle('台账统计');
  const month = today().slice(0, 7);
  const from = ctx.query.get('from') || month;
  const to = ctx.query.get('to') || from;
  const region = ctx.query.get('region') || '';
  const ff = field({ label: '起始月份', input: textInput({ value: from, maxlength: '7' }), testid: 'stats-from' });
  const tf = field({ label: '截止月份', input: textInput({ value: to, maxlength: '7' }), testid: 'stats-to' });
  const rf = field({ label: '区划代码', input: textInput({ value: region, maxlength: '12', inputmode: 'numeric' }), testid: 'stats-region' });
  const box = formError('stats-error');
  const form = h('form', { class: 'search-form', novalidate: true }, h('div', { class: 'form-grid' }, ff.wrap, tf.wrap, rf.wrap),
    h('div', { class: 'actions' }, button('统计', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'stats-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = ff.input.value.trim();
    const t = tf.input.value.trim();
    ff.setError(MONTH_RE.test(f) ? '' : '月份应为 YYYY-MM');
    tf.setError(MONTH_RE.test(t) ? '' : '月份应为 YYYY-MM');
    if (MONTH_RE.test(f) && MONTH_RE.test(t)) ctx.navigate(withQuery('#/ledger/stats', { from: f, to: t, region: rf.input.value.trim() }));
  });
  const results = h('div', { 'aria-live': 'polite' });
  replace(el, panel(ctx, 'stats', '台账统计', box.el, form), results);
  loading(results);
  let s;
  try {
    s = await get('/api/v1/ledger/stats', { from, to, region });
  } catch (err) {
    replace(results);
    showServerError(err, { from: ff, to: tf, region: rf }, box);
    return;
  }
  if (!ctx.isCurrent()) return;
  const cols = ['区划', '期末在册', '新纳入', '销号', '走访', '逾期走访', '期末应访未访', '新需求', '已解决', '无法解决', '待解决'];
  const row = (f, total) => h('tr', { 'data-testid': total ? 'stats-total' : 'stats-row', 'data-region': f.region_code },
    h('td', { 'data-label': '区划' }, total ? '合计' : f.name || f.region_code),
    [f.entries, f.joined, f.closed, f.visits, f.late_visits, f.overdue, f.needs.raised, f.needs.met, f.needs.unmet, f.needs.open]
      .map((v, k) => h('td', { 'data-label': cols[k + 1], class: 'num' }, count(v))));
  const cats = Object.entries(CATEGORY_LABELS).map(([c, text]) => h('tr', null, h('td', { 'data-label': '类别' }, text),
    h('td', { 'data-label': '人数', class: 'num', 'data-testid': `stats-cat-${c}` }, count(s.total.by_category[c] || 0))));
  const modes = Object.entries(MODE_LABELS).map(([m, text]) => `${text} ${count(s.total.visits_by_mode[m] || 0)}`).join('，');
  replace(results,
    h('section', { class: 'panel' }, h('h2', null, `${s.from} 至 ${s.to}（期末 ${s.end}）`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'stats-table' },
        h('thead', null, h('tr', null, cols.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, s.items.map((f) => row(f, false)), row(s.total, true)))),
      h('p', { class: 'muted' }, `走访方式：${modes}`)),
    h('section', { class: 'panel' }, h('h2', null, '期末在册人数（按类别，一人可有多个类别）'),
      h('table', { class: 'data', 'data-testid': 'stats-categories' }, h('tbody', null, cats))));
}

// ---------------------------------------------------------------- the notice

async function renderNotice(el, ctx, code) {
  const own = ctx.user.region_code;
  if (!code) code = own.length === 9 || own.length === 12 ? own : '';
  if (!code) {
    const rf = field({ label: '镇（街道）或村（居）代码', input: textInput({ maxlength: '12', inputmode: 'numeric' }), testid: 'notice-region' });
    const form = h('form', { class: 'search-form', novalidate: true }, rf.wrap, h('div', { class: 'actions' }, button('查看', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'notice-open' })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const r = rf.input.value.trim();
      rf.setError(/^(\d{9}|\d{12})$/.test(r) ? '' : '请输入 9 位镇街或 12 位村居代码');
      if (/^(\d{9}|\d{12})$/.test(r)) ctx.navigate(`#/ledger/notice/${r}`);
    });
    replace(el, panel(ctx, 'notice', '告示', form));
    return;
  }
  ctx.setTitle('告示');
  loading(el);
  let n;
  try {
    n = await get(`/api/v1/ledger/notice/${code}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '该区划不存在或不在您的管辖范围内' : '加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`告示 · ${n.region_name}`);
  const township = n.contact.township_code;
  const canSet = ctx.user.region_code.length <= 9 && township.startsWith(ctx.user.region_code);
  let setForm = null;
  if (canSet) {
    const pf = field({ label: '24 小时值守电话', input: textInput({ value: n.contact.phone || '', inputmode: 'tel', placeholder: '如 0536-8123456' }), testid: 'contact-phone' });
    const nf = field({ label: '说明', input: textInput({ value: n.contact.note || '', maxlength: '100' }), testid: 'contact-note' });
    const box = formError('contact-error');
    const save = button('保存', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'contact-save' });
    setForm = h('form', { class: 'panel no-print', novalidate: true }, h('h2', null, `${n.contact.township_name} 24 小时值守电话`), box.el,
      h('div', { class: 'form-grid' }, pf.wrap, nf.wrap), h('div', { class: 'actions' }, save));
    setForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await busy(save, () => request('PUT', `/api/v1/ledger/contacts/${township}`, { body: { phone: pf.input.value.trim(), note: nf.input.value.trim() } }));
        notice('已保存');
        ctx.refresh();
      } catch (err) {
        showServerError(err, { phone: pf, note: nf }, box);
      }
    });
  }
  const rows = n.helpers.map((x, k) => h('tr', { 'data-testid': 'notice-helper' },
    h('td', null, String(k + 1)), h('td', null, x.name), h('td', null, x.role_label), h('td', { class: 'mono' }, x.phone), h('td', null, String(x.entries))));
  const sheet = h('article', { class: 'gs-sheet', 'data-testid': 'ledger-notice-sheet' },
    h('h1', { class: 'gs-title' }, `${n.region_name}困难群众关爱服务告示`),
    h('p', { class: 'gs-lead' }, '独居、留守、孤残、重病、低保、特困等困难群众及隔离家庭在生活上遇到困难，',
      '可随时拨打镇（街道）24 小时值守电话，或联系本村（居）包帮责任人，我们将及时上门了解情况、提供帮助。'),
    h('p', { class: 'gs-title', 'data-testid': 'ledger-notice-phone' }, `${n.contact.township_name} 24 小时值守电话：${n.contact.phone || '（未设置）'}`),
    n.contact.note ? h('p', { style: 'text-align:center' }, n.contact.note) : null,
    rows.length ? h('table', { class: 'gs-table', 'data-testid': 'ledger-notice-helpers' },
      h('thead', null, h('tr', null, ['序号', '包帮责任人', '职务', '联系电话', '包帮户数'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, rows)) : h('p', null, '包帮责任人正在落实中。'),
    h('p', { class: 'gs-foot' }, `${n.contact.township_name}人民政府（街道办事处）`, h('br'), n.date));
  replace(el,
    h('section', { class: 'panel no-print' }, h('div', { class: 'panel-head' }, h('h1', null, `告示 · ${n.region_name}`),
      button('打印', { class: 'btn btn-primary', 'data-testid': 'notice-print', onclick: () => window.print() })),
    ledgerTabs(ctx, 'notice'),
    h('p', { class: 'muted' }, `在册 ${count(n.entries)} 人，未指定包帮责任人 ${count(n.unassigned)} 人。告示不公布台账对象的姓名。`)),
    setForm, sheet);
}

// ---------------------------------------------------------------- adding by hand

async function renderNew(el, ctx) {
  ctx.setTitle('手工登记');
  const qf = field({ label: '查找人员', input: textInput({ type: 'search', placeholder: '姓名或身份证号' }), testid: 'new-q' });
  const found = h('div', { 'data-testid': 'new-found' });
  let chosen = null;
  const chosenEl = h('p', { 'data-testid': 'new-chosen', class: 'muted' }, '尚未选择人员');
  const checks = MANUAL_CATEGORIES.map((c) => {
    const input = h('input', { type: 'checkbox', value: c, 'data-testid': `new-cat-${c}` });
    return { c, input, el: h('label', { class: 'check' }, input, CATEGORY_LABELS[c]) };
  });
  const note = h('textarea', { rows: '2', maxlength: '200', 'data-testid': 'new-note' });
  const box = formError('new-error');
  const search = button('查找', { 'data-testid': 'new-search' });
  search.addEventListener('click', async () => {
    const q = qf.input.value.trim();
    if (!q) return;
    try {
      const r = await get('/api/v1/persons', { q, limit: 10 });
      replace(found, r.items.length ? h('ul', { class: 'plain-list' }, r.items.map((p) => h('li', null,
        `${p.name} ${p.id_number} ${p.age !== undefined ? `${p.age} 岁` : ''} `,
        button('选择', { class: 'btn btn-small', 'data-testid': 'new-pick', onclick: () => { chosen = p; replace(chosenEl, `已选择：${p.name}（${p.id_number}）`); } })))) : emptyState('没有找到', 'new-none'));
    } catch (err) {
      box.set(err.message);
    }
  });
  const save = button('登记入台账', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'new-submit' });
  const form = h('form', { novalidate: true }, box.el, h('div', { class: 'form-grid' }, qf.wrap), h('div', { class: 'actions' }, search), found, chosenEl,
    h('h2', null, '困难类别'), h('div', { class: 'checks' }, checks.map((x) => x.el)), h('label', null, '情况说明', note), h('div', { class: 'actions' }, save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!chosen) {
      box.set('请先查找并选择人员');
      return;
    }
    try {
      const r = await busy(save, () => post('/api/v1/ledger/entries', {
        person_id: chosen.id, categories: checks.filter((x) => x.input.checked).map((x) => x.c), note: note.value.trim(),
      }));
      notice('已登记入台账');
      ctx.navigate(entryHash(r.id));
    } catch (err) {
      box.set(err.message);
    }
  });
  replace(el, panel(ctx, 'new', '手工登记入台账',
    h('p', { class: 'muted' }, '低保、特困人员和有困难标签的人员会自动纳入台账；其他需要关注的群众在此手工登记（须已在户籍登记中）。'), form));
}
