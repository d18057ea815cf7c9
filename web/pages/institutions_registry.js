// pages/institutions_registry.js — 机构名录 (#/institutions/list), 登记机构 (#/institutions/new),
// one institution (#/institutions/<id>, ?date= opens a day's report with every version) and its
// edit form (#/institutions/<id>/edit). The detail shows the register, the reporters (a manager
// attaches one by username), the last 30 days of reports, the chasing log, and lets a manager
// file today's zero report on the institution's behalf (代报, recorded as such).

import { h, replace } from '../dom.js';
import { get, post, patch } from '../api.js';
import { count, dateTime } from '../format.js';
import { field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState } from '../ui.js';
import { DATE_RE, FIELD_LABELS, TYPE_LABELS, clock, sectionTabs, statusBadge } from './institutions_common.js';
import { exportLinks } from './export_links.js';

const typeOptions = () => Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label }));

async function list(el, ctx) {
  ctx.setTitle('机构名录');
  const type = ctx.query.get('type') || '';
  const unit = ctx.query.get('unit') || '';
  const q = ctx.query.get('q') || '';
  loading(el);
  let data, units;
  try {
    [data, units] = await Promise.all([get('/api/v1/institutions', { type, unit, q, limit: 1000 }), get('/api/v1/units')]);
  } catch (err) {
    failure(el, err, '机构名录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const tf = field({ label: '类型', input: select(typeOptions(), { name: 'type', value: type, placeholder: '全部类型' }), testid: 'inst-filter-type' });
  const uf = field({ label: '管理单位', input: select((units.items || []).map((u) => ({ value: u.code, label: `${u.code} ${u.name}` })), { name: 'unit', value: unit, placeholder: '管辖范围内全部' }), testid: 'inst-filter-unit' });
  const qf = field({ label: '名称', input: textInput({ name: 'q', value: q, placeholder: '名称包含' }), testid: 'inst-filter-q' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, tf.wrap, uf.wrap, qf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary' }),
      ctx.can('institution.manage') ? h('a', { class: 'btn', href: '#/institutions/new', 'data-testid': 'inst-new' }, '登记机构') : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const [k, f] of [['type', tf], ['unit', uf], ['q', qf]]) if (f.input.value.trim()) p.set(k, f.input.value.trim());
    ctx.navigate('#/institutions/list' + (p.toString() ? '?' + p : ''));
  });
  const items = data.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'inst-list' },
      h('thead', null, h('tr', null, ['名称', '类型', '所在地', '在院', '工作人员', '封闭管理', '今日'].map((x, i) => h('th', { scope: 'col', class: i === 3 || i === 4 ? 'num' : null }, x)))),
      h('tbody', null, items.map((r) => h('tr', { class: 'clickable', 'data-testid': 'inst-row', 'data-id': r.id, onclick: () => ctx.navigate(`#/institutions/${r.id}`) },
        h('td', { 'data-label': '名称' }, h('a', { href: `#/institutions/${r.id}` }, r.name)),
        h('td', { 'data-label': '类型' }, r.type_label),
        h('td', { 'data-label': '所在地' }, `${r.unit_name} ${r.region_name !== r.unit_name ? r.region_name : ''}`),
        h('td', { class: 'num', 'data-label': '在院' }, count(r.residents)),
        h('td', { class: 'num', 'data-label': '工作人员' }, count(r.staff)),
        h('td', { 'data-label': '封闭管理' }, r.under_closed_management ? `自 ${r.closed_management_from}` : '—'),
        h('td', { 'data-label': '今日' }, statusBadge(r.day_status)))))))
    : emptyState('没有符合条件的机构', 'inst-list-empty');
  replace(el, h('section', { class: 'panel' }, h('h1', null, '机构名录'), sectionTabs('list'), form,
    h('p', { class: 'muted' }, `共 ${data.total} 家`), exportLinks('/api/v1/institutions', { type, unit, q }, 'inst-export'), table));
}

