// pages/rescue.js — 救助站 (#/rescue…): the rescue stations' pages. This module is the entry
// app.js loads for every #/rescue sub-path (ctx.params[0]) and hands each to its page:
//   #/rescue                  the dashboard (this file): people in the station, in isolation and
//                             their end dates, beds free, arrivals and departures per day,
//                             street-outreach totals (?station=&from=&to=)
//   #/rescue/intake/new       the intake form (pages/rescue_intake.js; works on a phone)
//   #/rescue/intake/ID        one arrival with its records and the next steps (rescue_intake.js)
//   #/rescue/list             arrivals, present and past (pages/rescue_lists.js)
//   #/rescue/stations         stations, rooms and beds (rescue_lists.js)
//   #/rescue/patrols, #/rescue/patrol/new, #/rescue/patrol/ID   street outreach (rescue_patrol.js)

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count } from '../format.js';
import { field, select, textInput, button, loading, failure, emptyState } from '../ui.js';
import {
  tabs, figures, stationOptions, personName, DATE_RE, ensureStyles,
} from './rescue_common.js';

export default async function render(el, ctx) {
  ensureStyles();
  const sub = ctx.params[0] || '';
  let m;
  if (sub === '') return dashboard(el, ctx);
  if (sub === 'intake/new') return (await import('./rescue_intake.js')).renderForm(el, ctx);
  if ((m = /^intake\/(\d+)$/.exec(sub))) return (await import('./rescue_intake.js')).renderDetail(el, ctx, m[1]);
  if (sub === 'list') return (await import('./rescue_lists.js')).renderIntakes(el, ctx);
  if (sub === 'stations') return (await import('./rescue_lists.js')).renderStations(el, ctx);
  if (sub === 'patrols') return (await import('./rescue_patrol.js')).renderList(el, ctx);
  if (sub === 'patrol/new') return (await import('./rescue_patrol.js')).renderForm(el, ctx);
  if ((m = /^patrol\/(\d+)$/.exec(sub))) return (await import('./rescue_patrol.js')).renderDetail(el, ctx, m[1]);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' },
    h('h1', null, '页面不存在'), h('p', { class: 'muted' }, '请从救助站的标签页选择功能。')));
  return undefined;
}

/* "#/rescue?station=…&from=…&to=…" */
function dashHash(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, String(v));
  const s = p.toString();
  return '#/rescue' + (s ? '?' + s : '');
}

