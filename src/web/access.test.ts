import { describe, expect, it } from 'vitest'
import type { Me } from '../shared/api.js'
import type { DepartmentKind, Role } from '../shared/domain.js'
import { permissionsOf } from '../shared/permissions.js'
import {
  canListScorecards,
  canSeeScorecards,
  hasOwnScorecard,
  canOverridePolicies,
  canPublishPolicies,
  canReadPolicies,
  canSeeAudit,
  canSeeOrg,
  canSeeOverview,
  canSeeServices,
  canSeeWindow,
  canSeeWorkbench,
  canOverseeAppeals,
  canSeeAppealDesk,
  canSeeAppealReviews,
  canTakeCalls,
  canWorkAppealInbox,
  canSeePromotion,
  canEvaluateOfficials,
  canExportScorecards,
  canRunWhatIf,
  canSeeHall,
  flaggedInNav,
  homePath,
  takesCallsFirst,
} from './access.js'

function staff(roles: Role[], regionCode = '4301', departmentKind: DepartmentKind = 'data_bureau'): Me {
  const me: Me = {
    id: `st-${roles.join('-')}`,
    username: roles.join('.'),
    name: '测试',
    kind: 'staff',
    roles,
    regionCode,
    regionName: '星城市',
    departmentId: `${regionCode}-${departmentKind}`,
    departmentName: '星城市政务服务和数据管理局',
    departmentKind,
    permissions: [],
  }
  return { ...me, permissions: permissionsOf(me) }
}

const citizen: Me = {
  id: 'ct-0000001',
  username: 'citizen.demo',
  name: '江东家',
  kind: 'citizen',
  roles: ['citizen'],
  regionCode: '430101001',
  regionName: '古源街道',
  departmentId: null,
  departmentName: null,
  departmentKind: null,
  permissions: [],
}

describe('where each role lands after signing in', () => {
  it.each([
    ['citizen', citizen, '/services'],
    ['window clerk', staff(['clerk'], '430101001', 'service_center'), '/workbench'],
    ['12345 hotline operator', staff(['clerk'], '4301', 'government_office'), '/hotline'],
    ['official', staff(['official']), '/workbench'],
    ['supervisor', staff(['supervisor']), '/workbench'],
    ['province administrator', staff(['admin'], '43'), '/overview'],
    ['city administrator', staff(['admin']), '/overview'],
    ['auditor', staff(['auditor'], '43'), '/audit'],
    ['leader', staff(['leader']), '/desk'],
    ['data administrator', staff(['data_admin'], '43'), '/desk'],
    ['organisation department', staff(['organisation'], '43', 'organisation_department'), '/promotion'],
  ])('%s → %s', (_, me, path) => {
    expect(homePath(me)).toBe(path)
  })
})

describe('the promotion index and the what-if', () => {
  it('the organisation department ranks, evaluates and exports; every staff member may run a what-if', () => {
    const orgdept = staff(['organisation'], '43', 'organisation_department')
    expect(
      [canSeePromotion, canEvaluateOfficials, canExportScorecards, canRunWhatIf].map((f) => f(orgdept)),
    ).toEqual([true, true, true, true])
    for (const me of [staff(['official']), staff(['leader']), staff(['admin'], '43')])
      expect([canSeePromotion(me), canEvaluateOfficials(me), canRunWhatIf(me)]).toEqual([false, false, true])
    expect([canSeePromotion, canRunWhatIf].map((f) => f(citizen))).toEqual([false, false])
  })
})

describe('what the navigation shows comes from the permission table', () => {
  it('citizens apply, and see no staff pages', () => {
    expect(canSeeServices(citizen)).toBe(true)
    expect(
      [canSeeWorkbench, canSeeWindow, canSeeOrg, canSeeAudit, canSeeOverview].map((f) => f(citizen)),
    ).toEqual([false, false, false, false, false])
  })

  it('a citizen account is never given a staff page, whatever roles it claims', () => {
    const odd: Me = { ...citizen, roles: ['citizen', 'admin'] }
    expect(canSeeOverview(odd)).toBe(false)
    expect(canSeeAudit(odd)).toBe(false)
  })

  it('clerks work the window, the inbox and the service hall; administrators none of them', () => {
    const clerk = staff(['clerk'], '430101001')
    expect([canSeeWindow(clerk), canSeeWorkbench(clerk), canSeeServices(clerk)]).toEqual([true, true, true])
    const admin = staff(['admin'], '43')
    expect([canSeeWindow(admin), canSeeWorkbench(admin), canSeeServices(admin)]).toEqual([
      false,
      false,
      false,
    ])
    expect([canSeeOverview(admin), canSeeOrg(admin), canSeeAudit(admin), flaggedInNav(admin)]).toEqual([
      true,
      true,
      true,
      true,
    ])
  })

  it('supervisors review flags on their workbench, not on a page of their own', () => {
    expect(flaggedInNav(staff(['supervisor']))).toBe(false)
    expect(flaggedInNav(staff(['auditor'], '43'))).toBe(true)
  })
})

