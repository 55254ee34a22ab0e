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

// ---- types, overrides ---------------------------------------------------------------------------

/** The short type of each kind (what `GET /api/policies` calls `type`; also accepted in URLs). */
export const POLICY_TYPES = {
  'appeal.routing': 'routing',
  'appeal.deadlines': 'time_limits',
  'appeal.escalation': 'escalation',
  'responsibility.chain': 'responsibility',
  'rating.rectification': 'rectification',
  'assessment.formula': 'assessment',
  'assessment.promotion': 'promotion',
} as const satisfies Record<PolicyKind, string>
export type PolicyType = (typeof POLICY_TYPES)[PolicyKind]

/** The kind a kind name or a short type names, or undefined. */
export function kindNamed(name: string): PolicyKind | undefined {
  if (isPolicyKind(name)) return name
  return POLICY_KIND_NAMES.find((k) => POLICY_TYPES[k] === name)
}

/** The levels below the province that may override a field. */
export const OVERRIDE_LEVELS = ['city', 'county', 'street'] as const
export type OverrideLevel = (typeof OVERRIDE_LEVELS)[number]

/**
 * A field a lower level may override, and within which bound of the value it inherits: `max` (the
 * override may not exceed it: a county may shorten a time limit, not lengthen it), `min` (may not go
 * below), `any`. `path` is a JSON pointer into the document, `*` standing for any one key or index.
 */
export interface OverrideRule {
  path: string
  levels: readonly OverrideLevel[]
  bound: 'max' | 'min' | 'any'
  title: { zh: string; en: string }
}

/**
 * Which fields of each kind lower levels may override. The province's one set of algorithms stays one
 * set: routing, chain rules, the assessment formula and the promotion weights are not overridden; time
 * limits may only be shortened, escalation only brought forward.
 */
export const OVERRIDE_RULES: Readonly<Record<PolicyKind, readonly OverrideRule[]>> = {
  'appeal.routing': [],
  'appeal.deadlines': [
    {
      path: '/default/respondDays',
      levels: OVERRIDE_LEVELS,
      bound: 'max',
      title: { zh: '默认响应时限（工作日）', en: 'Default response time (working days)' },
    },
    {
      path: '/default/resolveDays',
      levels: OVERRIDE_LEVELS,
      bound: 'max',
      title: { zh: '默认办结时限（工作日）', en: 'Default resolution time (working days)' },
    },
    {
      path: '/byKind/*/respondDays',
      levels: OVERRIDE_LEVELS,
      bound: 'max',
      title: { zh: '按诉求类型的响应时限（工作日）', en: 'Response time by kind (working days)' },
    },
    {
      path: '/byKind/*/resolveDays',
      levels: OVERRIDE_LEVELS,
      bound: 'max',
      title: { zh: '按诉求类型的办结时限（工作日）', en: 'Resolution time by kind (working days)' },
    },
  ],
  'appeal.escalation': [
    {
      path: '/ladder/*/afterWorkingDays',
      levels: ['city', 'county'],
      bound: 'max',
      title: { zh: '超期后升级的工作日数', en: 'Working days after the deadline before escalating' },
    },
  ],
  'responsibility.chain': [],
  'rating.rectification': [
    {
      path: '/deadlineWorkingDays',
      levels: ['city', 'county'],
      bound: 'max',
      title: { zh: '差评整改期限（工作日）', en: 'Rectification deadline (working days)' },
    },
  ],
  'assessment.formula': [],
  'assessment.promotion': [],
}

/** An override of some fields of a kind for a region and below. */
export interface PolicyOverride {
  id: string
  kind: PolicyKind
  regionCode: string
  level: OverrideLevel
  /** The region's 1st, 2nd, … override of this kind: what result ids name (`kind@3+430102.1`). */
  seq: number
  values: { path: string; value: unknown }[]
  effectiveAt: number
  note: string | null
  publishedBy: string
  publishedAt: number
  retiredAt: number | null
  retiredBy: string | null
  ledger: { log: string; index: number }
}

const segments = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))

/** The rule of a kind that allows overriding this concrete path, if any. */
export function ruleFor(kind: PolicyKind, path: string): OverrideRule | undefined {
  const concrete = segments(path)
  return OVERRIDE_RULES[kind].find((r) => {
    const pattern = segments(r.path)
    return pattern.length === concrete.length && pattern.every((p, i) => p === '*' || p === concrete[i])
  })
}

/** The value at a JSON pointer, or undefined when the path does not resolve. */
export function valueAt(doc: unknown, path: string): unknown {
  let v: unknown = doc
  for (const s of segments(path)) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, s)) return undefined
    v = (v as Record<string, unknown>)[s]
  }
  return v
}

