import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisOrigin, placementWarnings, type Point } from '../../src-shared/results';
import { layerPixelAt, type Translate } from '../../src-shared/viewer';
import type { RunRegistration } from '../../src-shared/api';
import { applyShift } from '../analysis';
import { HyperstackWriter, openMovie, parseCsv, type Movie } from '../io';
import { cutCrops, movieRegistration, movieResults } from './index';

/**
 * An aligned run drawn and cropped in register: a movie with known drift (frame 0 of the demo
 * movie moved by whole and fractional pixels per frame, both channels), analysed by the real
 * `hitmic run` with `align_frames: true` as the config template has it; then every single cell of
 * the demo's ground truth is looked up where it really is in each frame of that movie — through
 * the run's labels placed as the Viewer places them, the table's movie columns and the QC crops.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'hitmic.js');
const DEMO = path.join(ROOT, 'resources', 'demo');
const COLLECTION = path.join(ROOT, 'models', 'demo-collection');
const NAME = 'drift_movie';
/** The content of frame t is frame 0 moved by (+x, +y) movie pixels. */
const DRIFT: Point[] = [
  { x: 0, y: 0 },
  { x: 3, y: -2 },
  { x: -4.5, y: 2.25 },
  { x: 6.25, y: -5.5 },
  { x: -2.75, y: 4 },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-register-'));
const movieDir = path.join(tmp, 'movies');
const out = path.join(tmp, 'out'); // with the restored stack
const rawOut = path.join(tmp, 'out-raw'); // the same run without it: QC cuts the raw movie
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface TruthCell {
  label: number;
  /** Pixels (movie index y·W + x) of the cell in frame 0. */
  pixels: number[];
  centroid: Point;
}

let W = 0;
let H = 0;
let cells: TruthCell[] = [];

/** The drifted movie, written with the app's own writer from the demo movie's frame 0. */
async function makeDriftedMovie(): Promise<void> {
  const demo = await openMovie(path.join(DEMO, 'demo_movie.tif'));
  try {
    ({ x: W, y: H } = demo.info.shape);
    const planes = [0, 1].map(async (c) => Float32Array.from((await demo.readPlane({ t: 0, c })).data));
    const [bf, pi] = await Promise.all(planes);
    fs.mkdirSync(movieDir, { recursive: true });
    const w = await HyperstackWriter.create(path.join(movieDir, `${NAME}.tif`), {
      width: W,
      height: H,
      dtype: 'uint16',
      channels: 2,
      frames: DRIFT.length,
      pixelSizeUm: demo.info.pixelSizeUm,
      frameIntervalS: 600,
    });
    for (const d of DRIFT)
      for (const plane of [bf, pi])
        await w.writePlane(Uint16Array.from(applyShift(plane, W, H, d.x, d.y), (v) => Math.round(v)));
    await w.close();
  } finally {
    await demo.close();
  }
}

/** Ground-truth single cells of frame 0 far enough from the edges to stay in the crop in every frame. */
async function truthCells(): Promise<TruthCell[]> {
  const truth = parseCsv(fs.readFileSync(path.join(DEMO, 'demo_truth.csv'), 'utf8'));
  const col = (c: string) => truth.columns.indexOf(c);
  const single = new Set(
    truth.rows
      .filter((r) => r[col('frame')] === '0' && r[col('class_name')] === 'single-cell')
      .map((r) => Number(r[col('label')])),
  );
  const labels = await openMovie(path.join(DEMO, 'demo_truth_labels.tif'));
  const plane = (await labels.readPlane({ t: 0, c: 0 })).data;
  await labels.close();
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < plane.length; i++) {
    const l = Number(plane[i]);
    if (single.has(l)) (byLabel.get(l) ?? byLabel.set(l, []).get(l)!).push(i);
  }
  const margin = 16;
  return [...byLabel]
    .map(([label, pixels]) => ({ label, pixels, centroid: centroidOf(pixels.map((i) => xy(i))) }))
    .filter(
      (c) =>
        c.pixels.length >= 80 &&
        c.pixels.every((i) => {
          const p = xy(i);
          return p.x >= margin && p.y >= margin && p.x < W - margin && p.y < H - margin;
        }),
    );
}

const xy = (i: number): Point => ({ x: i % W, y: Math.floor(i / W) });

