/**
 * Appeals (诉求) over HTTP: filing, reading (an appeal with its timeline and escalations, lists,
 * the responsibility chain), handling (accept, return, respond, resolve, merge), the citizen's
 * satisfaction, and contests of chain links.
 * @module
 */
import type { FastifyInstance } from 'fastify'
import { principalOf } from '../../http/auth.js'
import { errorResponses, idSchema, regionCodeSchema } from '../../http/schemas.js'
import {
  APPEAL_CATEGORY_CODES,
  APPEAL_CHANNELS,
  APPEAL_CONCERNS,
  APPEAL_KINDS,
  APPEAL_SATISFACTIONS,
  APPEAL_STATUSES,
  CHAIN_CAUSES,
  type AppealKind,
  type AppealSatisfaction,
  type AppealStatus,
} from '../../../shared/domain.js'
import { factContestSchema } from '../assessment/fact-contests.routes.js'
import type { AppealHandlingService } from './appeal-handling.service.js'
import type { AppealListQuery, AppealViewService } from './appeal-views.service.js'
import { MAX_REASON_LENGTH, MAX_REPLY_LENGTH, MAX_TEXT_LENGTH } from './appeals.model.js'
import type { AppealService, FileInput } from './appeals.service.js'
import type { ChainService } from './chains.service.js'

const ledgerRef = {
  type: 'object',
  required: ['log', 'index'],
  properties: { log: { type: 'string' }, index: { type: 'integer' } },
} as const
const named = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const
const nullableNumber = { type: ['integer', 'null'] } as const
const nullableString = { type: ['string', 'null'] } as const

const summaryProperties = {
  id: { type: 'string' },
  kind: { enum: [...APPEAL_KINDS] },
  category: { type: 'string', description: 'two-level category code, `top/sub`' },
  channel: { enum: [...APPEAL_CHANNELS] },
  text: { type: 'string' },
  location: {
    type: ['object', 'null'],
    required: ['lat', 'lng'],
    properties: { lat: { type: 'number' }, lng: { type: 'number' } },
  },
  regionCode: { type: 'string' },
  regionName: { type: 'string' },
  caseId: nullableString,
  citizenId: nullableString,
  status: { enum: [...APPEAL_STATUSES] },
  department: named,
  handler: { ...named, type: ['object', 'null'] },
  round: { type: 'integer' },
  respondDueAt: { type: 'integer' },
  resolveDueAt: { type: 'integer' },
  dueAt: {
    type: 'integer',
    description: 'epoch ms: the resolution deadline (working days, by the deadline policy)',
  },
  respondedAt: nullableNumber,
  resolvedAt: nullableNumber,
  closedAt: nullableNumber,
  response: nullableString,
  resolution: nullableString,
  satisfaction: { type: ['string', 'null'], enum: [...APPEAL_SATISFACTIONS, null] },
  reopened: { type: 'boolean' },
  mergedInto: nullableString,
  concern: { enum: [...APPEAL_CONCERNS] },
  routing: {
    type: 'object',
    required: ['rule', 'policy'],
    properties: {
      rule: { type: 'string' },
      policy: { type: 'string', description: 'appeal.routing@<version>' },
    },
  },
  deadlinePolicy: { type: 'string' },
  escalationPolicy: { type: 'string' },
  createdAt: { type: 'integer' },
  actions: { type: 'array', items: { enum: ['accept', 'return', 'respond', 'resolve', 'rate', 'merge'] } },
} as const

const summarySchema = {
  type: 'object',
  required: Object.keys(summaryProperties),
  properties: summaryProperties,
} as const

