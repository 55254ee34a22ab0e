import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { declareTestEvents } from '../../../../test/support/events.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import { hashPassword } from '../../security/password.js'
import { isPostgres } from '../../db/dialect.js'
import {
  parseTilePath,
  verifyConsistency,
  verifyInclusion,
  hashLeaf,
  decodeEntryBundle,
} from './formats/index.js'
import { verifyCheckpointNote, verifyReceipt } from './ledger.signing.js'

async function dropTriggers(app: TestApp): Promise<void> {
  const db = app.database.db
  for (const table of ['ledger_leaf', 'ledger_checkpoint', 'ledger_cosignature']) {
    if (isPostgres(db))
      await sql`alter table ${sql.id(table)} disable trigger ${sql.id(`${table}_append_only`)}`.execute(db)
    else
      for (const op of ['update', 'delete'])
        await sql`drop trigger if exists ${sql.id(`${table}_no_${op}`)}`.execute(db)
  }
}

describe.each(DIALECTS)('ledger on %s', (dialect) => {
  let app: TestApp
  let admin: string
  beforeAll(async () => {
    app = await createTestApp(dialect)
    declareTestEvents(app.services.ledger)
    admin = await login(app, 'admin.4301')
  })
  afterAll(() => app?.dispose())

  it('records the seeded province: regions, departments and staff in their cities’ logs', async () => {
    const logs = (await api(app, 'GET', '/api/ledger/logs')).body as {
      id: string
      origin: string
      size: number
      verifierKey: string
    }[]
    expect(logs.map((l) => l.id)).toEqual([
      '43',
      ...Array.from({ length: 14 }, (_, i) => `43${String(i + 1).padStart(2, '0')}`),
    ])
    const xingcheng = logs.find((l) => l.id === '4301')!
    expect(xingcheng.origin).toBe('ledger.xiaoxiang.gov.cn/ledger/4301')
    expect(xingcheng.verifierKey).toMatch(
      /^ledger\.xiaoxiang\.gov\.cn\/ledger\/4301\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/,
    )
    expect(xingcheng.size).toBeGreaterThan(100)
    const entries = await api(app, 'GET', '/api/ledger/4301/entries?start=0&end=3')
    expect(entries.body).toHaveLength(3)
    const leaf = JSON.parse(Buffer.from(entries.body[0].leaf, 'base64').toString('utf8'))
    expect(leaf).toMatchObject({
      v: 1,
      log: '4301',
      index: 0,
      type: expect.stringMatching(/\./),
      actor: { id: 'system' },
    })
  })

  it('commits an event with its state change and rolls both back together', async () => {
    const before = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.size
    const created = await api(app, 'POST', '/api/departments', {
      token: admin,
      body: { name: '星城市账本测试局', regionCode: '4301', kind: 'tax' },
    })
    expect(created.status).toBe(201)
    const after = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.size
    expect(after).toBe(before + 1)
    const [last] = await app.services.ledger.entries('4301', after - 1, after)
    const leaf = JSON.parse(Buffer.from(last!.leaf, 'base64').toString('utf8'))
    expect(leaf).toMatchObject({
      type: 'department.created',
      subject: `department:${created.body.id}`,
      data: { name: '星城市账本测试局' },
    })

    // A conflicting insert fails after nothing was appended; a failure after the append rolls it back.
    expect(
      (
        await api(app, 'POST', '/api/departments', {
          token: admin,
          body: { name: '星城市账本测试局', regionCode: '4301', kind: 'tax' },
        })
      ).status,
    ).toBe(409)
    await expect(
      app.database.db.transaction().execute(async (trx) => {
        await app.services.ledger.append(trx, {
          type: 'test.rolled_back',
          subject: 'x:1',
          regionCode: '4301',
          actor: { id: 'system', roles: [], department: null, region: '' },
          data: {},
        })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect((await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.size).toBe(after)
    // And the next append continues at the right index.
    await api(app, 'PATCH', `/api/departments/${created.body.id}`, {
      token: admin,
      body: { name: '星城市账本测试二局' },
    })
    expect((await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.size).toBe(after + 1)
  })

  it('signs checkpoints, cosigns them as the province witness, and serves proofs that verify', async () => {
    await app.services.ledger.tick()
    const logs = await app.services.ledger.listLogs()
    const log = logs.find((l) => l.id === '4301')!
    const checkpoint = await api(app, 'GET', '/api/ledger/4301/checkpoint')
    expect(checkpoint.status).toBe(200)
    expect(String(checkpoint.headers['content-type'])).toMatch(/^text\/plain/)
    const cp = verifyCheckpointNote(checkpoint.body, [log.verifierKey])
    expect(cp.size).toBe(log.size)
    expect(checkpoint.body).toContain(`— ${app.services.ledger.witnessKeys().province.split('+')[0]} `)
    expect(log.witnesses[0]).toMatchObject({ size: log.size })
    // The province log records the city checkpoint it witnessed.
    const province = await app.services.ledger.entries('43', 0, 10_000)
    expect(province.some((e) => e.type === 'ledger.checkpoint_witnessed')).toBe(true)

    for (const index of [0, 1, Math.floor(log.size / 2), log.size - 1]) {
      const proof = await api(app, 'GET', `/api/ledger/4301/proof/inclusion?index=${index}&size=${cp.size}`)
      expect(proof.status).toBe(200)
      const [entry] = await app.services.ledger.entries('4301', index, index + 1)
      const leafHash = hashLeaf(Buffer.from(entry!.leaf, 'base64'))
      const hashes = proof.body.hashes.map((h: string) => Buffer.from(h, 'base64'))
      expect(verifyInclusion(index, cp.size, leafHash, hashes, cp.root)).toBe(true)
    }
    const first = await app.services.ledger.checkpointLog('4301')
    const small = Math.max(1, Math.floor(cp.size / 3))
    const [smallRoot] = await Promise.all([app.services.ledger.inclusionProof('4301', 0, small)])
    expect(smallRoot.size).toBe(small)
    const consistency = await api(
      app,
      'GET',
      `/api/ledger/4301/proof/consistency?from=${cp.size}&to=${cp.size}`,
    )
    expect(consistency.body.hashes).toEqual([])
    expect(first?.size).toBe(cp.size)
  })

  it('grows consistently: the consistency proof between two signed checkpoints verifies', async () => {
    const keys = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.verifierKeys
    const cp1 = verifyCheckpointNote(await app.services.ledger.checkpointText('4301'), keys)
    for (let i = 0; i < 5; i++) {
      await api(app, 'POST', '/api/departments', {
        token: admin,
        body: { name: `星城市增长测试${i}局`, regionCode: '4301', kind: 'tax' },
      })
    }
    const cp2 = verifyCheckpointNote(await app.services.ledger.checkpointText('4301'), keys)
    expect(cp2.size).toBe(cp1.size + 5)
    const proof = await api(app, 'GET', `/api/ledger/4301/proof/consistency?from=${cp1.size}&to=${cp2.size}`)
    const hashes = proof.body.hashes.map((h: string) => Buffer.from(h, 'base64'))
    expect(verifyConsistency(cp1.size, cp2.size, hashes, cp1.root, cp2.root)).toBe(true)
    hashes[0]![0] ^= 1
    expect(verifyConsistency(cp1.size, cp2.size, hashes, cp1.root, cp2.root)).toBe(false)
  })

  it('issues receipts that verify offline with the published keys only', async () => {
    const receipt = await api(app, 'GET', '/api/ledger/4301/receipt/2')
    expect(receipt.status).toBe(200)
    expect(receipt.body.startsWith('c2sp.org/tlog-proof@v1\n')).toBe(true)
    const { verifierKey } = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!
    const result = verifyReceipt(receipt.body, [verifierKey, app.services.ledger.witnessKeys().province])
    expect(result).toMatchObject({
      index: 2,
      origin: 'ledger.xiaoxiang.gov.cn/ledger/4301',
      leaf: { index: 2, log: '4301' },
    })
    expect(result.cosigners).toHaveLength(1)
    // A wrong key, or a changed byte, fails.
    const otherKey = (await app.services.ledger.listLogs()).find((l) => l.id === '4302')!.verifierKey
    expect(() => verifyReceipt(receipt.body, [otherKey])).toThrow(/does not verify|trusted/)
    const tampered = receipt.body.replace(/\nindex 2\n/, '\nindex 3\n')
    expect(() => verifyReceipt(tampered, [verifierKey])).toThrow()
    const viaApi = await api(app, 'POST', '/api/ledger/verify-receipt', { body: { receipt: receipt.body } })
    expect(viaApi.body).toMatchObject({ index: 2, log: '4301' })
    expectError(
      await api(app, 'POST', '/api/ledger/verify-receipt', { body: { receipt: tampered } }),
      400,
      'INVALID_INPUT',
    )
  })

  it('serves tlog-tiles: hash tiles and entry bundles', async () => {
    await app.services.ledger.tick()
    const size = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.checkpoint!.size
    expect(size).toBeGreaterThan(256)
    const tile = await app.server.inject({ method: 'GET', url: '/api/ledger/4301/tile/0/000' })
    expect(tile.statusCode).toBe(200)
    expect(tile.rawPayload.length).toBe(256 * 32)
    expect(tile.headers['cache-control']).toContain('immutable')
    const bundle = await app.server.inject({ method: 'GET', url: '/api/ledger/4301/tile/entries/000' })
    const leaves = decodeEntryBundle(bundle.rawPayload)
    expect(leaves).toHaveLength(256)
    expect(hashLeaf(leaves[5]!).equals(tile.rawPayload.subarray(5 * 32, 6 * 32))).toBe(true)
    const partialWidth = size % 256
    if (partialWidth > 0) {
      const partial = await app.server.inject({
        method: 'GET',
        url: `/api/ledger/4301/tile/0/${String(Math.floor(size / 256)).padStart(3, '0')}.p/${partialWidth}`,
      })
      expect(partial.statusCode).toBe(200)
      expect(partial.headers['cache-control']).toBe('no-cache')
    }
    expect(parseTilePath('tile/0/x001/234').index).toBe(1234)
    expectError(await api(app, 'GET', '/api/ledger/4301/tile/0/999'), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/ledger/4301/tile/bogus'), 400, 'VALIDATION_FAILED')
  })

  it('rejects bad or out-of-range proof arguments with 400', async () => {
    const size = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!.size
    for (const url of [
      `/api/ledger/4301/proof/inclusion?index=${size}&size=${size}`,
      `/api/ledger/4301/proof/inclusion?index=0&size=${size + 1}`,
      '/api/ledger/4301/proof/inclusion?index=-1&size=2',
      '/api/ledger/4301/proof/inclusion?index=x&size=2',
      '/api/ledger/4301/proof/inclusion?index=0',
      '/api/ledger/4301/proof/consistency?from=0&to=2',
      '/api/ledger/4301/proof/consistency?from=3&to=2',
      `/api/ledger/4301/proof/consistency?from=1&to=${size + 1}`,
      '/api/ledger/4301/entries?start=5&end=5',
      `/api/ledger/4301/entries?start=${size}&end=${size + 1}`,
    ]) {
      expectError(await api(app, 'GET', url), 400, 'VALIDATION_FAILED')
    }
    expectError(await api(app, 'GET', '/api/ledger/4399/checkpoint'), 404, 'NOT_FOUND')
    expectError(await api(app, 'GET', '/api/ledger/abc/checkpoint'), 400, 'VALIDATION_FAILED')
    expectError(await api(app, 'GET', `/api/ledger/4301/receipt/${size + 10}`), 404, 'NOT_FOUND')
    const page = await api(app, 'GET', `/api/ledger/4301/entries?start=0&end=${size}`)
    expect(page.body.length).toBe(Math.min(size, 1000))
  })

  it('verifies cleanly, and the audit finds nothing on an untouched database', async () => {
    await app.services.ledger.tick()
    const results = await app.services.ledger.verify()
    expect(results.filter((r) => r.problem)).toEqual([])
    const report = await app.services.audit.replay()
    expect(report.differences).toEqual([])
    expect(report.byModule).toMatchObject({
      regions: expect.any(Number),
      departments: expect.any(Number),
      staff: expect.any(Number),
    })
    const viaApi = await api(app, 'POST', '/api/audit/run', { token: await login(app, 'auditor') })
    expect(viaApi.body.ok).toBe(true)
    expectError(
      await api(app, 'POST', '/api/audit/run', { token: await login(app, 'official.demo') }),
      403,
      'FORBIDDEN',
    )
  })

  it('refuses UPDATE and DELETE of ledger rows in the database itself', async () => {
    const db = app.database.db
    await expect(
      sql`update ledger_leaf set type = 'x' where log_id = '4301' and idx = 0`.execute(db),
    ).rejects.toThrow(/append-only/)
    await expect(sql`delete from ledger_leaf where log_id = '4301' and idx = 0`.execute(db)).rejects.toThrow(
      /append-only/,
    )
    await expect(sql`update ledger_checkpoint set note = 'x'`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from ledger_cosignature`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from ledger_key`.execute(db)).rejects.toThrow(/append-only/)
    if (isPostgres(db)) await expect(sql`truncate ledger_leaf`.execute(db)).rejects.toThrow(/append-only/)
  })
})

describe.each(DIALECTS)('tampering on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect)
    declareTestEvents(app.services.ledger)
    await app.services.ledger.tick()
    await dropTriggers(app)
  })
  afterAll(() => app?.dispose())

  const firstProblem = async (log = '4302') => (await app.services.ledger.verify(log))[0]!.problem

  it('catches a changed leaf, naming the entry', async () => {
    const db = app.database.db
    const [row] = (
      await sql<{ leaf: Uint8Array }>`select leaf from ledger_leaf where log_id = '4302' and idx = 7`.execute(
        db,
      )
    ).rows
    const changed = Buffer.from(Buffer.from(row!.leaf).toString('utf8').replace('"v":1', '"v":2'))
    await sql`update ledger_leaf set leaf = ${changed} where log_id = '4302' and idx = 7`.execute(db)
    expect(await firstProblem()).toMatchObject({
      log: '4302',
      index: 7,
      problem: expect.stringContaining('entry 7'),
    })
    await sql`update ledger_leaf set leaf = ${Buffer.from(row!.leaf)} where log_id = '4302' and idx = 7`.execute(
      db,
    )
    expect(await firstProblem()).toBeNull()
  })

  it.each([
    ['type', sql`type = 'case.completed'`],
    ['subject', sql`subject = 'case:someone-else'`],
    ['time', sql`time = time + 86400000`],
  ])(
    'catches a changed %s column (queries read it instead of the leaf), naming the entry',
    async (column, change) => {
      const db = app.database.db
      const [before] = (
        await sql<{
          type: string
          subject: string
        }>`select type, subject from ledger_leaf where log_id = '4302' and idx = 9`.execute(db)
      ).rows
      await sql`update ledger_leaf set ${change} where log_id = '4302' and idx = 9`.execute(db)
      expect(await firstProblem(), column).toMatchObject({
        log: '4302',
        index: 9,
        kind: 'columns_differ',
        problem: expect.stringContaining('column differs from the signed leaf'),
      })
      if (column === 'time')
        await sql`update ledger_leaf set time = time - 86400000 where log_id = '4302' and idx = 9`.execute(db)
      else
        await sql`update ledger_leaf set type = ${before!.type}, subject = ${before!.subject} where log_id = '4302' and idx = 9`.execute(
          db,
        )
      expect(await firstProblem()).toBeNull()
    },
  )

  it('catches a leaf whose data and hash were both rewritten', async () => {
    const db = app.database.db
    const [row] = (
      await sql<{
        leaf: Uint8Array
        hash: Uint8Array
      }>`select leaf, hash from ledger_leaf where log_id = '4302' and idx = 8`.execute(db)
    ).rows
    const changed = Buffer.from(Buffer.from(row!.leaf).toString('utf8').replace('"v":1', '"v":3'))
    await sql`update ledger_leaf set leaf = ${changed}, hash = ${hashLeaf(changed)} where log_id = '4302' and idx = 8`.execute(
      db,
    )
    expect(await firstProblem()).toMatchObject({ index: 8 })
    await sql`update ledger_leaf set leaf = ${Buffer.from(row!.leaf)}, hash = ${Buffer.from(row!.hash)} where log_id = '4302' and idx = 8`.execute(
      db,
    )
  })

  it('catches a deleted entry, reordered entries and an inserted entry', async () => {
    const db = app.database.db
    // Deleted.
    const saved = (
      await sql<Record<string, unknown>>`select * from ledger_leaf where log_id = '4303' and idx = 3`.execute(
        db,
      )
    ).rows[0]!
    await sql`delete from ledger_leaf where log_id = '4303' and idx = 3`.execute(db)
    expect(await firstProblem('4303')).toMatchObject({
      index: 3,
      problem: expect.stringContaining('missing'),
    })
    await db
      .insertInto('ledger_leaf')
      .values(saved as never)
      .execute()
    expect(await firstProblem('4303')).toBeNull()

    // Reordered: swap entries 4 and 5 (moving every column but the index).
    await sql`update ledger_leaf set idx = -1 where log_id = '4303' and idx = 4`.execute(db)
    await sql`update ledger_leaf set idx = 4 where log_id = '4303' and idx = 5`.execute(db)
    await sql`update ledger_leaf set idx = 5 where log_id = '4303' and idx = -1`.execute(db)
    expect(await firstProblem('4303')).toMatchObject({ index: 4 })
    await sql`update ledger_leaf set idx = -1 where log_id = '4303' and idx = 4`.execute(db)
    await sql`update ledger_leaf set idx = 4 where log_id = '4303' and idx = 5`.execute(db)
    await sql`update ledger_leaf set idx = 5 where log_id = '4303' and idx = -1`.execute(db)
    expect(await firstProblem('4303')).toBeNull()

    // Inserted: shift everything from 10 up by one and put a forged entry at 10.
    const size = (await app.services.ledger.listLogs()).find((l) => l.id === '4303')!.size
    for (let i = size - 1; i >= 10; i--)
      await sql`update ledger_leaf set idx = ${i + 1} where log_id = '4303' and idx = ${i}`.execute(db)
    const forged = Buffer.from(JSON.stringify({ v: 1, log: '4303', index: 10, type: 'staff.created' }))
    await db
      .insertInto('ledger_leaf')
      .values({
        log_id: '4303',
        idx: 10,
        time: 0,
        type: 'staff.created',
        subject: 'staff:forged',
        leaf: forged,
        hash: hashLeaf(forged),
        nodes: null,
      })
      .execute()
    expect(await firstProblem('4303')).toMatchObject({ index: 10 })
  })

  it('catches a checkpoint whose signature or root was changed', async () => {
    const db = app.database.db
    const [cp] = (
      await sql<{
        size: number
        note: string
      }>`select size, note from ledger_checkpoint where log_id = '4304' order by size desc limit 1`.execute(
        db,
      )
    ).rows
    await sql`update ledger_checkpoint set note = ${cp!.note.replace(/— (\S+) (\S)/, (_m, n: string, c: string) => `— ${n} ${c === 'A' ? 'B' : 'A'}`)} where log_id = '4304' and size = ${cp!.size}`.execute(
      db,
    )
    expect(await firstProblem('4304')).toMatchObject({ checkpoint: Number(cp!.size) })
  })

  it('xzt audit names a state row edited behind the service layer', async () => {
    const db = app.database.db
    await sql`update department set name = '被篡改的局' where id = '4305-tax'`.execute(db)
    await sql`update staff set roles = '["admin"]' where account_id = (select id from account where username = 'official.demo')`.execute(
      db,
    )
    await sql`update region set population = population + 1 where code = '430601'`.execute(db)
    await sql`insert into department (id, name, region_code, kind, created_at, updated_at) values ('4306-ghost', '幽灵局', '4306', 'tax', 0, 0)`.execute(
      db,
    )
    const report = await app.services.audit.replay()
    const official = await app.services.org.findLoginAccount({ username: 'official.demo' })
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          table: 'department',
          key: '4305-tax',
          problem: 'differs',
          field: 'name',
          actual: '被篡改的局',
        }),
        expect.objectContaining({ table: 'department', key: '4306-ghost', problem: 'unexpected' }),
        expect.objectContaining({
          table: 'staff',
          key: official!.principal.accountId,
          problem: 'differs',
          field: 'roles',
        }),
        expect.objectContaining({ table: 'region', key: '430601', problem: 'differs', field: 'population' }),
      ]),
    )
  })

  it('xzt audit catches a swapped password hash and a renamed official (personal data only by commitment)', async () => {
    const db = app.database.db
    const original = await app.services.org.findLoginAccount({ username: 'supervisor.demo' })
    const stolen = await hashPassword('attacker-knows-this')
    await sql`update account set password_hash = ${stolen} where username = 'clerk.demo'`.execute(db)
    await sql`update account set name = '冒名' where username = 'supervisor.demo'`.execute(db)
    const report = await app.services.audit.replay()
    const clerk = await app.services.org.findLoginAccount({ username: 'clerk.demo' })
    const sup = await app.services.org.findLoginAccount({ username: 'supervisor.demo' })
    expect(report.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'staff', key: clerk!.principal.accountId, field: 'credential' }),
        expect.objectContaining({ table: 'staff', key: sup!.principal.accountId, field: 'personal' }),
      ]),
    )
    // The ledger itself holds neither the name nor the hash.
    const leaves = await app.services.ledger.entries('4301', 0, 1000)
    const text = leaves.map((l) => Buffer.from(l.leaf, 'base64').toString('utf8')).join('\n')
    expect(text).toContain(sup!.principal.accountId)
    expect(text).not.toContain(original!.principal.name)
    expect(text).not.toContain('supervisor.demo')
    expect(text).not.toContain('scrypt$')
  })

  it('xzt audit locates a citizen whose password hash or personal data changed to the account', async () => {
    const db = app.database.db
    const citizen = await app.services.org.findLoginAccount({ username: 'citizen.demo' })
    const id = citizen!.principal.accountId
    const [before] = (
      await sql<{ password_hash: string }>`select password_hash from account where id = ${id}`.execute(db)
    ).rows
    await sql`update account set password_hash = ${await hashPassword('attacker-knows-this')} where id = ${id}`.execute(
      db,
    )
    const neighbour = (
      await sql<{
        account_id: string
        phone: string
      }>`select account_id, phone from citizen where account_id > ${id} order by account_id limit 1`.execute(
        db,
      )
    ).rows[0]!
    await sql`update citizen set phone = '13900000000' where account_id = ${neighbour.account_id}`.execute(db)
    const found = (await app.services.audit.replay()).differences.filter((d) => d.table === 'citizen')
    expect(found).toEqual([
      expect.objectContaining({ key: id, problem: 'differs', field: 'password (credential digest)' }),
      expect.objectContaining({
        key: neighbour.account_id,
        problem: 'differs',
        field: 'personal data (commitment)',
      }),
    ])
    await sql`update account set password_hash = ${before!.password_hash} where id = ${id}`.execute(db)
    await sql`update citizen set phone = ${neighbour.phone} where account_id = ${neighbour.account_id}`.execute(
      db,
    )
    expect((await app.services.audit.replay()).differences.filter((d) => d.table === 'citizen')).toEqual([])
  })
})

