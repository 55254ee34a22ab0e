/**
 * Responsibility chains (责任链): who answers for what an appeal is about, picked by the chain policy's
 * ordered rules from facts that the ledger proves. A rule matches an appeal by its kind and concern;
 * its selector names the primary links (the handler whose step breached its limit, the approver who
 * rejected, the clerk at the window, the keeper of a contradicted record, the department's handler on
 * duty); its `secondary` list adds the superiors of each primary (the department's supervisors) and the
 * region's leadership line. A rule whose selector finds nobody falls through to the next, and the
 * chain's trace says so. Every link carries the rule, a reason in words and in data, and the ledger
 * entries `{log, index}` of the facts it rests on. Pure: the service gathers the facts.
 * @module
 */
import type { AppealConcern, AppealKind } from '../../../shared/domain.js'
import type { CaseFacts } from '../cases/index.js'
import { leadersAmong, onDutyAt, superiorsAmong, type Member } from '../org/index.js'
import { stepBreached } from './appeals.model.js'

export type ChainSelector =
  'breaching_handler' | 'approver' | 'window_clerk' | 'record_owner' | 'on_duty_handler' | 'case_handler'

export interface ChainRule {
  id: string
  title?: string
  when?: { kinds?: AppealKind[]; concerns?: AppealConcern[] }
  primary: ChainSelector
  secondary?: ('supervisor' | 'leader')[]
}

export interface ChainPolicy {
  rules: ChainRule[]
}

/** What a link's person did in the matter (the web names each in Chinese or English). */
export const LINK_FUNCTIONS = [
  'step_handler',
  'on_duty',
  'approver',
  'supplement_requester',
  'window_clerk',
  'record_keeper',
  'appeal_handler',
  'supervisor',
  'leader',
] as const
export type LinkFunction = (typeof LINK_FUNCTIONS)[number]

export interface LedgerRef {
  log: string
  index: number
}

export interface ChainLink {
  staffId: string
  name: string
  /** The person's post (科员, 副局长, 局长…). */
  role: string
  /** The department's name, and its id. */
  department: string
  departmentId: string
  primary: boolean
  /** The chain rule that selected them. */
  rule: string
  function: LinkFunction
  /** Why, in words (zh-CN). */
  reason: string
  /** Why, as data: the web renders it in either language. */
  explain: { code: string; params: Record<string, string | number> }
  /** Ledger entries proving the facts the link rests on. */
  evidence: LedgerRef[]
}

/** One rule tried, in order, and what came of it. */
export interface ChainTraceStep {
  rule: string
  outcome: 'not_applicable' | 'nobody_found' | 'selected'
}

export interface Chain {
  /** The policy id (`responsibility.chain@<version>`) whose rules built it. */
  policyVersion: string
  /** The rule whose selector named the primary links (null: none did). */
  rule: string | null
  links: ChainLink[]
  trace: ChainTraceStep[]
}

/** The facts a chain is built from, gathered by the service. */
export interface ChainInput {
  appeal: {
    kind: AppealKind
    concern: AppealConcern
    departmentId: string
    handlerId: string | null
    createdAt: number
    /** The ledger entry of the filing, and of the handler's acceptance once accepted. */
    filed: LedgerRef | null
    accepted: LedgerRef | null
  }
  policyVersion: string
  policy: ChainPolicy
  facts: CaseFacts | null
  /** The records a discrepancy contradicted: the owning department, who last changed it and its entry. */
  records: {
    source: string
    departmentId: string | null
    updatedBy: string | null
    updatedAt: number
    ledger: LedgerRef | null
  }[]
  now: number
  departments: ReadonlyMap<string, { id: string; name: string; regionCode: string; kind: string }>
  /** Serving members of every department involved, by department id. */
  members: ReadonlyMap<string, readonly Member[]>
  /** The leading office of each region involved (its leaders are the leadership line), by region code. */
  leadingOffices: ReadonlyMap<string, string>
  /** The ledger entry of each member's current appointment (staff.created/updated), by staff id. */
  appointments: ReadonlyMap<string, LedgerRef>
}

interface Pick {
  member: Member
  function: LinkFunction
  reason: string
  explain: ChainLink['explain']
  evidence: LedgerRef[]
}

const HOUR = 3_600_000

/** `31天2小时`: a duration as the chain states it. */
export function durationText(ms: number): string {
  const hours = Math.max(0, Math.round(ms / HOUR))
  const days = Math.floor(hours / 24)
  const rest = hours % 24
  if (days === 0) return `${rest}小时`
  return rest === 0 ? `${days}天` : `${days}天${rest}小时`
}

