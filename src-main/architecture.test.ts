import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of DESIGN.md are enforced by ESLint, which `npm test` runs first. These
 * cases lint virtual files at real paths with the repository's own config, so a weakened rule
 * fails here: every rule has a forbidden probe, and the imports the design wants stay allowed.
 */
const ROOT = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function lintAs(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

/** Source text of a one-import module, as the file under test would hold it. */
function probe(moduleName: string, clause: string, binding: string): string {
  return `import ${clause} from '${moduleName}';\nexport const x = ${binding};\n`;
}

const SIDES = 'no-restricted-imports';
const LAYERS = 'import-x/no-restricted-paths';
const DEEP = 'local/no-deep-import';
const CYCLE = 'import-x/no-cycle';

/** [file, source, rule, message] — each must be refused by that rule with that message. */
const FORBIDDEN: [string, string, string, RegExp][] = [
  // The three sides: renderer, src-shared, src-main.
  [
    'src-renderer/views/Bad.tsx',
    probe('../../src-main/backend', '{ createBackend }', 'createBackend'),
    SIDES,
    /renderer imports only src-shared/,
  ],
  ['src-renderer/app/bad.ts', probe('node:fs', 'fs', 'fs'), SIDES, /no Node or Electron/],
  [
    'src-renderer/app/bad2.ts',
    probe('electron', '{ ipcRenderer }', 'ipcRenderer'),
    SIDES,
    /no Node or Electron/,
  ],
  ['src-shared/api/bad.ts', probe('path', 'path', 'path'), SIDES, /free of Node and Electron/],
  // Every built-in, not a hand-kept list: `events` and `fs/promises` too.
  ['src-shared/api/bad2.ts', probe('events', '{ EventEmitter }', 'EventEmitter'), SIDES, /free of Node/],
  ['src-shared/io/bad.ts', probe('fs/promises', '{ readFile }', 'readFile'), SIDES, /free of Node/],
  [
    'src-shared/api/bad3.ts',
    probe('../../src-main/version', '{ appVersion }', 'appVersion'),
    SIDES,
    /imports neither side/,
  ],
  // electron and onnxruntime-node by name.
  ['src-main/pipeline/bad.ts', probe('electron', '{ app }', 'app'), SIDES, /Only src-main\/electron\//],
  [
    'src-main/server/bad.ts',
    probe('electron', '{ BrowserWindow }', 'BrowserWindow'),
    SIDES,
    /Only src-main\/electron\//,
  ],
  ['src-main/inference/bad.ts', probe('onnxruntime-node', '* as ort', 'ort'), SIDES, /worker side/],
  ['src-main/electron/bad.ts', probe('onnxruntime-node', '* as ort', 'ort'), SIDES, /worker side/],
  // Nothing outside workers/ reaches the session host, even through its index.
  [
    'src-main/backend/bad.ts',
    probe('../workers/ort', '{ loadModel }', 'loadModel'),
    LAYERS,
    /Only the worker process/,
  ],
  [
    'src-main/inference/bad.ts',
    probe('../workers/ort', '{ loadModel }', 'loadModel'),
    LAYERS,
    /Only the worker process/,
  ],
  [
    'src-main/pipeline/bad.ts',
    probe('../workers/ort', '{ loadStageModel }', 'loadStageModel'),
    LAYERS,
    /Only the worker process/,
  ],
  // Layers of src-main: no upward import, for each boundary.
  [
    'src-main/io/bad.ts',
    probe('../analysis', '{ measureFrame }', 'measureFrame'),
    LAYERS,
    /src-main\/io sits below/,
  ],
  [
    'src-main/inference/bad.ts',
    probe('../collections', '{ planModels }', 'planModels'),
    LAYERS,
    /sits below/,
  ],
  ['src-main/results/bad.ts', probe('../pipeline', '{ inferFrame }', 'inferFrame'), LAYERS, /sits below/],
  [
    'src-main/collections/bad.ts',
    probe('../config', '{ loadRunConfig }', 'loadRunConfig'),
    LAYERS,
    /sits below/,
  ],
  ['src-main/pipeline/bad.ts', probe('../jobs', '{ WorkerPool }', 'WorkerPool'), LAYERS, /sits below/],
  [
    'src-main/pipeline/bad2.ts',
    probe('../backend', '{ createBackend }', 'createBackend'),
    LAYERS,
    /sits below/,
  ],
  [
    'src-main/convert/bad.ts',
    probe('../collections', '{ planModels }', 'planModels'),
    LAYERS,
    /src-main\/convert sits below/,
  ],
  ['src-main/jobs/bad.ts', probe('../runs', '{ runConfig }', 'runConfig'), LAYERS, /sits below/],
  ['src-main/runs/bad.ts', probe('../demo', '{ runDemo }', 'runDemo'), LAYERS, /sits below/],
  // Slurm submission sits on the runs it hands to the cluster, below what binds it.
  ['src-main/runs/bad2.ts', probe('../cluster', '{ submitToSlurm }', 'submitToSlurm'), LAYERS, /sits below/],
  [
    'src-main/cluster/bad.ts',
    probe('../backend', '{ createBackend }', 'createBackend'),
    LAYERS,
    /sits below/,
  ],
  ['src-main/demo/bad.ts', probe('../backend', '{ createBackend }', 'createBackend'), LAYERS, /sits below/],
  ['src-main/backend/bad.ts', probe('../server', '{ startServer }', 'startServer'), LAYERS, /sits below/],
  // Shells only downward, never into each other.
  ['src-main/server/bad.ts', probe('../electron/ipc', '{ bindIpc }', 'bindIpc'), LAYERS, /never each other/],
  [
    'src-main/electron/bad.ts',
    probe('../server', '{ startServer }', 'startServer'),
    LAYERS,
    /never each other/,
  ],
  // Layers of src-shared.
  [
    'src-shared/io/bad.ts',
    probe('../api', '{ API_METHODS }', 'API_METHODS'),
    LAYERS,
    /src-shared\/io sits below/,
  ],
  [
    'src-shared/collections/bad.ts',
    probe('../config', '{ validateRunConfig }', 'validateRunConfig'),
    LAYERS,
    /sits below/,
  ],
  [
    // Charts draw what they are given: the class palette and the results come from above.
    'src-shared/charts/bad.ts',
    probe('../viewer', '{ classCss }', 'classCss'),
    LAYERS,
    /src-shared\/charts sits below/,
  ],
  // No deep imports past a folder's index.ts, from any side, tests included.
  [
    'src-main/pipeline/bad3.ts',
    probe('../io/tiff/reader', '{ TiffReader }', 'TiffReader'),
    DEEP,
    /Import 'src-main\/io'/,
  ],
  [
    'src-renderer/app/bad3.ts',
    probe('../../src-shared/api/contract', '{ API_METHODS }', 'API_METHODS'),
    DEEP,
    /Import 'src-shared\/api'/,
  ],
  [
    'src-main/inference/bad.test.ts',
    probe('../workers/ort/session-host', '{ loadModel }', 'loadModel'),
    DEEP,
    /Import 'src-main\/workers\/ort'/,
  ],
  // A cycle through index files is found: io/files/atomic.ts importing the pipeline, which imports io.
  ['src-main/io/files/atomic.ts', probe('../../pipeline', '{ inferFrame }', 'inferFrame'), CYCLE, /cycle/i],
];

const ALLOWED: [string, string][] = [
  ['src-main/electron/ok.ts', probe('electron', '{ app }', 'app')],
  ['src-main/workers/ok.ts', probe('onnxruntime-node', '* as ort', 'ort')],
  ['src-main/workers/ok2.ts', probe('./ort', '{ loadStageModel }', 'loadStageModel')],
  ['src-renderer/app/ok.ts', probe('../../src-shared/api', '{ API_METHODS }', 'API_METHODS')],
  [
    'src-main/pipeline/ok.ts',
    "import fs from 'node:fs';\nimport { API_METHODS } from '../../src-shared/api';\nexport const x = [fs, API_METHODS];\n",
  ],
  ['src-main/pipeline/ok2.ts', probe('../results', '{ RunFolder }', 'RunFolder')],
  ['src-main/runs/ok.ts', probe('../jobs', '{ WorkerPool }', 'WorkerPool')],
  // collections reads checkpoints against the converter's one description of each state_dict.
  ['src-main/collections/ok.ts', probe('../convert', '{ expectedStateDict }', 'expectedStateDict')],
  ['src-main/convert/ok.ts', probe('../io', '{ encodeOnnxModel }', 'encodeOnnxModel')],
  ['src-main/cluster/ok.ts', probe('../runs', '{ prepareRun }', 'prepareRun')],
  ['src-main/backend/ok.ts', probe('../cluster', '{ jobStatus }', 'jobStatus')],
  ['src-main/cli/ok.ts', probe('../server', '{ startServer }', 'startServer')],
  ['src-main/analysis/ok.ts', probe('./measure/region-stats', '{ gatherRegionStats }', 'gatherRegionStats')],
  // Tests compose layers (real sessions in an adapter test), through the public entry.
  ['src-main/inference/ok.test.ts', probe('../workers/ort', '{ loadModel }', 'loadModel')],
];

describe('DESIGN.md import rules', () => {
  it.each(FORBIDDEN)('refuses the forbidden import in %s', async (file, code, rule, message) => {
    const errors = await lintAs(file, code);
    expect(
      errors.some((e) => e.startsWith(`${rule}:`) && message.test(e)),
      errors.join('\n'),
    ).toBe(true);
  });

  it.each(ALLOWED)('allows the import in %s', async (file, code) => {
    expect(await lintAs(file, code)).toEqual([]);
  });

  it('has import cycles as errors everywhere', async () => {
    for (const file of [
      'src-main/backend/backend.ts',
      'src-renderer/app/App.tsx',
      'src-shared/api/contract.ts',
    ]) {
      const config = (await eslint.calculateConfigForFile(path.join(ROOT, file))) as {
        rules: Record<string, unknown>;
      };
      expect(config.rules['import-x/no-cycle'], file).toEqual([
        2,
        expect.objectContaining({ ignoreExternal: true }),
      ]);
    }
  });

  it('makes the lint step of `npm test` exit non-zero on a forbidden import', () => {
    const eslintBin = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const r = spawnSync(
      process.execPath,
      [eslintBin, '--stdin', '--stdin-filename', 'src-renderer/views/Leak.tsx'],
      {
        cwd: ROOT,
        input: "import { startServer } from '../../src-main/server';\nexport const leak = startServer;\n",
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/renderer imports only src-shared/);
  });
});
