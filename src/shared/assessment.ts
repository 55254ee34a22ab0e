/**
 * Assessment by data and by the public (群众体验制 + 流程追溯制 + 数据一致性评分): the indicators the
 * platform computes from facts (never typed in), their dimensions, and the levels they are computed for.
 * The server computes them (the assessment module) and the web shows them, both by these codes and
 * names; the assessment policy (`assessment.formula`) weighs and scales them.
 * @module
 */

/** Who a scorecard is about. */
export const ASSESSMENT_LEVELS = ['official', 'department', 'region'] as const
export type AssessmentLevel = (typeof ASSESSMENT_LEVELS)[number]

export const ASSESSMENT_LEVEL_NAMES: Record<AssessmentLevel, { zh: string; en: string }> = {
  official: { zh: '干部', en: 'Official' },
  department: { zh: '部门', en: 'Department' },
  region: { zh: '地区', en: 'Region' },
}

/** The three dimensions of the seed's assessment. */
export const ASSESSMENT_DIMENSIONS = {
  experience: { zh: '群众体验', en: 'Citizen experience' },
  traceability: { zh: '流程追溯', en: 'Process traceability' },
  consistency: { zh: '数据一致性', en: 'Data consistency' },
} as const
export type AssessmentDimension = keyof typeof ASSESSMENT_DIMENSIONS

/**
 * How an indicator's value reads: `rate` a share 0–1 of counted facts, `score` an average of 1–5
 * scores, `per_1k` a count per 1,000 records owned, `days` an average duration in days.
 */
export type IndicatorUnit = 'rate' | 'score' | 'per_1k' | 'days'

export interface IndicatorDeclaration {
  zh: string
  en: string
  dimension: AssessmentDimension
  unit: IndicatorUnit
  /** True when a higher value is better (a satisfaction rate); false when lower is (a bad-review rate). */
  higherIsBetter: boolean
  /** What is counted, in plain words (shown with the number). */
  definition: { zh: string; en: string }
}

