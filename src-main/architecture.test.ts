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

const FORBIDDEN: [string, string, RegExp][] = [
  [
    'src-renderer/views/Bad.tsx',
    "import { createBackend } from '../../src-main/backend/backend';\nexport const x = createBackend;\n",
    /renderer imports only src-shared/,
  ],
  ['src-renderer/app/bad.ts', "import fs from 'node:fs';\nexport const x = fs;\n", /no Node or Electron/],
  [
    'src-renderer/app/bad2.ts',
    "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n",
    /no Node or Electron/,
  ],
  [
    'src-main/pipeline/bad.ts',
    "import { app } from 'electron';\nexport const x = app;\n",
    /Only src-main\/electron\//,
  ],
  [
    'src-main/server/bad.ts',
    "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n",
    /Only src-main\/electron\//,
  ],
  [
    'src-main/inference/bad.ts',
    "import * as ort from 'onnxruntime-node';\nexport const x = ort;\n",
    /worker side/,
  ],
  [
    'src-main/electron/bad.ts',
    "import * as ort from 'onnxruntime-node';\nexport const x = ort;\n",
    /worker side/,
  ],
  [
    'src-shared/api/bad.ts',
    "import path from 'path';\nexport const x = path;\n",
    /free of Node and Electron/,
  ],
  [
    'src-shared/api/bad2.ts',
    "import { appVersion } from '../../src-main/version';\nexport const x = appVersion;\n",
    /imports neither side/,
  ],
];

const ALLOWED: [string, string][] = [
  ['src-main/electron/ok.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ['src-main/workers/ok.ts', "import * as ort from 'onnxruntime-node';\nexport const x = ort;\n"],
  [
    'src-renderer/app/ok.ts',
    "import { API_METHODS } from '../../src-shared/api/contract';\nexport const x = API_METHODS;\n",
  ],
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