function memberOf(
  input: ChainInput,
  departmentId: string | null,
  staffId: string | null,
): Member | undefined {
  if (!staffId) return undefined
  if (departmentId) {
    const found = input.members.get(departmentId)?.find((m) => m.id === staffId)
    if (found) return found
  }
  for (const list of input.members.values()) {
    const found = list.find((m) => m.id === staffId)
    if (found) return found
  }
  return undefined
}

function eventsOfTask(facts: CaseFacts, taskId: string): CaseFacts['events'] {
  return facts.events.filter((e) => e.taskId === taskId)
}

const refs = (events: readonly { ledger: LedgerRef }[]): LedgerRef[] => events.map((e) => e.ledger)

function stepName(t: CaseFacts['tasks'][number]): string {
  return t.name ?? t.nodeId
}

// ---- selectors ----------------------------------------------------------------------------------------

function breachingHandlers(input: ChainInput): Pick[] {
  const facts = input.facts
  if (!facts) return []
  const picks: Pick[] = []
  const caseOverdue = facts.completedAt === null && input.now > facts.dueAt
  for (const t of facts.tasks) {
    if (t.kind !== 'department' || !t.departmentId) continue
    const events = eventsOfTask(facts, t.id)
    const cancelledAt = events.find((e) => e.type === 'task.cancelled')?.at
    const breached = stepBreached(t, input.now, cancelledAt)
    // A step with no limit of its own that holds up a case past its promised date answers for the delay.
    const holdsUp = !breached && caseOverdue && t.status === 'open' && t.dueAt === null
    if (!breached && !holdsUp) continue
    const end = t.completedAt ?? (t.status === 'open' ? input.now : (cancelledAt ?? input.now))
    const held = durationText(end - t.createdAt)
    const limit =
      t.dueAt === null ? durationText(facts.dueAt - facts.submittedAt) : durationText(t.dueAt - t.createdAt)
    const evidence = refs(events)
    const holder = memberOf(input, t.departmentId, t.assigneeId)
    if (holder) {
      picks.push({
        member: holder,
        function: 'step_handler',
        reason: holdsUp
          ? `办理「${stepName(t)}」用时${held}，办件已超过承诺时限（${limit}）`
          : `办理「${stepName(t)}」用时${held}，超过该环节时限（${limit}）`,
        explain: {
          code: holdsUp ? 'held_case_overdue' : 'held_past_limit',
          params: { step: stepName(t), held, limit },
        },
        evidence,
      })
      continue
    }
    // Never claimed: whoever was on duty in the department when the limit passed.
    const at = t.dueAt ?? facts.dueAt
    const duty = onDutyAt(input.members.get(t.departmentId) ?? [], at)
    if (!duty) continue
    picks.push({
      member: duty,
      function: 'on_duty',
      reason: `「${stepName(t)}」无人认领，已历时${held}，超过时限${limit}；时限届满时按值班轮值由其负责`,
      explain: { code: 'unclaimed_on_duty', params: { step: stepName(t), held, over: limit } },
      evidence: [...evidence, ...appointment(input, duty.id)],
    })
  }
  return picks
}

function approvers(input: ChainInput): Pick[] {
  const facts = input.facts
  if (!facts) return []
  const ended = facts.events.filter((e) => e.type === 'case.rejected')
  const pick = (outcome: string, fn: LinkFunction): Pick[] =>
    facts.tasks
      .filter((t) => t.kind === 'department' && t.outcome === outcome)
      .flatMap((t) => {
        const m = memberOf(input, t.departmentId, t.assigneeId)
        if (!m) return []
        const why = t.comment?.trim() || '（未说明理由）'
        const completed = eventsOfTask(facts, t.id).filter((e) => e.type === 'task.completed')
        return [
          {
            member: m,
            function: fn,
            reason:
              fn === 'approver'
                ? `在「${stepName(t)}」作出不予通过的决定，理由：${why}`
                : `在「${stepName(t)}」要求补正材料，理由：${why}`,
            explain: {
              code: fn === 'approver' ? 'rejected' : 'asked_supplement',
              params: { step: stepName(t), why },
            },
            evidence: [...refs(completed), ...(fn === 'approver' ? refs(ended) : [])],
          },
        ]
      })
  const rejecting = pick('reject', 'approver')
  return rejecting.length ? rejecting : pick('supplement', 'supplement_requester')
}

