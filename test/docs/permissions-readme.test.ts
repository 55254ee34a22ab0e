/**
 * The README's permission table is generated from the one permission table (`src/shared/permissions.ts`),
 * so the documentation cannot drift from what the server enforces. When the table changes, rewrite the
 * README's block with `XZT_WRITE_DOCS=1 npx vitest run test/docs/permissions-readme.test.ts`.
 */
import fs from 'node:fs'
import path from 'node:path'
import prettier from 'prettier'
import { describe, expect, it } from 'vitest'
import { ROLES } from '../../src/shared/domain.js'
import {
  PERMISSION_NAMES,
  PERMISSION_TITLES,
  PERMISSIONS,
  type Grant,
  type PermissionScope,
} from '../../src/shared/permissions.js'

const README = path.join(import.meta.dirname, '..', '..', 'README.md')
const BEGIN =
  '<!-- permissions:begin (generated from src/shared/permissions.ts by test/docs/permissions-readme.test.ts) -->'
const END = '<!-- permissions:end -->'

const SCOPE: Record<PermissionScope, string> = {
  own: '本人 own',
  department: '本部门 dept',
  subtree: '辖区 subtree',
  any: '全省 any',
}

/** One row per permission, one column per role: the widest scope the role is granted. */
function renderTable(): string {
  const width = { own: 0, department: 1, subtree: 2, any: 3 } as const
  const header = `| permission | ${ROLES.map((r) => `\`${r}\``).join(' | ')} |`
  const rule = `| --- | ${ROLES.map(() => ':-:').join(' | ')} |`
  const rows = PERMISSION_NAMES.map((name) => {
    const grants = PERMISSIONS[name] as readonly Grant[]
    const cells = ROLES.map((role) => {
      const scopes = grants.filter((g) => g.roles.includes(role)).map((g) => g.scope)
      if (scopes.length === 0) return ''
      return SCOPE[scopes.reduce((a, b) => (width[b] > width[a] ? b : a))]
    })
    const { zh, en } = PERMISSION_TITLES[name]
    return `| \`${name}\` ${zh} (${en}) | ${cells.join(' | ')} |`
  })
  return [header, rule, ...rows].join('\n')
}

async function formatted(markdown: string): Promise<string> {
  const options = (await prettier.resolveConfig(README)) ?? {}
  return (await prettier.format(markdown, { ...options, parser: 'markdown' })).trimEnd()
}

describe('README permission table', () => {
  it('matches src/shared/permissions.ts', async () => {
    const readme = fs.readFileSync(README, 'utf8')
    const start = readme.indexOf(BEGIN)
    const end = readme.indexOf(END)
    expect(start, `README.md has no line ${BEGIN}`).toBeGreaterThanOrEqual(0)
    expect(end, `README.md has no line ${END}`).toBeGreaterThan(start)
    const expected = await formatted(renderTable())
    const actual = readme.slice(start + BEGIN.length, end).trim()
    if (process.env.XZT_WRITE_DOCS === '1' && actual !== expected) {
      fs.writeFileSync(
        README,
        `${readme.slice(0, start + BEGIN.length)}\n\n${expected}\n\n${readme.slice(end)}`,
      )
      return
    }
    expect(actual, 'rewrite it: XZT_WRITE_DOCS=1 npx vitest run test/docs/permissions-readme.test.ts').toBe(
      expected,
    )
  })
})
