import { describe, expect, it } from 'vitest';
import { WHY_CPU, WHY_FEATURE_TABLE, type ModelPrecision } from '../inference';
import { memoryRemedies } from './out-of-memory';
import { precisionFacts, precisionLines } from './precision';

const made: ModelPrecision = {
  requested: 'fp16',
  used: 'fp16',
  why: 'fp16 graph made …',
  conversion: {
    initializers: 10,
    constants: 2,
    values: 100,
    clamped: 0,
    raised: 1,
    casts: 2,
    nodesFp16: 20,
    keptFp32: [{ node: 'k', op: 'TopK', why: 'kept' }],
    ms: 7.6,
  },
};

describe('precision in run.json and the log', () => {
  it('records, per model that asked for fp16, what ran and why', () => {
    const facts = precisionFacts({
      bf_focus: made,
      fl_focus: { requested: 'fp16', used: 'fp32', why: WHY_CPU },
      segmentation: { requested: 'fp32', used: 'fp32' },
      pi_classification: { requested: 'fp16', used: 'fp32', why: WHY_FEATURE_TABLE },
    });
    expect(facts).toEqual({
      bf_focus: {
        requested: 'fp16',
        used: 'fp16',
        why: 'fp16 graph made …',
        fp16_graph: {
          ms: 8,
          weight_tensors: 12,
          nodes_fp16: 20,
          kept_fp32: [{ node: 'k', op: 'TopK', why: 'kept' }],
          clamped: 0,
          raised: 1,
        },
      },
      fl_focus: { requested: 'fp16', used: 'fp32', why: WHY_CPU },
      pi_classification: { requested: 'fp16', used: 'fp32', why: WHY_FEATURE_TABLE },
    });
  });

  it('logs one line per reason for fp32 (the same for every movie) and one per model in fp16', () => {
    const lines = precisionLines({
      bf_focus: { requested: 'fp16', used: 'fp32', why: WHY_CPU },
      fl_focus: { requested: 'fp16', used: 'fp32', why: WHY_CPU },
      segmentation: made,
      cell_classifier: { requested: 'fp32', used: 'fp32' },
    });
    expect(lines.fallbacks).toEqual([`half_precision: bf_focus, fl_focus run fp32 — ${WHY_CPU}`]);
    expect(lines.used).toEqual(['half_precision: segmentation runs fp16 — fp16 graph made …']);
  });
});

describe('half precision as an out-of-memory remedy', () => {
  const plan = (half: boolean) => ({
    key: 'bf_focus' as const,
    weights: 'x.onnx',
    metadata: null,
    infererArgs: { patch_size: 256, half_precision: half },
    modelArgs: {},
  });
  const fp16 = (rs: string[]) => rs.filter((r) => r.includes('half_precision'));

  it('is offered on a GPU provider for an image model that runs fp32, not on the CPU', () => {
    expect(fp16(memoryRemedies('bf_focus', { plan: plan(false), provider: 'cuda' }))).toEqual([
      'bf_focus half_precision: true runs an fp16 graph on cuda: about half the memory for weights and activations',
    ]);
    expect(fp16(memoryRemedies('bf_focus', { plan: plan(false), provider: 'cpu' }))).toEqual([]);
    expect(fp16(memoryRemedies('bf_focus', { plan: plan(true), provider: 'cuda' }))).toEqual([]);
  });
});
