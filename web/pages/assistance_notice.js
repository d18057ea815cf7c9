// pages/assistance_notice.js — a village's public notice (公示) for its board
// (#/assistance/notice/CODE?date=YYYY-MM-DD): the households and persons whose 低保 or 特困
// application is under notice that day (GET /api/v1/assistance/notices/CODE), as the rules
// allow them to be shown — name, ID number masked, persons covered, the monthly amount proposed —
// with the notice period and where objections go. 打印 prints it on one A4 sheet: the print
// stylesheet (style.css, "@media print") hides the navigation and every control. Children's
// cases are never posted (they skip the notice).

import { h, replace } from '../dom.js';
import { get } from '../api.js';
import { field, textInput, button, loading, failure, emptyState } from '../ui.js';
import { money, today, DATE_RE } from './assistance_common.js';

function hashFor(code, date) {
  return `#/assistance/notice/${code}${date ? `?date=${date}` : ''}`;
}

export default async function render(el, ctx) {
  const code = ctx.params[0];
  const date = ctx.query.get('date') || today();
  ctx.setTitle('公示栏');
  loading(el);
  let b;
  try {
    b = await get(`/api/v1/assistance/notices/${code}`, { date });
  } catch (err) {
    failure(el, err, err.status === 404 ? '该区划不存在或不在您的管辖范围内' : '公示加载失败');
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(`公示 · ${b.region_name}`);

  const df = field({ label: '公示日期', input: textInput({ value: date, maxlength: '10', placeholder: 'YYYY-MM-DD' }), testid: 'notice-date' });
  const show = button('查看', { type: 'submit', class: 'btn', 'data-testid': 'notice-show' });
  const print = button('打印', { class: 'btn btn-primary', 'data-testid': 'notice-print', onclick: () => window.print() });
  const form = h('form', { class: 'search-form no-print', novalidate: true },
    h('div', { class: 'form-grid' }, df.wrap), h('div', { class: 'actions' }, show, print));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const d = df.input.value.trim();
    df.setError(DATE_RE.test(d) ? '' : '日期应为 YYYY-MM-DD');
    if (DATE_RE.test(d)) ctx.navigate(hashFor(code, d));
  });

  const starts = [...new Set(b.items.map((x) => x.notice_start))].sort();
  const ends = [...new Set(b.items.map((x) => x.notice_end))].sort();
  const period = b.items.length ? `${starts[0]} 至 ${ends[ends.length - 1]}` : '';
  const rows = b.items.map((x, i) => h('tr', { 'data-testid': 'notice-item', 'data-case': x.case_id },
    h('td', { 'data-label': '序号', class: 'num' }, String(i + 1)),
    h('td', { 'data-label': '姓名' }, x.name),
    h('td', { 'data-label': '身份证号', class: 'mono' }, x.id_number),
    h('td', { 'data-label': '救助项目' }, x.program_label),
    h('td', { 'data-label': '保障人数', class: 'num' }, String(x.persons)),
    h('td', { 'data-label': '拟月保障金额', class: 'num' }, x.amount_fen === null ? '' : money(x.amount_fen)),
    h('td', { 'data-label': '公示期', class: 'mono' }, `${x.notice_start} 至 ${x.notice_end}`)));
  const sheet = h('article', { class: 'gs-sheet', 'data-testid': 'notice-sheet' },
    h('h1', { class: 'gs-title' }, `${b.region_name}最低生活保障、特困人员救助供养审批前公示`),
    h('p', { class: 'gs-lead' },
      `根据《社会救助暂行办法》等规定，经本人申请、${b.township_name || '镇（街道）'}入户调查、村（居）民主评议，`,
      `拟将下列家庭（人员）纳入保障，报${b.unit_name || '县（市、区）民政部门'}审批，现予公示${period ? `，公示期 ${period}` : ''}。`,
      '如有异议，请在公示期内向镇（街道）民政办公室实名反映，我们将依法核实处理并为反映人保密。'),
    b.items.length
      ? h('table', { class: 'gs-table', 'data-testid': 'notice-table' },
        h('thead', null, h('tr', null, ['序号', '姓名', '身份证号', '救助项目', '保障人数', '拟月保障金额', '公示期'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows))
      : emptyState(`${date} 没有正在公示的对象`, 'notice-empty'),
    h('p', { class: 'gs-foot' }, `${b.township_name || ''}人民政府（街道办事处）`, h('br'), b.date),
    h('p', { class: 'gs-note muted' }, '身份证号已按规定隐去中间八位。'));
  replace(el,
    h('section', { class: 'panel no-print' }, h('div', { class: 'panel-head' }, h('h1', null, `公示栏 · ${b.region_name}`),
      h('span', { class: 'muted', 'data-testid': 'notice-count' }, `${b.total} 户（人）正在公示`)), form),
    sheet);
}
