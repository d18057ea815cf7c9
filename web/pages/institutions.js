// pages/institutions.js — 机构日报 for the county, the city and the leaders (#/institutions/…).
// One route, several views by ctx.params[0]:
//   ""          the dashboard of a day (?date=&days=): per county expected / received / on time /
//               zero / late / missing (overdue), open alerts, institutions under closed
//               management with residents and staff, the trend of completeness and timeliness
//   calls       the call list of non-reporters, chasing and escalation (institutions_calls.js)
//   alerts      alerts to acknowledge and close (institutions_alerts.js)
//   list, new, <id>   the registry, a new institution, one institution (institutions_registry.js)
//   report      the period report (institutions_report.js)
// GET /api/v1/institutions/dashboard and /alerts; the other views call their own routes.

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { count } from '../format.js';
import { field, textInput, select, button, loading, failure } from '../ui.js';
import { DATE_RE, TYPE_LABELS, ensureStyles, pct, sectionTabs, trendChart } from './institutions_common.js';

function kpi(label, value, testid, alarm = false) {
  return h('div', { class: `inst-kpi${alarm ? ' inst-alarm' : ''}` }, h('dt', null, label), h('dd', { 'data-testid': testid }, value));
}

function dashHash(date, days) {
  const p = new URLSearchParams();
  if (date) p.set('date', date);
  if (days && days !== '30') p.set('days', days);
  const q = p.toString();
  return '#/institutions' + (q ? '?' + q : '');
}