async function dashboard(el, ctx) {
  ctx.setTitle('救助站');
  loading(el);
  const station = ctx.query.get('station') || '';
  const from = ctx.query.get('from') || '';
  const to = ctx.query.get('to') || '';
  let stations, d;
  try {
    [stations, d] = await Promise.all([
      get('/api/v1/rescue/stations'),
      get('/api/v1/rescue/dashboard', { station_id: station, from, to }),
    ]);
  } catch (err) {
    failure(el, err, '救助站概况加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;

  const sf = field({ label: '救助站', input: select(stationOptions(stations.items || []), { value: station, placeholder: '全部救助站' }), testid: 'rescue-dash-station' });
  const ff = field({ label: '自', input: textInput({ value: d.from, inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'rescue-dash-from' });
  const tf = field({ label: '至', input: textInput({ value: d.to, inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'rescue-dash-to' });
  const form = h('form', { class: 'search-form', novalidate: true, 'data-testid': 'rescue-dash-form' },
    h('div', { class: 'form-grid' }, sf.wrap, ff.wrap, tf.wrap),
    h('div', { class: 'actions' }, button('查看', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rescue-dash-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = ff.input.value.trim(), t = tf.input.value.trim();
    ff.setError(f && !DATE_RE.test(f) ? '日期应为 YYYY-MM-DD' : '');
    tf.setError(t && !DATE_RE.test(t) ? '日期应为 YYYY-MM-DD' : '');
    if ((f && !DATE_RE.test(f)) || (t && !DATE_RE.test(t))) return;
    ctx.navigate(dashHash({ station: sf.input.value, from: f, to: t }));
  });

  // The period holds no arrival but there were some before: offer the 30 days up to the last.
  const quiet = d.totals.arrivals === 0 && d.last_arrival && d.last_arrival < d.from;
  const lastLink = quiet
    ? h('p', { class: 'muted', 'data-testid': 'rescue-dash-last' }, `本期间无人到站；最近一次到站为 ${d.last_arrival}。`,
      h('a', { href: dashHash({ station, from: addDays(d.last_arrival, -29), to: d.last_arrival }), 'data-testid': 'rescue-dash-last-link' }, '查看该日前 30 天'))
    : null;

  replace(el,
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h1', null, '救助站'),
        h('div', { class: 'actions' }, h('a', { class: 'btn btn-primary', href: '#/rescue/intake/new', 'data-testid': 'rescue-new-intake' }, '登记到站人员'))),
      tabs(''),
      form,
      figures([
        ['在站人数', count(d.in_station), 'rescue-dash-in-station'],
        ['隔离观察', count(d.in_isolation), 'rescue-dash-in-isolation'],
        ['空余床位', `${count(d.beds_free)} / ${count(d.beds)}`, 'rescue-dash-beds-free'],
        ['隔离区空床', `${count(d.isolation_free)} / ${count(d.isolation_beds)}`, 'rescue-dash-isolation-free'],
        ['超过救助期限', count(d.over_stay), 'rescue-dash-over-stay', d.over_stay > 0],
        ['寻亲公告逾期', count(d.family_search_overdue), 'rescue-dash-search-overdue', d.family_search_overdue > 0],
      ])),
    isolationPanel(d),
    daysPanel(d, lastLink),
    outreachPanel(d));
}

function addDays(date, n) {
  const [y, m, dd] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, dd + n)).toISOString().slice(0, 10);
}

function isolationPanel(d) {
  const items = d.isolation || [];
  const body = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-dash-isolation' },
      h('caption', { class: 'sr-only' }, '隔离观察人员'),
      h('thead', null, h('tr', null, ['姓名', '救助站', '房间', '开始', '计划解除', '剩余'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, items.map((x) => h('tr', { 'data-testid': 'rescue-dash-isolation-row', 'data-id': x.intake_id },
        h('td', { 'data-label': '姓名' }, h('a', { href: `#/rescue/intake/${x.intake_id}` }, personName(x))),
        h('td', { 'data-label': '救助站' }, x.station_name),
        h('td', { 'data-label': '房间' }, x.room_name),
        h('td', { 'data-label': '开始', class: 'mono' }, x.start),
        h('td', { 'data-label': '计划解除', class: 'mono', 'data-testid': 'rescue-dash-isolation-end' }, x.planned_end),
        h('td', { 'data-label': '剩余' }, x.days_left > 0 ? `${x.days_left} 天`
          : h('span', { class: 'badge badge-warn' }, '已到期，可解除')))))))
    : emptyState('目前没有人在隔离观察', 'rescue-dash-isolation-empty');
  return h('section', { class: 'panel' }, h('h2', null, `隔离观察（${count(items.length)} 人）`), body);
}

function daysPanel(d, lastLink) {
  const max = Math.max(1, ...d.days.map((x) => Math.max(x.arrivals, x.discharges)));
  const bar = (n, out) => h('span', { class: 'rescue-bar' + (out ? ' rescue-bar-out' : ''), style: `width:${Math.round((n / max) * 60)}px`, 'aria-hidden': 'true' });
  const t = d.totals;
  return h('section', { class: 'panel' },
    h('h2', null, `每日到站与离站（${d.from} 至 ${d.to}）`),
    h('p', { class: 'muted', 'data-testid': 'rescue-dash-totals' },
      `到站 ${count(t.arrivals)} 人次：隔离观察 ${count(t.isolated)}、收入生活区 ${count(t.admitted)}、送医 ${count(t.referred)}、不予收留 ${count(t.refused)}；离站 ${count(t.discharges)} 人次。`),
    lastLink,
    h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-dash-days' },
      h('caption', { class: 'sr-only' }, '每日到站与离站'),
      h('thead', null, h('tr', null, ['日期', '到站', '隔离', '生活区', '送医', '不予收留', '离站'].map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
      h('tbody', null, d.days.slice().reverse().map((x) => h('tr', { 'data-testid': 'rescue-dash-day', 'data-date': x.date },
        h('td', { 'data-label': '日期', class: 'mono' }, x.date),
        h('td', { 'data-label': '到站', class: 'num', 'data-testid': 'rescue-dash-day-arrivals' }, bar(x.arrivals, false), ' ', count(x.arrivals)),
        h('td', { 'data-label': '隔离', class: 'num' }, count(x.isolated)),
        h('td', { 'data-label': '生活区', class: 'num' }, count(x.admitted)),
        h('td', { 'data-label': '送医', class: 'num' }, count(x.referred)),
        h('td', { 'data-label': '不予收留', class: 'num' }, count(x.refused)),
        h('td', { 'data-label': '离站', class: 'num', 'data-testid': 'rescue-dash-day-discharges' }, bar(x.discharges, true), ' ', count(x.discharges))))))));
}

function outreachPanel(d) {
  const o = d.outreach;
  return h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', null, '街面巡查（同期）'),
      h('div', { class: 'actions' }, h('a', { class: 'btn', href: '#/rescue/patrol/new', 'data-testid': 'rescue-new-patrol' }, '登记巡查'))),
    figures([
      ['巡查次数', count(o.patrols), 'rescue-dash-patrols'],
      ['遇见人数', count(o.people_met), 'rescue-dash-people'],
      ['同意入站', count(o.accepted), 'rescue-dash-accepted'],
      ['发放口罩（只）', count(o.masks), 'rescue-dash-masks'],
      ['御寒衣物（件）', count(o.warm_clothing), 'rescue-dash-warm'],
      ['食品（份）', count(o.food), 'rescue-dash-food'],
    ]),
    h('p', { class: 'muted' }, `统计期间：${d.from} 至 ${d.to}。`));
}
