/**
 * The demo's appeal texts (诉求): what citizens say on the 12345 hotline or type online, composed from
 * themes × places × details × closings so that the texts vary while the words that say what is wrong
 * (噪音, 路灯, 停水, 扬尘, 供暖…) recur and the hall's opinion topics have something to count. Each theme
 * belongs to one demo category; some are seasonal (heating in winter) and, on any day, a few themes
 * trend (a burst of one neighbourhood's complaints), so topics rise and fall over a week.
 *
 * Pure and deterministic: every choice is drawn from the generator the caller passes.
 * @module
 */
import { Rng, WeightedTable } from './rng.js'

export interface AppealTheme {
  /** A key of its own (the trend draws pick themes by it). */
  key: string
  /** The appeal category (`top/sub`, one of APPEAL_CATEGORY_CODES). */
  category: string
  /** Relative frequency on an ordinary day. */
  weight: number
  /** Months (1–12) in which the theme is three times as frequent (heating in winter). */
  season?: readonly number[]
  /** Sentences naming the problem; `{p}` is the place. */
  openings: readonly string[]
  /** Sentences adding a detail. */
  details: readonly string[]
}

/** Places as callers name them: streets, crossings, markets, estates (their names are not topics). */
export const PLACES: readonly string[] = [
  '中山路与五一路交叉口',
  '星沙大道',
  '滨江花园小区',
  '金桂苑小区',
  '翠竹路',
  '河西新村',
  '东湖公园南门',
  '五一大道',
  '韶山南路',
  '银杏苑小区',
  '梅岭新村',
  '湘江北路',
  '望城坡',
  '松雅湖南路',
  '东塘',
  '桂花苑小区',
  '洞井街口',
  '万家丽路',
  '圭塘河边',
]

