import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of DESIGN.md are enforced by ESLint, which `npm test` runs first. These
 * cases lint virtual files at real paths with the repository's own config, so a weakened rule
 * fails here.
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

const FORBIDDEN: [string, string, RegExp][] = [
  [
    'src-renderer/views/Bad.tsx',
    probe('../../src-main/backend/backend', '{ createBackend }', 'createBackend'),
    /renderer imports only src-shared/,
  ],
  ['src-renderer/app/bad.ts', probe('node:fs', 'fs', 'fs'), /no Node or Electron/],
  ['src-renderer/app/bad2.ts', probe('electron', '{ ipcRenderer }', 'ipcRenderer'), /no Node or Electron/],
  ['src-main/pipeline/bad.ts', probe('electron', '{ app }', 'app'), /Only src-main\/electron\//],
  [
    'src-main/server/bad.ts',
    probe('electron', '{ BrowserWindow }', 'BrowserWindow'),
    /Only src-main\/electron\//,
  ],
  ['src-main/inference/bad.ts', probe('onnxruntime-node', '* as ort', 'ort'), /worker side/],
  ['src-main/electron/bad.ts', probe('onnxruntime-node', '* as ort', 'ort'), /worker side/],
  ['src-shared/api/bad.ts', probe('path', 'path', 'path'), /free of Node and Electron/],
  [
    'src-shared/api/bad2.ts',
    probe('../../src-main/version', '{ appVersion }', 'appVersion'),
    /imports neither side/,
  ],
];

const ALLOWED: [string, string][] = [
  ['src-main/electron/ok.ts', probe('electron', '{ app }', 'app')],
  ['src-main/workers/ok.ts', probe('onnxruntime-node', '* as ort', 'ort')],
  ['src-renderer/app/ok.ts', probe('../../src-shared/api/contract', '{ API_METHODS }', 'API_METHODS')],
  [
    'src-main/pipeline/ok.ts',
    "import fs from 'node:fs';\nimport { API_METHODS } from '../../src-shared/api/contract';\nexport const x = [fs, API_METHODS];\n",
  ],
];

describe('DESIGN.md import rules', () => {
  it.each(FORBIDDEN)('refuses the forbidden import in %s', async (file, code, message) => {
    const errors = await lintAs(file, code);
    expect(
      errors.some((e) => e.startsWith('no-restricted-imports') && message.test(e)),
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
        input:
          "import { startServer } from '../../src-main/server/server';\nexport const leak = startServer;\n",
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/renderer imports only src-shared/);
  });
});
