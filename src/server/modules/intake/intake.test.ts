import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { CitizenMatch } from '../../../shared/api.js'
import { checkDigit } from '../../../shared/idnumber.js'
import { parseCitizenQuery } from './intake.model.js'
import { maskName } from '../org/index.js'

/** citizen.demo as the demo generator makes them. */
const DEMO = { id: 'ct-0000001', idNumber: '430101199312198777', name: '江东家' }

const idNumber = (first17: string): string => first17 + checkDigit(first17)

describe('what a clerk may type to find a citizen', () => {
  it('takes a full identity number (any case of X) or a full Chinese name', () => {
    expect(parseCitizenQuery(' 430101199312198777 ')).toEqual({ by: 'idNumber', idNumber: DEMO.idNumber })
    const withX = ['43010119931219', '0', '0', '1'].join('')
    const x = idNumber(withX)
    expect(parseCitizenQuery(x.toLowerCase())).toEqual({ by: 'idNumber', idNumber: x })
    expect(parseCitizenQuery('江东家')).toEqual({ by: 'name', name: '江东家' })
    expect(parseCitizenQuery('阿依古丽·买买提')).toEqual({ by: 'name', name: '阿依古丽·买买提' })
  })

  it.each(['430101199312198778', '4301011993', '江', 'zhang san', '%', '江东家%', '1'.repeat(18)])(
    'refuses %j',
    (q) => {
      expect(() => parseCitizenQuery(q)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: [expect.objectContaining({ path: '/querystring/query' })],
        }),
      )
    },
  )

  it('masks names keeping the surname and the last character', () => {
    expect(['张三', '张小三', '欧阳小三', '阿依古丽·买买提'].map(maskName)).toEqual([
      '张*',
      '张*三',
      '欧**三',
      '阿******提',
    ])
  })
})

