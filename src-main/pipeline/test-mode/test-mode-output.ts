import { MEASUREMENT_COLUMNS } from '../../analysis';
import { applyPiposLockin } from '../../tracking';
import type {
  RunRegistration,
  TestModeImage,
  TestModeImageName,
  TestModeObjects,
  TestModeTracks,
} from '../../../src-shared/api';
import { analysisOrigin } from '../../../src-shared/results';
import { trackObjects, type TrackedObjects } from '../track-objects';
import type { FrameStages, Measured, PiResult } from './frame-stages';
import type { FrameObjects } from '../segmenters';
import { sizeOfValue, type StageCache } from './stage-cache';
import type { StageKeys } from './stage-keys';
import type { StageRun } from './stage-run';
import type { TestModeOutput, TestModeParams } from './types';

/** One analysed frame's small results, kept for the whole range. */
export interface FrameResult {
  t: number;
  measured: Measured;
  classified: FrameObjects;
  pi: PiResult;
}

export interface OutputContext {
  p: TestModeParams;
  run: StageRun;
  keys: StageKeys;
  frames: number[];
  perFrame: FrameResult[];
  shown: FrameStages;
  registration: RunRegistration;
  cache: StageCache;
  warn(message: string): void;
  warnings: string[];
  provider(): string;
  log(level: 'info' | 'warn', message: string): void;
}

const ALL_IMAGES: readonly TestModeImageName[] = [
  'prepared_bf',
  'prepared_fl',
  'restored_bf',
  'restored_fl',
  'probability',
  'labels',
];

/**
 * After every frame's stages: tracking over the range (a stage of its own, cached like the
 * others), PI lock-in where the pipeline has it, then the shown frame's images and objects and
 * every object's track in movie pixels.
 */
export async function assembleOutput(o: OutputContext): Promise<TestModeOutput> {
  const { p, run, perFrame } = o;
  const rows = perFrame.reduce((n, f) => n + f.measured.measurements.label.length, 0);
  const frame = new Int32Array(rows);
  const label = new Int32Array(rows);
  const col = (
    name: 'centroid_0' | 'centroid_1' | 'area' | 'major_axis_length' | 'minor_axis_length' | 'orientation',
  ) => {
    const out = new Float64Array(rows);
    let i = 0;
    for (const f of perFrame) {
      out.set(f.measured.measurements[name], i);
      i += f.measured.measurements.label.length;
    }
    return out;
  };
  let i = 0;
  for (const f of perFrame) {
    const m = f.measured.measurements;
    for (let k = 0; k < m.label.length; k++, i++) {
      frame[i] = f.t;
      label[i] = m.label[k];
    }
  }
  const table = {
    frame,
    centroid_0: col('centroid_0'),
    centroid_1: col('centroid_1'),
    area: col('area'),
    major_axis_length: col('major_axis_length'),
    minor_axis_length: col('minor_axis_length'),
    orientation: col('orientation'),
  };
  const tracking = p.setup.tracking ? p.tracking : null;
  const tracked: TrackedObjects | null = tracking
    ? await run.value(
        'tracking',
        o.keys.tracking,
        async () => undefined,
        () =>
          trackObjects(tracking, table, {
            info: (m) => o.log('info', `test mode: ${m}`),
            warn: o.warn,
          }),
        (v) => sizeOfValue(v),
      )
    : null;

  let piClass = perFrame.flatMap((f) => f.pi.piClass);
  if (tracked && p.pipeline === 'ASCT_scsegm' && rows > 0)
    // As the sc pipelines: once a tracked cell is PI-positive it stays so.
    piClass = applyPiposLockin(tracked.trackid, frame, piClass).pi_class.map((c) => c ?? '');

  const k0 = o.frames.indexOf(p.show);
  const first = perFrame.slice(0, k0).reduce((n, f) => n + f.measured.measurements.label.length, 0);
  const shownRows = perFrame[k0].measured.measurements.label.length;
  const objects = shownObjects(perFrame[k0], tracked, piClass.slice(first, first + shownRows), first);
  const images = await shownImages(o, new Set(p.images ?? ALL_IMAGES));
  return {
    pipeline: p.pipeline,
    frames: o.frames,
    show: p.show,
    width: o.registration.analysisSize!.width,
    height: o.registration.analysisSize!.height,
    registration: o.registration,
    stages: run.report(),
    images,
    objects,
    tracks: tracked ? tracksInMovie(table, label, tracked, o.registration) : null,
    cache: o.cache.stats(),
    warnings: o.warnings,
    provider: o.provider(),
  };
}

