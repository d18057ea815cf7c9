// pages/orgs.js — 社会组织 (#/orgs…). ctx.params[0] is the sub-path:
//   ""              the period's figures (GET /api/v1/orgs/summary) and the organisations in
//                   scope with a name search (GET /api/v1/orgs), exportable
//   "new"           register an organisation (POST /api/v1/orgs)
//   "ID"            one organisation, its latest engagements, its volunteers
//   "ID/engage"     record an engagement with the volunteers' hours (pages/orgs_engage.js)
//   "engagements"   every engagement in scope (GET /api/v1/orgs/engagements)

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { field, textInput, select, button, busy, formError, formDialog, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { exportLinks } from './export_links.js';
import { renderEngage, ACTIVITIES, km2 } from './orgs_engage.js';

export const TYPES = [
  { value: 'volunteer_team', label: '志愿服务队' },
  { value: 'social_group', label: '社会团体' },
  { value: 'foundation', label: '基金会' },
  { value: 'private_non_enterprise', label: '民办非企业单位' },
  { value: 'other', label: '其他' },
];

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return renderHome(el, ctx);
  if (sub === 'new') return renderNew(el, ctx);
  if (sub === 'engagements') return renderEngagements(el, ctx);
  let m = /^(\d+)$/.exec(sub);
  if (m) return renderOrg(el, ctx, m[1]);
  m = /^(\d+)\/engage$/.exec(sub);
  if (m) return renderEngage(el, ctx, m[1]);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

function tabs(active) {
  const tab = (key, text, href) => h('a', { class: 'tab', role: 'tab', href, 'aria-selected': active === key ? 'true' : 'false', 'data-testid': `orgs-tab-${key}` }, text);
  return h('nav', { class: 'tabs', role: 'tablist', 'aria-label': '社会组织' }, tab('home', '社会组织', '#/orgs'), tab('engagements', '参与记录', '#/orgs/engagements'), tab('new', '登记组织', '#/orgs/new'));
}

function figure(label, value, testid, unit) {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, h('strong', { 'data-testid': testid }, count(value)), unit ? ` ${unit}` : null));
}

async function renderHome(el, ctx) {
  ctx.setTitle('社会组织');
  loading(el);
  const from = ctx.query.get('from') || '2020-01-24';
  const to = ctx.query.get('to') || '2020-04-26';
  const q = ctx.query.get('q') || '';
  let sum, page;
  try {
    [sum, page] = await Promise.all([get('/api/v1/orgs/summary', { from, to }), get('/api/v1/orgs', { q, limit: 100 })]);
  } catch (err) {
    failure(el, err, '社会组织加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const fromIn = textInput({ type: 'date', value: from, 'data-testid': 'orgs-from', 'aria-label': '开始日期' });
  const toIn = textInput({ type: 'date', value: to, 'data-testid': 'orgs-to', 'aria-label': '结束日期' });
  const qIn = textInput({ value: q, placeholder: '组织名称', 'data-testid': 'orgs-q', 'aria-label': '组织名称' });
  const form = h('form', { class: 'search-form' }, h('div', { class: 'checks' }, fromIn, ' 至 ', toIn, qIn, button('查询', { type: 'submit', class: 'btn', 'data-testid': 'orgs-search' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams({ from: fromIn.value, to: toIn.value, q: qIn.value.trim() });
    ctx.navigate(`#/orgs?${p.toString()}`);
  });
  replace(el, tabs('home'),
    h('section', { class: 'panel' }, h('h1', null, '社会力量参与疫情防控'), form,
      h('dl', { class: 'facts', 'data-testid': 'orgs-summary' },
        figure('参与社会组织', sum.engaged, 'orgs-engaged', '个'),
        figure('发动志愿者的组织', sum.mobilising, 'orgs-mobilising', '个'),
        figure('志愿者', sum.volunteers, 'orgs-volunteers', '人'),
        figure('消杀面积', sum.disinfected_km2, 'orgs-km2', '平方千米'),
        figure('排查住户', sum.households_screened, 'orgs-households', '户')),
      h('p', { class: 'muted' }, '参与：期内有参与记录；发动志愿者：期内派出志愿者；志愿者同一人只计一次；消杀面积按平方千米向下取整。')),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, `社会组织（${count(page.total)} 个）`), exportLinks('/api/v1/orgs', { q }, 'orgs-export')),
      page.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'orgs-list' },
        h('thead', null, h('tr', null, ['名称', '类型', '所在地', '联系人', '参与记录', '志愿者', '最近参与'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, page.items.map((o) => h('tr', { 'data-testid': 'orgs-row', 'data-id': o.id },
          h('td', { 'data-label': '名称' }, h('a', { href: `#/orgs/${o.id}` }, o.name)),
          h('td', { 'data-label': '类型' }, o.type_label),
          h('td', { 'data-label': '所在地' }, o.region_name),
          h('td', { 'data-label': '联系人' }, o.contact_name, ' ', h('span', { class: 'mono' }, o.contact_phone || '')),
          h('td', { 'data-label': '参与记录', class: 'num' }, count(o.engagements)),
          h('td', { 'data-label': '志愿者', class: 'num' }, count(o.volunteers)),
          h('td', { 'data-label': '最近参与' }, o.last_engaged_on || '—'))))))
        : emptyState('没有符合条件的社会组织', 'orgs-empty')));
}