describe('the appeal pages', () => {
  it('handlers see the desk, overseers their region on it, citizens neither', () => {
    expect([canWorkAppealInbox(staff(['official'])), canWorkAppealInbox(staff(['auditor'], '43'))]).toEqual([
      true,
      false,
    ])
    expect([canSeeAppealDesk(staff(['official'])), canOverseeAppeals(staff(['official']))]).toEqual([
      true,
      false,
    ])
    expect([canSeeAppealDesk(staff(['leader'])), canOverseeAppeals(staff(['leader']))]).toEqual([true, true])
    expect([canSeeAppealDesk(staff(['auditor'], '43')), canOverseeAppeals(staff(['auditor'], '43'))]).toEqual(
      [true, true],
    )
    expect([canSeeAppealDesk(citizen), canOverseeAppeals(citizen)]).toEqual([false, false])
  })

  it('clerks take calls, a hotline operator first of all; a citizen files only their own', () => {
    const window = staff(['clerk'], '430101001', 'service_center')
    const hotline = staff(['clerk'], '4301', 'government_office')
    expect([canTakeCalls(window), takesCallsFirst(window)]).toEqual([true, false])
    expect([canTakeCalls(hotline), takesCallsFirst(hotline)]).toEqual([true, true])
    expect([canTakeCalls(citizen), canTakeCalls(staff(['official']))]).toEqual([false, false])
  })

  it('contests and rectifications: officials, supervisors, leaders; not clerks', () => {
    expect(['official', 'supervisor', 'leader'].map((r) => canSeeAppealReviews(staff([r as Role])))).toEqual([
      true,
      true,
      true,
    ])
    expect(canSeeAppealReviews(staff(['clerk'], '430101001', 'service_center'))).toBe(false)
    expect(canSeeAppealReviews(citizen)).toBe(false)
  })
})

describe('governance policy pages', () => {
  it('staff find them in the menu; the province publishes; a city or county adjusts its own', () => {
    // A citizen reads a policy where it applies (their appeal), not from the staff menu.
    expect(canReadPolicies(citizen)).toBe(false)
    expect(canReadPolicies(staff(['official']))).toBe(true)
    expect(canPublishPolicies(staff(['admin'], '43'))).toBe(true)
    expect(canPublishPolicies(staff(['data_admin'], '43'))).toBe(true)
    expect(canPublishPolicies(staff(['admin'], '4301'))).toBe(false)
    expect(canOverridePolicies(staff(['admin'], '4301'))).toBe(true)
    expect(canOverridePolicies(staff(['official'], '4301'))).toBe(false)
    expect(canOverridePolicies(citizen)).toBe(false)
  })
})

describe('scorecards (考核)', () => {
  const levels = (me: Me, region: string) =>
    (['official', 'department', 'region'] as const).filter((l) => canListScorecards(me, l, region))

  it('an official reads their own card only: no table', () => {
    const official = staff(['official'], '430101', 'market_regulation')
    expect(canSeeScorecards(official)).toBe(true)
    expect(hasOwnScorecard(official)).toBe(true)
    expect(levels(official, '430101')).toEqual([])
  })

  it('a supervisor lists their department’s officials and the department, not regions', () => {
    const supervisor = staff(['supervisor'], '430101', 'market_regulation')
    expect(levels(supervisor, '430101')).toEqual(['official', 'department'])
  })

  it('a county leader lists every level of the county, nothing outside it', () => {
    const leader = staff(['leader'], '430101', 'government_office')
    expect(levels(leader, '430101')).toEqual(['official', 'department', 'region'])
    expect(levels(leader, '430102')).toEqual([])
  })

  it('a citizen has no scorecards page', () => {
    expect(canSeeScorecards(citizen)).toBe(false)
  })
})

describe('the command hall and the leaders’ desk', () => {
  it('leaders, auditors, administrators and data administrators; not officials, clerks or citizens', () => {
    const yes = (['leader', 'auditor', 'admin', 'data_admin'] as const).map((r) => canSeeHall(staff([r])))
    const no = (['official', 'clerk', 'supervisor'] as const).map((r) => canSeeHall(staff([r])))
    expect(yes).toEqual([true, true, true, true])
    expect(no).toEqual([false, false, false])
    expect(canSeeHall(citizen)).toBe(false)
  })
})
