/**
 * Minimal typings for `bpmn-moddle` 10 (the package ships none for its main entry): only what the engine's
 * deploy-time parser uses. Element properties are `unknown` on purpose; the parser narrows them.
 */
declare module 'bpmn-moddle' {
  /** A parsed BPMN element: `$type` is `prefix:Type`, other properties depend on the type. */
  export interface ModdleElement {
    readonly $type: string
    /** Attributes moddle did not map to a property (foreign namespaces, xmlns declarations). */
    readonly $attrs?: Record<string, string>
    readonly $parent?: ModdleElement
    readonly id?: string
    readonly [property: string]: unknown
    /** Reads a property by (possibly prefixed) name, e.g. `get('xzt:department')`. */
    get(name: string): unknown
  }

  /** A problem moddle tolerated while reading (unknown element or attribute, unresolved reference). */
  export interface ParseWarning {
    message: string
    element?: ModdleElement
    property?: string
    value?: unknown
    error?: Error
  }

  export interface ParseResult {
    rootElement: ModdleElement
    warnings: ParseWarning[]
    elementsById: Record<string, ModdleElement>
  }

  /** A moddle package descriptor (JSON-like), registered under its prefix. */
  export type ModdlePackage = Record<string, unknown>

  export class BpmnModdle {
    constructor(packages?: Record<string, ModdlePackage>, options?: Record<string, unknown>)
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>
  }
}
