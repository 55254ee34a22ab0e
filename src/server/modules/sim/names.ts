/**
 * Chinese name data for the demo province: city names, syllable pools for place-name stems, surnames
 * with realistic frequencies and given-name characters. Pure data plus a few drawing helpers.
 * @module
 */
import { type Rng, WeightedTable } from './rng.js'

/** Name of the fictional province. */
export const PROVINCE_NAME = '潇湘省'

/** Name of the capital, code 4301. */
export const CAPITAL_NAME = '星城市'

/**
 * The 13 other cities (invented; none is the name of a real Hunan prefecture-level city). Assigned to
 * codes 4302..4314 in this order.
 */
export const OTHER_CITY_NAMES = [
  '潇江市',
  '云梦市',
  '湘源市',
  '楚川市',
  '梅溪市',
  '凤岭市',
  '资江市',
  '青峦市',
  '桃川市',
  '沅州市',
  '紫霞市',
  '南衡市',
  '雪峰市',
] as const

/**
 * Stems of real Hunan county-level divisions (and prefecture seats). Generated county and street stems
 * avoid them so that the fictional province does not borrow real place names.
 */
const REAL_HUNAN_STEMS = new Set(
  (
    '长沙 芙蓉 天心 岳麓 开福 雨花 望城 浏阳 宁乡 株洲 荷塘 芦淞 石峰 天元 渌口 攸县 茶陵 炎陵 醴陵 ' +
    '湘潭 雨湖 岳塘 湘乡 韶山 衡阳 珠晖 雁峰 石鼓 蒸湘 南岳 衡南 衡山 衡东 祁东 耒阳 常宁 邵阳 双清 ' +
    '大祥 北塔 新邵 隆回 洞口 绥宁 新宁 城步 武冈 邵东 岳阳 云溪 君山 华容 湘阴 平江 汨罗 临湘 常德 ' +
    '武陵 鼎城 安乡 汉寿 澧县 临澧 桃源 石门 津市 张家 永定 慈利 桑植 益阳 资阳 赫山 南县 桃江 安化 ' +
    '沅江 郴州 北湖 苏仙 桂阳 宜章 永兴 嘉禾 临武 汝城 桂东 安仁 资兴 永州 零陵 东安 双牌 道县 江永 ' +
    '宁远 蓝山 新田 江华 祁阳 怀化 鹤城 中方 沅陵 辰溪 溆浦 会同 麻阳 新晃 芷江 靖州 通道 洪江 娄底 ' +
    '娄星 双峰 新化 涟源 吉首 泸溪 凤凰 花垣 保靖 古丈 永顺 龙山 湘西 星城 潇江 云梦 湘源 楚川 梅溪 ' +
    '凤岭 资江 青峦 桃川 沅州 紫霞 南衡 雪峰'
  ).split(' '),
)

/** First characters of two-character place-name stems. */
const STEM_FIRST = [
  ...'东西南北中上下青白黄金石龙凤马鹤桃梅兰松柏竹枫杨柳云雨霞湖江河溪泉潭山岭峰平安永宁福泰华丰清秀双三五高大小古太玉新兴和顺长崇德仁礼义文武乐庆荷莲樟桂茶花沙田洪资楚朝星月红紫碧翠银铜鸣鹿龟',
]

/** Second characters of two-character place-name stems (typical Hunan toponym endings). */
const STEM_SECOND = [
  ...'山水江河湖塘坪冲桥溪岭洲口田湾源阳陵林岗峰头坡坊井泉港渡埠铺台亭园庄城关门屯寨堡垸坝滩潭圩堂丘湘兴安宁丰乐平',
]

/** Two-character words that prefix a place character in three-character stems (e.g. 桃花 + 坪). */
const STEM_WORDS = (
  '桃花 杨梅 白沙 黄泥 石板 金鸡 青山 梅花 荷叶 龙王 马鞍 观音 五里 十里 三里 九龙 双河 大禾 茶园 竹山 ' +
  '松柏 枫树 樟树 柳林 石桥 新屋 高桥 水口 白果 花桥 太平 和平 长乐 永丰 福田 金盆 银杏 杉木 油茶 ' +
  '蔡家 罗家 谭家 李家 刘家 彭家 黄土 红星 光明 朝阳 东风 向阳 紫金 鹅公 牛角 狮子 仙人 七星 万福'
).split(' ')

