/**
 * The receipt file a citizen downloads for a case (`case-<id>-receipts.json`): every ledger entry of the
 * case with its C2SP tlog-proof and the keys to check them, as `xzt ledger verify-receipt` reads it. The
 * proofs are machine text and stay exactly as the server gave them; what a person reads in the file (what
 * it is, how to check it, what each entry records, when) is in Chinese and English whatever the
 * interface language, since the file outlives the page and may be handed to someone else. Times are
 * Beijing time with their offset.
 * @module
 */
import type { CaseReceipt } from '../shared/api.js'
import { eventTypeName } from '../shared/event-names.js'
import { translate } from './i18n.js'
import { provinceIso } from './time.js'

export const RECEIPT_FILE_FORMAT = 'xingzhengtong-case-receipts/v1'

export function receiptFileName(caseId: string): string {
  return `case-${caseId}-receipts.json`
}

/** The file's content (pretty-printed JSON). */
export function caseReceiptFile(receipt: CaseReceipt, matterName: string, now: number): string {
  const file = receiptFileName(receipt.caseId)
  const both = (key: Parameters<typeof translate>[1], params: Record<string, string | number>) => ({
    zh: translate('zh-CN', key, params),
    en: translate('en', key, params),
  })
  const body = {
    format: RECEIPT_FILE_FORMAT,
    title: both('receipt.title', {}),
    about: both('receipt.about', { matter: matterName, id: receipt.caseId, n: receipt.entries.length }),
    verify: both('case.receiptVerifyHint', { file }),
    caseId: receipt.caseId,
    matter: matterName,
    downloadedAt: provinceIso(now),
    keys: receipt.keys,
    entries: receipt.entries.map((e) => ({
      log: e.log,
      index: e.index,
      type: e.type,
      typeName: {
        zh: eventTypeName(e.type, 'zh') ?? translate('zh-CN', 'audit.typeUnknown'),
        en: eventTypeName(e.type, 'en') ?? translate('en', 'audit.typeUnknown'),
      },
      time: e.time,
      beijingTime: provinceIso(e.time),
      receipt: e.receipt,
    })),
  }
  return JSON.stringify(body, null, 2)
}
