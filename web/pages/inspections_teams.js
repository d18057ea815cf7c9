// pages/inspections_teams.js — the inspection teams (#/inspections/teams): each team with its
// area and members (phones masked; users with registry.unmask may show them, which is audited),
// and for city inspection users the form that sets up a team (POST /api/v1/inspection-teams).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import { field, textInput, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { tabs } from './inspections_common.js';
import { exportLinks } from './export_links.js';

function teamPanel(t, ctx, redrawTeam) {
  const show = ctx.can('registry.unmask') && t.masked
    ? button('显示完整电话', {
      class: 'btn btn-small', 'data-testid': 'team-unmask',
      onclick: async () => {
        try {
          redrawTeam(await get(`/api/v1/inspection-teams/${t.id}`, { unmask: 1 }));
        } catch (err) {
          notice(err.message, 'error');
        }
      },
    })
    : null;
  return h('section', { class: 'panel', 'data-testid': 'team', 'data-id': t.id },
    h('div', { class: 'panel-head' }, h('h2', null, t.name, t.active ? null : h('span', { class: 'badge badge-muted' }, '已撤销')),
      h('span', { class: 'muted' }, `检查 ${count(t.inspections)} 次`), show),
    h('p', null, h('strong', null, '督导地区：'), t.areas.map((a) => a.name || a.code).join('、'), t.area ? h('span', { class: 'muted' }, `（${t.area}）`) : null),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive' },
      h('thead', null, h('tr', null, ['姓名', '职务', '分工', '电话'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, t.members.map((m) => h('tr', { 'data-testid': 'team-member' },
        h('td', { 'data-label': '姓名' }, m.name),
        h('td', { 'data-label': '职务' }, m.title),
        h('td', { 'data-label': '分工' }, m.role === 'leader' ? '组长' : '组员'),
        h('td', { 'data-label': '电话', class: 'mono', 'data-testid': 'team-member-phone' }, m.phone)))))));
}

/* "姓名,职务,电话" per line, the first line the leader. */
function parseMembers(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.map((l, i) => {
    const [name = '', title = '', phone = ''] = l.split(/[,，]/).map((x) => x.trim());
    return { name, title, phone, role: i === 0 ? 'leader' : 'member' };
  });
}

function createForm(ctx) {
  const nf = field({ label: '督导组名称', input: textInput({ maxlength: '60', placeholder: '如 第七督导组' }), testid: 'team-name', required: true });
  const af = field({ label: '督导地区', input: textInput({ maxlength: '200', placeholder: '区划代码，以逗号分隔，如 370702,370703' }), testid: 'team-areas', required: true });
  const df = field({ label: '区域说明', input: textInput({ maxlength: '200' }), testid: 'team-area' });
  const mf = field({
    label: '成员', input: h('textarea', { rows: '4', placeholder: '每行一人：姓名,职务,电话；第一行为组长' }), testid: 'team-members', wide: true,
  });
  const box = formError('team-error');
  const submit = button('建立督导组', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'team-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'team-form' },
    h('div', { class: 'form-grid' }, nf.wrap, af.wrap, df.wrap, mf.wrap), box.el, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const body = {
      name: nf.input.value.trim(),
      region_code: ctx.user.region_code,
      area: df.input.value.trim(),
      areas: af.input.value.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean),
      members: parseMembers(mf.input.value),
    };
    try {
      await busy(submit, () => post('/api/v1/inspection-teams', body));
    } catch (err) {
      const f = err.field || '';
      const fields = { name: nf, areas: af, area: df, members: mf };
      if (f.startsWith('members[')) fields[f] = mf;
      if (f.startsWith('areas[')) fields[f] = af;
      showServerError(err, fields, box);
      return;
    }
    notice(`已建立 ${body.name}`);
    ctx.refresh();
  });
  return h('section', { class: 'panel' }, h('h2', null, '建立督导组'), form);
}

export async function renderTeams(el, ctx) {
  ctx.setTitle('督导组');
  loading(el);
  let teams;
  try {
    teams = await get('/api/v1/inspection-teams', { all: 1 });
  } catch (err) {
    failure(el, err, '督导组加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const list = h('div', { 'data-testid': 'teams' });
  const draw = () => replace(list, teams.items.length
    ? teams.items.map((t, i) => teamPanel(t, ctx, (fresh) => { teams.items[i] = fresh; draw(); }))
    : emptyState('没有督导组', 'teams-empty'));
  draw();
  const cityInspector = ctx.can('inspection') && (ctx.user.region_code || '').length <= 4;
  replace(el, tabs(ctx, 'teams'),
    h('section', { class: 'panel' }, h('h1', null, '督导组'),
      h('p', { class: 'muted' }, `共 ${teams.total} 个督导组。督导组由市局组建，按督导地区分片检查县市区和服务机构。`),
      exportLinks('/api/v1/inspection-teams', { all: 1 }, 'teams-export')),
    list,
    cityInspector ? createForm(ctx) : null);
}
