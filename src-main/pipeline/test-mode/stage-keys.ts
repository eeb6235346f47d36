import crypto from 'node:crypto';
import { planBackgroundCorrection } from '../../analysis';

/**
 * Cache keys of test mode's stages. A stage's key is the sha256 of its name, the keys of the
 * stages it reads (in order), its own settings and the sha256 of its model file: two runs give a
 * stage the same key exactly when they would feed it the same inputs and run it the same way, so
 * its output can be reused. Settings that do not change what a stage computes are left out of its
 * key (the reference channel does not reach alignment when alignment is off; the BaSiC frames do
 * not reach a `standard` correction), so changing them re-runs nothing they do not touch.
 */

/** JSON with the keys of every object sorted, so settings written in another order key alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** sha256 (hex) of a stage's name, its inputs' keys, its settings and its model file's sha256. */
export function stageKey(
  stage: string,
  inputs: readonly string[],
  settings: unknown,
  modelSha: string | null = null,
): string {
  return crypto
    .createHash('sha256')
    .update(canonicalJson({ stage, inputs, settings: settings ?? null, model: modelSha }))
    .digest('hex');
}

/** A model as keys see it: everything its plan says about how it runs, and the file that runs. */
export interface KeyedModel {
  /** inferer_args, model_args and metadata, as planned (overrides applied). */
  settings: unknown;
  /** sha256 of the weights file that runs (the ONNX, or the pickle of a PI classifier). */
  sha: string;
}

/** What test mode's keys are made of: the movie, the frames, the config's settings, the models. */
export interface KeyFacts {
  /** The movie file as read: path, size, modification time. */
  movie: unknown;
  frames: readonly number[];
  pipeline: string;
  setup: {
    referenceChannel: number;
    piChannel: number;
    alignFrames: boolean;
    method: string;
    focusCorrection: boolean;
    tracking: boolean;
    scBatchSize?: number;
  };
  models: {
    bf_focus?: KeyedModel;
    fl_focus?: KeyedModel;
    segmentation?: KeyedModel;
    cell_classifier?: KeyedModel;
    sc_segmenter?: KeyedModel;
    pi_classification?: KeyedModel;
  };
  /** The `tracking:` section and the sha256 of the tracker config file it falls back to. */
  tracking: { section: unknown; trackerSha: string | null } | null;
}

/** The keys of one analysed frame's stages. */
export interface FrameKeys {
  /** Bright field and PI channel after alignment and background correction. */
  prepared_bf: string;
  prepared_fl: string;
  bf_focus: string;
  fl_focus: string;
  segmentation: string;
  cell_classifier: string;
  measure: string;
  pi_classification: string;
}

export interface StageKeys {
  movie: string;
  align: string;
  /** The background correction of each channel over the range (BaSiC's fit when it uses BaSiC). */
  background_bf: string;
  background_fl: string;
  frames: FrameKeys[];
  tracking: string;
}

/** The U-Net pipelines drop objects under this many pixels (segmenters.ts); part of segmentation's settings. */
const MIN_OBJECT_PX = 20;

/** Every key of a test-mode run, from its facts. Pure: no file is read. */
export function testModeKeys(f: KeyFacts): StageKeys {
  const s = f.setup;
  const m = f.models;
  const movie = stageKey('movie', [], f.movie);
  const align = stageKey(
    'align',
    [movie],
    s.alignFrames ? { on: true, frames: f.frames, channel: s.referenceChannel } : { on: false },
  );
  const plan = planBackgroundCorrection(s.method);
  // BaSiC fits over the range's frames; the other corrections work frame by frame.
  const background = (channel: number, correction: string) =>
    stageKey('background', [movie, align], {
      channel,
      correction,
      ...(correction === 'basic' ? { frames: f.frames } : {}),
    });
  const background_bf = background(s.referenceChannel, plan.reference);
  const background_fl = background(s.piChannel, plan.fluorescence);
  const restorer = (key: 'bf_focus' | 'fl_focus', prepared: string) =>
    s.focusCorrection
      ? stageKey(key, [prepared], m[key]?.settings, m[key]?.sha ?? null)
      : stageKey(key, [prepared], { on: false });
  const sc = f.pipeline === 'ASCT_scsegm';
  const frames = f.frames.map((t): FrameKeys => {
    const prepared_bf = stageKey('prepared', [background_bf], { frame: t });
    const prepared_fl = stageKey('prepared', [background_fl], { frame: t });
    const bf_focus = restorer('bf_focus', prepared_bf);
    const fl_focus = restorer('fl_focus', prepared_fl);
    const segmentation = sc
      ? stageKey(
          'segmentation',
          [bf_focus],
          { model: m.sc_segmenter?.settings, batch: s.scBatchSize ?? null },
          m.sc_segmenter?.sha ?? null,
        )
      : stageKey(
          'segmentation',
          [bf_focus],
          { model: m.segmentation?.settings, minObjectPx: MIN_OBJECT_PX },
          m.segmentation?.sha ?? null,
        );
    // The instance segmenter gives classes with its objects; FlexResNet reads the objects and the bright field.
    const cell_classifier = sc
      ? stageKey('cell_classifier', [segmentation], { from: 'sc_segmenter' })
      : stageKey(
          'cell_classifier',
          [segmentation, bf_focus],
          m.cell_classifier?.settings,
          m.cell_classifier?.sha ?? null,
        );
    const measure = stageKey('measure', [segmentation, fl_focus], { channel: s.piChannel });
    const pi_classification = stageKey(
      'pi_classification',
      [measure],
      m.pi_classification?.settings,
      m.pi_classification?.sha ?? null,
    );
    return {
      prepared_bf,
      prepared_fl,
      bf_focus,
      fl_focus,
      segmentation,
      cell_classifier,
      measure,
      pi_classification,
    };
  });
  const tracking =
    s.tracking && f.tracking
      ? stageKey(
          'tracking',
          frames.map((k) => k.measure),
          { section: f.tracking.section, trackerConfig: f.tracking.trackerSha },
        )
      : stageKey('tracking', [], { on: false });
  return { movie, align, background_bf, background_fl, frames, tracking };
}
