import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { valueAtPath } from '../../../../shared/dotted-path.js'
import { DEPARTMENT_KINDS } from '../../../../shared/domain.js'
import { PACKAGE_ROOT } from '../../../paths.js'
import {
  DATA_SOURCES,
  RECORD_FIELDS,
  findRecordField,
  type DataSource,
  type DataRecord,
} from '../../dataplatform/index.js'
import { createDemoRecordGenerator } from '../../dataplatform/demo/records.generator.js'
import { DEFAULT_DEMO_SEED, generateDemoProvince } from '../../sim/demo.generator.js'
import type { DemoCitizen } from '../../sim/demo.model.js'
import { merge, typed } from './samples.js'
import { parseMatterDefinition } from '../catalog.model.js'
import {
  FORM_FORMATS,
  attachmentFields,
  formFields,
  prefillFields,
  schemaAt,
  type FormSchema,
} from '../forms.model.js'
import {
  DEMO_CATALOGUE_SOURCE_DIR,
  demoCatalogueDir,
  loadDemoCatalogue,
  resolveDemoCatalogueDir,
  type DemoMatter,
} from './index.js'

// ajv-formats is CommonJS with a default export; under NodeNext its namespace holds it as `default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv

const catalogue = loadDemoCatalogue()
const byCode = new Map(catalogue.map((m) => [m.matter.code, m]))
const get = (code: string): DemoMatter => byCode.get(code)!

function makeAjv(strict: boolean): Ajv {
  // strictRequired would refuse the conditional `then: { required }` of properties declared elsewhere.
  const ajv = new Ajv({ strict, strictRequired: false, allErrors: true })
  addFormats(ajv)
  for (const [name, re] of Object.entries(FORM_FORMATS)) ajv.addFormat(name, re)
  if (strict) ajv.addKeyword('x-prefill').addKeyword('x-verify')
  return ajv
}
const ajv = makeAjv(false)
const validators = new Map<string, ValidateFunction>(
  catalogue.map((m) => [m.matter.code, ajv.compile(m.formSchema)]),
)

// ---------------------------------------------------------------------------------------------
// Sample submissions: prefill from the data platform for a citizen, plus what the citizen types.

const seed = DEFAULT_DEMO_SEED
const province = generateDemoProvince({ seed, scale: 'small' })
const records = createDemoRecordGenerator(province, seed)
const citizens: DemoCitizen[] = []
for (const batch of province.citizens()) citizens.push(...batch)
const demo = citizens[0]!

type Data = Record<string, unknown>

function setPath(target: Data, dotted: string, value: unknown): void {
  const parts = dotted.split('.')
  let node = target
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Data
  node[parts.at(-1)!] = value
}

function recordsBySource(c: DemoCitizen): Map<DataSource, DataRecord> {
  return new Map(records.recordsOf(c).map((r) => [r.source, r]))
}

/** What the prefill would put into the form for a citizen; null values (e.g. no employer) stay empty. */
function prefill(schema: FormSchema, held: Map<DataSource, DataRecord>): Data {
  const out: Data = {}
  for (const f of prefillFields(schema)) {
    const record = held.get(f.source)
    const v = record ? valueAtPath(record.data, f.recordPath) : undefined
    if (v !== undefined && v !== null) setPath(out, f.path, v)
  }
  return out
}

const eligible: Record<string, (held: Map<DataSource, DataRecord>) => boolean> = {
  TAX_REFUND: (h) => ((h.get('tax')?.data as { refundable?: number } | undefined)?.refundable ?? 0) > 0,
  SOCIAL_SECURITY_TRANSFER: (h) => h.has('social_security'),
  REAL_ESTATE_REGISTRATION: (h) => h.has('real_estate'),
  CONSTRUCTION_PERMIT: (h) =>
    (h.get('business')?.data as { status?: string } | undefined)?.status === 'active',
  BIZ_CHANGE: (h) => (h.get('business')?.data as { status?: string } | undefined)?.status === 'active',
}

function sampleFor(code: string, c: DemoCitizen): Data {
  return merge(prefill(get(code).formSchema, recordsBySource(c)), typed(c)[code]!)
}

function errorsOf(code: string, data: unknown): ErrorObject[] {
  const validate = validators.get(code)!
  return validate(data) ? [] : [...(validate.errors ?? [])]
}

const show = (errors: ErrorObject[]): string => errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')

// ---------------------------------------------------------------------------------------------

