/**
 * The scheduler's replay: rebuilds every job's kind, key, payload, region, due time, attempts allowed
 * and status from the ledger, and compares them with `scheduler_job`. A job marked done, cancelled or
 * pushed back in the table without its event (an escalation silently dropped) shows as a difference.
 * A `running` job is one a worker holds right now: it matches a job the ledger has waiting.
 * @module
 */
import type { AuditDifference } from '../../../shared/api.js'
import { canonicalText } from '../ledger/formats/index.js'
import type { ReplayEvent, Replayer } from '../ledger/index.js'
import type { SchedulerEventData } from './scheduler.events.js'
import type { Job, JobStatus } from './scheduler.model.js'

interface Expected {
  kind: string
  key: string
  payload: string
  regionCode: string
  dueAt: number
  maxAttempts: number
  status: JobStatus
}

const canonical = (value: unknown): string => canonicalText(value ?? null)

const COMPARED = ['kind', 'key', 'payload', 'regionCode', 'dueAt', 'maxAttempts', 'status'] as const

export function schedulerReplayer(listAll: () => Promise<Job[]>): Replayer {
  const expected = new Map<string, Expected>()
  const set = (id: string, patch: Partial<Expected>): void => {
    const job = expected.get(id)
    // An outcome of a job the ledger never scheduled: keep it, so the table's row shows as differing.
    if (!job) {
      expected.set(id, {
        kind: '?',
        key: '?',
        payload: '?',
        regionCode: '?',
        dueAt: 0,
        maxAttempts: 0,
        status: 'pending',
        ...patch,
      })
      return
    }
    Object.assign(job, patch)
  }
  return {
    name: 'scheduler',
    types: ['job.'],
    apply(e: ReplayEvent) {
      switch (e.type) {
        case 'job.scheduled': {
          const d = e.data as unknown as SchedulerEventData['job.scheduled']
          for (const j of d.jobs)
            expected.set(j.id, {
              kind: j.kind,
              key: j.key,
              payload: canonical(j.payload),
              regionCode: d.regionCode,
              dueAt: j.dueAt,
              maxAttempts: j.maxAttempts,
              status: 'pending',
            })
          return
        }
        case 'job.completed':
          return set(String(e.data.id), { status: 'done' })
        case 'job.failed': {
          const d = e.data as unknown as SchedulerEventData['job.failed']
          return set(d.id, { status: 'failed', dueAt: d.retryAt })
        }
        case 'job.dead':
          return set(String(e.data.id), { status: 'dead' })
        case 'job.cancelled': {
          const d = e.data as unknown as SchedulerEventData['job.cancelled']
          for (const id of d.ids) set(id, { status: 'cancelled' })
          return
        }
        case 'job.retried': {
          const d = e.data as unknown as SchedulerEventData['job.retried']
          return set(d.id, { status: 'pending', dueAt: d.dueAt })
        }
      }
    },
    async compare() {
      const differences: AuditDifference[] = []
      const seen = new Set<string>()
      for (const job of await listAll()) {
        seen.add(job.id)
        const want = expected.get(job.id)
        if (!want) {
          differences.push({ table: 'scheduler_job', key: job.id, problem: 'unexpected' })
          continue
        }
        const live: Expected = {
          kind: job.kind,
          key: job.key,
          payload: canonical(job.payload),
          regionCode: job.regionCode,
          dueAt: job.dueAt,
          maxAttempts: job.maxAttempts,
          status:
            job.status === 'running' && (want.status === 'pending' || want.status === 'failed')
              ? want.status
              : job.status,
        }
        for (const field of COMPARED)
          if (live[field] !== want[field])
            differences.push({
              table: 'scheduler_job',
              key: job.id,
              problem: 'differs',
              field,
              expected: want[field],
              actual: live[field],
            })
      }
      for (const id of expected.keys())
        if (!seen.has(id)) differences.push({ table: 'scheduler_job', key: id, problem: 'missing' })
      return differences
    },
  }
}
