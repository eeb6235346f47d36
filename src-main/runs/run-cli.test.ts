import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  backgroundLevel,
  basicFlatfieldAtSize,
  BasicStack,
  correctBasicTimelapse,
  fitBasic,
} from '../analysis';
import { openMovie } from '../io';
import { parseCsv } from '../io';
import { FL_COLUMNS } from '../results';

/** `hitmic run` and `hitmic demo` end to end: real worker processes, real models, real TIFFs. */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const DEMO = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');
const COLLECTION = path.join(ROOT, 'models', 'demo-collection');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-run-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function hitmic(args: string[], cwd = tmp) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, TMPDIR: tmp },
  });
}

function config(input: string, output: string, extra = ''): string {
  const file = path.join(tmp, `config-${path.basename(output)}.yml`);
  fs.writeFileSync(
    file,
    `input_data:
  input_folder: ${JSON.stringify(input)}
  output_folder: ${JSON.stringify(output)}
  file_type: .tif
  file_pattern: ""
  export_labelled_masks: true
pipeline_setup:
  name: ASCT_focusrestore
  parallel_processing: true
  num_workers: 2
  reference_channel: 0
  pi_channel: 1
  align_frames: false
  method: standard
  focus_correction: true
  tracking: true
models:
  model_collection: ${JSON.stringify(COLLECTION)}
tracking:
  backend: hungarian
  version: v5
${extra}`,
  );
  return file;
}

