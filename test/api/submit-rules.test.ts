/**
 * Who a submission is for (issue 9): a citizen applies online for themselves only; naming another
 * applicant or the window is refused, never silently turned into a case of their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, createTestApp, type TestApp } from '../support/db.js'
import { api, expectError, login } from '../support/http.js'

describe.each(DIALECTS)('submission rules (%s)', (dialect) => {
  let app: TestApp
  let citizen: string
  beforeAll(async () => {
    app = await createTestApp(dialect)
    citizen = await login(app, 'citizen.demo')
  }, 120_000)
  afterAll(() => app?.dispose())

  const submit = (token: string, body: Record<string, unknown>) =>
    api(app, 'POST', '/api/cases', { token, body: { matterCode: 'BIZ_STARTUP', data: {}, ...body } })

  it("refuses a citizen naming another citizen's applicantId", async () => {
    const res = await submit(citizen, { channel: 'online', applicantId: 'someone-else' })
    expectError(res, 403, 'FORBIDDEN')
    expect(res.body.error.message).toMatch(/themselves/)
  })

  it('refuses the window channel from a citizen', async () => {
    const res = await submit(citizen, { channel: 'window' })
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: '/body/channel' })])
  })

  it("accepts a citizen's own id and goes on to check the form", async () => {
    const me = (await api(app, 'GET', '/api/auth/me', { token: citizen })).body
    const res = await submit(citizen, { channel: 'online', applicantId: me.id })
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(res.body.error.details)).not.toContain('/body/channel')
    expect(JSON.stringify(res.body.error.details)).not.toContain('/body/applicantId')
  })
})