function centroidOf(points: Point[]): Point {
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  return { x: sx / points.length, y: sy / points.length };
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

function config(output: string): string {
  const file = path.join(tmp, `config-${path.basename(output)}.yml`);
  // The config template's pipeline_setup (src-main/backend/config-api.ts): align_frames true.
  fs.writeFileSync(
    file,
    `input_data:
  input_folder: ${JSON.stringify(movieDir)}
  output_folder: ${JSON.stringify(output)}
  file_type: .tif
  file_pattern: ""
  export_labelled_masks: true
pipeline_setup:
  name: ASCT_focusrestore
  parallel_processing: false
  num_workers: 1
  reference_channel: 0
  pi_channel: 1
  align_frames: true
  method: basicpy_fl
  focus_correction: true
  tracking: true
models:
  model_collection: ${JSON.stringify(COLLECTION)}
tracking:
  backend: hungarian
  version: v5
`,
  );
  return file;
}

let registration: RunRegistration;
let labelsStack: Movie;
const table: { columns: string[]; rows: string[][] } = { columns: [], rows: [] };

beforeAll(async () => {
  await makeDriftedMovie();
  cells = await truthCells();
  const r = spawnSync(process.execPath, [BIN, 'run', config(out), '--restored', '--json'], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, TMPDIR: tmp },
  });
  if (r.status !== 0) throw new Error(`hitmic run failed: ${r.stderr}`);
  fs.mkdirSync(rawOut);
  for (const s of ['_fl.csv', '_labels.tif', '_run.json'])
    fs.copyFileSync(path.join(out, `${NAME}${s}`), path.join(rawOut, `${NAME}${s}`));
  registration = movieRegistration(movieResults(out, NAME));
  labelsStack = await openMovie(path.join(out, `${NAME}_labels.tif`));
  Object.assign(table, parseCsv(fs.readFileSync(path.join(out, `${NAME}_fl.csv`), 'utf8')));
}, 300_000);

afterAll(async () => labelsStack?.close());

/** A run label as the Viewer draws it over the movie: its movie pixels near `around`, sampled through the placement. */
function drawnPixels(
  labels: ArrayLike<number>,
  translate: Translate,
  label: number,
  around: Point,
  radius = 30,
): Point[] {
  const { x: aw, y: ah } = labelsStack.info.shape;
  const pts: Point[] = [];
  for (let y = Math.max(0, Math.round(around.y) - radius); y < Math.min(H, around.y + radius); y++)
    for (let x = Math.max(0, Math.round(around.x) - radius); x < Math.min(W, around.x + radius); x++) {
      const at = layerPixelAt(translate, aw, ah, { x, y });
      if (at && Number(labels[at.y * aw + at.x]) === label) pts.push({ x, y });
    }
  return pts;
}

/** The run label drawn over most of a truth cell's pixels in frame t (its mask moved by the drift). */
function labelOver(labels: ArrayLike<number>, translate: Translate, cell: TruthCell, d: Point) {
  const { x: aw, y: ah } = labelsStack.info.shape;
  const votes = new Map<number, number>();
  for (const i of cell.pixels) {
    const p = xy(i);
    const at = layerPixelAt(translate, aw, ah, { x: p.x + Math.round(d.x), y: p.y + Math.round(d.y) });
    const l = at ? Number(labels[at.y * aw + at.x]) : 0;
    if (l) votes.set(l, (votes.get(l) ?? 0) + 1);
  }
  const [label, n] = [...votes].sort((a, b) => b[1] - a[1])[0] ?? [0, 0];
  return { label, covered: n / cell.pixels.length };
}

