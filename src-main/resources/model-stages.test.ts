import { describe, expect, it } from 'vitest';
import { MODEL_KEY_TABLE, MODEL_KEYS } from '../../src-shared/collections';
import { stageReservation, type Stage } from './stage-memory';

describe('memory stages of the model-key table', () => {
  it('names only stages the booking code knows', () => {
    // The annotation is the check: src-shared cannot import Stage, so the table keeps its own
    // list of names, and this stops compiling if one of them is not a Stage.
    const stages: Stage[] = MODEL_KEYS.map((k) => MODEL_KEY_TABLE[k].memoryStage);
    expect(stages).toEqual([
      'bf_focus',
      'fl_focus',
      'segmentation',
      'classification',
      'pi_classification',
      'oof_detector',
      'sc_segmenter',
    ]);
  });

  it('books a little for the PI classifier in every pipeline (HiTMicTools books nothing)', () => {
    for (const pipeline of ['ASCT_focusrestore', 'ASCT_scsegm', 'oof_detection'])
      expect(stageReservation(pipeline, 'pi_classification', { capacityGb: 24 })).toEqual({
        gb: 0.5,
        timeoutMs: 120_000,
      });
  });
});
