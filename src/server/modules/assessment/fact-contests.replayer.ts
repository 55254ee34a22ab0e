/**
 * The audit's replay of fact contests: each contest as `assessment.fact_contested` filed it and
 * `assessment.fact_contest_decided` decided it, compared with `fact_contest` (reasons through their
 * salted commitments). A contest marked upheld in the table without its decision — which would quietly
 * take a fact out of the scorecards — is named.
 * @module
 */
import { commitment } from '../ledger/formats/index.js'
import { diffStates, type ReplayEvent, type Replayer } from '../ledger/index.js'
import type { FactContestEventData } from './fact-contests.events.js'
import type { FactContest } from './fact-contests.store.js'

type Data = FactContestEventData

export function factContestReplayer(listAll: () => Promise<FactContest[]>): Replayer {
  const expected = new Map<string, Record<string, unknown>>()
  return {
    name: 'fact-contests',
    types: ['assessment.fact_contested', 'assessment.fact_contest_decided'],
    apply(e: ReplayEvent) {
      if (e.type === 'assessment.fact_contested') {
        const d = e.data as unknown as Data['assessment.fact_contested']
        expected.set(d.contest, {
          staffId: d.staff,
          departmentId: d.department,
          period: d.period,
          indicator: d.indicator,
          ref: `${d.ref.kind}:${d.ref.id}`,
          key: d.key,
          factLedger: `${d.fact.log}#${d.fact.index}`,
          reason: d.reason,
          status: 'pending',
          decidedBy: null,
          decision: null,
          ledger: `${e.log}#${e.index}`,
          decisionLedger: null,
        })
      } else if (e.type === 'assessment.fact_contest_decided') {
        const d = e.data as unknown as Data['assessment.fact_contest_decided']
        const c = expected.get(d.contest)
        if (!c) return
        c.status = d.upheld ? 'upheld' : 'rejected'
        c.decidedBy = e.actor.id
        c.decision = d.decision
        c.decisionLedger = `${e.log}#${e.index}`
      }
    },
    async compare() {
      const live = new Map<string, Record<string, unknown>>()
      for (const c of await listAll())
        live.set(c.id, {
          staffId: c.staffId,
          departmentId: c.departmentId,
          period: c.period,
          indicator: c.indicator,
          ref: `${c.ref.kind}:${c.ref.id}`,
          key: c.key,
          factLedger: `${c.factLedger.log}#${c.factLedger.index}`,
          reason: commitment(c.reason, c.salt),
          status: c.status,
          decidedBy: c.decidedBy,
          decision: c.decision === null ? null : commitment(c.decision, c.salt),
          ledger: `${c.ledger.log}#${c.ledger.index}`,
          decisionLedger: c.decisionLedger ? `${c.decisionLedger.log}#${c.decisionLedger.index}` : null,
        })
      return diffStates('fact_contest', expected, live)
    },
  }
}