describe('hitmic demo', () => {
  it('runs the bundled demo under a minute and meets the accuracy targets against ground truth', () => {
    const out = path.join(tmp, 'demo');
    const r = hitmic(['demo', '--evaluate', '--json', '--output', out]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      movies: { ok: boolean; frames: number; objects: number; outputs: Record<string, string> }[];
      previews: Record<string, string>;
      evaluation: { f1: number; linkAccuracy: number; piAccuracy: number; classAccuracy: number };
    };
    const [movie] = report.movies;
    expect(movie.ok).toBe(true);
    expect(movie.frames).toBe(20);
    expect(report.evaluation.f1).toBeGreaterThanOrEqual(0.9);
    expect(report.evaluation.linkAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.evaluation.piAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.evaluation.classAccuracy).toBeGreaterThanOrEqual(0.8);
    for (const png of Object.values(report.previews))
      expect(fs.readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const cells = parseCsv(fs.readFileSync(movie.outputs.cells, 'utf8'));
    expect(cells.columns).toEqual([...FL_COLUMNS]);
    expect(cells.rows).toHaveLength(movie.objects);
    expect(new Set(cells.rows.map((row) => row[cells.columns.indexOf('pi_class')]))).toEqual(
      new Set(['piNEG', 'piPOS']),
    );
    const summary = parseCsv(fs.readFileSync(movie.outputs.summary, 'utf8'));
    expect(summary.columns).toEqual([
      'file',
      'frame',
      'channel',
      'date_time',
      'timestep',
      'abslag_in_s',
      'object_class',
      'total_count',
      'pi_class_neg',
      'pi_class_pos',
      'area_pineg',
      'area_pipos',
      'area_total',
    ]);
    const run = JSON.parse(fs.readFileSync(movie.outputs.run, 'utf8')) as Record<string, unknown>;
    expect(run.app).toBe('hitmic-studio');
    expect(run.execution_provider).toBe('cpu');
    expect(Object.keys(run.timings_ms as object)).toEqual(
      expect.arrayContaining(['bf_focus', 'segmentation', 'classification']),
    );
  }, 240_000);

  it('writes instance labels that match the table', async () => {
    const out = path.join(tmp, 'demo');
    const labels = await openMovie(path.join(out, 'demo_movie_labels.tif'));
    try {
      expect(labels.info.shape).toMatchObject({ t: 20, c: 1, y: 512, x: 512 });
      expect(labels.info.dtype).toBe('uint16');
      const frame0 = (await labels.readPlane({ t: 0, c: 0 })).data;
      const ids = new Set(Array.from(frame0).filter((v) => v > 0));
      const cells = parseCsv(fs.readFileSync(path.join(out, 'demo_movie_fl.csv'), 'utf8'));
      const fi = cells.columns.indexOf('frame');
      const li = cells.columns.indexOf('label');
      const rows0 = cells.rows.filter((r) => r[fi] === '0').map((r) => Number(r[li]));
      expect(new Set(rows0)).toEqual(ids);
    } finally {
      await labels.close();
    }
  });
});

describe('hitmic run', () => {
  it('analyses a folder, fails a corrupt movie alone, and skips what is done', () => {
    const input = path.join(tmp, 'movies');
    fs.mkdirSync(input);
    fs.copyFileSync(DEMO, path.join(input, 'well_A.tif'));
    fs.writeFileSync(path.join(input, 'well_B.tif'), fs.readFileSync(DEMO).subarray(0, 4000)); // truncated
    const out = path.join(tmp, 'out-batch');
    const cfg = config(input, out);
    const r = hitmic(['run', cfg, '--frames', '0:3', '--json']);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {
      movies: { file: string; ok: boolean; error?: string; frames?: number }[];
    };
    const byName = Object.fromEntries(report.movies.map((m) => [path.basename(m.file), m]));
    expect(byName['well_A.tif'].ok).toBe(true);
    expect(byName['well_A.tif'].frames).toBe(3);
    expect(byName['well_B.tif'].ok).toBe(false);
    expect(byName['well_B.tif'].error).toMatch(/well_B\.tif/);
    expect(fs.existsSync(path.join(out, 'well_A_fl.csv'))).toBe(true);
    expect(fs.readdirSync(out).filter((f) => f.startsWith('well_B'))).toEqual([]);
    const again = hitmic(['run', cfg, '--frames', '0:3', '--json']);
    const second = JSON.parse(again.stdout) as { skipped: string[]; movies: { file: string }[] };
    expect(second.skipped.map((f) => path.basename(f))).toEqual(['well_A.tif']);
    expect(second.movies.map((m) => path.basename(m.file))).toEqual(['well_B.tif']);
  }, 240_000);

  it('leaves nothing that looks complete when cancelled midway', async () => {
    const out = path.join(tmp, 'out-cancel');
    const cfg = config(path.dirname(DEMO), out).replace(/\.yml$/, '.yml');
    fs.writeFileSync(
      cfg,
      fs.readFileSync(cfg, 'utf8').replace('file_pattern: ""', 'file_pattern: demo_movie'),
    );
    const child = spawn(process.execPath, [BIN, 'run', cfg, '--force'], {
      cwd: tmp,
      env: { ...process.env, TMPDIR: tmp },
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress in 120 s: ${stderr}`)), 120_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/frames [1-9]\d*\/20/.test(stderr) || /demo_movie: frames/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).not.toBe(0);
    const left = fs.existsSync(out) ? fs.readdirSync(out) : [];
    expect(left.filter((f) => /_(fl|summary)\.csv$|_labels\.tif$|_run\.json$/.test(f))).toEqual([]);
    expect(left.filter((f) => f.includes('.partial'))).toEqual([]);
  }, 180_000);

  it('flat-fields the fluorescence with BaSiC for method basicpy_fl: no fallback, intensities in corrected units', async () => {
    const out = path.join(tmp, 'out-basic');
    const cfg = config(path.dirname(DEMO), out).replace(/\.yml$/, '.yml');
    fs.writeFileSync(
      cfg,
      fs
        .readFileSync(cfg, 'utf8')
        .replace('method: standard', 'method: basicpy_fl')
        .replace('focus_correction: true', 'focus_correction: false') // measure the corrected PI frames themselves
        .replace('file_pattern: ""', 'file_pattern: demo_movie'),
    );
    const r = hitmic(['run', cfg, '--frames', '0:5', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const run = JSON.parse(fs.readFileSync(path.join(out, 'demo_movie_run.json'), 'utf8')) as {
      warnings: string[];
      background_correction: Record<string, unknown> & { basic_fluorescence: Record<string, number> };
    };
    expect(run.warnings.filter((w) => /not available|uncorrected|not flat-field|instead/i.test(w))).toEqual(
      [],
    );
    // After the baseline subtraction the 10th-percentile background is negative: said once, then counted.
    expect(run.warnings.filter((w) => /is negative/.test(w))).toHaveLength(1);
    expect(run.warnings).toContain(
      '4 more frame(s) had a zero or negative background, with the same effect on their relative intensities',
    );
    expect(run.background_correction).toMatchObject({
      method: 'basicpy_fl',
      brightfield: 'standard',
      fluorescence: 'basic',
    });
    // The same fit, made here from the raw PI planes of the frames analysed, must give the table's numbers.
    const movie = await openMovie(DEMO);
    const labelsTif = await openMovie(path.join(out, 'demo_movie_labels.tif'));
    try {
      const { x: W, y: H } = movie.info.shape;
      const raw: Float32Array[] = [];
      const stack = new BasicStack(W, H, 5);
      for (let t = 0; t < 5; t++) {
        raw.push(Float32Array.from((await movie.readPlane({ t, c: 1 })).data as ArrayLike<number>));
        stack.add(raw[t]);
      }
      const fit = fitBasic(stack);
      expect(run.background_correction.basic_fluorescence.baseline_min).toBeCloseTo(
        Math.min(...fit.baseline),
        3,
      );
      expect(run.background_correction.basic_fluorescence.baseline_max).toBeCloseTo(
        Math.max(...fit.baseline),
        3,
      );
      const flat = basicFlatfieldAtSize(fit, W, H);
      const cells = parseCsv(fs.readFileSync(path.join(out, 'demo_movie_fl.csv'), 'utf8'));
      const col = (c: string) => cells.columns.indexOf(c);
      const t = 3;
      const corrected = correctBasicTimelapse(raw[t], flat, fit.baseline[t]);
      const labels = (await labelsTif.readPlane({ t, c: 0 })).data as Uint16Array;
      const rows = cells.rows.filter((row) => row[col('frame')] === String(t));
      expect(rows.length).toBeGreaterThan(20);
      const sums = new Map<number, { s: number; n: number }>();
      labels.forEach((l, i) => {
        if (!l) return;
        const e = sums.get(l) ?? { s: 0, n: 0 };
        e.s += corrected[i];
        e.n++;
        sums.set(l, e);
      });
      for (const row of rows) {
        const e = sums.get(Number(row[col('label')]))!;
        expect(Number(row[col('mean_intensity')])).toBeCloseTo(e.s / e.n, 3);
      }
      // Background in BaSiC units: counts ÷ flat field − the frame's baseline. The demo's flat field is
      // within 2 % of 1 and its baseline is the mean background, so the 10th percentile lands below 0.
      const background = Number(rows[0][col('background')]);
      expect(background).toBeCloseTo(backgroundLevel(corrected, labels, W, H), 3);
      expect(background).toBeLessThan(0);
      const rawBackground = backgroundLevel(raw[t], labels, W, H);
      expect(Math.abs(background + fit.baseline[t] - rawBackground)).toBeLessThan(0.05 * rawBackground);
    } finally {
      await movie.close();
      await labelsTif.close();
    }
  }, 180_000);

  it('runs oof_detection on the first frame: detections near the out-of-focus cells', () => {
    const out = path.join(tmp, 'out-oof');
    const cfg = config(path.dirname(DEMO), out).replace(/\.yml$/, '.yml');
    fs.writeFileSync(
      cfg,
      fs
        .readFileSync(cfg, 'utf8')
        .replace('name: ASCT_focusrestore', 'name: oof_detection')
        .replace('file_pattern: ""', 'file_pattern: demo_movie'),
    );
    const r = hitmic(['run', cfg, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const table = parseCsv(fs.readFileSync(path.join(out, 'demo_movie_oof_summary.csv'), 'utf8'));
    expect(table.columns).toEqual(['object_class', 'x', 'y', 'source', 'score']);
    const detections = table.rows.filter((row) => row[3] === 'oof_detector');
    expect(detections.length).toBeGreaterThan(0);
    expect(table.rows.filter((row) => row[3] === 'standard').length).toBeGreaterThan(20);
    const truth = parseCsv(fs.readFileSync(path.join(path.dirname(DEMO), 'demo_truth.csv'), 'utf8'));
    const offFocus = truth.rows
      .filter((row) => row[0] === '0' && row[3] === 'off-focus')
      .map((row) => [Number(row[8]), Number(row[7])]);
    // Every detection box is a 16 px grid cell; at least one must hold a true out-of-focus cell.
    const hits = detections.filter(([, x, y]) =>
      offFocus.some(([tx, ty]) => Math.abs(tx - Number(x)) <= 12 && Math.abs(ty - Number(y)) <= 12),
    );
    expect(hits.length).toBeGreaterThan(0);
  }, 120_000);

  it('runs ASCT_scsegm with a DETR-contract instance segmenter: per-frame labels, classes from class_dict, lock-in', () => {
    // A collection whose sc_segmenter is the tiny DETR-contract model of test-support (it finds
    // bright foreground per 16 px quadrant and calls it by area) — real ONNX, real pipeline.
    const coll = path.join(tmp, 'sc-collection');
    for (const d of ['models', 'metadata']) fs.mkdirSync(path.join(coll, d), { recursive: true });
    const keep = ['NAFNet-bf_focus_restoration', 'NAFNet-fl_focus_restoration', 'PIClassifier'];
    for (const stem of keep) {
      fs.copyFileSync(
        path.join(COLLECTION, 'models', `${stem}.onnx`),
        path.join(coll, 'models', `${stem}.onnx`),
      );
      fs.copyFileSync(
        path.join(COLLECTION, 'metadata', `${stem}.json`),
        path.join(coll, 'metadata', `${stem}.json`),
      );
    }
    fs.copyFileSync(
      path.join(ROOT, 'test-support', 'models', 'detr_tiny.onnx'),
      path.join(coll, 'models', 'RFDETRSegm-sc_segmenter.onnx'),
    );
    fs.writeFileSync(
      path.join(coll, 'metadata', 'RFDETRSegm-sc_segmenter.json'),
      JSON.stringify({ model_type: 'rfdetrsegpreview' }),
    );
    const demoConfig = fs.readFileSync(path.join(COLLECTION, 'config.yml'), 'utf8');
    const section = (key: string) => demoConfig.slice(demoConfig.indexOf(`${key}:`)).split(/\n(?=\S)/)[0];
    fs.writeFileSync(
      path.join(coll, 'config.yml'),
      [
        section('bf_focus'),
        section('fl_focus'),
        section('pi_classification'),
        'sc_segmenter:\n  model_path: models/RFDETRSegm-sc_segmenter.onnx\n  model_metadata: metadata/RFDETRSegm-sc_segmenter.json\n  inferer_args:\n    patch_size: 32\n    overlap_ratio: 0.25\n    score_threshold: 0.4\n    batch_size: 16\n    class_dict: {0: single-cell, 1: clump, 2: debris}\n',
      ].join('\n'),
    );
    const out = path.join(tmp, 'out-sc');
    const cfg = config(path.dirname(DEMO), out).replace(/\.yml$/, '.yml');
    fs.writeFileSync(
      cfg,
      fs
        .readFileSync(cfg, 'utf8')
        .replace('name: ASCT_focusrestore', 'name: ASCT_scsegm')
        .replace('file_pattern: ""', 'file_pattern: demo_movie')
        .replace(JSON.stringify(COLLECTION), JSON.stringify(coll)),
    );
    const r = hitmic(['run', cfg, '--frames', '0:3', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const cells = parseCsv(fs.readFileSync(path.join(out, 'demo_movie_fl.csv'), 'utf8'));
    expect(cells.columns).toEqual([...FL_COLUMNS]);
    const col = (c: string) => cells.rows.map((row) => row[cells.columns.indexOf(c)]);
    expect(cells.rows.length).toBeGreaterThan(10);
    for (const c of col('object_class')) expect(['single-cell', 'clump', 'debris']).toContain(c);
    // Labels restart at 1 in every frame, as HiTMicTools' sc pipelines number them.
    for (const f of ['0', '1', '2'])
      expect(Math.min(...cells.rows.filter((row) => row[1] === f).map((row) => Number(row[0])))).toBe(1);
    // piPOS lock-in: along each track, nothing is piNEG after a piPOS.
    const byTrack = new Map<string, string[]>();
    cells.rows
      .map((row) => ({
        track: row[cells.columns.indexOf('trackid')],
        frame: Number(row[1]),
        pi: row[cells.columns.indexOf('pi_class')],
      }))
      .sort((a, b) => a.frame - b.frame)
      .forEach((o) => byTrack.set(o.track, [...(byTrack.get(o.track) ?? []), o.pi]));
    for (const seq of byTrack.values())
      expect(seq.slice(seq.indexOf('piPOS') < 0 ? seq.length : seq.indexOf('piPOS'))).not.toContain('piNEG');
  }, 180_000);

  it('refuses a config with errors, naming file:line:column', () => {
    const bad = path.join(tmp, 'bad.yml');
    fs.writeFileSync(
      bad,
      fs
        .readFileSync(config(tmp, path.join(tmp, 'never')), 'utf8')
        .replace('reference_channel: 0', 'reference_channel: zero'),
    );
    const r = hitmic(['run', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.yml:\d+:\d+: error: .*reference_channel/);
  });
});
