/**
 * Reading a value at a dotted path (`company.name`, `transfer.toCity`) of parsed JSON: form data and
 * the data of authoritative records. The one reader the catalogue (prefill), the cases (discrepancies,
 * `xzt:regionFrom`) and the demo use. Pure.
 * @module
 */

/**
 * The value at a dotted path of `data`, or undefined when any step is missing.
 *
 * Only own properties of plain objects are stepped through: an array on the way (form paths name object
 * fields, array items are not indexed) or a primitive ends the walk with undefined, and so does a name
 * the object only inherits (`toString`, `constructor`, `__proto__`), so a path from a form can never
 * reach `Object.prototype`. An own property named `__proto__` (as `JSON.parse` creates one) is read like
 * any other. A value that is present but `null` is returned as `null`.
 */
export function valueAtPath(data: unknown, path: string): unknown {
  let v: unknown = data
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}
