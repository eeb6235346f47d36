import fs from 'node:fs';
import path from 'node:path';
import type { QcApi, ResultsApi } from '../../src-shared/api/contract';
import type {
  QcCorrection,
  QcCrop,
  QcCropFilter,
  QcCropSet,
  ResultTable,
} from '../../src-shared/api/domains/results-qc';
import { ApiError } from '../../src-shared/api/errors';
import { CORRECTION_COLUMNS, correctionsCsv, mergeCorrections } from '../../src-shared/results/csv';
import {
  classesOf,
  DEFAULT_CROP_LIMIT,
  selectCandidates,
  type CropCandidate,
} from '../../src-shared/results/crops';
import { frameExtent, toCell } from '../../src-shared/results/table';
import { writeCsvAtomic } from '../analysis';
import { openMovie, type Movie } from '../io';
import { parseCsv } from '../pipeline/csv-read';
import { writeJsonAtomic } from '../pipeline/finish-movie';

/** Where one analysed movie's outputs lie. */
interface RunFiles {
  dir: string;
  movie: string;
  file(suffix: string): string;
}

function runFiles(outputDir: unknown, movie: unknown): RunFiles {
  if (typeof outputDir !== 'string' || outputDir.trim() === '') {
    throw new ApiError('BAD_INPUT', 'outputDir must be the path of a run output folder', {
      field: 'outputDir',
    });
  }
  if (
    typeof movie !== 'string' ||
    movie.trim() === '' ||
    /[\\/]/.test(movie) ||
    movie === '.' ||
    movie === '..'
  ) {
    throw new ApiError(
      'BAD_INPUT',
      'movie must be a movie name (the prefix of {movie}_fl.csv), without folders',
      {
        field: 'movie',
        actual: movie,
        fix: 'Type the name only, e.g. demo_movie for demo_movie_fl.csv',
      },
    );
  }
  const dir = path.resolve(outputDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ApiError('NOT_FOUND', `No output folder at ${dir}`, {
      file: dir,
      fix: 'Type the folder the run wrote its results to',
    });
  }
  return { dir, movie, file: (suffix) => path.join(dir, `${movie}${suffix}`) };
}

function missing(run: RunFiles, suffix: string, what: string): ApiError {
  const found = fs
    .readdirSync(run.dir)
    .filter((f) => f.endsWith('_fl.csv'))
    .map((f) => f.slice(0, -'_fl.csv'.length));
  const file = run.file(suffix);
  return new ApiError('NOT_FOUND', `No ${what} for movie "${run.movie}": ${file} does not exist`, {
    file,
    moviesHere: found,
    fix: found.length
      ? `Movies with results in this folder: ${found.join(', ')}`
      : 'This folder holds no {movie}_fl.csv; pick the run output folder',
  });
}

// Parsed tables, keyed by file and checked against size and mtime, so paging through a gallery
// does not re-read a large CSV.
const tableCache = new Map<string, { stamp: string; table: ResultTable }>();

function readTable(file: string): ResultTable {
  const st = fs.statSync(file);
  const stamp = `${st.size}:${st.mtimeMs}`;
  const hit = tableCache.get(file);
  if (hit && hit.stamp === stamp) return hit.table;
  const { columns, rows } = parseCsv(fs.readFileSync(file, 'utf8'));
  const table: ResultTable = { columns, rows: rows.map((r) => columns.map((_, i) => toCell(r[i] ?? ''))) };
  tableCache.set(file, { stamp, table });
  if (tableCache.size > 6) tableCache.delete(tableCache.keys().next().value!);
  return table;
}

function tableOf(run: RunFiles, suffix: '_fl.csv' | '_summary.csv', what: string): ResultTable {
  const file = run.file(suffix);
  if (!fs.existsSync(file)) throw missing(run, suffix, what);
  return readTable(file);
}

export function createResultsApi(): ResultsApi {
  return {
    cells: async (outputDir, movie) => tableOf(runFiles(outputDir, movie), '_fl.csv', 'per-cell table'),
    summary: async (outputDir, movie) => tableOf(runFiles(outputDir, movie), '_summary.csv', 'summary table'),
  };
}

interface RunFacts {
  frames?: number[];
  movie?: string;
  referenceChannel: number;
}

function runFacts(run: RunFiles): RunFacts {
  const file = run.file('_run.json');
  if (!fs.existsSync(file)) return { referenceChannel: 0 };
  try {
    const j = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      frames?: unknown;
      movie?: unknown;
      config?: { pipeline_setup?: { reference_channel?: unknown } };
    };
    const ref = j.config?.pipeline_setup?.reference_channel;
    return {
      frames:
        Array.isArray(j.frames) && j.frames.every((f) => typeof f === 'number')
          ? (j.frames as number[])
          : undefined,
      movie: typeof j.movie === 'string' ? j.movie : undefined,
      referenceChannel: typeof ref === 'number' ? ref : 0,
    };
  } catch {
    return { referenceChannel: 0 };
  }
}