describe('loader', () => {
  it('loads at least eight matters, two of them with an older serial version', () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(8)
    for (const code of [
      'TAX_REFUND',
      'BIZ_STARTUP',
      'RESIDENCE_PERMIT',
      'SOCIAL_SECURITY_TRANSFER',
      'REAL_ESTATE_REGISTRATION',
      'CONSTRUCTION_PERMIT',
      'BIZ_CHANGE',
    ])
      expect(byCode.has(code), code).toBe(true)
    expect(byCode.has('NEWBORN') || byCode.has('MEDICAL_INSURANCE')).toBe(true)
    expect(
      catalogue
        .filter((m) => m.versions.length > 1)
        .map((m) => m.matter.code)
        .sort(),
    ).toEqual(['BIZ_STARTUP', 'CONSTRUCTION_PERMIT'])
    expect(catalogue.map((m) => m.matter.code)).toEqual(catalogue.map((m) => m.matter.code).sort())
  })

  it('finds the files next to the module, or under src/ when running from dist/', () => {
    const here = demoCatalogueDir()
    expect(fs.existsSync(path.join(here, 'TAX_REFUND', 'matter.json'))).toBe(true)
    expect(resolveDemoCatalogueDir(here)).toBe(here)
    const fakeDist = fs.mkdtempSync(path.join(os.tmpdir(), 'xzt-dist-'))
    try {
      const compiled = path.join(fakeDist, 'dist', 'server', 'server', 'modules', 'catalog', 'demo')
      fs.mkdirSync(compiled, { recursive: true })
      fs.writeFileSync(path.join(compiled, 'index.js'), '')
      expect(resolveDemoCatalogueDir(compiled)).toBe(path.join(PACKAGE_ROOT, DEMO_CATALOGUE_SOURCE_DIR))
      expect(() => resolveDemoCatalogueDir(compiled, fakeDist)).toThrow(/demo catalogue not found/)
      expect(loadDemoCatalogue(resolveDemoCatalogueDir(compiled))).toEqual(catalogue)
    } finally {
      fs.rmSync(fakeDist, { recursive: true, force: true })
    }
  })

  it('refuses malformed matter definitions with the file and property named', () => {
    const good = structuredClone(get('TAX_REFUND').matter)
    expect(parseMatterDefinition(good, 'x.json')).toEqual(good)
    expect(() => parseMatterDefinition({ ...good, departments: ['tax', 'police'] }, 'x.json')).toThrow(
      'x.json: unknown department kind police',
    )
    expect(() => parseMatterDefinition({ ...good, ownerLevel: 'village' }, 'x.json')).toThrow(/ownerLevel/)
    expect(() => parseMatterDefinition({ ...good, channels: ['fax'] }, 'x.json')).toThrow(/channels/)
    expect(() =>
      parseMatterDefinition(
        { ...good, materials: [{ code: 'A', name: 'a', required: true, fetchable: true, source: 'nope' }] },
        'x.json',
      ),
    ).toThrow(/source/)
    expect(() => parseMatterDefinition({ ...good, code: 'tax-refund' }, 'x.json')).toThrow(/UPPER_SNAKE_CASE/)
    expect(() => parseMatterDefinition([], 'x.json')).toThrow(/not a JSON object/)
  })
})

