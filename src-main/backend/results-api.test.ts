import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api';
import { openMovie } from '../io';
import { parseCsv } from '../io';
import { API_METHODS } from '../../src-shared/api';
import { withApiErrors } from '../api-errors';
import { createQcApi, createResultsApi } from './results-api';

const ROOT = path.resolve(__dirname, '../..');
let out = '';
const MOVIE = 'demo_movie';
// As the backend binds them: domain errors reach callers as ApiErrors.
const results = withApiErrors(createResultsApi(), API_METHODS.results);
const qc = withApiErrors(createQcApi(), API_METHODS.qc);

beforeAll(() => {
  // A real run: the bundled demo through the real CLI (compiled by the global setup).
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-results-qc-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'hitmic.js'), 'demo', '--output', out], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`hitmic demo failed: ${r.stderr}`);
}, 180_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const csvRows = (file: string) => parseCsv(fs.readFileSync(file, 'utf8'));

describe('results of a real run', () => {
  it('returns the per-cell table as written, with numbers typed', async () => {
    const t = await results.cells(out, MOVIE);
    const raw = csvRows(path.join(out, `${MOVIE}_fl.csv`));
    expect(t.columns).toEqual(raw.columns);
    expect(t.rows.length).toBe(raw.rows.length);
    expect(t.rows.length).toBeGreaterThan(100);
    const li = t.columns.indexOf('label');
    const ci = t.columns.indexOf('object_class');
    expect(typeof t.rows[0][li]).toBe('number');
    expect(t.rows[0][li]).toBe(Number(raw.rows[0][li]));
    expect(t.rows[0][ci]).toBe(raw.rows[0][ci]);
    const di = t.columns.indexOf('date_time');
    expect(t.rows[0][di]).toBeNull(); // the demo has no timestamps: empty field
  });

  it('returns the summary table', async () => {
    const s = await results.summary(out, MOVIE);
    expect(s.columns).toContain('total_count');
    expect(s.rows.length).toBe(csvRows(path.join(out, `${MOVIE}_summary.csv`)).rows.length);
  });

  it("says where the run's analysis frame lies in the movie (the demo does not align: in place)", async () => {
    const reg = await results.registration(out, MOVIE);
    expect(reg).toMatchObject({
      kind: 'unaligned',
      exact: true,
      movieSize: { width: 512, height: 512 },
      analysisSize: { width: 512, height: 512 },
      crop: null,
      shifts: [],
    });
    await expect(results.registration(out, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('names the movies that are there when the one asked for is not', async () => {
    const err = (await results.cells(out, 'nope').catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('NOT_FOUND');
    expect(err.details?.moviesHere).toEqual([MOVIE]);
    await expect(results.cells(out, '../etc')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(results.cells(path.join(out, 'missing'), MOVIE)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

describe('QC crops', () => {
  it('cuts masked crops of the restored bright field, lowest confidence first', async () => {
    const set = await qc.crops(out, MOVIE, { limit: 50 });
    const table = await results.cells(out, MOVIE);
    expect(set.source).toBe('restored');
    expect(set.total).toBe(table.rows.length);
    expect(set.matched).toBe(table.rows.length);
    expect(set.crops).toHaveLength(50);
    expect(set.classes.slice(0, 5)).toEqual(['single-cell', 'clump', 'noise', 'off-focus', 'joint-cell']);
    const conf = set.crops.map((c) => c.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => a - b));
    const probs = table.rows
      .map((r) => r[table.columns.indexOf('class_prob')] as number)
      .sort((a, b) => a - b);
    expect(conf[0]).toBe(probs[0]);
    // Each crop's mask holds exactly the object's pixels: as many as its area in the table.
    const ai = table.columns.indexOf('area');
    const li = table.columns.indexOf('label');
    for (const c of set.crops.slice(0, 10)) {
      const row = table.rows.find((r) => r[li] === c.label)!;
      expect(c.data.length).toBe(c.width * c.height);
      expect(c.data.filter((v) => !Number.isNaN(v)).length).toBe(row[ai]);
    }
    // And its pixels are the restored plane's (channel 0) at the box.
    const c = set.crops[0];
    const restored = await openMovie(path.join(out, `${MOVIE}_restored.tif`));
    const plane = await restored.readPlane({ t: c.frame, c: 0 });
    await restored.close();
    const k = c.data.findIndex((v) => !Number.isNaN(v));
    const y = Math.floor(k / c.width);
    const x = k % c.width;
    expect(c.data[k]).toBe(plane.data[(c.y + y) * plane.width + c.x + x]);
  });

  it('filters by class, frame range, confidence and PI status', async () => {
    const set = await qc.crops(out, MOVIE, {
      className: 'noise',
      frameMin: 5,
      frameMax: 9,
      maxConfidence: 0.99,
      limit: 1000,
    });
    expect(set.crops.length).toBeGreaterThan(0);
    expect(set.matched).toBe(set.crops.length);
    for (const c of set.crops) {
      expect(c.className).toBe('noise');
      expect(c.frame).toBeGreaterThanOrEqual(5);
      expect(c.frame).toBeLessThanOrEqual(9);
      expect(c.confidence).toBeLessThanOrEqual(0.99);
    }
    const pos = await qc.crops(out, MOVIE, { pi: 'positive', limit: 1000 });
    expect(pos.crops.length).toBeGreaterThan(0);
    expect(pos.crops.every((c) => c.piClass === 'piPOS')).toBe(true);
    const neg = await qc.crops(out, MOVIE, { pi: 'negative', limit: 0 });
    expect(neg.matched + pos.matched).toBe(pos.total);
    await expect(qc.crops(out, MOVIE, { pi: 'maybe' as 'any' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('falls back to the raw movie named in run.json when there is no restored stack', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-qc-raw-'));
    try {
      for (const s of ['_fl.csv', '_labels.tif', '_run.json'])
        fs.copyFileSync(path.join(out, `${MOVIE}${s}`), path.join(dir, `${MOVIE}${s}`));
      const set = await qc.crops(dir, MOVIE, { limit: 3 });
      expect(set.source).toBe('raw');
      expect(set.crops[0].data.length).toBe(set.crops[0].width * set.crops[0].height);
      fs.rmSync(path.join(dir, `${MOVIE}_run.json`));
      const none = await qc.crops(dir, MOVIE, { limit: 3 });
      expect(none.source).toBe('none');
      expect(none.crops[0].data.length).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('QC corrections', () => {
  it('saves relabels beside the run, undoes them, and exports CSV', async () => {
    const [a, b] = (await qc.crops(out, MOVIE, { className: 'single-cell', limit: 2 })).crops;
    const held = await qc.relabel(out, MOVIE, [
      { frame: a.frame, label: a.label, oldClass: 'ignored', newClass: 'clump' },
      { frame: b.frame, label: b.label, oldClass: 'single-cell', newClass: 'noise' },
    ]);
    expect(held).toHaveLength(2);
    expect(held.find((c) => c.label === a.label)).toMatchObject({
      oldClass: 'single-cell',
      newClass: 'clump',
    });
    const file = path.join(out, `${MOVIE}_qc_corrections.json`);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).corrections).toHaveLength(2);
    expect((await qc.crops(out, MOVIE, { limit: 1 })).corrections).toHaveLength(2);

    // Back to the original class removes the correction.
    const after = await qc.relabel(out, MOVIE, [
      { frame: b.frame, label: b.label, oldClass: 'noise', newClass: 'single-cell' },
    ]);
    expect(after.map((c) => c.label)).toEqual([a.label]);

    const countsOnly = await qc.crops(out, MOVIE, { limit: 0 });
    expect(countsOnly.crops).toEqual([]);
    expect(countsOnly.corrections).toEqual(after);

    const exp = await qc.exportCorrections(out, MOVIE);
    expect(exp.path).toBe(path.join(out, `${MOVIE}_qc_corrections.csv`));
    expect(exp.count).toBe(1);
    const csv = csvRows(exp.path);
    expect(csv.columns).toEqual(['frame', 'label', 'old_class', 'new_class']);
    expect(csv.rows).toEqual([[String(a.frame), String(a.label), 'single-cell', 'clump']]);
    expect(exp.csv).toBe(fs.readFileSync(exp.path, 'utf8'));
  });

  it('refuses corrections for objects or classes that do not exist', async () => {
    await expect(
      qc.relabel(out, MOVIE, [{ frame: 0, label: 999_999, oldClass: 'x', newClass: 'clump' }]),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const [a] = (await qc.crops(out, MOVIE, { limit: 1 })).crops;
    await expect(
      qc.relabel(out, MOVIE, [{ frame: a.frame + 1, label: a.label, oldClass: 'x', newClass: 'clump' }]),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      qc.relabel(out, MOVIE, [{ frame: a.frame, label: a.label, oldClass: 'x', newClass: 'bacterium' }]),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
