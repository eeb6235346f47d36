import * as asar from '@electron/asar';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Builds the unpacked Linux app offline (electron-builder --dir with a stub Electron
 * distribution, since no Electron binary can be downloaded here) and checks that
 * onnxruntime-node's native files land outside app.asar, for this platform only.
 */
const ROOT = path.resolve(__dirname, '..', '..');

describe('packaging (electron-builder --linux --dir)', () => {
  it('puts onnxruntime-node linux binaries in app.asar.unpacked and prunes other platforms', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-pack-'));
    try {
      const stub = path.join(tmp, 'electron-dist');
      fs.mkdirSync(stub);
      fs.writeFileSync(path.join(stub, 'electron'), '#!/bin/sh\necho "stub electron"\n', { mode: 0o755 });
      fs.writeFileSync(path.join(stub, 'version'), 'v45.5.0');
      const out = path.join(tmp, 'out');
      const builder = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
      const r = spawnSync(
        process.execPath,
        [builder, '--linux', '--dir', `-c.electronDist=${stub}`, `-c.directories.output=${out}`],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 240_000,
        },
      );
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      const resources = path.join(out, 'linux-unpacked', 'resources');
      const bin = path.join(
        resources,
        'app.asar.unpacked',
        'node_modules',
        'onnxruntime-node',
        'bin',
        'napi-v6',
      );
      expect(fs.existsSync(path.join(resources, 'app.asar'))).toBe(true);
      expect(fs.existsSync(path.join(bin, 'linux', 'x64', 'onnxruntime_binding.node'))).toBe(true);
      expect(fs.existsSync(path.join(bin, 'linux', 'x64', 'libonnxruntime.so.1'))).toBe(true);
      expect(fs.readdirSync(bin)).toEqual(['linux']);
      expect(fs.readdirSync(path.join(bin, 'linux'))).toEqual(['x64']);
      // The archive itself marks the binding as unpacked: require() is redirected to the real file.
      const archive = path.join(resources, 'app.asar');
      const entry = (f: string) => asar.statFile(archive, f) as { unpacked?: boolean };
      expect(
        entry('node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node').unpacked,
      ).toBe(true);
      expect(entry('dist/node/src-main/electron/main.js').unpacked).toBeFalsy();
      // resvg (the demo's figures) is a native addon too: unpacked, and its font beside the app.
      const resvg = path.join(
        resources,
        'app.asar.unpacked',
        'node_modules',
        '@resvg',
        'resvg-js-linux-x64-gnu',
      );
      expect(fs.readdirSync(resvg).filter((f) => f.endsWith('.node'))).toEqual([
        'resvgjs.linux-x64-gnu.node',
      ]);
      expect(fs.existsSync(path.join(resources, 'fonts', 'DejaVuSans.ttf'))).toBe(true);
      expect(fs.existsSync(path.join(resources, 'fonts', 'DejaVuSans-LICENSE.txt'))).toBe(true);
      // Session threads start from a file inside the archive (Electron ≥ 17.3 loads worker_threads
      // scripts from asar): it must be packed with the worker entry.
      expect(entry('dist/node/src-main/workers/ort/session-thread.js')).toBeTruthy();
      expect(entry('dist/node/src-main/workers/worker-main.js')).toBeTruthy();
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 300_000);
});
