/**
 * The difference between two versions of a policy document, for people: a walk over both documents
 * that lists each value changed, added or removed, with its place named by display labels ("规则「市场经营
 * 类投诉由区县市场监管部门办理」 › 分派至 › 层级") and its values by their display names ("市 → 县（区）").
 *
 * Lists of rules are matched by their `id` and lists of indicators by their `code`, so a rule moved or
 * inserted shows as that, not as every later rule changed; because the first matching rule wins, a
 * change of their order is reported too. Lists of plain values (appeal kinds, keywords) are one value.
 * Pure: no React.
 * @module
 */
import type { Lang } from '../../i18n.js'
import { codeName, fieldName } from './labels.js'
import { INDICATORS } from '../../../shared/assessment.js'

/** One step of a path: a property (with the name of the field it belongs to), or an item of a list. */
export type PathSegment =
  | { key: string; parent?: string }
  | { index: number; list: string; anchor?: { id?: string; title?: string; code?: string } }

export type ChangeOp = 'changed' | 'added' | 'removed' | 'reordered'

export interface PolicyChange {
  op: ChangeOp
  path: PathSegment[]
  /** The old value (absent for `added`); for `reordered`, the anchors in their old order. */
  before?: unknown
  /** The new value (absent for `removed`); for `reordered`, the anchors in their new order. */
  after?: unknown
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** The field items of a list are matched by: `id` (rules), `code` (indicators), or none (by position). */
function anchorKey(items: readonly unknown[]): 'id' | 'code' | null {
  for (const key of ['id', 'code'] as const) {
    if (items.length > 0 && items.every((i) => isObject(i) && typeof i[key] === 'string')) return key
  }
  return null
}

function anchorOf(item: unknown): { id?: string; title?: string; code?: string } | undefined {
  if (!isObject(item)) return undefined
  const out: { id?: string; title?: string; code?: string } = {}
  if (typeof item.id === 'string') out.id = item.id
  if (typeof item.title === 'string') out.title = item.title
  if (typeof item.code === 'string') out.code = item.code
  return Object.keys(out).length > 0 ? out : undefined
}

/** The changes that turn `before` into `after`, in document order (of `after`, then what was removed). */
export function diffDocuments(before: unknown, after: unknown): PolicyChange[] {
  const out: PolicyChange[] = []
  walk(before, after, [], undefined, out)
  return out
}

function walk(
  a: unknown,
  b: unknown,
  path: PathSegment[],
  name: string | undefined,
  out: PolicyChange[],
): void {
  if (same(a, b)) return
  if (isObject(a) && isObject(b)) {
    for (const key of Object.keys(b)) {
      const at = [...path, { key, ...(name !== undefined ? { parent: name } : {}) }]
      if (!(key in a)) out.push({ op: 'added', path: at, after: b[key] })
      else walk(a[key], b[key], at, key, out)
    }
    for (const key of Object.keys(a)) {
      if (!(key in b))
        out.push({
          op: 'removed',
          path: [...path, { key, ...(name !== undefined ? { parent: name } : {}) }],
          before: a[key],
        })
    }
    return
  }
  if (Array.isArray(a) && Array.isArray(b) && a.some(isObject) && b.some(isObject)) {
    const list = name ?? ''
    const key = anchorKey([...(a as unknown[]), ...(b as unknown[])])
    if (key) {
      const idOf = (item: unknown): string => (item as Record<string, string>)[key] ?? ''
      const oldIndex = new Map(a.map((item, i) => [idOf(item), i]))
      const newIds = new Set(b.map(idOf))
      b.forEach((item, i) => {
        const at: PathSegment[] = [
          ...path,
          { index: i, list, ...(anchorOf(item) ? { anchor: anchorOf(item) } : {}) },
        ]
        const j = oldIndex.get(idOf(item))
        if (j === undefined) out.push({ op: 'added', path: at, after: item })
        else walk(a[j], item, at, list, out)
      })
      a.forEach((item, i) => {
        if (!newIds.has(idOf(item)))
          out.push({
            op: 'removed',
            path: [...path, { index: i, list, ...(anchorOf(item) ? { anchor: anchorOf(item) } : {}) }],
            before: item,
          })
      })
      const kept = (items: readonly unknown[], other: ReadonlySet<string>) =>
        items.filter((item) => other.has(idOf(item))).map((item) => anchorOf(item))
      const oldKept = kept(a, newIds)
      const newKept = kept(b, new Set(oldIndex.keys()))
      if (
        !same(
          oldKept.map((x) => x?.[key]),
          newKept.map((x) => x?.[key]),
        )
      )
        out.push({ op: 'reordered', path, before: oldKept, after: newKept })
      return
    }
    const n = Math.max(a.length, b.length)
    for (let i = 0; i < n; i++) {
      const at: PathSegment[] = [...path, { index: i, list }]
      if (i >= a.length) out.push({ op: 'added', path: at, after: b[i] })
      else if (i >= b.length) out.push({ op: 'removed', path: at, before: a[i] })
      else walk(a[i], b[i], at, list, out)
    }
    return
  }
  if (a === undefined) out.push({ op: 'added', path, after: b })
  else if (b === undefined) out.push({ op: 'removed', path, before: a })
  else out.push({ op: 'changed', path, before: a, after: b })
}

// ---- for people -----------------------------------------------------------------------------------

/** One part of a displayed path or value: text, and whether it is an identifier (shown monospace). */
export interface Part {
  text: string
  code?: boolean
}

const ITEM_NOUN: Record<string, { zh: string; en: string }> = {
  rules: { zh: '规则', en: 'Rule' },
  indicators: { zh: '指标', en: 'Indicator' },
  ladder: { zh: '督办', en: 'Step' },
}

/** How an item of a list is named: by its title or indicator name, else by its place ("第 3 条规则"). */
export function itemName(seg: Extract<PathSegment, { index: number }>, lang: Lang): Part[] {
  const noun = ITEM_NOUN[seg.list]
  const nounText = noun ? (lang === 'en' ? noun.en : noun.zh) : lang === 'en' ? 'Item' : '项'
  const code = seg.anchor?.code
  const indicator = code ? (INDICATORS as Record<string, { zh: string; en: string }>)[code] : undefined
  if (indicator)
    return [{ text: lang === 'en' ? `${nounText} “${indicator.en}”` : `${nounText}「${indicator.zh}」` }]
  if (seg.anchor?.title)
    return [
      { text: lang === 'en' ? `${nounText} “${seg.anchor.title}”` : `${nounText}「${seg.anchor.title}」` },
    ]
  const n = seg.index + 1
  const place =
    lang === 'en'
      ? `${nounText} ${n}`
      : seg.list === 'ladder'
        ? `第 ${n} 级${nounText}`
        : `第 ${n} ${seg.list === 'rules' ? '条' : '项'}${nounText}`
  return seg.anchor?.id ? [{ text: place }, { text: seg.anchor.id, code: true }] : [{ text: place }]
}

/**
 * A path as display labels: one entry per step (a step may have an identifier beside its name). A list
 * is named by its item ("规则「…」"), not twice ("规则 › 规则「…」").
 */
export function describePath(path: readonly PathSegment[], lang: Lang): Part[][] {
  const out: Part[][] = []
  path.forEach((seg, i) => {
    const next = path[i + 1]
    if ('key' in seg) {
      if (next && 'list' in next && next.list === seg.key) return
      out.push([{ text: fieldName(seg.key, seg.parent, lang) }])
    } else out.push(itemName(seg, lang))
  })
  return out
}

/** The field a change's value belongs to: its last property name and that one's parent. */
export function fieldOf(path: readonly PathSegment[]): { name?: string; parent?: string } {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i]
    if (seg && 'key' in seg)
      return { name: seg.key, ...(seg.parent !== undefined ? { parent: seg.parent } : {}) }
    if (seg && 'list' in seg && i === path.length - 1) return { name: seg.list }
  }
  return {}
}

