/**
 * Attachments end to end over HTTP on both storage modes: upload as a raw body and refer to it from a
 * form, inline data URLs turned into attachments with the right SHA-256, references checked (owner,
 * already handed in), downloads by the applicant and by staff (each recorded, flagged without an open
 * task), a tampered file never served, size and type limits, and the SHA-256 in the ledger.
 */
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login, type ApiResponse } from '../../../../test/support/http.js'
import type { AttachmentView, CaseView, TaskView } from '../../../shared/api.js'
import { FILE, merge, PHOTO, typed } from '../catalog/demo/samples.js'
import { verifyReceipt } from '../ledger/ledger.signing.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import type { DemoCitizen } from '../sim/demo.model.js'
import {
  contentMatches,
  decodeDataUrl,
  replaceValues,
  storedFilename,
  uploadValues,
} from './attachments.model.js'
import { contentDisposition } from '../../http/download.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]
/** The test apps accept files up to this size, so the limit is cheap to cross. */
const MAX = 4096

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')
/** A small PDF, different for every `tag` (content is deduplicated, so tests keep theirs apart). */
const pdf = (tag: string): Buffer => Buffer.from(`%PDF-1.4\n% ${tag}\n%%EOF\n`)
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])

async function upload(
  app: TestApp,
  token: string,
  body: Buffer,
  options: {
    filename?: string | null
    type?: string
    applicantId?: string
    headers?: Record<string, string>
  } = {},
): Promise<ApiResponse> {
  const query = new URLSearchParams()
  if (options.filename !== null) query.set('filename', options.filename ?? 'file.pdf')
  if (options.applicantId) query.set('applicantId', options.applicantId)
  const res = await app.server.inject({
    method: 'POST',
    url: `/api/attachments?${query.toString()}`,
    headers: {
      authorization: `Bearer ${token}`,
      ...(options.type === '' ? {} : { 'content-type': options.type ?? 'application/pdf' }),
      ...options.headers,
    },
    payload: body,
  })
  return { status: res.statusCode, body: res.body ? res.json() : undefined, headers: res.headers }
}

/** GETs a file: `bytes` as sent, `body` the parsed error when the answer is JSON. */
async function download(app: TestApp, token: string, url: string): Promise<ApiResponse & { bytes: Buffer }> {
  const res = await app.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } })
  const json = String(res.headers['content-type']).includes('json') ? res.json() : undefined
  return { status: res.statusCode, body: json, bytes: res.rawPayload, headers: res.headers }
}

const openSteps = (c: CaseView) =>
  c.timeline.filter((s) => s.node !== 'submit' && s.completedAt === null && s.outcome !== 'cancelled')

describe('attachment rules', () => {
  it('finds upload values by the schema, through lists, with dotted and pointer paths', () => {
    const schema = {
      type: 'object',
      properties: {
        note: { type: 'string' },
        files: { type: 'array', items: { type: 'string', format: 'data-url' } },
        people: {
          type: 'array',
          items: { type: 'object', properties: { photo: { type: 'string', format: 'data-url' } } },
        },
      },
    }
    const data = {
      note: 'attachment:00000000-0000-0000-0000-000000000000',
      files: ['a', 'b'],
      people: [{ photo: 'c' }, {}],
    }
    expect(uploadValues(schema, data).map((v) => [v.path, v.pointer, v.field, v.value])).toEqual([
      ['files.0', '/files/0', 'files', 'a'],
      ['files.1', '/files/1', 'files', 'b'],
      ['people.0.photo', '/people/0/photo', 'photo', 'c'],
    ])
    const replaced = replaceValues(
      data,
      new Map([
        ['files.1', 'B'],
        ['people.0.photo', 'C'],
      ]),
    )
    expect(replaced).toEqual({ ...data, files: ['a', 'B'], people: [{ photo: 'C' }, {}] })
    expect(data.files).toEqual(['a', 'b'])
  })

  it('decodes data URLs, checks content against its type, and names files safely', () => {
    const d = decodeDataUrl(FILE)
    expect(d).toMatchObject({ ok: true, mediaType: 'application/pdf', filename: '材料.pdf' })
    expect(d.ok && d.content.toString('latin1').startsWith('%PDF-')).toBe(true)
    expect(decodeDataUrl('data:application/pdf,%25PDF-1.4')).toMatchObject({
      ok: true,
      content: Buffer.from('%PDF-1.4'),
    })
    expect(decodeDataUrl('data:application/pdf;base64,!!!')).toMatchObject({ ok: false })
    expect(contentMatches('image/png', PNG)).toBe(true)
    expect(contentMatches('application/pdf', PNG)).toBe(false)
    expect(storedFilename('C:\\Users\\张三\\营业执照.pdf', 'application/pdf', 'x')).toBe('营业执照.pdf')
    expect(storedFilename('../\u0000', 'image/png', 'photo')).toBe('photo.png')
    expect(contentDisposition('营业执照 (副本).pdf')).toBe(
      `attachment; filename="____ (__).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%28%E5%89%AF%E6%9C%AC%29.pdf`,
    )
  })
})

