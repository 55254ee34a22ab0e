/**
 * A small strict XML reader for tests of the documents the platform writes (Open311): an optional
 * declaration, then one root element of elements and text; no attributes, comments, CDATA or DTDs
 * (our writer emits none, so meeting one is a failure). It throws on anything not well-formed:
 * unbalanced or misnested tags, a bare `&` or `<` in text, an unknown entity, text outside the root.
 */

export interface XmlElement {
  name: string
  children: XmlElement[]
  /** The decoded text directly inside the element (for a leaf, its value). */
  text: string
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function decode(raw: string, at: number): string {
  if (raw.includes('<')) throw new Error(`a bare < in text at ${at}`)
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`a bare & in text at ${at}`)
    if (ref in ENTITIES) return ENTITIES[ref] as string
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref)
    if (num) return String.fromCodePoint(Number((num[1] as string).startsWith('x') ? `0${num[1]}` : num[1]))
    throw new Error(`unknown entity ${whole} at ${at}`)
  })
}

/** Parses a document. @throws Error naming what is not well-formed and where */
export function parseXml(doc: string): XmlElement {
  let pos = 0
  const decl = /^<\?xml version="1\.0" encoding="utf-8"\?>\s*/i.exec(doc)
  if (decl) pos = decl[0].length
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  while (pos < doc.length) {
    const lt = doc.indexOf('<', pos)
    const textEnd = lt === -1 ? doc.length : lt
    const raw = doc.slice(pos, textEnd)
    if (raw.length > 0) {
      const top = stack[stack.length - 1]
      if (!top) {
        if (raw.trim()) throw new Error(`text outside the root element at ${pos}`)
      } else top.text += decode(raw, pos)
    }
    if (lt === -1) break
    const gt = doc.indexOf('>', lt)
    if (gt === -1) throw new Error(`an unclosed tag at ${lt}`)
    const tag = doc.slice(lt + 1, gt)
    if (tag.startsWith('/')) {
      const name = tag.slice(1)
      const open = stack.pop()
      if (!open || open.name !== name)
        throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at ${lt}`)
      if (stack.length === 0) root = open
    } else {
      const selfClosing = tag.endsWith('/')
      const name = selfClosing ? tag.slice(0, -1) : tag
      if (!NAME.test(name))
        throw new Error(`not an element name (or an attribute we never write): <${tag}> at ${lt}`)
      if (root) throw new Error(`a second root element at ${lt}`)
      const el: XmlElement = { name, children: [], text: '' }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(el)
      if (selfClosing) {
        if (!parent) root = el
      } else stack.push(el)
    }
    pos = gt + 1
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]?.name}> is never closed`)
  if (!root) throw new Error('no root element')
  return root
}

/** The text of a child element (undefined when there is none). */
export function childText(el: XmlElement, name: string): string | undefined {
  return el.children.find((c) => c.name === name)?.text
}

/** The child elements of one name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name)
}
