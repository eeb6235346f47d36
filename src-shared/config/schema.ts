/**
 * The HiTMicTools 0.5.15 run-config schema: every key the code reads, its type, whether the code
 * requires it, and the default the code applies (reference §2.2–2.6, §4.2–4.6). Pure data: the
 * generic checker is section-check.ts, the cross-field rules live in validate*.ts.
 */

export type FieldType = 'int' | 'number' | 'bool' | 'string' | 'mapping' | 'list' | 'any';

export interface FieldSpec {
  type: FieldType;
  /** `true`: HiTMicTools fails without it. `'key'`: the key must exist but its value may be null. */
  required?: boolean | 'key';
  /** `null` is accepted. */
  nullable?: boolean;
  /** What HiTMicTools uses when the key is absent. */
  default?: unknown;
  /** Allowed values (compared after lower-casing strings when `caseInsensitive`). */
  enum?: readonly (string | boolean)[];
  min?: number;
  max?: number;
  /** One line for error messages and the Config form. */
  doc: string;
}

export type SectionSpec = Readonly<Record<string, FieldSpec>>;

export const INPUT_DATA_SPEC: SectionSpec = {
  input_folder: { type: 'string', required: true, doc: 'folder holding the movies' },
  output_folder: { type: 'string', required: true, doc: 'folder for results (created if missing)' },
  file_type: { type: 'string', required: true, doc: "movie file suffix, e.g. '.nd2' or '.tiff'" },
  file_pattern: {
    type: 'string',
    required: 'key',
    nullable: true,
    default: '',
    doc: 'glob prefix (not a regex); null means any',
  },
  export_labelled_masks: {
    type: 'bool',
    required: true,
    doc: 'also export labelled masks and aligned images',
  },
};

export const PIPELINE_SETUP_SPEC: SectionSpec = {
  name: { type: 'string', required: true, doc: 'pipeline name, e.g. ASCT_focusrestore' },
  parallel_processing: { type: 'bool', required: true, doc: 'process several movies at once' },
  num_workers: {
    type: 'int',
    nullable: true,
    min: 0,
    max: 256,
    doc: 'parallel workers; 0 or null means half the CPU cores',
  },
  reference_channel: { type: 'int', required: true, min: 0, max: 255, doc: 'brightfield channel index' },
  align_frames: { type: 'bool', required: true, doc: 'register frames before analysis' },
  method: {
    type: 'string',
    required: true,
    enum: ['standard', 'basicpy', 'basicpy_fl'],
    doc: 'background correction',
  },
  focus_correction: { type: 'bool', required: true, doc: 'run the focus restorers' },
  compile_models: {
    type: 'any',
    default: false,
    enum: ['default', 'reduce-overhead', 'max-autotune', false],
    doc: 'torch.compile mode or false',
  },
  tracking: { type: 'bool', default: false, doc: 'link cells over time' },
  pi_channel: { type: 'int', min: 0, max: 255, doc: 'PI (fluorescence) channel index' },
  gfp_channel: {
    type: 'int',
    nullable: true,
    min: 0,
    max: 255,
    default: null,
    doc: 'GFP channel index (ASCT_zaslavier, ASCT_cellasic)',
  },
  debug_provenance: { type: 'bool', default: false, doc: 'log source path and Python executable' },
  // HiTMic Studio's own keys; HiTMicTools attaches unknown pipeline_setup keys and ignores them.
  capacity_gb: {
    type: 'number',
    nullable: true,
    min: 0,
    max: 1_000_000,
    default: null,
    doc: 'HiTMic Studio: cap on the memory (GB) this run may book per device',
  },
  device: {
    type: 'string',
    nullable: true,
    default: null,
    doc: 'HiTMic Studio: where models run — auto, cpu, cuda, cuda:N, dml, coreml; bookings follow the device used',
  },
  stage_memory_gb: {
    type: 'mapping',
    nullable: true,
    default: null,
    doc: "HiTMic Studio: GB each model stage books, e.g. {segmentation: 2}, instead of HiTMicTools' figures",
  },
  memory_wait_s: {
    type: 'number',
    nullable: true,
    min: 1,
    max: 604_800,
    default: null,
    doc: 'HiTMic Studio: how long a stage may wait for its memory, seconds (default 120–240 per stage)',
  },
  sc_segmenter_temporal_buffer_size: {
    type: 'int',
    nullable: true,
    min: 1,
    max: 100_000,
    default: null,
    doc: 'frames per sc_segmenter buffer',
  },
  sc_segmenter_batch_size: {
    type: 'int',
    nullable: true,
    min: 1,
    max: 4096,
    default: null,
    doc: 'tiles per sc_segmenter batch',
  },
  crop_to_target_line: { type: 'bool', default: true, doc: 'ASCT_cellasic only' },
  cellasic_gaussian_sigma: { type: 'number', default: 2.0, doc: 'ASCT_cellasic only' },
  cellasic_ncc_threshold: { type: 'number', default: 0.5, doc: 'ASCT_cellasic only' },
  cellasic_calibration_path: { type: 'string', nullable: true, default: null, doc: 'ASCT_cellasic only' },
  cellasic_per_frame_crop: { type: 'bool', default: true, doc: 'ASCT_cellasic only' },
};