const appealSchema = {
  type: 'object',
  required: [
    ...Object.keys(summaryProperties),
    'timeline',
    'escalations',
    'duplicates',
    'attachments',
    'contact',
  ],
  properties: {
    ...summaryProperties,
    contact: {
      type: ['object', 'null'],
      properties: { name: { type: 'string' }, phone: { type: 'string' } },
    },
    attachments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          ref: { type: 'string' },
          sha256: { type: 'string' },
          size: { type: 'integer' },
          mediaType: { type: 'string' },
          filename: { type: 'string' },
        },
      },
    },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'at', 'actor', 'data', 'department', 'fromDepartment', 'ledger'],
        properties: {
          type: { type: 'string' },
          at: { type: 'integer' },
          actor: named,
          data: { type: 'object', additionalProperties: true },
          department: {
            ...named,
            type: ['object', 'null'],
            description:
              'the department the step sent the appeal to (`data.department`: filed, returned), named; null when it names none the platform knows',
          },
          fromDepartment: {
            ...named,
            type: ['object', 'null'],
            description: 'a return: the department that gave the appeal back (`data.from`), named',
          },
          ledger: ledgerRef,
        },
      },
    },
    escalations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['stage', 'step', 'level', 'to', 'at', 'policy', 'ledger'],
        properties: {
          stage: { enum: ['respond', 'resolve', 'satisfaction'] },
          step: { type: 'integer' },
          level: { enum: ['supervisor', 'leader'] },
          to: { type: 'array', items: named },
          at: { type: 'integer' },
          policy: { type: 'string' },
          ledger: ledgerRef,
        },
      },
    },
    duplicates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'distance', 'createdAt', 'status'],
        properties: {
          id: { type: 'string' },
          distance: { type: ['integer', 'null'], description: 'metres between the pins, null without pins' },
          createdAt: { type: 'integer' },
          status: { enum: [...APPEAL_STATUSES] },
        },
      },
    },
  },
} as const

/** What a fact contest adds in the queue (`subject: 'fact'`). */
const pickFactFields = Object.fromEntries(
  (['period', 'indicator', 'ref', 'key', 'factAt', 'factLedger', 'staffName', 'decisionLedger'] as const).map(
    (k) => [k, factContestSchema.properties[k]],
  ),
)

const contestSchema = {
  type: ['object', 'null'],
  required: ['id', 'status', 'reason', 'decision', 'decidedBy', 'ledger', 'decisionLedger'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['pending', 'upheld', 'rejected'] },
    reason: { type: 'string' },
    decision: nullableString,
    decidedBy: nullableString,
    ledger: ledgerRef,
    decisionLedger: { ...ledgerRef, type: ['object', 'null'] },
  },
} as const

const chainSchema = {
  type: 'object',
  required: ['appealId', 'revision', 'policyVersion', 'rule', 'cause', 'builtAt', 'ledger', 'links', 'trace'],
  properties: {
    appealId: { type: 'string' },
    revision: { type: 'integer' },
    policyVersion: { type: 'string', description: 'responsibility.chain@<version>: the rules that built it' },
    rule: nullableString,
    cause: {
      type: 'string',
      enum: CHAIN_CAUSES,
      description:
        'why this revision was built: filed, accepted, rerouted, reopened, policy (a new chain policy), contest, case (its case moved on after filing)',
    },
    builtAt: { type: 'integer' },
    ledger: ledgerRef,
    links: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'staffId',
          'name',
          'role',
          'department',
          'departmentId',
          'primary',
          'rule',
          'function',
          'reason',
          'explain',
          'evidence',
          'contest',
          'excluded',
        ],
        properties: {
          staffId: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string', description: 'the person’s post' },
          department: { type: 'string', description: 'the department’s name' },
          departmentId: { type: 'string' },
          primary: { type: 'boolean' },
          rule: { type: 'string' },
          function: { type: 'string' },
          reason: { type: 'string' },
          explain: {
            type: 'object',
            required: ['code', 'params'],
            properties: {
              code: { type: 'string' },
              params: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
            },
          },
          evidence: { type: 'array', items: ledgerRef },
          contest: contestSchema,
          excluded: { type: 'boolean' },
        },
      },
    },
    trace: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'outcome'],
        properties: {
          rule: { type: 'string' },
          outcome: { enum: ['not_applicable', 'nobody_found', 'selected'] },
        },
      },
    },
  },
} as const

const params = { type: 'object', required: ['id'], properties: { id: idSchema } } as const
const reasonBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: { reason: { type: 'string', minLength: 1, maxLength: MAX_REASON_LENGTH } },
} as const
const textBody = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1, maxLength: MAX_REPLY_LENGTH } },
} as const