describe.each(DIALECTS)('concurrent appends on %s', (dialect) => {
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect, { seeded: false })
    declareTestEvents(app.services.ledger)
  })
  afterAll(() => app?.dispose())

  it('gives every append of many concurrent transactions its own index, to one log and to several', async () => {
    const actor = { id: 'system', roles: [], department: null, region: '' }
    const writer = (w: number, region: string) => async () => {
      for (let i = 0; i < 25; i++) {
        await app.database.db
          .transaction()
          .execute(async (trx) => {
            await app.services.ledger.append(trx, {
              type: 'test.concurrent',
              subject: `w${w}:${i}`,
              regionCode: region,
              actor,
              data: { w, i },
            })
            // Some transactions roll back after appending: their indexes must be reused, never skipped.
            if (i % 10 === 9) throw new Error('rollback')
          })
          .catch((err: Error) => {
            if (err.message !== 'rollback') throw err
          })
      }
    }
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w, w % 2 ? '4301' : `430${(w % 4) + 2}`)()))
    const results = await app.services.ledger.verify()
    expect(results.map((r) => r.problem)).toEqual(results.map(() => null))
    const sizes = Object.fromEntries((await app.services.ledger.listLogs()).map((l) => [l.id, l.size]))
    // 8 writers × 25 appends, minus 2 rollbacks each.
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBe(8 * 23)
    expect(sizes['4301']).toBe(4 * 23)
  })
})
