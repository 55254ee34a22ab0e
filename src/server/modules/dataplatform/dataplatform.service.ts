/**
 * The data platform (数据中台): authoritative records that departments hold, read to prefill a
 * citizen's form (the once-only principle: never ask for what the government already has; the
 * catalogue maps records to form fields) and by service tasks of the workflow. Records enter in bulk
 * from the departments' systems (in the demo: the generator in `demo/`, driven by the demo seeding), each
 * batch recorded in the ledger with a digest, per city.
 * @module
 */
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { SYSTEM } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { DataRecordTable, DB } from '../../db/schema.js'
import { notFound } from '../../../shared/errors.js'
import { DATA_LOOKUPS, findLookup, type DataRecord } from './dataplatform.model.js'
import { actorOf, subjectOf, type LedgerEvent } from '../ledger/index.js'
import type { LedgerService } from '../ledger/ledger.service.js'
import * as store from './dataplatform.store.js'
import type { StoredRecord } from './dataplatform.store.js'

export type { StoredRecord }

export class DataPlatformService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {}

  /** The lookups service tasks may call. */
  lookups(): typeof DATA_LOOKUPS {
    return DATA_LOOKUPS
  }

  /**
   * Runs a registered lookup: the record of `source` for a citizen id or a credit code, or null.
   * @throws AppError NOT_FOUND for an unknown lookup name
   */
  async lookup(name: string, input: string): Promise<StoredRecord | null> {
    const lookup = findLookup(name)
    if (!lookup) throw notFound('lookup', name)
    if (lookup.input === 'creditCode') return (await store.findRecord(this.db, lookup.source, input)) ?? null
    if (lookup.citizenPath) {
      return (
        (await store.findRecordsOfCitizen(this.db, input)).find((r) => r.source === lookup.source) ?? null
      )
    }
    return (await store.findRecord(this.db, lookup.source, input)) ?? null
  }

  /** One record of a source by its key, read through `db`. */
  findRecord(source: string, key: string, db: Executor = this.db): Promise<StoredRecord | undefined> {
    return store.findRecord(db, source, key)
  }

  /** Every record the government holds about a citizen. */
  recordsOf(citizenId: string): Promise<StoredRecord[]> {
    return store.findRecordsOfCitizen(this.db, citizenId)
  }

  /** True when the platform holds no record yet. */
  async isEmpty(): Promise<boolean> {
    return (await store.countRecords(this.db)) === 0
  }

  /**
   * Loads records delivered in bulk by the departments' systems, batch by batch: each batch is one
   * transaction with one `record.registered_batch` ledger event per city (count and digest of its
   * records). A system operation with no principal (the demo seeding calls it); a key the platform
   * already holds fails that batch's transaction.
   * @param onBatch called after each batch commits
   * @returns the number of records loaded
   */
  async importRecords(
    batches: Iterable<readonly DataRecord[]>,
    onBatch?: (records: number) => void,
  ): Promise<number> {
    let records = 0
    for (const batch of batches) {
      const rows: DataRecordTable[] = batch.map((r) => toRow(r))
      await this.db.transaction().execute(async (trx) => {
        // The batch events first: each record keeps the position of the entry that registered it.
        const { cities, events } = batchEvents(rows)
        const positions = await this.ledger.appendMany(trx, events)
        const at = new Map(cities.map((city, i) => [city, positions[i]!]))
        for (const r of rows) {
          const p = at.get(r.region_code.slice(0, 4))
          r.ledger_log = p?.log ?? null
          r.ledger_index = p?.index ?? null
        }
        await store.insertRecords(trx, rows)
      })
      records += rows.length
      onBatch?.(rows.length)
    }
    return records
  }
}

function toRow(r: DataRecord): DataRecordTable {
  return {
    source: r.source,
    record_key: r.key,
    citizen_id: r.citizenId,
    owner_department_kind: r.ownerDepartmentKind,
    region_code: r.regionCode,
    data: JSON.stringify(r.data),
    updated_at: r.updatedAt,
    updated_by: r.updatedBy ?? null,
    ledger_log: null,
    ledger_index: null,
  }
}

/**
 * One `record.registered_batch` event per city: the count and a digest of the rows (sorted by source
 * and key; each line names who last changed the record, when known), with the city of each event.
 */
function batchEvents(rows: readonly DataRecordTable[]): { cities: string[]; events: LedgerEvent[] } {
  const byCity = new Map<string, DataRecordTable[]>()
  for (const r of rows) {
    const city = r.region_code.slice(0, 4)
    const list = byCity.get(city)
    if (list) list.push(r)
    else byCity.set(city, [r])
  }
  const entries = [...byCity.entries()]
  const events = entries.map(([city, list]): LedgerEvent => {
    list.sort((a, b) =>
      a.source < b.source ? -1 : a.source > b.source ? 1 : a.record_key < b.record_key ? -1 : 1,
    )
    const h = createHash('sha256')
    for (const r of list)
      h.update(
        `${r.source}\t${r.record_key}\t${createHash('sha256').update(r.data).digest('base64')}${r.updated_by ? `\t${r.updated_by}` : ''}\n`,
      )
    return {
      type: 'record.registered_batch',
      subject: subjectOf('records', `${city}:${list[0]!.source}:${list[0]!.record_key}`),
      regionCode: city,
      actor: actorOf(SYSTEM),
      data: { count: list.length, digest: h.digest('base64') },
    }
  })
  return { cities: entries.map(([city]) => city), events }
}
