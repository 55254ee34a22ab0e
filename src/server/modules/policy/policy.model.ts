/**
 * Governance policies: the rules that route appeals, set their deadlines, escalate them, pick the
 * links of a responsibility chain and open rectifications are not code constants but typed, versioned
 * documents. The province publishes a version of a kind with the time it takes effect; every result a
 * rule computes records the policy id (`<kind>@<version>`) that produced it, so an old result keeps the
 * version it was computed with and a what-if can recompute under another.
 *
 * A kind is declared here with its JSON Schema; the owning module interprets its documents. Pure.
 * @module
 */
import { APPEAL_CONCERNS, APPEAL_KINDS, DEPARTMENT_KINDS, REGION_LEVELS } from '../../../shared/domain.js'
import { ASSESSMENT_DIMENSIONS, INDICATOR_CODES } from '../../../shared/assessment.js'

/** A published version of a policy kind. */
export interface PolicyVersion<B = unknown> {
  kind: PolicyKind
  /** 1, 2, …: each publication of a kind takes the next. */
  version: number
  /** Epoch ms from which it governs (a version published for later waits until then). */
  effectiveAt: number
  body: B
  /** base64 SHA-256 of the body's canonical JSON (RFC 8785): what the ledger proves. */
  digest: string
  note: string | null
  publishedBy: string
  publishedAt: number
  ledger: { log: string; index: number }
}

/** How a computed result names the policy that produced it. */
export function policyId(kind: string, version: number): string {
  return `${kind}@${version}`
}

/**
 * The version that governs at `at`: of those in effect by then, the latest published.
 * @param versions every version of one kind, in any order
 */
export function governingVersion<V extends { version: number; effectiveAt: number }>(
  versions: readonly V[],
  at: number,
): V | undefined {
  let best: V | undefined
  for (const v of versions) if (v.effectiveAt <= at && (!best || v.version > best.version)) best = v
  return best
}

// ---- the kinds ---------------------------------------------------------------------------------

const departmentTarget = {
  type: 'object',
  additionalProperties: false,
  required: ['departmentKind', 'level'],
  properties: {
    departmentKind: { enum: Object.keys(DEPARTMENT_KINDS) },
    level: { enum: [...REGION_LEVELS] },
    /**
     * For an appeal about a case: the department of the chain's first primary link (the one
     * responsible) when there is one; `departmentKind` at `level` otherwise.
     */
    preferResponsible: { type: 'boolean' },
  },
} as const

/** A non-empty set of appeal kinds a rule matches. */
const appealKinds = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { enum: [...APPEAL_KINDS] },
} as const

const ruleId = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' } as const
const title = { type: 'string', minLength: 1, maxLength: 200 } as const
/** A weight relative to its siblings (they are divided by their sum; all zero is refused by the service). */
const relativeWeight = { type: 'number', minimum: 0, maximum: 100 } as const
const workingDays = { type: 'integer', minimum: 1, maximum: 365 } as const
const deadlinePair = {
  type: 'object',
  additionalProperties: false,
  required: ['respondDays', 'resolveDays'],
  properties: { respondDays: workingDays, resolveDays: workingDays },
} as const

/** What a chain rule's primary link is. */
export const CHAIN_SELECTORS = [
  /** The official who held the step that breached its time limit (or the department's on-duty official when unclaimed). */
  'breaching_handler',
  /** Who rejected the case or the step. */
  'approver',
  /** The clerk who accepted the case at the window. */
  'window_clerk',
  /** The department that owns the contradicted record and the official who last changed it. */
  'record_owner',
  /** The department on duty for the category and place, and its assigned handler. */
  'on_duty_handler',
  /** Who decided the case's step in the handling department (a bad review's rectification). */
  'case_handler',
] as const

