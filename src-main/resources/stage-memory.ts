/**
 * How much memory each pipeline stage books, and for how long it may wait: HiTMicTools'
 * hard-coded ReserveResource values (reference §6.1), overridable per stage.
 *
 * HiTMicTools waits forever (until its timeout) when a stage's fixed figure exceeds the whole
 * device — e.g. the 10 GB classification stage on an 8 GB GPU. We instead book what the model
 * needs (an estimate from its size and tile shape when the caller has one, else 90 % of the
 * device) and say so in a warning.
 */
export type Stage =
  | 'bf_focus'
  | 'fl_focus'
  | 'gfp_focus'
  | 'segmentation'
  | 'sc_segmenter'
  | 'classification'
  | 'oof_detector'
  | 'pi_classification';

interface StageDefault {
  gb: number;
  timeoutS: number;
}

const FOCUS: StageDefault = { gb: 4, timeoutS: 120 };

/**
 * Stages with the same figure in every pipeline. HiTMicTools books nothing for the PI classifier
 * (a small model on the feature table); we book a little, so that every session runs under a
 * booking (DESIGN.md principle 2) and `bookings` shows who is running it.
 */
const ANY_PIPELINE: Partial<Record<Stage, StageDefault>> = {
  pi_classification: { gb: 0.5, timeoutS: 120 },
};

const DEFAULTS: Record<string, Partial<Record<Stage, StageDefault>>> = {
  ASCT_focusrestore: {
    bf_focus: FOCUS,
    fl_focus: FOCUS,
    segmentation: FOCUS,
    classification: { gb: 10, timeoutS: 240 },
  },
  ASCT_ImageProcessing: {
    bf_focus: FOCUS,
    fl_focus: FOCUS,
    segmentation: FOCUS,
    classification: { gb: 10, timeoutS: 240 },
  },
  ASCT_scsegm: { bf_focus: FOCUS, fl_focus: FOCUS, sc_segmenter: FOCUS },
  ASCT_cellasic: { bf_focus: FOCUS, fl_focus: FOCUS, sc_segmenter: FOCUS },
  ASCT_zaslavier: {
    bf_focus: FOCUS,
    fl_focus: FOCUS,
    gfp_focus: FOCUS,
    segmentation: FOCUS,
    sc_segmenter: FOCUS,
    classification: { gb: 12, timeoutS: 240 },
  },
  // HiTMicTools does not reserve for the OOF detector; we do, with the focus figure.
  oof_detection: {
    bf_focus: FOCUS,
    segmentation: FOCUS,
    classification: { gb: 6, timeoutS: 180 },
    oof_detector: FOCUS,
  },
};

export interface StageReservation {
  gb: number;
  timeoutMs: number;
  /** Set when the HiTMicTools figure was changed to fit the device. */
  warning?: string;
}

export function stageReservation(
  pipeline: string,
  stage: Stage,
  options: { capacityGb: number; overrideGb?: number; overrideTimeoutS?: number; modelEstimateGb?: number },
): StageReservation {
  const d = DEFAULTS[pipeline]?.[stage] ?? ANY_PIPELINE[stage] ?? FOCUS;
  const timeoutMs = (options.overrideTimeoutS ?? d.timeoutS) * 1000;
  const wanted = options.overrideGb ?? d.gb;
  if (wanted <= options.capacityGb) return { gb: wanted, timeoutMs };
  const fitted = Math.min(options.modelEstimateGb ?? options.capacityGb * 0.9, options.capacityGb * 0.9);
  const basis = options.modelEstimateGb !== undefined ? "the model's estimated need" : '90 % of the device';
  return {
    gb: Math.round(fitted * 100) / 100,
    timeoutMs,
    warning:
      `${stage}: ${wanted} GB (${options.overrideGb !== undefined ? 'configured' : "HiTMicTools' default"}) exceeds the device's ` +
      `${options.capacityGb.toFixed(1)} GB and could never be granted; booking ${fitted.toFixed(2)} GB (${basis}) instead`,
  };
}
