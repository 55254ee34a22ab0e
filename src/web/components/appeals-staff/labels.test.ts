/**
 * The staff appeal pages' vocabulary: chain links explained from their codes in both languages (never
 * the raw code, never a record source's code), rules named by their titles or by what they do (never
 * their ids), and the deadline that runs at each status.
 */
import { describe, expect, it } from 'vitest'
import { DEPARTMENT_KINDS, RATING_TAG_CODES } from '../../../shared/domain.js'
import type { DepartmentKind } from '../../../shared/domain.js'
import { translate } from '../../i18n.js'
import type { I18n, Lang } from '../../i18n.js'
import type { PolicyVersionView } from '../../appeals-api.js'
import {
  categoryName,
  durationInEnglish,
  explainText,
  linkFunctionName,
  policyVersionName,
  ratingTagName,
  ruleLabel,
  runningDeadline,
} from './labels.js'

function i18nFor(lang: Lang): I18n {
  const t: I18n['t'] = (key, params) => translate(lang, key, params)
  return {
    lang,
    t,
    sourceName: (s: string) => (s === 'household' ? (lang === 'en' ? 'Household register' : '户籍') : s),
    levelName: (l) => t(`level.${l}`),
    departmentKindName: (k: DepartmentKind) => DEPARTMENT_KINDS[k][lang === 'en' ? 'en' : 'zh'],
  } as I18n
}
const zh = i18nFor('zh-CN')
const en = i18nFor('en')

const routing: PolicyVersionView = {
  kind: 'appeal.routing',
  version: 1,
  effectiveAt: 0,
  publishedAt: 0,
  ledger: { log: '43', index: 1 },
  body: {
    rules: [
      {
        id: 'market-complaints',
        title: '市场经营类投诉由区县市场监管部门办理',
        to: { departmentKind: 'market_regulation', level: 'county' },
      },
      { id: 'untitled', to: { departmentKind: 'tax', level: 'county' } },
    ],
  },
}
const chain: PolicyVersionView = {
  ...routing,
  kind: 'responsibility.chain',
  body: {
    rules: [
      { id: 'delay', primary: 'breaching_handler' },
      { id: 'on-duty', primary: 'on_duty_handler' },
    ],
  },
}

describe('the staff appeal vocabulary', () => {
  it('explains a link from its code, in both languages', () => {
    const link = {
      explain: { code: 'held_past_limit', params: { step: '设立登记', held: '31天2小时', limit: '2天' } },
      reason: '办理「设立登记」用时31天2小时，超过该环节时限（2天）',
    }
    expect(explainText(zh, link)).toBe('办理「设立登记」用时31天2小时，超过该环节时限（2天）')
    expect(explainText(en, link)).toBe('Held “设立登记” for 31 d 2 h, past the step’s limit (2 d)')
    // A record's source by its name, not its code, in Chinese too.
    const record = {
      explain: { code: 'record_last_changed', params: { source: 'household', department: '鸣河区公安局' } },
      reason: '鸣河区公安局持有的「household」记录与申请人提交的信息不一致，该记录最后由其修改',
    }
    expect(explainText(zh, record)).toContain('「户籍」记录')
    expect(explainText(zh, record)).not.toContain('household')
    // An unknown code: the server's Chinese reason, and a generic English line.
    const odd = { explain: { code: 'new_code', params: {} }, reason: '新的认定理由' }
    expect(explainText(zh, odd)).toBe('新的认定理由')
    expect(explainText(en, odd)).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('writes durations the chain states in Chinese in English', () => {
    expect(durationInEnglish('31天2小时')).toBe('31 d 2 h')
    expect(durationInEnglish('5小时')).toBe('5 h')
    expect(durationInEnglish('3天')).toBe('3 d')
    expect(durationInEnglish('其他')).toBe('其他')
  })

  it('names rules by their titles, or by what they do; never by id', () => {
    expect(ruleLabel(zh, routing, 'market-complaints')).toBe('市场经营类投诉由区县市场监管部门办理')
    expect(ruleLabel(zh, routing, 'untitled')).toBe('分派至县（区）税务局')
    expect(ruleLabel(en, routing, 'market-complaints')).toBe(
      'To the Administration for Market Regulation (County / district)',
    )
    expect(ruleLabel(zh, routing, 'fallback')).toBe('未匹配具体规则，按兜底规则分派')
    expect(ruleLabel(zh, chain, 'on-duty')).toBe('其他诉求：承办部门的承办人或值班人员')
    expect(ruleLabel(en, chain, 'delay')).toBe('Delay: the handler of the step that ran past its limit')
    for (const label of [ruleLabel(zh, null, 'on-duty'), ruleLabel(zh, chain, 'gone')])
      expect(label).toBe('治理规则中的一条规则')
    expect(policyVersionName(zh.t, 'responsibility.chain@2')).toBe('责任链规则 第 2 版')
    expect(policyVersionName(en.t, 'appeal.routing@1')).toBe('Appeal routing, version 1')
  })

  it('names categories and link functions, unknown ones generically', () => {
    expect(categoryName(zh, 'market/pricing')).toBe('市场监管 / 价格收费')
    expect(categoryName(en, 'market/pricing')).toBe('Market regulation / Prices and charges')
    expect(categoryName(zh, 'nope/nothing')).toBe('其他分类')
    expect(linkFunctionName(zh.t, 'on_duty')).toBe('值班责任人')
    expect(linkFunctionName(zh.t, 'astrologer')).toBe('相关人员')
  })

  it('names rating tags from the shared list in both languages, unknown ones as other', () => {
    expect(ratingTagName(zh, 'long_wait')).toBe('等待过久')
    expect(ratingTagName(en, 'long_wait')).toBe('Long wait')
    for (const code of RATING_TAG_CODES) expect(ratingTagName(zh, code)).not.toMatch(/[A-Za-z]/)
    expect(ratingTagName(zh, 'retired_tag')).toBe('其他')
    expect(ratingTagName(en, 'toString')).toBe('Other')
  })

  it('runs the response deadline until answered, then the resolution’s, then none', () => {
    const a = { respondDueAt: 1, resolveDueAt: 2, respondedAt: null }
    expect(runningDeadline({ ...a, status: 'dispatched' })).toEqual({ stage: 'respond', dueAt: 1 })
    expect(runningDeadline({ ...a, status: 'accepted' })).toEqual({ stage: 'respond', dueAt: 1 })
    expect(runningDeadline({ ...a, status: 'accepted', respondedAt: 5 })).toEqual({
      stage: 'resolve',
      dueAt: 2,
    })
    expect(runningDeadline({ ...a, status: 'responded', respondedAt: 5 })).toEqual({
      stage: 'resolve',
      dueAt: 2,
    })
    for (const status of ['resolved', 'closed', 'merged'] as const)
      expect(runningDeadline({ ...a, status, respondedAt: 5 })).toBeNull()
  })
})
