// ESLint flat config: type-aware typescript-eslint, plus the layering rule, the module boundaries and the
// demo leaves of docs/ARCHITECTURE.md, enforced with no-restricted-imports.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const noStores = { group: ['**/*.store.js'], message: 'Only a module’s own service may use its store.' }

// Who may do what is written once, in src/shared/permissions.ts (server and web ask it through
// can/assertCan/grantFor/scopeFor); a role list or role comparison anywhere else is a second answer
// that drifts from it. These selectors catch the shapes such checks take.
const ROLE_CHECK =
  'Role checks live in src/shared/permissions.ts: ask can()/assertCan()/grantFor() (server: scopeFor()).'
const STAFF_ROLE_NAMES = '/^(clerk|official|supervisor|leader|process_engineer|data_admin|auditor|admin)$/'
const TESTS = '/^(includes|some|every|find|findIndex|findLast|indexOf|lastIndexOf|filter|has)$/'
const noRoleChecks = [
  // principal.roles.includes('admin'), me.roles.some(...), p.roles.every(...) (showing roles is fine)
  {
    selector: `CallExpression[callee.object.property.name='roles'][callee.property.name=${TESTS}]`,
    message: ROLE_CHECK,
  },
  // const { roles } = p; roles.includes('admin')
  {
    selector: `CallExpression[callee.object.name='roles'][callee.property.name=${TESTS}]`,
    message: ROLE_CHECK,
  },
  // p.roles[0] === 'admin'
  { selector: "MemberExpression[computed=true][object.property.name='roles']", message: ROLE_CHECK },
  // new Set(p.roles).has('supervisor'); for (const r of p.roles) …
  { selector: "NewExpression > MemberExpression.arguments[property.name='roles']", message: ROLE_CHECK },
  { selector: "ForOfStatement > MemberExpression.right[property.name='roles']", message: ROLE_CHECK },
  // r === 'admin', task.role !== 'clerk'
  {
    selector: `BinaryExpression[operator=/^[!=]==?$/] > Literal[value=${STAFF_ROLE_NAMES}]`,
    message: ROLE_CHECK,
  },
  // switch (role) { case 'admin': ... }
  { selector: `SwitchCase > Literal.test[value=${STAFF_ROLE_NAMES}]`, message: ROLE_CHECK },
]
// Module boundaries and the demo leaves (docs/ARCHITECTURE.md, "The layering rule"). These use
// typescript-eslint's copy of no-restricted-imports, a second rule id, so that their blocks and the
// layering blocks never replace each other's patterns (for one file, the last block setting a rule wins).

/** The demo: the catalogue's matter folders and samples, the record generator, the province generator. */
const DEMO_LEAVES = ['src/server/modules/*/demo/**', 'src/server/modules/sim/**']
/**
 * What may reach the demo: the leaves themselves; the CLI, its one entry point in the product (`xzt demo`,
 * `xzt sim`, `xzt serve` seeding an empty database); tests and benches.
 */
const DEMO_USERS = [...DEMO_LEAVES, 'src/cli/**', '**/*.test.ts', 'test/**', 'bench/**']
const noDemo = {
  group: ['**/demo/**', '**/sim/**'],
  message:
    'Product code never imports the demo (demo/ folders, modules/sim/); the CLI, tests and benches do.',
}
const BOUNDARY =
  'Another module’s model and store are private: import its index.ts (pure types and rules) or its service.'
/**
 * Another module's model or store, imported from a file `depth` folders below its own module's root
 * (relative specifiers climb one `../` more per level). The demo leaves are left to `noDemo`.
 * @param {number} depth
 */
const otherModules = (depth) => {
  const up = '../'.repeat(depth + 1)
  return {
    group: [`${up}*/**/*.model.js`, `${up}*/**/*.store.js`, `!${up}sim/**`, `!${up}*/demo/**`],
    message: BOUNDARY,
  }
}
/** A module's model or store, imported from outside the modules (composition root, HTTP, CLI, tests). */
const modulesFromOutside = {
  group: [
    '**/modules/*/**/*.model.js',
    '**/modules/*/**/*.store.js',
    '!**/modules/sim/**',
    '!**/modules/*/demo/**',
  ],
  message: BOUNDARY,
}
const boundaries = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
})
const OUTSIDE_MODULES = ['src/server/**', 'src/shared/**', 'src/cli/**', 'test/**', 'bench/**']
/**
 * Module files by depth below the module's root: `modules/<m>/x.ts`, `modules/<m>/<sub>/x.ts`, …
 * (today's deepest is one folder down, e.g. `workflow/engine/`).
 */
const MODULE_DEPTHS = [0, 1, 2, 3].map((depth) => ({
  depth,
  files: [`src/server/modules/*/${'*/'.repeat(depth)}*.ts`],
}))

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      'test-artifacts/**',
      'bench/results/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'bin/*.js', 'bench/baselines/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Migrations are written against Kysely<any> on purpose (frozen in time, independent of today's types).
      '@typescript-eslint/no-explicit-any': 'off',
      // Fastify hooks and handlers are async by contract even when a body does not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/web/**'],
    rules: {
      // antd's form instance methods are bound closures; destructuring them is the documented use.
      '@typescript-eslint/unbound-method': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/cli/**'],
              message: 'The web UI talks to the server through the HTTP API only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/modules/**/*.model.ts', 'src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'pg', 'better-sqlite3', 'fastify', 'node:fs'],
          patterns: [noStores, { group: ['**/*.service.js'], message: 'Models are pure.' }],
        },
      ],
    },
  },
  {
    files: [
      'src/server/modules/**/*.routes.ts',
      'src/cli/**',
      'src/server/http/**',
      'test/e2e/**',
      'bench/**',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [noStores] }] },
  },
  {
    files: ['src/server/modules/**/*.service.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*/*.store.js'], message: 'Talk to another module through its service.' },
            { group: ['**/*.routes.js'], message: 'Services never know HTTP.' },
          ],
        },
      ],
    },
  },
  { files: OUTSIDE_MODULES, rules: boundaries(modulesFromOutside) },
  { files: OUTSIDE_MODULES, ignores: DEMO_USERS, rules: boundaries(noDemo, modulesFromOutside) },
  ...MODULE_DEPTHS.flatMap(({ depth, files }) => [
    { files, rules: boundaries(otherModules(depth)) },
    { files, ignores: DEMO_USERS, rules: boundaries(noDemo, otherModules(depth)) },
  ]),
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: [
      'src/shared/permissions.ts',
      // Modules that assign roles (accounts, sessions) or generate them (the demo province).
      'src/server/modules/auth/**',
      'src/server/modules/org/**',
      'src/server/modules/sim/**',
      // The workflow engine's xzt:role and xzt:escalate values name whom a task goes to, not who calls.
      'src/server/modules/workflow/**',
      'src/cli/**',
      '**/*.test.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', ...noRoleChecks] },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
)
