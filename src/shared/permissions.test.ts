import { describe, expect, it } from 'vitest'
import { isAppError } from './errors.js'
import { TASK_ROLES } from '../server/modules/workflow/engine/definition.js'
import { ROLES } from './domain.js'
import {
  assertCan,
  can,
  caseTarget,
  grantFor,
  mayWorkTask,
  overseesRegion,
  PERMISSION_TITLES,
  PERMISSIONS,
  permissionsOf,
  REGION_OVERSEERS,
  TASK_ROLE_WORKERS,
  taskRolesWorkedBy,
  type Actor,
} from './permissions.js'

const cityAdmin: Actor = {
  kind: 'staff',
  roles: ['admin'],
  regionCode: '4302',
  departmentId: '4302-data_bureau',
  accountId: 'a1',
}
const provinceAdmin: Actor = {
  kind: 'staff',
  roles: ['admin'],
  regionCode: '43',
  departmentId: '43-data_bureau',
  accountId: 'a0',
}
const supervisor: Actor = {
  kind: 'staff',
  roles: ['supervisor'],
  regionCode: '4301',
  departmentId: '4301-tax',
  accountId: 's1',
}
const citizen: Actor = {
  kind: 'citizen',
  roles: ['citizen'],
  regionCode: '430102001',
  departmentId: null,
  id: 'c1',
}

