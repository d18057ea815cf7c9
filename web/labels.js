// labels.js — the Chinese names of every code the API sends (roles, relations, tags, levels,
// residence types, sex, person status). One place, so pages never spell a label twice.

export const ROLE_LABELS = {
  city_admin: '市局管理员',
  county_staff: '县区工作人员',
  township_assistant: '镇街民政助理',
  village_worker: '村居工作人员',
  institution_reporter: '机构填报员',
  hotline_operator: '热线接线员',
  leader: '领导（只读）',
};

// Order matters: it is the order of the <select> options.
export const RELATION_LABELS = {
  head: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  grandparent: '祖父母',
  sibling: '兄弟姐妹',
  other: '其他',
};

export const TAG_LABELS = {
  elderly_alone: '独居老人',
  left_behind_child: '留守儿童',
  orphan: '孤儿',
  unsupported_child: '事实无人抚养儿童',
  child_in_difficulty: '困境儿童',
  severely_disabled: '重度残疾',
  seriously_ill: '重病',
  covid_patient_family: '新冠患者家属',
  isolated_family: '隔离家庭',
  left_behind_elderly: '留守老人',
  entitled_veteran: '优抚对象',
  unemployment_insurance: '领取失业保险金',
  unemployment_assistance: '领取失业补助金',
};

export const LEVEL_LABELS = {
  province: '省',
  city: '市',
  county: '县区',
  township: '镇街',
  village: '村居',
};

export const RESIDENCE_LABELS = {
  rural: '农村',
  urban: '城镇',
};

export const SEX_LABELS = {
  male: '男',
  female: '女',
};

export const PERSON_STATUS_LABELS = {
  active: '在册',
  removed: '已移除',
  moved: '已迁出',
  deceased: '已故',
};

/* label(map, code): the Chinese label, or the code itself when unknown (so a value added on the
 * server later shows up as its code instead of vanishing). */
export function label(map, code) {
  if (code === null || code === undefined || code === '') return '';
  return Object.prototype.hasOwnProperty.call(map, code) ? map[code] : String(code);
}

/* options(map): [{value, label}] for building a <select>. */
export function options(map) {
  return Object.keys(map).map((value) => ({ value, label: map[value] }));
}

// ---- assistance (pages/assistance*.js) ----

export const PROGRAM_LABELS = {
  dibao: '低保',
  tekun: '特困供养',
  orphan: '孤儿',
  unsupported_child: '事实无人抚养儿童',
  price_subsidy: '价格临时补贴',
};

export const CASE_STATUS_LABELS = {
  applied: '待调查',
  investigated: '待评议',
  appraised: '待公示',
  notice: '公示中',
  active: '在保',
  suspended: '暂停发放',
  phaseout: '渐退中',
  terminated: '已终止',
  refused: '不予批准',
};

export const STEP_LABELS = {
  apply: '受理申请',
  investigate: '入户调查',
  appraise: '民主评议',
  notice: '公示',
  approve: '审批同意',
  refuse: '不予批准',
  suspend: '暂停发放',
  resume: '恢复发放',
  terminate: '终止',
  review: '复核',
  reassess: '重新评估',
  objection: '登记异议',
  record_existing: '已在册对象登记',
};

export const PAY_STATE_LABELS = {
  active: '正常发放',
  phaseout: '渐退发放',
  held: '暂缓退出',
  ended: '停发',
  not_started: '未开始',
  unknown: '无法计算',
};

export const EXIT_CAUSE_LABELS = {
  income: '收入超过标准',
  death: '死亡',
  moved_away: '迁出',
  request: '本人申请退出',
  other: '其他',
};

export const CARE_LEVEL_LABELS = { self: '全自理', half: '半护理', full: '全护理' };
export const SUPPORT_FORM_LABELS = { centralised: '集中供养', scattered: '分散供养' };
export const PLACEMENT_LABELS = { institutional: '机构养育', scattered: '社会散居' };
export const REVIEW_CATEGORY_LABELS = { stable: '收入稳定（年审）', irregular: '收入不固定（半年审）' };

export const CHILD_CATEGORY_LABELS = {
  orphan_institutional: '机构养育孤儿',
  orphan_scattered: '社会散居孤儿',
  unsupported_child: '事实无人抚养儿童',
};

export const PARENT_CONDITION_LABELS = {
  able: '有抚养能力',
  dead: '死亡',
  missing: '失踪',
  severely_disabled: '重度残疾',
  seriously_ill: '重病',
  detained: '服刑在押或强制隔离',
  out_of_contact: '失联',
};

// The six daily activities of the 特困 self-care assessment: bit → label (adl_mask).
export const ADL_LABELS = [
  [1, '吃饭'], [2, '穿衣'], [4, '上下床'], [8, '如厕'], [16, '室内行走'], [32, '洗澡'],
];

export const UPLIFT_LABELS = {
  none: '',
  elderly: '老年人',
  severe_disability: '重度残疾',
  serious_illness: '重病',
  minor: '未成年人',
};
