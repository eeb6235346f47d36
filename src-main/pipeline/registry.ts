/**
 * The pipelines HiTMicTools registers, with the model keys each requires
 * (reference: hitmictools-models-resources.md §0). Lookup is exact first, then
 * case-insensitive, as HiTMicTools' get_pipeline does.
 */
export type ModelKey = 'bf_focus' | 'fl_focus' | 'segmentation' | 'cell_classifier' | 'pi_classification' | 'oof_detector' | 'sc_segmenter';

export interface PipelineSpec {
  name: string;
  requiredModels: ModelKey[];
  /** Whether HiTMic Studio runs it yet; the others are recognised and refused clearly. */
  implemented: boolean;
  summary: string;
}

export const PIPELINES: PipelineSpec[] = [
  {
    name: 'ASCT_focusrestore',
    requiredModels: ['bf_focus', 'fl_focus', 'segmentation', 'cell_classifier', 'pi_classification'],
    implemented: true,
    summary: 'restore BF and FL → segment → label → classify → measure → background → PI → track → export',
  },
  {
    name: 'ASCT_ImageProcessing',
    requiredModels: ['bf_focus', 'fl_focus', 'segmentation', 'cell_classifier', 'pi_classification'],
    implemented: false,
    summary: 'single-frame snapshots',
  },
  {
    name: 'ASCT_scsegm',
    requiredModels: ['bf_focus', 'fl_focus', 'sc_segmenter', 'pi_classification'],
    implemented: false,
    summary: 'restore → one-step instance segmentation → measure → PI → track with piPOS lock-in → export',
  },
  { name: 'ASCT_cellasic', requiredModels: ['bf_focus', 'fl_focus', 'sc_segmenter', 'pi_classification'], implemented: false, summary: 'CellASIC ONIX2 chambers' },
  {
    name: 'ASCT_zaslavier',
    requiredModels: ['bf_focus', 'fl_focus', 'segmentation', 'cell_classifier', 'pi_classification', 'sc_segmenter'],
    implemented: false,
    summary: 'three channels with GFP',
  },
  {
    name: 'oof_detection',
    requiredModels: ['bf_focus', 'fl_focus', 'oof_detector', 'segmentation', 'cell_classifier'],
    implemented: false,
    summary: 'out-of-focus QC on the first frame',
  },
];

export class UnknownPipelineError extends Error {
  constructor(readonly requested: string) {
    super(`Invalid pipeline name: '${requested}'. Available pipelines: ${PIPELINES.map((p) => p.name).join(', ')}`);
    this.name = 'UnknownPipelineError';
  }
}

export function findPipeline(name: string): PipelineSpec {
  const exact = PIPELINES.find((p) => p.name === name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const loose = PIPELINES.find((p) => p.name.toLowerCase() === lower);
  if (loose) return loose;
  throw new UnknownPipelineError(name);
}
