process.env.TZ = 'UTC'

import { describe, expect, it } from 'vitest'
import type { CaseReceipt } from '../shared/api.js'
import { caseReceiptFile, RECEIPT_FILE_FORMAT } from './receipt-file.js'

const PROOF =
  'c2sp.org/tlog-proof@v1\nextra e30=\nindex 3\nAAAA\n\nledger.example/ledger/4301\n4\nBBBB\n\n— x y\n'

const receipt: CaseReceipt = {
  caseId: 'c0ffee00-0000-4000-8000-000000000001',
  keys: ['ledger.example/ledger/4301+abcd+key'],
  entries: [
    { log: '4301', index: 3, type: 'case.submitted', time: Date.UTC(2026, 11, 3, 9, 35, 6), receipt: PROOF },
    { log: '4301', index: 9, type: 'case.completed', time: Date.UTC(2026, 11, 3, 16, 0, 0), receipt: PROOF },
  ],
}

describe('the downloaded case receipt file', () => {
  const file = JSON.parse(caseReceiptFile(receipt, '企业开办', Date.UTC(2026, 11, 4, 1, 2, 3))) as Record<
    string,
    any
  >

  it('keeps what verify-receipt reads exactly as the server gave it', () => {
    expect(file.format).toBe(RECEIPT_FILE_FORMAT)
    expect(file.caseId).toBe(receipt.caseId)
    expect(file.keys).toEqual(receipt.keys)
    expect(file.entries.map((e: any) => [e.log, e.index, e.type, e.time, e.receipt])).toEqual(
      receipt.entries.map((e) => [e.log, e.index, e.type, e.time, e.receipt]),
    )
  })

  it('explains itself in Chinese and English, with no English in the Chinese text', () => {
    for (const key of ['title', 'about', 'verify']) {
      expect(file[key].zh).toMatch(/\p{Script=Han}/u)
      expect(file[key].en).toMatch(/^[A-Z]/)
    }
    expect(file.title.zh).not.toMatch(/[A-Za-z]/)
    expect(file.about.zh).toContain('企业开办')
    expect(file.about.zh).toContain('2 条')
    // The command line and the address of the keys are the only ASCII in the Chinese instructions.
    const prose = file.verify.zh
      .replace(/npx xzt ledger verify-receipt \S+ --key/, '')
      .replace(/\/api\/\S+?(?=）)/, '')
    expect(prose).not.toMatch(/[A-Za-z]{2,}/)
  })

  it('names each entry in both languages and gives Beijing time', () => {
    expect(file.entries[0].typeName).toEqual({ zh: '办件提交', en: 'Case submitted' })
    expect(file.entries[1].typeName).toEqual({ zh: '办件办结', en: 'Case completed' })
    expect(file.entries[0].beijingTime).toBe('2026-12-03T17:35:06+08:00')
    expect(file.entries[1].beijingTime).toBe('2026-12-04T00:00:00+08:00')
    expect(file.downloadedAt).toBe('2026-12-04T09:02:03+08:00')
  })
})
