// pages/rescue_patrol.js — street outreach (街面巡查): people who would not come in to the
// station are met on night patrols and given masks, warm clothing and food; each patrol is
// recorded with the people met (by name, or described) and the goods each was given, and the
// totals count in the dashboard.
//   renderList   (#/rescue/patrols?station=&from=&to=)  patrols, newest first, with their totals
//   renderForm   (#/rescue/patrol/new)                  a patrol with one row per person met
//   renderDetail (#/rescue/patrol/ID)                   one patrol (names masked)

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { count } from '../format.js';
import {
  field, textInput, select, button, busy, formError, showServerError, loading, failure, notice, emptyState,
} from '../ui.js';
import { tabs, stationOptions, dayPlus, DATE_RE, figures } from './rescue_common.js';
import { facts } from './assistance_common.js';
import { exportLinks } from './export_links.js';

export async function renderList(el, ctx) {
  ctx.setTitle('街面巡查');
  loading(el);
  const station = ctx.query.get('station') || '';
  const from = ctx.query.get('from') || '';
  const to = ctx.query.get('to') || '';
  let stations, page;
  try {
    [stations, page] = await Promise.all([
      get('/api/v1/rescue/stations'),
      get('/api/v1/rescue/patrols', { station_id: station, from, to, limit: 200 }),
    ]);
  } catch (err) {
    failure(el, err, '巡查记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const sf = field({ label: '救助站', input: select(stationOptions(stations.items || []), { value: station, placeholder: '全部' }), testid: 'rescue-patrols-station' });
  const ff = field({ label: '自', input: textInput({ value: from, placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'rescue-patrols-from' });
  const tf = field({ label: '至', input: textInput({ value: to, placeholder: 'YYYY-MM-DD', maxlength: '10' }), testid: 'rescue-patrols-to' });
  const form = h('form', { class: 'search-form', novalidate: true },
    h('div', { class: 'form-grid' }, sf.wrap, ff.wrap, tf.wrap),
    h('div', { class: 'actions' }, button('查询', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rescue-patrols-submit' })));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (sf.input.value) p.set('station', sf.input.value);
    if (DATE_RE.test(ff.input.value.trim())) p.set('from', ff.input.value.trim());
    if (DATE_RE.test(tf.input.value.trim())) p.set('to', tf.input.value.trim());
    ctx.navigate('#/rescue/patrols' + (p.toString() ? '?' + p : ''));
  });
  const items = page.items || [];
  const sum = (k) => items.reduce((a, x) => a + x[k], 0);
  const table = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-patrols' },
      h('thead', null, h('tr', null, ['日期', '救助站', '区域', '人员', '遇见', '同意入站', '口罩', '御寒衣物', '食品'].map((t, i) => h('th', { scope: 'col', class: i >= 4 ? 'num' : null }, t)))),
      h('tbody', null, items.map((p) => h('tr', { class: 'clickable', 'data-testid': 'rescue-patrol-row', 'data-id': p.id, onclick: () => ctx.navigate(`#/rescue/patrol/${p.id}`) },
        h('td', { 'data-label': '日期', class: 'mono' }, h('a', { href: `#/rescue/patrol/${p.id}` }, p.date)),
        h('td', { 'data-label': '救助站' }, p.station_name),
        h('td', { 'data-label': '区域' }, p.area),
        h('td', { 'data-label': '人员' }, p.staff),
        h('td', { 'data-label': '遇见', class: 'num' }, count(p.people)),
        h('td', { 'data-label': '同意入站', class: 'num' }, count(p.accepted)),
        h('td', { 'data-label': '口罩', class: 'num' }, count(p.masks)),
        h('td', { 'data-label': '御寒衣物', class: 'num' }, count(p.warm_clothing)),
        h('td', { 'data-label': '食品', class: 'num' }, count(p.food)))))))
    : emptyState('没有巡查记录', 'rescue-patrols-empty');
  replace(el, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h1', null, '街面巡查'),
      h('div', { class: 'actions' }, h('a', { class: 'btn btn-primary', href: '#/rescue/patrol/new', 'data-testid': 'rescue-patrol-new' }, '登记巡查'))),
    tabs('patrols'), form,
    items.length ? figures([
      ['巡查（本页）', count(items.length)], ['遇见人数', count(sum('people'))], ['同意入站', count(sum('accepted'))],
      ['口罩', count(sum('masks'))], ['御寒衣物', count(sum('warm_clothing'))], ['食品', count(sum('food'))],
    ]) : null,
    table,
    h('p', { class: 'muted' }, `共 ${count(page.total)} 次巡查`, ' ',
      exportLinks('/api/v1/rescue/patrols', { station_id: station, from, to }, 'rescue-patrols-export'))));
}

function numInput(testid) {
  return textInput({ inputmode: 'numeric', maxlength: '5', value: '0', 'data-testid': testid, class: 'rescue-num' });
}

export async function renderForm(el, ctx) {
  ctx.setTitle('登记巡查');
  loading(el);
  let stations;
  try {
    stations = (await get('/api/v1/rescue/stations')).items || [];
  } catch (err) {
    failure(el, err, '救助站加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  const F = {
    station_id: field({ label: '救助站', input: select(stationOptions(stations), { value: stations[0] ? String(stations[0].id) : '' }), testid: 'rescue-patrol-station', required: true }),
    date: field({ label: '巡查日期', input: textInput({ value: dayPlus(0), placeholder: 'YYYY-MM-DD', maxlength: '10', inputmode: 'numeric' }), testid: 'rescue-patrol-date', required: true }),
    area: field({ label: '巡查区域', input: textInput({ maxlength: '60', placeholder: '如 火车站广场、桥洞' }), testid: 'rescue-patrol-area', required: true }),
    staff: field({ label: '巡查人员', input: textInput({ maxlength: '60' }), testid: 'rescue-patrol-staff', required: true }),
    note: field({ label: '备注', input: textInput({ maxlength: '500' }), testid: 'rescue-patrol-note', wide: true }),
  };
  const rows = [];
  const list = h('div', { 'data-testid': 'rescue-contacts' });
  function addRow() {
    const i = rows.length;
    const r = {
      name: field({ label: '姓名（知道的）', input: textInput({ maxlength: '30' }), testid: `rescue-contact-name-${i}` }),
      description: field({ label: '体貌特征（不知姓名的必填）', input: textInput({ maxlength: '500' }), testid: `rescue-contact-description-${i}`, wide: true }),
      masks: field({ label: '口罩（只）', input: numInput(`rescue-contact-masks-${i}`), testid: `rescue-contact-masks-${i}` }),
      warm_clothing: field({ label: '御寒衣物（件）', input: numInput(`rescue-contact-warm-${i}`), testid: `rescue-contact-warm-${i}` }),
      food: field({ label: '食品（份）', input: numInput(`rescue-contact-food-${i}`), testid: `rescue-contact-food-${i}` }),
    };
    r.accepted = h('input', { type: 'checkbox', 'data-testid': `rescue-contact-accepted-${i}` });
    r.wrap = h('fieldset', { class: 'member-row', 'data-testid': 'rescue-contact-row' }, h('legend', null, `第 ${i + 1} 人`),
      h('div', { class: 'form-grid' }, r.name.wrap, r.masks.wrap, r.warm_clothing.wrap, r.food.wrap, r.description.wrap),
      h('label', { class: 'check' }, r.accepted, '同意随同回站'));
    rows.push(r);
    list.appendChild(r.wrap);
  }
  addRow();
  const box = formError('rescue-patrol-error');
  const submit = button('保存巡查记录', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'rescue-patrol-submit' });
  const form = h('form', { novalidate: true, 'data-testid': 'rescue-patrol-form' }, box.el,
    h('div', { class: 'form-grid' }, Object.values(F).map((f) => f.wrap)),
    h('h2', null, '遇见的人员与发放物资'), list,
    h('div', { class: 'actions' }, button('再加一人', { 'data-testid': 'rescue-contact-add', onclick: addRow })),
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    const fields = { ...F };
    const contacts = [];
    let bad = null;
    rows.forEach((r, i) => {
      const c = { name: r.name.input.value.trim(), description: r.description.input.value.trim(), accepted: r.accepted.checked };
      for (const k of ['masks', 'warm_clothing', 'food']) {
        const v = r[k].input.value.trim() || '0';
        const ok = /^\d{1,5}$/.test(v);
        r[k].setError(ok ? '' : '应为整数');
        if (!ok) bad ||= r[k];
        c[k] = Number(v);
      }
      for (const k of ['name', 'description', 'masks', 'warm_clothing', 'food']) fields[`contacts[${i}].${k}`] = r[k];
      if (c.name || c.description || c.masks || c.warm_clothing || c.food) contacts.push(c);
    });
    F.date.setError(DATE_RE.test(F.date.input.value.trim()) ? '' : '日期应为 YYYY-MM-DD');
    if (!DATE_RE.test(F.date.input.value.trim())) bad ||= F.date;
    if (bad) {
      bad.input.focus();
      return;
    }
    const body = {
      station_id: Number(F.station_id.input.value), date: F.date.input.value.trim(), area: F.area.input.value.trim(),
      staff: F.staff.input.value.trim(), note: F.note.input.value.trim(), contacts,
    };
    try {
      const p = await busy(submit, () => post('/api/v1/rescue/patrols', body));
      notice(`已保存：遇见 ${p.people} 人`);
      ctx.navigate(`#/rescue/patrol/${p.id}`);
    } catch (err) {
      showServerError(err, fields, box);
    }
  });
  replace(el, h('section', { class: 'panel' }, h('h1', null, '登记巡查'), tabs('patrols'),
    h('p', { class: 'muted' }, '对不愿入站的流浪乞讨人员，劝导入站并发放口罩、御寒衣物和食品，逐人登记。'), form));
}

