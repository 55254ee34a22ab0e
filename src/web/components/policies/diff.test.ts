import { describe, expect, it } from 'vitest'
import { describePath, describeValue, diffDocuments, fieldOf, partsText } from './diff.js'
import type { PolicyChange } from './diff.js'

const text = (c: PolicyChange, lang: 'zh-CN' | 'en' = 'zh-CN') => {
  const { name, parent } = fieldOf(c.path)
  return {
    op: c.op,
    path: describePath(c.path, lang).map(partsText).join(' › '),
    before: c.before === undefined ? undefined : partsText(describeValue(c.before, lang, name, parent)),
    after: c.after === undefined ? undefined : partsText(describeValue(c.after, lang, name, parent)),
  }
}

const routing = {
  rules: [
    {
      id: 'market',
      title: '市场经营类投诉由区县市场监管部门办理',
      when: { categories: ['market'] },
      to: { departmentKind: 'market_regulation', level: 'county' },
    },
    { id: 'tax', when: { categories: ['tax'] }, to: { departmentKind: 'tax', level: 'county' } },
  ],
  fallback: { departmentKind: 'government_office', level: 'county' },
}

describe('the diff of two policy documents', () => {
  it('finds nothing between equal documents', () => {
    expect(diffDocuments(routing, structuredClone(routing))).toEqual([])
  })

  it('names a changed number by its label', () => {
    const changes = diffDocuments(
      { badScoreMax: 2, deadlineWorkingDays: 5 },
      { badScoreMax: 2, deadlineWorkingDays: 3 },
    )
    expect(changes.map((c) => text(c))).toEqual([
      { op: 'changed', path: '整改时限（工作日）', before: '5', after: '3' },
    ])
    expect(text(changes[0] as PolicyChange, 'en').path).toBe('Rectification deadline (working days)')
  })

  it('anchors a change inside a rule on its title, and shows codes by their names', () => {
    const after = structuredClone(routing)
    after.rules[0]!.to.level = 'city'
    after.fallback.level = 'street'
    expect(diffDocuments(routing, after).map((c) => text(c))).toEqual([
      {
        op: 'changed',
        path: '规则「市场经营类投诉由区县市场监管部门办理」 › 分派至 › 层级',
        before: '县（区）',
        after: '市',
      },
      { op: 'changed', path: '兜底规则 › 层级', before: '县（区）', after: '街道（乡镇）' },
    ])
  })

  it('matches rules by id: an inserted rule is added, a moved one reordered, a dropped one removed', () => {
    const inserted = {
      id: 'env',
      title: '生态环境诉求由市生态环境部门办理',
      to: { departmentKind: 'ecology_environment', level: 'city' },
    }
    const after = { ...routing, rules: [routing.rules[1]!, inserted] }
    const changes = diffDocuments(routing, after)
    expect(changes.map((c) => c.op)).toEqual(['added', 'removed'])
    const added = text(changes[0] as PolicyChange)
    expect(added.path).toBe('规则「生态环境诉求由市生态环境部门办理」')
    expect(added.after).toContain('分派至：部门类别：生态环境局；层级：市')
    expect(text(changes[1] as PolicyChange).path).toBe('规则「市场经营类投诉由区县市场监管部门办理」')

    const swapped = { ...routing, rules: [routing.rules[1]!, routing.rules[0]!] }
    const moved = diffDocuments(routing, swapped)
    expect(moved.map((c) => c.op)).toEqual(['reordered'])
    expect(text(moved[0] as PolicyChange).path).toBe('规则')
  })

  it('names an untitled rule by its place, its id kept as an identifier', () => {
    const after = structuredClone(routing)
    after.rules[1]!.to.departmentKind = 'government_office'
    const [change] = diffDocuments(routing, after)
    const steps = describePath((change as PolicyChange).path, 'zh-CN')
    expect(steps[0]).toEqual([{ text: '第 2 条规则' }, { text: 'tax', code: true }])
    expect(text(change as PolicyChange).after).toBe('人民政府办公室')
  })

  it('treats a list of plain values as one value, and names an added or removed field', () => {
    const before = {
      rules: [{ id: 'a', title: '投诉', when: { kinds: ['complaint'] }, primary: 'approver' }],
    }
    const after = {
      rules: [
        {
          id: 'a',
          title: '投诉',
          when: { kinds: ['complaint', 'inquiry'] },
          primary: 'approver',
          secondary: ['leader'],
        },
      ],
    }
    expect(diffDocuments(before, after).map((c) => text(c))).toEqual([
      { op: 'changed', path: '规则「投诉」 › 适用条件 › 诉求类型', before: '投诉', after: '投诉、咨询' },
      { op: 'added', path: '规则「投诉」 › 次要责任（上级）', after: '单位领导', before: undefined },
    ])
  })

  it('matches indicators by code and names them; the escalation ladder by position', () => {
    const before = { indicators: [{ code: 'rating_avg', weight: 3, worst: 1, best: 5 }], minSample: 10 }
    const after = { indicators: [{ code: 'rating_avg', weight: 2, worst: 1, best: 5 }], minSample: 10 }
    expect(diffDocuments(before, after).map((c) => text(c).path)).toEqual(['指标「好差评平均分」 › 权重'])
    const ladder = diffDocuments(
      { ladder: [{ to: 'supervisor', afterWorkingDays: 0 }] },
      {
        ladder: [
          { to: 'leader', afterWorkingDays: 0 },
          { to: 'leader', afterWorkingDays: 3 },
        ],
      },
    )
    expect(ladder.map((c) => text(c))).toEqual([
      { op: 'changed', path: '第 1 级督办 › 督办对象', before: '科室负责人', after: '单位领导' },
      {
        op: 'added',
        path: '第 2 级督办',
        before: undefined,
        after: '督办对象：单位领导；超期后第几个工作日：3',
      },
    ])
  })

  it('reads deadlines by kind of appeal', () => {
    const changes = diffDocuments(
      {
        default: { respondDays: 1, resolveDays: 5 },
        byKind: { complaint: { respondDays: 1, resolveDays: 5 } },
      },
      {
        default: { respondDays: 1, resolveDays: 5 },
        byKind: { complaint: { respondDays: 1, resolveDays: 4 } },
      },
    )
    expect(changes.map((c) => text(c).path)).toEqual(['按诉求类型 › 投诉 › 办结时限（工作日）'])
  })
})