function windowClerks(input: ChainInput): Pick[] {
  const facts = input.facts
  if (!facts) return []
  const picks: Pick[] = []
  const submitted = facts.events.find((e) => e.type === 'case.submitted')
  if (facts.channel === 'window') {
    const clerk = memberOf(input, null, facts.submittedBy)
    if (clerk)
      picks.push({
        member: clerk,
        function: 'window_clerk',
        reason: '在窗口受理并代为提交了该办件',
        explain: { code: 'took_in_at_window', params: {} },
        evidence: submitted ? [submitted.ledger] : [],
      })
  }
  const accepted = facts.events.find((e) => e.type === 'case.accepted' && e.data.automatic === false)
  if (accepted) {
    const m = memberOf(input, null, accepted.actorId)
    if (m)
      picks.push({
        member: m,
        function: 'window_clerk',
        reason: '受理了该办件',
        explain: { code: 'accepted_case', params: {} },
        evidence: [accepted.ledger],
      })
  }
  // The intake step of a service centre (综合窗口受理), worked by its clerk.
  for (const t of facts.tasks) {
    const dept = t.departmentId ? input.departments.get(t.departmentId) : undefined
    if (dept?.kind !== 'service_center' || t.status !== 'completed') continue
    const m = memberOf(input, t.departmentId, t.assigneeId)
    if (m)
      picks.push({
        member: m,
        function: 'window_clerk',
        reason: `在窗口办理「${stepName(t)}」`,
        explain: { code: 'worked_window_step', params: { step: stepName(t) } },
        evidence: refs(eventsOfTask(facts, t.id)),
      })
  }
  return picks
}

function recordKeepers(input: ChainInput): Pick[] {
  const submitted = input.facts?.events.find((e) => e.type === 'case.submitted')
  const picks: Pick[] = []
  for (const r of input.records) {
    if (!r.departmentId) continue
    const dept = input.departments.get(r.departmentId)
    const evidence = [...(r.ledger ? [r.ledger] : []), ...(submitted ? [submitted.ledger] : [])]
    const keeper = memberOf(input, r.departmentId, r.updatedBy)
    if (keeper) {
      picks.push({
        member: keeper,
        function: 'record_keeper',
        reason: `${dept?.name ?? r.departmentId}持有的「${r.source}」记录与申请人提交的信息不一致，该记录最后由其修改`,
        explain: {
          code: 'record_last_changed',
          params: { source: r.source, department: dept?.name ?? r.departmentId },
        },
        evidence,
      })
      continue
    }
    const duty = onDutyAt(input.members.get(r.departmentId) ?? [], input.appeal.createdAt)
    if (duty)
      picks.push({
        member: duty,
        function: 'on_duty',
        reason: `${dept?.name ?? r.departmentId}持有的「${r.source}」记录与申请人提交的信息不一致；记录未载明修改人，按值班轮值由其核查`,
        explain: {
          code: 'record_owner_on_duty',
          params: { source: r.source, department: dept?.name ?? r.departmentId },
        },
        evidence: [...evidence, ...appointment(input, duty.id)],
      })
  }
  return picks
}

function onDutyHandlers(input: ChainInput): Pick[] {
  const a = input.appeal
  const dept = input.departments.get(a.departmentId)
  const handler = memberOf(input, a.departmentId, a.handlerId)
  if (handler)
    return [
      {
        member: handler,
        function: 'appeal_handler',
        reason: `${dept?.name ?? a.departmentId}受理该诉求的承办人`,
        explain: { code: 'appeal_handler', params: { department: dept?.name ?? a.departmentId } },
        evidence: [...(a.accepted ? [a.accepted] : []), ...appointment(input, handler.id)],
      },
    ]
  const duty = onDutyAt(input.members.get(a.departmentId) ?? [], a.createdAt)
  if (!duty) return []
  return [
    {
      member: duty,
      function: 'on_duty',
      reason: `诉求分派至${dept?.name ?? a.departmentId}，尚无人受理，按值班轮值由其负责`,
      explain: { code: 'appeal_on_duty', params: { department: dept?.name ?? a.departmentId } },
      evidence: [...(a.filed ? [a.filed] : []), ...appointment(input, duty.id)],
    },
  ]
}

const OUTCOME_WORDS: Record<string, string> = { approve: '通过', reject: '不予通过', supplement: '要求补正' }

/** Who decided the case in its handling department: the last department step completed there. */
function caseHandlers(input: ChainInput): Pick[] {
  const facts = input.facts
  if (!facts) return []
  const deciding = facts.tasks
    .filter(
      (t) =>
        t.kind === 'department' && t.status === 'completed' && t.departmentId === input.appeal.departmentId,
    )
    .sort((a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0))
    .at(-1)
  const m = deciding && memberOf(input, deciding.departmentId, deciding.assigneeId)
  if (!deciding || !m) return []
  const outcome = OUTCOME_WORDS[deciding.outcome ?? ''] ?? '办结'
  const ended = facts.events.filter((e) => e.type === 'case.completed' || e.type === 'case.rejected')
  return [
    {
      member: m,
      function: 'step_handler',
      reason: `办理「${stepName(deciding)}」并作出决定（${outcome}），申请人对办理给出差评`,
      explain: {
        code: 'decided_reviewed_case',
        params: { step: stepName(deciding), outcome: deciding.outcome ?? '' },
      },
      evidence: [
        ...refs(eventsOfTask(facts, deciding.id).filter((e) => e.type === 'task.completed')),
        ...refs(ended),
      ],
    },
  ]
}

