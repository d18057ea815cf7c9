// pages/hotline_common.js — what the hotline pages share: the Chinese names of the module's codes
// (the server's code lists, src/hotline/hotline_rules.c), hashes, badges, times typed and shown in
// the bureau's time zone, and a cascading region picker (county → township → village).

import { h } from '../dom.js';
import { get } from '../api.js';
import { label } from '../labels.js';
import { dateTime } from '../format.js';
import { field, select } from '../ui.js';

export const LINE_KIND_LABELS = { assistance: '救助热线', child_protection: '儿童救助保护热线' };
export const URGENCY_LABELS = { emergency: '紧急', urgent: '较急', normal: '一般' };
export const CATEGORY_LABELS = {
  living: '基本生活困难', relief: '临时救助求助', epidemic: '疫情防控相关求助', elderly: '老年人照料',
  homeless: '流浪乞讨人员', child_care: '儿童监护照料', disability: '残疾人帮扶', policy: '政策咨询',
  complaint: '投诉建议', other: '其他',
};
export const CALL_OUTCOME_LABELS = { advice: '已解答/给予建议', case_opened: '已立案', referred: '已转介', no_action: '无需处理' };
export const SITUATION_LABELS = {
  confirmed: '监护人确诊', suspected: '监护人疑似', isolated: '监护人被隔离',
  epidemic_duty: '监护人参与疫情防控工作', unable_other: '监护人因其他原因无法照料', none: '监护人能够照料',
};
export const CARE_LABELS = {
  none: '无人照料', guardian: '监护人照料', relatives: '亲属照料', foster: '临时家庭寄养',
  institution: '机构临时照料', village: '村（居）委会照料', other: '其他',
};
export const PLACEMENT_LABELS = {
  relatives: '亲属照料', foster: '临时家庭寄养', institution: '机构临时照料', village: '村（居）委会照料', other: '其他',
};
export const REFERRAL_TARGET_LABELS = { institution: '机构', agency: '部门或组织' };
export const REFERRAL_STATUS_LABELS = { pending: '等待答复', accepted: '已接收', declined: '已拒绝' };
export const RESOURCE_LABELS = { temp_relief: '临时救助', goods: '物资', service: '服务（心理疏导、医疗、学习辅导等）', other: '其他' };
export const FOLLOWUP_LABELS = { home: '入户探访', phone: '电话回访', video: '视频回访', other: '其他' };
export const RISK_LABELS = { high: '高', medium: '中', low: '低' };
export const CLOSE_OUTCOME_LABELS = {
  guardian_resumed: '监护人恢复监护', placed_long_term: '已长期安置', referred: '已转介其他部门办理',
  resolved: '问题已解决', out_of_scope: '不属于受理范围', other: '其他',
};
export const CASE_STATUS_LABELS = { intake: '待评估', assessed: '已评估', active: '帮扶中', closed: '已结案' };
export const STEP_LABELS = {
  open: '立案', assess: '评估', plan: '制定帮扶计划', place: '临时照料安置', place_end: '结束临时照料',
  refer: '转介', refer_answer: '转介答复', resource: '链接资源', followup: '跟进回访', assign: '指定责任人',
  close: '结案', reopen: '重新开启',
};
export const TASK_LABELS = { assess: '评估', followup: '回访', callback: '约定回电' };
/* Temporary-assistance causes the relief module knows (src/relief/relief_rules.c), emergency type. */
export const RELIEF_CAUSE_LABELS = {
  epidemic_isolation: '疫情隔离（居家或集中隔离）', epidemic_infection: '感染或疑似感染新冠肺炎',
  sudden_illness: '突发重大疾病', accident: '其他意外事故', other_emergency: '其他急难情形',
};

export const caseHash = (id) => `#/hotline/case/${id}`;
export const callHash = (id) => `#/hotline/call/${id}`;

/* "#/hotline/<path>?…" with empty values dropped. */
export function hotlineHash(path, params = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== 0) p.set(k, String(v));
  const s = p.toString();
  return `#/hotline${path ? '/' + path : ''}${s ? '?' + s : ''}`;
}

