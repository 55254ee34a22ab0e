/**
 * Display names for the governance policies (治理规则): the kinds, the field names of their documents and
 * the coded values inside them. The server declares the kinds with JSON Schemas whose property names
 * are English identifiers and whose descriptions are English; the web shows people names instead, in
 * both languages, from these tables (`labels.test.ts` holds them against the server's declaration, so a
 * new kind or field cannot reach the page unnamed). Pure: no React, no rjsf.
 * @module
 */
import { APPEAL_CATEGORIES, DEPARTMENT_KINDS, appealCategoryLabel } from '../../../shared/domain.js'
import type { AppealConcern, AppealKind, RegionLevel } from '../../../shared/domain.js'
import { ASSESSMENT_DIMENSIONS, INDICATORS, PROMOTION_PARTS } from '../../../shared/assessment.js'
import type { JsonSchema } from '../../forms.js'
import type { Lang } from '../../i18n.js'

/** A text in both languages. */
export interface Bilingual {
  zh: string
  en: string
}

export function pick(label: Bilingual, lang: Lang): string {
  return lang === 'en' ? label.en : label.zh
}

/** Every policy kind: its title and what it decides, in words for the people who publish it. */
export const POLICY_KIND_LABELS: Record<string, { title: Bilingual; description: Bilingual }> = {
  'appeal.routing': {
    title: { zh: '诉求分派规则', en: 'Appeal routing' },
    description: {
      zh: '按诉求类型、分类、地区和关键词自上而下逐条匹配，先匹配的规则决定承办部门的类别和层级；都不匹配时按兜底规则分派。',
      en: 'Ordered first-match rules over an appeal’s kind, category, region and keywords: the department kind and level it goes to; the fallback when none matches.',
    },
  },
  'appeal.deadlines': {
    title: { zh: '诉求办理时限', en: 'Appeal deadlines' },
    description: {
      zh: '各类诉求的响应时限和办结时限（工作日），未单独规定的类型适用默认时限。',
      en: 'Working days to respond and to resolve, by kind of appeal, with a default.',
    },
  },
  'appeal.escalation': {
    title: { zh: '超期督办阶梯', en: 'Escalation ladder' },
    description: {
      zh: '诉求超过办理时限后依次向谁督办，以及每一级在超期后第几个工作日启动。',
      en: 'Who a missed deadline goes to, in order, and how many working days after the deadline each step comes.',
    },
  },
  'responsibility.chain': {
    title: { zh: '责任链规则', en: 'Responsibility chain rules' },
    description: {
      zh: '按诉求类型和关注事项自上而下逐条匹配，确定主要责任环节，以及其上级中哪些人列为次要责任。',
      en: 'Ordered first-match rules over an appeal’s kind and concern: who the primary links are, and which of their superiors become secondary links.',
    },
  },
  'rating.rectification': {
    title: { zh: '差评整改规则', en: 'Bad-review rectification' },
    description: {
      zh: '好差评中哪些分数算差评（默认为五档中最低的两档），以及承办单位回访群众、完成整改的期限（工作日）。',
      en: 'Which scores count as a bad review (the two lowest of five by default) and how many working days the handling unit has to call back and rectify.',
    },
  },
  'assessment.formula': {
    title: { zh: '考核指标与权重', en: 'Assessment formula' },
    description: {
      zh: '哪些指标计入考核，各指标如何折算为 0–100 分（最差值记 0 分、最优值记 100 分），指标在所属维度内的相对权重，各维度在总分中的相对权重，以及参与排名的最小样本量。',
      en: 'Which indicators count, how each is scaled to 0–100 (its worst and best values), their relative weights within their dimension, the dimensions’ relative weights in the total, and the smallest sample that is ranked.',
    },
  },
  'calendar.holidays': {
    title: { zh: '节假日与调休安排', en: 'Holidays and make-up working days' },
    description: {
      zh: '所有办理时限所依据的工作日历：每年的法定节假日（放假日期）和调休上班的周末，按国务院办公厅通知发布，以及工作时间。新版本自生效时起适用，此前已算出的期限不变。',
      en: 'The working-day calendar every time limit runs on: each year’s public holidays and the weekend days worked to bridge them, as the State Council announces them, and the working hours. A version governs from its effective time: due times computed before keep theirs.',
    },
  },
  'assessment.promotion': {
    title: { zh: '干部选拔任用指数权重', en: 'Promotion index weights' },
    description: {
      zh: '干部选拔任用指数由改革评分、组织评价和群众满意度三部分组成，各折算为 0–100 分后按相对权重合成；样本量不足的干部不参与排名。',
      en: 'The promotion index of an official: the reform score, the organisation department’s evaluation and citizen satisfaction, each scaled to 0–100, weighted relative to each other; below the smallest sample an official is not ranked.',
    },
  },
}

/** A kind's title (its id only for a kind this table does not know yet, which the test forbids). */
export function kindTitle(kind: string, lang: Lang): string {
  const label = POLICY_KIND_LABELS[kind]
  return label ? pick(label.title, lang) : kind
}

