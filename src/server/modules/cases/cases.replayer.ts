/**
 * The audit's replayer of cases and tasks: rebuilds them from their ledger events and names the live
 * rows that differ.
 * @module
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { AttachmentService } from '../attachments/attachments.service.js'
import { diffStates, type Replayer } from '../audit/audit.model.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { commitment } from '../ledger/formats/index.js'
import { discrepancyCommitment, type Discrepancy } from './cases.model.js'
import * as store from './cases.store.js'

/**
 * Rebuilds cases and tasks from their ledger events and compares them with the live rows: the
 * matter, version, channel, a salted commitment to the current (stored, so file-referencing) form
 * data, the SHA-256 of each file the data refers to, the commitment to its discrepancies with the
 * records, whether and how the case ended; and each task's
 * department, status, outcome and who completed it.
 */
export function casesReplayer(
  db: Kysely<DB>,
  catalog: CatalogService,
  attachments: AttachmentService,
): Replayer {
  const cases = new Map<string, Record<string, unknown>>()
  const tasks = new Map<string, Record<string, unknown>>()
  return {
    name: 'cases',
    types: ['case.', 'task.'],
    apply: (e) => {
      const caseId = String(e.data.case)
      const c = cases.get(caseId)
      switch (e.type) {
        case 'case.submitted':
          // Cases from before attachments carried their files inline: no file commitments.
          cases.set(caseId, {
            matter: e.data.matter,
            version: e.data.version,
            channel: e.data.channel,
            data: e.data.data,
            attachments: e.data.attachments ?? [],
            discrepancies: e.data.discrepancies ?? [],
            ended: null,
          })
          break
        case 'case.completed':
        case 'case.rejected':
          if (c) c.ended = e.type === 'case.completed' ? 'completed' : 'rejected'
          break
        case 'task.created':
          tasks.set(String(e.data.task), {
            case: caseId,
            department: e.data.department ?? null,
            status: 'open',
            outcome: null,
            assignee: null,
          })
          break
        case 'task.completed': {
          const t = tasks.get(String(e.data.task))
          if (t) Object.assign(t, { status: 'completed', outcome: e.data.outcome, assignee: e.actor.id })
          if (c && typeof e.data.data === 'string') c.data = e.data.data
          if (c && Array.isArray(e.data.attachments)) c.attachments = e.data.attachments
          break
        }
        case 'task.cancelled': {
          const t = tasks.get(String(e.data.task))
          if (t) t.status = 'cancelled'
          break
        }
        case 'task.claimed':
        case 'task.released':
        case 'task.reassigned': {
          const t = tasks.get(String(e.data.task))
          if (t) t.assignee = e.data.assignee ?? null
          break
        }
      }
    },
    compare: async () => {
      const liveCases = new Map<string, Record<string, unknown>>()
      const filesOf = await attachments.commitmentReader()
      for (const r of await store.listAllCases(db)) {
        const data = JSON.parse(r.data) as Record<string, unknown>
        const discrepancies = JSON.parse(r.discrepancies) as Discrepancy[]
        // Entries from before the commitment list the discrepancies in the clear: compare like with like.
        const committed = typeof cases.get(r.id)?.discrepancies !== 'object'
        liveCases.set(r.id, {
          matter: r.matter_code,
          version: r.matter_version,
          channel: r.channel,
          data: commitment(data, r.salt),
          attachments: filesOf(
            (await catalog.getVersion(r.matter_code, r.matter_version)).formSchema,
            data,
            r.id,
          ),
          discrepancies: committed
            ? discrepancyCommitment(discrepancies, r.salt)
            : discrepancies.map((d) => ({ path: d.path, source: d.source })),
          ended: r.status === 'completed' || r.status === 'rejected' ? r.status : null,
        })
      }
      const liveTasks = new Map<string, Record<string, unknown>>()
      for (const t of await store.listAllTasks(db)) {
        liveTasks.set(t.id, {
          case: t.case_id,
          department: t.department_id,
          status: t.status,
          outcome: t.outcome,
          assignee: t.assignee_id,
        })
      }
      return [...diffStates('case_file', cases, liveCases), ...diffStates('case_task', tasks, liveTasks)]
    },
  }
}
