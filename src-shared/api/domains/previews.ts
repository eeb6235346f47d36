import type { FrameData } from '../types';

/**
 * Previews: restoration, segmentation and classification of the frame in front of the user, with
 * a library collection's models (inferer settings overridable), in the backend's worker.
 */
export interface PreviewsApi {
  /** Aborting `signal` (a newer preview supersedes this one) stops the worker job. */
  run(request: PreviewRequest, signal?: AbortSignal): Promise<PreviewResult>;
}

/** The models a preview can chain, in pipeline order. */
export const PREVIEW_STEPS = ['bf_focus', 'segmentation', 'cell_classifier'] as const;
export type PreviewStep = (typeof PREVIEW_STEPS)[number];

/** HiTMicTools `inferer_args` a preview may change (snake_case, as in config.yml). */
export interface InfererOverrides {
  patch_size?: number;
  overlap_ratio?: number;
  scale_method?: 'range01' | 'fixed_range' | 'zscore' | 'combined' | 'none';
}

export interface PreviewRequest {
  movieId: string;
  frame: number;
  /** Bright-field channel the models read (default 0). */
  channel?: number;
  /**
   * Models to chain on this frame. The last one in pipeline order decides what runs; a step left
   * out is skipped (segmentation without 'bf_focus' reads the raw bright field).
   */
  steps: PreviewStep[];
  /** A collection of the library (`collections.list()` ids)… */
  collectionId?: string;
  /** …or a collection folder/ZIP on the backend's machine. */
  collectionPath?: string;
  /** Per-model overrides of the collection's inferer settings. */
  infererOverrides?: Partial<Record<'bf_focus' | 'segmentation', InfererOverrides>>;
}

export interface PreviewObject {
  label: number;
  /** Pixels of the object. */
  area: number;
  className?: string;
  confidence?: number;
  /** From a finished run's table (the Viewer's run overlay); previews have none. */
  piClass?: string;
  trackId?: number;
}

/** Inferer settings a preview used, per model (after overrides). */
export interface PreviewModelSettings {
  patchSize?: number;
  overlapRatio?: number;
  scaleMethod?: string;
}

export interface PreviewResult {
  width: number;
  height: number;
  /** Restored bright field (float32), when 'bf_focus' ran. */
  restored?: FrameData;
  /** uint16 instance labels, when 'segmentation' ran. */
  labels?: FrameData;
  /** One entry per label (classes when 'cell_classifier' ran). */
  objects: PreviewObject[];
  settings: Partial<Record<PreviewStep, PreviewModelSettings>>;
  timingsMs: Record<string, number>;
  /** Request to result, in the backend. */
  elapsedMs: number;
  provider: string;
}