interface PixelPlan {
  source: QcCropSet['source'];
  note: string;
  labels?: Movie;
  image?: Movie;
  channel: number;
  /** Plane index of a movie frame in the labels stack and in the image. */
  labelsIndex(frame: number): number;
  imageIndex(frame: number): number;
}

function noPixels(note: string, labelsIndex: (f: number) => number = () => -1): PixelPlan {
  return { source: 'none', note, channel: 0, labelsIndex, imageIndex: () => -1 };
}

/**
 * Pixels come from `{movie}_restored.tif` channel 0 (the restored bright field, same frame
 * indexing as the labels stack). Without it, from the raw movie that run.json names, in the run's
 * reference channel, at the movie frame. Without either (or without the labels stack, which gives
 * each object's box and mask) there are no pixels and the crops come back empty.
 */
async function pixelPlan(run: RunFiles, table: ResultTable): Promise<PixelPlan> {
  const facts = runFacts(run);
  const frames =
    facts.frames ??
    [...new Set(table.rows.map((r) => r[table.columns.indexOf('frame')]))]
      .filter((f): f is number => typeof f === 'number')
      .sort((a, b) => a - b);
  const slot = new Map(frames.map((f, i) => [f, i]));
  const labelsIndex = (f: number) => slot.get(f) ?? -1;
  const none = (note: string) => noPixels(note, labelsIndex);
  const labelsFile = run.file('_labels.tif');
  if (!fs.existsSync(labelsFile))
    return none(`No ${path.basename(labelsFile)}: rerun with export_labelled_masks: true to see crops`);
  const labels = await openMovie(labelsFile);
  const restored = run.file('_restored.tif');
  if (fs.existsSync(restored)) {
    return {
      source: 'restored',
      note: `Restored bright field from ${path.basename(restored)}`,
      labels,
      image: await openMovie(restored),
      channel: 0,
      labelsIndex,
      imageIndex: labelsIndex,
    };
  }
  if (facts.movie && fs.existsSync(facts.movie)) {
    return {
      source: 'raw',
      note: `No restored stack; raw channel ${facts.referenceChannel} of ${facts.movie}`,
      labels,
      image: await openMovie(facts.movie),
      channel: facts.referenceChannel,
      labelsIndex,
      imageIndex: (f) => f,
    };
  }
  await labels.close();
  return none(
    `No ${path.basename(restored)} and the raw movie named in run.json is not found: no pixels to show`,
  );
}

/** Boxes and masks of the wanted labels in one frame, cut from the image plane. */
async function cropFrame(
  plan: PixelPlan,
  frame: number,
  wanted: CropCandidate[],
): Promise<Map<number, QcCrop>> {
  const out = new Map<number, QcCrop>();
  const li = plan.labelsIndex(frame);
  if (!plan.labels || li < 0 || li >= plan.labels.info.shape.t) return out;
  const lp = await plan.labels.readPlane({ t: li, c: 0 });
  const want = new Set(wanted.map((w) => w.label));
  const box = new Map<number, [number, number, number, number]>(); // y0, x0, y1, x1
  const W = lp.width;
  for (let i = 0; i < lp.data.length; i++) {
    const id = Number(lp.data[i]);
    if (id === 0 || !want.has(id)) continue;
    const y = Math.floor(i / W);
    const x = i - y * W;
    const b = box.get(id);
    if (!b) box.set(id, [y, x, y, x]);
    else {
      if (y < b[0]) b[0] = y;
      if (x < b[1]) b[1] = x;
      if (y > b[2]) b[2] = y;
      if (x > b[3]) b[3] = x;
    }
  }
  const ii = plan.imageIndex(frame);
  const ip =
    plan.image && ii >= 0 && ii < plan.image.info.shape.t
      ? await plan.image.readPlane({ t: ii, c: plan.channel })
      : null;
  for (const w of wanted) {
    const b = box.get(w.label);
    if (!b) continue;
    const [y0, x0, y1, x1] = b;
    const width = x1 - x0 + 1;
    const height = y1 - y0 + 1;
    const data = new Float32Array(ip ? width * height : 0);
    if (ip) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const src = (y0 + y) * W + x0 + x;
          data[y * width + x] = Number(lp.data[src]) === w.label ? Number(ip.data[src]) : NaN;
        }
      }
    }
    out.set(w.label, { ...w, y: y0, x: x0, width, height, data });
  }
  return out;
}

const CORRECTIONS = '_qc_corrections.json';

