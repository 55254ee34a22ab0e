/**
 * Ledger events of appeals (诉求) and their responsibility chains. Every event's data carries `appeal`
 * (the appeal id); what people wrote (the appeal's text and pin, replies, reasons) appears only as
 * salted commitments, with the appeal's salt.
 * @module
 */
import type { EventDeclarations } from '../ledger/ledger.registry.js'

export const APPEAL_EVENTS = {
  'appeal.filed': 'an appeal was filed and routed to a department, with its deadlines',
  'appeal.accepted': 'a handler of the department accepted the appeal',
  'appeal.returned': 'the department returned the appeal as not its own, and it was routed again',
  'appeal.responded': 'the handler answered the citizen (first response)',
  'appeal.resolved': 'the handler resolved the appeal',
  'appeal.rated': 'the citizen said how satisfied they are; dissatisfied once reopens it',
  'appeal.escalated': 'a missed deadline or a dissatisfied citizen escalated the appeal up the ladder',
  'appeal.merged': 'a duplicate appeal was merged into another',
  'chain.built': 'a responsibility chain was built or rebuilt for an appeal (its links and their evidence)',
  'chain.contested': 'an official named in a chain contested their link',
  'chain.contest_decided': 'the official’s superior decided a contest of a chain link',
} as const satisfies EventDeclarations

/** What the ledger keeps of a chain link (the words of its reason are rebuilt from the facts). */
export interface LedgerLink {
  staff: string
  department: string
  primary: boolean
  rule: string
  function: string
  evidence: { log: string; index: number }[]
}

/** Data of each appeal event. */
export interface AppealEventData {
  'appeal.filed': {
    appeal: string
    kind: string
    category: string
    channel: string
    region: string
    case: string | null
    citizen: string | null
    /** Commitment to `{text, lat, lng, contact, attachments}`. */
    content: string
    concern: string
    department: string
    rule: string
    routingPolicy: string
    respondDueAt: number
    resolveDueAt: number
    deadlinePolicy: string
    escalationPolicy: string
    /** The `calendar.holidays@N` the working-day deadlines were counted on (since the calendar policy). */
    calendar?: string
  }
  'appeal.accepted': { appeal: string; handler: string }
  'appeal.returned': {
    appeal: string
    from: string
    reason: string
    department: string
    rule: string
    routingPolicy: string
    round: number
    respondDueAt: number
    resolveDueAt: number
    deadlinePolicy: string
  }
  'appeal.responded': { appeal: string; response: string }
  'appeal.resolved': { appeal: string; resolution: string; closed: boolean }
  'appeal.rated': {
    appeal: string
    satisfaction: string
    reopened: boolean
    round: number
    resolveDueAt: number | null
    /** Commitment to the citizen's comment, when they left one. */
    comment?: string
  }
  'appeal.escalated': {
    appeal: string
    round: number
    stage: string
    step: number
    level: string
    to: string[]
    policy: string
  }
  'appeal.merged': { appeal: string; into: string }
  'chain.built': {
    appeal: string
    revision: number
    policy: string
    rule: string | null
    cause: string
    links: LedgerLink[]
    /** base64 SHA-256 of the canonical JSON of the links in full (reasons included). */
    digest: string
  }
  'chain.contested': { appeal: string; contest: string; revision: number; staff: string; reason: string }
  'chain.contest_decided': { appeal: string; contest: string; upheld: boolean; decision: string }
}