export async function renderDetail(el, ctx, id) {
  loading(el);
  let p;
  try {
    p = await get(`/api/v1/rescue/patrols/${id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该巡查记录，或不在您的管辖范围内' : '巡查记录加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`巡查 ${p.date}`);
  replace(el,
    h('section', { class: 'panel', 'data-testid': 'rescue-patrol' },
      h('div', { class: 'panel-head' }, h('h1', null, `巡查 ${p.date}`),
        h('div', { class: 'actions' }, h('a', { class: 'btn', href: '#/rescue/patrols' }, '返回列表'))),
      facts([
        ['救助站', p.station_name, null], ['区域', p.area, 'rescue-patrol-area'], ['人员', p.staff, null],
        p.note ? ['备注', p.note, null, true] : null,
      ]),
      figures([
        ['遇见', count(p.people), 'rescue-patrol-people'], ['同意入站', count(p.accepted), 'rescue-patrol-accepted'],
        ['口罩', count(p.masks), 'rescue-patrol-masks'], ['御寒衣物', count(p.warm_clothing), 'rescue-patrol-warm'],
        ['食品', count(p.food), 'rescue-patrol-food'],
      ])),
    h('section', { class: 'panel' }, h('h2', null, '遇见的人员'),
      p.contacts.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data responsive', 'data-testid': 'rescue-patrol-contacts' },
        h('thead', null, h('tr', null, ['姓名 / 特征', '同意入站', '口罩', '御寒衣物', '食品', '备注'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, p.contacts.map((c) => h('tr', null,
          h('td', { 'data-label': '姓名 / 特征' }, c.name || c.description),
          h('td', { 'data-label': '同意入站' }, c.accepted ? '是' : '否'),
          h('td', { 'data-label': '口罩', class: 'num' }, count(c.masks)),
          h('td', { 'data-label': '御寒衣物', class: 'num' }, count(c.warm_clothing)),
          h('td', { 'data-label': '食品', class: 'num' }, count(c.food)),
          h('td', { 'data-label': '备注' }, c.note))))))
        : emptyState('本次巡查未遇见人员', 'rescue-patrol-nobody')));
}