/** Characters that end a three-character stem. */
const STEM_TAIL = [...'坪冲铺塘湾桥岭山洲垸坳湖港']

/** Characters that must not end a stem because they read like an administrative suffix. */
const FORBIDDEN_TAIL = new Set([...'区县市镇乡街省州'])

/**
 * Draws a plausible 2–3 character place-name stem not in `taken` and not a real Hunan place stem.
 * `threeCharShare` is the probability of a three-character stem.
 */
export function drawPlaceStem(rng: Rng, taken: ReadonlySet<string>, threeCharShare: number): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    let stem: string
    if (rng.chance(threeCharShare)) {
      stem = rng.pick(STEM_WORDS) + rng.pick(STEM_TAIL)
    } else {
      const first = rng.pick(STEM_FIRST)
      const second = rng.pick(STEM_SECOND)
      if (first === second) continue
      stem = first + second
    }
    if (FORBIDDEN_TAIL.has(stem.slice(-1))) continue
    if (REAL_HUNAN_STEMS.has(stem) || REAL_HUNAN_STEMS.has(stem.slice(0, 2))) continue
    if (taken.has(stem)) continue
    return stem
  }
  throw new Error('ran out of place-name stems')
}

/**
 * Common Chinese surnames with approximate relative frequencies (per mille of the population,
 * after the national household-registration statistics), including a few compound surnames.
 */
const SURNAME_FREQUENCIES: ReadonlyArray<readonly [string, number]> = [
  ['王', 71],
  ['李', 70],
  ['张', 67],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 22],
  ['赵', 20],
  ['吴', 19],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 12],
  ['朱', 12],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['林', 10],
  ['高', 10],
  ['罗', 9],
  ['郑', 9],
  ['梁', 8],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 5],
  ['叶', 4],
  ['程', 4],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 4],
  ['姚', 4],
  ['卢', 4],
  ['姜', 4],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 3],
  ['方', 3],
  ['白', 3],
  ['邹', 3],
  ['孟', 3],
  ['熊', 3],
  ['秦', 3],
  ['邱', 3],
  ['江', 3],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['覃', 1],
  ['武', 1],
  ['戴', 1],
  ['莫', 1],
  ['孔', 1],
  ['向', 1],
  ['汤', 1],
  ['欧阳', 0.5],
  ['司马', 0.1],
  ['上官', 0.1],
  ['诸葛', 0.1],
]

const SURNAMES = SURNAME_FREQUENCIES.map(([s]) => s)
const SURNAME_TABLE = new WeightedTable(SURNAME_FREQUENCIES.map(([, f]) => f))

/** Given-name characters used mostly for men. */
const GIVEN_MALE = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋阳峰建国文志海晨博轩睿哲子泽然一昊天思远成新家嘉诚亮东坤毅振鸿',
]

/** Given-name characters used mostly for women. */
const GIVEN_FEMALE = [
  ...'芳娜敏静丽艳娟霞燕玲婷雪慧莹颖琳倩洁璐晶欣怡佳雨萱涵梓诗悦琪梦瑶蕾薇月彤丹红兰凤英秀美晓思文雅宁子一可心岚',
]

/** Characters that rarely make a one-character given name on their own. */
const NOT_ALONE = new Set([...'子一可心思天家'])

/** A Chinese personal name: surname (frequency-weighted) and a 1–2 character given name. */
export function drawPersonName(rng: Rng, gender: 'F' | 'M'): string {
  const surname = SURNAMES[SURNAME_TABLE.draw(rng)] as string
  const pool = gender === 'M' ? GIVEN_MALE : GIVEN_FEMALE
  const first = rng.pick(pool)
  if (rng.chance(0.3) && !NOT_ALONE.has(first)) return surname + first
  let second = rng.pick(pool)
  if (second === first && rng.chance(0.8)) second = rng.pick(pool)
  return surname + first + second
}
