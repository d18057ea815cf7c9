// pages/rescue_lists.js — the lists of the rescue pages.
//
// renderIntakes (#/rescue/list?station=&status=&from=&to=&q=&offset=): arrivals, by default the
// people present now (在站 and 隔离观察中), newest first, masked names; filters for the station,
// the status, the arrival dates and a name or ID number.
//
// renderStations (#/rescue/stations?station=ID): the stations in the user's scope with their
// beds, the chosen station's rooms (general and isolation zone) with beds in use, and the forms
// to add a station or a room and to change a room's beds.

import { h, replace } from '../dom.js';
import { get, post, patch } from '../api.js';
import { count } from '../format.js';
import { label, options } from '../labels.js';
import {
  field, textInput, select, button, loading, failure, notice, emptyState, formDialog,
} from '../ui.js';
import {
  DECISION_LABELS, STATUS_LABELS, LEAVE_LABELS, ZONE_LABELS, tabs, statusBadge, personName,
  stationOptions, minute, degrees, DATE_RE,
} from './rescue_common.js';
import { exportLinks } from './export_links.js';

const PAGE = 50;

function listHash(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== 0) p.set(k, String(v));
  const s = p.toString();
  return '#/rescue/list' + (s ? '?' + s : '');
}

export async function renderIntakes(el, ctx) {
  ctx.setTitle('在站与历史');
  loading(el);
  const q = {
    station: ctx.query.get('station') || '',
    status: ctx.hasQuery ? (ctx.query.get('status') ?? '') : 'present',
    from: ctx.query.get('from') || '',
    to: ctx.query.get('to') || '',
    q: ctx.query.get('q') || '',
    offset: Number(ctx.query.get('offset') || 0) || 0,
  };
  let stations, page;
  try {
    [stations, page] = await Promise.all([
      get('/api/v1/rescue/stations'),
      get('/api/v1/rescue/intakes', { station_id: q.station, status: q.status, from: q.from, to: q.to, q: q.q, limit: PAGE, offset: q.offset }),
    ]);
  } catch (err) {
    failure(el, err, '到站记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;

  const statusOpts = [{ value: 'present', label: '在站（含隔离）' }, ...options(STATUS_LABELS)];
  const F = {
    station: field({ label: '救助站', input: select(stationOptions(stations.items || []), { value: q.station, placeholder: '全部' }), testid: 'rescue-list-station' }),
    status: field({ label: '状态', input: select(statusOpts, { value: q.status, placeholder: '全部' }), testid: 'rescue-list-status' }),
    from: field({ label: '到站自', input: textInput({ value: q.from, placeholder: 'YYYY-MM-DD', maxlength: '10', inputmode: 'numeric' }), testid: 'rescue-list-from' }),
    to: field({ label: '到站至', input: textInput({ value: q.to, placeholder: 'YYYY-MM-DD', maxlength: '10', inputmode: 'numeric' }), testid: 'rescue-list-to' }),
    q: field({ label: '姓名或身份证号', input: textInput({ value: q.q, maxlength: '30' }), testid: 'rescue-list-q' }),
  };
  const form = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'rescue-list-form' },
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rescue-list-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    let bad = false;
    for (const k of ['from', 'to']) {
      const v = F[k].input.value.trim();
      F[k].setError(v && !DATE_RE.test(v) ? '日期应为 YYYY-MM-DD' : '');
      bad ||= !!(v && !DATE_RE.test(v));
    }
    if (bad) return;
    ctx.navigate(listHash({
      station: F.station.input.value, status: F.status.input.value || 'all', from: F.from.input.value.trim(),
      to: F.to.input.value.trim(), q: F.q.input.value.trim(),
    }).replace('status=all', 'status='));
  });

  const items = page.items || [];
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-list' },
      h('caption', { class: 'sr-only' }, '到站人员'),
      h('thead', null, h('tr', null, ['姓名', '到站时间', '救助站', '体温', '处置', '状态', '房间', '隔离至 / 期限', '离站'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((x) => h('tr', { class: 'clickable', 'data-testid': 'rescue-list-row', 'data-id': x.id, onclick: () => ctx.navigate(`#/rescue/intake/${x.id}`) },
        h('td', { 'data-label': '姓名' }, h('a', { href: `#/rescue/intake/${x.id}`, 'data-testid': 'rescue-list-name' }, personName(x))),
        h('td', { 'data-label': '到站时间', class: 'mono' }, minute(x.arrived_at)),
        h('td', { 'data-label': '救助站' }, x.station_name),
        h('td', { 'data-label': '体温' }, `${degrees(x.temperature_tenths)} °C`, x.fever ? h('span', { class: 'badge badge-warn' }, '发热') : null),
        h('td', { 'data-label': '处置' }, label(DECISION_LABELS, x.decision)),
        h('td', { 'data-label': '状态' }, statusBadge(x.status)),
        h('td', { 'data-label': '房间' }, x.room_name),
        h('td', { 'data-label': '隔离至 / 期限', class: 'mono' }, x.status === 'isolation' ? x.isolation_end : x.stay_until),
        h('td', { 'data-label': '离站' }, x.left_at ? `${minute(x.left_at)} ${label(LEAVE_LABELS, x.discharge_kind)}` : ''))))))
    : emptyState('没有符合条件的记录', 'rescue-list-empty');
  const base = { station: q.station, status: q.status || 'all', from: q.from, to: q.to, q: q.q };
  const fix = (hash) => hash.replace('status=all', 'status=');
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'muted', 'data-testid': 'rescue-list-total' }, `共 ${count(page.total)} 条`),
    q.offset > 0 ? h('a', { class: 'btn btn-small', href: fix(listHash({ ...base, offset: Math.max(0, q.offset - PAGE) })) }, '上一页') : null,
    q.offset + items.length < page.total ? h('a', { class: 'btn btn-small', href: fix(listHash({ ...base, offset: q.offset + PAGE })), 'data-testid': 'rescue-list-next' }, '下一页') : null,
    exportLinks('/api/v1/rescue/intakes', { station_id: q.station, status: q.status, from: q.from, to: q.to, q: q.q }, 'rescue-export'));

  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '在站与历史'),
      h('div', { class: 'actions' }, h('a', { class: 'btn btn-primary', href: '#/rescue/intake/new' }, '登记到站人员'))),
    tabs('list'), form, table, pager));
}

