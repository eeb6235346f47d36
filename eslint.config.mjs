// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';
import { builtinModules } from 'node:module';
import local from './eslint-plugin-local/index.mjs';

/** Every Node built-in, bare and `node:`-prefixed (`events` and `fs/promises` included). */
const NODE_BUILTINS = ['node:*', ...builtinModules.flatMap((m) => [m, `${m}/*`])];

/**
 * The layers of src-main, lowest first (DESIGN.md): a folder imports its own layer's neighbours
 * and the layers below, never above. Shells sit on top and do not import each other, except the
 * CLI, which starts `hitmic serve`.
 */
const MAIN_LAYERS = [
  ['version.ts', 'io'],
  ['analysis', 'tracking', 'inference', 'resources', 'convert'],
  ['collections', 'results'],
  ['config'],
  ['pipeline'],
  ['api-errors.ts'],
  ['jobs'],
  ['runs'],
  ['cluster'],
  ['demo'],
  ['backend'],
  ['workers', 'server', 'electron'],
  ['cli'],
];

/** The folders of src-shared, lowest first. */
const SHARED_LAYERS = [
  ['io', 'collections', 'charts'],
  ['api', 'config'],
  ['results', 'viewer'],
];

/** no-restricted-paths zones: each folder may not import any folder of a higher layer. */
function layerZones(root, layers, what) {
  const zones = [];
  layers.forEach((layer, i) => {
    const above = layers.slice(i + 1).flat();
    if (above.length === 0) return;
    for (const folder of layer)
      zones.push({
        target: `./${root}/${folder}`,
        from: above.map((f) => `./${root}/${f}`),
        message: `${root}/${folder} sits below ${above.join(', ')} in ${what} (DESIGN.md import rules): move the shared code down or pass it in.`,
      });
  });
  return zones;
}

const SHELLS = ['workers', 'server', 'electron'];

const ZONES = [
  ...layerZones('src-main', MAIN_LAYERS, 'the layers of src-main'),
  ...SHELLS.map((shell) => ({
    target: `./src-main/${shell}`,
    from: SHELLS.filter((s) => s !== shell).map((s) => `./src-main/${s}`),
    message: 'Shells import only downward, never each other (DESIGN.md import rules).',
  })),
  {
    // The worker entry and its session host load onnxruntime-node, whose run() blocks the event
    // loop of the process that hosts it: nothing else may even import them.
    target: './src-main/!(workers)/**/*',
    from: './src-main/workers/**/*',
    message:
      'Only the worker process imports src-main/workers (its session host loads onnxruntime-node); reach it through jobs/ (WorkerClient, WorkerPool).',
  },
  ...layerZones('src-shared', SHARED_LAYERS, 'the layers of src-shared'),
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
      // Without these the plugin skips TypeScript files when it follows imports, and no-cycle
      // sees no cycle at all (measured: it passed a direct two-file cycle before).
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
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
  {
    // Folder layering and the worker boundary, for the shipped code. Tests compose layers on
    // purpose (an adapter test runs a real onnxruntime session), so they are exempt here; they
    // still import other folders only through their index.ts (below).
    files: ['src-main/**/*.ts', 'src-shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: ZONES }] },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    plugins: { local },
    rules: {
      'local/no-deep-import': [
        'error',
        { roots: ['src-main', 'src-shared'], entries: ['src-main/workers/ort'] },
      ],
    },
  },
);
