import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Views depend on stores, stores on the backend: the lint rule behind this is in
 * eslint.config.mjs, and these probes lint virtual files at real paths with that config, so a
 * weakened rule fails here. (The rules between src-main, src-shared and the renderer are probed
 * in src-main/architecture.test.ts.)
 */
// vitest runs from the repository root; node:path is off limits in the renderer.
const ROOT = process.cwd();
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const probe = (from: string, name: string) =>
  `import { ${name} } from '${from}';\nexport const x = ${name};\n`;

describe('renderer layers', () => {
  it.each([
    ['src-renderer/views/Bad.tsx', probe('../app/api', 'api')],
    ['src-renderer/views/viewer/bad.ts', probe('../../app/api', 'bridge')],
    ['src-renderer/components/Bad.tsx', probe('../app/api', 'api')],
    ['src-renderer/app/Bad.tsx', probe('./api', 'api')],
    ['src-renderer/views/Bad2.tsx', probe('../bridge/ws-bridge', 'createWebSocketBridge')],
  ])('keeps %s off the backend', async (file, code) => {
    expect((await restrictedImports(file, code)).join('\n')).toMatch(
      /Views reach the backend through store actions/,
    );
  });

  it.each([
    ['src-renderer/stores/ok.ts', probe('../app/api', 'api')],
    ['src-renderer/app/ok.ts', probe('./api', 'bridge')],
    ['src-renderer/views/Ok.tsx', probe('../app/shell', 'hasOpenDialog')],
    ['src-renderer/views/Ok2.tsx', probe('../stores/viewer', 'useViewer')],
  ])('lets %s import it', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });

  it('still refuses src-main in views (the renderer-wide patterns are kept)', async () => {
    const errors = await restrictedImports(
      'src-renderer/views/Bad.tsx',
      probe('../../src-main/server/server', 'startServer'),
    );
    expect(errors.join('\n')).toMatch(/renderer imports only src-shared/);
  });
});