// ---------------------------------------------------------------- stations

export async function renderStations(el, ctx) {
  ctx.setTitle('站点与床位');
  loading(el);
  let list, chosen = null;
  try {
    list = (await get('/api/v1/rescue/stations')).items || [];
    const id = ctx.query.get('station') || (list[0] && String(list[0].id));
    if (id) chosen = await get(`/api/v1/rescue/stations/${id}`);
  } catch (err) {
    failure(el, err, '救助站加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const reload = () => ctx.refresh();

  const table = list.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-stations' },
      h('thead', null, h('tr', null, ['救助站', '区划', '床位', '已用', '隔离床位', '已用', '在站', '隔离中'].map((t, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, t)))),
      h('tbody', null, list.map((s) => h('tr', { class: 'clickable', 'data-testid': 'rescue-station-row', 'data-id': s.id, onclick: () => ctx.navigate(`#/rescue/stations?station=${s.id}`) },
        h('td', { 'data-label': '救助站' }, h('a', { href: `#/rescue/stations?station=${s.id}` }, s.name)),
        h('td', { 'data-label': '区划' }, s.region_name || s.region_code),
        h('td', { 'data-label': '床位', class: 'num' }, count(s.beds)),
        h('td', { 'data-label': '已用', class: 'num' }, count(s.beds_used)),
        h('td', { 'data-label': '隔离床位', class: 'num' }, count(s.isolation_beds)),
        h('td', { 'data-label': '已用', class: 'num' }, count(s.isolation_used)),
        h('td', { 'data-label': '在站', class: 'num' }, count(s.in_station)),
        h('td', { 'data-label': '隔离中', class: 'num' }, count(s.in_isolation)))))))
    : emptyState('管辖范围内还没有救助站', 'rescue-stations-empty');

  const addStation = button('新建救助站', {
    class: 'btn', 'data-testid': 'rescue-add-station',
    onclick: () => formDialog({
      title: '新建救助站',
      fields: [
        { name: 'name', label: '名称', required: true },
        { name: 'region_code', label: '所在区划代码（市、县或镇街）', required: true, value: ctx.user.region_code || '' },
        { name: 'address', label: '地址' },
        { name: 'phone', label: '值班电话' },
        { name: 'institution_id', label: '机构编号（机构日报中的编号，可不填）', type: 'number' },
      ],
      submitLabel: '建立',
      onSubmit: (v) => post('/api/v1/rescue/stations', { ...v, institution_id: v.institution_id ? Number(v.institution_id) : 0 })
        .then((s) => { notice(`已建立 ${s.name}`); ctx.navigate(`#/rescue/stations?station=${s.id}`); return s; }),
    }),
  });

  replace(el,
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', null, '站点与床位'), h('div', { class: 'actions' }, exportLinks('/api/v1/rescue/stations', {}, 'rescue-stations-export'), addStation)),
      tabs('stations'), table),
    chosen ? stationPanel(chosen, reload) : null);
}