export const APPEAL_THEMES: readonly AppealTheme[] = [
  {
    key: 'night-noise',
    category: 'environment/noise',
    weight: 10,
    openings: [
      '{p}的烧烤店每天晚上营业到凌晨两点，噪音很大，',
      '{p}附近的酒吧深夜还在放音乐，噪音扰民，',
      '{p}有人晚上在广场舞，音响开得很大，噪音扰民，',
      '{p}楼上住户装修一早就开电钻，噪音很大，',
    ],
    details: [
      '严重影响休息，老人孩子都睡不着。',
      '多次打电话给派出所也没有改善。',
      '已经持续一个多月了。',
      '家里有高考学生，无法学习。',
    ],
  },
  {
    key: 'construction-dust',
    category: 'environment/air',
    weight: 6,
    openings: [
      '{p}的工地施工扬尘很大，',
      '{p}旁边的工地夜间施工，渣土车进进出出，',
      '{p}渣土车不覆盖，沿路撒漏，扬尘严重，',
    ],
    details: [
      '窗户都不敢开，家里全是灰。',
      '道路上全是泥土，下雨天一片泥泞。',
      '没有看到洒水降尘措施。',
      '晚上十点以后还在施工。',
    ],
  },
  {
    key: 'streetlight',
    category: 'urban/streetlight',
    weight: 6,
    openings: ['{p}的路灯坏了好几盏，', '{p}一段路灯晚上不亮，', '{p}的路灯白天亮晚上不亮，'],
    details: [
      '晚上一片漆黑，行人很不安全。',
      '已经坏了一个多星期，没有人来修。',
      '附近有学校，学生晚自习回家很危险。',
    ],
  },
  {
    key: 'road',
    category: 'urban/road',
    weight: 5,
    openings: ['{p}的路面坑洼不平，', '{p}有一处井盖破损，', '{p}人行道地砖松动，'],
    details: ['已经有电动车在这里摔倒了。', '下雨积水，车辆经过溅人一身。', '存在安全隐患，请尽快修补。'],
  },
  {
    key: 'water-outage',
    category: 'housing/utilities',
    weight: 5,
    openings: [
      '{p}从昨天早上开始停水，',
      '{p}突然停水，事先没有任何通知，',
      '{p}自来水水压很低，高层经常停水，',
    ],
    details: ['到现在还没有恢复供水。', '打供水公司电话一直占线。', '家里老人做饭喝水都成问题。'],
  },
  {
    key: 'heating',
    category: 'housing/utilities',
    weight: 2,
    season: [11, 12, 1, 2, 3],
    openings: ['{p}今年供暖温度不达标，', '{p}暖气片一直不热，', '{p}供暖开始一周了暖气还是冰凉，'],
    details: [
      '家里只有十六度，老人孩子受不了。',
      '找物业和热力公司都说不归他们管。',
      '暖气费已经交了，却享受不到供暖。',
    ],
  },
  {
    key: 'property',
    category: 'housing/property',
    weight: 6,
    openings: ['{p}物业不作为，电梯经常故障，', '{p}物业费年年上涨，', '{p}物业公司私自占用公共绿地，'],
    details: [
      '业主多次反映也不处理。',
      '楼道卫生没人打扫，垃圾堆积。',
      '物业服务质量很差，与收费不符。',
      '电梯困人好几次，非常危险。',
    ],
  },
  {
    key: 'parking',
    category: 'transport/traffic',
    weight: 6,
    openings: [
      '{p}乱停车现象严重，消防通道被占用，',
      '{p}有车辆长期占用消防通道，',
      '{p}共享单车乱停乱放，堵住人行道，',
    ],
    details: ['救护车都开不进来。', '早晚高峰堵得水泄不通。', '行人只能走到机动车道上。'],
  },
  {
    key: 'sanitation',
    category: 'urban/sanitation',
    weight: 4,
    openings: ['{p}的垃圾桶好几天没有清运，', '{p}流动摊贩占道经营，', '{p}附近餐馆油烟直排，'],
    details: ['垃圾遍地，臭气熏天。', '夏天蚊蝇很多。', '污水直接排到路边。'],
  },
  {
    key: 'food-safety',
    category: 'market/food_safety',
    weight: 3,
    openings: ['在{p}一家超市买到过期食品，', '{p}的快餐店后厨卫生很差，', '{p}菜市场有商贩卖病死猪肉，'],
    details: ['吃了以后拉肚子。', '商家拒绝退款。', '希望市场监管部门检查。'],
  },
  {
    key: 'pricing',
    category: 'market/pricing',
    weight: 3,
    openings: ['{p}的停车场乱收费，', '{p}一家药店药品价格明显偏高，', '{p}的理发店办卡后拒绝退费，'],
    details: ['收费标准没有公示。', '比其他地方贵了一倍。', '商家态度恶劣。'],
  },
  {
    key: 'pension',
    category: 'social_security/pension',
    weight: 3,
    openings: ['我父亲的养老金这个月没有按时发放，', '退休后养老金待遇核定一直没有结果，'],
    details: ['社保窗口让我们等通知。', '已经两个月了还没到账。', '网上查询显示还在审核。'],
  },
  {
    key: 'tax-refund',
    category: 'tax/refund',
    weight: 3,
    openings: ['个税退税申请提交两个月了，', '退税审核一直显示处理中，'],
    details: ['还没有到账。', '打电话也没人接。', '不知道还需要补充什么材料。'],
  },
  {
    key: 'bus',
    category: 'transport/bus',
    weight: 2,
    openings: ['{p}的公交站取消后，', '{p}方向的公交车班次太少，'],
    details: ['上下班要多走两公里。', '等车经常要半个多小时。', '希望增加班次或者恢复站点。'],
  },
]

/** Ways callers open and close (the hotline's formulae, which the topic extractor leaves out). */
const LEADS = ['', '', '市民来电反映：', '本人反映，', '您好，']
const CLOSINGS = [
  '',
  '希望有关部门尽快处理。',
  '请相关部门管一管。',
  '恳请尽快解决，谢谢！',
  '希望给个答复。',
]

/** Themes that trend on a day (four times as frequent): one or two, drawn per three-day spell. */
export function trendingThemes(seed: number, dayIndex: number): string[] {
  const spell = Math.floor(dayIndex / 3)
  const rng = Rng.for(seed, `appeal-trend:${spell}`)
  const first = rng.pick(APPEAL_THEMES).key
  const second = rng.chance(0.5) ? rng.pick(APPEAL_THEMES).key : first
  return [...new Set([first, second])]
}

/** The weight table of themes on a day of `month` (1–12) with these themes trending. */
export function themeTable(month: number, trending: readonly string[]): WeightedTable {
  return new WeightedTable(
    APPEAL_THEMES.map(
      (t) => t.weight * (t.season?.includes(month) ? 3 : 1) * (trending.includes(t.key) ? 4 : 1),
    ),
  )
}

/** One appeal's category and text, drawn from `rng` with the day's theme table. */
export function composeAppeal(rng: Rng, table: WeightedTable): { category: string; text: string } {
  const theme = APPEAL_THEMES[table.draw(rng)] as AppealTheme
  const place = rng.pick(PLACES)
  const opening = rng.pick(theme.openings).replace('{p}', place)
  const detail = rng.pick(theme.details)
  const text = `${rng.pick(LEADS)}${opening}${detail}${rng.pick(CLOSINGS)}`
  return { category: theme.category, text }
}
