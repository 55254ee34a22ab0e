import { describe, expect, it } from 'vitest'
import type { AppealView } from '../../../shared/api.js'
import { translate } from '../../i18n.js'
import { appealStory, nextStep } from './appeal-story.js'

const ledger = (index: number) => ({ log: '4301', index })
const citizen = { id: 'ct-0000001', name: '江东家' }
const handler = { id: 'st-1', name: '徐平成' }
const market = { id: '430101-market_regulation', name: '鸣河区市场监督管理局' }
const housing = { id: '430101-housing_construction', name: '鸣河区住房和城乡建设局' }
/** Steps that name no department. */
const nowhere = { department: null, fromDepartment: null }

/** An appeal returned once, answered, resolved, rated 不满意 (reopened) and escalated. */
const view: Pick<AppealView, 'timeline' | 'escalations' | 'channel' | 'handler' | 'department'> = {
  channel: 'web',
  handler,
  department: housing,
  timeline: [
    {
      type: 'appeal.filed',
      at: 1000,
      actor: citizen,
      data: { department: market.id },
      department: market,
      fromDepartment: null,
      ledger: ledger(1),
    },
    {
      type: 'appeal.returned',
      at: 2000,
      actor: { id: 'st-9', name: '李四' },
      data: { from: market.id, department: housing.id, reason: '道路归住建部门管' },
      department: housing,
      fromDepartment: market,
      ledger: ledger(2),
    },
    {
      type: 'appeal.accepted',
      at: 3000,
      actor: handler,
      data: { handler: 'st-1' },
      ...nowhere,
      ledger: ledger(3),
    },
    {
      type: 'appeal.responded',
      at: 4000,
      actor: handler,
      data: { text: '已安排人员查看' },
      ...nowhere,
      ledger: ledger(4),
    },
    {
      type: 'appeal.resolved',
      at: 5000,
      actor: handler,
      data: { text: '坑已填平' },
      ...nowhere,
      ledger: ledger(5),
    },
    {
      type: 'appeal.rated',
      at: 6000,
      actor: citizen,
      data: { satisfaction: 'dissatisfied', reopened: true, comment: '没有填平' },
      ...nowhere,
      ledger: ledger(6),
    },
  ],
  escalations: [
    {
      stage: 'satisfaction',
      step: 0,
      level: 'supervisor',
      to: [{ id: 'st-2', name: '王晨杰' }],
      at: 6000,
      policy: 'appeal.escalation@1',
      ledger: ledger(7),
    },
  ],
}

describe('an appeal told in plain words', () => {
  const names = {
    satisfaction: (v: string) => translate('zh-CN', `citizenAppeals.satisfaction.${v}` as never),
    otherDepartment: translate('zh-CN', 'citizenAppeals.step.otherDepartment'),
  }
  const say = (lang: 'zh-CN' | 'en') =>
    appealStory(view, names).map((s) => [translate(lang, s.title.key, s.title.params), s.detail])

  it('says each step in Chinese, naming departments, with what people wrote', () => {
    expect(say('zh-CN')).toEqual([
      ['已分派至鸣河区市场监督管理局', null],
      ['鸣河区市场监督管理局说明不归本单位管，已改交鸣河区住房和城乡建设局办理', '道路归住建部门管'],
      ['已受理，由徐平成负责办理', null],
      ['已答复：', '已安排人员查看'],
      ['已办结：', '坑已填平'],
      ['您的评价：不满意，已重新办理', '没有填平'],
      ['您不满意，已报王晨杰督办', null],
    ])
  })

  it('tells steps of the same instant in the order the ledger recorded them', () => {
    const sameInstant = {
      ...view,
      timeline: view.timeline.map((s) => ({ ...s, at: 9000 })),
      escalations: view.escalations.map((e) => ({ ...e, at: 1 })),
    }
    expect(appealStory(sameInstant, names).map((s) => s.id)).toEqual([
      'step-0',
      'step-1',
      'step-2',
      'step-3',
      'step-4',
      'step-5',
      'escalation-0',
    ])
  })

  it('names every department a step went through by the name the step carries', () => {
    // Neither is where the appeal is now (a third department took it over), nor in any chain.
    const moved = { ...view, department: { id: '4301-urban_management', name: '星城市城市管理局' } }
    const story = appealStory(moved, names).map((s) => translate('zh-CN', s.title.key, s.title.params))
    expect(story.slice(0, 2)).toEqual([
      '已分派至鸣河区市场监督管理局',
      '鸣河区市场监督管理局说明不归本单位管，已改交鸣河区住房和城乡建设局办理',
    ])
  })

  it('never shows a department id: one the platform does not know reads as 相关单位', () => {
    const unknown = {
      ...view,
      timeline: view.timeline.map((s) => ({ ...s, department: null, fromDepartment: null })),
    }
    const story = appealStory(unknown, names).map((s) => translate('zh-CN', s.title.key, s.title.params))
    expect(story[0]).toBe('已分派至相关单位')
    expect(story[1]).toBe('相关单位说明不归本单位管，已改交相关单位办理')
  })

  it('says what happens next by the status', () => {
    const fmt = () => '2026/12/07 17:30'
    const base = {
      department: view.department,
      respondDueAt: 0,
      resolveDueAt: 0,
      respondedAt: null as number | null,
      actions: [] as AppealView['actions'],
      reopened: false,
    }
    const next = (v: Partial<typeof base> & { status: AppealView['status'] }) => {
      const w = nextStep({ ...base, ...v }, fmt)
      return translate('zh-CN', w.key, w.params)
    }
    expect(next({ status: 'dispatched' })).toBe(
      '已交给鸣河区住房和城乡建设局，等待受理。2026/12/07 17:30前会答复您。',
    )
    expect(next({ status: 'resolved', actions: ['rate'] })).toContain('是否满意')
    expect(next({ status: 'resolved', actions: ['rate'], reopened: true })).toContain('重新办理')
    expect(next({ status: 'closed' })).toBe('已经办结，感谢您的反映。')
    // Reopened after 不满意: the resolution is what is left, by its new deadline.
    expect(next({ status: 'accepted', reopened: true, respondedAt: 1 })).toBe(
      '鸣河区住房和城乡建设局正在重新办理，2026/12/07 17:30前办结。',
    )
  })
})
