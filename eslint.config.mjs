// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'worker_threads',
  'zlib',
  'stream',
  'url',
  'util',
];

/** What no renderer file may import. */
const RENDERER_PATTERNS = [
  {
    group: ['**/src-main/**', '**/src-main'],
    message: 'The renderer imports only src-shared; use the HitmicApi (DESIGN.md import rules).',
  },
  {
    group: ['electron', 'onnxruntime-node', ...NODE_BUILTINS],
    message: 'The renderer has no Node or Electron access; use the HitmicApi (DESIGN.md import rules).',
  },
];

/** The layers of DESIGN.md, enforced here so that a forbidden import fails `npm test`. */
const layerRules = [
  {
    // Shared code runs on both sides: no Node, no Electron, no reaching into either side.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', '**/src-renderer/**'],
              message: 'src-shared imports neither side (DESIGN.md import rules).',
            },
            {
              group: ['electron', 'onnxruntime-node', ...NODE_BUILTINS],
              message: 'src-shared must stay free of Node and Electron (DESIGN.md import rules).',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer talks to the backend only through HitmicApi from src-shared.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: RENDERER_PATTERNS }] },
  },
  {
    // Views call store actions and read store state; the stores own the backend (app/api.ts).
    files: ['src-renderer/views/**', 'src-renderer/components/**', 'src-renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...RENDERER_PATTERNS,
            {
              group: ['**/app/api', './api', '**/bridge/*'],
              message:
                'Views reach the backend through store actions (src-renderer/stores/) and shell capabilities through app/shell.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Domain folders and the CLI/server shells never import electron; only the worker side loads onnxruntime-node.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**', 'src-main/workers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: "Only src-main/electron/ may import 'electron' (DESIGN.md import rules).",
            },
            {
              name: 'onnxruntime-node',
              message:
                'Only the worker side (src-main/workers/) may import onnxruntime-node: run() blocks the event loop.',
            },
          ],
          patterns: [{ group: ['**/src-renderer/**'], message: 'src-main never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'onnxruntime-node',
              message: 'Only the worker side (src-main/workers/) may import onnxruntime-node.',
            },
          ],
          patterns: [{ group: ['**/src-renderer/**'], message: 'src-main never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: ['src-main/workers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                "Workers run under utilityProcess or fork; they reach the parent through the adapter, never 'electron'.",
            },
          ],
          patterns: [{ group: ['**/src-renderer/**'], message: 'src-main never imports the renderer.' }],
        },
      ],
    },
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
      'models/**',
      'scripts/**/*.py',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src-renderer/**/*.tsx', 'src-renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], languageOptions: { globals: { ...globals.node } } },
  {
    // CommonJS entry points (bin/) load the compiled app with require by design.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Playwright fixtures must destructure their (empty) dependencies with `{}`.
  { files: ['e2e/**/*.ts'], rules: { 'no-empty-pattern': 'off' } },
  ...layerRules,
);
