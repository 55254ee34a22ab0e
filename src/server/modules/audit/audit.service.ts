/**
 * The audit (`xzt audit`): replays every ledger event, in ledger order, into fresh state through each
 * module's replayer, and names every live row that differs from what the ledger says — so a DBA who
 * edits a state table directly, or disables the triggers and edits the ledger, is caught.
 * @module
 */
import type { Principal } from '../../access.js'
import { assertCan } from '../../../shared/permissions.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { AuditDifference, AuditReplayReport, AuditRunResult } from '../../../shared/api.js'
import type { Replayer } from '../ledger/index.js'

export class AuditService {
  constructor(
    private readonly ledger: LedgerService,
    /** Fresh replayers of every module that has state tables (called once per audit). */
    private readonly replayers: () => Replayer[],
  ) {}

  /**
   * The whole audit: every log verified, then the replay. `ok` is true only when both are clean.
   * @throws FORBIDDEN unless the caller is an auditor or administrator
   */
  async run(principal: Principal): Promise<AuditRunResult> {
    assertCan(principal, 'audit.run')
    const ledger = await this.ledger.verify()
    const replay = await this.replay()
    return { ok: ledger.every((l) => l.problem === null) && replay.differences.length === 0, ledger, replay }
  }

  async replay(onProgress?: (done: number, total: number) => void): Promise<AuditReplayReport> {
    const replayers = this.replayers()
    // A replayer that consumes no event is a check of its table (the event consumers' cursors): no count.
    const byModule: Record<string, number> = Object.fromEntries(
      replayers.filter((r) => r.types.length > 0).map((r) => [r.name, 0]),
    )
    const total = await this.ledger.totalSize()
    let events = 0
    for await (const event of this.ledger.events()) {
      events++
      for (const r of replayers) {
        if (r.types.some((t) => event.type.startsWith(t))) {
          r.apply(event)
          byModule[r.name] = (byModule[r.name] ?? 0) + 1
        }
      }
      if (onProgress && events % 5000 === 0) onProgress(events, total)
    }
    onProgress?.(events, total)
    const differences: AuditDifference[] = []
    for (const r of replayers) differences.push(...(await r.compare()))
    return { events, byModule, differences }
  }
}
