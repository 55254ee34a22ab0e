/**
 * Domain vocabulary shared by server, CLI and web: region levels, roles and the API shapes of the
 * foundation modules. Pure types and constants, no I/O.
 * @module
 */

/** The four administrative levels, GB/T 2260 style: the code length tells the level. */
export const REGION_LEVELS = ['province', 'city', 'county', 'street'] as const
export type RegionLevel = (typeof REGION_LEVELS)[number]

/** Code length of each level: province 2 digits, city 4, county 6, street 9. */
export const REGION_CODE_LENGTH: Record<RegionLevel, number> = { province: 2, city: 4, county: 6, street: 9 }

/** A longitude/latitude pair (WGS 84 degrees), GeoJSON order. */
export type LonLat = [number, number]

export interface Region {
  code: string
  name: string
  level: RegionLevel
  parentCode: string | null
  population: number
  /** Label point of the region, [lon, lat]; null when no geometry is known. */
  centroid: LonLat | null
}

/** GeoJSON geometry a region may carry. */
export type RegionGeometry =
  { type: 'Polygon'; coordinates: LonLat[][] } | { type: 'MultiPolygon'; coordinates: LonLat[][][] }

/** Every role the platform knows. A citizen account has exactly `citizen`. */
export const ROLES = [
  'citizen',
  'clerk',
  'official',
  'supervisor',
  'leader',
  'process_engineer',
  'data_admin',
  'auditor',
  'admin',
  /** The organisation department's cadre assessment staff: enter the organisation evaluation (组织评价). */
  'organisation',
] as const
export type Role = (typeof ROLES)[number]

/** Department kinds; the label is what the UI shows (zh-CN) and what demo names are built from. */
export const DEPARTMENT_KINDS = {
  government_office: { zh: '人民政府办公室', en: 'General Office of the People’s Government' },
  data_bureau: { zh: '政务服务和数据管理局', en: 'Government Services and Data Administration' },
  market_regulation: { zh: '市场监督管理局', en: 'Administration for Market Regulation' },
  tax: { zh: '税务局', en: 'Tax Bureau' },
  public_security: { zh: '公安局', en: 'Public Security Bureau' },
  human_resources_social_security: {
    zh: '人力资源和社会保障局',
    en: 'Human Resources and Social Security Bureau',
  },
  natural_resources: { zh: '自然资源和规划局', en: 'Natural Resources and Planning Bureau' },
  housing_construction: { zh: '住房和城乡建设局', en: 'Housing and Urban-Rural Development Bureau' },
  civil_affairs: { zh: '民政局', en: 'Civil Affairs Bureau' },
  health: { zh: '卫生健康委员会', en: 'Health Commission' },
  education: { zh: '教育局', en: 'Education Bureau' },
  ecology_environment: { zh: '生态环境局', en: 'Ecology and Environment Bureau' },
  transport: { zh: '交通运输局', en: 'Transport Bureau' },
  medical_security: { zh: '医疗保障局', en: 'Healthcare Security Administration' },
  street_office: { zh: '街道办事处', en: 'Sub-district Office' },
  service_center: { zh: '便民服务中心', en: 'Community Service Centre' },
  organisation_department: { zh: '组织部', en: 'Organisation Department' },
} as const
export type DepartmentKind = keyof typeof DEPARTMENT_KINDS

export interface Department {
  id: string
  name: string
  regionCode: string
  kind: DepartmentKind
}

export interface Staff {
  id: string
  username: string
  name: string
  departmentId: string
  position: string
  roles: Role[]
  /** Region of the staff member's department: the root of their jurisdiction. */
  regionCode: string
}

export interface Citizen {
  id: string
  username: string
  name: string
  /** Street-level region of residence. */
  regionCode: string
  gender: 'F' | 'M'
  birthDate: string
}

/** Kinds of appeal (诉求): complaint, suggestion, inquiry, praise, data discrepancy. */
export const APPEAL_KINDS = ['complaint', 'suggestion', 'inquiry', 'praise', 'discrepancy'] as const
export type AppealKind = (typeof APPEAL_KINDS)[number]