async function dashboard(el, ctx) {
  ctx.setTitle('机构日报看板');
  const date = ctx.query.get('date') || '';
  const days = ctx.query.get('days') || '30';
  loading(el);
  let d, alerts;
  try {
    [d, alerts] = await Promise.all([
      get('/api/v1/institutions/dashboard', { date, days }),
      get('/api/v1/institutions/alerts', { status: 'active', limit: 8 }),
    ]);
  } catch (err) {
    failure(el, err, '看板加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const today = d.now.slice(0, 10);
  const df = field({ label: '日期', input: textInput({ name: 'date', value: d.date, inputmode: 'numeric', placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'inst-date' });
  const nf = field({
    label: '趋势',
    input: select([{ value: '7', label: '近 7 天' }, { value: '30', label: '近 30 天' }, { value: '94', label: '近 94 天' }, { value: '365', label: '近一年' }], { name: 'days', value: days }),
    testid: 'inst-days',
  });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, df.wrap, nf.wrap),
    h('div', { class: 'actions' }, button('查看', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'inst-date-go' }),
      d.date !== today ? h('a', { class: 'btn', href: '#/institutions' }, '今天') : null,
      d.latest_report_date && d.latest_report_date !== d.date && d.total.received === 0
        ? h('a', { class: 'btn', href: dashHash(d.latest_report_date, days), 'data-testid': 'inst-latest' }, `最近有报告的日期：${d.latest_report_date}`)
        : null));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = df.input.value.trim();
    df.setError(DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD');
    if (DATE_RE.test(v)) ctx.navigate(dashHash(v === today ? '' : v, nf.input.value));
  });

  const t = d.total;
  const kpis = h('dl', { class: 'inst-kpis', 'data-testid': 'inst-kpis' },
    kpi('应报', count(t.expected), 'kpi-expected'),
    kpi('已报', count(t.received), 'kpi-received'),
    kpi('按时', count(t.on_time), 'kpi-on-time'),
    kpi('零报告', count(t.zero), 'kpi-zero'),
    kpi('迟报', count(t.late), 'kpi-late'),
    kpi(d.date === today ? '未报（逾期）' : '未报', `${count(t.missing)}${t.overdue && t.overdue !== t.missing ? `（${count(t.overdue)}）` : ''}`, 'kpi-missing', t.overdue > 0),
    kpi('完整率', pct(t.completeness_bp), 'kpi-completeness'),
    kpi('及时率', pct(t.timeliness_bp), 'kpi-timeliness'),
    kpi('未关闭预警', count(d.alerts.open + d.alerts.acknowledged), 'kpi-alerts', d.alerts.open > 0));

  const units = h('table', { class: 'data responsive', 'data-testid': 'inst-units' },
    h('caption', { class: 'sr-only' }, '各县区报送情况'),
    h('thead', null, h('tr', null, ['管理单位', '应报', '已报', '按时', '零报告', '迟报', '未报', '逾期', '上报县局', '完整率', '及时率'].map((x, i) =>
      h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
    h('tbody', null, d.counties.map((u) => h('tr', {
      class: 'clickable', 'data-testid': 'inst-unit-row', 'data-unit': u.unit_code,
      onclick: () => ctx.navigate(`#/institutions/calls?unit=${u.unit_code}${d.date !== today ? `&date=${d.date}` : ''}`),
    },
    h('td', { 'data-label': '管理单位' }, `${u.name || u.unit_code}`),
    h('td', { class: 'num', 'data-label': '应报' }, count(u.expected)),
    h('td', { class: 'num', 'data-label': '已报' }, count(u.received)),
    h('td', { class: 'num', 'data-label': '按时' }, count(u.on_time)),
    h('td', { class: 'num', 'data-label': '零报告' }, count(u.zero)),
    h('td', { class: 'num', 'data-label': '迟报' }, count(u.late)),
    h('td', { class: 'num', 'data-label': '未报', 'data-testid': 'inst-unit-missing' }, count(u.missing)),
    h('td', { class: 'num', 'data-label': '逾期' }, u.overdue ? h('span', { class: 'inst-badge inst-bad' }, count(u.overdue)) : '0'),
    h('td', { class: 'num', 'data-label': '上报县局' }, count(u.escalated)),
    h('td', { class: 'num', 'data-label': '完整率' }, pct(u.completeness_bp)),
    h('td', { class: 'num', 'data-label': '及时率' }, pct(u.timeliness_bp))))));

  const cm = d.closed_management;
  const cmTable = h('table', { class: 'data responsive', 'data-testid': 'inst-cm' },
    h('thead', null, h('tr', null, ['类型', '机构', '在院人数', '在岗工作人员'].map((x, i) => h('th', { scope: 'col', class: i ? 'num' : null }, x)))),
    h('tbody', null,
      Object.entries(cm.types).filter(([, v]) => v.institutions > 0).map(([k, v]) => h('tr', { 'data-type': k },
        h('td', { 'data-label': '类型' }, TYPE_LABELS[k] || v.label),
        h('td', { class: 'num', 'data-label': '机构' }, count(v.institutions)),
        h('td', { class: 'num', 'data-label': '在院人数' }, count(v.residents)),
        h('td', { class: 'num', 'data-label': '在岗工作人员' }, count(v.staff)))),
      h('tr', null, h('td', { 'data-label': '类型' }, h('strong', null, '合计')),
        h('td', { class: 'num', 'data-label': '机构', 'data-testid': 'inst-cm-total' }, count(cm.institutions)),
        h('td', { class: 'num', 'data-label': '在院人数' }, count(cm.residents)),
        h('td', { class: 'num', 'data-label': '在岗工作人员' }, count(cm.staff)))));

  const alertList = alerts.items.length
    ? h('ul', { class: 'plain-list', 'data-testid': 'inst-dash-alerts' }, alerts.items.map((a) => h('li', null,
      h('span', { class: `inst-badge ${a.status === 'open' ? 'inst-bad' : 'inst-warn'}` }, a.status_label), ' ',
      h('a', { href: `#/institutions/${a.institution_id}` }, a.institution_name), ` ${a.report_date} ${a.kind_label}：${a.summary}`)))
    : h('p', { class: 'muted' }, '没有未关闭的预警。');

  replace(el,
    h('section', { class: 'panel' }, h('h1', null, '机构日报看板'), sectionTabs(''), form,
      h('p', { class: 'muted' }, `${d.date} · 截至 ${d.now.slice(0, 16).replace('T', ' ')}；应报 = 当日开办的机构。点击县区查看未报名单。`),
      kpis, h('div', { class: 'table-wrap' }, units)),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', null, `预警（待确认 ${d.alerts.open}，处置中 ${d.alerts.acknowledged}）`),
        h('a', { class: 'btn btn-small', href: '#/institutions/alerts' }, '全部预警')), alertList),
    h('section', { class: 'panel' }, h('h2', null, '封闭管理'), h('p', { class: 'muted' }, '当日处于封闭管理的机构；人数取各机构截至当日最近一次报告。'),
      h('div', { class: 'table-wrap' }, cmTable)),
    h('section', { class: 'panel' }, h('h2', null, `完整率与及时率（${d.trend.length ? d.trend[0].date : ''} 至 ${d.date}）`), trendChart(d.trend)));
}

export default async function render(el, ctx) {
  ensureStyles();
  const sub = ctx.params[0] || '';
  if (sub === '') return dashboard(el, ctx);
  if (sub === 'calls') return (await import('./institutions_calls.js')).default(el, ctx);
  if (sub === 'alerts') return (await import('./institutions_alerts.js')).default(el, ctx);
  if (sub === 'report') return (await import('./institutions_report.js')).default(el, ctx);
  if (sub === 'list' || sub === 'new' || /^\d+(\/edit)?$/.test(sub)) return (await import('./institutions_registry.js')).default(el, ctx);
  replace(el, h('div', { class: 'panel', 'data-testid': 'page-not-found' }, h('h1', null, '页面不存在'), h('p', { class: 'muted' }, '请从机构日报的标签中选择。')));
}
