/**
 * A newcomer's walk-through of the flagship case with nothing but the README: citizen.demo applies for
 * 企业开办 (BIZ_STARTUP), the window clerk accepts it, the four county departments each approve their
 * parallel step, and the case is completed. Every account used must be listed in the README's account
 * table (issue 9 §5: before, none of the listed accounts could see the four county steps).
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../support/db.js'
import { api, login } from '../support/http.js'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'

/** The usernames of the README's "Demo accounts" table (each backticked name in its first column). */
function readmeAccounts(): Set<string> {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## Demo accounts'), readme.indexOf('## Configuration'))
  const names = new Set<string>()
  for (const line of section.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1]
    for (const m of first?.matchAll(/`([a-z0-9._-]+)`/g) ?? []) names.add(m[1]!)
  }
  return names
}

interface Task {
  id: string
  caseId: string
  node: string
}
interface Step {
  node: string
  departmentId: string | null
  completedAt: number | null
  outcome: string | null
}

const citizenDemo = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' }).citizens(1).next()
  .value![0]!

describe.each(DIALECTS)('the README accounts finish 企业开办 on %s', (dialect) => {
  let app: TestApp
  const listed = readmeAccounts()
  beforeAll(async () => {
    app = await createTestApp(dialect)
  })
  afterAll(() => app?.dispose())

  /** Logs in as a README account (and fails if the README does not list it). */
  async function as(username: string): Promise<string> {
    expect(listed, `${username} is in the README's account table`).toContain(username)
    return login(app, username)
  }

  it('lists the accounts the walk-through needs', () => {
    for (const u of ['citizen.demo', 'clerk.demo', 'market.demo', 'police.demo', 'tax.demo', 'hrss.demo'])
      expect(listed).toContain(u)
  })

  it('takes citizen.demo’s case from submission to completion', async () => {
    const citizen = await as('citizen.demo')
    const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    expect(prefill.status).toBe(200)
    const submitted = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode: 'BIZ_STARTUP',
        data: merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!),
        channel: 'online',
      },
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const caseId = submitted.body.id as string

    /** The named account finds its task on the case in its inbox and approves it. */
    const approve = async (username: string, node: string): Promise<void> => {
      const token = await as(username)
      const inbox = (await api(app, 'GET', '/api/tasks', { token })).body as Task[]
      const task = inbox.find((t) => t.caseId === caseId)
      expect(task?.node, `${username} has the ${node} step in their inbox`).toBe(node)
      const done = await api(app, 'POST', `/api/tasks/${task!.id}/complete`, {
        token,
        body: { outcome: 'approve', comment: '同意' },
      })
      expect(done.status, JSON.stringify(done.body)).toBe(200)
    }

    await approve('clerk.demo', 'accept')
    const accepted = (await api(app, 'GET', `/api/cases/${caseId}`, { token: citizen })).body as {
      timeline: Step[]
    }
    const open = accepted.timeline.filter((s) => s.completedAt === null && s.departmentId)
    expect(open.map((s) => s.node).sort()).toEqual(
      ['market_registration', 'seal_filing', 'social_security_registration', 'tax_registration'].sort(),
    )
    await approve('market.demo', 'market_registration')
    await approve('police.demo', 'seal_filing')
    await approve('tax.demo', 'tax_registration')
    await approve('hrss.demo', 'social_security_registration')

    const finished = (await api(app, 'GET', `/api/cases/${caseId}`, { token: citizen })).body as {
      status: string
      timeline: Step[]
    }
    expect(finished.status).toBe('completed')
    expect(finished.timeline.filter((s) => s.departmentId).every((s) => s.outcome === 'approve')).toBe(true)

    // 柜台评价: clerk.demo, whose service centre accepted it, hands citizen.demo the counter rating.
    const invitation = await api(app, 'POST', `/api/cases/${caseId}/rating/invitations`, {
      token: await as('clerk.demo'),
    })
    expect(invitation.status, JSON.stringify(invitation.body)).toBe(201)
    const rated = await api(app, 'POST', `/api/rating-invitations/${invitation.body.token}/rating`, {
      body: { score: 5, reformScore: 5 },
    })
    expect(rated.status, JSON.stringify(rated.body)).toBe(201)
    expect((await api(app, 'GET', `/api/cases/${caseId}/rating`, { token: citizen })).body).toMatchObject({
      channel: 'counter',
      team: { name: '潇湘省政务服务和数据管理局' },
    })
  })
})