export function statusBadge(status) {
  const cls = status === 'closed' ? 'badge badge-muted' : status === 'intake' ? 'badge badge-warn' : 'badge';
  return h('span', { class: cls, 'data-testid': 'hotline-status', 'data-status': status }, label(CASE_STATUS_LABELS, status));
}

export function urgencyBadge(u) {
  return h('span', { class: u === 'emergency' ? 'badge badge-warn' : 'badge badge-muted', 'data-urgency': u }, label(URGENCY_LABELS, u));
}

export function overdueBadge(text = '逾期') {
  return h('span', { class: 'badge badge-warn', 'data-testid': 'overdue' }, text);
}

/* A due time or day for people: "2020-03-01 10:30", or a plain day. */
export function due(text) {
  if (!text) return '';
  return text.length <= 10 ? text : dateTime(text);
}

/* The current time in Asia/Shanghai as "YYYY-MM-DDTHH:MM" (what the time inputs take). */
export function nowLocal(now = new Date()) {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 16);
}

export const TIME_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d$/;

/* yuan text → fen ({value} or {error}), exact: at most two decimals. */
export function yuanToFen(text) {
  const s = String(text ?? '').trim().replace(/,/g, '');
  if (s === '') return { value: 0 };
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return { error: '金额应为元，最多两位小数，如 500.00' };
  return { value: Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0')) };
}

/* A definition list of [label, value, testid, wide] facts. */
export function facts(list) {
  return h('dl', { class: 'facts' }, list.filter(Boolean).map(([dt, dd, testid, wide]) =>
    h('div', { class: 'fact' + (wide ? ' fact-wide' : '') }, h('dt', null, dt),
      h('dd', { 'data-testid': testid || null }, dd === '' || dd === null || dd === undefined ? '—' : dd))));
}

/* A cascading region picker: county, then township, then village (each optional below the
 * first), from GET /api/v1/regions?parent=. value() is the deepest code chosen. */
export function regionPicker({ testid = 'hotline-region', required = true, city = '3707' } = {}) {
  const levels = [
    { name: 'county', label: '县市区', placeholder: required ? '请选择' : '全市' },
    { name: 'township', label: '镇街', placeholder: '（不详）' },
    { name: 'village', label: '村居', placeholder: '（不详）' },
  ];
  const fields = levels.map((lv) => field({
    label: lv.label,
    input: select([], { placeholder: lv.placeholder, disabled: lv.name !== 'county' }),
    testid: `${testid}-${lv.name}`,
    required: required && lv.name === 'county',
  }));
  async function fill(i, parent) {
    const f = fields[i];
    const keep = f.input.options[0];
    while (f.input.options.length) f.input.remove(0);
    f.input.appendChild(keep);
    f.input.value = '';
    f.input.disabled = !parent;
    for (let j = i + 1; j < fields.length; j++) {
      const g = fields[j];
      while (g.input.options.length > 1) g.input.remove(1);
      g.input.value = '';
      g.input.disabled = true;
    }
    if (!parent) return;
    try {
      const r = await get('/api/v1/regions', { parent });
      for (const it of r.items || []) f.input.appendChild(h('option', { value: it.code }, `${it.name}`));
    } catch (err) {
      f.setError(err.message);
    }
  }
  fields.forEach((f, i) => {
    if (i + 1 < fields.length) f.input.addEventListener('change', () => fill(i + 1, f.input.value));
  });
  const ready = fill(0, city);
  return {
    wrap: h('div', { class: 'form-grid', 'data-testid': testid }, fields.map((f) => f.wrap)),
    fields,
    ready,
    value() {
      for (let i = fields.length - 1; i >= 0; i--) if (fields[i].input.value) return fields[i].input.value;
      return required ? '' : city;
    },
    /* Choose a village (and its township and county) — e.g. the registry person's. */
    async set(code) {
      await ready;
      const parts = [code.slice(0, 6), code.slice(0, 9), code.slice(0, 12)].filter((c, i) => code.length >= [6, 9, 12][i]);
      for (let i = 0; i < parts.length; i++) {
        fields[i].input.value = parts[i];
        if (i + 1 < fields.length) await fill(i + 1, parts[i]);
      }
      if (parts.length) fields[parts.length - 1].input.value = parts[parts.length - 1];
    },
    setError(msg) {
      fields[0].setError(msg);
    },
  };
}