describe.each(DIALECTS)('attachments on %s', (dialect) => {
  let app: TestApp
  let admin: string
  let citizen: string
  let other: string
  let clerk: string
  let prefill: Record<string, unknown>
  const staff = new Map<string, string>()

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_ATTACHMENT_MAX_BYTES: String(MAX) } })
    admin = await login(app, 'admin')
    citizen = await login(app, 'citizen.demo')
    other = await login(app, 'c0000002')
    clerk = await login(app, 'clerk.demo')
    prefill = (await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })).body.data
  })
  afterAll(() => app?.dispose())

  /** Logs in (creating once) a staff member of a department with a role. */
  async function staffOf(departmentId: string, role: string): Promise<string> {
    const key = `${departmentId}/${role}`
    if (!staff.has(key)) {
      const username = `att.${role}.${staff.size}`
      const res = await api(app, 'POST', '/api/staff', {
        token: admin,
        body: { username, password: 'test-password', name: '附件测试', departmentId, roles: [role] },
      })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      staff.set(key, await login(app, username, 'test-password'))
    }
    return staff.get(key)!
  }

  /** A residence-permit form of citizen.demo with the given files. */
  const residence = (files: Record<string, unknown>) =>
    merge(merge(prefill, typed(citizenDemo).RESIDENCE_PERMIT!), { attachments: files })
  const submit = (token: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    api(app, 'POST', '/api/cases', {
      token,
      body: { matterCode: 'RESIDENCE_PERMIT', data, channel: 'online', ...extra },
    })

  it('uploads a file and refers to it from a form; the case lists it and the ledger commits to its SHA-256', async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('upload-and-reference')])
    const proof = pdf('upload-and-reference')
    const up = await upload(app, citizen, photo, { filename: '证件照.jpg', type: 'image/jpeg' })
    expect(up.status, JSON.stringify(up.body)).toBe(201)
    const uploaded = up.body as AttachmentView
    expect(uploaded).toEqual({
      id: expect.any(String),
      ref: `attachment:${uploaded.id}`,
      sha256: sha256(photo),
      size: photo.length,
      mediaType: 'image/jpeg',
      filename: '证件照.jpg',
    })
    const second = (await upload(app, citizen, proof, { filename: '租房合同.pdf' })).body as AttachmentView

    // The owner previews their upload before submitting; nobody else sees it exists.
    const own = await download(app, citizen, `/api/attachments/${uploaded.id}`)
    expect(own.status).toBe(200)
    expect(own.bytes.equals(photo)).toBe(true)
    expect(own.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-sha256': sha256(photo),
      'x-content-type-options': 'nosniff',
    })
    expect(own.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('证件照.jpg')}`,
    )
    expectError(await download(app, other, `/api/attachments/${uploaded.id}`), 404, 'NOT_FOUND')

    const res = await submit(citizen, residence({ photo: uploaded.ref, residenceProof: second.ref }))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const view = res.body as CaseView
    expect(view.data.attachments).toEqual({ photo: uploaded.ref, residenceProof: second.ref })
    expect(view.attachments).toEqual([
      {
        path: 'attachments.photo',
        id: uploaded.id,
        sha256: sha256(photo),
        size: photo.length,
        mediaType: 'image/jpeg',
        filename: '证件照.jpg',
      },
      {
        path: 'attachments.residenceProof',
        id: second.id,
        sha256: sha256(proof),
        size: proof.length,
        mediaType: 'application/pdf',
        filename: '租房合同.pdf',
      },
    ])
    // The submission's ledger entry carries each file's SHA-256 (and no file content or name).
    const receipt = await api(app, 'GET', `/api/cases/${view.id}/receipt`, { token: citizen })
    const entry = receipt.body.entries.find((e: { type: string }) => e.type === 'case.submitted')
    const leaf = verifyReceipt(entry.receipt, receipt.body.keys).leaf as unknown as {
      data: { attachments: unknown }
    }
    expect(leaf.data.attachments).toEqual([
      { path: 'attachments.photo', sha256: sha256(photo) },
      { path: 'attachments.residenceProof', sha256: sha256(proof) },
    ])
    expect(JSON.stringify(leaf)).not.toContain('证件照')

    // The applicant downloads it through the case.
    const got = await download(app, citizen, `/api/cases/${view.id}/attachments/${second.id}`)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(proof)).toBe(true)
    expect(got.headers['x-content-sha256']).toBe(sha256(proof))

    // Once handed in, the same upload cannot go with another case.
    const again = await submit(citizen, residence({ photo: uploaded.ref, residenceProof: FILE }))
    expectError(again, 400, 'VALIDATION_FAILED')
    expect(again.body.error.details).toEqual([
      expect.objectContaining({
        path: '/body/data/attachments/photo',
        message: expect.stringContaining('another case'),
      }),
    ])
  })

  it('turns inline data URLs into attachments with the SHA-256 of their bytes; the stored case holds references only', async () => {
    const res = await submit(citizen, residence({ photo: PHOTO, residenceProof: FILE }))
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const view = res.body as CaseView
    const photoBytes = Buffer.from(PHOTO.split(',')[1]!, 'base64')
    const fileBytes = Buffer.from(FILE.split(',')[1]!, 'base64')
    expect(view.attachments).toEqual([
      expect.objectContaining({
        path: 'attachments.photo',
        sha256: sha256(photoBytes),
        size: photoBytes.length,
        mediaType: 'image/jpeg',
        filename: 'photo.jpg',
      }),
      expect.objectContaining({
        path: 'attachments.residenceProof',
        sha256: sha256(fileBytes),
        mediaType: 'application/pdf',
        filename: '材料.pdf',
      }),
    ])
    expect((view.data.attachments as Record<string, string>).photo).toBe(
      `attachment:${view.attachments[0]!.id}`,
    )
    const [row] = (
      await sql<{
        data: string
        instance: string
      }>`select data, instance from case_file where id = ${view.id}`.execute(app.database.db)
    ).rows
    expect(row!.data).not.toContain('data:')
    expect(row!.instance).not.toContain('data:')
    const got = await download(app, citizen, `/api/cases/${view.id}/attachments/${view.attachments[0]!.id}`)
    expect(got.bytes.equals(photoBytes)).toBe(true)
  })

  it('refuses a reference to another citizen’s upload, a broken data URL and an oversized one, naming each path', async () => {
    const theirs = (await upload(app, other, pdf('theirs'))).body as AttachmentView
    const big = `data:application/pdf;base64,${Buffer.concat([pdf('big'), Buffer.alloc(MAX)]).toString('base64')}`
    const res = await submit(citizen, residence({ photo: theirs.ref, residenceProof: big }))
    expectError(res, 400, 'VALIDATION_FAILED')
    expect(res.body.error.details).toEqual([
      expect.objectContaining({
        path: '/body/data/attachments/photo',
        message: expect.stringContaining('not a file uploaded for this applicant'),
      }),
      expect.objectContaining({
        path: '/body/data/attachments/residenceProof',
        message: expect.stringContaining('more than'),
      }),
    ])
    const notPdf = `data:application/pdf;base64,${PNG.toString('base64')}`
    const gif = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='
    const bad = await submit(citizen, residence({ photo: gif, residenceProof: notPdf }))
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      '/body/data/attachments/photo',
      '/body/data/attachments/residenceProof',
    ])
    // Nothing was stored for the refused forms.
    const [{ n }] = (
      await sql<{
        n: number
      }>`select count(*) as n from attachment where owner_id = 'ct-0000001' and case_id is null`.execute(
        app.database.db,
      )
    ).rows as [{ n: number }]
    expect(Number(n)).toBe(0)
  })

  it('downloads by staff: an official with an open task (recorded), an overseer without one (flagged), another department (403), a field the step does not see (403)', async () => {
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), Buffer.from('staff-downloads')])
    const proof = pdf('staff-downloads')
    const a = (await upload(app, citizen, photo, { filename: 'photo.jpg', type: 'image/jpeg' }))
      .body as AttachmentView
    const b = (await upload(app, citizen, proof, { filename: '居住证明.pdf' })).body as AttachmentView
    const view = (await submit(citizen, residence({ photo: a.ref, residenceProof: b.ref }))).body as CaseView
    const accept = openSteps(view)[0]!
    const windowClerk = await staffOf(accept.departmentId!, 'clerk')

    const byClerk = await download(app, windowClerk, `/api/cases/${view.id}/attachments/${b.id}`)
    expect(byClerk.status).toBe(200)
    expect(byClerk.bytes.equals(proof)).toBe(true)
    const overseer = await login(app, 'admin.4301')
    expect((await download(app, overseer, `/api/cases/${view.id}/attachments/${a.id}`)).status).toBe(200)
    const elsewhere = await download(
      app,
      await login(app, 'official.demo'),
      `/api/cases/${view.id}/attachments/${a.id}`,
    )
    expectError(elsewhere, 403, 'FORBIDDEN')
    // Another citizen is told the case does not exist.
    expect((await download(app, other, `/api/cases/${view.id}/attachments/${a.id}`)).status).toBe(404)

    const log = (await api(app, 'GET', '/api/me/data-access', { token: citizen })).body as {
      caseId: string
      what: string
      flagged: boolean
      ledger: { log: string; index: number }
    }[]
    const mine = log.filter((x) => x.caseId === view.id)
    expect(mine.map((x) => [x.what, x.flagged]).sort()).toEqual([
      ['attachment:attachments.photo', true],
      ['attachment:attachments.residenceProof', false],
    ])
    const entry = await api(app, 'GET', `/api/ledger/${mine[0]!.ledger.log}/entries/${mine[0]!.ledger.index}`)
    expect(JSON.stringify(entry.body)).toContain('data.accessed')

    // The police review sees the photo but not the residence proof.
    await api(
      app,
      'POST',
      `/api/tasks/${((await api(app, 'GET', '/api/tasks', { token: windowClerk })).body as TaskView[]).find((t) => t.caseId === view.id)!.id}/complete`,
      { token: windowClerk, body: { outcome: 'approve' } },
    )
    const review = openSteps((await api(app, 'GET', `/api/cases/${view.id}`, { token: citizen })).body)[0]!
    const police = await staffOf(review.departmentId!, 'official')
    const seen = (await api(app, 'GET', `/api/cases/${view.id}`, { token: police })).body as CaseView
    expect(seen.attachments.map((f) => f.path)).toEqual(['attachments.photo'])
    expect((await download(app, police, `/api/cases/${view.id}/attachments/${a.id}`)).status).toBe(200)
    const hidden = await download(app, police, `/api/cases/${view.id}/attachments/${b.id}`)
    expectError(hidden, 403, 'FORBIDDEN')
  })

  it('refuses a file whose stored content was changed, with INTEGRITY_VIOLATION, and never serves it', async () => {
    const proof = pdf('tamper')
    const up = (await upload(app, citizen, proof)).body as AttachmentView
    const view = (await submit(citizen, residence({ photo: PHOTO, residenceProof: up.ref }))).body as CaseView
    const forged = Buffer.from(proof.toString('latin1').replace('tamper', 'forged'), 'latin1')
    await sql`update attachment_blob set content = ${forged} where sha256 = ${up.sha256}`.execute(
      app.database.db,
    )
    try {
      for (const url of [`/api/cases/${view.id}/attachments/${up.id}`, `/api/attachments/${up.id}`]) {
        const res = await download(app, citizen, url)
        expectError(res, 500, 'INTEGRITY_VIOLATION')
        expect(res.body.error.message).toContain(up.sha256)
        expect(res.bytes.includes('forged')).toBe(false)
      }
      // The audit re-hashes every stored file and names the attachment whose content changed.
      const report = await app.services.audit.replay()
      expect(report.differences).toContainEqual(
        expect.objectContaining({
          table: 'attachment_blob',
          key: up.id,
          field: 'content',
          expected: up.sha256,
        }),
      )
    } finally {
      await sql`update attachment_blob set content = ${proof} where sha256 = ${up.sha256}`.execute(
        app.database.db,
      )
    }
    const clean = await app.services.audit.replay()
    expect(clean.differences.filter((d) => d.table === 'attachment_blob')).toEqual([])
  })

  it('a window clerk uploads for the applicant and submits; the clerk previews it only until it is bound', async () => {
    const proof = pdf('window')
    const missing = await upload(app, clerk, proof, { filename: 'a.pdf' })
    expectError(missing, 400, 'VALIDATION_FAILED')
    expectError(
      await upload(app, clerk, proof, { filename: 'a.pdf', applicantId: 'ct-9999999' }),
      404,
      'NOT_FOUND',
    )
    expectError(
      await upload(app, await login(app, 'official.demo'), proof, {
        filename: 'a.pdf',
        applicantId: 'ct-0000001',
      }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await upload(app, other, proof, { filename: 'a.pdf', applicantId: 'ct-0000001' }),
      403,
      'FORBIDDEN',
    )
    const up = (await upload(app, clerk, proof, { filename: '窗口扫描件.pdf', applicantId: 'ct-0000001' }))
      .body as AttachmentView
    expect((await download(app, clerk, `/api/attachments/${up.id}`)).status).toBe(200)
    expect((await download(app, citizen, `/api/attachments/${up.id}`)).status).toBe(200)
    const res = await submit(clerk, residence({ photo: PHOTO, residenceProof: up.ref }), {
      channel: 'window',
      applicantId: 'ct-0000001',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect((await download(app, clerk, `/api/attachments/${up.id}`)).status).toBe(404)
    const [row] = (
      await sql<{
        owner_id: string
        uploaded_by: string
        case_id: string
      }>`select owner_id, uploaded_by, case_id from attachment where id = ${up.id}`.execute(app.database.db)
    ).rows
    expect(row).toMatchObject({ owner_id: 'ct-0000001', case_id: res.body.id })
  })

  it('supplements a file: the completed task commits to the new SHA-256 and the audit stays clean', async () => {
    const view = (await submit(citizen, residence({ photo: PHOTO, residenceProof: FILE }))).body as CaseView
    let c = view
    for (let i = 0; i < 3 && !openSteps(c).some((s) => s.departmentId?.endsWith('public_security')); i++) {
      const step = openSteps(c)[0]!
      const token = await staffOf(step.departmentId!, 'clerk')
      const task = ((await api(app, 'GET', '/api/tasks', { token })).body as TaskView[]).find(
        (t) => t.caseId === view.id,
      )!
      await api(app, 'POST', `/api/tasks/${task.id}/complete`, { token, body: { outcome: 'approve' } })
      c = (await api(app, 'GET', `/api/cases/${view.id}`, { token: citizen })).body
    }
    const review = openSteps(c).find((s) => s.departmentId?.endsWith('public_security'))!
    const police = await staffOf(review.departmentId!, 'official')
    const task = ((await api(app, 'GET', '/api/tasks', { token: police })).body as TaskView[]).find(
      (t) => t.caseId === view.id,
    )!
    await api(app, 'POST', `/api/tasks/${task.id}/complete`, {
      token: police,
      body: { outcome: 'supplement', comment: '请补充清晰的居住证明。' },
    })
    const supplement = ((await api(app, 'GET', '/api/tasks', { token: citizen })).body as TaskView[]).find(
      (t) => t.caseId === view.id,
    )!

    const clearer = pdf('supplement')
    const up = (await upload(app, citizen, clearer, { filename: '居住证明（清晰）.pdf' }))
      .body as AttachmentView
    // A reference that is not a file at all is refused with its path.
    const wrong = await api(app, 'POST', `/api/tasks/${supplement.id}/complete`, {
      token: citizen,
      body: {
        outcome: 'approve',
        data: { attachments: { residenceProof: 'attachment:00000000-0000-4000-8000-000000000000' } },
      },
    })
    expectError(wrong, 400, 'VALIDATION_FAILED')
    expect(wrong.body.error.details[0].path).toBe('/body/data/attachments/residenceProof')
    const done = await api(app, 'POST', `/api/tasks/${supplement.id}/complete`, {
      token: citizen,
      body: {
        outcome: 'approve',
        data: { attachments: { ...(view.data.attachments as object), residenceProof: up.ref } },
      },
    })
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect(
      (done.body as CaseView).attachments.find((f) => f.path === 'attachments.residenceProof'),
    ).toMatchObject({ id: up.id, sha256: sha256(clearer) })

    const receipt = await api(app, 'GET', `/api/cases/${view.id}/receipt`, { token: citizen })
    const completed = receipt.body.entries
      .filter((e: { type: string }) => e.type === 'task.completed')
      .map(
        (e: { receipt: string }) =>
          verifyReceipt(e.receipt, receipt.body.keys).leaf as unknown as {
            data: { attachments?: { path: string; sha256: string }[] }
          },
      )
      .find((l: { data: { attachments?: unknown } }) => l.data.attachments)
    expect(completed?.data.attachments).toEqual([
      { path: 'attachments.photo', sha256: view.attachments[0]!.sha256 },
      { path: 'attachments.residenceProof', sha256: sha256(clearer) },
    ])

    const clean = await app.services.audit.replay()
    expect(clean.differences).toEqual([])
    // Pointing a case's file at other content is caught by the replay, by case and field.
    const [blob] = (
      await sql<{
        sha256: string
      }>`select sha256 from attachment_blob where sha256 <> ${up.sha256} limit 1`.execute(app.database.db)
    ).rows
    await sql`update attachment set sha256 = ${blob!.sha256} where id = ${up.id}`.execute(app.database.db)
    const report = await app.services.audit.replay()
    expect(report.differences).toEqual([
      expect.objectContaining({ table: 'case_file', key: view.id, field: 'attachments' }),
    ])
    await sql`update attachment set sha256 = ${up.sha256} where id = ${up.id}`.execute(app.database.db)
  })

  it('answers 413 for a file over the limit, 415 for other types or content, 400 for no body or no name, and wants the CSRF token with a cookie', async () => {
    const tooBig = Buffer.concat([pdf('big'), Buffer.alloc(MAX)])
    expectError(await upload(app, citizen, tooBig), 413, 'PAYLOAD_TOO_LARGE')
    expectError(
      await upload(app, citizen, Buffer.from('GIF89a'), { type: 'image/gif' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    )
    expectError(
      await upload(app, citizen, Buffer.from('{"a":1}'), { type: 'application/json' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    )
    expectError(
      await upload(app, citizen, Buffer.from('hello'), { type: 'text/plain' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    )
    expectError(await upload(app, citizen, PNG, { type: 'application/pdf' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    expectError(await upload(app, citizen, Buffer.alloc(0)), 400, 'VALIDATION_FAILED')
    expectError(await upload(app, citizen, pdf('no-type'), { type: '' }), 415, 'UNSUPPORTED_MEDIA_TYPE')
    const unnamed = await upload(app, citizen, pdf('unnamed'), { filename: null })
    expectError(unnamed, 400, 'VALIDATION_FAILED')
    expect(JSON.stringify(unnamed.body.error.details)).toContain('/querystring/filename')
    expect(
      (await upload(app, citizen, PNG, { type: 'image/png; charset=binary', filename: 'x.png' })).status,
    ).toBe(201)
    expectError(await upload(app, 'not-a-token', pdf('anonymous')), 401, 'UNAUTHENTICATED')

    // A browser session (cookie) needs the x-csrf-token header to upload.
    const loginRes = await app.server.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'citizen.demo', password: 'xzt-demo' },
    })
    const cookies = loginRes.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
    const csrf = loginRes.cookies.find((c) => c.name === 'xzt_csrf')!.value
    const viaCookie = (headers: Record<string, string>) =>
      app.server.inject({
        method: 'POST',
        url: '/api/attachments?filename=c.pdf',
        headers: { cookie: cookies, 'content-type': 'application/pdf', ...headers },
        payload: pdf('cookie'),
      })
    const refused = await viaCookie({})
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'CSRF_FAILED'])
    expect((await viaCookie({ 'x-csrf-token': csrf })).statusCode).toBe(201)
  })
})
