/**
 * The audit's replay of appeals: rebuilds every appeal's state, its timeline's ledger positions, its
 * escalations, its chain revisions and the contests of their links from the `appeal.*` and `chain.*`
 * events, and compares them with the tables. Texts are compared through their commitments (the
 * appeal's salt), chains through the digest of their links, so an edited reply, an edited reason or a
 * link quietly dropped from a chain is named.
 * @module
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { commitment } from '../ledger/formats/index.js'
import { diffStates, type Replayer } from '../ledger/index.js'
import { contentCommitment } from './appeals.service.js'
import * as store from './appeals.store.js'
import { linksDigest } from './chains.service.js'

type State = Record<string, unknown>

export function appealsReplayer(db: Kysely<DB>): Replayer {
  const appeals = new Map<string, State>()
  const steps = new Map<string, State>()
  const escalations = new Map<string, State>()
  const chains = new Map<string, State>()
  const contests = new Map<string, State>()
  const at = (log: string, index: number) => `${log}:${index}`
  return {
    name: 'appeals',
    types: ['appeal.', 'chain.'],
    apply: (e) => {
      const d = e.data
      const id = String(d.appeal)
      const a = appeals.get(id)
      const step = (text?: unknown) =>
        steps.set(at(e.log, e.index), { appeal: id, type: e.type, ...(text !== undefined ? { text } : {}) })
      switch (e.type) {
        case 'appeal.filed':
          appeals.set(id, {
            kind: d.kind,
            category: d.category,
            channel: d.channel,
            region: d.region,
            case: d.case,
            citizen: d.citizen,
            filedBy: e.actor.id,
            content: d.content,
            concern: d.concern,
            department: d.department,
            handler: null,
            status: 'dispatched',
            round: 1,
            respondDueAt: d.respondDueAt,
            resolveDueAt: d.resolveDueAt,
            response: null,
            resolution: null,
            satisfaction: null,
            reopened: false,
            mergedInto: null,
            rule: d.rule,
            routingPolicy: d.routingPolicy,
            deadlinePolicy: d.deadlinePolicy,
            escalationPolicy: d.escalationPolicy,
          })
          step()
          break
        case 'appeal.accepted':
          if (a) Object.assign(a, { status: 'accepted', handler: d.handler })
          step()
          break
        case 'appeal.returned':
          if (a)
            Object.assign(a, {
              status: 'dispatched',
              department: d.department,
              handler: null,
              round: d.round,
              respondDueAt: d.respondDueAt,
              resolveDueAt: d.resolveDueAt,
              response: null,
              rule: d.rule,
              routingPolicy: d.routingPolicy,
              deadlinePolicy: d.deadlinePolicy,
            })
          step(d.reason)
          break
        case 'appeal.responded':
          if (a) Object.assign(a, { status: 'responded', response: d.response })
          step(d.response)
          break
        case 'appeal.resolved':
          if (a)
            Object.assign(a, {
              status: d.closed ? 'closed' : 'resolved',
              handler: a.handler ?? e.actor.id,
              response: a.response ?? d.resolution,
              resolution: d.resolution,
            })
          step(d.resolution)
          break
        case 'appeal.rated':
          if (a)
            Object.assign(a, {
              satisfaction: d.satisfaction,
              status: d.reopened ? 'accepted' : 'closed',
              ...(d.reopened ? { reopened: true, round: d.round, resolveDueAt: d.resolveDueAt } : {}),
            })
          step(d.comment ?? null)
          break
        case 'appeal.merged':
          if (a) Object.assign(a, { status: 'merged', mergedInto: d.into })
          step()
          break
        case 'appeal.escalated':
          escalations.set(at(e.log, e.index), {
            appeal: id,
            round: d.round,
            stage: d.stage,
            step: d.step,
            level: d.level,
            to: d.to,
            policy: d.policy,
          })
          break
        case 'chain.built':
          chains.set(`${id}#${String(d.revision)}`, {
            policy: d.policy,
            rule: d.rule,
            cause: d.cause,
            digest: d.digest,
          })
          break
        case 'chain.contested':
          contests.set(String(d.contest), {
            appeal: id,
            revision: d.revision,
            staff: d.staff,
            reason: d.reason,
            status: 'pending',
            decision: null,
          })
          break
        case 'chain.contest_decided': {
          const c = contests.get(String(d.contest))
          if (c) Object.assign(c, { status: d.upheld ? 'upheld' : 'rejected', decision: d.decision })
          break
        }
      }
    },
    compare: async () => {
      const all = await store.listAllAppeals(db)
      const salts = new Map(all.map((a) => [a.id, a.salt]))
      const commit = (v: unknown, appealId: string) =>
        v === null || v === undefined ? null : commitment(v, salts.get(appealId) ?? '')
      const liveAppeals = new Map<string, State>()
      for (const a of all)
        liveAppeals.set(a.id, {
          kind: a.kind,
          category: a.category,
          channel: a.channel,
          region: a.regionCode,
          case: a.caseId,
          citizen: a.citizenId,
          filedBy: a.filedBy,
          content: contentCommitment(a),
          concern: a.concern,
          department: a.departmentId,
          handler: a.handlerId,
          status: a.status,
          round: a.round,
          respondDueAt: a.respondDueAt,
          resolveDueAt: a.resolveDueAt,
          response: commit(a.response, a.id),
          resolution: commit(a.resolution, a.id),
          satisfaction: a.satisfaction,
          reopened: a.reopened,
          mergedInto: a.mergedInto,
          rule: a.routingRule,
          routingPolicy: a.routingPolicy,
          deadlinePolicy: a.deadlinePolicy,
          escalationPolicy: a.escalationPolicy,
        })
      const liveSteps = new Map<string, State>()
      for (const s of await store.listAllSteps(db)) {
        const written =
          s.type === 'appeal.returned'
            ? s.data.reason
            : s.type === 'appeal.rated'
              ? s.data.comment
              : s.data.text
        const texted = ['appeal.returned', 'appeal.responded', 'appeal.resolved', 'appeal.rated'].includes(
          s.type,
        )
        liveSteps.set(at(s.ledger.log, s.ledger.index), {
          appeal: s.appealId,
          type: s.type,
          ...(texted ? { text: commit(written ?? null, s.appealId) } : {}),
        })
      }
      const liveEscalations = new Map<string, State>()
      for (const e of await store.listAllEscalations(db))
        liveEscalations.set(at(e.ledger.log, e.ledger.index), {
          appeal: e.appealId,
          round: e.round,
          stage: e.stage,
          step: e.step,
          level: e.level,
          to: e.to,
          policy: e.policy,
        })
      const liveChains = new Map<string, State>()
      for (const c of await store.listAllChains(db))
        liveChains.set(`${c.appealId}#${c.revision}`, {
          policy: c.policyVersion,
          rule: c.rule,
          cause: c.cause,
          digest: linksDigest(c.links),
        })
      const liveContests = new Map<string, State>()
      for (const c of await store.listAllContests(db))
        liveContests.set(c.id, {
          appeal: c.appealId,
          revision: c.revision,
          staff: c.staffId,
          reason: commit(c.reason, c.appealId),
          status: c.status,
          decision: commit(c.decision, c.appealId),
        })
      return [
        ...diffStates('appeal', appeals, liveAppeals),
        ...diffStates('appeal_step', steps, liveSteps),
        ...diffStates('appeal_escalation', escalations, liveEscalations),
        ...diffStates('appeal_chain', chains, liveChains),
        ...diffStates('chain_contest', contests, liveContests),
      ]
    },
  }
}