/* The registration / edit form. inst: the current record (edit) or null (new). */
function instForm(el, ctx, inst) {
  ctx.setTitle(inst ? `修改：${inst.name}` : '登记机构');
  const v = (k, d = '') => (inst && inst[k] !== null && inst[k] !== undefined ? String(inst[k]) : d);
  const f = {
    name: field({ label: '名称', input: textInput({ name: 'name', value: v('name'), maxlength: '60' }), testid: 'inst-name', required: true }),
    type: field({ label: '类型', input: select(typeOptions(), { name: 'type', value: v('type'), placeholder: '请选择' }), testid: 'inst-type', required: true }),
    region_code: field({ label: '所在地区划代码', input: textInput({ name: 'region_code', value: v('region_code'), inputmode: 'numeric', disabled: !!inst }), testid: 'inst-region', required: !inst, hint: '县区 6 位、镇街 9 位或村居 12 位；登记后不能修改' }),
    address: field({ label: '地址', input: textInput({ name: 'address', value: v('address') }), testid: 'inst-address', wide: true }),
    capacity: field({ label: '床位数', input: textInput({ name: 'capacity', value: v('capacity', '0'), inputmode: 'numeric' }), testid: 'inst-capacity' }),
    residents: field({ label: '在院人数', input: textInput({ name: 'residents', value: v('residents', '0'), inputmode: 'numeric' }), testid: 'inst-residents' }),
    staff: field({ label: '工作人员数', input: textInput({ name: 'staff', value: v('staff', '0'), inputmode: 'numeric' }), testid: 'inst-staff' }),
    contact_name: field({ label: '联系人', input: textInput({ name: 'contact_name', value: v('contact_name') }), testid: 'inst-contact-name' }),
    contact_phone: field({ label: '联系电话', input: textInput({ name: 'contact_phone', value: inst ? '' : '', type: 'tel', placeholder: inst ? '不修改请留空' : '' }), testid: 'inst-contact-phone' }),
    opened_on: field({ label: '开办日期', input: textInput({ name: 'opened_on', value: v('opened_on'), placeholder: 'YYYY-MM-DD' }), testid: 'inst-opened' }),
    closed_on: field({ label: '停办日期', input: textInput({ name: 'closed_on', value: v('closed_on'), placeholder: '仍在开办请留空' }), testid: 'inst-closed' }),
    closed_management_from: field({ label: '封闭管理开始', input: textInput({ name: 'closed_management_from', value: v('closed_management_from'), placeholder: 'YYYY-MM-DD' }), testid: 'inst-cm-from' }),
    closed_management_to: field({ label: '封闭管理结束', input: textInput({ name: 'closed_management_to', value: v('closed_management_to'), placeholder: '仍在封闭请留空' }), testid: 'inst-cm-to' }),
  };
  const box = formError('inst-form-error');
  const submit = button(inst ? '保存' : '登记', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'inst-save' });
  const form = h('form', { novalidate: true, 'data-testid': 'inst-form' }, box.el, h('div', { class: 'form-grid' }, Object.values(f).map((x) => x.wrap)),
    h('div', { class: 'actions' }, submit, h('a', { class: 'btn', href: inst ? `#/institutions/${inst.id}` : '#/institutions/list' }, '取消')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const body = {};
    let bad = null;
    for (const [k, x] of Object.entries(f)) {
      x.clearError();
      if (inst && k === 'region_code') continue;
      const val = x.input.value.trim();
      if (['capacity', 'residents', 'staff'].includes(k)) {
        if (!/^\d{1,6}$/.test(val)) {
          x.setError('请填写整数');
          bad = bad || x;
        }
        body[k] = Number(val);
      } else if (['opened_on', 'closed_on', 'closed_management_from', 'closed_management_to'].includes(k)) {
        if (val && !DATE_RE.test(val)) {
          x.setError('日期应为 YYYY-MM-DD');
          bad = bad || x;
        }
        if (val || inst) body[k] = val || null;
      } else if (k === 'contact_phone') {
        if (val) body[k] = val;
      } else {
        body[k] = val;
      }
    }
    if (bad) {
      bad.input.focus();
      return;
    }
    try {
      const r = await busy(submit, () => (inst ? patch(`/api/v1/institutions/${inst.id}`, body) : post('/api/v1/institutions', body)));
      notice(inst ? '已保存' : `已登记：${r.name}`);
      ctx.navigate(`#/institutions/${r.id}`);
    } catch (err) {
      showServerError(err, f, box);
    }
  });
  replace(el, h('section', { class: 'panel' }, h('h1', null, inst ? `修改：${inst.name}` : '登记机构'), sectionTabs('list'), form));
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([k, v, testid]) => h('div', { class: 'fact' }, h('dt', null, k), h('dd', { 'data-testid': testid }, v === null || v === '' ? '—' : v))));
}

