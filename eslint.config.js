// ESLint flat config. The rule that matters most is the pure core: packages/core/src imports no I/O module and no other
// Slipway package (style.md §1). scripts/check-core-purity.mjs enforces the same boundary without ESLint, and also checks
// that file names are kebab-case.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const sourceDirs = ['packages/*/src', 'drivers/*/src', 'executors/*/src', 'integrations/*/src', 'tests', 'scripts', 'bench'];
const sourceFiles = [
  ...sourceDirs.flatMap((dir) => [`${dir}/**/*.{ts,tsx,mts}`, `${dir}/**/*.{js,mjs}`]),
  'bin/*.mjs',
  '*.config.{js,ts}',
  'packages/*/*.config.ts',
];

/** Modules the core must not import: file system, network, processes, containers, clusters, databases. */
const impureModules = [
  'node:fs',
  'fs',
  'node:fs/promises',
  'fs/promises',
  'node:net',
  'net',
  'node:child_process',
  'child_process',
  'node:http',
  'http',
  'node:https',
  'https',
  'node:dgram',
  'dgram',
  'node:worker_threads',
  'worker_threads',
  'dockerode',
  '@kubernetes/client-node',
  'better-sqlite3',
  'pg',
  'kysely',
];

export default defineConfig(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/web/dist/**', 'test-results/**', 'coverage/**'] },
  {
    files: sourceFiles,
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (style.md §9).' }],
      // A CLI that strips ANSI colours and a git adapter that rejects control characters in ref names match them on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: ['packages/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests match YAML indentation literally; `{4}` would hide the shape of the document being matched.
    files: ['tests/**/*.ts', '**/*.test.ts'],
    rules: { 'no-regex-spaces': 'off' },
  },
  {
    // Tools that load their configuration through a default export.
    files: ['**/vite.config.ts', '**/vitest.config.ts', 'eslint.config.js', 'packages/testkit/src/skip-reporter.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: impureModules.map((name) => ({ name, message: 'The core is pure: do I/O in an adapter behind a port (style.md §1).' })),
          patterns: [
            { group: ['node:fs/*', 'fs/*'], message: 'The core is pure: do I/O in an adapter behind a port (style.md §1).' },
            { group: ['@slipway/*', '!@slipway/core'], message: 'The core depends on no other Slipway package; they depend on it.' },
          ],
        },
      ],
    },
  },
);
