/**
 * The audit's replay of governance policies: rebuilds every published version from its
 * `policy.published` event and every local override from `policy.overridden` (and its retirement), and
 * compares them with `policy_version` and `policy_override`. A body, an effective time or a version
 * edited in the table, an override's values changed or its retirement undone, or a row inserted without
 * its event, shows as a difference.
 * @module
 */
import { canonicalText } from '../ledger/formats/index.js'
import { diffStates, type ReplayEvent, type Replayer } from '../ledger/index.js'
import type { PolicyEventData } from './policy.events.js'
import type { PolicyOverride, PolicyVersion } from './policy.model.js'

const canonical = (value: unknown): string => canonicalText(value ?? null)

export function policyReplayer(
  listAll: () => Promise<PolicyVersion[]>,
  listOverrides: () => Promise<PolicyOverride[]>,
): Replayer {
  const expected = new Map<string, Record<string, unknown>>()
  const overrides = new Map<string, Record<string, unknown>>()
  return {
    name: 'policies',
    types: ['policy.'],
    apply(e: ReplayEvent) {
      if (e.type === 'policy.overridden') {
        const d = e.data as unknown as PolicyEventData['policy.overridden']
        overrides.set(d.id, {
          kind: d.kind,
          region: d.region,
          level: d.level,
          seq: d.seq,
          values: canonical(d.values),
          effectiveAt: d.effectiveAt,
          note: d.note,
          publishedBy: e.actor.id,
          retired: false,
          retiredBy: null,
          ledger: `${e.log}#${e.index}`,
        })
        return
      }
      if (e.type === 'policy.override_retired') {
        const d = e.data as unknown as PolicyEventData['policy.override_retired']
        const o = overrides.get(d.id)
        if (o) Object.assign(o, { retired: true, retiredBy: e.actor.id })
        return
      }
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
      const liveOverrides = new Map<string, Record<string, unknown>>()
      for (const o of await listOverrides())
        liveOverrides.set(o.id, {
          kind: o.kind,
          region: o.regionCode,
          level: o.level,
          seq: o.seq,
          values: canonical(o.values),
          effectiveAt: o.effectiveAt,
          note: o.note,
          publishedBy: o.publishedBy,
          retired: o.retiredAt !== null,
          retiredBy: o.retiredBy,
          ledger: `${o.ledger.log}#${o.ledger.index}`,
        })
      return [
        ...diffStates('policy_version', expected, live),
        ...diffStates('policy_override', overrides, liveOverrides),
      ]
    },
  }
}
