// ESLint flat config: type-aware typescript-eslint, plus the layering rule of docs/ARCHITECTURE.md
// enforced with no-restricted-imports.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const noStores = { group: ['**/*.store.js'], message: 'Only a module’s own service may use its store.' }

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
