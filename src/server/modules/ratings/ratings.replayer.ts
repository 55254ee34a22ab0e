/**
 * The audit's replay of ratings and rectifications. From the ledger it rebuilds every rating (its
 * channel, its counter rating link, the team its reform score goes to, its exclusion by an upheld
 * contest), every counter rating link (used or not), every rectification's state (status, contest,
 * escalation, revision) and every step of it (time, actor, the commitment to its text, its values, its
 * ledger entry), and names each live row that differs. Free text is compared through its salted
 * commitment, so an edited call-back summary or measures text is named as well as an edited status.
 * @module
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { commitment } from '../ledger/formats/index.js'
import { linksDigest } from '../appeals/chains.service.js'
import { diffStates, type Replayer } from '../ledger/index.js'
import * as ratingStore from './ratings.store.js'
import * as store from './rectifications.store.js'
import type { StepKind } from './rectifications.store.js'

type State = Record<string, unknown>

/** The step each event records, and the field of its data that holds the text's commitment. */
const STEPS: Readonly<Record<string, { kind: StepKind; text: string | null }>> = {
  'rectification.called_back': { kind: 'called_back', text: 'summary' },
  'rectification.rectified': { kind: 'rectified', text: 'measures' },
  'rectification.escalated': { kind: 'escalated', text: null },
  'rating.contested': { kind: 'contested', text: 'reason' },
  'rating.contest_decided': { kind: 'contest_decided', text: 'reason' },
  'rectification.rated': { kind: 'rated', text: 'comment' },
}

export function ratingsReplayer(db: Kysely<DB>): Replayer {
  const ratings = new Map<string, State>()
  const rects = new Map<string, State>()
  const steps = new Map<string, State>()
  const chains = new Map<string, State>()
  const invitations = new Map<string, State>()
  return {
    name: 'ratings',
    types: ['rating.', 'rectification.'],
    apply: (e) => {
      const d = e.data
      if (e.type === 'rating.invited') {
        invitations.set(String(d.id), {
          case: d.case,
          invitedBy: e.actor.id,
          expiresAt: d.expiresAt,
          used: false,
          ledger: `${e.log}/${e.index}`,
        })
        return
      }
      if (e.type === 'rating.submitted') {
        if (typeof d.invitation === 'string') {
          const invitation = invitations.get(d.invitation)
          if (invitation) invitation.used = true
        }
        ratings.set(String(d.case), {
          // A counter rating's actor is its link; the applicant is named in the data.
          applicant: d.applicant ?? e.actor.id,
          channel: d.channel ?? 'online',
          invitedBy: d.invitedBy ?? null,
          team: d.team ?? null,
          score: d.score,
          reformScore: d.reformScore,
          tags: d.tags,
          comment: d.comment,
          matter: `${String(d.matter)}@${String(d.version)}`,
          department: d.department,
          policy: d.policy,
          excluded: false,
        })
        return
      }
      if (e.type === 'rectification.chain_built') {
        chains.set(String(d.id), {
          case: d.case,
          policy: d.policy,
          rule: d.rule,
          digest: d.digest,
          ledger: `${e.log}/${e.index}`,
        })
        return
      }
      if (e.type === 'rectification.opened') {
        rects.set(String(d.id), {
          case: d.case,
          department: d.department,
          dueAt: d.dueAt,
          policy: d.policy,
          status: 'open',
          contest: null,
          escalatedAt: null,
          revision: 0,
        })
        return
      }
      const step = STEPS[e.type]
      if (!step) return
      const id = String(d.id)
      const rect = rects.get(id)
      if (rect) {
        rect.revision = (rect.revision as number) + 1
        if (e.type === 'rectification.called_back') rect.status = 'called_back'
        else if (e.type === 'rectification.rectified') rect.status = 'rectified'
        else if (e.type === 'rectification.rated') rect.status = 'closed'
        else if (e.type === 'rectification.escalated') rect.escalatedAt = d.at
        else if (e.type === 'rating.contested') rect.contest = 'pending'
        else if (e.type === 'rating.contest_decided') {
          rect.contest = d.upheld ? 'upheld' : 'rejected'
          if (d.upheld) {
            rect.status = 'void'
            const rating = ratings.get(String(d.case))
            if (rating) rating.excluded = true
          }
        }
      }
      steps.set(`${id}/${step.kind}`, {
        at: d.at,
        actor: e.actor.id,
        text: step.text === null ? null : (d[step.text] ?? null),
        calledAt: d.calledAt ?? null,
        verdict:
          e.type === 'rating.contest_decided'
            ? d.upheld
            : e.type === 'rectification.rated'
              ? d.satisfied
              : null,
        staff: d.leaders ?? [],
        ledger: `${e.log}/${e.index}`,
      })
    },
    compare: async () => {
      const liveRatings = new Map<string, State>()
      for (const r of await ratingStore.listAllRatings(db))
        liveRatings.set(r.caseId, {
          applicant: r.applicantId,
          channel: r.channel,
          invitedBy: r.invitedBy,
          team: r.teamId,
          score: r.score,
          reformScore: r.reformScore,
          tags: r.tags,
          comment: r.comment === null ? null : commitment(r.comment, r.salt),
          matter: `${r.matterCode}@${r.matterVersion}`,
          department: r.departmentId,
          policy: r.policy,
          excluded: r.excluded,
        })
      const liveRects = new Map<string, State>()
      for (const r of await store.listAllRectifications(db))
        liveRects.set(r.id, {
          case: r.caseId,
          department: r.departmentId,
          dueAt: r.dueAt,
          policy: r.policy,
          status: r.status,
          contest: r.contest,
          escalatedAt: r.escalatedAt,
          revision: r.revision,
        })
      const liveSteps = new Map<string, State>()
      for (const s of await store.listAllSteps(db))
        liveSteps.set(`${s.rectificationId}/${s.kind}`, {
          at: s.at,
          actor: s.actorId,
          text: s.text === null || s.salt === null ? s.text : commitment(s.text, s.salt),
          calledAt: s.calledAt,
          verdict: s.verdict,
          staff: s.staffIds,
          ledger: `${s.ledger.log}/${s.ledger.index}`,
        })
      const liveChains = new Map<string, State>()
      const caseOf = new Map([...liveRects.entries()].map(([id, r]) => [id, r.case]))
      for (const c of await store.listAllChains(db))
        liveChains.set(c.rectificationId, {
          case: caseOf.get(c.rectificationId) ?? null,
          policy: c.chain.policyVersion,
          rule: c.chain.rule,
          digest: linksDigest(c.chain.links),
          ledger: `${c.ledger.log}/${c.ledger.index}`,
        })
      const liveInvitations = new Map<string, State>()
      for (const i of await ratingStore.listAllInvitations(db))
        liveInvitations.set(i.id, {
          case: i.caseId,
          invitedBy: i.invitedBy,
          expiresAt: i.expiresAt,
          used: i.usedAt !== null,
          ledger: `${i.ledger.log}/${i.ledger.index}`,
        })
      return [
        ...diffStates('case_rating', ratings, liveRatings),
        ...diffStates('rating_invitation', invitations, liveInvitations),
        ...diffStates('rectification', rects, liveRects),
        ...diffStates('rectification_step', steps, liveSteps),
        ...diffStates('rectification_chain', chains, liveChains),
      ]
    },
  }
}
