/**
 * The ledger events of one case command, collected and appended together at the end of its
 * transaction, with their `case_event` rows.
 * @module
 */
import { randomUUID } from 'node:crypto'
import type { Principal } from '../../access.js'
import type { Executor } from '../../db/database.js'
import { actorOf, subjectOf, type LedgerEvent, type LedgerPosition } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import type { CaseEvent, CaseFile } from './cases.model.js'
import * as store from './cases.store.js'

/** The ledger subject of a case. */
export const SUBJECT = (caseId: string): string => subjectOf('case', caseId)

/**
 * The ledger events of one command, collected and appended together at the end of its transaction
 * (one lock and one INSERT per log instead of one per event); rows that need their event's ledger
 * position are written then.
 */
export class Journal {
  private readonly entries: {
    event: LedgerEvent
    row: Omit<CaseEvent, 'ledger_log' | 'ledger_index'>
    then?: (p: LedgerPosition) => void | Promise<void>
  }[] = []

  constructor(
    private readonly row: CaseFile,
    private readonly actor: Principal,
  ) {}

  get actorId(): string {
    return this.actor.accountId
  }

  record(
    at: number,
    type: string,
    taskId: string | null,
    data: Record<string, unknown>,
    then?: (p: LedgerPosition) => void | Promise<void>,
  ): void {
    this.entries.push({
      event: {
        type,
        subject: SUBJECT(this.row.id),
        regionCode: this.row.region_code,
        actor: actorOf(this.actor),
        data: { case: this.row.id, ...data },
      },
      row: {
        id: randomUUID(),
        case_id: this.row.id,
        type,
        at,
        actor_id: this.actor.accountId,
        task_id: taskId,
        data,
      },
      ...(then ? { then } : {}),
    })
  }

  /**
   * Appends the recorded events, and `also` (other modules' events of the same step, such as its timers'
   * jobs) after them, in one append; then writes the case's timeline rows.
   */
  async flush(trx: Executor, ledger: LedgerService, also: readonly LedgerEvent[] = []): Promise<void> {
    if (this.entries.length === 0 && also.length === 0) return
    const positions = await ledger.appendMany(trx, [...this.entries.map((e) => e.event), ...also])
    await store.insertEvents(
      trx,
      this.entries.map((e, i) => ({
        ...e.row,
        ledger_log: positions[i]!.log,
        ledger_index: positions[i]!.index,
      })),
    )
    for (const [i, e] of this.entries.entries()) if (e.then) await e.then(positions[i]!)
  }
}
