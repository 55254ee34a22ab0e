/**
 * The audit's replay of organisation evaluations: the latest revision of each official's score for
 * each period, rebuilt from `assessment.org_evaluated` events and compared with `org_evaluation` (the
 * comment through its salted commitment). A score raised in the table is named.
 * @module
 */
import { commitment } from '../ledger/formats/index.js'
import { diffStates, type ReplayEvent, type Replayer } from '../ledger/index.js'
import type { OrgEvaluationEventData } from './org-evaluations.events.js'
import type { OrgEvaluation } from './org-evaluations.store.js'

export function orgEvaluationReplayer(listAll: () => Promise<OrgEvaluation[]>): Replayer {
  const expected = new Map<string, Record<string, unknown>>()
  return {
    name: 'org-evaluations',
    types: ['assessment.org_evaluated'],
    apply(e: ReplayEvent) {
      if (e.type !== 'assessment.org_evaluated') return
      const d = e.data as unknown as OrgEvaluationEventData['assessment.org_evaluated']
      expected.set(`${d.staff}/${d.period}`, {
        score: d.score,
        revision: d.revision,
        comment: d.comment,
        enteredBy: e.actor.id,
        ledger: `${e.log}#${e.index}`,
      })
    },
    async compare() {
      const live = new Map<string, Record<string, unknown>>()
      for (const r of await listAll())
        live.set(`${r.staffId}/${r.period}`, {
          score: r.score,
          revision: r.revision,
          comment: r.comment === null ? null : commitment(r.comment, r.salt),
          enteredBy: r.enteredBy,
          ledger: `${r.ledger.log}#${r.ledger.index}`,
        })
      return diffStates('org_evaluation', expected, live)
    },
  }
}