function stationPanel(s, reload) {
  const p = s.params || {};
  const rooms = s.room_list || [];
  const addRoom = button('新增房间', {
    class: 'btn', 'data-testid': 'rescue-add-room',
    onclick: () => formDialog({
      title: `新增房间：${s.name}`,
      fields: [
        { name: 'name', label: '房间名称', required: true },
        { name: 'zone', label: '区域', type: 'select', options: options(ZONE_LABELS), required: true },
        { name: 'beds', label: '床位数', type: 'number', required: true, validate: (v) => (/^\d{1,3}$/.test(v) ? '' : '床位数应为 0 到 500 的整数') },
      ],
      submitLabel: '新增',
      onSubmit: (v) => post(`/api/v1/rescue/stations/${s.id}/rooms`, { ...v, beds: Number(v.beds) }).then((r) => { notice('已新增房间'); return r; }),
    }).then((r) => { if (r) reload(); }),
  });
  const bedsDialog = (r) => formDialog({
    title: `修改床位：${r.name}`,
    intro: `现有 ${r.used} 人在住，床位数不能少于在住人数。`,
    fields: [{ name: 'beds', label: '床位数', type: 'number', required: true, value: String(r.beds), validate: (v) => (/^\d{1,3}$/.test(v) ? '' : '床位数应为 0 到 500 的整数') }],
    submitLabel: '保存',
    onSubmit: (v) => patch(`/api/v1/rescue/rooms/${r.id}`, { beds: Number(v.beds) }).then((x) => { notice('已修改床位'); return x; }),
  }).then((x) => { if (x) reload(); });
  return h('section', { class: 'panel', 'data-testid': 'rescue-station', 'data-id': s.id },
    h('div', { class: 'panel-head' }, h('h2', null, s.name), h('div', { class: 'actions' }, addRoom)),
    h('p', { class: 'muted' }, [s.address, s.phone].filter(Boolean).join(' · ')),
    h('p', { class: 'muted', 'data-testid': 'rescue-station-params' },
      `现行标准：发热 ${degrees(p.fever_threshold_tenths)} °C 以上送医；隔离观察 ${p.isolation_days} 天；最长救助 ${p.max_stay_days} 天；提前离站须 ${p.test_valid_hours} 小时内核酸阴性。`),
    rooms.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-rooms' },
        h('thead', null, h('tr', null, ['房间', '区域', '床位', '在住', '空床', ''].map((t, i) => h('th', { scope: 'col', class: i >= 2 && i <= 4 ? 'num' : null }, t)))),
        h('tbody', null, rooms.map((r) => h('tr', { 'data-testid': 'rescue-room-row', 'data-id': r.id },
          h('td', { 'data-label': '房间' }, r.name),
          h('td', { 'data-label': '区域' }, label(ZONE_LABELS, r.zone)),
          h('td', { 'data-label': '床位', class: 'num' }, count(r.beds)),
          h('td', { 'data-label': '在住', class: 'num' }, count(r.used)),
          h('td', { 'data-label': '空床', class: 'num', 'data-testid': 'rescue-room-free' }, count(r.free)),
          h('td', { 'data-label': '' }, button('修改床位', { class: 'btn btn-small', 'data-testid': 'rescue-room-beds', onclick: () => bedsDialog(r) })))))))
      : emptyState('还没有房间：请新增生活区和隔离区的房间', 'rescue-rooms-empty'));
}