describe.each(DIALECTS)('window intake on %s', (dialect) => {
  let app: TestApp
  let clerk: string
  let official: string
  let citizen: string
  let admin: string
  beforeAll(async () => {
    app = await createTestApp(dialect)
    ;[clerk, official, citizen, admin] = (await Promise.all(
      ['clerk.demo', 'official.demo', 'citizen.demo', 'admin'].map((u) => login(app, u)),
    )) as [string, string, string, string]
  })
  afterAll(() => app?.dispose())

  it('finds a citizen by identity number or name, masked, and records each look-up as a data access', async () => {
    const byId = await api(app, 'GET', `/api/citizens?query=${DEMO.idNumber}`, { token: clerk })
    expect(byId.status).toBe(200)
    expect(byId.body).toEqual([
      {
        id: DEMO.id,
        nameMasked: '江*家',
        idNumberMasked: '4301**********8777',
        phoneMasked: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/),
        gender: 'M',
        regionCode: '430101001',
        regionName: expect.stringMatching(/街道$/),
      } satisfies CitizenMatch,
    ])
    // Nothing unmasked leaves: not the name, not the number.
    expect(JSON.stringify(byId.body)).not.toContain(DEMO.name)
    expect(JSON.stringify(byId.body)).not.toContain(DEMO.idNumber)

    const byName = await api(app, 'GET', `/api/citizens?query=${encodeURIComponent(DEMO.name)}`, {
      token: clerk,
    })
    expect(byName.status).toBe(200)
    expect((byName.body as CitizenMatch[]).map((m) => m.id)).toContain(DEMO.id)
    expect((byName.body as CitizenMatch[]).length).toBeLessThanOrEqual(20)

    // The citizen sees both look-ups under "who looked at my data"; not flagged, no case.
    const own = await api(app, 'GET', '/api/me/data-access', { token: citizen })
    const lookups = (
      own.body as { what: string; caseId: string; flagged: boolean; staffName: string }[]
    ).filter((a) => a.what.startsWith('lookup:'))
    expect(lookups.map((a) => a.what).sort()).toEqual(['lookup:idNumber', 'lookup:name'])
    expect(lookups.every((a) => a.caseId === '' && !a.flagged)).toBe(true)

    // Each is a ledger event in the citizen's city log, without the query; the audit replays them.
    const leaves = await sql<{ log_id: string; leaf: Uint8Array }>`
      select log_id, leaf from ledger_leaf where type = 'data.looked_up'`.execute(app.database.db)
    expect(leaves.rows.length).toBeGreaterThanOrEqual(2)
    for (const row of leaves.rows) {
      const text = Buffer.from(row.leaf).toString('utf8')
      expect(row.log_id).toBe('4301')
      expect(text).toContain(DEMO.id)
      expect(text).not.toContain(DEMO.idNumber)
      expect(text).not.toContain(DEMO.name)
    }
    const replay = await app.services.audit.replay()
    expect(replay.differences).toEqual([])
  })

  it('finds nobody for an unknown number and records nothing', async () => {
    const before = await api(app, 'GET', '/api/me/data-access', { token: citizen })
    const res = await api(app, 'GET', `/api/citizens?query=${idNumber('43010119800101001')}`, {
      token: clerk,
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual([])
    const after = await api(app, 'GET', '/api/me/data-access', { token: citizen })
    expect(after.body).toHaveLength((before.body as unknown[]).length)
  })

  it('is for window clerks only, and refuses partial numbers and prefixes', async () => {
    for (const token of [official, citizen, admin]) {
      expectError(await api(app, 'GET', `/api/citizens?query=${DEMO.idNumber}`, { token }), 403, 'FORBIDDEN')
    }
    expectError(await api(app, 'GET', `/api/citizens?query=${DEMO.idNumber}`), 401, 'UNAUTHENTICATED')
    const partial = await api(app, 'GET', '/api/citizens?query=430101', { token: clerk })
    expectError(partial, 400, 'VALIDATION_FAILED')
    expect(partial.body.error.details[0].path).toBe('/querystring/query')
    expectError(
      await api(app, 'GET', '/api/citizens?query=430101199312198778', { token: clerk }),
      400,
      'VALIDATION_FAILED',
    )
    expectError(await api(app, 'GET', '/api/citizens', { token: clerk }), 400, 'VALIDATION_FAILED')
  })

  it('registers a citizen on the spot, who is then found; a second registration is a conflict', async () => {
    const number = idNumber('43010219850312002')
    const res = await api(app, 'POST', '/api/citizens', {
      token: clerk,
      body: { idNumber: number, name: '窗口新', phone: '13812345678' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({
      nameMasked: '窗*新',
      idNumberMasked: `4301**********${number.slice(-4)}`,
      phoneMasked: '138****5678',
      gender: 'F',
      regionCode: '430101001',
    })
    const found = await api(app, 'GET', `/api/citizens?query=${number}`, { token: clerk })
    expect((found.body as CitizenMatch[]).map((m) => m.id)).toEqual([res.body.id])

    // The clerk can submit for them at once.
    const again = await api(app, 'POST', '/api/citizens', {
      token: clerk,
      body: { idNumber: number, name: '窗口新', phone: '13812345678' },
    })
    expectError(again, 409, 'CONFLICT')
    expect(JSON.stringify(again.body)).not.toContain(number)

    // The registration is in the ledger and the audit rebuilds it; a changed phone is named.
    expect((await app.services.audit.replay()).differences).toEqual([])
    await sql`update citizen set phone = '13900000000' where account_id = ${res.body.id}`.execute(
      app.database.db,
    )
    const tampered = await app.services.audit.replay()
    expect(tampered.differences).toEqual([
      expect.objectContaining({ table: 'citizen', key: res.body.id, problem: 'differs' }),
    ])
    await sql`update citizen set phone = '13812345678' where account_id = ${res.body.id}`.execute(
      app.database.db,
    )
  })

  it('validates the identity number by GB 11643, the name and the phone, naming each field', async () => {
    const res = await api(app, 'POST', '/api/citizens', {
      token: clerk,
      body: { idNumber: '430102198503120021', name: 'Li', phone: '12345' },
    })
    expectError(res, 400, 'VALIDATION_FAILED')
    const paths = (res.body.error.details as { path: string }[]).map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['/body/phone']))
    const wrongCheck = await api(app, 'POST', '/api/citizens', {
      token: clerk,
      body: { idNumber: '430102198503120021', name: '李某', phone: '13812345678' },
    })
    expectError(wrongCheck, 400, 'VALIDATION_FAILED')
    expect(wrongCheck.body.error.details).toEqual([expect.objectContaining({ path: '/body/idNumber' })])
    // A street or township only.
    const county = await api(app, 'POST', '/api/citizens', {
      token: clerk,
      body: {
        idNumber: idNumber('43010219850312004'),
        name: '李某',
        phone: '13812345678',
        regionCode: '430101',
      },
    })
    expectError(county, 400, 'VALIDATION_FAILED')
    expectError(
      await api(app, 'POST', '/api/citizens', {
        token: official,
        body: { idNumber: idNumber('43010219850312006'), name: '李某', phone: '13812345678' },
      }),
      403,
      'FORBIDDEN',
    )
  })
})