describe('permission table', () => {
  it('lets only the province move the clock', () => {
    expect(can(provinceAdmin, 'clock.advance', { regionCode: '43' })).toBe(true)
    expect(can(cityAdmin, 'clock.advance', { regionCode: '43' })).toBe(false)
    // The web's question (may they at all?) is answered without a target.
    expect(can(cityAdmin, 'clock.advance')).toBe(true)
  })

  it('scopes department grants to the department, or without one to the region subtree', () => {
    expect(can(supervisor, 'data_access.review', { departmentId: '4301-tax', regionCode: '430102' })).toBe(
      true,
    )
    expect(can(supervisor, 'data_access.review', { departmentId: '4301-market_regulation' })).toBe(false)
    expect(can(supervisor, 'data_access.review', { departmentId: null, regionCode: '430102' })).toBe(false)
    // The department's own resource reaches it wherever it sits (its step of another city's case).
    expect(can(supervisor, 'data_access.review', { departmentId: '4301-tax', regionCode: '4302' })).toBe(true)
    expect(can(supervisor, 'org.read', { regionCode: '4302' })).toBe(false)
    expect(can(supervisor, 'org.read', { regionCode: '430102' })).toBe(true)
  })

  it('gives own-scope grants to citizens for their own resources only', () => {
    expect(can(citizen, 'case.read', { ownerId: 'c1' })).toBe(true)
    expect(can(citizen, 'case.read', { ownerId: 'c2' })).toBe(false)
    expect(can(citizen, 'case.read', { ownerId: null })).toBe(false)
    // A staff account with a stray citizen role gets nothing from own-scope grants.
    expect(can({ ...supervisor, roles: ['citizen'] }, 'case.apply')).toBe(false)
  })

  it('picks the widest grant that reaches the target', () => {
    const both: Actor = { ...supervisor, roles: ['supervisor', 'admin'] }
    expect(grantFor(both, 'data_access.review', { departmentId: '4301-tax' })?.scope).toBe('subtree')
    expect(grantFor(both, 'data_access.review', { regionCode: '4302' })).toBeUndefined()
  })

  it('explains a refusal: missing role, or a target outside the jurisdiction', () => {
    const refusal = (f: () => unknown): unknown => {
      try {
        f()
      } catch (err) {
        return err
      }
      throw new Error('expected a refusal')
    }
    const noRole = refusal(() => assertCan(citizen, 'audit.run'))
    expect(isAppError(noRole) && noRole.code).toBe('FORBIDDEN')
    expect((noRole as { details: { requiredRoles: string[] } }).details.requiredRoles).toEqual([
      'auditor',
      'admin',
    ])
    const outside = refusal(() => assertCan(cityAdmin, 'clock.advance', { regionCode: '43' }))
    expect(
      (outside as { details: { jurisdiction: { regionCode: string } } }).details.jurisdiction.regionCode,
    ).toBe('4302')
  })

  it('lists what a user holds, and every grant names known roles', () => {
    expect(permissionsOf(citizen)).toContain('case.apply')
    expect(permissionsOf(citizen)).not.toContain('case.submit_window')
    expect(permissionsOf(supervisor)).toEqual(expect.arrayContaining(['task.reassign', 'workbench.use']))
    for (const grants of Object.values(PERMISSIONS)) expect(grants.length).toBeGreaterThan(0)
  })

  it('gives every permission a Chinese and an English title, and every grant known roles', () => {
    expect(Object.keys(PERMISSION_TITLES).sort()).toEqual(Object.keys(PERMISSIONS).sort())
    for (const grants of Object.values(PERMISSIONS))
      for (const g of grants) for (const r of g.roles) expect(ROLES).toContain(r)
  })

  it('has one answer to who oversees a region, and case receipts follow the case rule', () => {
    const leader: Actor = { ...supervisor, roles: ['leader'], departmentId: '4301-data_bureau' }
    expect(overseesRegion(leader, '430102001')).toBe(true)
    expect(overseesRegion(leader, '4302')).toBe(false)
    expect(overseesRegion(supervisor, '430102001')).toBe(false)
    expect(overseesRegion({ ...supervisor, roles: ['data_admin'] }, '430102001')).toBe(false)
    expect(PERMISSIONS['region.oversee']).toEqual([{ roles: REGION_OVERSEERS, scope: 'subtree' }])
    expect(PERMISSIONS['case.receipt']).toEqual(PERMISSIONS['case.read'])
    for (const p of ['case.read', 'data_access.read_flagged', 'org.read'] as const) {
      const subtree = PERMISSIONS[p].find((g) => g.scope === 'subtree')!
      expect(subtree.roles, p).toEqual(expect.arrayContaining([...REGION_OVERSEERS]))
    }
  })

  it('treats a case as a resource of the departments with a task on it, wherever they sit', () => {
    const kase = { applicantId: 'c1', regionCode: '430102001', departmentIds: ['4302-tax', null] }
    const destination: Actor = { ...supervisor, regionCode: '4302', departmentId: '4302-tax' }
    expect(can(destination, 'case.read', caseTarget(destination, kase))).toBe(true)
    expect(can(destination, 'case.read_discrepancies', caseTarget(destination, kase))).toBe(true)
    // A region official without a task: no department grant reaches the case.
    expect(can(supervisor, 'case.read', caseTarget(supervisor, kase))).toBe(false)
    expect(can(supervisor, 'case.receipt', caseTarget(supervisor, kase))).toBe(false)
    // Overseers read it, but which values differ from the records is not theirs to see.
    expect(can(provinceAdmin, 'case.read', caseTarget(provinceAdmin, kase))).toBe(true)
    expect(can(provinceAdmin, 'case.read_discrepancies', caseTarget(provinceAdmin, kase))).toBe(false)
    expect(can(citizen, 'case.read_discrepancies', caseTarget(citizen, kase))).toBe(true)
    expect(can(citizen, 'case.read', caseTarget(citizen, { ...kase, applicantId: 'c2' }))).toBe(false)
  })

  it('lets a clerk submit and upload for any citizen, but not see their records', () => {
    const clerk: Actor = { ...supervisor, roles: ['clerk'], departmentId: '430102001-service_center' }
    expect(can(clerk, 'case.submit_window', { regionCode: '4302' })).toBe(true)
    expect(can(clerk, 'attachment.upload', { ownerId: 'c-4302' })).toBe(true)
    expect(can(clerk, 'matter.prefill')).toBe(false)
    const elsewhere = { applicantId: 'c-4302', regionCode: '430202001', departmentIds: ['4302-x'] }
    expect(can(clerk, 'case.read_discrepancies', caseTarget(clerk, elsewhere))).toBe(false)
  })

  it('says who works a task by the role the process assigns it to', () => {
    expect(Object.keys(TASK_ROLE_WORKERS).sort()).toEqual([...TASK_ROLES].sort())
    expect(taskRolesWorkedBy(supervisor).sort()).toEqual(['clerk', 'official', 'supervisor'])
    expect(taskRolesWorkedBy({ ...supervisor, roles: ['official'] })).toEqual(['official'])
    expect(taskRolesWorkedBy(citizen)).toEqual([])
    expect(mayWorkTask(supervisor, { departmentId: '4301-tax', role: 'clerk' })).toBe(true)
    expect(mayWorkTask(supervisor, { departmentId: '4302-tax', role: 'clerk' })).toBe(false)
    expect(
      mayWorkTask({ ...supervisor, roles: ['clerk'] }, { departmentId: '4301-tax', role: 'official' }),
    ).toBe(false)
    expect(mayWorkTask(provinceAdmin, { departmentId: '43-data_bureau', role: 'official' })).toBe(false)
  })
})