describe('an aligned run on a movie with known drift', () => {
  it('records the crop and each frame shift, which undo the drift to 1/16 px', () => {
    expect(cells.length).toBeGreaterThanOrEqual(10);
    expect(registration).toMatchObject({ kind: 'aligned', exact: true, movieSize: { width: W, height: H } });
    expect(registration.warning).toBeUndefined();
    expect(registration.shifts.map((s) => s.frame)).toEqual([0, 1, 2, 3, 4]);
    registration.shifts.forEach((s, t) => {
      expect(Math.abs(s.dx + DRIFT[t].x)).toBeLessThanOrEqual(1 / 16);
      expect(Math.abs(s.dy + DRIFT[t].y)).toBeLessThanOrEqual(1 / 16);
    });
    const { x: aw, y: ah } = labelsStack.info.shape;
    expect(registration.analysisSize).toEqual({ width: aw, height: ah });
    expect(registration.crop).toMatchObject({ width: aw, height: ah });
    expect(aw).toBeLessThan(W); // the crop is real: the labels are not in the movie's grid
    expect(placementWarnings(registration, { width: W, height: H }, { width: aw, height: ah })).toEqual([]);
  });

  it('draws every cell where it is in the movie, in every frame, to the pixel', async () => {
    let unregisteredMisses = 0;
    let checked = 0;
    for (let t = 0; t < DRIFT.length; t++) {
      const labels = (await labelsStack.readPlane({ t, c: 0 })).data;
      const translate = analysisOrigin(registration, t);
      for (const cell of cells) {
        const truth = { x: cell.centroid.x + DRIFT[t].x, y: cell.centroid.y + DRIFT[t].y };
        const { label, covered } = labelOver(labels, translate, cell, DRIFT[t]);
        expect(covered, `truth cell ${cell.label}, frame ${t}`).toBeGreaterThan(0.6);
        const drawn = centroidOf(drawnPixels(labels, translate, label, truth));
        expect(dist(drawn, truth), `cell ${cell.label} frame ${t}`).toBeLessThanOrEqual(1);
        // The same labels drawn at the movie's own pixels (the overlay before registration).
        const naive = drawnPixels(labels, { x: 0, y: 0 }, label, truth, 45);
        if (naive.length === 0 || dist(centroidOf(naive), truth) > 3) unregisteredMisses++;
        checked++;
      }
    }
    expect(unregisteredMisses).toBe(checked);
  });

  it("gives the table's centroids in movie pixels beside HiTMicTools' analysis-frame ones", async () => {
    const c = (n: string) => table.columns.indexOf(n);
    expect(table.columns.slice(-2)).toEqual(['centroid_0_movie', 'centroid_1_movie']);
    for (let t = 0; t < DRIFT.length; t++) {
      const labels = (await labelsStack.readPlane({ t, c: 0 })).data;
      const translate = analysisOrigin(registration, t);
      for (const cell of cells) {
        const truth = { x: cell.centroid.x + DRIFT[t].x, y: cell.centroid.y + DRIFT[t].y };
        const { label } = labelOver(labels, translate, cell, DRIFT[t]);
        const row = table.rows.find((r) => Number(r[c('frame')]) === t && Number(r[c('label')]) === label)!;
        const movie = { x: Number(row[c('centroid_1_movie')]), y: Number(row[c('centroid_0_movie')]) };
        expect(dist(movie, truth), `cell ${cell.label} frame ${t}`).toBeLessThanOrEqual(1);
        expect(movie.x - Number(row[c('centroid_1')])).toBeCloseTo(translate.x, 9);
        expect(movie.y - Number(row[c('centroid_0')])).toBeCloseTo(translate.y, 9);
      }
    }
  });

  it('cuts QC crops of the raw movie centred on each cell, with the raw pixels under the mask', async () => {
    const set = await cutCrops(movieResults(rawOut, NAME), { limit: 10_000 });
    expect(set.source).toBe('raw');
    expect(set.sourceNote).toContain("placed by the run's alignment");
    const raw = await openMovie(path.join(movieDir, `${NAME}.tif`));
    try {
      for (let t = 0; t < DRIFT.length; t++) {
        const labels = (await labelsStack.readPlane({ t, c: 0 })).data;
        const plane = (await raw.readPlane({ t, c: 0 })).data;
        const translate = analysisOrigin(registration, t);
        for (const cell of cells) {
          const truth = { x: cell.centroid.x + DRIFT[t].x, y: cell.centroid.y + DRIFT[t].y };
          const { label } = labelOver(labels, translate, cell, DRIFT[t]);
          const crop = set.crops.find((k) => k.frame === t && k.label === label)!;
          expect(crop, `crop of label ${label} in frame ${t}`).toBeDefined();
          const inside: Point[] = [];
          const { context: box } = crop;
          // The tile's movie pixels: its analysis box moved as the object's box was.
          const [mx, my] = [box.x + crop.movieX - crop.x, box.y + crop.movieY - crop.y];
          for (let y = 0; y < box.height; y++)
            for (let x = 0; x < box.width; x++) {
              const v = crop.data[y * box.width + x];
              if (Number.isNaN(v)) continue;
              expect(v).toBe(Number(plane[(my + y) * W + mx + x]));
              if (crop.mask[y * box.width + x]) inside.push({ x: mx + x, y: my + y });
            }
          expect(dist(centroidOf(inside), truth), `cell ${cell.label} frame ${t}`).toBeLessThanOrEqual(1);
          expect(crop.movieX - crop.x).toBe(Math.round(translate.x));
          expect(crop.movieY - crop.y).toBe(Math.round(translate.y));
        }
      }
    } finally {
      await raw.close();
    }
  });

  it('cuts restored crops in the labels grid and places them at the same movie pixels', async () => {
    const restored = await cutCrops(movieResults(out, NAME), { limit: 10_000 });
    const raw = await cutCrops(movieResults(rawOut, NAME), { limit: 10_000 });
    expect(restored.source).toBe('restored');
    const stack = await openMovie(path.join(out, `${NAME}_restored.tif`));
    try {
      const [c] = restored.crops;
      const plane = (await stack.readPlane({ t: c.frame, c: 0 })).data;
      const aw = stack.info.shape.x;
      for (let i = 0; i < c.data.length; i++) {
        const x = i % c.context.width;
        const y = Math.floor(i / c.context.width);
        if (!Number.isNaN(c.data[i])) expect(c.data[i]).toBe(plane[(c.context.y + y) * aw + c.context.x + x]);
      }
    } finally {
      await stack.close();
    }
    const key = (k: { frame: number; label: number }) => `${k.frame}:${k.label}`;
    const rawAt = new Map(raw.crops.map((k) => [key(k), [k.movieX, k.movieY]]));
    for (const k of restored.crops) expect([k.movieX, k.movieY]).toEqual(rawAt.get(key(k)));
  });
});

