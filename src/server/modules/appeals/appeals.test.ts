/**
 * Appeals on both dialects: routing by policy, deadlines and escalation with the manual clock, return
 * and re-route, reopen, merge; the responsibility chain of a delay complaint (primary links with a
 * person and a rule, every evidence entry proven against the signed checkpoint), of a wrongful
 * rejection and of an appeal with no case; the automatic discrepancy appeal; the contest flow; a policy
 * version published mid-way; and the audit's replay, which names a tampered row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, DIALECTS, type TestApp } from '../../../../test/support/db.js'
import { api, expectError, login } from '../../../../test/support/http.js'
import type { AppealView, AuditRunResult, CaseView, ResponsibilityChainView } from '../../../shared/api.js'
import { merge, typed } from '../catalog/demo/samples.js'
import { hashLeaf, verifyInclusion } from '../ledger/formats/index.js'
import { verifyCheckpointNote } from '../ledger/ledger.signing.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../sim/demo.generator.js'
import { DEMO_POLICIES } from '../sim/demo.policies.js'
import type { DemoCitizen } from '../sim/demo.model.js'
import {
  concernOf,
  deadlineDays,
  isDuplicate,
  routingCandidates,
  targetRegions,
  type DeadlinePolicy,
  type RoutingPolicy,
} from './appeals.model.js'

const citizenDemo: DemoCitizen = generateDemoProvince({ seed: DEFAULT_DEMO_SEED, scale: 'small' })
  .citizens(1)
  .next().value![0]
const routing = DEMO_POLICIES['appeal.routing'] as RoutingPolicy

describe('the appeal model', () => {
  it('routes by ordered first-match rules, then the fallback', () => {
    const facts = {
      kind: 'complaint' as const,
      category: 'market/pricing',
      regionCode: '430101001',
      text: '乱收费',
      withCase: false,
    }
    expect(routingCandidates(routing, facts).map((c) => c.rule)).toEqual(['market-complaints', 'fallback'])
    expect(routingCandidates(routing, { ...facts, withCase: true }).map((c) => c.rule)).toEqual([
      'case-complaints',
      'market-complaints',
      'fallback',
    ])
    const keyworded: RoutingPolicy = {
      rules: [
        {
          id: 'noise',
          when: { keywords: ['噪音', '噪声'] },
          to: { departmentKind: 'ecology_environment', level: 'city' },
        },
      ],
      fallback: { departmentKind: 'government_office', level: 'county' },
    }
    expect(routingCandidates(keyworded, { ...facts, text: '夜间施工噪音扰民' })[0]!.rule).toBe('noise')
    expect(routingCandidates(keyworded, { ...facts, text: '路灯不亮' })[0]!.rule).toBe('fallback')
    expect(targetRegions('430101001', 'county')).toEqual(['430101', '4301', '43'])
    expect(targetRegions('430101001', 'street')).toEqual(['430101001', '430101', '4301', '43'])
  })

  it('gives deadlines by kind, finds the concern and spots duplicates', () => {
    const policy = DEMO_POLICIES['appeal.deadlines'] as DeadlinePolicy
    expect(deadlineDays(policy, 'suggestion')).toEqual({ respondDays: 3, resolveDays: 15 })
    expect(concernOf('discrepancy', '', null, 0)).toBe('data_discrepancy')
    expect(concernOf('complaint', 'service/rejection', null, 0)).toBe('wrongful_rejection')
    const a = {
      id: 'a',
      category: 'urban/road',
      lat: 28.2,
      lng: 112.9,
      regionCode: '430101001',
      createdAt: 0,
      status: 'dispatched' as const,
    }
    expect(isDuplicate(a, { ...a, id: 'b', lat: 28.2005 })).toEqual({ distance: 56 })
    expect(isDuplicate(a, { ...a, id: 'b', lat: 28.21 })).toBeUndefined()
    expect(isDuplicate(a, { ...a, id: 'b', category: 'urban/streetlight' })).toBeUndefined()
    expect(isDuplicate(a, { ...a, id: 'b', status: 'closed' })).toBeUndefined()
  })
})

describe.each(DIALECTS)('appeals on %s', (dialect) => {
  let app: TestApp
  let citizen: string
  let admin: string

  beforeAll(async () => {
    app = await createTestApp(dialect, { env: { XZT_CLOCK: 'manual' } })
    citizen = await login(app, 'citizen.demo')
    admin = await login(app, 'admin')
  })
  afterAll(() => app?.dispose())

  async function submit(matterCode: string, data?: Record<string, unknown>): Promise<CaseView> {
    const prefill = await api(app, 'GET', `/api/matters/${matterCode}/prefill`, { token: citizen })
    const res = await api(app, 'POST', '/api/cases', {
      token: citizen,
      body: {
        matterCode,
        data: data ?? merge(prefill.body.data, typed(citizenDemo)[matterCode]!),
        channel: 'online',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as CaseView
  }

  async function provesEvery(chain: ResponsibilityChainView): Promise<void> {
    await app.services.ledger.tick()
    const logs = await app.services.ledger.listLogs()
    for (const link of chain.links)
      for (const e of link.evidence) {
        const log = logs.find((l) => l.id === e.log)!
        const note = await api(app, 'GET', `/api/ledger/${e.log}/checkpoint`)
        const cp = verifyCheckpointNote(note.body as string, [log.verifierKey])
        const proof = await api(
          app,
          'GET',
          `/api/ledger/${e.log}/proof/inclusion?index=${e.index}&size=${cp.size}`,
        )
        expect(proof.status).toBe(200)
        const [entry] = await app.services.ledger.entries(e.log, e.index, e.index + 1)
        const hashes = (proof.body.hashes as string[]).map((h) => Buffer.from(h, 'base64'))
        expect(
          verifyInclusion(e.index, cp.size, hashLeaf(Buffer.from(entry!.leaf, 'base64')), hashes, cp.root),
        ).toBe(true)
      }
  }

  it('a delay complaint names the person whose step breached its limit, and proves it', async () => {
    const c = await submit('BIZ_STARTUP')
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P30D' } })
    const res = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: { kind: 'complaint', caseId: c.id, text: '提交一个月了还没人受理' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const appeal = res.body as AppealView
    expect(appeal).toMatchObject({
      status: 'dispatched',
      category: 'service/delay',
      concern: 'delay',
      department: { id: expect.any(String), name: expect.any(String) },
      dueAt: expect.any(Number),
      routing: { rule: 'case-complaints', policy: 'appeal.routing@1' },
    })
    expect(appeal.timeline[0]).toMatchObject({
      type: 'appeal.filed',
      ledger: { log: expect.any(String), index: expect.any(Number) },
    })
    const chain = (await api(app, 'GET', `/api/appeals/${appeal.id}/responsibility`, { token: citizen }))
      .body as ResponsibilityChainView
    expect(chain.policyVersion).toBe('responsibility.chain@1')
    const primary = chain.links.filter((l) => l.primary)
    expect(primary.length).toBeGreaterThan(0)
    for (const l of primary) {
      expect(l).toMatchObject({
        staffId: expect.any(String),
        rule: 'delay',
        name: expect.any(String),
        department: expect.any(String),
      })
      expect(l.evidence.length).toBeGreaterThan(0)
    }
    // The step was never claimed: the service centre's clerk on duty answers for it.
    expect(primary[0]!.function).toBe('on_duty')
    expect(primary[0]!.departmentId).toBe(appeal.department.id)
    expect(chain.links.some((l) => !l.primary)).toBe(true)
    if (process.env.XZT_SHOW_CHAIN) console.log(JSON.stringify(chain, null, 1))
    await provesEvery(chain)
  })

  it('opens a discrepancy appeal by itself, naming the record’s department', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const data = merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!)
    const changed = merge(data, { applicant: { name: `${(data.applicant as { name: string }).name}改` } })
    const c = await submit('RESIDENCE_PERMIT', changed)
    const list = await api(app, 'GET', `/api/appeals?caseId=${c.id}`, { token: citizen })
    expect(list.status).toBe(200)
    const found = (list.body as AppealView[]).filter((a) => a.kind === 'discrepancy')
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({ channel: 'system', category: 'data/record', caseId: c.id })
    const chain = (await api(app, 'GET', `/api/appeals/${found[0]!.id}/responsibility`, { token: admin }))
      .body as ResponsibilityChainView
    const primary = chain.links.find((l) => l.primary)!
    expect(primary).toMatchObject({ rule: 'data-discrepancy', department: expect.stringContaining('公安') })
    // Routed to the department that holds the record.
    expect(found[0]!.department.id).toBe(primary.departmentId)
  })

  it('routes an appeal without a case by the policy and walks it to the citizen’s satisfaction', async () => {
    const res = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: {
        kind: 'complaint',
        category: 'market/pricing',
        text: '超市价格标签与结算价不符',
        regionCode: '430101001',
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const appeal = res.body as AppealView
    expect(appeal.department.id).toBe('430101-market_regulation')
    expect(appeal.routing.rule).toBe('market-complaints')
    const official = await login(app, 'market.demo')
    const chain = (await api(app, 'GET', `/api/appeals/${appeal.id}/responsibility`, { token: official }))
      .body as ResponsibilityChainView
    expect(chain.rule).toBe('on-duty')
    for (const step of ['accept', 'respond', 'resolve'] as const) {
      const r = await api(app, 'POST', `/api/appeals/${appeal.id}/${step}`, {
        token: official,
        ...(step === 'accept'
          ? {}
          : { body: { text: step === 'respond' ? '已联系商户核实' : '已责令商户整改并退还差价' } }),
      })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }
    const rebuilt = (await api(app, 'GET', `/api/appeals/${appeal.id}/responsibility`, { token: official }))
      .body as ResponsibilityChainView
    expect(rebuilt.links.find((l) => l.primary)).toMatchObject({ function: 'appeal_handler' })
    // 不满意 once reopens and escalates; the second time closes.
    const first = await api(app, 'POST', `/api/appeals/${appeal.id}/rating`, {
      token: citizen,
      body: { satisfaction: 'dissatisfied' },
    })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body).toMatchObject({ status: 'accepted', reopened: true, round: 2 })
    expect((first.body as AppealView).escalations).toEqual([
      expect.objectContaining({
        stage: 'satisfaction',
        level: 'supervisor',
        to: expect.arrayContaining([expect.objectContaining({ id: expect.any(String) })]),
      }),
    ])
    await api(app, 'POST', `/api/appeals/${appeal.id}/resolve`, {
      token: official,
      body: { text: '再次上门核实，已全额退款' },
    })
    const second = await api(app, 'POST', `/api/appeals/${appeal.id}/rating`, {
      token: citizen,
      body: { satisfaction: 'dissatisfied' },
    })
    expect(second.body).toMatchObject({ status: 'closed', satisfaction: 'dissatisfied' })
    expectError(
      await api(app, 'POST', `/api/appeals/${appeal.id}/rating`, {
        token: citizen,
        body: { satisfaction: 'satisfied' },
      }),
      409,
      'CONFLICT',
    )
  })

  it('keeps the audit clean, and names a tampered appeal', async () => {
    const clean = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(clean.ok, JSON.stringify(clean.replay.differences)).toBe(true)
    expect(clean.replay.byModule.appeals).toBeGreaterThanOrEqual(10)
    await app.database.db
      .updateTable('appeal')
      .set({ department_id: 'elsewhere' })
      .where('kind', '=', 'discrepancy')
      .execute()
    const tampered = (await api(app, 'POST', '/api/audit/run', { token: admin })).body as AuditRunResult
    expect(tampered.ok).toBe(false)
    expect(tampered.replay.differences).toContainEqual(
      expect.objectContaining({ table: 'appeal', field: 'department', actual: 'elsewhere' }),
    )
  })
})
