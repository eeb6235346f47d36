/**
 * Loading run configs from disk: .yaml accepted, relative paths tried against the config folder and
 * the working directory, the model collection opened and checked against the pipeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../collections';
import { ConfigFileError, loadRunConfig } from './load';

const assets = path.resolve(__dirname, '../../test-support/collections');
const configs = path.resolve(__dirname, '../../test-support/configs');
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-config-load-'));
  fs.mkdirSync(path.join(dir, 'project', 'data'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'elsewhere'));
  fs.writeFileSync(
    path.join(dir, 'bundle.yml'),
    `bf_focus:\n  model_path: ${assets}/nafnet_tiny.onnx\n  model_metadata: ${assets}/nafnet_tiny.json\n  inferer_args: {scale_method: range01, patch_size: 64, overlap_ratio: 0.25}\n`,
  );
  // A collection folder whose bf_focus lacks inferer_args (create refuses to write such a ZIP).
  const noArgs = path.join(dir, 'project', 'bf_no_args');
  fs.mkdirSync(path.join(noArgs, 'models'), { recursive: true });
  fs.copyFileSync(path.join(assets, 'nafnet_tiny.onnx'), path.join(noArgs, 'models', 'bf.onnx'));
  fs.copyFileSync(path.join(assets, 'nafnet_tiny.json'), path.join(noArgs, 'models', 'bf.json'));
  fs.writeFileSync(
    path.join(noArgs, 'config.yml'),
    'bf_focus:\n  model_path: models/bf.onnx\n  model_metadata: models/bf.json\n',
  );
  await createCollection('bundle.yml', 'project/bf_only.zip', dir, { autoDate: false });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, modelCollection: string): string {
  const text = fs
    .readFileSync(path.join(configs, 'hitmictools-collection.yml'), 'utf8')
    .replace('./data/experiment_001', './data')
    .replace('./models/model_collection_tracking_20250529.zip', modelCollection);
  const file = path.join(dir, 'project', name);
  fs.writeFileSync(file, text);
  return file;
}

describe('loadRunConfig', () => {
  it('accepts .yaml like .yml (with a note that hitmictools run wants .yml) and resolves against the config folder', async () => {
    const file = write('run.yaml', './bf_only.zip');
    const r = await loadRunConfig(file, { cwd: path.join(dir, 'elsewhere') });
    expect(r.resolved.modelCollection).toBe(path.join(dir, 'project', 'bf_only.zip'));
    expect(r.diagnostics.find((d) => d.severity === 'info')?.message).toMatch(/rejects \.yaml/);
    // Found beside the config only: HiTMicTools, run from elsewhere, would not find it.
    expect(
      r.diagnostics.find((d) => d.path === 'models.model_collection' && d.severity === 'warning')?.message,
    ).toMatch(/would not find it/);
  });

  it('opens the collection and names the models the pipeline needs that it lacks', async () => {
    const r = await loadRunConfig(write('run.yml', './bf_only.zip'), { cwd: path.join(dir, 'project') });
    const d = r.diagnostics.find((x) => x.path === 'models.model_collection' && x.severity === 'error');
    expect(d?.message).toMatch(
      /lacks fl_focus, segmentation, cell_classifier, pi_classification, which ASCT_focusrestore needs/,
    );
    expect(d?.line).toBe(21);
    expect(r.ok).toBe(false);
  });

  it('reports a missing collection with both places it looked', async () => {
    const r = await loadRunConfig(write('missing.yml', './nope.zip'), { cwd: path.join(dir, 'elsewhere') });
    expect(r.diagnostics.find((d) => d.path === 'models.model_collection')?.message).toMatch(
      /not found \(looked at .*project\/nope\.zip and .*elsewhere\/nope\.zip\)/,
    );
  });

  it('refuses an unreadable file with ConfigFileError, and never throws on YAML errors', async () => {
    await expect(loadRunConfig(path.join(dir, 'absent.yml'))).rejects.toBeInstanceOf(ConfigFileError);
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, 'input_data: [\n');
    const r = await loadRunConfig(bad);
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0].message).toMatch(/YAML syntax/);
  });
});

describe('loadRunConfig checks the models the run needs as `collection inspect` does', () => {
  it('calls a model without the inferer_args HiTMicTools requires an error, not OK', async () => {
    const r = await loadRunConfig(write('run-bf.yml', './bf_no_args'), { cwd: path.join(dir, 'project') });
    const problems = r.diagnostics.filter(
      (x) => x.path === 'models.model_collection' && x.severity === 'error',
    );
    expect(problems.map((d) => d.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/bf_focus model: bf_focus has no inferer_args/)]),
    );
    expect(problems.find((d) => /inferer_args/.test(d.message))?.fix).toMatch(/Add inferer_args/);
  });

  it('names the tensor of a .pth that does not match its model_args, whole, with the fix', async () => {
    const folder = path.join(dir, 'project', 'bf_wrong_pth');
    fs.mkdirSync(path.join(folder, 'models'), { recursive: true });
    fs.copyFileSync(path.join(assets, 'nafnet_tiny_wrong.pth'), path.join(folder, 'models', 'bf.pth'));
    fs.copyFileSync(path.join(assets, 'nafnet_tiny.json'), path.join(folder, 'models', 'bf.json'));
    fs.writeFileSync(
      path.join(folder, 'config.yml'),
      'bf_focus:\n  model_path: models/bf.pth\n  model_metadata: models/bf.json\n  inferer_args: {scale_method: range01, patch_size: 64, overlap_ratio: 0.25}\n',
    );
    const r = await loadRunConfig(write('run-wrong.yml', './bf_wrong_pth'), {
      cwd: path.join(dir, 'project'),
    });
    const d = r.diagnostics.find(
      (x) => x.path === 'models.model_collection' && /bf_focus model/.test(x.message),
    );
    expect(d?.severity).toBe('error');
    expect(d?.message).toMatch(/bf_focus model: .*missing from the checkpoint: intro\.weight/);
    expect(d?.fix).toBeTruthy();
    expect(d?.message).not.toMatch(/:\s*$/);
  });
});
