/**
 * The audit's replay of the catalogue: every deployed version is rebuilt from its `matter.deployed`
 * event (digests of its definition, form and BPMN, its time limit and its publishing team) and compared
 * with `matter_version`. A process edited in the table after deployment, a version inserted without its
 * event, or a reform team changed after the fact shows as a difference.
 * @module
 */
import { createHash } from 'node:crypto'
import type { Executor } from '../../db/database.js'
import { diffStates, type ReplayEvent, type Replayer } from '../ledger/index.js'
import type { CatalogEventData } from './catalog.events.js'

/** base64 SHA-256 of a deployed text: what `matter.deployed` records of the definition, form and BPMN. */
export const digest = (text: string): string => createHash('sha256').update(text).digest('base64')

export function catalogReplayer(db: Executor): Replayer {
  const expected = new Map<string, Record<string, unknown>>()
  return {
    name: 'catalogue',
    types: ['matter.'],
    apply(e: ReplayEvent) {
      if (e.type !== 'matter.deployed') return
      const d = e.data as unknown as CatalogEventData['matter.deployed']
      expected.set(`${d.code}@${d.version}`, {
        slaDays: d.slaDays,
        definition: d.definition,
        form: d.form,
        process: d.process,
        // Entries written before teams name none; the system deploys for nobody.
        publishedBy: d.team === undefined || e.actor.id === 'system' ? null : e.actor.id,
        team: d.team ?? null,
      })
    },
    async compare() {
      const live = new Map<string, Record<string, unknown>>()
      const rows = await db.selectFrom('matter_version').selectAll().execute()
      for (const r of rows) {
        const definition = JSON.parse(r.definition) as { slaDays?: number }
        live.set(`${r.matter_code}@${Number(r.version)}`, {
          slaDays: definition.slaDays,
          definition: digest(r.definition),
          form: digest(r.form_schema),
          process: digest(r.process_xml),
          publishedBy: r.published_by,
          team: r.team_id,
        })
      }
      return diffStates('matter_version', expected, live)
    },
  }
}
