/**
 * Attachments (附件): files handed in with a case, stored as content in the database and addressed by
 * their SHA-256. A citizen (or a window clerk for them) uploads a file first and puts its reference
 * `attachment:<id>` into the form; the case service binds the references when the case is submitted,
 * in the case's own transaction, and the ledger records each file's SHA-256. Inline data URLs in a
 * submitted form are turned into attachments the same way, so stored cases hold references only.
 * Content is re-hashed on every read: a file whose bytes no longer match is never served.
 * @module
 */
import { createHash, randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Principal } from '../../access.js'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/database.js'
import type { AttachmentTable, DB } from '../../db/schema.js'
import type { AttachmentView, AuditDifference, CaseAttachment } from '../../../shared/api.js'
import { attachmentRef, isAttachmentMediaType, parseAttachmentRef } from '../../../shared/attachments.js'
import { AppError, notFound, type ErrorCode } from '../../../shared/errors.js'
import { assertCan } from '../../../shared/permissions.js'
import type { Replayer } from '../ledger/index.js'
import type { FormSchema } from '../catalog/index.js'
import type { OrgService } from '../org/org.service.js'
import {
  decodeDataUrl,
  fileProblem,
  replaceValues,
  storedFilename,
  uploadValues,
} from './attachments.model.js'
import * as store from './attachments.store.js'

export interface UploadInput {
  /** The file's name as the client knows it (directories are dropped). */
  filename: string
  /** The request's Content-Type. */
  mediaType: string
  content: Buffer
  /** Window clerks: the citizen the file is for. */
  applicantId?: string
}

/** A stored file with its bytes, checked against its SHA-256. */
export interface AttachmentContent extends AttachmentView {
  content: Buffer
}

/** A new attachment decoded from an inline data URL: inserted, already bound, in the case's transaction. */
interface NewAttachment {
  row: AttachmentTable
  content: Buffer
}

/**
 * A form's files, checked and ready to bind: {@link AttachmentService.prepareForm} makes one before the
 * case's transaction, {@link AttachmentService.bind} writes it inside.
 */
export interface FormAttachments {
  /** The form data with every upload value an `attachment:<id>` reference. */
  readonly data: Record<string, unknown>
  /** Every file the data names, in form order. */
  readonly files: readonly CaseAttachment[]
  readonly created: readonly NewAttachment[]
  /** Existing uploads the form refers to that are not yet bound to the case, with their paths. */
  readonly referenced: readonly { id: string; pointer: string }[]
}

export interface PrepareFormInput {
  schema: FormSchema
  data: Record<string, unknown>
  /** The applicant: every referenced upload must be theirs. */
  ownerId: string
  /** Who hands the form in (the applicant, or a window clerk). */
  uploadedBy: string
  /** A supplement to an existing case: references already bound to it stay valid. */
  caseId?: string
  /** Where the data sits in the request, for error paths. Default `/body/data`. */
  pointerPrefix?: string
}

const sha256Of = (content: Uint8Array): string => createHash('sha256').update(content).digest('hex')

/** Files re-hashed per query by the audit (bounded memory whatever the database holds). */
const BLOB_AUDIT_PAGE = 50

function toView(row: AttachmentTable): AttachmentView {
  return {
    id: row.id,
    ref: attachmentRef(row.id),
    sha256: row.sha256,
    size: row.size,
    mediaType: row.media_type,
    filename: row.filename,
  }
}

function toCaseAttachment(path: string, row: AttachmentTable): CaseAttachment {
  return {
    path,
    id: row.id,
    sha256: row.sha256,
    size: row.size,
    mediaType: row.media_type,
    filename: row.filename,
  }
}