export const POLICY_KINDS = {
  'appeal.routing': {
    title: { zh: '诉求分派规则', en: 'Appeal routing' },
    description:
      'Ordered first-match rules over an appeal’s kind, category, region and keywords: the department kind and level it goes to; the fallback when none matches.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['rules', 'fallback'],
      properties: {
        rules: {
          type: 'array',
          maxItems: 500,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'to'],
            properties: {
              id: ruleId,
              title,
              when: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  kinds: appealKinds,
                  /** Category codes, `road` matching `road/pothole` too. */
                  categories: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 100,
                    items: { type: 'string', pattern: '^[a-z0-9_]+(/[a-z0-9_]+)?$' },
                  },
                  regionPrefix: { type: 'string', pattern: '^[0-9]{2,12}$' },
                  /** True: only appeals about a case; false: only appeals without one. */
                  withCase: { type: 'boolean' },
                  keywords: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 100,
                    items: { type: 'string', minLength: 1, maxLength: 50 },
                  },
                },
              },
              to: departmentTarget,
            },
          },
        },
        fallback: departmentTarget,
      },
    },
  },
  'appeal.deadlines': {
    title: { zh: '诉求办理时限', en: 'Appeal deadlines' },
    description: 'Working days to respond and to resolve, by kind of appeal, with a default.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['default'],
      properties: {
        default: deadlinePair,
        byKind: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(APPEAL_KINDS.map((k) => [k, deadlinePair])),
        },
      },
    },
  },
  'appeal.escalation': {
    title: { zh: '超期督办阶梯', en: 'Escalation ladder' },
    description:
      'Who a missed deadline goes to, in order, and how many working days after the deadline each step comes.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['ladder'],
      properties: {
        ladder: {
          type: 'array',
          minItems: 1,
          maxItems: 10,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['to', 'afterWorkingDays'],
            properties: {
              to: { enum: ['supervisor', 'leader'] },
              afterWorkingDays: { type: 'integer', minimum: 0, maximum: 60 },
            },
          },
        },
      },
    },
  },
  'responsibility.chain': {
    title: { zh: '责任链规则', en: 'Responsibility chain rules' },
    description:
      'Ordered first-match rules over an appeal’s kind and concern: who the primary links are, and which of their superiors become secondary links.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['rules'],
      properties: {
        rules: {
          type: 'array',
          minItems: 1,
          maxItems: 100,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'primary'],
            properties: {
              id: ruleId,
              title,
              when: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  kinds: appealKinds,
                  concerns: {
                    type: 'array',
                    minItems: 1,
                    uniqueItems: true,
                    items: { enum: [...APPEAL_CONCERNS] },
                  },
                },
              },
              primary: { enum: [...CHAIN_SELECTORS] },
              secondary: {
                type: 'array',
                uniqueItems: true,
                maxItems: 2,
                items: { enum: ['supervisor', 'leader'] },
              },
            },
          },
        },
      },
    },
  },
  'rating.rectification': {
    title: { zh: '差评整改规则', en: 'Bad-review rectification' },
    description:
      'Which scores count as a bad review (好差评: the two lowest of five by default) and how many working days the handling unit has to call back and rectify.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['badScoreMax', 'deadlineWorkingDays'],
      properties: {
        badScoreMax: { type: 'integer', minimum: 1, maximum: 4 },
        deadlineWorkingDays: { type: 'integer', minimum: 1, maximum: 60 },
      },
    },
  },
  'assessment.formula': {
    title: { zh: '考核指标与权重', en: 'Assessment formula' },
    description:
      'Which indicators count, how each is scaled to 0–100 (its worst and best values), their relative weights within their dimension, the dimensions’ relative weights in the total, and the smallest sample that is ranked.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['dimensions', 'indicators', 'minSample'],
      properties: {
        dimensions: {
          type: 'object',
          additionalProperties: false,
          required: Object.keys(ASSESSMENT_DIMENSIONS),
          properties: Object.fromEntries(Object.keys(ASSESSMENT_DIMENSIONS).map((d) => [d, relativeWeight])),
        },
        indicators: {
          type: 'array',
          minItems: 1,
          maxItems: INDICATOR_CODES.length,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'weight', 'worst', 'best'],
            properties: {
              code: { enum: INDICATOR_CODES },
              weight: relativeWeight,
              /** The value scoring 0 (at or beyond it) and the value scoring 100. */
              worst: { type: 'number', minimum: 0, maximum: 100_000 },
              best: { type: 'number', minimum: 0, maximum: 100_000 },
            },
          },
        },
        /** Facts below which a subject's indicator is marked a small sample and not ranked. */
        minSample: { type: 'integer', minimum: 1, maximum: 10_000 },
      },
    },
  },
  'assessment.promotion': {
    title: { zh: '干部选拔任用指数权重', en: 'Promotion index weights' },
    description:
      'The promotion index of an official: the reform score, the organisation department’s evaluation and citizen satisfaction, each scaled to 0–100, weighted relative to each other; below the smallest sample an official is not ranked.',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['weights', 'minSample'],
      properties: {
        weights: {
          type: 'object',
          additionalProperties: false,
          required: ['reform', 'organisation', 'satisfaction'],
          properties: { reform: relativeWeight, organisation: relativeWeight, satisfaction: relativeWeight },
        },
        minSample: { type: 'integer', minimum: 1, maximum: 10_000 },
      },
    },
  },
} as const

export type PolicyKind = keyof typeof POLICY_KINDS
export const POLICY_KIND_NAMES = Object.keys(POLICY_KINDS) as PolicyKind[]

export function isPolicyKind(kind: string): kind is PolicyKind {
  return Object.hasOwn(POLICY_KINDS, kind)
}
