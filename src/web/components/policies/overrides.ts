/**
 * The pure part of 各级调整: which concrete fields a kind's override rules open in a document, their
 * names, the value a region inherits, and a bound in words. No React.
 * @module
 */
import type { Lang, Translate } from '../../i18n.js'
import type { OverrideRule } from '../../policies-api.js'
import { describePath, partsText, pointerParts, pointerSegments } from './diff.js'
import { pick } from './labels.js'

/** The value at a JSON pointer of a document. */
export function valueAtPointer(doc: unknown, pointer: string): unknown {
  let node: unknown = doc
  for (const part of pointerParts(pointer)) {
    if (Array.isArray(node)) node = node[Number(part)]
    else if (typeof node === 'object' && node !== null) node = (node as Record<string, unknown>)[part]
    else return undefined
  }
  return node
}

/** Whether a field counts working days (its bound then reads "不得长于省定 5 个工作日"). */
function isDays(pointer: string): boolean {
  return /Days$/.test(pointerParts(pointer).at(-1) ?? '')
}

/**
 * A bound in words: "不得长于省定 5 个工作日" (against the province's value), "不得长于上级现行的 5 个工作日"
 * (against what a county inherits from its city), "可自行设定".
 */
export function boundText(
  rule: OverrideRule,
  inherited: unknown,
  t: Translate,
  from: 'province' | 'parent' = 'province',
): string {
  const value = typeof inherited === 'number' ? String(inherited) : ''
  if (rule.bound === 'any' || value === '') return t('policies.overrides.bound.any')
  const days = isDays(rule.path)
  const source = t(from === 'province' ? 'policies.overrides.fromProvince' : 'policies.overrides.fromParent')
  if (rule.bound === 'max')
    return t(days ? 'policies.overrides.bound.maxDays' : 'policies.overrides.bound.max', { value, source })
  return t(days ? 'policies.overrides.bound.minDays' : 'policies.overrides.bound.min', { value, source })
}

/** A field a region may set: a rule's path with its `*` resolved against the document. */
export interface OverridableField {
  path: string
  rule: OverrideRule
}

/** Every concrete field the rules allow in a document (a rule on `byKind` any kind: one per kind). */
export function overridableFields(rules: readonly OverrideRule[], doc: unknown): OverridableField[] {
  const out: OverridableField[] = []
  const expand = (node: unknown, rest: string[], done: string[], rule: OverrideRule) => {
    const [head, ...tail] = rest
    if (head === undefined) {
      if (typeof node === 'number' || typeof node === 'string' || typeof node === 'boolean')
        out.push({ path: '/' + done.join('/'), rule })
      return
    }
    const keys =
      head === '*'
        ? Array.isArray(node)
          ? node.map((_, i) => String(i))
          : typeof node === 'object' && node !== null
            ? Object.keys(node)
            : []
        : [head]
    for (const key of keys) expand(valueAtPointer(node, '/' + key), tail, [...done, key], rule)
  }
  for (const rule of rules) expand(doc, pointerParts(rule.path), [], rule)
  return out
}

/** The parent region of a code (county → city → province), by GB/T 2260 lengths. */
export function parentCode(code: string): string {
  return code.length > 6 ? code.slice(0, 6) : code.length > 4 ? code.slice(0, 4) : code.slice(0, 2)
}

/** The rule allowing a concrete path (`*` matching any one key or index). */
export function ruleMatching(rules: readonly OverrideRule[], path: string): OverrideRule | undefined {
  const concrete = pointerParts(path)
  return rules.find((r) => {
    const pattern = pointerParts(r.path)
    return pattern.length === concrete.length && pattern.every((p, i) => p === '*' || p === concrete[i])
  })
}

/** A concrete field's name: its rule's title, and what its `*` stands for ("按诉求类型的办结时限 · 投诉"). */
export function fieldTitle(rules: readonly OverrideRule[], path: string, doc: unknown, lang: Lang): string {
  const rule = ruleMatching(rules, path)
  if (!rule) return ''
  const pattern = pointerParts(rule.path)
  const segments = pointerSegments(pointerParts(path), doc)
  const named = pattern.flatMap((p, i) => {
    const seg = segments[i]
    if (p !== '*' || !seg) return []
    return [partsText(describePath([...segments.slice(0, i), seg], lang).at(-1) ?? [])]
  })
  return [pick(rule.title, lang), ...named].join(' · ')
}