export class AttachmentService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly org: OrgService,
    /** Largest file accepted, in bytes (`XZT_ATTACHMENT_MAX_BYTES`). */
    readonly maxBytes: number,
  ) {}

  /**
   * The audit's check of stored file contents: every blob is re-hashed, a page at a time, and one
   * whose content no longer matches its SHA-256 is named with every attachment that uses it. (The case
   * replayer checks each case's attachments against the SHA-256s its ledger events record; this closes
   * the chain from the ledger to the bytes.) Consumes no events.
   */
  replayer(): Replayer {
    return {
      name: 'attachments',
      types: [],
      apply: () => undefined,
      compare: async () => {
        const out: AuditDifference[] = []
        let after = ''
        for (;;) {
          const page = await store.listBlobPage(this.db, after, BLOB_AUDIT_PAGE)
          for (const blob of page) {
            const actual = sha256Of(blob.content)
            if (actual === blob.sha256) continue
            const ids = await store.listAttachmentIdsOfBlob(this.db, blob.sha256)
            for (const id of ids.length > 0 ? ids : [`(content ${blob.sha256})`]) {
              out.push({
                table: 'attachment_blob',
                key: id,
                problem: 'differs',
                field: 'content',
                expected: blob.sha256,
                actual,
              })
            }
          }
          if (page.length < BLOB_AUDIT_PAGE) break
          after = (page[page.length - 1] as { sha256: string }).sha256
        }
        return out
      },
    }
  }

  /**
   * Stores an uploaded file for the caller (a citizen) or, for a window clerk, for `applicantId`. The
   * content and its row are written in one transaction; the same content uploaded again is stored once.
   * @throws VALIDATION_FAILED (empty, no applicant for a clerk), UNSUPPORTED_MEDIA_TYPE (type not accepted,
   *   or content not of that type), PAYLOAD_TOO_LARGE, FORBIDDEN, NOT_FOUND (applicant)
   */
  async upload(principal: Principal, input: UploadInput): Promise<AttachmentView> {
    const ownerId = await this.ownerFor(principal, input.applicantId)
    const mediaType = input.mediaType.split(';')[0]!.trim().toLowerCase()
    const problem = fileProblem(mediaType, input.content, this.maxBytes)
    if (problem) {
      const code: ErrorCode =
        problem.kind === 'size'
          ? 'PAYLOAD_TOO_LARGE'
          : problem.kind === 'empty'
            ? 'VALIDATION_FAILED'
            : 'UNSUPPORTED_MEDIA_TYPE'
      throw new AppError(code, `the file ${problem.message}`, {
        details: [{ path: '/body', message: problem.message }],
      })
    }
    if (!isAttachmentMediaType(mediaType))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `media type ${mediaType} is not accepted`)
    const now = this.clock.now()
    const content = input.content
    const row: AttachmentTable = {
      id: randomUUID(),
      owner_id: ownerId,
      uploaded_by: principal.accountId,
      sha256: sha256Of(content),
      size: content.length,
      media_type: mediaType,
      filename: storedFilename(input.filename, mediaType, 'attachment'),
      created_at: now,
      case_id: null,
      bound_at: null,
    }
    await this.db.transaction().execute(async (trx) => {
      await store.insertBlob(trx, { sha256: row.sha256, size: row.size, content, created_at: now })
      await store.insertAttachments(trx, [row])
    })
    return toView(row)
  }

  /**
   * The uploads an appeal refers to, checked to be files of `ownerId` (the citizen the appeal is
   * for): an appeal cites them without binding them to a case.
   * @throws VALIDATION_FAILED naming each id that is not such a file
   */
  async citedFiles(
    ids: readonly string[],
    ownerId: string | null,
    pointer: string,
  ): Promise<AttachmentView[]> {
    if (!ids.length) return []
    const rows = new Map((await store.findAttachments(this.db, ids)).map((r) => [r.id, r]))
    const bad = ids.filter((id) => rows.get(id)?.owner_id !== ownerId || ownerId === null)
    if (bad.length)
      throw new AppError('VALIDATION_FAILED', `not files of this citizen: ${bad.join(', ')}`, {
        details: bad.map((id) => ({
          path: `${pointer}/${ids.indexOf(id)}`,
          message: `attachment ${id} is not a file of the citizen`,
        })),
      })
    return ids.map((id) => toView(rows.get(id) as AttachmentTable))
  }

  /** Whose file an upload is: the citizen's own, or the applicant a window clerk names. */
  private async ownerFor(principal: Principal, applicantId: string | undefined): Promise<string> {
    if (principal.kind === 'citizen') {
      assertCan(principal, 'attachment.upload', { ownerId: principal.accountId })
      if (applicantId !== undefined && applicantId !== principal.accountId)
        throw new AppError('FORBIDDEN', 'a citizen uploads files for themselves only', {
          details: { permission: 'attachment.upload', applicantId },
        })
      return principal.accountId
    }
    // A window clerk uploads for any citizen of the province (跨域通办); the file stays theirs.
    assertCan(principal, 'attachment.upload')
    if (!applicantId) {
      throw new AppError('VALIDATION_FAILED', 'say whom the clerk uploads for: applicantId', {
        details: [{ path: '/querystring/applicantId', message: 'is required for a window clerk' }],
      })
    }
    const applicant = await this.org.findLoginAccount({ id: applicantId })
    if (!applicant || applicant.principal.kind !== 'citizen') throw notFound('citizen', applicantId)
    return applicantId
  }

  /**
   * Checks a form's files and turns it into what a case stores: every inline data URL is decoded,
   * checked and hashed (to be inserted by {@link bind}), every reference must name an upload of the
   * applicant not handed in with another case. Reads only; call it before the case's transaction.
   * @throws VALIDATION_FAILED listing every bad file with its path (`/body/data/...`)
   */
  async prepareForm(input: PrepareFormInput): Promise<FormAttachments> {
    const prefix = input.pointerPrefix ?? '/body/data'
    const values = uploadValues(input.schema, input.data)
    const problems: { path: string; message: string; keyword: string }[] = []
    const refs = new Map<string, string>()
    for (const v of values) {
      const id = parseAttachmentRef(v.value)
      if (id) refs.set(v.path, id)
    }
    const rows = new Map((await store.findAttachments(this.db, [...refs.values()])).map((r) => [r.id, r]))
    const now = this.clock.now()
    const replacements = new Map<string, string>()
    const files: CaseAttachment[] = []
    const created: NewAttachment[] = []
    const referenced: { id: string; pointer: string }[] = []
    for (const v of values) {
      const pointer = `${prefix}${v.pointer}`
      const id = refs.get(v.path)
      if (id !== undefined) {
        const row = rows.get(id)
        if (!row || row.owner_id !== input.ownerId) {
          problems.push({
            path: pointer,
            message: `attachment ${id} is not a file uploaded for this applicant`,
            keyword: 'attachment',
          })
        } else if (row.case_id !== null && row.case_id !== input.caseId) {
          problems.push({
            path: pointer,
            message: `attachment ${id} was already handed in with another case`,
            keyword: 'attachment',
          })
        } else {
          if (row.case_id === null && !referenced.some((r) => r.id === id)) referenced.push({ id, pointer })
          files.push(toCaseAttachment(v.path, row))
        }
        continue
      }
      if (typeof v.value !== 'string' || !v.value.startsWith('data:')) {
        problems.push({
          path: pointer,
          message: 'must be an attachment reference (attachment:<id>) or a data URL',
          keyword: 'format',
        })
        continue
      }
      const decoded = decodeDataUrl(v.value)
      const problem = decoded.ok
        ? fileProblem(decoded.mediaType, decoded.content, this.maxBytes)
        : { message: decoded.problem }
      if (!decoded.ok || problem || !isAttachmentMediaType(decoded.mediaType)) {
        problems.push({
          path: pointer,
          message: `the file ${problem?.message ?? 'is not acceptable'}`,
          keyword: 'attachment',
        })
        continue
      }
      const row: AttachmentTable = {
        id: randomUUID(),
        owner_id: input.ownerId,
        uploaded_by: input.uploadedBy,
        sha256: sha256Of(decoded.content),
        size: decoded.content.length,
        media_type: decoded.mediaType,
        filename: storedFilename(decoded.filename, decoded.mediaType, v.field),
        created_at: now,
        case_id: null,
        bound_at: null,
      }
      created.push({ row, content: decoded.content })
      replacements.set(v.path, attachmentRef(row.id))
      files.push(toCaseAttachment(v.path, row))
    }
    if (problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', `${problems[0]!.path} ${problems[0]!.message}`, {
        details: problems,
      })
    }
    return {
      data: replacements.size > 0 ? replaceValues(input.data, replacements) : input.data,
      files,
      created,
      referenced,
    }
  }

  /**
   * Writes a prepared form's files in the case's transaction: inserts the decoded ones, bound to the
   * case, and binds the referenced uploads.
   * @throws VALIDATION_FAILED naming the path of an upload another case bound meanwhile (the caller's
   *   transaction then rolls back)
   */
  async bind(trx: Executor, form: FormAttachments, caseId: string): Promise<void> {
    const now = this.clock.now()
    const blobs = new Map<string, NewAttachment>()
    for (const c of form.created) blobs.set(c.row.sha256, c)
    for (const c of blobs.values())
      await store.insertBlob(trx, {
        sha256: c.row.sha256,
        size: c.row.size,
        content: c.content,
        created_at: now,
      })
    await store.insertAttachments(
      trx,
      form.created.map((c) => ({ ...c.row, case_id: caseId, bound_at: now })),
    )
    const bound = new Set(
      await store.bindAttachments(
        trx,
        form.referenced.map((r) => r.id),
        caseId,
        now,
      ),
    )
    const lost = form.referenced.filter((r) => !bound.has(r.id))
    if (lost.length > 0) {
      const details = lost.map((r) => ({
        path: r.pointer,
        message: `attachment ${r.id} was already handed in with another case`,
        keyword: 'attachment',
      }))
      throw new AppError('VALIDATION_FAILED', `${details[0]!.path} ${details[0]!.message}`, { details })
    }
  }

  /**
   * The files a case's form data names (only those bound to the case), with their paths, in form order.
   * `form` resolves files of a form being prepared that are not yet written.
   */
  async filesOf(
    schema: FormSchema,
    data: Record<string, unknown>,
    caseId: string,
    form?: FormAttachments,
  ): Promise<CaseAttachment[]> {
    const refs = uploadValues(schema, data).flatMap((v) => {
      const id = parseAttachmentRef(v.value)
      return id ? [{ path: v.path, id }] : []
    })
    if (refs.length === 0) return []
    const pending = new Map((form?.files ?? []).map((f) => [f.id, f]))
    const rows = new Map(
      (
        await store.findAttachments(
          this.db,
          refs.filter((r) => !pending.has(r.id)).map((r) => r.id),
        )
      ).map((r) => [r.id, r]),
    )
    return refs.flatMap(({ path, id }) => {
      const known = pending.get(id)
      if (known) return [{ ...known, path }]
      const row = rows.get(id)
      return row && row.case_id === caseId ? [toCaseAttachment(path, row)] : []
    })
  }

  /**
   * An attachment of a case with its content, for a caller the case service has let through.
   * @throws NOT_FOUND (not bound to that case), INTEGRITY_VIOLATION (the content changed)
   */
  async readOfCase(caseId: string, id: string): Promise<AttachmentContent> {
    const row = await store.findAttachment(this.db, id)
    if (!row || row.case_id !== caseId) throw notFound('attachment', id)
    return this.read(row)
  }

  /**
   * The caller's own upload with its content: the citizen it belongs to, or (until a case binds it) the
   * clerk who uploaded it. Anyone else is told it does not exist.
   * @throws NOT_FOUND, INTEGRITY_VIOLATION
   */
  async download(principal: Principal, id: string): Promise<AttachmentContent> {
    const row = await store.findAttachment(this.db, id)
    const mine =
      row &&
      (row.owner_id === principal.accountId ||
        (row.uploaded_by === principal.accountId && row.case_id === null))
    if (!row || !mine) throw notFound('attachment', id)
    return this.read(row)
  }

  /**
   * For the audit: reads every bound attachment once and returns a function giving, for a case's stored
   * form data, each file's path and the SHA-256 of the attachment it refers to (null when that
   * attachment is not bound to the case), in form order: what the ledger recorded, if nobody meddled.
   */
  async commitmentReader(): Promise<
    (
      schema: FormSchema,
      data: Record<string, unknown>,
      caseId: string,
    ) => { path: string; sha256: string | null }[]
  > {
    const bound = new Map<string, { caseId: string; sha256: string }>()
    for (const r of await store.listBound(this.db)) bound.set(r.id, { caseId: r.case_id, sha256: r.sha256 })
    return (schema, data, caseId) =>
      uploadValues(schema, data).flatMap((v) => {
        const id = parseAttachmentRef(v.value)
        if (!id) return []
        const b = bound.get(id)
        return [{ path: v.path, sha256: b && b.caseId === caseId ? b.sha256 : null }]
      })
  }

  /** Reads the content and refuses it unless its SHA-256 and size are still what was stored. */
  private async read(row: AttachmentTable): Promise<AttachmentContent> {
    const blob = await store.findBlob(this.db, row.sha256)
    if (!blob)
      throw new AppError('INTEGRITY_VIOLATION', `the content of attachment ${row.id} is missing`, {
        details: { attachment: row.id, sha256: row.sha256 },
      })
    const actual = sha256Of(blob.content)
    if (actual !== row.sha256 || blob.content.length !== row.size) {
      throw new AppError(
        'INTEGRITY_VIOLATION',
        `the content of attachment ${row.id} no longer matches its SHA-256 ${row.sha256}: it was changed after upload and is not served`,
        {
          details: { attachment: row.id, sha256: row.sha256, actual },
        },
      )
    }
    return { ...toView(row), content: blob.content }
  }
}
