// pages/duty.js — 值班值守 (#/duty…). ctx.params[0] is the sub-path:
//   ""            who is on duty now in the rosters in scope (GET /api/v1/duty/now), the units
//                 above the user (whom to call), and the list of rosters
//   "new"         set up a roster for a unit (POST /api/v1/duty/rosters)
//   "ID"          one roster: its shifts, reports, handovers and coverage (pages/duty_roster.js)
//   "handovers"   the handover log (GET /api/v1/duty/handovers)

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { renderRoster } from './duty_roster.js';
import { KIND_LABELS, POST_LABELS, dutyTabs, hm } from './duty_common.js';
import { exportLinks } from './export_links.js';

export default async function render(el, ctx) {
  const sub = ctx.params[0] || '';
  if (sub === '') return renderNow(el, ctx);
  if (sub === 'new') return renderNew(el, ctx);
  if (sub === 'handovers') return renderHandovers(el, ctx);
  if (/^\d+$/.test(sub)) return renderRoster(el, ctx, sub);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在')));
  return undefined;
}

function onDutyList(u) {
  if (!u.on_duty.length) return h('span', { class: 'badge badge-warn', 'data-testid': 'duty-gap' }, '此刻无人值班');
  return h('ul', { class: 'plain-list' }, u.on_duty.map((p) => h('li', { 'data-testid': 'duty-person' },
    h('span', { class: p.post === 'leader' ? 'badge' : 'badge badge-muted' }, POST_LABELS[p.post] || p.post), ' ',
    h('strong', null, p.person_name), ' ', h('span', { class: 'mono' }, p.phone),
    h('span', { class: 'muted' }, ` 至 ${hm(p.end_at)}`))));
}

function unitRow(u, ctx) {
  return h('tr', { 'data-testid': 'duty-now-row', 'data-id': u.id },
    h('td', { 'data-label': '单位' }, h('a', { href: `#/duty/${u.id}` }, u.name), h('div', { class: 'muted' }, `${KIND_LABELS[u.unit_kind] || u.unit_kind} · ${u.region_code}`)),
    h('td', { 'data-label': '值班电话', class: 'mono' }, u.duty_phone || '—'),
    h('td', { 'data-label': '在岗' }, onDutyList(u), u.on_duty.length && !u.officer_on_duty ? h('span', { class: 'badge badge-warn' }, '值班员空岗') : null),
    h('td', { 'data-label': '近 7 天未报告', class: 'num' }, u.reports_missing ? h('span', { class: 'badge badge-warn' }, count(u.reports_missing)) : '0'));
}

async function renderNow(el, ctx) {
  ctx.setTitle('值班值守');
  loading(el);
  const at = ctx.query.get('at') || '';
  const unmask = ctx.query.get('unmask') === '1';
  let now;
  try {
    now = await get('/api/v1/duty/now', { at, unmask: unmask ? 1 : '' });
  } catch (err) {
    failure(el, err, '值班情况加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const table = (list, testid) => h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': testid },
    h('thead', null, h('tr', null, ['单位', '值班电话', '在岗人员', '近 7 天未报告'].map((t, i) => h('th', { scope: 'col', class: i === 3 ? 'num' : null }, t)))),
    h('tbody', null, list.map((u) => unitRow(u, ctx)))));
  replace(el, dutyTabs(ctx, 'now'),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', null, `此刻在岗 · ${now.at.replace('T', ' ')}`),
        ctx.can('registry.unmask') && now.masked ? h('a', { class: 'btn btn-small', href: `#/duty?unmask=1${at ? `&at=${encodeURIComponent(at)}` : ''}`, 'data-testid': 'duty-unmask' }, '显示完整电话') : null,
        exportLinks('/api/v1/duty/rosters', {}, 'duty-rosters-export')),
      now.uncovered ? h('p', { class: 'form-error', 'data-testid': 'duty-uncovered' }, `${now.uncovered} 个值班表此刻无值班员在岗`) : null,
      now.items.length ? table(now.items, 'duty-now') : emptyState('还没有值班表', 'duty-now-empty')),
    now.upward.length ? h('section', { class: 'panel', 'data-testid': 'duty-upward' }, h('h2', null, '上级值班'),
      h('p', { class: 'muted' }, '遇有情况向上级报告时拨打值班电话。'),
      h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
        h('thead', null, h('tr', null, ['单位', '值班电话', '在岗人员'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, now.upward.map((u) => h('tr', null,
          h('td', { 'data-label': '单位' }, u.name),
          h('td', { 'data-label': '值班电话', class: 'mono' }, u.duty_phone || '—'),
          h('td', { 'data-label': '在岗人员' }, onDutyList(u)))))))) : null);
}

