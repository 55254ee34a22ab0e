import { describe, expect, it } from 'vitest'
import { isAppError } from './errors.js'
import { assertCan, can, grantFor, PERMISSIONS, permissionsOf, type Actor } from './permissions.js'

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

  it('scopes department grants to the department and the region subtree', () => {
    expect(can(supervisor, 'data_access.review', { departmentId: '4301-tax', regionCode: '430102' })).toBe(
      true,
    )
    expect(can(supervisor, 'data_access.review', { departmentId: '4301-market_regulation' })).toBe(false)
    expect(can(supervisor, 'data_access.review', { departmentId: '4301-tax', regionCode: '4302' })).toBe(
      false,
    )
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
})