/** Every indicator, by code. */
export const INDICATORS = {
  rating_avg: {
    zh: '好差评平均分',
    en: 'Average rating',
    dimension: 'experience',
    unit: 'score',
    higherIsBetter: true,
    definition: {
      zh: '期内办结办件的好差评分数（1–5）平均值，不含申诉成立的不实评价',
      en: 'Mean 1–5 rating of cases rated in the period, false reviews found on contest left out',
    },
  },
  bad_review_rate: {
    zh: '差评率',
    en: 'Bad-review rate',
    dimension: 'experience',
    unit: 'rate',
    higherIsBetter: false,
    definition: {
      zh: '差评（按整改规则的分数线）占期内评价的比例',
      en: 'Share of the period’s ratings at or below the rectification policy’s bad score',
    },
  },
  appeal_satisfaction: {
    zh: '诉求满意度',
    en: 'Appeal satisfaction',
    dimension: 'experience',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内评价的诉求中“满意”和“基本满意”的比例',
      en: 'Share of appeals rated in the period as satisfied or fairly satisfied',
    },
  },
  rectification_on_time: {
    zh: '差评整改按时率',
    en: 'Rectifications on time',
    dimension: 'experience',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内到期的差评整改中按期完成整改的比例',
      en: 'Share of rectifications due in the period that were rectified by their deadline',
    },
  },
  step_on_time: {
    zh: '环节按时办结率',
    en: 'Steps on time',
    dimension: 'traceability',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内完成的办理环节中未超过时限的比例',
      en: 'Share of steps completed in the period within their time limit',
    },
  },
  ledger_complete: {
    zh: '账本留痕完整率',
    en: 'Complete ledger trail',
    dimension: 'traceability',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内完成的办理环节中，其办结记录确在本办件账本中、且记载的正是该办件该环节的比例',
      en: 'Share of steps completed in the period whose completion entry is in the case’s ledger and names that case and step',
    },
  },
  supplement_rate: {
    zh: '补正率',
    en: 'Supplement rate',
    dimension: 'traceability',
    unit: 'rate',
    higherIsBetter: false,
    definition: {
      zh: '期内办结的办件中曾要求申请人补正材料的比例',
      en: 'Share of cases finished in the period that asked the applicant for supplements',
    },
  },
  rework_rate: {
    zh: '返工率',
    en: 'Rework rate',
    dimension: 'traceability',
    unit: 'rate',
    higherIsBetter: false,
    definition: {
      zh: '期内完成的办理环节中，之后同一办件同一环节再次开启（补正、退回后重办）的比例',
      en: 'Share of steps completed in the period whose step the same case opened again afterwards (after a supplement or a return)',
    },
  },
  appeal_return_rate: {
    zh: '诉求退回率',
    en: 'Appeals returned',
    dimension: 'traceability',
    unit: 'rate',
    higherIsBetter: false,
    definition: {
      zh: '期内派来的诉求中以“非本单位职责”退回的比例（退回不计责任，只计流转）',
      en: 'Share of appeals sent in the period that were returned as not ours (a return blames nobody)',
    },
  },
  unjustified_access: {
    zh: '不当数据访问',
    en: 'Unjustified data accesses',
    dimension: 'traceability',
    unit: 'rate',
    higherIsBetter: false,
    definition: {
      zh: '期内核查完毕的数据访问预警中被认定为不当访问的比例',
      en: 'Share of flagged data accesses reviewed in the period that were judged unjustified',
    },
  },
  discrepancies_per_1k: {
    zh: '每千条记录数据差异',
    en: 'Discrepancies per 1,000 records',
    dimension: 'consistency',
    unit: 'per_1k',
    higherIsBetter: false,
    definition: {
      zh: '期内提交的办件与本单位所持记录不一致的记录数（每件每类记录计一次），按每千条所持记录计',
      en: 'Records the unit holds that a submission in the period contradicted (once per case and source), per 1,000 records it holds',
    },
  },
  correction_days: {
    zh: '差异纠正用时',
    en: 'Days to correct',
    dimension: 'consistency',
    unit: 'days',
    higherIsBetter: false,
    definition: {
      zh: '期内办结的数据差异诉求从发现（办件提交）到办结的平均自然日数',
      en: 'Mean calendar days from detection (the submission) to closing of discrepancy appeals closed in the period',
    },
  },
  appeal_response_rate: {
    zh: '诉求响应率',
    en: 'Response rate',
    dimension: 'experience',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内派来的诉求中在响应时限内作出首次答复的比例（接诉即办“三率”之一）',
      en: 'Share of appeals sent in the period answered within the response deadline (one of the three rates)',
    },
  },
  appeal_resolution_rate: {
    zh: '诉求解决率',
    en: 'Resolution rate',
    dimension: 'experience',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内办结的诉求中群众评价为已解决（未因不满意重新办理）的比例（“三率”之一）',
      en: 'Share of appeals closed in the period that the citizen did not reopen as unresolved (one of the three rates)',
    },
  },
  appeal_satisfaction_rate: {
    zh: '诉求满意率',
    en: 'Satisfaction rate',
    dimension: 'experience',
    unit: 'rate',
    higherIsBetter: true,
    definition: {
      zh: '期内评价的诉求中“满意”的比例（“三率”之一）',
      en: 'Share of appeals rated in the period as satisfied (one of the three rates)',
    },
  },
  reform_score: {
    zh: '改革评分',
    en: 'Reform score',
    dimension: 'experience',
    unit: 'score',
    higherIsBetter: true,
    definition: {
      zh: '群众对本单位发布的流程版本给出的改革评分（1–5）平均值',
      en: 'Mean 1–5 reform score citizens gave the process versions the unit published',
    },
  },
} as const satisfies Record<string, IndicatorDeclaration>

export type IndicatorCode = keyof typeof INDICATORS
export const INDICATOR_CODES = Object.keys(INDICATORS) as IndicatorCode[]

/** An assessment period: a month `2026-11`, a quarter `2026-Q4` or a year `2026`. */
export const PERIOD_PATTERN = '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'

/** The promotion index's three parts (reform score + organisation evaluation + citizen satisfaction). */
export const PROMOTION_PARTS = {
  reform: { zh: '改革评分', en: 'Reform score' },
  organisation: { zh: '组织评价', en: 'Organisation evaluation' },
  satisfaction: { zh: '群众满意度', en: 'Citizen satisfaction' },
} as const
export type PromotionPart = keyof typeof PROMOTION_PARTS