describe('an aligned run written before registrations were recorded', () => {
  /** The raw-crop run folder with run.json edited as an older version wrote it. */
  function olderRun(edit: (j: Record<string, unknown>) => void): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'older-'));
    for (const s of ['_fl.csv', '_labels.tif'])
      fs.copyFileSync(path.join(rawOut, `${NAME}${s}`), path.join(dir, `${NAME}${s}`));
    const j = JSON.parse(fs.readFileSync(path.join(rawOut, `${NAME}_run.json`), 'utf8')) as Record<
      string,
      unknown
    >;
    delete j.registration;
    edit(j);
    fs.writeFileSync(path.join(dir, `${NAME}_run.json`), JSON.stringify(j));
    return dir;
  }

  it('is placed by its crop offset and says the overlay and crops may be out of register', async () => {
    const dir = olderRun(() => undefined);
    const reg = movieRegistration(movieResults(dir, NAME));
    expect(reg).toMatchObject({ kind: 'crop-only', exact: false, crop: registration.crop });
    expect(reg.warning).toMatch(/recorded only its crop \(x0 \d+, y0 \d+\).*may sit off the cells.*--force/);
    expect(analysisOrigin(reg, 3)).toEqual({ x: registration.crop!.x0, y: registration.crop!.y0 });
    const { x: aw, y: ah } = labelsStack.info.shape;
    expect(placementWarnings(reg, { width: W, height: H }, { width: aw, height: ah })).toEqual([reg.warning]);
    const set = await cutCrops(movieResults(dir, NAME), { limit: 5 });
    expect(set.sourceNote).toContain(reg.warning);
    for (const k of set.crops) expect([k.movieX - k.x, k.movieY - k.y]).toEqual([reg.crop!.x0, reg.crop!.y0]);
  });

  it('without a word on alignment is drawn in place, and a size mismatch is named', () => {
    const dir = olderRun((j) => {
      delete j.aligned;
      delete j.crop;
    });
    const reg = movieRegistration(movieResults(dir, NAME));
    expect(reg).toMatchObject({ kind: 'unknown', exact: false });
    const { x: aw, y: ah } = labelsStack.info.shape;
    const warnings = placementWarnings(reg, { width: W, height: H }, { width: aw, height: ah });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain(`labels are ${aw}×${ah} but the movie is ${W}×${H}`);
  });
});
