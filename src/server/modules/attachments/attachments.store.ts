/**
 * SQL for attachments and their content. Used only by the attachment service.
 * @module
 */
import type { Executor } from '../../db/database.js'
import type { AttachmentBlobTable, AttachmentTable } from '../../db/schema.js'

/** An attachment row without its content (which lives in `attachment_blob`). */
export type AttachmentRow = AttachmentTable

const num = (v: number | null): number | null => (v === null ? null : Number(v))

function toAttachment(row: AttachmentTable): AttachmentRow {
  return { ...row, size: Number(row.size), created_at: Number(row.created_at), bound_at: num(row.bound_at) }
}

/** Stores a content once: a second insert of the same SHA-256 does nothing. */
export async function insertBlob(db: Executor, row: AttachmentBlobTable): Promise<void> {
  await db
    .insertInto('attachment_blob')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute()
}

export async function insertAttachments(db: Executor, rows: readonly AttachmentTable[]): Promise<void> {
  if (rows.length)
    await db
      .insertInto('attachment')
      .values([...rows])
      .execute()
}

export async function findAttachment(db: Executor, id: string): Promise<AttachmentRow | undefined> {
  const row = await db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst()
  return row && toAttachment(row)
}

export async function findAttachments(db: Executor, ids: readonly string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('attachment')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute()
  return rows.map(toAttachment)
}

/**
 * Binds unbound attachments to a case. Only rows still unbound change, so of two submissions racing
 * for one upload exactly one binds it (on PostgreSQL the second update waits for the first, then finds
 * it bound). @returns the ids this call bound
 */
export async function bindAttachments(
  db: Executor,
  ids: readonly string[],
  caseId: string,
  at: number,
): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db
    .updateTable('attachment')
    .set({ case_id: caseId, bound_at: at })
    .where('id', 'in', [...new Set(ids)])
    .where('case_id', 'is', null)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** A content by its SHA-256, as stored (the caller re-checks the hash). */
export async function findBlob(
  db: Executor,
  sha256: string,
): Promise<{ sha256: string; size: number; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('attachment_blob')
    .select(['sha256', 'size', 'content'])
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  if (!row) return undefined
  const c = row.content
  return {
    sha256: row.sha256,
    size: Number(row.size),
    content: Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength),
  }
}

/** The attachments bound to any case, without content: `(case_id, id, sha256)` for the audit. */
export async function listBound(db: Executor): Promise<{ case_id: string; id: string; sha256: string }[]> {
  const rows = await db
    .selectFrom('attachment')
    .select(['case_id', 'id', 'sha256'])
    .where('case_id', 'is not', null)
    .orderBy('id')
    .execute()
  return rows.map((r) => ({ case_id: r.case_id as string, id: r.id, sha256: r.sha256 }))
}

/**
 * Stored contents in SHA-256 order, one page after `afterSha256` (for the audit's re-hash: a page at a
 * time, never every file at once).
 */
export async function listBlobPage(
  db: Executor,
  afterSha256: string,
  limit: number,
): Promise<{ sha256: string; content: Uint8Array }[]> {
  return db
    .selectFrom('attachment_blob')
    .select(['sha256', 'content'])
    .where('sha256', '>', afterSha256)
    .orderBy('sha256')
    .limit(limit)
    .execute()
}

/** Ids of the attachments whose content is the blob `sha256`. */
export async function listAttachmentIdsOfBlob(db: Executor, sha256: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attachment')
    .select('id')
    .where('sha256', '=', sha256)
    .orderBy('id')
    .execute()
  return rows.map((r) => r.id)
}
