import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, CROP_CONTEXT_MIN } from '../../src-shared/api';
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

  it("returns the run's tracks (the demo tracks): every row in its track, at its movie centroid", async () => {
    const tracks = await results.tracks(out, MOVIE);
    const raw = csvRows(path.join(out, `${MOVIE}_fl.csv`));
    const c = (n: string) => raw.columns.indexOf(n);
    expect(tracks.tracked).toBe(true);
    expect(tracks.note).toMatch(/centroid_\*_movie/);
    const byId = new Map(tracks.tracks.map((t) => [t.id, t]));
    expect(byId.size).toBe(new Set(raw.rows.map((r) => r[c('trackid')])).size);
    for (const r of raw.rows) {
      const t = byId.get(Number(r[c('trackid')]))!;
      const i = t.frames.indexOf(Number(r[c('frame')]));
      expect(t.labels[i]).toBe(Number(r[c('label')]));
      expect(t.x[i]).toBe(Number(r[c('centroid_1_movie')]));
      expect(t.y[i]).toBe(Number(r[c('centroid_0_movie')]));
      expect(t.parent).toBe(Number(r[c('parent_track_id')]));
    }
    await expect(results.tracks(out, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
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
      expect(c.data.length).toBe(c.context.width * c.context.height);
      expect(c.mask.reduce((a, b) => a + b, 0)).toBe(row[ai]);
      // The tile is about twice the object's box, centred on it.
      expect(c.context.width).toBe(Math.max(CROP_CONTEXT_MIN, 2 * Math.max(c.width, c.height)));
      expect(c.context.x).toBeLessThanOrEqual(c.x);
      expect(c.context.x + c.context.width).toBeGreaterThanOrEqual(c.x + c.width);
      expect(Math.abs(c.context.x + c.context.width / 2 - (c.x + c.width / 2))).toBeLessThanOrEqual(1);
    }
    // Its pixels are the restored plane's (channel 0) over the whole tile, the object's and around it.
    const c = set.crops[0];
    const restored = await openMovie(path.join(out, `${MOVIE}_restored.tif`));
    const plane = await restored.readPlane({ t: c.frame, c: 0 });
    await restored.close();
    let compared = 0;
    for (let y = 0; y < c.context.height; y++)
      for (let x = 0; x < c.context.width; x++) {
        const [py, px] = [c.context.y + y, c.context.x + x];
        const v = c.data[y * c.context.width + x];
        if (py < 0 || px < 0 || py >= plane.height || px >= plane.width) expect(v).toBeNaN();
        else {
          expect(v).toBe(plane.data[py * plane.width + px]);
          compared++;
        }
      }
    expect(compared).toBeGreaterThan(c.width * c.height);
    // One contrast for the whole run: the restored stack's 1–99.8 % over a sample of frames.
    expect(set.contrast).toMatchObject({ note: expect.stringMatching(/of 5 frames of the restored stack/) });
    expect(set.contrast!.max).toBeGreaterThan(set.contrast!.min);
    expect(set.moviePath).toBe(path.join(ROOT, 'resources', 'demo', 'demo_movie.tif'));
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
      expect(set.crops[0].data.length).toBe(set.crops[0].context.width * set.crops[0].context.height);
      expect(set.contrast?.note).toMatch(/analysed frames of the raw movie/);
      fs.rmSync(path.join(dir, `${MOVIE}_run.json`));
      const none = await qc.crops(dir, MOVIE, { limit: 3 });
      expect(none.source).toBe('none');
      expect(none.crops[0].data.length).toBe(0);
      expect(none.crops[0].mask.length).toBe(none.crops[0].context.width * none.crops[0].context.height);
      expect(none.contrast).toBeUndefined();
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
