/**
 * Finished cases for tests that start where a case ends (好差评, rectifications): citizen.demo applies
 * for a residence permit and a test desk of every department on its way approves it.
 */
import { expect } from 'vitest'
import type { App } from '../../src/server/app.js'
import type { CaseView, TaskView } from '../../src/shared/api.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoCitizen } from '../../src/server/modules/sim/demo.model.js'
import { api, expectError, login } from './http.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]

export interface CaseFinisher {
  /** A token of the test desk (clerk and official) of a department, created on first use. */
  desk: (departmentId: string) => Promise<string>
  /** A case of citizen.demo, finished: every department step approved by its desk. */
  finishedCase: () => Promise<CaseView>
}

/**
 * Desks are staff accounts `<prefix>.<n>` the administrator creates (password `test-password`).
 * @param tokens citizen.demo's and the administrator's tokens
 */
export function caseFinisher(
  app: App,
  prefix: string,
  tokens: { citizen: string; admin: string },
): CaseFinisher {
  const workers = new Map<string, string>()

  async function desk(departmentId: string): Promise<string> {
    const known = workers.get(departmentId)
    if (known) return known
    const username = `${prefix}.${workers.size}`
    const res = await api(app, 'POST', '/api/staff', {
      token: tokens.admin,
      body: {
        username,
        password: 'test-password',
        name: '测试人员',
        departmentId,
        roles: ['clerk', 'official'],
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const token = await login(app, username, 'test-password')
    workers.set(departmentId, token)
    return token
  }

  async function finishedCase(): Promise<CaseView> {
    const { citizen } = tokens
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const id = (
      await api(app, 'POST', '/api/cases', {
        token: citizen,
        body: {
          matterCode: 'RESIDENCE_PERMIT',
          data: merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!),
          channel: 'online',
        },
      })
    ).body.id as string
    expectError(
      await api(app, 'POST', `/api/cases/${id}/rating`, { token: citizen, body: { score: 5 } }),
      409,
      'CONFLICT',
    )
    for (let round = 0; round < 20; round++) {
      const c = (await api(app, 'GET', `/api/cases/${id}`, { token: citizen })).body as CaseView
      const open = c.timeline.filter(
        (s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled' && s.departmentId,
      )
      if (open.length === 0) return c
      for (const s of open) {
        const token = await desk(s.departmentId!)
        const task = ((await api(app, 'GET', '/api/tasks', { token })).body as TaskView[]).find(
          (t) => t.caseId === id && t.node === s.node,
        )!
        const done = await api(app, 'POST', `/api/tasks/${task.id}/complete`, {
          token,
          body: { outcome: 'approve', comment: '同意' },
        })
        expect(done.status, JSON.stringify(done.body)).toBe(200)
      }
    }
    throw new Error('the case did not finish')
  }

  return { desk, finishedCase }
}