export function kindDescription(kind: string, lang: Lang): string {
  const label = POLICY_KIND_LABELS[kind]
  return label ? pick(label.description, lang) : ''
}

const APPEAL_KIND_NAMES: Record<AppealKind, Bilingual> = {
  complaint: { zh: '投诉', en: 'Complaint' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  inquiry: { zh: '咨询', en: 'Inquiry' },
  praise: { zh: '表扬', en: 'Praise' },
  discrepancy: { zh: '数据差异', en: 'Data discrepancy' },
}

const CONCERN_NAMES: Record<AppealConcern, Bilingual> = {
  delay: { zh: '办理超时', en: 'Delay' },
  wrongful_rejection: { zh: '不当驳回', en: 'Wrongful rejection' },
  window_conduct: { zh: '窗口服务', en: 'Window conduct' },
  data_discrepancy: { zh: '数据差异', en: 'Data discrepancy' },
  bad_review: { zh: '差评整改', en: 'Bad review' },
  other: { zh: '其他', en: 'Other' },
}

const SELECTOR_NAMES: Record<string, Bilingual> = {
  breaching_handler: { zh: '超时环节的经办人', en: 'Handler of the step that ran late' },
  approver: { zh: '作出驳回决定的审批人', en: 'Who rejected' },
  window_clerk: { zh: '受理的窗口人员', en: 'The window clerk who accepted' },
  record_owner: { zh: '记录持有部门及最后修改人', en: 'Record owner and its last editor' },
  on_duty_handler: { zh: '承办部门的承办人或值班人员', en: 'Handler or on-duty official' },
  case_handler: { zh: '作出办理决定的经办人', en: 'Who decided the case' },
}

const SUPERIOR_NAMES: Record<string, Bilingual> = {
  supervisor: { zh: '科室负责人', en: 'Supervisor' },
  leader: { zh: '单位领导', en: 'Leader' },
}

const LEVEL_NAMES: Record<RegionLevel, Bilingual> = {
  province: { zh: '省', en: 'Province' },
  city: { zh: '市', en: 'City' },
  county: { zh: '县（区）', en: 'County / district' },
  street: { zh: '街道（乡镇）', en: 'Street / township' },
}

/**
 * Every property name in the kinds' schemas. A name that means different things in different places
 * (`to`: where an appeal is routed, whom an escalation goes to) is keyed `<parent>/<name>` as well.
 */
export const FIELD_LABELS: Record<string, Bilingual> = {
  rules: { zh: '规则', en: 'Rules' },
  fallback: { zh: '兜底规则', en: 'Fallback' },
  id: { zh: '规则编号', en: 'Rule id' },
  title: { zh: '规则说明', en: 'Description' },
  when: { zh: '适用条件', en: 'Applies when' },
  to: { zh: '分派至', en: 'Route to' },
  'ladder/to': { zh: '督办对象', en: 'Escalate to' },
  'periods/to': { zh: '放假末日', en: 'Last day off' },
  kinds: { zh: '诉求类型', en: 'Appeal kinds' },
  categories: { zh: '诉求分类', en: 'Categories' },
  regionPrefix: { zh: '地区（区划代码前缀）', en: 'Region (code prefix)' },
  withCase: { zh: '是否涉及办件', en: 'About a case' },
  keywords: { zh: '关键词', en: 'Keywords' },
  departmentKind: { zh: '部门类别', en: 'Department kind' },
  level: { zh: '层级', en: 'Level' },
  preferResponsible: { zh: '优先交由负有责任的部门', en: 'Prefer the responsible department' },
  default: { zh: '默认时限', en: 'Default' },
  byKind: { zh: '按诉求类型', en: 'By kind of appeal' },
  respondDays: { zh: '响应时限（工作日）', en: 'Respond within (working days)' },
  resolveDays: { zh: '办结时限（工作日）', en: 'Resolve within (working days)' },
  ladder: { zh: '督办阶梯', en: 'Escalation ladder' },
  afterWorkingDays: { zh: '超期后第几个工作日', en: 'Working days after the deadline' },
  concerns: { zh: '关注事项', en: 'Concerns' },
  primary: { zh: '主要责任环节', en: 'Primary link' },
  secondary: { zh: '次要责任（上级）', en: 'Secondary links (superiors)' },
  badScoreMax: { zh: '差评分数上限（含）', en: 'Highest score that is bad' },
  deadlineWorkingDays: { zh: '整改时限（工作日）', en: 'Rectification deadline (working days)' },
  dimensions: { zh: '维度权重', en: 'Dimension weights' },
  indicators: { zh: '考核指标', en: 'Indicators' },
  code: { zh: '指标', en: 'Indicator' },
  weight: { zh: '权重', en: 'Weight' },
  worst: { zh: '最差值（记 0 分）', en: 'Worst value (0 points)' },
  best: { zh: '最优值（记 100 分）', en: 'Best value (100 points)' },
  minSample: { zh: '参与排名的最小样本量', en: 'Smallest ranked sample' },
  years: { zh: '年度安排', en: 'Years' },
  year: { zh: '年份', en: 'Year' },
  status: { zh: '状态', en: 'Status' },
  periods: { zh: '假期', en: 'Holidays' },
  name: { zh: '英文名称', en: 'Name' },
  zh: { zh: '中文名称', en: 'Chinese name' },
  from: { zh: '放假首日', en: 'First day off' },
  makeupWorkdays: { zh: '调休上班日', en: 'Make-up working days' },
  workdayStart: { zh: '上班时间', en: 'Working day starts' },
  workdayEnd: { zh: '下班时间', en: 'Working day ends' },
  weights: { zh: '三部分权重', en: 'Weights of the three parts' },
  ...APPEAL_KIND_NAMES,
  ...ASSESSMENT_DIMENSIONS,
  ...PROMOTION_PARTS,
}

/** The display name of a field, in the context of its parent field's name (`ladder` for `to`). */
export function fieldName(name: string, parent: string | undefined, lang: Lang): string {
  const label = (parent !== undefined ? FIELD_LABELS[`${parent}/${name}`] : undefined) ?? FIELD_LABELS[name]
  return label ? pick(label, lang) : name
}

const HOLIDAY_STATUS_NAMES: Record<string, Bilingual> = {
  official: { zh: '已公布', en: 'Announced' },
  projected: { zh: '预测（待通知公布）', en: 'Projected (until announced)' },
}

/** The display names of the coded values a field holds, by the field's name (and its parent's). */
function codeTable(name: string | undefined, parent: string | undefined): Record<string, Bilingual> | null {
  switch (name) {
    case 'kinds':
      return APPEAL_KIND_NAMES
    case 'concerns':
      return CONCERN_NAMES
    case 'primary':
      return SELECTOR_NAMES
    case 'secondary':
      return SUPERIOR_NAMES
    case 'to':
      return parent === 'ladder' ? SUPERIOR_NAMES : null
    case 'departmentKind':
      return DEPARTMENT_KINDS
    case 'level':
    case 'levels':
      return LEVEL_NAMES
    case 'code':
      return INDICATORS
    case 'status':
      return HOLIDAY_STATUS_NAMES
    case undefined:
    default:
      return null
  }
}

/** The display name of one coded value of a field, or null when the field holds no codes. */
export function codeName(
  name: string | undefined,
  parent: string | undefined,
  value: string,
  lang: Lang,
): string | null {
  if (name === 'categories') {
    const l = lang === 'en' ? 'en' : 'zh'
    return appealCategoryLabel(value, l) ?? APPEAL_CATEGORIES[value]?.[l] ?? null
  }
  const table = codeTable(name, parent)
  if (!table) return null
  const label = table[value]
  return label ? pick(label, lang) : null
}

/**
 * The kind's schema with display names: a `title` on every property (an item of a list of rules named
 * after the list) and `oneOf` options with titles in place of an `enum` of codes, so the form generated
 * from it (rjsf) shows no identifier. Validation is unchanged: the same values are allowed.
 */
export function titledSchema(schema: JsonSchema, lang: Lang, name?: string, parent?: string): JsonSchema {
  const out: JsonSchema = { ...schema }
  if (name !== undefined) out.title = fieldName(name, parent, lang)
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, sub]) => [key, titledSchema(sub, lang, key, name)]),
    )
  }
  if (schema.items) {
    const items = titledSchema(schema.items, lang, name, parent)
    // An item is "规则 1", not a repetition of the list's title on every card.
    delete items.title
    out.items = items
  }
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) {
    const values: string[] = schema.enum
    delete out.enum
    out.type = 'string'
    out.oneOf = values.map((v) => ({ const: v, title: codeName(name, parent, v, lang) ?? v }))
  }
  return out
}

/** Every property name in a schema, with its parent's name (for the coverage test). */
export function propertyNames(schema: JsonSchema, parent?: string, out = new Set<string>()): Set<string> {
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    out.add(parent !== undefined && FIELD_LABELS[`${parent}/${key}`] ? `${parent}/${key}` : key)
    propertyNames(sub, key, out)
  }
  if (schema.items) propertyNames(schema.items, parent, out)
  return out
}

/** Every coded value a schema allows, with the field that holds it (for the coverage test). */
export function enumValues(
  schema: JsonSchema,
  name?: string,
  parent?: string,
  out: { name: string | undefined; parent: string | undefined; value: string }[] = [],
): { name: string | undefined; parent: string | undefined; value: string }[] {
  if (Array.isArray(schema.enum))
    for (const v of schema.enum) if (typeof v === 'string') out.push({ name, parent, value: v })
  for (const [key, sub] of Object.entries(schema.properties ?? {})) enumValues(sub, key, name, out)
  if (schema.items) enumValues(schema.items, name, parent, out)
  return out
}
