/**
 * Identity numbers in forms are checked as the standards define them, not only by shape: a 公民身份号码
 * with a wrong GB 11643 check digit, or a 统一社会信用代码 with a wrong GB 32100 check character, is refused
 * with 400 naming the field (public contract).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { merge, typed } from '../../src/server/modules/catalog/demo/samples.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../src/server/modules/sim/demo.generator.js'
import type { DemoCitizen } from '../../src/server/modules/sim/demo.model.js'
import { checkDigit, isValidIdNumber } from '../../src/shared/idnumber.js'
import { isValidUscc } from '../../src/shared/uscc.js'
import { createTestApp, DIALECTS, type TestApp } from '../support/db.js'
import { api, expectError, login } from '../support/http.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]

/** The same number with another check character (always wrong, still 18 digits-or-X). */
function wrongCheck(id: string): string {
  const right = checkDigit(id.slice(0, 17))
  return id.slice(0, 17) + (right === '0' ? '1' : '0')
}

describe.each(DIALECTS)('identity numbers in forms on %s', (dialect) => {
  let app: TestApp
  let citizen: string
  beforeAll(async () => {
    app = await createTestApp(dialect)
    citizen = await login(app, 'citizen.demo')
  })
  afterAll(async () => {
    await app?.dispose()
  })

  it('refuses an ID number with a wrong check digit, naming the field', async () => {
    const prefill = await api(app, 'GET', '/api/matters/BIZ_STARTUP/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).BIZ_STARTUP!) as {
      shareholders: { idNumber: string }[]
    }
    const good = data.shareholders[1]!.idNumber
    expect(isValidIdNumber(good)).toBe(true)
    data.shareholders[1]!.idNumber = wrongCheck(good)
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: { matterCode: 'BIZ_STARTUP', data, channel: 'online' },
    })
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(
      '/body/data/shareholders/1/idNumber',
    )
  })

  it('the demo province generates valid numbers', () => {
    const citizens = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
      .citizens(200)
      .next().value!
    for (const c of citizens) expect(isValidIdNumber(c.idNumber), c.idNumber).toBe(true)
    expect(isValidUscc('91430102MA4L0000X0')).toBe(false)
  })
})