export const MODELS_SPEC: SectionSpec = {
  model_collection: { type: 'string', nullable: true, doc: 'path to a model collection ZIP' },
};

/** `inferer_args` of bf_focus / fl_focus (FocusRestorer) and segmentation (Segmentator). */
export const FOCUS_INFERER_SPEC: SectionSpec = {
  patch_size: { type: 'int', required: true, min: 1, doc: 'sliding-window size in pixels (a power of two)' },
  overlap_ratio: { type: 'number', required: true, min: 0, doc: 'window overlap, a float in [0, 0.5]' },
  scale_method: {
    type: 'string',
    default: 'range01',
    enum: ['range01', 'zscore', 'combined', 'fixed_range'],
    doc: 'intensity scaling',
  },
  half_precision: { type: 'bool', default: false, doc: 'run in fp16 on a GPU provider (fp32 on the CPU)' },
  scaler_args: {
    type: 'mapping',
    default: {},
    doc: 'pmin/pmax (range01, combined) or bit_depth (fixed_range)',
  },
};

export const SEGMENTATION_INFERER_SPEC: SectionSpec = {
  ...FOCUS_INFERER_SPEC,
  scale_method: {
    type: 'string',
    default: 'range01',
    enum: ['range01', 'zscore', 'combined', 'fixed_range', 'none'],
    doc: 'intensity scaling',
  },
};

export const SCALER_ARGS_SPEC: SectionSpec = {
  pmin: { type: 'number', min: 0, max: 100, default: 1.0, doc: 'lower percentile (range01, combined)' },
  pmax: { type: 'number', min: 0, max: 100, default: 99.8, doc: 'upper percentile (range01, combined)' },
  bit_depth: { type: 'int', min: 1, max: 32, doc: 'camera bit depth (fixed_range)' },
  clip: { type: 'bool', default: true, doc: 'clip to [0, 1] after range01' },
};

export const CLASSIFIER_MODEL_ARGS_SPEC: SectionSpec = {
  min_size: {
    type: 'int',
    nullable: true,
    min: 1,
    default: null,
    doc: 'crop size objects are resized/padded to',
  },
  classes: { type: 'mapping', nullable: true, default: null, doc: 'class index → name' },
  batch_size: { type: 'int', min: 1, default: 1024, doc: 'crops per forward pass' },
};

export const OOF_INFERER_SPEC: SectionSpec = {
  patch_size: { type: 'int', min: 1, default: 560, doc: 'tile size' },
  overlap_ratio: { type: 'number', min: 0, default: 0.25, doc: 'tile overlap in [0, 1)' },
  score_threshold: { type: 'number', min: 0, max: 1, default: 0.5, doc: 'detection score threshold' },
  nms_iou: { type: 'number', min: 0, max: 1, default: 0.5, doc: 'per-class NMS IoU' },
  class_dict: { type: 'mapping', nullable: true, default: null, doc: 'class name → index, e.g. {oof: 0}' },
  model_type: { type: 'string', default: 'rfdetrbase', enum: ['rfdetrbase'], doc: 'detector type' },
};

