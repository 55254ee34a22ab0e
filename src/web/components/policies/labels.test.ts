/**
 * The web names every policy kind, every field and every coded value the server declares: the page
 * reads the schemas over HTTP, so this test holds its tables against the server's declaration instead.
 */
import { describe, expect, it } from 'vitest'
// eslint-disable-next-line no-restricted-imports -- a test, not the UI: it checks the web's names against the server's kinds
import { POLICY_KINDS } from '../../../server/modules/policy/policy.model.js'
import type { JsonSchema } from '../../forms.js'
import {
  FIELD_LABELS,
  POLICY_KIND_LABELS,
  codeName,
  enumValues,
  propertyNames,
  titledSchema,
} from './labels.js'

const kinds = Object.entries(POLICY_KINDS) as [string, { title: { zh: string }; schema: unknown }][]

describe('policy labels', () => {
  it('name every kind the server lists, with the server’s Chinese title and a Chinese description', () => {
    for (const [kind, declared] of kinds) {
      const label = POLICY_KIND_LABELS[kind]
      expect(label, kind).toBeDefined()
      expect(label?.title.zh).toBe(declared.title.zh)
      expect(label?.description.zh, kind).toMatch(/^[^A-Za-z]+$/)
    }
    expect(Object.keys(POLICY_KIND_LABELS).sort()).toEqual(kinds.map(([k]) => k).sort())
  })

  it('name every property of every kind’s schema, in Chinese', () => {
    const missing: string[] = []
    for (const [kind, declared] of kinds) {
      for (const name of propertyNames(declared.schema as JsonSchema)) {
        const label = FIELD_LABELS[name]
        if (!label || /[A-Za-z]/.test(label.zh)) missing.push(`${kind}: ${name}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('name every coded value the schemas allow', () => {
    const missing: string[] = []
    for (const [kind, declared] of kinds) {
      for (const { name, parent, value } of enumValues(declared.schema as JsonSchema)) {
        const zh = codeName(name, parent, value, 'zh-CN')
        if (zh === null || /[A-Za-z]/.test(zh))
          missing.push(`${kind}: ${parent ?? ''}/${name ?? ''} = ${value}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('title the schema for the form without changing what it allows', () => {
    const schema = titledSchema(POLICY_KINDS['appeal.escalation'].schema as unknown as JsonSchema, 'zh-CN')
    const items = schema.properties?.ladder?.items
    expect(schema.properties?.ladder?.title).toBe('督办阶梯')
    expect(items?.title).toBeUndefined()
    expect(items?.properties?.to?.title).toBe('督办对象')
    expect(items?.properties?.to?.oneOf).toEqual([
      { const: 'supervisor', title: '科室负责人' },
      { const: 'leader', title: '单位领导' },
    ])
    expect(items?.properties?.afterWorkingDays).toMatchObject({ type: 'integer', minimum: 0, maximum: 60 })
  })
})