function dayDetail(day) {
  const r = day.report;
  if (!r) return h('p', { class: 'muted', 'data-testid': 'inst-day' }, `${day.date} 没有报告。`);
  return h('div', { 'data-testid': 'inst-day' },
    h('p', null, `${day.date} ${r.kind_label} · ${dateTime(r.submitted_at)} 由 ${r.submitted_by} 报送${r.on_behalf ? '（代报）' : ''} · `, statusBadge(r.on_time ? 'on_time' : 'late')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', 'data-testid': 'inst-versions' },
      h('thead', null, h('tr', null, ['版本', '时间', '操作人', '类型', '改动', '原因'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, day.versions.map((v) => h('tr', { 'data-testid': 'inst-version' },
        h('td', null, String(v.version)), h('td', null, dateTime(v.at)), h('td', null, v.by),
        h('td', null, v.kind === 'zero' ? '零报告' : '日报'),
        h('td', null, Object.keys(v.changes).length
          ? Object.entries(v.changes).map(([k, c]) => (k === 'note' ? '说明' : `${FIELD_LABELS[k] || (k === 'kind' ? '类型' : k)} ${Array.isArray(c) ? `${c[0] ?? '空'}→${c[1] ?? '空'}` : ''}`)).join('；')
          : (v.version === 1 ? '首次报送' : '—')),
        h('td', null, v.reason || '')))))));
}

async function detail(el, ctx, id) {
  const unmask = ctx.query.get('unmask') === '1';
  const date = ctx.query.get('date') || '';
  loading(el);
  let inst, reports, chases, day = null;
  try {
    [inst, reports, chases] = await Promise.all([
      get(`/api/v1/institutions/${id}`, unmask ? { unmask: 1 } : undefined),
      get(`/api/v1/institutions/${id}/reports`, date ? { to: date } : undefined),
      get(`/api/v1/institutions/${id}/chases`),
    ]);
    if (date) day = await get(`/api/v1/institutions/${id}/reports`, { date });
  } catch (err) {
    failure(el, err, '机构加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(inst.name);
  const manage = ctx.can('institution.manage');
  const box = formError('inst-detail-error');
  const actions = h('div', { class: 'actions' },
    manage ? h('a', { class: 'btn', href: `#/institutions/${id}/edit`, 'data-testid': 'inst-edit' }, '修改') : null,
    ctx.can('registry.unmask') && !unmask && inst.phone_masked ? h('a', { class: 'btn', href: `#/institutions/${id}?unmask=1`, 'data-testid': 'inst-unmask' }, '显示电话') : null,
    manage ? button('代报今日零报告', {
      'data-testid': 'inst-file-zero',
      onclick: async (e) => {
        try {
          await busy(e.currentTarget, () => post(`/api/v1/institutions/${id}/reports`, { kind: 'zero' }));
          notice('已代报今日零报告');
          ctx.refresh();
        } catch (err) {
          box.set(err.message);
        }
      },
    }) : null);
  let attach = null;
  if (manage) {
    const uf = field({ label: '关联填报员（用户名）', input: textInput({ name: 'username', placeholder: '机构填报员账号' }), testid: 'inst-attach-username' });
    const ab = button('关联', { type: 'submit', class: 'btn', 'data-testid': 'inst-attach' });
    attach = h('form', { class: 'search-form', novalidate: true }, h('div', { class: 'form-grid' }, uf.wrap), h('div', { class: 'actions' }, ab));
    attach.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await busy(ab, () => post(`/api/v1/institutions/${id}/reporters`, { username: uf.input.value.trim() }));
        notice('已关联填报员');
        ctx.refresh();
      } catch (err) {
        showServerError(err, { username: uf }, box);
      }
    });
  }
  const reportRows = reports.items || [];
  const reportTable = reportRows.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'inst-reports' },
      h('thead', null, h('tr', null, ['日期', '类型', '报送', '在院', '在岗', '发热', '疑似', '确诊', '隔离', '死亡', '版本'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', null, reportRows.map((r) => h('tr', { 'data-testid': 'inst-report-row', 'data-date': r.report_date },
        h('td', { 'data-label': '日期' }, h('a', { href: `#/institutions/${id}?date=${r.report_date}` }, r.report_date)),
        h('td', { 'data-label': '类型' }, r.kind_label),
        h('td', { 'data-label': '报送' }, `${clock(r.submitted_at)} `, statusBadge(r.on_time ? 'on_time' : 'late')),
        ...['residents_present', 'staff_on_site', 'fever', 'suspected', 'confirmed', 'isolated', 'deaths'].map((k) =>
          h('td', { 'data-label': FIELD_LABELS[k], class: 'num' }, r[k] === null ? '—' : count(r[k]))),
        h('td', { 'data-label': '版本' }, String(r.version)))))))
    : emptyState('近 30 天没有报告', 'inst-reports-empty');
  const chaseRows = chases.items || [];
  replace(el,
    h('section', { class: 'panel', 'data-testid': 'inst-detail' },
      h('h1', null, inst.name, h('span', { class: 'badge' }, inst.type_label)), sectionTabs('list'), box.el,
      facts([
        ['所在地', `${inst.unit_name} ${inst.region_name} ${inst.region_code}`], ['地址', inst.address],
        ['床位', count(inst.capacity)], ['在院人数（登记）', count(inst.residents)], ['工作人员（登记）', count(inst.staff)],
        ['联系人', inst.contact_name], ['联系电话', inst.contact_phone, 'inst-phone'],
        ['开办', inst.opened_on], ['停办', inst.closed_on],
        ['封闭管理', inst.closed_management_from ? `${inst.closed_management_from} 起${inst.closed_management_to ? `至 ${inst.closed_management_to}` : '（仍在封闭）'}` : '否'],
        ['填报员', inst.reporters.join('、'), 'inst-reporters'],
      ]),
      unmask ? h('p', { class: 'audit-note' }, '已显示完整电话，本次查看已记入审计日志。') : null,
      actions, attach),
    day ? h('section', { class: 'panel' }, h('h2', null, `${day.date} 的报告及各版本`), dayDetail(day)) : null,
    h('section', { class: 'panel' }, h('h2', null, date ? `截至 ${date} 的 30 天报告` : '近 30 天报告'), reportTable),
    h('section', { class: 'panel' }, h('h2', null, '催报记录'),
      chaseRows.length ? h('ul', { class: 'plain-list', 'data-testid': 'inst-chases' }, chaseRows.map((c) => h('li', null,
        `${c.report_date} · ${dateTime(c.chased_at)} ${c.chased_by} ${c.method_label}：${c.outcome_label}${c.escalated ? '（已上报县局）' : ''}${c.note ? ' — ' + c.note : ''}`)))
        : h('p', { class: 'muted' }, '没有催报记录。')));
}

export default async function render(el, ctx) {
  const sub = ctx.params[0] || 'list';
  if (sub === 'list') return list(el, ctx);
  if (sub === 'new') return instForm(el, ctx, null);
  const m = /^(\d+)(\/edit)?$/.exec(sub);
  if (m && m[2]) {
    loading(el);
    try {
      const inst = await get(`/api/v1/institutions/${m[1]}`);
      if (ctx.isCurrent()) instForm(el, ctx, inst);
    } catch (err) {
      failure(el, err, '机构加载失败');
    }
    return;
  }
  return detail(el, ctx, m[1]);
}
