// Lint for the whole repo, and the tooling half of the layering in DESIGN.md §4 (the other half is one tsconfig per
// layer): core never imports electron, react or the UI; core/protocol is pure (no node:*, nothing else from core), and
// so is core/indicators (which may also use core/protocol); renderer sees only those two; electron never imports
// renderer code. eslint-layers.test.ts proves the rules bite.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import layers from './scripts/eslint-layers.mjs';

const NODE_BUILTINS = {
  paths: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'Node builtins are not available here.' })),
  patterns: [{ group: ['node:*'], message: 'Node builtins are not available here.' }],
};
const UI_PACKAGES = {
  paths: ['electron', 'react', 'react-dom', 'lightweight-charts', 'zustand'].map((name) => ({
    name,
    message: 'core runs without Electron or a DOM: UI and shell packages belong to renderer/ and electron/.',
  })),
  patterns: [
    {
      group: ['react/*', 'react-dom/*', 'zustand/*', 'lightweight-charts/*', 'electron/*'],
      message: 'core runs without Electron or a DOM: UI and shell packages belong to renderer/ and electron/.',
    },
  ],
};
const ELECTRON = { paths: [{ name: 'electron', message: 'Only electron/ may import electron; the renderer talks through window.candlewick.' }], patterns: [] };

const restrict = (...sets) => [
  'error',
  { paths: sets.flatMap((s) => s.paths), patterns: sets.flatMap((s) => s.patterns) },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      '.e2e-artifacts/**',
      '.tmp/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    plugins: { layers },
    rules: {
      'layers/boundaries': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-empty-object-type': 'off',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      // `let x; make(() => x.y()); x = ...` is a legitimate late-binding pattern, not a missed const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  { files: ['**/*.cjs', 'scripts/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['renderer/**', 'e2e/**'], languageOptions: { globals: { ...globals.browser, ...globals.node } } },
  { files: ['electron/preload.ts'], languageOptions: { globals: { ...globals.browser } } },
  // Layering by package name. Flat config replaces a rule's options wholesale, so each block lists its full set.
  { files: ['core/**'], rules: { 'no-restricted-imports': restrict(UI_PACKAGES) } },
  { files: ['core/protocol/**', 'core/indicators/**'], rules: { 'no-restricted-imports': restrict(UI_PACKAGES, NODE_BUILTINS) } },
  { files: ['renderer/**'], rules: { 'no-restricted-imports': restrict(ELECTRON, NODE_BUILTINS) } },
);
