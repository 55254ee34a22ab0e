import { describe, expect, it } from 'vitest'
import { translate } from '../../i18n.js'
import type { OverrideRule } from '../../policies-api.js'
import {
  boundText,
  fieldTitle,
  overridableFields,
  parentCode,
  ruleMatching,
  valueAtPointer,
} from './overrides.js'

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('zh-CN', key, params)

const deadlines = {
  default: { respondDays: 1, resolveDays: 5 },
  byKind: { complaint: { respondDays: 1, resolveDays: 5 }, inquiry: { respondDays: 1, resolveDays: 3 } },
}
const rules: OverrideRule[] = [
  {
    path: '/default/resolveDays',
    levels: ['city', 'county', 'street'],
    bound: 'max',
    title: { zh: '默认办结时限（工作日）', en: 'Default resolution time' },
  },
  {
    path: '/byKind/*/resolveDays',
    levels: ['city', 'county', 'street'],
    bound: 'max',
    title: { zh: '按诉求类型的办结时限（工作日）', en: 'Resolution time by kind' },
  },
]

describe('各级调整 helpers', () => {
  it('open one field per key a wildcard stands for, named after it', () => {
    const fields = overridableFields(rules, deadlines).map((f) => f.path)
    expect(fields).toEqual([
      '/default/resolveDays',
      '/byKind/complaint/resolveDays',
      '/byKind/inquiry/resolveDays',
    ])
    expect(fieldTitle(rules, '/byKind/inquiry/resolveDays', deadlines, 'zh-CN')).toBe(
      '按诉求类型的办结时限（工作日） · 咨询',
    )
    expect(ruleMatching(rules, '/byKind/praise/resolveDays')?.path).toBe('/byKind/*/resolveDays')
    expect(ruleMatching(rules, '/default/respondDays')).toBeUndefined()
  })

  it('say a bound in words', () => {
    const [rule] = rules as [OverrideRule]
    expect(boundText(rule, valueAtPointer(deadlines, rule.path), t)).toBe('不得长于省定 5 个工作日')
    expect(boundText(rule, 4, t, 'parent')).toBe('不得长于上级现行的 4 个工作日')
    expect(boundText({ ...rule, path: '/weights/reform', bound: 'min' }, 2, t)).toBe('不得低于省定 2')
    expect(boundText({ ...rule, bound: 'any' }, 5, t)).toBe('可自行设定')
  })

  it('find the parent region by code length', () => {
    expect(['430102001', '430102', '4301'].map(parentCode)).toEqual(['430102', '4301', '43'])
  })
})
