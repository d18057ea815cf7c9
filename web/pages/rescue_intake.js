// pages/rescue_intake.js — one arrival at a rescue station.
//
// renderForm (#/rescue/intake/new): the intake form, laid out for a phone held at the door —
// one column, big controls, the sections in the order the work is done: who (or 身份不明 with a
// description), the screening (temperature, mask, symptoms, 14-day history and its risk, health
// certificate), the decision and the bed. The page follows the rules as the worker types: a
// temperature at or above the station's fever threshold turns the decision to 送医 and asks
// for the report to the epidemic command; a risk area or unverifiable history turns 收入生活区
// into 收入隔离区. The server checks everything again and its message is shown next to the
// field it names.
//
// renderDetail (#/rescue/intake/ID): the person's record — screening, decision, bed, the stay
// limit, the isolation with its planned end (and whether leaving now would be early, and why
// it would be refused), observations, tests, changes of dates, the discharge — and the next
// steps the server allows, each a small dialog. Names and ID numbers are masked; users with
// registry.unmask may show them (the server records that in the audit log).

import { h, replace } from '../dom.js';
import { get, post } from '../api.js';
import { label, options } from '../labels.js';
import {
  field, textInput, select, button, busy, formError, showServerError, loading, failure, notice,
  formDialog, attachIdCheck, emptyState,
} from '../ui.js';
import {
  DECISION_LABELS, RISK_LABELS, LEAVE_LABELS, ZONE_LABELS, CHANGE_LABELS, SEX_TEXT,
  parseTemperature, degrees, shanghaiNow, minute, timeProblem, apiTime, statusBadge, personName,
  stationOptions, tabs, DATE_RE, ensureStyles,
} from './rescue_common.js';
import { facts } from './assistance_common.js';

function textarea(props = {}) {
  return h('textarea', { rows: '2', ...props });
}

function checkbox(text, testid, checked = false) {
  const input = h('input', { type: 'checkbox', 'data-testid': testid, checked });
  return { input, wrap: h('label', { class: 'check' }, input, text) };
}

function section(title, ...children) {
  return h('fieldset', { class: 'rescue-section' }, h('legend', null, title), ...children);
}

/* Room options of a station for a zone: [{value, label, disabled}] (full rooms disabled). */
function roomOptions(station, zone) {
  return (station?.room_list || []).filter((r) => r.zone === zone).map((r) => ({
    value: String(r.id),
    label: `${r.name}（${label(ZONE_LABELS, r.zone)}，空 ${r.free} / ${r.beds} 床）`,
    disabled: r.free <= 0,
  }));
}

function fillSelect(sel, opts, placeholder) {
  replace(sel, h('option', { value: '' }, placeholder),
    opts.map((o) => h('option', { value: o.value, disabled: o.disabled || null }, o.label)));
}

// ---------------------------------------------------------------- the form

