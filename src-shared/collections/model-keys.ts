/**
 * Model keys of a HiTMicTools collection and everything known about each, in one table: adding a
 * key means adding its row here, its adapter (src-main/inference, src-main/pipeline) and, when it
 * takes settings of its own, its `inferer_args` schema (src-shared/config/model-section.ts). The records below it are
 * indexes derived from the table. Pure data, usable by the renderer.
 */

/** What one model run gives: a restored frame, a label image, or a table (classes or boxes). */
export type ModelOutput = 'image' | 'labels' | 'table';

/**
 * A memory stage HiTMicTools books while a model runs; the same names as `Stage` in
 * src-main/resources/stage-memory.ts, which holds the figures per pipeline.
 */
export type MemoryStageName =
  | 'bf_focus'
  | 'fl_focus'
  | 'segmentation'
  | 'classification'
  | 'sc_segmenter'
  | 'oof_detector'
  | 'pi_classification';

export interface ModelKeyFacts {
  /** What a microscopist reads. */
  label: string;
  /** Architecture HiTMicTools builds (reference §0 table). */
  architecture: string;
  /**
   * Base name (without extension) of the weights and metadata files the HiTMicTools bundler
   * writes (`models/<base>.pth`, `metadata/<base>.json`); pi_classification keeps its source
   * extension.
   */
  standardFileBase: string;
  /** HiTMicTools' internal type name (`load_model_fromdict` alias map), accepted in place of the key. */
  alias: string;
  /** Folder names of the per-model layout shown in the HiTMicTools user guide ("What's inside"). */
  guideFolders: readonly string[];
  output: ModelOutput;
  /**
   * An RF-DETR-style detector on tiles: its tile size need not be a power of two, its overlap may
   * exceed 0.5 and need not be a float literal, and its checkpoint is not checked against an
   * architecture's state_dict.
   */
  detector: boolean;
  /**
   * The stage it books memory under (HiTMicTools' names; it books none for pi_classification, we
   * book a little so that every session runs under a booking).
   */
  memoryStage: MemoryStageName;
}

/** The seven config keys HiTMicTools knows, in the order its docs list them. */
const TABLE = {
  bf_focus: {
    label: 'Brightfield focus restoration',
    architecture: 'NAFNet',
    standardFileBase: 'NAFNet-bf_focus_restoration',
    alias: 'focus-restorer-bf',
    guideFolders: ['bf_focus_restorer'],
    output: 'image',
    detector: false,
    memoryStage: 'bf_focus',
  },
  fl_focus: {
    label: 'Fluorescence focus restoration',
    architecture: 'NAFNet',
    standardFileBase: 'NAFNet-fl_focus_restoration',
    alias: 'focus-restorer-fl',
    guideFolders: ['fl_focus_restorer'],
    output: 'image',
    detector: false,
    memoryStage: 'fl_focus',
  },
  segmentation: {
    label: 'Cell segmentation',
    architecture: 'MonaiUnet',
    standardFileBase: 'MonaiUnet-segmentation',
    alias: 'segmentator',
    guideFolders: ['segmentation'],
    output: 'labels',
    detector: false,
    memoryStage: 'segmentation',
  },
  cell_classifier: {
    label: 'Cell classification',
    architecture: 'FlexResNet',
    standardFileBase: 'FlexResNet-cell_classifier',
    alias: 'cell-classifier',
    guideFolders: ['cell_classifier'],
    output: 'table',
    detector: false,
    memoryStage: 'classification',
  },
  pi_classification: {
    label: 'PI staining classification',
    architecture: 'PIClassifier',
    standardFileBase: 'PIClassifier',
    alias: 'pi-classifier',
    guideFolders: ['pi_classifier', 'pi_classification'],
    output: 'table',
    detector: false,
    memoryStage: 'pi_classification',
  },
  oof_detector: {
    label: 'Out-of-focus detection',
    architecture: 'RFDETR',
    standardFileBase: 'RFDETR-oof_detector',
    alias: 'oof-detector',
    guideFolders: ['oof_detector'],
    output: 'table',
    detector: true,
    memoryStage: 'oof_detector',
  },
  sc_segmenter: {
    label: 'Single-cell instance segmentation',
    architecture: 'RFDETRSegm',
    standardFileBase: 'RFDETRSegm-sc_segmenter',
    alias: 'sc-segmenter',
    guideFolders: ['sc_segmenter'],
    output: 'labels',
    detector: true,
    memoryStage: 'sc_segmenter',
  },
} satisfies Record<string, ModelKeyFacts>;

export type ModelKey = keyof typeof TABLE;

export const MODEL_KEY_TABLE: Readonly<Record<ModelKey, Readonly<ModelKeyFacts>>> = TABLE;

/**
 * The keys in the table's order (that of the HiTMicTools docs). The cast only restores what
 * Object.keys forgets: the table's own keys are exactly ModelKey.
 */
export const MODEL_KEYS = Object.keys(TABLE) as readonly ModelKey[];

/** Internal type name → key, accepted in place of a key. */
const KEY_OF_ALIAS: Readonly<Record<string, ModelKey>> = Object.fromEntries(
  MODEL_KEYS.map((k) => [TABLE[k].alias, k]),
);

/** Guide folder name → key, for the per-model layout of the HiTMicTools user guide. */
export const GUIDE_FOLDER_KEYS: Readonly<Record<string, ModelKey>> = Object.fromEntries(
  MODEL_KEYS.flatMap((k) => TABLE[k].guideFolders.map((folder) => [folder, k])),
);

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
  return isModelKey(value) ? value : KEY_OF_ALIAS[value];
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

/**
 * Whether the key's model runs over the frame in sliding windows (restorers, the U-Net): then
 * several one-thread sessions on threads pay off. Detectors tile in their own way; tables do not tile.
 */
export function runsInSlidingWindows(key: ModelKey): boolean {
  const facts = TABLE[key];
  return facts.output !== 'table' && !facts.detector;
}