const SELECTORS: Record<ChainSelector, (input: ChainInput) => Pick[]> = {
  case_handler: caseHandlers,
  breaching_handler: breachingHandlers,
  approver: approvers,
  window_clerk: windowClerks,
  record_owner: recordKeepers,
  on_duty_handler: onDutyHandlers,
}

function appointment(input: ChainInput, staffId: string): LedgerRef[] {
  const ref = input.appointments.get(staffId)
  return ref ? [ref] : []
}

function ruleApplies(rule: ChainRule, kind: AppealKind, concern: AppealConcern): boolean {
  if (rule.when?.kinds && !rule.when.kinds.includes(kind)) return false
  if (rule.when?.concerns && !rule.when.concerns.includes(concern)) return false
  return true
}

/** Builds the chain: the first applicable rule whose selector names someone decides. */
export function buildChain(input: ChainInput): Chain {
  const trace: ChainTraceStep[] = []
  for (const rule of input.policy.rules) {
    if (!ruleApplies(rule, input.appeal.kind, input.appeal.concern)) {
      trace.push({ rule: rule.id, outcome: 'not_applicable' })
      continue
    }
    const picks = SELECTORS[rule.primary](input)
    if (!picks.length) {
      trace.push({ rule: rule.id, outcome: 'nobody_found' })
      continue
    }
    trace.push({ rule: rule.id, outcome: 'selected' })
    return { policyVersion: input.policyVersion, rule: rule.id, links: linksOf(input, rule, picks), trace }
  }
  return { policyVersion: input.policyVersion, rule: null, links: [], trace }
}

function linksOf(input: ChainInput, rule: ChainRule, picks: readonly Pick[]): ChainLink[] {
  const links: ChainLink[] = []
  const seen = new Set<string>()
  const deptName = (id: string) => input.departments.get(id)?.name ?? id
  const add = (p: Pick, primary: boolean): void => {
    if (seen.has(p.member.id)) {
      // One person, several facts: one link that cites them all.
      const link = links.find((l) => l.staffId === p.member.id)
      if (link && primary === link.primary)
        for (const e of p.evidence)
          if (!link.evidence.some((x) => x.log === e.log && x.index === e.index)) link.evidence.push(e)
      return
    }
    seen.add(p.member.id)
    links.push({
      staffId: p.member.id,
      name: p.member.name,
      role: p.member.position,
      department: deptName(p.member.departmentId),
      departmentId: p.member.departmentId,
      primary,
      rule: rule.id,
      function: p.function,
      reason: p.reason,
      explain: p.explain,
      evidence: [...p.evidence],
    })
  }
  for (const p of picks) add(p, true)
  const secondary = rule.secondary ?? []
  for (const p of picks) {
    const members = input.members.get(p.member.departmentId) ?? []
    const superiors = secondary.includes('supervisor') ? superiorsAmong(members, p.member.id) : []
    // A department with nobody above the person (a service centre's clerks) answers through the
    // leaders of its region.
    const leaders = secondary.includes('leader') || (secondary.includes('supervisor') && !superiors.length)
    if (superiors.length)
      for (const s of superiors)
        add(
          {
            member: s,
            function: leadersAmong([s]).length ? 'leader' : 'supervisor',
            reason: `${p.member.name}所在${deptName(p.member.departmentId)}的分管负责人`,
            explain: {
              code: 'superior_of',
              params: { person: p.member.name, department: deptName(p.member.departmentId) },
            },
            evidence: [...appointment(input, s.id), ...appointment(input, p.member.id)],
          },
          false,
        )
    if (leaders) {
      const region = input.departments.get(p.member.departmentId)?.regionCode
      const office = region ? input.leadingOffices.get(region) : undefined
      for (const l of office ? leadersAmong(input.members.get(office) ?? []) : [])
        add(
          {
            member: l,
            function: 'leader',
            reason: `${deptName(p.member.departmentId)}所在辖区的领导`,
            explain: { code: 'region_leader', params: { department: deptName(p.member.departmentId) } },
            evidence: appointment(input, l.id),
          },
          false,
        )
    }
  }
  return links
}
