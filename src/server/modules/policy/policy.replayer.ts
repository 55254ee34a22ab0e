/**
 * The audit's replay of governance policies: rebuilds every published version from its
 * `policy.published` event and compares it with `policy_version`. A body, an effective time or a
 * version edited in the table, or one inserted without its event, shows as a difference.
 * @module
 */
import { canonicalText } from '../ledger/formats/index.js'
import { diffStates, type ReplayEvent, type Replayer } from '../ledger/index.js'
import type { PolicyEventData } from './policy.events.js'
import type { PolicyVersion } from './policy.model.js'

const canonical = (value: unknown): string => canonicalText(value ?? null)

export function policyReplayer(listAll: () => Promise<PolicyVersion[]>): Replayer {
  const expected = new Map<string, Record<string, unknown>>()
  return {
    name: 'policies',
    types: ['policy.'],
    apply(e: ReplayEvent) {
      if (e.type !== 'policy.published') return
      const d = e.data as unknown as PolicyEventData['policy.published']
      expected.set(`${d.kind}@${d.version}`, {
        effectiveAt: d.effectiveAt,
        body: canonical(d.body),
        digest: d.digest,
        note: d.note,
        publishedBy: e.actor.id,
        ledger: `${e.log}#${e.index}`,
      })
    },
    async compare() {
      const live = new Map<string, Record<string, unknown>>()
      for (const v of await listAll())
        live.set(`${v.kind}@${v.version}`, {
          effectiveAt: v.effectiveAt,
          body: canonical(v.body),
          digest: v.digest,
          note: v.note,
          publishedBy: v.publishedBy,
          ledger: `${v.ledger.log}#${v.ledger.index}`,
        })
      return diffStates('policy_version', expected, live)
    },
  }
}