export function registerAppealRoutes(
  server: FastifyInstance,
  appeals: AppealService,
  views: AppealViewService,
  handling: AppealHandlingService,
  chains: ChainService,
): void {
  const tags = ['appeals']
  server.post<{ Body: FileInput }>(
    '/api/appeals',
    {
      schema: {
        tags,
        summary:
          'File an appeal (诉求): routed by the appeal.routing policy to a department, with deadlines by appeal.deadlines, ' +
          'its responsibility chain built at once. A citizen files their own (channel web); a hotline operator or window ' +
          'clerk files for a caller (channel hotline or window, with citizenId or contact)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: {
            kind: { enum: [...APPEAL_KINDS] },
            category: { enum: [...APPEAL_CATEGORY_CODES], description: 'required unless caseId is given' },
            text: {
              type: 'string',
              maxLength: MAX_TEXT_LENGTH,
              description: 'required unless caseId is given',
            },
            location: {
              type: 'object',
              additionalProperties: false,
              required: ['lat', 'lng'],
              properties: {
                lat: { type: 'number', minimum: -90, maximum: 90 },
                lng: { type: 'number', minimum: -180, maximum: 180 },
              },
            },
            regionCode: regionCodeSchema,
            caseId: idSchema,
            channel: { enum: ['web', 'hotline', 'window'] },
            citizenId: idSchema,
            contact: {
              type: 'object',
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1, maxLength: 50 },
                phone: { type: 'string', pattern: '^[0-9+\\- ]{3,20}$' },
              },
            },
            attachments: { type: 'array', maxItems: 10, uniqueItems: true, items: idSchema },
          },
        },
        response: { 201: appealSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.code(201).send(await appeals.file(principalOf(req), req.body)),
  )
  server.get<{
    Querystring: {
      caseId?: string
      status?: AppealStatus[]
      kind?: AppealKind
      scope?: AppealListQuery['scope']
      limit?: number
      offset?: number
    }
  }>(
    '/api/appeals',
    {
      schema: {
        tags,
        summary:
          'Appeals the caller may see, total in x-total-count: a citizen’s own; staff by scope (department: the inbox, ' +
          'by deadline; region: an overseer’s subtree; filed: those they took); with caseId, that case’s appeals',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            caseId: idSchema,
            status: {
              type: 'array',
              items: { enum: [...APPEAL_STATUSES] },
              maxItems: APPEAL_STATUSES.length,
            },
            kind: { enum: [...APPEAL_KINDS] },
            scope: { enum: ['department', 'region', 'filed'] },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
          },
        },
        response: { 200: { type: 'array', items: summarySchema }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { items, total } = await views.list(principalOf(req), req.query)
      return reply.header('x-total-count', String(total)).send(items)
    },
  )
  server.get<{ Params: { id: string } }>(
    '/api/appeals/:id',
    {
      schema: {
        tags,
        summary:
          'An appeal with its timeline (each step with its ledger entry), escalations, duplicates and the caller’s actions',
        params,
        response: { 200: appealSchema, ...errorResponses },
      },
    },
    (req) => views.get(principalOf(req), req.params.id),
  )
  server.get<{ Params: { id: string } }>(
    '/api/appeals/:id/responsibility',
    {
      schema: {
        tags,
        summary:
          'The responsibility chain (责任链): each link names the person, their post and department, the rule that ' +
          'selected them and why, and the ledger entries {log, index} proving it; with the policy version that built it',
        params,
        response: { 200: chainSchema, ...errorResponses },
      },
    },
    (req) => views.responsibility(principalOf(req), req.params.id),
  )

  const action = <B>(
    path: string,
    summary: string,
    body: object | undefined,
    run: (principal: ReturnType<typeof principalOf>, id: string, body: B) => Promise<unknown>,
  ): void => {
    server.post<{ Params: { id: string }; Body: B }>(
      `/api/appeals/:id/${path}`,
      {
        schema: {
          tags,
          summary,
          params,
          ...(body ? { body } : {}),
          response: { 200: appealSchema, ...errorResponses },
        },
      },
      (req) => run(principalOf(req), req.params.id, req.body as B),
    )
  }
  action('accept', 'The department takes the appeal; the caller becomes its handler', undefined, (p, id) =>
    handling.accept(p, id),
  )
  action(
    'return',
    'Return the appeal as not the department’s own, with a reason: it is routed again (counts against nobody, ledgered)',
    reasonBody,
    (p, id, body: { reason: string }) => handling.return(p, id, body),
  )
  action('respond', 'The first answer to the citizen', textBody, (p, id, body: { text: string }) =>
    handling.respond(p, id, body),
  )
  action(
    'resolve',
    'Resolve the appeal; the citizen is then asked how satisfied they are',
    textBody,
    (p, id, body: { text: string }) => handling.resolve(p, id, body),
  )
  action(
    'rating',
    'The citizen’s satisfaction (满意 satisfied, 基本满意 basically_satisfied, 不满意 dissatisfied); dissatisfied reopens once and escalates',
    {
      type: 'object',
      additionalProperties: false,
      required: ['satisfaction'],
      properties: {
        satisfaction: { enum: [...APPEAL_SATISFACTIONS] },
        comment: { type: 'string', maxLength: MAX_REASON_LENGTH },
      },
    },
    (p, id, body: { satisfaction: AppealSatisfaction; comment?: string }) => handling.rate(p, id, body),
  )
  action(
    'merge',
    'Merge this duplicate into another open appeal of the same category',
    { type: 'object', additionalProperties: false, required: ['into'], properties: { into: idSchema } },
    (p, id, body: { into: string }) => handling.merge(p, id, body),
  )

  server.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/appeals/:id/responsibility/contest',
    {
      schema: {
        tags,
        summary:
          'An official named in the chain contests their own link, with a reason; a superior in their department decides',
        params,
        body: reasonBody,
        response: { 200: chainSchema, ...errorResponses },
      },
    },
    (req) => chains.contest(principalOf(req), req.params.id, req.body.reason),
  )
  server.get<{ Querystring: { status?: 'pending' | 'upheld' | 'rejected' } }>(
    '/api/chain-contests',
    {
      schema: {
        tags,
        summary:
          'Contests of chain links (subject chain) and of scorecard facts (subject fact, filed with POST ' +
          '/api/assessment/fact-contests): those a superior may decide in their department, and the caller’s own; pending first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { enum: ['pending', 'upheld', 'rejected'] } },
        },
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'subject',
                'id',
                'staffId',
                'departmentId',
                'reason',
                'status',
                'createdAt',
                'ledger',
              ],
              properties: {
                subject: {
                  type: 'string',
                  enum: ['chain', 'fact'],
                  description:
                    'chain: a link of an appeal’s chain (appealId, revision); fact: a scorecard fact',
                },
                id: { type: 'string' },
                appealId: { type: 'string' },
                revision: { type: 'integer' },
                staffId: { type: 'string' },
                departmentId: { type: 'string' },
                reason: { type: 'string' },
                status: { type: 'string' },
                decidedBy: nullableString,
                decision: nullableString,
                createdAt: { type: 'integer' },
                decidedAt: nullableNumber,
                ledger: ledgerRef,
                ...pickFactFields,
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    (req) => chains.contests(principalOf(req), req.query.status),
  )
  server.post<{ Params: { id: string }; Body: { upheld: boolean; reason: string } }>(
    '/api/chain-contests/:id/decision',
    {
      schema: {
        tags,
        summary:
          'A superior decides a contest: upheld takes the link out of the person’s responsibility (answers the ' +
          'chain), or a fact out of every scorecard (answers the fact contest)',
        params,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['upheld', 'reason'],
          properties: {
            upheld: { type: 'boolean' },
            reason: { type: 'string', minLength: 1, maxLength: MAX_REASON_LENGTH },
          },
        },
        response: { 200: { anyOf: [chainSchema, factContestSchema] }, ...errorResponses },
      },
    },
    (req) => chains.decide(principalOf(req), req.params.id, req.body),
  )
  server.post(
    '/api/admin/chains/rebuild',
    {
      schema: {
        tags,
        summary:
          'Rebuild the chains of open appeals under the chain policy in force (administrators); closed ones keep theirs',
        response: {
          200: {
            type: 'object',
            required: ['appeals', 'rebuilt'],
            properties: { appeals: { type: 'integer' }, rebuilt: { type: 'integer' } },
          },
          ...errorResponses,
        },
      },
    },
    (req) => chains.rebuildOpen(principalOf(req)),
  )
}