/** A copy of `doc` with the value at `path` (which resolves) replaced. */
function withValue(doc: unknown, path: string, value: unknown): unknown {
  const [head, ...rest] = segments(path)
  if (head === undefined) return value
  const tail = rest.length ? '/' + rest.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/') : ''
  if (Array.isArray(doc)) {
    const copy: unknown[] = [...(doc as unknown[])]
    copy[Number(head)] = withValue(copy[Number(head)], tail, value)
    return copy
  }
  const obj = doc as Record<string, unknown>
  return { ...obj, [head]: withValue(obj[head], tail, value) }
}

/** Why an override value is refused (empty: it may be published). */
export function overrideProblems(
  kind: PolicyKind,
  level: OverrideLevel,
  parent: unknown,
  values: readonly { path: string; value: unknown }[],
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = []
  const seen = new Set<string>()
  values.forEach(({ path, value }, i) => {
    const at = `/body/values/${i}`
    const rule = ruleFor(kind, path)
    const inherited = valueAt(parent, path)
    if (seen.has(path)) problems.push({ path: `${at}/path`, message: `${path} is overridden twice` })
    seen.add(path)
    if (!rule)
      problems.push({ path: `${at}/path`, message: `${path} may not be overridden below the province` })
    else if (!rule.levels.includes(level))
      problems.push({ path: `${at}/path`, message: `a ${level} may not override ${path}` })
    else if (inherited === undefined)
      problems.push({ path: `${at}/path`, message: `${path} is not in the policy this region inherits` })
    else if (typeof value !== typeof inherited)
      problems.push({
        path: `${at}/value`,
        message: `must be a ${typeof inherited}, as the inherited value is`,
      })
    else if (rule.bound === 'max' && (value as number) > (inherited as number))
      problems.push({
        path: `${at}/value`,
        message: `may not exceed the inherited ${inherited as number} (it may only be lowered)`,
      })
    else if (rule.bound === 'min' && (value as number) < (inherited as number))
      problems.push({
        path: `${at}/value`,
        message: `may not be below the inherited ${inherited as number} (it may only be raised)`,
      })
  })
  return problems
}

/**
 * Applies the overrides in force along a region's chain (province first, then city, county, street),
 * each value only while it keeps its bound against what it inherits now: a county that shortened a
 * time limit to 4 days does not lengthen it when the province later sets 3.
 * @param chain the overrides in force, outermost region first
 * @returns the document and the overrides that changed it
 */
export function applyOverrides(
  kind: PolicyKind,
  document: unknown,
  chain: readonly PolicyOverride[],
): { document: unknown; applied: PolicyOverride[] } {
  let doc = document
  const applied: PolicyOverride[] = []
  for (const o of chain) {
    let changed = false
    for (const { path, value } of o.values) {
      if (overrideProblems(kind, o.level, doc, [{ path, value }]).length > 0) continue
      if (valueAt(doc, path) === value) continue
      doc = withValue(doc, path, value)
      changed = true
    }
    if (changed) applied.push(o)
  }
  return { document: doc, applied }
}

/** The id a result records: `kind@version`, then `+<region>.<seq>` for each override applied. */
export function effectivePolicyId(kind: string, version: number, applied: readonly PolicyOverride[]): string {
  return policyId(kind, version) + applied.map((o) => `+${o.regionCode}.${o.seq}`).join('')
}

/** The parts of a result's policy id. @returns undefined when it is not one */
export function parsePolicyId(
  id: string,
): { kind: string; version: number; overrides: { regionCode: string; seq: number }[] } | undefined {
  const m = /^([a-z][a-z0-9_.]*)@([1-9][0-9]*)((?:\+[0-9]{2,12}\.[1-9][0-9]*)*)$/.exec(id)
  if (!m) return undefined
  const overrides = [...(m[3] ?? '').matchAll(/\+([0-9]{2,12})\.([1-9][0-9]*)/g)].map((o) => ({
    regionCode: o[1] as string,
    seq: Number(o[2]),
  }))
  return { kind: m[1] as string, version: Number(m[2]), overrides }
}

/** The level of a region code below the province (GB/T 2260: 4 city, 6 county, 9 street digits). */
export function overrideLevelOf(regionCode: string): OverrideLevel | undefined {
  return regionCode.length === 4
    ? 'city'
    : regionCode.length === 6
      ? 'county'
      : regionCode.length === 9
        ? 'street'
        : undefined
}