export const SC_INFERER_SPEC: SectionSpec = {
  patch_size: { type: 'int', min: 1, default: 256, doc: 'tile size' },
  overlap_ratio: { type: 'number', min: 0, default: 0.33, doc: 'tile overlap in [0, 1)' },
  score_threshold: { type: 'number', min: 0, max: 1, default: 0.4, doc: 'detection score threshold' },
  nms_iou: { type: 'number', min: 0, max: 1, default: 0.4, doc: 'cross-class NMS IoU' },
  clump_merge_min_overlap: {
    type: 'number',
    min: 0,
    default: 250,
    doc: 'pixels of mask overlap to merge clumps',
  },
  priority_overlap_fraction: { type: 'number', min: 0, max: 1, default: 0.5, doc: 'fraction in (0, 1]' },
  temporal_buffer_size: { type: 'int', min: 1, default: 8, doc: 'frames per buffer' },
  batch_size: { type: 'int', min: 1, default: 128, doc: 'tiles per batch' },
  mask_threshold: {
    type: 'number',
    min: 0,
    max: 1,
    default: 0.5,
    doc: 'mask binarisation threshold in (0, 1)',
  },
  min_mask_area: { type: 'number', min: 0, default: 5, doc: 'smallest kept instance, pixels' },
  class_dict: { type: 'mapping', nullable: true, default: null, doc: 'class index → name' },
  model_type: { type: 'string', default: 'rfdetrsegpreview', doc: 'segmenter type (logged only)' },
};

export const TRACKING_SPEC: SectionSpec = {
  backend: { type: 'string', default: 'btrack', enum: ['btrack', 'hungarian'], doc: 'tracker backend' },
  parameters_override: {
    type: 'mapping',
    nullable: true,
    default: null,
    doc: 'btrack: deep-merged into the config',
  },
  config_path: {
    type: 'string',
    nullable: true,
    default: null,
    doc: 'btrack config file when no collection',
  },
  version: { type: 'string', enum: ['v1', 'v2', 'legacy', 'v5'], doc: 'Hungarian tracker version' },
  parameters: { type: 'mapping', nullable: true, default: {}, doc: 'Hungarian tracker parameters' },
  lineage: {
    type: 'string',
    default: 'ctc',
    enum: ['ctc', 'hitmictools'],
    doc: "divisions: 'ctc' (the mother's track ends, both daughters start with her as parent) or 'hitmictools' (HiTMicTools' trackid and parent_track_id as they are)",
  },
};

/** The memory stages a run books (src-main/resources/stage-memory.ts), for `stage_memory_gb`. */
export const MEMORY_STAGES = [
  'bf_focus',
  'fl_focus',
  'gfp_focus',
  'segmentation',
  'classification',
  'sc_segmenter',
  'oof_detector',
  'pi_classification',
] as const;

/** `pipeline_setup.stage_memory_gb`: GB per stage, finite and non-negative. */
export const STAGE_MEMORY_SPEC: SectionSpec = Object.fromEntries(
  MEMORY_STAGES.map((stage) => [
    stage,
    { type: 'number', min: 0, max: 1_000_000, doc: `GB the ${stage} stage books` } satisfies FieldSpec,
  ]),
);

/**
 * The Hungarian trackers' parameters (HiTMicTools' `tracking.parameters`, v2 and v5): finite,
 * non-negative numbers; other keys are passed on (a warning names them).
 */
export const HUNGARIAN_PARAMETERS_SPEC: SectionSpec = {
  version: { type: 'string', enum: ['v1', 'v2', 'legacy', 'v5'], doc: 'tracker version (old place)' },
  max_distance: { type: 'number', min: 0, max: 1e6, doc: 'largest link distance, pixels' },
  gap_bridge_frames: { type: 'int', min: 0, max: 100_000, doc: 'frames a track may skip' },
  area_weight: { type: 'number', min: 0, max: 1e6, doc: 'weight of the area change in the cost' },
  shape_weight: { type: 'number', min: 0, max: 1e6, doc: 'weight of the shape change in the cost' },
  detect_divisions: { type: 'bool', doc: 'find divisions' },
  division_area_ratio_range: { type: 'list', doc: 'daughter/mother area ratio [low, high]' },
  division_search_radius: { type: 'number', min: 0, max: 1e6, doc: 'daughter search radius, pixels' },
  reid_enabled: { type: 'bool', doc: 're-identify lost cells' },
  reid_max_gap: { type: 'int', min: 0, max: 100_000, doc: 'frames a lost cell may be gone' },
  reid_max_distance: { type: 'number', min: 0, max: 1e6, doc: 're-identification distance, pixels' },
  reid_area_tol: { type: 'number', min: 0, max: 1e6, doc: 're-identification area tolerance' },
  reid_shape_tol: { type: 'number', min: 0, max: 1e6, doc: 're-identification shape tolerance' },
  stitch_max_distance: { type: 'number', min: 0, max: 1e6, doc: 'track stitching distance, pixels' },
};
