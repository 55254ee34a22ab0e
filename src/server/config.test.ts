import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.js'

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      port: 8080,
      demoPassword: 'xzt-demo',
      sqliteSynchronous: 'FULL',
      demoOnEmpty: 'small',
      loginRateLimit: 10,
      attachmentMaxBytes: 20 * 1024 * 1024,
    })
    expect(c.dataDir).toBe(path.resolve('data'))
    expect(c.database).toEqual({ kind: 'sqlite', file: path.resolve('data', 'xzt.db') })
    expect(Object.isFrozen(c)).toBe(true)
  })

  it('reads PostgreSQL and SQLite URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h:5432/db' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@h:5432/db',
    })
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }).database).toEqual({
      kind: 'sqlite',
      file: ':memory:',
    })
    expect(loadConfig({ DATABASE_URL: 'file:/tmp/x.db' }).database).toEqual({
      kind: 'sqlite',
      file: '/tmp/x.db',
    })
  })

  it('reads the attachment size limit and refuses one that is not a positive integer', () => {
    expect(loadConfig({ XZT_ATTACHMENT_MAX_BYTES: '1048576' }).attachmentMaxBytes).toBe(1_048_576)
    expect(() => loadConfig({ XZT_ATTACHMENT_MAX_BYTES: '0' })).toThrowError(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('XZT_ATTACHMENT_MAX_BYTES'),
      }),
    )
    expect(() => loadConfig({ XZT_ATTACHMENT_MAX_BYTES: '20MB' })).toThrowError(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    )
  })

  it('names every bad variable at once', () => {
    expect(() =>
      loadConfig({ PORT: '99999', DATABASE_URL: 'mysql://x', XZT_SQLITE_SYNCHRONOUS: 'OFF' }),
    ).toThrowError(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        message: expect.stringMatching(/PORT.*DATABASE_URL.*XZT_SQLITE_SYNCHRONOUS|PORT/),
        details: expect.arrayContaining([
          expect.stringContaining('PORT'),
          expect.stringContaining('DATABASE_URL'),
          expect.stringContaining('XZT_SQLITE_SYNCHRONOUS'),
        ]),
      }),
    )
  })
})