function readCorrections(run: RunFiles): QcCorrection[] {
  const file = run.file(CORRECTIONS);
  if (!fs.existsSync(file)) return [];
  let j: { corrections?: QcCorrection[] };
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8')) as { corrections?: QcCorrection[] };
  } catch (err) {
    throw new ApiError(
      'BAD_INPUT',
      `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      { file, fix: 'Fix or remove the file; corrections made since it broke are lost' },
    );
  }
  return Array.isArray(j.corrections) ? j.corrections : [];
}

function checkFilter(filter: unknown): QcCropFilter {
  if (filter === undefined || filter === null) return {};
  if (typeof filter !== 'object')
    throw new ApiError('BAD_INPUT', 'filter must be an object', { field: 'filter' });
  const f = filter as Record<string, unknown>;
  for (const k of ['frameMin', 'frameMax', 'minConfidence', 'maxConfidence', 'limit']) {
    if (f[k] !== undefined && (typeof f[k] !== 'number' || !Number.isFinite(f[k]))) {
      throw new ApiError('BAD_INPUT', `filter.${k} must be a number`, { field: `filter.${k}`, actual: f[k] });
    }
  }
  if (f.pi !== undefined && !['any', 'positive', 'negative'].includes(f.pi as string)) {
    throw new ApiError('BAD_INPUT', 'filter.pi must be any, positive or negative', {
      field: 'filter.pi',
      actual: f.pi,
    });
  }
  return f as QcCropFilter;
}

export function createQcApi(): QcApi {
  return {
    crops: async (outputDir, movie, rawFilter) => {
      const run = runFiles(outputDir, movie);
      const filter = checkFilter(rawFilter);
      const table = tableOf(run, '_fl.csv', 'per-cell table');
      const candidates = selectCandidates(table, filter);
      const chosen = candidates.slice(0, Math.max(0, Math.floor(filter.limit ?? DEFAULT_CROP_LIMIT)));
      // Nothing to cut (limit 0: a caller that only wants the counts and corrections): no stacks opened.
      const plan = chosen.length > 0 ? await pixelPlan(run, table) : noPixels('no crops asked for');
      const byLabel = new Map<number, QcCrop>();
      try {
        const byFrame = new Map<number, CropCandidate[]>();
        for (const c of chosen) byFrame.set(c.frame, [...(byFrame.get(c.frame) ?? []), c]);
        for (const [frame, wanted] of byFrame)
          for (const [label, crop] of await cropFrame(plan, frame, wanted)) byLabel.set(label, crop);
      } finally {
        await plan.labels?.close();
        await plan.image?.close();
      }
      // Objects missing from the labels stack keep their place with an empty crop.
      const crops = chosen.map(
        (c) => byLabel.get(c.label) ?? { ...c, y: 0, x: 0, width: 0, height: 0, data: new Float32Array(0) },
      );
      return {
        crops,
        matched: candidates.length,
        total: table.rows.length,
        source: plan.source,
        sourceNote: plan.note,
        classes: classesOf(table),
        frameRange: frameExtent(table),
        corrections: readCorrections(run),
      };
    },

    relabel: async (outputDir, movie, corrections) => {
      const run = runFiles(outputDir, movie);
      if (!Array.isArray(corrections))
        throw new ApiError('BAD_INPUT', 'corrections must be a list', { field: 'corrections' });
      const table = tableOf(run, '_fl.csv', 'per-cell table');
      const classes = classesOf(table);
      const li = table.columns.indexOf('label');
      const fi = table.columns.indexOf('frame');
      const ci = table.columns.indexOf('object_class');
      const rowOf = new Map(table.rows.map((r) => [r[li], r]));
      const checked = corrections.map((c, i): QcCorrection => {
        const row = c && typeof c === 'object' ? rowOf.get(c.label) : undefined;
        if (!row || row[fi] !== c.frame) {
          throw new ApiError(
            'BAD_INPUT',
            `corrections[${i}]: no object with label ${String(c?.label)} in frame ${String(c?.frame)} of ${run.movie}_fl.csv`,
            { field: `corrections[${i}]` },
          );
        }
        if (typeof c.newClass !== 'string' || !classes.includes(c.newClass)) {
          throw new ApiError('BAD_INPUT', `corrections[${i}]: unknown class "${String(c.newClass)}"`, {
            field: `corrections[${i}].newClass`,
            expected: classes.join(', '),
          });
        }
        // The original class is the table's, whatever the caller says.
        return { frame: c.frame, label: c.label, oldClass: String(row[ci]), newClass: c.newClass };
      });
      const merged = mergeCorrections(readCorrections(run), checked);
      writeJsonAtomic(run.file(CORRECTIONS), {
        movie: run.movie,
        table: `${run.movie}_fl.csv`,
        updatedAt: new Date().toISOString(),
        corrections: merged,
      });
      return merged;
    },

    exportCorrections: async (outputDir, movie, target) => {
      const run = runFiles(outputDir, movie);
      if (target !== undefined && target !== null && (typeof target !== 'string' || target.trim() === '')) {
        throw new ApiError('BAD_INPUT', 'path must be a file path or left out', { field: 'path' });
      }
      const file = target ? path.resolve(run.dir, target) : run.file('_qc_corrections.csv');
      const corrections = readCorrections(run);
      const sorted = [...corrections].sort((a, b) => a.frame - b.frame || a.label - b.label);
      await writeCsvAtomic(
        file,
        CORRECTION_COLUMNS,
        sorted.map((c) => [c.frame, c.label, c.oldClass, c.newClass]),
        { eol: '\n' },
      );
      return { path: file, count: corrections.length, csv: correctionsCsv(corrections) };
    },
  };
}
