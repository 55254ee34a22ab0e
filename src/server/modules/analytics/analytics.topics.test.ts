/**
 * Opinion topics of real-looking 12345 appeal texts: the words that say what is wrong come out, the
 * hotline's formulae, places and times do not; the same text always gives the same words.
 */
import { describe, expect, it } from 'vitest'
import { appealTopics } from './analytics.topics.js'
import { APPEAL_STOPWORDS } from './analytics.topics.stopwords.js'

/** Text → words that must be among its three topics. */
const CASES: [string, string[]][] = [
  [
    '我小区楼下的烧烤店每天晚上营业到凌晨两点，噪音很大，严重影响休息，希望有关部门管一管。',
    ['烧烤店', '噪音'],
  ],
  ['楼上住户装修每天早上七点就开始电钻，噪音扰民，多次沟通无果。', ['噪音扰民', '电钻']],
  ['鸣河区人民路口的路灯坏了一个多星期，晚上一片漆黑，行人很不安全。', ['路灯']],
  ['我们小区从昨天早上开始停水，到现在还没有恢复供水，也没有任何通知。', ['停水', '供水']],
  ['附近工地施工扬尘很大，渣土车不覆盖，道路上全是泥土。', ['扬尘', '渣土车']],
  ['小区周边乱停车现象严重，消防通道被占用，救护车都进不来。', ['消防通道']],
  ['今年供暖温度不达标，家里只有十六度，老人孩子受不了。', ['供暖']],
  ['小区物业不作为，电梯经常故障，物业费却年年上涨。', ['物业费', '电梯']],
  ['反映幸福路菜市场门口流动摊贩占道经营，垃圾遍地无人清理。', ['占道经营']],
  ['退税申请提交两个月了还没到账，打电话也没人接。', ['退税']],
]

describe('appealTopics', () => {
  it.each(CASES)('%s', (text, expected) => {
    const topics = appealTopics(text)
    expect(topics.length).toBeLessThanOrEqual(3)
    expect(topics).toEqual(expect.arrayContaining(expected))
  })

  it('keeps only Chinese words of two characters or more that are not stopwords, at most `max`', () => {
    for (const [text] of CASES) {
      const topics = appealTopics(text, 5)
      expect(topics.length).toBeGreaterThan(0)
      expect(topics.length).toBeLessThanOrEqual(5)
      for (const t of topics) {
        expect(t).toMatch(/^\p{Script=Han}{2,}$/u)
        expect(APPEAL_STOPWORDS.has(t)).toBe(false)
      }
      expect(appealTopics(text, 1)).toEqual(topics.slice(0, 1))
    }
  })

  it('leaves out the formulae, places and times of the hotline', () => {
    const topics = appealTopics('市民来电反映：星城市鸣河区幸福小区昨天晚上八点开始停电，希望尽快处理。', 5)
    expect(topics).toContain('停电')
    for (const w of ['市民', '来电', '反映', '小区', '晚上', '希望', '尽快', '处理', '星城市', '鸣河区'])
      expect(topics).not.toContain(w)
  })

  it('is deterministic', () => {
    for (const [text] of CASES) expect(appealTopics(text, 5)).toEqual(appealTopics(text, 5))
  })

  it('gives nothing for an empty text, one without Chinese, or max 0', () => {
    expect(appealTopics('')).toEqual([])
    expect(appealTopics('   ')).toEqual([])
    expect(appealTopics('no water since Monday 123')).toEqual([])
    expect(appealTopics('小区停水', 0)).toEqual([])
  })
})
