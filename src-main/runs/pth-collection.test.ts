import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollection } from '../collections';
import { parseCsv } from '../io';
import { writeDemoRunConfig } from '../../test-support/demo-run-config';

/**
 * Issue 13's acceptance: a HiTMicTools-layout ZIP holding only PyTorch `.pth` models and a
 * scikit-learn PI classifier (models/demo-variants) runs end to end with `hitmic run`, with no
 * Python on the PATH; it gives the same labels and classes as the ONNX export of the same weights
 * (models/demo-collection), and the PI labels scikit-learn itself predicts on the run's features
 * (models/demo-variants/pi-reference.csv, made by scripts/make-demo-variants.py predict).
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const VARIANTS = path.join(ROOT, 'models', 'demo-variants');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-pth-run-'));
const library = path.join(tmp, 'library');
// A PATH with node alone (node lives beside python3 in /usr/bin on Debian).
const nodeOnly = path.join(tmp, 'bin');
let zip: string;

beforeAll(async () => {
  fs.mkdirSync(nodeOnly);
  fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));
  zip = (
    await createCollection(path.join(VARIANTS, 'pth-collection.yml'), path.join(tmp, 'demo-pth.zip'), tmp, {
      autoDate: false,
    })
  ).output;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** `hitmic run` on frames 0–5 of the demo movie with a PATH holding node only: no python anywhere. */
function run(collection: string, name: string): { out: string; stderr: string; code: number | null } {
  const out = path.join(tmp, name);
  const config = writeDemoRunConfig(path.join(tmp, `${name}.yml`), {
    output: out,
    collection,
    exportLabels: true,
    tracking: true,
    extra: 'tracking:\n  backend: hungarian\n  version: v5\n  parameters:\n    max_distance: 15.0\n',
  });
  const r = spawnSync(process.execPath, [BIN, 'run', config, '--frames', '0:6', '--force'], {
    encoding: 'utf8',
    timeout: 300_000,
    env: { HOME: tmp, TMPDIR: tmp, HITMIC_LIBRARY: library, PATH: nodeOnly },
  });
  return { out, stderr: r.stderr, code: r.status };
}

function table(file: string): Map<string, Record<string, string>> {
  const t = parseCsv(fs.readFileSync(file, 'utf8'));
  const rows = new Map<string, Record<string, string>>();
  for (const row of t.rows) {
    const r = Object.fromEntries(t.columns.map((h, i) => [h, row[i]]));
    rows.set(`${r.frame}/${r.label}`, r);
  }
  return rows;
}

describe('a collection of .pth models and a scikit-learn PI classifier', () => {
  it('runs with no Python, like the ONNX export of the same weights, with scikit-learn’s PI labels', () => {
    expect(
      spawnSync('/bin/sh', ['-c', 'command -v python3 python'], {
        env: { PATH: nodeOnly },
      }).stdout.toString(),
    ).toBe('');
    const pth = run(zip, 'pth');
    expect(pth.code, pth.stderr).toBe(0);
    const onnx = run(path.join(ROOT, 'models', 'demo-collection'), 'onnx');
    expect(onnx.code, onnx.stderr).toBe(0);

    // Same weights, converted here or exported by torch: the same objects, the same classes.
    expect(fs.readFileSync(path.join(pth.out, 'demo_movie_labels.tif'))).toEqual(
      fs.readFileSync(path.join(onnx.out, 'demo_movie_labels.tif')),
    );
    const ours = table(path.join(pth.out, 'demo_movie_fl.csv'));
    const exported = table(path.join(onnx.out, 'demo_movie_fl.csv'));
    expect([...ours.keys()]).toEqual([...exported.keys()]);
    for (const [k, r] of ours) expect(r.object_class, k).toBe(exported.get(k)?.object_class);

    // scikit-learn's own predictions on these features (made offline by the script).
    const reference = table(path.join(VARIANTS, 'pi-reference.csv'));
    expect(reference.size).toBe(ours.size);
    const features = ['mean_intensity', 'max_intensity', 'roi_std_dev', 'area', 'rel_mean_intensity'];
    let positives = 0;
    for (const [k, want] of reference) {
      const got = ours.get(k);
      if (!got) throw new Error(`object ${k} of the reference is not in the run`);
      for (const f of features) {
        // A feature drifting means the pipeline changed: rerun scripts/make-demo-variants.py predict.
        expect(Math.abs(Number(got[f]) - Number(want[f])), `${k} ${f}`).toBeLessThanOrEqual(
          1e-5 * Math.max(1, Math.abs(Number(want[f]))),
        );
      }
      expect(got.pi_class, k).toBe(want.pi_class);
      expect(Math.abs(Number(got.pi_prob) - Number(want.pi_prob)), k).toBeLessThanOrEqual(1e-6);
      if (want.pi_class === 'piPOS') positives++;
    }
    expect(positives).toBeGreaterThan(0);

    // Provenance: what each model was converted from, by what, and the ONNX that ran.
    const runJson = JSON.parse(fs.readFileSync(path.join(pth.out, 'demo_movie_run.json'), 'utf8')) as {
      models: Record<string, { weights: string; converted_from?: Record<string, unknown> }>;
    };
    const seg = runJson.models.segmentation;
    const pthBytes = fs.readFileSync(
      path.join(ROOT, 'models/demo-collection/models/MonaiUnet-segmentation.pth'),
    );
    expect(seg.converted_from).toMatchObject({
      sha256: crypto.createHash('sha256').update(pthBytes).digest('hex'),
      architecture: 'MonaiUnet',
      converter: expect.stringMatching(/^HiTMic Studio /),
      converter_version: expect.any(String),
      onnx_sha256: crypto.createHash('sha256').update(fs.readFileSync(seg.weights)).digest('hex'),
    });
    expect(path.dirname(seg.weights)).toBe(path.join(library, '.converted'));
    expect(runJson.models.cell_classifier.converted_from).toMatchObject({ crop_size: 32 });
    expect(runJson.models.pi_classification.converted_from).toBeUndefined();
  });
});