/**
 * A value for people: codes by their names, booleans as 是/否, lists joined, objects as "字段：值" pairs.
 * Identifiers (rule ids) are marked `code`.
 */
export function describeValue(value: unknown, lang: Lang, name?: string, parent?: string): Part[] {
  const zh = lang !== 'en'
  if (value === undefined || value === null) return [{ text: zh ? '（无）' : '(none)' }]
  if (typeof value === 'boolean') return [{ text: value ? (zh ? '是' : 'yes') : zh ? '否' : 'no' }]
  if (typeof value === 'number') return [{ text: String(value) }]
  if (typeof value === 'string') {
    if (name === 'id') return [{ text: value, code: true }]
    if (name === 'regionPrefix') return [{ text: value, code: true }]
    const named = codeName(name, parent, value, lang)
    return [{ text: named ?? value, ...(named === null && /[A-Za-z]/.test(value) ? { code: true } : {}) }]
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ text: zh ? '（空）' : '(empty)' }]
    const parts: Part[] = []
    value.forEach((item, i) => {
      if (i > 0) parts.push({ text: zh ? '、' : ', ' })
      parts.push(
        ...(isObject(item)
          ? [{ text: '（' }, ...describeValue(item, lang, name, parent), { text: '）' }]
          : describeValue(item, lang, name, parent)),
      )
    })
    return parts
  }
  if (isObject(value)) {
    const parts: Part[] = []
    Object.entries(value).forEach(([key, v], i) => {
      if (i > 0) parts.push({ text: zh ? '；' : '; ' })
      parts.push(
        { text: `${fieldName(key, name, lang)}${zh ? '：' : ': '}` },
        ...describeValue(v, lang, key, name),
      )
    })
    return parts
  }
  return [{ text: typeof value === 'bigint' ? value.toString() : '' }]
}

/** Plain text of parts (tests, titles). */
export function partsText(parts: readonly Part[]): string {
  return parts.map((p) => p.text).join('')
}

/**
 * The segments of a path into a document (`['rules', '0', 'to', 'level']`, from a JSON pointer of the
 * server's), its list items anchored on the document's own items, so a server error names its place
 * as the diff does.
 */
export function pointerSegments(parts: readonly string[], doc: unknown): PathSegment[] {
  const out: PathSegment[] = []
  let node: unknown = doc
  let name: string | undefined
  for (const part of parts) {
    if (Array.isArray(node) && /^\d+$/.test(part)) {
      const index = Number(part)
      const item: unknown = node[index]
      const anchor = anchorOf(item)
      out.push({ index, list: name ?? '', ...(anchor ? { anchor } : {}) })
      node = item
    } else {
      out.push({ key: part, ...(name !== undefined ? { parent: name } : {}) })
      node = isObject(node) ? node[part] : undefined
      name = part
    }
  }
  return out
}

/** A JSON pointer (`/default/resolveDays`) as path parts. */
export function pointerParts(pointer: string): string[] {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
}
