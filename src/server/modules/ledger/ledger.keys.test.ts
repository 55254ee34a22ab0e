import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { declareTestEvents } from '../../../../test/support/events.js'
import { api, expectError } from '../../../../test/support/http.js'
import { createApp } from '../../app.js'
import { isPostgres } from '../../db/dialect.js'
import { cosign, generateWitnessKey, parseCheckpoint, parseWitnessSignerKey } from './formats/index.js'
import { rotateKey } from './ledger.keys.js'
import { verifyCheckpointNote } from './ledger.signing.js'

describe.each(DIALECTS)('ledger keys and witnesses on %s', (dialect) => {
  const external = generateWitnessKey('witness.example.org/w1')
  let app: TestApp
  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_LEDGER_WITNESSES: external.verifierKey } })
    declareTestEvents(app.services.ledger)
  })
  afterAll(() => app?.dispose())

  it('stores keys as PKCS#8 PEM files in the data directory, never in the database', async () => {
    const pem = fs.readFileSync(app.config.ledgerKeyFile, 'utf8')
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(app.config.ledgerKeyFile.startsWith(app.config.dataDir)).toBe(true)
    const dump = JSON.stringify((await sql`select * from ledger_key`.execute(app.database.db)).rows)
    expect(dump).not.toContain('PRIVATE')
  })

  it('accepts, serves and verifies an external witness cosignature; rejects a forged one', async () => {
    const text = await app.services.ledger.checkpointText('4301')
    const log = (await app.services.ledger.listLogs()).find((l) => l.id === '4301')!
    const body = verifyCheckpointNote(text, [log.verifierKey]).body
    const { size } = parseCheckpoint(body)
    const line = cosign(parseWitnessSignerKey(external.signerKey), body, 1_790_000_000)
    const res = await api(app, 'POST', '/api/ledger/4301/cosignatures', {
      body: { size, cosignature: line.trimEnd() },
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ witness: 'witness.example.org/w1' })
    const served = await api(app, 'GET', '/api/ledger/4301/checkpoint')
    expect(served.body).toContain(line)
    expect((await api(app, 'GET', '/api/ledger/witnesses')).body.external).toEqual([external.verifierKey])

    const stranger = generateWitnessKey('witness.example.org/w1')
    const forged = cosign(parseWitnessSignerKey(stranger.signerKey), body, 1_790_000_000)
    expectError(
      await api(app, 'POST', '/api/ledger/4301/cosignatures', {
        body: { size, cosignature: forged.trimEnd() },
      }),
      400,
      'INVALID_INPUT',
    )
    expectError(
      await api(app, 'POST', '/api/ledger/4301/cosignatures', {
        body: { size: size + 1000, cosignature: line.trimEnd() },
      }),
      404,
      'NOT_FOUND',
    )
    // And `xzt ledger verify` checks it with the configured key.
    const [result] = await app.services.ledger.verify('4301')
    expect(result!.problem).toBeNull()
    expect(result!.cosignatures).toBeGreaterThanOrEqual(2)
  })

  it('rotates the signing key: old checkpoints still verify with the old key, which stays published', async () => {
    const before = (await app.services.ledger.listLogs()).find((l) => l.id === '4302')!
    const oldCheckpoint = await app.services.ledger.checkpointText('4302')
    rotateKey(app.config.ledgerKeyFile, Date.now())
    expect(fs.readdirSync(path.dirname(app.config.ledgerKeyFile)).some((f) => f.endsWith('.retired'))).toBe(
      true,
    )
    const restarted = await createApp(app.config, { logger: false })
    declareTestEvents(restarted.services.ledger)
    try {
      await restarted.database.db.transaction().execute((trx) =>
        restarted.services.ledger.append(trx, {
          type: 'test.after_rotation',
          subject: 'test:1',
          regionCode: '4302',
          actor: { id: 'system', roles: [], department: null, region: '' },
          data: {},
        }),
      )
      const after = (await restarted.services.ledger.listLogs()).find((l) => l.id === '4302')!
      expect(after.verifierKey).not.toBe(before.verifierKey)
      expect(after.verifierKeys).toEqual(expect.arrayContaining([before.verifierKey, after.verifierKey]))
      const newCheckpoint = await restarted.services.ledger.checkpointText('4302')
      expect(verifyCheckpointNote(oldCheckpoint, [before.verifierKey]).size).toBe(before.size)
      expect(() => verifyCheckpointNote(newCheckpoint, [before.verifierKey])).toThrow()
      expect(verifyCheckpointNote(newCheckpoint, [after.verifierKey]).size).toBe(after.size)
      const [result] = await restarted.services.ledger.verify('4302')
      expect(result!.problem).toBeNull()
    } finally {
      await restarted.close()
    }
  })

  it('refuses to sign a checkpoint inconsistent with the last signed one', async () => {
    const db = app.database.db
    const signed = await app.services.ledger.checkpointLog('4303')
    expect(signed!.size).toBeGreaterThan(512)
    if (isPostgres(db)) await sql`alter table ledger_leaf disable trigger ledger_leaf_append_only`.execute(db)
    else await sql`drop trigger ledger_leaf_no_update`.execute(db)
    // Rewrite a stored tree node that the signed root depends on (the 512-leaf subtree held by row 511),
    // as someone "repairing" history would have to.
    const [row] = (
      await sql<{
        nodes: Uint8Array
      }>`select nodes from ledger_leaf where log_id = '4303' and idx = 511`.execute(db)
    ).rows
    const nodes = Buffer.from(row!.nodes)
    nodes[8 * 32]! ^= 0xff
    await sql`update ledger_leaf set nodes = ${nodes} where log_id = '4303' and idx = 511`.execute(db)
    await db.transaction().execute((trx) =>
      app.services.ledger.append(trx, {
        type: 'test.after_forgery',
        subject: 'test:2',
        regionCode: '4303',
        actor: { id: 'system', roles: [], department: null, region: '' },
        data: {},
      }),
    )
    await expect(app.services.ledger.checkpointLog('4303')).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('refusing to sign'),
    })
  })
})
