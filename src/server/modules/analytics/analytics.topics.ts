/**
 * Opinion topics: the few words an appeal's text is about, for the command hall's "opinion flow"
 * (`appeals.topic` rollups). The text is segmented by jieba (`@node-rs/jieba`, a native module with its
 * dictionary and IDF table bundled in the package: nothing is downloaded) and its keywords ranked by
 * TF-IDF, keeping nouns and verbs only (not place or person names, times, numbers), words of at least
 * two characters that are not hotline stopwords.
 *
 * Deterministic: the same text gives the same topics (ties in weight go to the word that sorts first),
 * whatever the version of Node or the order the extractor returns equal weights in. The dictionary is
 * loaded on the first call (about 0.3 s), not at import, so a process that never reads topics never
 * pays for it.
 * @module
 */
import { createRequire } from 'node:module'
import type * as jiebaModule from '@node-rs/jieba'
import type { Jieba, TfIdf } from '@node-rs/jieba'
import { APPEAL_STOPWORDS } from './analytics.topics.stopwords.js'

/**
 * Parts of speech a topic may have (jieba's ICTCLAS tags): nouns (n, nz other proper nouns, ng, nl
 * noun phrases), verbal nouns (vn), verbs (v), adjectival nouns (an). Place names (ns), person names
 * (nr), organisations (nt), times (t) and numerals (m) are left out: they name where and when, not what.
 */
const TOPIC_POS = ['n', 'nz', 'ng', 'nl', 'vn', 'v', 'an']
/** Verbs weigh this much of a noun of the same TF-IDF: "what is wrong" is usually said by a noun. */
const VERB_FACTOR = 0.8
/** Candidates asked of the extractor before the stopwords are taken out (appeal texts are short). */
const CANDIDATES = 40

/**
 * Words of hotline Chinese the bundled dictionary lacks or splits (扬尘 comes out as 扬 + 尘), with a
 * frequency high enough to win the segmentation, and their part of speech.
 */
const DOMAIN_WORDS = [
  ['扬尘', 'n'],
  ['渣土车', 'n'],
  ['噪音扰民', 'n'],
  ['广场舞', 'n'],
  ['共享单车', 'n'],
  ['电动车', 'n'],
  ['充电桩', 'n'],
  ['化粪池', 'n'],
  ['占道经营', 'vn'],
  ['群租房', 'n'],
  ['物业费', 'n'],
  ['消防通道', 'n'],
  ['地下车库', 'n'],
  ['油烟', 'n'],
] as const

interface Segmenter {
  jieba: Jieba
  tfidf: TfIdf
}

let segmenter: Segmenter | undefined

/** jieba with its bundled dictionary plus {@link DOMAIN_WORDS}, and the bundled IDF table, loaded once. */
function load(): Segmenter {
  if (segmenter) return segmenter
  // CommonJS: the package's `dict` entry has no ESM export map, and loading it lazily is the point.
  const require = createRequire(import.meta.url)
  const { Jieba, TfIdf } = require('@node-rs/jieba') as typeof jiebaModule
  const { dict, idf } = require('@node-rs/jieba/dict') as { dict: Uint8Array; idf: Uint8Array }
  const jieba = Jieba.withDict(dict)
  jieba.loadDict(Buffer.from(DOMAIN_WORDS.map(([w, pos]) => `${w} 20000 ${pos}`).join('\n')))
  segmenter = { jieba, tfidf: TfIdf.withDict(idf) }
  return segmenter
}

/**
 * The topics of an appeal's text: at most `max` Chinese words, most telling first.
 * An empty or wordless text has none.
 * @example appealTopics('小区楼下烧烤店营业到凌晨两点，噪音很大') // ['烧烤店', '噪音', '营业']
 */
export function appealTopics(text: string, max = 3): string[] {
  if (max <= 0 || !/\p{Script=Han}/u.test(text)) return []
  const { jieba, tfidf } = load()
  const verbs = new Set(
    jieba
      .tag(text)
      .filter((w) => w.tag === 'v')
      .map((w) => w.word),
  )
  const ranked = tfidf
    .extractKeywords(jieba, text, CANDIDATES, TOPIC_POS)
    .filter((k) => [...k.keyword].length >= 2 && /^\p{Script=Han}+$/u.test(k.keyword))
    .filter((k) => !APPEAL_STOPWORDS.has(k.keyword))
    .map((k) => ({ word: k.keyword, weight: verbs.has(k.keyword) ? k.weight * VERB_FACTOR : k.weight }))
    // Weights are compared rounded, so that float noise between platforms never reorders a tie.
    .sort((a, b) => round(b.weight) - round(a.weight) || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
  return ranked.slice(0, max).map((k) => k.word)
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6