async function renderNew(el, ctx) {
  ctx.setTitle('登记社会组织');
  const nf = field({ label: '组织名称', input: textInput({ maxlength: '60' }), testid: 'org-name', required: true });
  const tf = field({ label: '类型', input: select(TYPES, { placeholder: '请选择' }), testid: 'org-type', required: true });
  const rf = field({ label: '登记证号', input: textInput({ maxlength: '30' }), testid: 'org-reg-no', required: true, hint: '统一社会信用代码或登记证号' });
  const gf = field({ label: '所在区划代码', input: textInput({ value: ctx.user.region_code || '', maxlength: '12', inputmode: 'numeric' }), testid: 'org-region', required: true });
  const cf = field({ label: '联系人', input: textInput({ maxlength: '30' }), testid: 'org-contact' });
  const pf = field({ label: '联系电话', input: textInput({ maxlength: '20', inputmode: 'tel' }), testid: 'org-phone' });
  const box = formError('org-error');
  const submit = button('登记', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'org-submit' });
  const form = h('form', { novalidate: true }, h('div', { class: 'form-grid' }, nf.wrap, tf.wrap, rf.wrap, gf.wrap, cf.wrap, pf.wrap), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    let o;
    try {
      o = await busy(submit, () => post('/api/v1/orgs', {
        name: nf.input.value.trim(), type: tf.input.value, reg_no: rf.input.value.trim(), region_code: gf.input.value.trim(),
        contact_name: cf.input.value.trim(), contact_phone: pf.input.value.trim(),
      }));
    } catch (err) {
      showServerError(err, { name: nf, type: tf, reg_no: rf, region_code: gf, contact_name: cf, contact_phone: pf }, box);
      return;
    }
    notice('已登记');
    ctx.navigate(`#/orgs/${o.id}`);
  });
  replace(el, tabs('new'), h('section', { class: 'panel' }, h('h1', null, '登记社会组织'), form));
}

export function engagementTable(items, testid) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': testid },
    h('thead', null, h('tr', null, ['日期', '组织', '活动', '地点', '消杀面积', '排查户数', '志愿者', '备注'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, items.map((x) => h('tr', { 'data-testid': 'engagement-row', 'data-id': x.id },
      h('td', { 'data-label': '日期' }, x.date),
      h('td', { 'data-label': '组织' }, h('a', { href: `#/orgs/${x.org_id}` }, x.org_name)),
      h('td', { 'data-label': '活动', 'data-testid': 'engagement-activity' }, x.activity_label),
      h('td', { 'data-label': '地点' }, x.region_name),
      h('td', { 'data-label': '消杀面积', class: 'num' }, x.area_m2 ? `${km2(x.area_m2)} 平方千米` : '—'),
      h('td', { 'data-label': '排查户数', class: 'num' }, x.households ? count(x.households) : '—'),
      h('td', { 'data-label': '志愿者', class: 'num', 'data-testid': 'engagement-volunteers' }, count(x.volunteers)),
      h('td', { 'data-label': '备注' }, x.note || ''))))));
}