describe('matter definitions', () => {
  it.each(catalogue.map((m) => [m.matter.code, m] as const))('%s is consistent across versions', (_, m) => {
    const versions = m.versions
    expect(versions.at(-1)!.matter).toBe(m.matter)
    expect(versions.at(-1)!.processXml).toBe(m.processXml)
    versions.forEach((v, i) => {
      expect(v.matter.code).toBe(m.matter.code)
      expect(v.matter.version).toBe(v.version)
      if (i === 0) expect(v.matter.previousVersion).toBeUndefined()
      else expect(v.matter.previousVersion).toBe(versions[i - 1]!.version)
    })
    expect(versions.map((v) => v.version)).toEqual(versions.map((v) => v.version).sort((a, b) => a - b))
  })

  it.each(
    catalogue.flatMap((m) =>
      m.versions.map((v) => [`${m.matter.code} v${v.version}`, v.matter, v === m.versions.at(-1)] as const),
    ),
  )('%s has plausible limits, channels and materials', (_, matter, current) => {
    expect(matter.name).toMatch(/\p{Script=Han}/u)
    expect(matter.description).toMatch(/\p{Script=Han}/u)
    expect(matter.nameEn).toMatch(/^[A-Z]/)
    for (const d of matter.departments) expect(Object.keys(DEPARTMENT_KINDS)).toContain(d)
    expect(new Set(matter.departments).size).toBe(matter.departments.length)
    expect(matter.slaDays).toBeGreaterThan(0)
    expect(matter.legalSlaDays).toBeGreaterThan(matter.slaDays)
    if (current) {
      expect([0, 1]).toContain(matter.trips)
      expect(matter.channels).toContain('online')
    }
    if (matter.fullyOnline) expect(matter.trips).toBe(0)
    expect(new Set(matter.materials.map((x) => x.code)).size).toBe(matter.materials.length)
    for (const x of matter.materials) {
      if (x.fetchable) {
        expect(DATA_SOURCES, `${x.code} must name its source`).toContain(x.source)
        expect(x.field).toBeUndefined()
      } else expect(x.source).toBeUndefined()
    }
  })

  it('keeps the old serial versions slow and paper-based, and the new ones fast and online', () => {
    for (const code of ['BIZ_STARTUP', 'CONSTRUCTION_PERMIT']) {
      const [v1, v2] = get(code).versions
      expect(v1!.matter.version).toBe(1)
      expect(v2!.matter.version).toBe(2)
      expect(v2!.matter.previousVersion).toBe(1)
      expect(v1!.matter.fullyOnline).toBe(false)
      expect(v1!.matter.trips).toBeGreaterThanOrEqual(3)
      expect(v1!.matter.trips).toBeLessThanOrEqual(5)
      expect(v1!.matter.channels).toEqual(['window'])
      expect(v1!.matter.materials.every((x) => !x.fetchable)).toBe(true)
      expect(v1!.matter.slaDays).toBeGreaterThanOrEqual(4 * v2!.matter.slaDays)
      expect(v2!.matter.trips).toBeLessThanOrEqual(1)
    }
    const startup = get('BIZ_STARTUP').matter
    expect(startup.slaDays).toBeGreaterThanOrEqual(1)
    expect(startup.slaDays).toBeLessThanOrEqual(3)
    const tax = get('TAX_REFUND').matter
    expect(tax).toMatchObject({
      departments: ['tax'],
      ownerLevel: 'county',
      fullyOnline: true,
      trips: 0,
      slaDays: 1,
    })
  })
})

