/**
 * The audit's replay of Open311: rebuilds every API key (who issued it, for which region, the digest
 * it answers to, whether and by whom it was revoked) and every request a key filed (its token) from the
 * `open311.*` events (with the digest of its `media_url`), and compares them with `open311_key` and `open311_request`. A key inserted
 * without its event, a digest swapped behind the ledger's back (someone's own key made valid), or a
 * revocation undone shows as a difference.
 * @module
 */
import { createHash } from 'node:crypto'
import { diffStates, type ReplayEvent, type Replayer } from '../ledger/index.js'
import type { Open311EventData } from './open311.events.js'
import type { Open311Filing, Open311Key } from './open311.model.js'

type State = Record<string, unknown>

export function open311Replayer(
  listAll: () => Promise<{ keys: Open311Key[]; filings: Open311Filing[] }>,
): Replayer {
  const keys = new Map<string, State>()
  const filings = new Map<string, State>()
  return {
    name: 'open311',
    types: ['open311.'],
    apply(e: ReplayEvent) {
      switch (e.type) {
        case 'open311.key_issued': {
          const d = e.data as unknown as Open311EventData['open311.key_issued']
          keys.set(d.key, {
            name: d.name,
            region: d.region,
            digest: d.digest,
            createdBy: e.actor.id,
            revoked: false,
            revokedBy: null,
            ledger: `${e.log}#${e.index}`,
          })
          break
        }
        case 'open311.key_revoked': {
          const d = e.data as unknown as Open311EventData['open311.key_revoked']
          const k = keys.get(d.key)
          if (k) Object.assign(k, { revoked: true, revokedBy: e.actor.id })
          break
        }
        case 'open311.request_received': {
          const d = e.data as unknown as Open311EventData['open311.request_received']
          filings.set(d.appeal, {
            key: d.key,
            token: d.token,
            media: d.media ?? null,
            ledger: `${e.log}#${e.index}`,
          })
          break
        }
        default:
          break
      }
    },
    async compare() {
      const all = await listAll()
      const liveKeys = new Map<string, State>()
      for (const k of all.keys)
        liveKeys.set(k.id, {
          name: k.name,
          region: k.regionCode,
          digest: k.digest,
          createdBy: k.createdBy,
          revoked: k.revokedAt !== null,
          revokedBy: k.revokedBy,
          ledger: `${k.ledger.log}#${k.ledger.index}`,
        })
      const liveFilings = new Map<string, State>()
      for (const f of all.filings)
        liveFilings.set(f.appealId, {
          key: f.keyId,
          token: f.token,
          media: f.mediaUrl === null ? null : createHash('sha256').update(f.mediaUrl, 'utf8').digest('hex'),
          ledger: `${f.ledger.log}#${f.ledger.index}`,
        })
      return [
        ...diffStates('open311_key', keys, liveKeys),
        ...diffStates('open311_request', filings, liveFilings),
      ]
    },
  }
}
