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
