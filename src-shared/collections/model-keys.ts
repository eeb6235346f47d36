/**
 * Model keys of a HiTMicTools collection, their internal aliases and the standard file names the
 * HiTMicTools bundler writes (reference §0 and §1.1). Pure data, usable by the renderer.
 */

/** The seven config keys HiTMicTools knows, in the order its docs list them. */
export const MODEL_KEYS = [
  'bf_focus',
  'fl_focus',
  'segmentation',
  'cell_classifier',
  'pi_classification',
  'oof_detector',
  'sc_segmenter',
] as const;

export type ModelKey = (typeof MODEL_KEYS)[number];

/** HiTMicTools' internal type names (`load_model_fromdict` alias map), accepted in place of a key. */
export const MODEL_KEY_ALIASES: Readonly<Record<string, ModelKey>> = {
  'focus-restorer-bf': 'bf_focus',
  'focus-restorer-fl': 'fl_focus',
  segmentator: 'segmentation',
  'cell-classifier': 'cell_classifier',
  'pi-classifier': 'pi_classification',
  'oof-detector': 'oof_detector',
  'sc-segmenter': 'sc_segmenter',
};

/** Folder names of the per-model layout shown in the HiTMicTools user guide ("What's inside"). */
export const GUIDE_FOLDER_KEYS: Readonly<Record<string, ModelKey>> = {
  bf_focus_restorer: 'bf_focus',
  fl_focus_restorer: 'fl_focus',
  segmentation: 'segmentation',
  cell_classifier: 'cell_classifier',
  pi_classifier: 'pi_classification',
  pi_classification: 'pi_classification',
  oof_detector: 'oof_detector',
  sc_segmenter: 'sc_segmenter',
};

/** What a microscopist reads for each key. */
export const MODEL_KEY_LABELS: Readonly<Record<ModelKey, string>> = {
  bf_focus: 'Brightfield focus restoration',
  fl_focus: 'Fluorescence focus restoration',
  segmentation: 'Cell segmentation',
  cell_classifier: 'Cell classification',
  pi_classification: 'PI staining classification',
  oof_detector: 'Out-of-focus detection',
  sc_segmenter: 'Single-cell instance segmentation',
};

/** Architecture HiTMicTools builds for each key (reference §0 table). */
export const MODEL_KEY_ARCHITECTURE: Readonly<Record<ModelKey, string>> = {
  bf_focus: 'NAFNet',
  fl_focus: 'NAFNet',
  segmentation: 'MonaiUnet',
  cell_classifier: 'FlexResNet',
  pi_classification: 'PIClassifier',
  oof_detector: 'RFDETR',
  sc_segmenter: 'RFDETRSegm',
};

/**
 * Base name (without extension) of the weights and metadata files the HiTMicTools bundler writes
 * (`models/<base>.pth`, `metadata/<base>.json`); pi_classification keeps its source extension.
 */
export const STANDARD_FILE_BASE: Readonly<Record<ModelKey, string>> = {
  bf_focus: 'NAFNet-bf_focus_restoration',
  fl_focus: 'NAFNet-fl_focus_restoration',
  segmentation: 'MonaiUnet-segmentation',
  cell_classifier: 'FlexResNet-cell_classifier',
  pi_classification: 'PIClassifier',
  oof_detector: 'RFDETR-oof_detector',
  sc_segmenter: 'RFDETRSegm-sc_segmenter',
};

/** Key of the bundle-level provenance block in a bundle's `config.yml`; not a model. */
export const BUNDLE_METADATA_KEY = '_bundle_metadata';

/** Pipelines of HiTMicTools 0.5.15 and the model keys each one requires (reference §0). */
export const PIPELINE_REQUIRED_MODELS: Readonly<Record<string, readonly ModelKey[]>> = {
  ASCT_focusrestore: ['bf_focus', 'fl_focus', 'segmentation', 'cell_classifier', 'pi_classification'],
  ASCT_ImageProcessing: ['bf_focus', 'fl_focus', 'segmentation', 'cell_classifier', 'pi_classification'],
  ASCT_scsegm: ['bf_focus', 'fl_focus', 'sc_segmenter', 'pi_classification'],
  ASCT_cellasic: ['bf_focus', 'fl_focus', 'sc_segmenter', 'pi_classification'],
  ASCT_zaslavier: [
    'bf_focus',
    'fl_focus',
    'segmentation',
    'cell_classifier',
    'pi_classification',
    'sc_segmenter',
  ],
  oof_detection: ['bf_focus', 'fl_focus', 'oof_detector', 'segmentation', 'cell_classifier'],
};

/** Default cell classes of the ASCT pipelines (index → name), as HiTMicTools exports them. */
export const DEFAULT_CELL_CLASSES: Readonly<Record<number, string>> = {
  0: 'single-cell',
  1: 'clump',
  2: 'noise',
  3: 'off-focus',
  4: 'joint-cell',
};

export function isModelKey(value: string): value is ModelKey {
  return (MODEL_KEYS as readonly string[]).includes(value);
}

/** Resolves a key or an internal alias to the canonical model key; `undefined` when neither. */
export function canonicalModelKey(value: string): ModelKey | undefined {
  return isModelKey(value) ? value : MODEL_KEY_ALIASES[value];
}

/**
 * Looks a pipeline name up as HiTMicTools does: exact match first, then case-insensitive.
 * Returns the canonical spelling, or `undefined`.
 */
export function findPipeline(name: string): string | undefined {
  if (PIPELINE_REQUIRED_MODELS[name]) return name;
  const lower = name.toLowerCase();
  return Object.keys(PIPELINE_REQUIRED_MODELS).find((p) => p.toLowerCase() === lower);
}
