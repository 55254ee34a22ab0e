/**
 * The audit's replayer of cases and tasks: rebuilds them from their ledger events and names the live
 * rows that differ.
 * @module
 */
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { AttachmentService } from '../attachments/attachments.service.js'
import { diffStates, type Replayer } from '../ledger/index.js'
import type { CatalogService } from '../catalog/catalog.service.js'
import { commitment } from '../ledger/formats/index.js'
import { discrepancyCommitment } from './cases.model.js'
import * as store from './cases.store.js'

/**
 * How far a row's time may be from the ledger's time of its event: the service takes its time before
 * the ledger appends in the same transaction (milliseconds apart), so any larger gap is an edit.
 */
export const TIME_SKEW_MS = 60_000
const TIMES = new Set(['submittedAt', 'acceptedAt', 'endedAt', 'createdAt', 'completedAt'])

/**
 * Lines the live row up with the replayed one: a field the ledger did not record (events from before it
 * was added) is not compared, and a time within {@link TIME_SKEW_MS} of the event's counts as equal.
 */
function align(
  expected: ReadonlyMap<string, Record<string, unknown>>,
  live: Map<string, Record<string, unknown>>,
): void {
  for (const [key, got] of live) {
    const want = expected.get(key)
    if (!want) continue
    for (const field of Object.keys(got)) {
      const a = want[field]
      const b = got[field]
      if (a === undefined) delete got[field]
      else if (
        TIMES.has(field) &&
        typeof a === 'number' &&
        typeof b === 'number' &&
        Math.abs(a - b) <= TIME_SKEW_MS
      )
        got[field] = a
    }
  }
}

/**
 * Rebuilds cases and tasks from their ledger events and compares them with the live rows: the
 * matter, version, channel, applicant, region, who submitted it, a salted commitment to the current
 * (stored, so file-referencing) form data, the SHA-256 of each file the data refers to, the commitment
 * to its discrepancies with the records, the promised due date, when it was submitted, accepted and
 * ended, and whether and how it ended; and each task's node, department, status, outcome, who
 * completed it, its due date, SLA state, and when it was opened and closed.
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
    types: ['case.', 'task.', 'sla.'],
    apply: (e) => {
      const caseId = String(e.data.case)
      const c = cases.get(caseId)
      switch (e.type) {
        case 'case.submitted':
          // Cases from before attachments carried their files inline: no file commitments.
          // Applicant, region and due date are recorded from this version on (undefined: not compared).
          cases.set(caseId, {
            matter: e.data.matter,
            version: e.data.version,
            channel: e.data.channel,
            applicant: e.data.applicant,
            region: e.data.region,
            submittedBy: e.actor.id,
            data: e.data.data,
            attachments: e.data.attachments ?? [],
            discrepancies: e.data.discrepancies ?? [],
            dueAt: e.data.dueAt,
            submittedAt: e.time,
            acceptedAt: null,
            endedAt: null,
            ended: null,
          })
          break
        case 'case.accepted':
          if (c) c.acceptedAt = e.time
          break
        case 'case.completed':
        case 'case.rejected':
          if (c)
            Object.assign(c, {
              ended: e.type === 'case.completed' ? 'completed' : 'rejected',
              endedAt: e.time,
            })
          break
        case 'task.created':
          tasks.set(String(e.data.task), {
            case: caseId,
            node: e.data.node,
            department: e.data.department ?? null,
            status: 'open',
            outcome: null,
            assignee: null,
            dueAt: e.data.dueAt ?? null,
            sla: 'ok',
            createdAt: e.time,
            completedAt: null,
          })
          break
        case 'sla.warned':
        case 'sla.breached': {
          const t = tasks.get(String(e.data.task))
          if (t) t.sla = e.type === 'sla.warned' ? 'warned' : 'breached'
          break
        }
        case 'task.completed': {
          const t = tasks.get(String(e.data.task))
          if (t)
            Object.assign(t, {
              status: 'completed',
              outcome: e.data.outcome,
              assignee: e.actor.id,
              completedAt: e.time,
            })
          if (c && typeof e.data.data === 'string') c.data = e.data.data
          if (c && Array.isArray(e.data.attachments)) c.attachments = e.data.attachments
          break
        }
        case 'task.cancelled': {
          const t = tasks.get(String(e.data.task))
          if (t) Object.assign(t, { status: 'cancelled', completedAt: e.time })
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
        const { data, discrepancies } = r
        // Entries from before the commitment list the discrepancies in the clear: compare like with like.
        const committed = typeof cases.get(r.id)?.discrepancies !== 'object'
        liveCases.set(r.id, {
          matter: r.matter_code,
          version: r.matter_version,
          channel: r.channel,
          applicant: r.applicant_id,
          region: r.region_code,
          submittedBy: r.submitted_by,
          data: commitment(data, r.salt),
          attachments: filesOf(
            (await catalog.getVersion(r.matter_code, r.matter_version)).formSchema,
            data,
            r.id,
          ),
          discrepancies: committed
            ? discrepancyCommitment(discrepancies, r.salt)
            : discrepancies.map((d) => ({ path: d.path, source: d.source })),
          dueAt: r.due_at,
          submittedAt: r.submitted_at,
          acceptedAt: r.accepted_at,
          endedAt: r.completed_at,
          ended: r.status === 'completed' || r.status === 'rejected' ? r.status : null,
        })
      }
      const liveTasks = new Map<string, Record<string, unknown>>()
      for (const t of await store.listAllTasks(db)) {
        liveTasks.set(t.id, {
          case: t.case_id,
          node: t.node_id,
          department: t.department_id,
          status: t.status,
          outcome: t.outcome,
          assignee: t.assignee_id,
          dueAt: t.due_at,
          sla: t.sla,
          createdAt: t.created_at,
          completedAt: t.completed_at,
        })
      }
      align(cases, liveCases)
      align(tasks, liveTasks)
      return [...diffStates('case_file', cases, liveCases), ...diffStates('case_task', tasks, liveTasks)]
    },
  }
}