/**
 * Where an appeal came in: the app or web, the 12345 hotline (an operator's fast entry), a window,
 * Open311; `system` for one the platform opened itself (a data discrepancy found in a submission).
 */
export const APPEAL_CHANNELS = ['web', 'hotline', 'window', 'open311', 'system'] as const
export type AppealChannel = (typeof APPEAL_CHANNELS)[number]

/**
 * An appeal's status:
 * - `dispatched`: routed to a department, waiting for it to accept (or return it as not its own);
 * - `accepted`: a handler of the department took it;
 * - `responded`: the handler answered the citizen (the first response);
 * - `resolved`: the handler says it is resolved; the citizen's satisfaction is asked;
 * - `closed`: the citizen was satisfied (or dissatisfied again after the one reopening), or the
 *   appeal needed no rating (a discrepancy corrected, praise passed on);
 * - `merged`: a duplicate merged into another appeal, which carries it on.
 */
export const APPEAL_STATUSES = [
  'dispatched',
  'accepted',
  'responded',
  'resolved',
  'closed',
  'merged',
] as const
export type AppealStatus = (typeof APPEAL_STATUSES)[number]

/** The citizen's satisfaction with a resolved appeal: 满意, 基本满意, 不满意. */
export const APPEAL_SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const
export type AppealSatisfaction = (typeof APPEAL_SATISFACTIONS)[number]

/**
 * What an appeal is about, as the chain rules match it (from its category, or from its case's facts);
 * `bad_review` is the concern of a rectification's chain (a 好差评 bad rating of a case).
 */
export const APPEAL_CONCERNS = [
  'delay',
  'wrongful_rejection',
  'window_conduct',
  'data_discrepancy',
  'bad_review',
  'other',
] as const
export type AppealConcern = (typeof APPEAL_CONCERNS)[number]

/**
 * Why an appeal's responsibility chain was (re)built: at filing; when the appeal was accepted, routed
 * again or reopened; under a new chain policy; after a contest; or because its case's facts changed
 * after filing (a step claimed, completed, past its limit: read from the ledger's event tail).
 */
export const CHAIN_CAUSES = [
  'filed',
  'accepted',
  'rerouted',
  'reopened',
  'policy',
  'contest',
  'case',
] as const
export type ChainCause = (typeof CHAIN_CAUSES)[number]

interface CategoryLabel {
  zh: string
  en: string
  /** The concern a chain rule sees for an appeal of this category. */
  concern?: AppealConcern
}

/**
 * Two-level appeal categories (`top/sub`), with their display names; a routing rule naming `top`
 * matches every `top/sub`. The `service` categories are about a case (办件) and carry a concern.
 */
export const APPEAL_CATEGORIES: Record<
  string,
  { zh: string; en: string; subs: Record<string, CategoryLabel> }