export async function renderForm(el, ctx) {
  ctx.setTitle('登记到站人员');
  loading(el);
  let stations;
  try {
    stations = (await get('/api/v1/rescue/stations')).items || [];
  } catch (err) {
    failure(el, err, '救助站加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  if (!stations.length) {
    replace(el, h('section', { class: 'panel' }, h('h1', null, '登记到站人员'), tabs('intake/new'),
      emptyState('您的管辖范围内还没有救助站，请先在“站点与床位”中建立。', 'rescue-no-station')));
    return;
  }
  const preset = ctx.query.get('station') || String(stations[0].id);
  let station = null; // the chosen station with its rooms

  const F = {};
  F.station_id = field({ label: '救助站', input: select(stationOptions(stations), { value: preset }), testid: 'rescue-station', required: true, wide: true });
  F.arrived_at = field({ label: '到站时间', input: h('input', { type: 'datetime-local', value: shanghaiNow(), class: 'rescue-input' }), testid: 'rescue-arrived-at', required: true, hint: '北京时间；补录夜间到站的，填实际到站时间', wide: true });
  const unknown = checkbox('身份不明（无法说出姓名、无证件）', 'rescue-unidentified');
  F.name = field({ label: '姓名', input: textInput({ maxlength: '30', autocomplete: 'off' }), testid: 'rescue-name', required: true });
  F.id_number = field({ label: '身份证号', input: textInput({ maxlength: '18', inputmode: 'text' }), testid: 'rescue-id-number', hint: '无证件可不填' });
  const idCheck = attachIdCheck(F.id_number, { required: false });
  F.sex = field({ label: '性别', input: select([{ value: 'male', label: '男' }, { value: 'female', label: '女' }], { placeholder: '按身份证号或询问' }), testid: 'rescue-sex' });
  F.description = field({ label: '体貌特征', input: textarea({ maxlength: '500' }), testid: 'rescue-description', hint: '身份不明的须填写：性别、估计年龄、衣着、口音、特殊标记，入站后 24 小时内发布寻亲公告', wide: true });
  F.origin = field({ label: '来自何处', input: textInput({ maxlength: '60' }), testid: 'rescue-origin' });
  F.belongings = field({ label: '随身物品登记', input: textarea({ maxlength: '500' }), testid: 'rescue-belongings', wide: true });

  F.temperature_tenths = field({ label: '体温（°C）', input: textInput({ inputmode: 'decimal', maxlength: '4', placeholder: '36.5' }), testid: 'rescue-temperature', required: true });
  const mask = checkbox('佩戴口罩（或已发放）', 'rescue-mask', true);
  F.symptoms = field({ label: '症状', input: textInput({ maxlength: '500', placeholder: '无' }), testid: 'rescue-symptoms' });
  F.travel_history = field({ label: '14 天行程', input: textarea({ maxlength: '500' }), testid: 'rescue-travel', wide: true });
  F.contact_history = field({ label: '14 天接触史', input: textarea({ maxlength: '500' }), testid: 'rescue-contact', wide: true });
  F.risk = field({ label: '行程风险', input: select(options(RISK_LABELS), { placeholder: '请选择' }), testid: 'rescue-risk', required: true, wide: true });
  F.health_certificate = field({ label: '健康证明', input: textInput({ maxlength: '60', placeholder: '健康码、检测报告等；无则不填' }), testid: 'rescue-health-cert' });
  const feverBox = h('div', { class: 'rescue-alert', 'data-testid': 'rescue-fever-alert', hidden: true });

  F.decision = field({ label: '处置决定', input: select(options(DECISION_LABELS), { placeholder: '请选择' }), testid: 'rescue-decision', required: true, wide: true });
  F.room_id = field({ label: '安置房间', input: select([], { placeholder: '请选择' }), testid: 'rescue-room', wide: true });
  F.hospital = field({ label: '送往医院', input: textInput({ maxlength: '60' }), testid: 'rescue-hospital' });
  F.report_to = field({ label: '报告疫情防控指挥部', input: textInput({ maxlength: '60', placeholder: '报告对象，如 潍坊市疫情防控指挥部' }), testid: 'rescue-report-to' });
  F.reason = field({ label: '理由 / 备注', input: textarea({ maxlength: '500' }), testid: 'rescue-reason', wide: true });
  const decisionNote = h('div', { class: 'field-hint', 'data-testid': 'rescue-decision-note' });

  const box = formError('rescue-intake-error');
  const submit = button('登记', { type: 'submit', class: 'btn btn-primary btn-block', 'data-testid': 'rescue-intake-submit' });

  const threshold = () => station?.params?.fever_threshold_tenths || 373;

  function showFor() {
    const d = F.decision.input.value;
    F.room_id.wrap.hidden = !(d === 'admit' || d === 'isolate');
    F.hospital.wrap.hidden = d !== 'hospital';
    F.report_to.wrap.hidden = d !== 'hospital' && !feverNow();
    F.reason.setLabel(d === 'refuse' ? '不予收留的理由' : '理由 / 备注');
    const zone = d === 'isolate' ? 'isolation' : 'general';
    const keep = F.room_id.input.value;
    fillSelect(F.room_id.input, roomOptions(station, zone), station ? '请选择' : '正在加载房间…');
    if (keep && [...F.room_id.input.options].some((o) => o.value === keep && !o.disabled)) F.room_id.input.value = keep;
    else {
      const first = [...F.room_id.input.options].find((o) => o.value && !o.disabled);
      if (first) F.room_id.input.value = first.value;
    }
  }
  function feverNow() {
    const t = parseTemperature(F.temperature_tenths.input.value);
    return t.value !== undefined && t.value >= threshold();
  }
  function followRules() {
    const t = parseTemperature(F.temperature_tenths.input.value);
    const fever = t.value !== undefined && t.value >= threshold();
    feverBox.hidden = !fever;
    feverBox.textContent = fever
      ? `体温 ${degrees(t.value)} °C，达到发热标准（${degrees(threshold())} °C）：不得收入站内，须送医并报告疫情防控指挥部。`
      : '';
    const risky = F.risk.input.value && F.risk.input.value !== 'low';
    if (fever) F.decision.input.value = 'hospital';
    else if (risky && F.decision.input.value === 'admit') F.decision.input.value = 'isolate';
    decisionNote.textContent = risky && !fever
      ? `来自中高风险地区或无法核实的，须在隔离区单独观察 ${station?.params?.isolation_days || 14} 天。` : '';
    showFor();
  }
  let loads = 0;
  async function loadStation() {
    const mine = ++loads; // a slower answer for a station chosen before must not win
    station = null;
    showFor();
    try {
      const s = await get(`/api/v1/rescue/stations/${F.station_id.input.value}`);
      if (!ctx.isCurrent() || mine !== loads) return;
      station = s;
    } catch (err) {
      if (mine !== loads) return;
      box.set(err.message);
    }
    followRules();
  }
  function identity() {
    const u = unknown.input.checked;
    F.name.setLabel(u ? '自报姓名（可不填）' : '姓名');
    F.name.input.setAttribute('aria-required', String(!u));
    F.id_number.wrap.hidden = u;
    F.description.setLabel(u ? '体貌特征（必填）' : '体貌特征');
  }

  F.station_id.input.addEventListener('change', loadStation);
  F.temperature_tenths.input.addEventListener('input', followRules);
  F.risk.input.addEventListener('change', followRules);
  F.decision.input.addEventListener('change', showFor);
  unknown.input.addEventListener('change', identity);

  const form = h('form', { class: 'rescue-intake', novalidate: true, 'data-testid': 'rescue-intake-form' },
    box.el,
    section('到站', h('div', { class: 'form-grid' }, F.station_id.wrap, F.arrived_at.wrap)),
    section('身份与物品', unknown.wrap,
      h('div', { class: 'form-grid' }, F.name.wrap, F.id_number.wrap, F.sex.wrap, F.origin.wrap, F.description.wrap, F.belongings.wrap)),
    section('入站检查', h('div', { class: 'form-grid' }, F.temperature_tenths.wrap, F.symptoms.wrap), feverBox,
      h('div', { class: 'checks' }, mask.wrap),
      h('div', { class: 'form-grid' }, F.travel_history.wrap, F.contact_history.wrap, F.risk.wrap, F.health_certificate.wrap)),
    section('处置', h('div', { class: 'form-grid' }, F.decision.wrap, F.room_id.wrap, F.hospital.wrap, F.report_to.wrap, F.reason.wrap), decisionNote),
    h('div', { class: 'actions actions-sticky' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    box.clear();
    for (const f of Object.values(F)) f.clearError();
    const problems = [];
    const t = parseTemperature(F.temperature_tenths.input.value);
    if (t.error) problems.push([F.temperature_tenths, t.error]);
    const u = unknown.input.checked;
    if (!u && !F.name.input.value.trim()) problems.push([F.name, '请填写姓名；说不出姓名的请勾选“身份不明”']);
    if (u && !F.description.input.value.trim()) problems.push([F.description, '身份不明的须填写体貌特征']);
    const id = u ? { ok: true, value: '' } : idCheck();
    if (!id.ok) problems.push([F.id_number, id.message]);
    if (!F.risk.input.value) problems.push([F.risk, '请选择行程风险']);
    if (!F.decision.input.value) problems.push([F.decision, '请选择处置决定']);
    const d = F.decision.input.value;
    if ((d === 'admit' || d === 'isolate') && !F.room_id.input.value) problems.push([F.room_id, '请选择有空床的房间']);
    if (d === 'hospital' && !F.hospital.input.value.trim()) problems.push([F.hospital, '请填写送往的医院']);
    if (d === 'refuse' && !F.reason.input.value.trim()) problems.push([F.reason, '请写明不予收留的理由']);
    if (!F.arrived_at.input.value) problems.push([F.arrived_at, '请填写到站时间']);
    for (const [f, msg] of problems) f.setError(msg);
    if (problems.length) {
      problems[0][0].input.focus();
      box.set('请按提示修改后再提交');
      return;
    }
    const body = {
      station_id: Number(F.station_id.input.value),
      arrived_at: apiTime(F.arrived_at.input.value),
      unidentified: u,
      name: F.name.input.value.trim(),
      id_number: u ? '' : id.value,
      sex: F.sex.input.value,
      description: F.description.input.value.trim(),
      origin: F.origin.input.value.trim(),
      belongings: F.belongings.input.value.trim(),
      temperature_tenths: t.value,
      mask: mask.input.checked,
      symptoms: F.symptoms.input.value.trim(),
      travel_history: F.travel_history.input.value.trim(),
      contact_history: F.contact_history.input.value.trim(),
      risk: F.risk.input.value,
      health_certificate: F.health_certificate.input.value.trim(),
      decision: d,
      room_id: d === 'admit' || d === 'isolate' ? Number(F.room_id.input.value) : 0,
      hospital: d === 'hospital' ? F.hospital.input.value.trim() : '',
      report_to: F.report_to.wrap.hidden ? '' : F.report_to.input.value.trim(),
      reason: F.reason.input.value.trim(),
    };
    try {
      const r = await busy(submit, () => post('/api/v1/rescue/intakes', body), '正在登记…');
      notice(`已登记：${label(DECISION_LABELS, r.decision)}`);
      ctx.navigate(`#/rescue/intake/${r.id}`);
    } catch (err) {
      showServerError(err, F, box);
    }
  });

  replace(el, h('section', { class: 'panel' }, h('h1', null, '登记到站人员'), tabs('intake/new'),
    h('p', { class: 'muted' }, '24 小时接待。先测温、查验健康证明、询问 14 天行程和接触史，再决定收入生活区、隔离观察、送医或不予收留。'),
    form));
  identity();
  await loadStation();
}

// ---------------------------------------------------------------- the record

export async function renderDetail(el, ctx, id) {
  loading(el);
  const unmask = ctx.query.get('unmask') === '1';
  let x, station = null;
  try {
    x = await get(`/api/v1/rescue/intakes/${id}`, unmask ? { unmask: 1 } : undefined);
    if (x.status === 'in_station' || x.status === 'isolation') station = await get(`/api/v1/rescue/stations/${x.station_id}`);
  } catch (err) {
    failure(el, err, err.status === 404 ? '未找到该受助人员记录，或不在您的管辖范围内' : '记录加载失败');
    return;
  }
  if (ctx.isCurrent()) draw(el, ctx, x, station);
}

function draw(el, ctx, x, station) {
  ctx.setTitle(`受助人员 ${x.id}`);
  const reload = () => ctx.refresh();
  replace(el,
    headPanel(ctx, x),
    x.isolation ? isolationPanel(x) : null,
    x.family_search ? searchPanel(x) : null,
    actionsPanel(ctx, x, station, reload),
    x.discharge ? dischargePanel(x) : null,
    recordsPanel(x));
}

function headPanel(ctx, x) {
  const list = [
    ['姓名', personName(x), 'rescue-detail-name'],
    ['身份证号', x.id_number, 'rescue-detail-id-number'],
    ['性别', label(SEX_TEXT, x.sex), null],
    ['救助站', x.station_name, 'rescue-detail-station'],
    ['到站时间', minute(x.arrived_at), 'rescue-detail-arrived'],
    ['来自', x.origin, null],
    ['体温', `${x.temperature} °C${x.fever ? '（发热）' : ''}`, 'rescue-detail-temperature'],
    ['口罩', x.mask ? '已佩戴' : '未佩戴', null],
    ['行程风险', label(RISK_LABELS, x.risk), 'rescue-detail-risk', true],
    ['处置决定', label(DECISION_LABELS, x.decision), 'rescue-detail-decision'],
    x.room_name ? ['房间', `${x.room_name}（${label(ZONE_LABELS, x.room_zone)}）`, 'rescue-detail-room'] : null,
    x.stay_until ? ['救助期限至', `${x.stay_until}${x.over_stay ? '（已超期）' : ''}`, 'rescue-detail-stay-until'] : null,
    x.stay_limit_days ? ['在站天数', `${x.days_in_station} 天（期限 ${x.stay_limit_days} 天）`, null] : null,
    x.hospital ? ['送往医院', x.hospital, 'rescue-detail-hospital'] : null,
    x.epidemic_report ? ['疫情报告', `${minute(x.epidemic_report.reported_at)} 报告${x.epidemic_report.reported_to}`, 'rescue-detail-report', true] : null,
    x.description ? ['体貌特征', x.description, null, true] : null,
    x.belongings ? ['随身物品', x.belongings, 'rescue-detail-belongings', true] : null,
    x.symptoms ? ['症状', x.symptoms, null, true] : null,
    x.travel_history ? ['14 天行程', x.travel_history, null, true] : null,
    x.contact_history ? ['14 天接触史', x.contact_history, null, true] : null,
    x.health_certificate ? ['健康证明', x.health_certificate, null] : null,
    x.reason ? ['理由 / 备注', x.reason, 'rescue-detail-reason', true] : null,
  ];
  const links = [h('a', { class: 'btn', href: '#/rescue/list', 'data-testid': 'rescue-back-list' }, '返回列表')];
  if (x.masked && ctx.can('registry.unmask')) {
    links.push(h('a', { class: 'btn', href: `#/rescue/intake/${x.id}?unmask=1`, 'data-testid': 'rescue-unmask' }, '显示完整姓名和证件号'));
  }
  return h('section', { class: 'panel', 'data-testid': 'rescue-detail' },
    h('div', { class: 'panel-head' },
      h('h1', null, `受助人员 ${x.id}`, ' ', statusBadge(x.status)),
      h('div', { class: 'actions' }, links)),
    x.masked ? null : h('p', { class: 'audit-note', 'data-testid': 'rescue-unmasked-note' }, '已显示完整信息，本次查看已记入审计日志。'),
    x.over_stay ? h('div', { class: 'rescue-alert', 'data-testid': 'rescue-over-stay' }, `已超过救助期限（${x.stay_until}）：请安排离站，或经批准延长期限。`) : null,
    facts(list));
}

function isolationPanel(x) {
  const i = x.isolation;
  const rows = [
    ['开始', i.start, 'rescue-iso-start'],
    ['计划解除', i.planned_end, 'rescue-iso-end'],
    i.ended_at ? ['实际解除', `${minute(i.ended_at)}${i.early ? '（提前，凭阴性检测）' : ''}`, 'rescue-iso-ended'] : ['剩余', i.days_left > 0 ? `${i.days_left} 天` : '已到期', 'rescue-iso-left'],
  ];
  let leave = null;
  if (x.status === 'isolation' && x.leave.early) {
    leave = x.leave.allowed
      ? h('div', { class: 'rescue-ok', 'data-testid': 'rescue-leave-state' }, `隔离期未满，已有 ${x.leave.test_valid_hours} 小时内的核酸检测阴性结果：现在可以提前解除隔离或离站。`)
      : h('div', { class: 'rescue-alert', 'data-testid': 'rescue-leave-state' }, `现在不能提前离站：${x.leave.reason}`);
  }
  return h('section', { class: 'panel', 'data-testid': 'rescue-isolation' }, h('h2', null, '隔离观察'), facts(rows), leave);
}

function searchPanel(x) {
  const s = x.family_search;
  return h('section', { class: 'panel', 'data-testid': 'rescue-family-search' }, h('h2', null, '寻亲公告'),
    s.overdue ? h('div', { class: 'rescue-alert', 'data-testid': 'rescue-search-overdue' }, `应于 ${minute(s.due)} 前发布寻亲公告，已逾期。`) : null,
    facts([
      ['应发布时限', minute(s.due), 'rescue-search-due'],
      ['已发布', s.posted_at ? `${minute(s.posted_at)}，${s.channel}` : '尚未发布', 'rescue-search-posted'],
      s.text ? ['公告内容', s.text, null, true] : null,
    ]));
}

function dischargePanel(x) {
  const d = x.discharge;
  return h('section', { class: 'panel', 'data-testid': 'rescue-discharge' }, h('h2', null, '离站'),
    facts([
      ['离站时间', minute(d.at), 'rescue-discharge-at'],
      ['方式', label(LEAVE_LABELS, d.kind), 'rescue-discharge-kind'],
      d.ticket ? ['车（船）票', d.ticket, null] : null,
      d.destination ? ['目的地', d.destination, null] : null,
      d.transfer_to ? ['接收机构', d.transfer_to, null] : null,
      d.kind === 'voluntary' ? ['自愿离站声明', d.declaration_signed ? '本人已签署' : '未签署', null] : null,
      d.early_test_id ? ['提前离站依据', `核酸检测阴性（检测记录 ${d.early_test_id}）`, 'rescue-discharge-test', true] : null,
      d.note ? ['备注', d.note, null, true] : null,
    ]));
}

function recordsPanel(x) {
  const obs = x.observations.length
    ? h('table', { class: 'data responsive', 'data-testid': 'rescue-observations' },
      h('thead', null, h('tr', null, ['时间', '体温', '症状', '报告', '记录人'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, x.observations.map((o) => h('tr', { 'data-testid': 'rescue-observation' },
        h('td', { 'data-label': '时间' }, minute(o.observed_at)),
        h('td', { 'data-label': '体温' }, `${o.temperature} °C`, o.fever ? h('span', { class: 'badge badge-warn' }, '发热') : null),
        h('td', { 'data-label': '症状' }, o.symptoms),
        h('td', { 'data-label': '报告' }, o.report_to),
        h('td', { 'data-label': '记录人' }, o.by)))))
    : emptyState('还没有观察记录', 'rescue-no-observations');
  const tests = x.tests.length
    ? h('table', { class: 'data responsive', 'data-testid': 'rescue-tests' },
      h('thead', null, h('tr', null, ['采样时间', '结果', '检测机构', '登记人'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', null, x.tests.map((t) => h('tr', { 'data-testid': 'rescue-test' },
        h('td', { 'data-label': '采样时间' }, minute(t.sampled_at)),
        h('td', { 'data-label': '结果' }, t.result === 'negative' ? '阴性' : h('span', { class: 'badge badge-warn' }, '阳性')),
        h('td', { 'data-label': '检测机构' }, t.lab),
        h('td', { 'data-label': '登记人' }, t.by)))))
    : emptyState('还没有核酸检测记录', 'rescue-no-tests');
  const changes = x.changes.length
    ? h('ol', { class: 'timeline', 'data-testid': 'rescue-changes' }, x.changes.map((c) => h('li', { 'data-testid': 'rescue-change', 'data-kind': c.kind },
      h('div', { class: 'timeline-head' }, h('strong', null, c.what === 'stay' ? '延长救助期限' : label(CHANGE_LABELS, c.kind)), ' ', h('span', { class: 'muted' }, `${minute(c.at)} · ${c.by}`)),
      h('div', null, [c.previous_end ? `原 ${c.previous_end}` : '', c.new_end ? `→ ${c.new_end}` : ''].filter(Boolean).join(' '),
        c.reason ? `；${c.reason}` : '', c.approved_by ? `（批准：${c.approved_by}）` : ''))))
    : null;
  return h('section', { class: 'panel rescue-records' },
    h('h2', null, '观察记录'), h('div', { class: 'table-wrap' }, obs),
    h('h2', null, '核酸检测'), h('div', { class: 'table-wrap' }, tests),
    changes ? h('h2', null, '日期变更') : null, changes);
}

// ---------------------------------------------------------------- steps

const STEP_BUTTONS = {
  observe: '记录体温',
  test: '登记核酸检测',
  isolate: '转入隔离区',
  change_isolation: '调整隔离期',
  end_isolation: '解除隔离',
  extend_stay: '延长救助期限',
  family_search: '登记寻亲公告',
  discharge: '离站',
};

const NOW_HINT = 'YYYY-MM-DD HH:MM，留空为现在';

function actionsPanel(ctx, x, station, reload) {
  if (!x.next_steps.length) return null;
  const run = (step) => STEPS[step](x, station).then((r) => { if (r) reload(); });
  return h('section', { class: 'panel', 'data-testid': 'rescue-actions' }, h('h2', null, '办理'),
    h('div', { class: 'actions' }, x.next_steps.map((s) =>
      button(STEP_BUTTONS[s] || s, { class: s === 'discharge' ? 'btn btn-primary' : 'btn', 'data-testid': `rescue-step-${s}`, onclick: () => run(s) }))));
}

const timeField = (name, labelText) => ({ name, label: labelText, placeholder: NOW_HINT, validate: timeProblem });

const STEPS = {
  observe: (x) => formDialog({
    title: '记录体温与症状',
    intro: `发热标准 ${degrees(x.fever_threshold_tenths)} °C；发热的须报告疫情防控指挥部并送医。`,
    fields: [
      { name: 'temperature_tenths', label: '体温（°C）', required: true, placeholder: '36.5', validate: (v) => parseTemperature(v).error },
      { name: 'symptoms', label: '症状' },
      { name: 'report_to', label: '报告疫情防控指挥部（发热时必填）' },
      timeField('observed_at', '观察时间'),
    ],
    submitLabel: '记录',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/observations`, {
      temperature_tenths: parseTemperature(v.temperature_tenths).value, symptoms: v.symptoms, report_to: v.report_to, observed_at: apiTime(v.observed_at),
    }).then((r) => {
      const last = r.observations[r.observations.length - 1];
      notice(last && last.fever ? '已记录：发热，请送医' : '已记录', last && last.fever ? 'error' : 'ok');
      return r;
    }),
  }),
  test: (x) => formDialog({
    title: '登记核酸检测',
    intro: `隔离期未满提前离站，须有离站前 ${x.leave.test_valid_hours || 72} 小时内采样的阴性结果。`,
    fields: [
      timeField('sampled_at', '采样时间'),
      { name: 'result', label: '结果', type: 'select', options: [{ value: 'negative', label: '阴性' }, { value: 'positive', label: '阳性' }], required: true },
      { name: 'lab', label: '检测机构' },
    ],
    submitLabel: '登记',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/tests`, { sampled_at: apiTime(v.sampled_at), result: v.result, lab: v.lab })
      .then((r) => { notice('已登记核酸检测'); return r; }),
  }),
  isolate: (x, station) => formDialog({
    title: '转入隔离区',
    fields: [
      { name: 'room_id', label: '隔离区房间', type: 'select', options: roomOptions(station, 'isolation').filter((o) => !o.disabled), required: true },
      { name: 'reason', label: '理由', required: true },
      timeField('at', '转入时间'),
    ],
    submitLabel: '转入',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/isolation`, { room_id: Number(v.room_id), reason: v.reason, at: apiTime(v.at) })
      .then((r) => { notice(`已转入隔离，计划 ${r.isolation.planned_end} 解除`); return r; }),
  }),
  change_isolation: (x) => formDialog({
    title: '调整隔离期',
    intro: `当前计划 ${x.isolation.planned_end} 解除。延长或缩短都须写明理由，原日期会保留。`,
    fields: [
      { name: 'new_end', label: '新的计划解除日期', required: true, placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') },
      { name: 'reason', label: '理由', required: true },
    ],
    submitLabel: '保存',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/isolation/change`, v)
      .then((r) => { notice(`计划解除日期改为 ${r.isolation.planned_end}`); return r; }),
  }),
  end_isolation: (x, station) => formDialog({
    title: '解除隔离',
    intro: x.leave.early ? `隔离期至 ${x.isolation.planned_end}，提前解除须有有效的核酸检测阴性结果。` : '隔离期已满，转入生活区。',
    fields: [
      { name: 'room_id', label: '生活区房间', type: 'select', options: roomOptions(station, 'general').filter((o) => !o.disabled), required: true },
      timeField('at', '解除时间'),
    ],
    submitLabel: '解除隔离',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/isolation/end`, { room_id: Number(v.room_id), at: apiTime(v.at) })
      .then((r) => { notice('已解除隔离'); return r; }),
  }),
  extend_stay: (x) => formDialog({
    title: '延长救助期限',
    intro: `当前期限至 ${x.stay_until}。延长须经批准。`,
    fields: [
      { name: 'until', label: '延长至', required: true, placeholder: 'YYYY-MM-DD', validate: (v) => (DATE_RE.test(v) ? '' : '日期应为 YYYY-MM-DD') },
      { name: 'reason', label: '理由', required: true },
      { name: 'approved_by', label: '批准人', required: true },
    ],
    submitLabel: '延长',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/stay`, v).then((r) => { notice(`救助期限延长至 ${r.stay_until}`); return r; }),
  }),
  family_search: (x) => formDialog({
    title: '登记寻亲公告',
    intro: `应于 ${minute(x.family_search.due)} 前发布。`,
    fields: [
      { name: 'channel', label: '发布渠道', required: true, value: '全国救助寻亲网' },
      { name: 'text', label: '公告内容' },
      timeField('posted_at', '发布时间'),
    ],
    submitLabel: '登记',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/family-search`, { channel: v.channel, text: v.text, posted_at: apiTime(v.posted_at) })
      .then((r) => { notice('已登记寻亲公告'); return r; }),
  }),
  discharge: (x) => formDialog({
    title: '离站',
    intro: x.leave.early
      ? `隔离期至 ${x.isolation.planned_end}：提前离站须有 ${x.leave.test_valid_hours} 小时内的核酸检测阴性结果（送医除外）。`
      : `救助期限至 ${x.stay_until}。`,
    fields: [
      { name: 'kind', label: '离站方式', type: 'select', options: options(LEAVE_LABELS), required: true },
      { name: 'ticket', label: '车（船）票（返乡）' },
      { name: 'destination', label: '目的地（返乡）' },
      { name: 'transfer_to', label: '接收机构或医院（转介、送医）' },
      { name: 'declaration_signed', label: '自愿离站声明', type: 'select', options: [{ value: '0', label: '—' }, { value: '1', label: '本人已签署' }], value: '0' },
      { name: 'note', label: '备注' },
      timeField('at', '离站时间'),
    ],
    submitLabel: '办理离站',
    onSubmit: (v) => post(`/api/v1/rescue/intakes/${x.id}/discharge`, {
      kind: v.kind, ticket: v.ticket, destination: v.destination, transfer_to: v.transfer_to,
      declaration_signed: v.declaration_signed === '1', note: v.note, at: apiTime(v.at),
    }).then((r) => { notice(`已离站：${label(LEAVE_LABELS, r.discharge.kind)}`); return r; }),
  }),
};

