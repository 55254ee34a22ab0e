/**
 * Writes GeoReport v2 documents as JSON or XML. JSON follows the spec's Spark mapping: lists are
 * top-level arrays. XML wraps a list in its plural element (`<service_requests><request>…`), writes
 * every field as an element of the same name, a nested list as `<attributes><attribute>…`, null as an
 * empty element, booleans as `true`/`false`; text is escaped (`& < > " '`) and characters XML 1.0
 * cannot carry (control characters other than tab and line breaks) become U+FFFD, so whatever an
 * appeal's text holds, the document stays well-formed. Pure.
 * @module
 */

export type Open311Format = 'json' | 'xml'

export const OPEN311_FORMATS: readonly Open311Format[] = ['json', 'xml']

export const CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
}

/** The element of one item of each list the spec names. */
const ITEM_OF: Readonly<Record<string, string>> = {
  service_requests: 'request',
  services: 'service',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/
// Not allowed in XML 1.0 documents (lone surrogates never get here: the input check refuses them).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

function element(name: string, value: unknown): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${JSON.stringify(name)}`)
  if (value === null || value === undefined) return `<${name}/>`
  if (Array.isArray(value)) {
    const item = ITEM_OF[name]
    if (!item) throw new Error(`no item element for the list ${name}`)
    return `<${name}>${value.map((v) => element(item, v)).join('')}</${name}>`
  }
  if (typeof value === 'object')
    return `<${name}>${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`
  if (typeof value === 'string') return `<${name}>${escapeXml(value)}</${name}>`
  if (typeof value === 'number' || typeof value === 'boolean') return `<${name}>${String(value)}</${name}>`
  throw new Error(`cannot write a ${typeof value} as XML`)
}

/**
 * A document in the format asked for. `root` is the XML root element: a list's plural
 * (`service_requests`, `services`, `errors`) or an object's name (`discovery`, `service_definition`).
 */
export function render(format: Open311Format, root: string, value: unknown): string {
  if (format === 'json') return JSON.stringify(value)
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value)}`
}

/** The spec's error document: one or more `{code, description}`. */
export function renderErrors(
  format: Open311Format,
  errors: readonly { code: number; description: string }[],
): string {
  return render(format, 'errors', errors)
}