> = {
  service: {
    zh: '政务服务',
    en: 'Government services',
    subs: {
      delay: { zh: '办理超时', en: 'Handled too slowly', concern: 'delay' },
      rejection: { zh: '不当驳回或不予受理', en: 'Wrongly rejected', concern: 'wrongful_rejection' },
      window_conduct: { zh: '窗口服务态度', en: 'Conduct at the window', concern: 'window_conduct' },
      materials: { zh: '材料要求过多', en: 'Too many documents asked for' },
      other: { zh: '其他政务服务问题', en: 'Other service problems' },
    },
  },
  market: {
    zh: '市场监管',
    en: 'Market regulation',
    subs: {
      food_safety: { zh: '食品安全', en: 'Food safety' },
      pricing: { zh: '价格收费', en: 'Prices and charges' },
      consumer: { zh: '消费维权', en: 'Consumer rights' },
      licensing: { zh: '证照经营', en: 'Licences and trading' },
    },
  },
  tax: {
    zh: '税费',
    en: 'Taxes and fees',
    subs: {
      refund: { zh: '退税', en: 'Tax refunds' },
      invoice: { zh: '发票', en: 'Invoices' },
      other: { zh: '其他涉税问题', en: 'Other tax matters' },
    },
  },
  urban: {
    zh: '城市管理',
    en: 'Urban management',
    subs: {
      road: { zh: '道路破损', en: 'Damaged roads' },
      streetlight: { zh: '路灯照明', en: 'Street lights' },
      sanitation: { zh: '环境卫生', en: 'Sanitation' },
      illegal_construction: { zh: '违章建筑', en: 'Illegal construction' },
    },
  },
  environment: {
    zh: '生态环境',
    en: 'Environment',
    subs: {
      noise: { zh: '噪声扰民', en: 'Noise' },
      air: { zh: '大气污染', en: 'Air pollution' },
      water: { zh: '水污染', en: 'Water pollution' },
    },
  },
  social_security: {
    zh: '社保就业',
    en: 'Social security and jobs',
    subs: {
      pension: { zh: '养老保险', en: 'Pensions' },
      medical: { zh: '医疗保险', en: 'Medical insurance' },
      employment: { zh: '就业创业', en: 'Employment' },
    },
  },
  transport: {
    zh: '交通出行',
    en: 'Transport',
    subs: {
      bus: { zh: '公交线路', en: 'Bus routes' },
      traffic: { zh: '交通秩序', en: 'Traffic' },
    },
  },
  housing: {
    zh: '住房物业',
    en: 'Housing',
    subs: {
      property: { zh: '物业服务', en: 'Property management' },
      utilities: { zh: '供水供暖', en: 'Water and heating' },
    },
  },
  data: {
    zh: '数据差异',
    en: 'Data discrepancies',
    subs: {
      record: { zh: '档案信息与事实不符', en: 'A record contradicts the facts', concern: 'data_discrepancy' },
    },
  },
  other: { zh: '其他', en: 'Other', subs: { general: { zh: '其他诉求', en: 'Anything else' } } },
}

/** Every `top/sub` category code. */
export const APPEAL_CATEGORY_CODES: readonly string[] = Object.entries(APPEAL_CATEGORIES).flatMap(
  ([top, c]) => Object.keys(c.subs).map((sub) => `${top}/${sub}`),
)

/** The display name of a category code (`service/delay` → 政务服务 / 办理超时), or undefined. */
export function appealCategoryLabel(code: string, lang: 'zh' | 'en' = 'zh'): string | undefined {
  const [top, sub] = code.split('/')
  const t = top ? APPEAL_CATEGORIES[top] : undefined
  const s = t && sub ? t.subs[sub] : undefined
  return t && s ? `${t[lang]} / ${s[lang]}` : undefined
}

/**
 * The tags a citizen may give a 好差评 rating, with their display names: a fixed list, so the public
 * ledger can name them (the rating API takes only these codes). In the order the rating form shows
 * them, good ones first; `good` says on which side of the form a tag sits.
 */
export const RATING_TAGS = {
  fast: { zh: '办理快捷', en: 'Fast', good: true },
  friendly: { zh: '态度热情', en: 'Friendly', good: true },
  professional: { zh: '业务专业', en: 'Professional', good: true },
  no_trips: { zh: '不用跑腿', en: 'No trips needed', good: true },
  too_many_documents: { zh: '材料繁琐', en: 'Too many documents', good: false },
  long_wait: { zh: '等待过久', en: 'Long wait', good: false },
  rude: { zh: '态度不佳', en: 'Unfriendly', good: false },
  repeat_trips: { zh: '多次跑动', en: 'Several trips', good: false },
  unclear: { zh: '指引不清', en: 'Unclear guidance', good: false },
} as const satisfies Record<string, { zh: string; en: string; good: boolean }>
export type RatingTag = keyof typeof RATING_TAGS
/** Every rating tag code, in the form's order. */
export const RATING_TAG_CODES = Object.keys(RATING_TAGS) as RatingTag[]

/** Whether a code is one of the rating tags. */
export function isRatingTag(code: string): code is RatingTag {
  return Object.hasOwn(RATING_TAGS, code)
}

/** The display name of a rating tag (`long_wait` → 等待过久), or undefined for a code not in the list. */
export function ratingTagLabel(code: string, lang: 'zh' | 'en' = 'zh'): string | undefined {
  return isRatingTag(code) ? RATING_TAGS[code][lang] : undefined
}
