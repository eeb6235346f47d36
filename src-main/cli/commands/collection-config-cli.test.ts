/**
 * The real `hitmic` binary (compiled by the global setup): JSON shapes, exit codes and the one-line
 * stderr of `collection` and `config` commands.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip, minimalBundle } from '../../../test-support/collections/raw-zip';

const repo = path.resolve(__dirname, '../../..');
const assets = path.join(repo, 'test-support/collections');
let dir: string;
let library: string;

function hitmic(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin/hitmic.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, HITMIC_LIBRARY: library },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-cli-coll-'));
  library = path.join(dir, 'lib');
  fs.writeFileSync(
    path.join(dir, 'bundle.yml'),
    `model_collection:\n  name: cli_test\n  version: "2.0"\n  models:\n    bf_focus:\n      model_path: ${assets}/nafnet_tiny.onnx\n      metadata_path: ${assets}/nafnet_tiny.json\n      test_input: ${assets}/nafnet_tiny_input.npy\n      test_output: ${assets}/nafnet_tiny_output.npy\n      inferer_args:\n        scale_method: range01\n        patch_size: 64\n        overlap_ratio: 0.25\n        scaler_args: {pmin: 1.0, pmax: 99.8}\n    segmentation:\n      model_path: ${assets}/unet_tiny.pth\n      metadata_path: ${assets}/unet_tiny.json\n      inferer_args: {scale_method: none, patch_size: 64, overlap_ratio: 0.25}\n`,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hitmic collection', () => {
  it('create → inspect --json → verify --json → import (twice, same id) → list → remove', () => {
    const c = hitmic('collection', 'create', '-i', 'bundle.yml', '-o', 'c.zip', '--no-auto-date', '--json');
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({
      output: path.join(dir, 'c.zip'),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(hitmic('collection', 'create', '-i', 'bundle.yml', '-o', 'c.zip', '--no-auto-date')).toMatchObject(
      { code: 2, stderr: expect.stringMatching(/^hitmic: .*already exists; use --force.*\n$/) },
    );

    const i = hitmic('collection', 'inspect', 'c.zip', '--json');
    expect(i.code, i.stderr).toBe(0);
    const report = JSON.parse(i.stdout);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['layout', 'models', 'tracking', 'manifest', 'problems']),
    );
    expect(report.models[0]).toMatchObject({
      key: 'bf_focus',
      format: 'onnx',
      architecture: 'NAFNet',
      runnable: true,
      inputs: [{ name: 'input', shape: ['N', 1, 'H', 'W'], type: 'float32' }],
      outputs: [{ name: 'output' }],
    });
    expect(report.models[0].files[0]).toEqual({
      path: 'models/NAFNet-bf_focus_restoration.onnx',
      size: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(report.models[1]).toMatchObject({
      key: 'segmentation',
      format: 'pytorch',
      runnable: true,
      conversion: { converterVersion: expect.stringMatching(/^\d+$/) },
      problems: [],
    });

    const v = hitmic('collection', 'verify', 'c.zip', '--json');
    expect(v.code, v.stderr).toBe(0);
    const vr = JSON.parse(v.stdout);
    expect(vr.ok).toBe(true);
    expect(vr.files[0]).toEqual({
      path: 'config.yml',
      ok: true,
      expected: expect.any(String),
      actual: expect.any(String),
    });
    expect(vr.tests).toEqual([
      { key: 'bf_focus', ok: true, max_abs_err: expect.any(Number), mismatched_ppm: 0 },
    ]);

    const a = JSON.parse(hitmic('collection', 'import', 'c.zip', '--json').stdout);
    const b = JSON.parse(hitmic('collection', 'import', 'c.zip', '--json').stdout);
    expect(a.reused).toBe(false);
    expect(b).toMatchObject({ reused: true, id: a.id, name: 'cli_test' });
    const list = hitmic('collection', 'list');
    expect(list.stdout).toContain(a.id);
    const byId = hitmic('collection', 'inspect', a.id.slice(0, 8), '--json');
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout).problems).toEqual([]);
    expect(hitmic('collection', 'remove', a.id).code).toBe(0);
    expect(JSON.parse(hitmic('collection', 'list', '--json').stdout)).toEqual([]);
  });

  it('a refused archive exits 2 with one line naming the code', () => {
    fs.writeFileSync(
      path.join(dir, 'slip.zip'),
      buildZip(minimalBundle([{ name: '../evil', data: Buffer.from('x') }])),
    );
    const r = hitmic('collection', 'import', 'slip.zip');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hitmic: Unsafe path in model collection .*\[UNSAFE_PATH_TRAVERSAL\]\n$/);
    expect(fs.existsSync(path.join(dir, 'evil'))).toBe(false);
  });

  it('verify exits 1 when a checksum fails', () => {
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    const m = {
      schema_version: 1,
      name: 'x',
      version: '1',
      created: '',
      files: [{ path: 'config.yml', size: 1, sha256: '0'.repeat(64) }],
    };
    fs.writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(m));
    fs.mkdirSync(path.join(folder, 'models'));
    fs.mkdirSync(path.join(folder, 'metadata'));
    fs.copyFileSync(
      path.join(assets, 'pi_classifier_tiny.onnx'),
      path.join(folder, 'models/PIClassifier.onnx'),
    );
    fs.writeFileSync(
      path.join(folder, 'config.yml'),
      'pi_classification:\n  model_path: models/PIClassifier.onnx\n',
    );
    const r = hitmic('collection', 'verify', 'folder', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ path: 'config.yml', ok: false });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('hitmic config validate', () => {
  it('prints {ok, diagnostics} and exits 1 on errors, 0 when valid', () => {
    const good = path.join(repo, 'test-support/configs/hitmictools-individual.yml');
    fs.writeFileSync(
      path.join(dir, 'bad.yml'),
      fs
        .readFileSync(good, 'utf8')
        .replace(
          'overlap_ratio: 0.25\n    half_precision: false\n    scaler_args: {pmin',
          'overlap_ratio: 1.5\n    half_precision: false\n    scaler_args: {pmin',
        ),
    );
    const r = hitmic('config', 'validate', 'bad.yml', '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(
      out.diagnostics.find((d: { path: string }) => d.path === 'bf_focus.inferer_args.overlap_ratio'),
    ).toEqual({
      severity: 'error',
      message: expect.stringMatching(/outside \[0, 1\)/),
      path: 'bf_focus.inferer_args.overlap_ratio',
      line: 26,
      column: 20,
      fix: expect.any(String),
    });
    expect(r.stderr).toMatch(/^hitmic: config bad\.yml has errors; first at line \d+:\d+/);
    const human = hitmic('config', 'validate', 'bad.yml');
    expect(human.stdout).toMatch(/bad\.yml:26:20: error: overlap_ratio 1\.5/);
    expect(hitmic('config', 'validate', 'nope.yml')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^hitmic: Config file not found/),
    });
  });
});