/** The shown frame's rows: `_fl.csv` numbers as columns, classes and PI status as strings. */
function shownObjects(
  f: FrameResult,
  tracked: TrackedObjects | null,
  piClass: string[],
  first: number,
): TestModeObjects {
  const m = f.measured.measurements;
  const n = m.label.length;
  const columns: Record<string, Float64Array> = {};
  for (const c of MEASUREMENT_COLUMNS) columns[c] = Float64Array.from(m[c] as ArrayLike<number>);
  columns.background = new Float64Array(n).fill(f.measured.background);
  columns.rel_max_intensity = Float64Array.from(f.measured.rel.rel_max_intensity);
  columns.rel_min_intensity = Float64Array.from(f.measured.rel.rel_min_intensity);
  columns.rel_mean_intensity = Float64Array.from(f.measured.rel.rel_mean_intensity);
  const cls = Array.from(m.label, (l) => f.classified.classOf(l));
  columns.class_prob = Float64Array.from(cls, (c) => c.confidence);
  columns.pi_prob = Float64Array.from(f.pi.probability);
  columns.trackid = tracked
    ? Float64Array.from(tracked.trackid.subarray(first, first + n))
    : new Float64Array(n).fill(-1);
  columns.parent_track_id = tracked
    ? Float64Array.from(tracked.parent.subarray(first, first + n))
    : new Float64Array(n).fill(-1);
  return { columns, objectClass: cls.map((c) => c.name), piClass };
}

/** The images asked for of the shown frame, each from its stage (through the cache). */
async function shownImages(o: OutputContext, wanted: Set<TestModeImageName>): Promise<TestModeImage[]> {
  const f = o.shown;
  const out: TestModeImage[] = [];
  const W = o.registration.analysisSize!.width;
  const H = o.registration.analysisSize!.height;
  const image = (name: TestModeImageName, stage: TestModeImage['stage'], data: Float32Array) =>
    out.push({ name, stage, kind: 'image', frame: { width: W, height: H, dtype: 'float32', data } });
  if (wanted.has('prepared_bf')) image('prepared_bf', 'background', await f.preparedBf());
  if (wanted.has('prepared_fl')) image('prepared_fl', 'background', await f.preparedFl());
  if (o.p.setup.focusCorrection) {
    if (wanted.has('restored_bf')) image('restored_bf', 'bf_focus', await f.restoredBf());
    if (wanted.has('restored_fl')) image('restored_fl', 'fl_focus', await f.restoredFl());
  }
  const objects = await f.objects();
  if (wanted.has('probability') && objects.probability)
    image('probability', 'segmentation', objects.probability);
  if (wanted.has('labels')) {
    const labels = toUint16Labels(objects.labels);
    if (objects.count > 65535)
      o.warn(`${objects.count} objects in frame ${o.p.show}: labels over 65535 are shown as 65535`);
    out.push({
      name: 'labels',
      stage: 'segmentation',
      kind: 'labels',
      frame: { width: W, height: H, dtype: 'uint16', data: labels },
    });
  }
  return out;
}

/** Labels as uint16 for the Viewer (ids over 65535 shown as 65535). A plain loop: `from` with a map is ~10× slower. */
function toUint16Labels(src: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const l = src[i];
    out[i] = l > 65535 ? 65535 : l;
  }
  return out;
}

/** Every object of the range with its track, its centroid moved into movie pixels by its frame's registration. */
function tracksInMovie(
  table: { frame: Int32Array; centroid_0: Float64Array; centroid_1: Float64Array },
  label: Int32Array,
  tracked: TrackedObjects,
  registration: RunRegistration,
): TestModeTracks {
  const n = table.frame.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const origins = new Map<number, { x: number; y: number }>();
  for (let i = 0; i < n; i++) {
    const t = table.frame[i];
    let at = origins.get(t);
    if (!at) origins.set(t, (at = analysisOrigin(registration, t)));
    x[i] = table.centroid_1[i] + at.x;
    y[i] = table.centroid_0[i] + at.y;
  }
  return {
    frame: table.frame,
    label,
    trackId: tracked.trackid,
    parentTrackId: tracked.parent,
    x,
    y,
  };
}