async function renderNew(el, ctx) {
  ctx.setTitle('新建值班表');
  const rc = ctx.user.region_code || '';
  const kindByLen = { 4: 'city', 6: 'county', 9: 'township' };
  const kf = field({
    label: '单位类型',
    input: select(Object.entries(KIND_LABELS).map(([value, l]) => ({ value, label: l })), { value: kindByLen[rc.length] || 'institution' }),
    testid: 'roster-kind',
  });
  const rf = field({ label: '区划代码', input: textInput({ value: rc, maxlength: '12', inputmode: 'numeric' }), testid: 'roster-region', required: true, hint: '市 4 位、县市区 6 位、镇街 9 位；机构填所在地代码' });
  const nf = field({ label: '名称', input: textInput({ maxlength: '60', placeholder: '空：按单位名称' }), testid: 'roster-name', hint: '机构必填机构名称' });
  const pf = field({ label: '值班电话', input: textInput({ maxlength: '20', placeholder: '值班室固定电话' }), testid: 'roster-phone' });
  const box = formError('roster-error');
  const submit = button('建立值班表', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'roster-submit' });
  const form = h('form', { novalidate: true }, h('div', { class: 'form-grid' }, kf.wrap, rf.wrap, nf.wrap, pf.wrap), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    let r;
    try {
      r = await busy(submit, () => post('/api/v1/duty/rosters', {
        unit_kind: kf.input.value, region_code: rf.input.value.trim(), name: nf.input.value.trim(), duty_phone: pf.input.value.trim(),
      }));
    } catch (err) {
      showServerError(err, { unit_kind: kf, region_code: rf, name: nf, duty_phone: pf }, box);
      return;
    }
    notice('已建立值班表');
    ctx.navigate(`#/duty/${r.id}`);
  });
  replace(el, dutyTabs(ctx, 'new'), h('section', { class: 'panel' }, h('h1', null, '新建值班表'),
    h('p', { class: 'muted' }, '每个单位一张值班表，实行 24 小时值班：值班员日夜轮班，带班领导在岗。'), form));
}

async function renderHandovers(el, ctx) {
  ctx.setTitle('交接班记录');
  loading(el);
  let page;
  try {
    page = await get('/api/v1/duty/handovers', { limit: 200 });
  } catch (err) {
    failure(el, err, '交接班记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(el, dutyTabs(ctx, 'handovers'), h('section', { class: 'panel' }, h('h1', null, '交接班记录'),
    h('p', { class: 'muted' }, `共 ${count(page.total)} 次，最近的在前`, ' ', exportLinks('/api/v1/duty/handovers', {}, 'duty-handovers-export')),
    page.items.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'duty-handovers' },
      h('thead', null, h('tr', null, ['时间', '值班表', '岗位', '交班', '接班', '交接事项'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, page.items.map((x) => h('tr', { 'data-testid': 'duty-handover-row' },
        h('td', { 'data-label': '时间', class: 'mono' }, x.handed_at.replace('T', ' ')),
        h('td', { 'data-label': '值班表' }, h('a', { href: `#/duty/${x.roster_id}` }, x.roster_name)),
        h('td', { 'data-label': '岗位' }, POST_LABELS[x.post] || x.post),
        h('td', { 'data-label': '交班' }, x.from_person),
        h('td', { 'data-label': '接班' }, x.to_person),
        h('td', { 'data-label': '交接事项' }, x.notes || '无'))))))
      : emptyState('没有交接班记录', 'duty-handovers-empty')));
}

