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
import type {
  AppealView,
  AuditRunResult,
  CaseView,
  ResponsibilityChainView,
  TaskView,
} from '../../../shared/api.js'
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
    // The official who last changed the household record, proven by the entry that registered it.
    expect(primary).toMatchObject({
      rule: 'data-discrepancy',
      function: 'record_keeper',
      staffId: expect.any(String),
      department: expect.stringContaining('公安'),
    })
    expect(primary.evidence.length).toBe(2)
    await provesEvery(chain)
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

  async function fileMarket(
    text = '超市价格标签与结算价不符',
    extra: Record<string, unknown> = {},
  ): Promise<AppealView> {
    const res = await api(app, 'POST', '/api/appeals', {
      token: citizen,
      body: { kind: 'complaint', category: 'market/pricing', text, regionCode: '430101001', ...extra },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body as AppealView
  }

  it('escalates a missed deadline up the ladder: the supervisors, then the region’s leaders', async () => {
    const appeal = await fileMarket('菜市场电子秤缺斤短两')
    expect(appeal.escalations).toEqual([])
    // Complaints: answer within 1 working day; the ladder's first rung fires at the deadline.
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P3D' } })
    const after = (await api(app, 'GET', `/api/appeals/${appeal.id}`, { token: citizen })).body as AppealView
    const respond = after.escalations.filter((e) => e.stage === 'respond')
    expect(respond.map((e) => e.level)).toContain('supervisor')
    const supervisorIds = respond.find((e) => e.level === 'supervisor')!.to.map((p) => p.id)
    const sup = await login(app, 'market.supervisor.demo')
    const me = (await api(app, 'GET', '/api/auth/me', { token: sup })).body as { id: string }
    expect(supervisorIds).toContain(me.id)
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P7D' } })
    const later = (await api(app, 'GET', `/api/appeals/${appeal.id}`, { token: citizen })).body as AppealView
    const levels = later.escalations.map((e) => `${e.stage}:${e.level}`)
    expect(levels).toEqual(
      expect.arrayContaining(['respond:supervisor', 'respond:leader', 'resolve:supervisor']),
    )
    for (const e of later.escalations)
      expect(e).toMatchObject({ policy: 'appeal.escalation@1', ledger: { index: expect.any(Number) } })
    // Each rung once: advancing again escalates nothing twice. (A later rung may come due in that day,
    // depending on the weekday the test starts on: the deadlines count working days.)
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P1D' } })
    const again = (await api(app, 'GET', `/api/appeals/${appeal.id}`, { token: citizen })).body as AppealView
    const rungs = again.escalations.map((e) => `${e.stage}:${e.level}`)
    expect(new Set(rungs).size).toBe(rungs.length)
    expect(rungs).toEqual(expect.arrayContaining(levels))
    // Answered in time, nothing escalates.
    const answered = await fileMarket('农贸市场乱收摊位费')
    const official = await login(app, 'market.demo')
    await api(app, 'POST', `/api/appeals/${answered.id}/accept`, { token: official })
    await api(app, 'POST', `/api/appeals/${answered.id}/respond`, {
      token: official,
      body: { text: '已转市场管理方核实' },
    })
    await api(app, 'POST', `/api/appeals/${answered.id}/resolve`, {
      token: official,
      body: { text: '已退还多收费用' },
    })
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'P20D' } })
    expect(
      ((await api(app, 'GET', `/api/appeals/${answered.id}`, { token: citizen })).body as AppealView)
        .escalations,
    ).toEqual([])
  })

  it('returns an appeal as not the department’s own and routes it again, counting against nobody', async () => {
    const appeal = await fileMarket('小区门口流动摊贩占道经营')
    const official = await login(app, 'market.demo')
    expectError(
      await api(app, 'POST', `/api/appeals/${appeal.id}/return`, { token: official, body: {} }),
      400,
      'VALIDATION_FAILED',
    )
    const returned = await api(app, 'POST', `/api/appeals/${appeal.id}/return`, {
      token: official,
      body: { reason: '占道经营属城市管理部门职责' },
    })
    expect(returned.status, JSON.stringify(returned.body)).toBe(200)
    const view = returned.body as AppealView
    expect(view).toMatchObject({
      status: 'dispatched',
      round: 2,
      department: { id: '4301-market_regulation' },
    })
    expect(view.timeline.map((s) => s.type)).toEqual(['appeal.filed', 'appeal.returned'])
    expect(view.timeline[1]!.data).toMatchObject({
      from: '430101-market_regulation',
      reason: '占道经营属城市管理部门职责',
    })
    // Each step names the departments it sent the appeal from and to, resolved in one go.
    const market = expect.stringMatching(/市场监督管理局$/)
    expect(view.timeline[0]).toMatchObject({
      department: { id: '430101-market_regulation', name: market },
      fromDepartment: null,
    })
    expect(view.timeline[1]).toMatchObject({
      department: { id: '4301-market_regulation', name: market },
      fromDepartment: { id: '430101-market_regulation', name: market },
    })
    expect(view.timeline[1]!.department!.name).not.toBe(view.timeline[1]!.fromDepartment!.name)
    const seen = (await api(app, 'GET', `/api/appeals/${appeal.id}`, { token: citizen })).body as AppealView
    expect(seen.timeline.map((s) => [s.department, s.fromDepartment])).toEqual(
      view.timeline.map((s) => [s.department, s.fromDepartment]),
    )
    // The returning department no longer handles it; the new one does.
    expectError(
      await api(app, 'POST', `/api/appeals/${appeal.id}/accept`, { token: official }),
      403,
      'FORBIDDEN',
    )
    const city = await login(app, 'official.demo')
    expect((await api(app, 'POST', `/api/appeals/${appeal.id}/accept`, { token: city })).status).toBe(200)
    const chain = (await api(app, 'GET', `/api/appeals/${appeal.id}/responsibility`, { token: city }))
      .body as ResponsibilityChainView
    expect(chain.cause).toBe('accepted')
    expect(chain.links.find((l) => l.primary)!.departmentId).toBe('4301-market_regulation')
    expect(chain.links.some((l) => l.departmentId === '430101-market_regulation')).toBe(false)
  })

  it('offers duplicates for merging and merges one into another', async () => {
    const first = await fileMarket('同一家餐馆后厨卫生差', { category: 'market/food_safety' })
    const second = await fileMarket('这家餐馆后厨很脏', { category: 'market/food_safety' })
    const official = await login(app, 'market.demo')
    const seen = (await api(app, 'GET', `/api/appeals/${second.id}`, { token: official })).body as AppealView
    expect(seen.duplicates.map((d) => d.id)).toContain(first.id)
    expect(seen.actions).toContain('merge')
    expectError(
      await api(app, 'POST', `/api/appeals/${second.id}/merge`, {
        token: official,
        body: { into: second.id },
      }),
      400,
      'VALIDATION_FAILED',
    )
    const merged = await api(app, 'POST', `/api/appeals/${second.id}/merge`, {
      token: official,
      body: { into: first.id },
    })
    expect(merged.status, JSON.stringify(merged.body)).toBe(200)
    expect(merged.body).toMatchObject({ status: 'merged', mergedInto: first.id })
    expectError(
      await api(app, 'POST', `/api/appeals/${second.id}/accept`, { token: official }),
      409,
      'CONFLICT',
    )
  })

  it('lets the named official contest their link, and their superior decide', async () => {
    const appeal = await fileMarket('商场促销先涨价后打折')
    const official = await login(app, 'market.demo')
    await api(app, 'POST', `/api/appeals/${appeal.id}/accept`, { token: official })
    const other = await login(app, 'tax.demo')
    expectError(
      await api(app, 'POST', `/api/appeals/${appeal.id}/responsibility/contest`, {
        token: other,
        body: { reason: '与我无关' },
      }),
      403,
      'FORBIDDEN',
    )
    const contested = await api(app, 'POST', `/api/appeals/${appeal.id}/responsibility/contest`, {
      token: official,
      body: { reason: '该商场不在本辖区，系误派' },
    })
    expect(contested.status, JSON.stringify(contested.body)).toBe(200)
    const mine = (contested.body as ResponsibilityChainView).links.find((l) => l.contest)!
    expect(mine.contest).toMatchObject({ status: 'pending', reason: '该商场不在本辖区，系误派' })
    expectError(
      await api(app, 'POST', `/api/appeals/${appeal.id}/responsibility/contest`, {
        token: official,
        body: { reason: '再次申诉' },
      }),
      409,
      'CONFLICT',
    )
    expectError(
      await api(app, 'POST', `/api/chain-contests/${mine.contest!.id}/decision`, {
        token: official,
        body: { upheld: true, reason: '自己裁定' },
      }),
      403,
      'FORBIDDEN',
    )
    const sup = await login(app, 'market.supervisor.demo')
    const pending = (await api(app, 'GET', '/api/chain-contests?status=pending', { token: sup })).body as {
      id: string
    }[]
    expect(pending.map((c) => c.id)).toContain(mine.contest!.id)
    const decided = await api(app, 'POST', `/api/chain-contests/${mine.contest!.id}/decision`, {
      token: sup,
      body: { upheld: true, reason: '经核实确属误派' },
    })
    expect(decided.status, JSON.stringify(decided.body)).toBe(200)
    const link = (decided.body as ResponsibilityChainView).links.find((l) => l.staffId === mine.staffId)!
    expect(link).toMatchObject({ excluded: true, contest: { status: 'upheld', decision: '经核实确属误派' } })
    expectError(
      await api(app, 'POST', `/api/chain-contests/${mine.contest!.id}/decision`, {
        token: sup,
        body: { upheld: false, reason: '改判' },
      }),
      409,
      'CONFLICT',
    )
  })

  it('names the approver of a wrongful rejection, and the hotline files for a caller', async () => {
    const prefill = await api(app, 'GET', '/api/matters/RESIDENCE_PERMIT/prefill', { token: citizen })
    const c = await submit('RESIDENCE_PERMIT', merge(prefill.body.data, typed(citizenDemo).RESIDENCE_PERMIT!))
    const step = c.timeline.find((s) => s.completedAt === null && s.departmentId && s.node !== 'submit')!
    const desk = await api(app, 'POST', '/api/staff', {
      token: admin,
      body: {
        username: 't.appeal.desk',
        password: 'test-password',
        name: '测试审批人',
        departmentId: step.departmentId,
        roles: ['clerk', 'official'],
      },
    })
    expect(desk.status, JSON.stringify(desk.body)).toBe(201)
    const deskToken = await login(app, 't.appeal.desk', 'test-password')
    const task = ((await api(app, 'GET', '/api/tasks', { token: deskToken })).body as TaskView[]).find(
      (t) => t.caseId === c.id && t.node === step.node,
    )!.id
    const rejected = await api(app, 'POST', `/api/tasks/${task}/complete`, {
      token: deskToken,
      body: { outcome: 'reject', comment: '材料不全' },
    })
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200)
    const hotline = await login(app, 'hotline.demo')
    expectError(
      await api(app, 'POST', '/api/appeals', {
        token: hotline,
        body: { kind: 'complaint', category: 'service/rejection', text: '无理驳回' },
      }),
      400,
      'VALIDATION_FAILED',
    )
    const filed = await api(app, 'POST', '/api/appeals', {
      token: hotline,
      body: {
        kind: 'complaint',
        category: 'service/rejection',
        text: '来电反映：居住证申请材料齐全却被驳回',
        caseId: c.id,
        channel: 'hotline',
        contact: { name: '来电人', phone: '13800000000' },
      },
    })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    expect(filed.body).toMatchObject({
      channel: 'hotline',
      concern: 'wrongful_rejection',
      citizenId: null,
      contact: { phone: '13800000000' },
    })
    const chain = (await api(app, 'GET', `/api/appeals/${filed.body.id}/responsibility`, { token: hotline }))
      .body as ResponsibilityChainView
    expect(chain.rule).toBe('wrongful-rejection')
    expect(chain.links.find((l) => l.primary)).toMatchObject({
      name: '测试审批人',
      function: 'approver',
      reason: expect.stringContaining('材料不全'),
    })
    // The citizen never sees the caller's contact, and may not file for someone else's case.
    expect((await api(app, 'GET', '/api/appeals?scope=filed', { token: hotline })).body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: filed.body.id })]),
    )
  })

  it('keeps each result’s policy version when a new one is published mid-way', async () => {
    const before = await fileMarket('理发店办卡后跑路')
    const routing = structuredClone(DEMO_POLICIES['appeal.routing']) as RoutingPolicy
    for (const r of routing.rules)
      if (r.id === 'market-complaints') r.to = { departmentKind: 'market_regulation', level: 'city' }
    const published = await api(app, 'POST', '/api/policies/appeal.routing', {
      token: admin,
      body: { body: routing, note: '市场投诉改由市级办理' },
    })
    expect(published.status, JSON.stringify(published.body)).toBe(201)
    const after = await fileMarket('健身房办卡后关门')
    expect(after).toMatchObject({
      routing: { policy: 'appeal.routing@2' },
      department: { id: '4301-market_regulation' },
    })
    const old = (await api(app, 'GET', `/api/appeals/${before.id}`, { token: citizen })).body as AppealView
    expect(old).toMatchObject({
      routing: { policy: 'appeal.routing@1' },
      department: { id: '430101-market_regulation' },
    })
    // A new chain policy: open appeals' chains are rebuilt under it, closed ones keep theirs.
    const chainPolicy = structuredClone(DEMO_POLICIES['responsibility.chain']) as {
      rules: { id: string; secondary?: string[] }[]
    }
    for (const r of chainPolicy.rules) if (r.id === 'on-duty') r.secondary = ['supervisor']
    expect(
      (
        await api(app, 'POST', '/api/policies/responsibility.chain', {
          token: admin,
          body: { body: chainPolicy },
        })
      ).status,
    ).toBe(201)
    // The rebuild is a job due when the version takes effect (the manual clock runs it on advance).
    await api(app, 'POST', '/api/admin/clock', { token: admin, body: { advance: 'PT1M' } })
    const open = (await api(app, 'GET', `/api/appeals/${after.id}/responsibility`, { token: admin }))
      .body as ResponsibilityChainView
    expect(open).toMatchObject({ policyVersion: 'responsibility.chain@2', cause: 'policy' })
    const closed = (await api(app, 'GET', '/api/appeals?scope=region&status=closed', { token: admin }))
      .body as AppealView[]
    expect(closed.length).toBeGreaterThan(0)
    for (const a of closed) {
      const chain = (await api(app, 'GET', `/api/appeals/${a.id}/responsibility`, { token: admin }))
        .body as ResponsibilityChainView
      expect(chain.policyVersion).toBe('responsibility.chain@1')
    }
    // Rebuilding again by hand changes nothing.
    const rebuilt = await api(app, 'POST', '/api/admin/chains/rebuild', { token: admin })
    expect(rebuilt.status, JSON.stringify(rebuilt.body)).toBe(200)
    expect(rebuilt.body).toMatchObject({ rebuilt: 0, appeals: expect.any(Number) })
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