describe('form schemas', () => {
  it.each(catalogue.map((m) => [m.matter.code, m] as const))(
    '%s compiles with Ajv, also in strict mode',
    (_, m) => {
      expect(m.formSchema.$schema).toBe('http://json-schema.org/draft-07/schema#')
      expect(() => makeAjv(false).compile(m.formSchema)).not.toThrow()
      // Strict mode catches misspelt keywords; only the x- annotations are declared.
      expect(() => makeAjv(true).compile(m.formSchema)).not.toThrow()
    },
  )

  it.each(catalogue.map((m) => [m.matter.code, m] as const))(
    '%s has Chinese titles, labelled choices and the usual formats',
    (_, m) => {
      expect(m.formSchema.title).toMatch(/\p{Script=Han}/u)
      for (const f of formFields(m.formSchema)) {
        expect(f.schema.title, `${f.path} has no title`).toMatch(/\p{Script=Han}/u)
        for (const option of [...(f.schema.oneOf ?? []), ...(f.schema.items?.oneOf ?? [])]) {
          expect(option.const, `${f.path} option`).toBeDefined()
          expect(option.title, `${f.path} option ${String(option.const)}`).toMatch(/\p{Script=Han}/u)
        }
        const key = f.path.split('.').at(-1)!
        if (/idNumber$/.test(key)) expect(f.schema.pattern, f.path).toBe('^\\d{17}[\\dX]$')
        if (/^phone$/.test(key)) expect(f.schema.pattern, f.path).toBe('^1[3-9]\\d{9}$')
        if (/creditCode$/i.test(key)) expect(f.schema.pattern, f.path).toContain('[0-9A-HJ-NPQRTUWXY]')
        if (/(Date|^since|plannedStart|plannedEnd)$/.test(key) && f.schema.type === 'string')
          expect(f.schema.format, f.path).toBe('date')
        if (f.schema['x-verify'] === true)
          expect(f.schema['x-prefill'], `${f.path}: x-verify needs x-prefill`).toBeDefined()
      }
    },
  )

  it.each(catalogue.map((m) => [m.matter.code, m] as const))(
    '%s prefills only from known record fields of a matching type',
    (_, m) => {
      const fields = prefillFields(m.formSchema)
      expect(fields.length).toBeGreaterThan(0)
      for (const f of fields) {
        const rf = findRecordField(f.source, f.recordPath)
        expect(rf, `${f.path} ← ${f.source}.${f.recordPath}`).toBeDefined()
        const s = schemaAt(m.formSchema, f.path)!
        // No prefill inside arrays: the path must resolve without stepping into items.
        expect(
          f.path
            .split('.')
            .slice(0, -1)
            .every(
              (_, i) =>
                schemaAt(
                  m.formSchema,
                  f.path
                    .split('.')
                    .slice(0, i + 1)
                    .join('.'),
                )?.type === 'object',
            ),
        ).toBe(true)
        switch (rf!.type) {
          case 'string':
            expect(s.type).toBe('string')
            // Identity numbers are strings checked by their standards' check characters.
            expect([undefined, 'cn-id-number', 'cn-uscc']).toContain(s.format)
            break
          case 'date':
            expect(s.type).toBe('string')
            expect(s.format).toBe('date')
            break
          case 'integer':
            expect(s.type).toBe('integer')
            break
          case 'number':
            expect(s.type).toBe('number')
            break
          case 'string[]':
            expect(s.type).toBe('array')
            break
        }
        if (rf!.values && s.oneOf)
          expect(s.oneOf.map((o) => o.const).sort()).toEqual(Object.keys(rf!.values).sort())
      }
      expect(Object.keys(RECORD_FIELDS)).toEqual([...DATA_SOURCES])
    },
  )

  it.each(catalogue.map((m) => [m.matter.code, m] as const))(
    '%s asks for uploads only of what the government cannot fetch',
    (_, m) => {
      const uploads = attachmentFields(m.formSchema)
      const materials = m.matter.materials
      for (const x of materials.filter((x) => x.fetchable)) {
        expect(
          uploads.map((u) => u.title),
          `${x.name} is fetchable and must not be uploaded`,
        ).not.toContain(x.name)
      }
      const uploaded = materials.filter((x) => !x.fetchable)
      expect(uploads.map((u) => u.path).sort()).toEqual(uploaded.map((x) => x.field).sort())
      for (const x of uploaded) {
        const u = uploads.find((a) => a.path === x.field)!
        expect(u.title).toBe(x.name)
        expect(u.required, `${x.code} required`).toBe(x.required)
      }
    },
  )

  it.each(catalogue.map((m) => [m.matter.code] as const))(
    '%s accepts a realistic submission of citizen.demo',
    (code) => {
      const data = sampleFor(code, demo)
      expect(show(errorsOf(code, data))).toBe('')
      // Every prefilled value is in the submission and comes from citizen.demo's records.
      const held = recordsBySource(demo)
      for (const f of prefillFields(get(code).formSchema)) {
        const v = valueAtPath(held.get(f.source)?.data, f.recordPath)
        if (v !== null) expect(valueAtPath(data, f.path), f.path).toEqual(v)
      }
    },
  )

  it('accepts the prefilled submission of every eligible citizen of the small province', () => {
    const failures: string[] = []
    let checked = 0
    for (const c of citizens) {
      const held = recordsBySource(c)
      for (const m of catalogue) {
        const code = m.matter.code
        const sources = new Set(prefillFields(m.formSchema).map((f) => f.source))
        if (![...sources].every((s) => held.has(s)) || !(eligible[code]?.(held) ?? true)) continue
        checked++
        const errors = errorsOf(code, sampleFor(code, c))
        if (errors.length > 0) failures.push(`${code} ${c.id}: ${show(errors)}`)
      }
    }
    expect(failures.slice(0, 5)).toEqual([])
    expect(checked).toBeGreaterThan(5000)
  })

  describe('rejects broken submissions', () => {
    const firstField = (schema: FormSchema, test: (s: FormSchema) => boolean): string =>
      formFields(schema).find((f) => test(f.schema) && !f.path.includes('shareholders'))!.path

    it.each(catalogue.map((m) => [m.matter.code, m] as const))(
      '%s: missing, malformed and unknown fields',
      (code, m) => {
        const good = sampleFor(code, demo)
        const expectError = (data: Data, instancePath: string, keyword: string): void => {
          const errors = errorsOf(code, data)
          expect(
            errors.some((e) => e.instancePath === instancePath && e.keyword === keyword),
            `${instancePath} ${keyword}: ${show(errors)}`,
          ).toBe(true)
        }
        const without = (dotted: string): Data => {
          const copy = structuredClone(good)
          const parts = dotted.split('.')
          delete ((valueAtPath(copy, parts.slice(0, -1).join('.')) as Data | undefined) ?? copy)[
            parts.at(-1)!
          ]
          if (parts.length === 1) delete copy[dotted]
          return copy
        }
        const withValue = (dotted: string, v: unknown): Data => {
          const copy = structuredClone(good)
          setPath(copy, dotted, v)
          return copy
        }
        const slash = (dotted: string): string => `/${dotted.replaceAll('.', '/')}`

        expectError(without('declaration'), '', 'required')
        expectError(withValue('declaration', false), '/declaration', 'const')
        expectError({ ...good, extra: 1 }, '', 'additionalProperties')
        for (const key of m.formSchema.required ?? []) expectError(without(key), '', 'required')

        const idField = firstField(m.formSchema, (s) => s.pattern === '^\\d{17}[\\dX]$')
        expectError(withValue(idField, '43010119931219877'), slash(idField), 'pattern')
        const phoneField = firstField(m.formSchema, (s) => s.pattern === '^1[3-9]\\d{9}$')
        expectError(withValue(phoneField, '0731-8888888'), slash(phoneField), 'pattern')
        const choice = formFields(m.formSchema).find(
          (f) => Array.isArray(f.schema.oneOf) || Array.isArray(f.schema.items?.oneOf),
        )!
        if (choice.schema.type === 'array')
          expectError(withValue(choice.path, ['nonsense']), `${slash(choice.path)}/0`, 'oneOf')
        else expectError(withValue(choice.path, 'nonsense'), slash(choice.path), 'oneOf')
        const dateField = formFields(m.formSchema).find(
          (f) => f.schema.format === 'date' && valueAtPath(good, f.path) !== undefined,
        )
        if (dateField) expectError(withValue(dateField.path, '2026/11/20'), slash(dateField.path), 'format')
        const upload = attachmentFields(m.formSchema).find((u) => u.required)
        if (upload)
          expectError(
            withValue(upload.path, upload.multiple ? ['not a file'] : 'not a file'),
            slash(upload.path) + (upload.multiple ? '/0' : ''),
            'format',
          )
      },
    )

    it('checks the conditional requirements', () => {
      const expectMissing = (code: string, data: Data, instancePath: string, property: string): void => {
        const errors = errorsOf(code, data)
        expect(
          errors.some(
            (e) =>
              e.keyword === 'required' &&
              e.instancePath === instancePath &&
              (e.params as { missingProperty: string }).missingProperty === property,
          ),
          show(errors),
        ).toBe(true)
      }
      const bigProject = sampleFor('CONSTRUCTION_PERMIT', demo)
      delete (bigProject.attachments as Data).eia
      expectMissing('CONSTRUCTION_PERMIT', bigProject, '/attachments', 'eia')
      ;(bigProject.project as Data).floorArea = 8000
      expect(errorsOf('CONSTRUCTION_PERMIT', bigProject)).toEqual([])

      const rename = sampleFor('BIZ_CHANGE', demo)
      ;(rename.change as Data).items = ['name', 'legalRepresentative']
      expectMissing('BIZ_CHANGE', rename, '/change', 'newName')
      expectMissing('BIZ_CHANGE', rename, '/change', 'newLegalRepresentative')
      const move = sampleFor('BIZ_CHANGE', demo)
      delete (move.attachments as Data).premisesProof
      expectMissing('BIZ_CHANGE', move, '/attachments', 'premisesProof')

      const renter = sampleFor('RESIDENCE_PERMIT', demo)
      delete (renter.attachments as Data).residenceProof
      expectMissing('RESIDENCE_PERMIT', renter, '/attachments', 'residenceProof')
      ;(renter.residence as Data).housingType = 'owned'
      expect(errorsOf('RESIDENCE_PERMIT', renter)).toEqual([])

      const noRefund = sampleFor('TAX_REFUND', demo)
      ;(noRefund.taxReturn as Data).refundable = 0
      expect(errorsOf('TAX_REFUND', noRefund).some((e) => e.instancePath === '/taxReturn/refundable')).toBe(
        true,
      )
    })
  })
})