async function renderEngagements(el, ctx) {
  ctx.setTitle('参与记录');
  loading(el);
  const activity = ctx.query.get('activity') || '';
  let page;
  try {
    page = await get('/api/v1/orgs/engagements', { activity, limit: 200 });
  } catch (err) {
    failure(el, err, '参与记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const sel = select(ACTIVITIES, { placeholder: '全部活动', value: activity, 'data-testid': 'engagements-activity', 'aria-label': '活动类型' });
  sel.addEventListener('change', () => ctx.navigate(`#/orgs/engagements${sel.value ? `?activity=${sel.value}` : ''}`));
  replace(el, tabs('engagements'), h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, `参与记录（${count(page.total)} 条）`), exportLinks('/api/v1/orgs/engagements', { activity }, 'engagements-export')),
    h('div', { class: 'toolbar' }, sel),
    page.items.length ? engagementTable(page.items, 'engagements-list') : emptyState('没有参与记录', 'engagements-empty')));
}

async function renderOrg(el, ctx, id) {
  loading(el);
  let o, vols;
  try {
    [o, vols] = await Promise.all([get(`/api/v1/orgs/${id}`), get('/api/v1/orgs/volunteers', { org_id: id, limit: 200 })]);
  } catch (err) {
    failure(el, err, '社会组织加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(o.name);
  const addVol = button('登记志愿者', { class: 'btn', 'data-testid': 'org-add-volunteer' });
  addVol.addEventListener('click', async () => {
    const r = await formDialog({
      title: '登记志愿者',
      fields: [{ name: 'name', label: '姓名', required: true }, { name: 'phone', label: '电话' }, { name: 'skills', label: '技能特长' }],
      onSubmit: (v) => post('/api/v1/orgs/volunteers', { org_id: Number(id), ...v }),
    });
    if (r) {
      notice('已登记志愿者');
      renderOrg(el, ctx, id);
    }
  });
  replace(el, tabs(''),
    h('section', { class: 'panel', 'data-testid': 'org-detail' },
      h('div', { class: 'panel-head' }, h('h1', { 'data-testid': 'org-name' }, o.name),
        h('a', { class: 'btn btn-primary', href: `#/orgs/${id}/engage`, 'data-testid': 'org-engage' }, '登记参与记录')),
      h('dl', { class: 'facts' },
        h('div', { class: 'fact' }, h('dt', null, '类型'), h('dd', null, o.type_label)),
        h('div', { class: 'fact' }, h('dt', null, '登记证号'), h('dd', { class: 'mono' }, o.reg_no)),
        h('div', { class: 'fact' }, h('dt', null, '所在地'), h('dd', null, `${o.region_name}（${o.region_code}）`)),
        h('div', { class: 'fact' }, h('dt', null, '联系人'), h('dd', null, o.contact_name, ' ', h('span', { class: 'mono' }, o.contact_phone || ''))))),
    h('section', { class: 'panel' }, h('h2', null, `最近参与记录（共 ${count(o.engagements)} 条）`),
      o.recent_engagements.length ? engagementTable(o.recent_engagements, 'org-engagements') : emptyState('还没有参与记录', 'org-engagements-empty')),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, `志愿者（${count(vols.total)} 人）`), addVol,
        exportLinks('/api/v1/orgs/volunteers', { org_id: id }, 'org-volunteers-export')),
      vols.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'org-volunteers' },
        h('thead', null, h('tr', null, ['姓名', '电话', '技能特长', '服务次数', '服务时长'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, vols.items.map((v) => h('tr', { 'data-testid': 'volunteer-row' },
          h('td', { 'data-label': '姓名' }, v.name),
          h('td', { 'data-label': '电话', class: 'mono' }, v.phone || '—'),
          h('td', { 'data-label': '技能特长' }, v.skills || '—'),
          h('td', { 'data-label': '服务次数', class: 'num' }, count(v.activities)),
          h('td', { 'data-label': '服务时长', class: 'num' }, `${(v.hours_tenths / 10).toFixed(1)} 小时`))))))
        : emptyState('还没有志愿者', 'org-volunteers-empty')));
}
