import { describe, expect, it } from 'vitest';
import { canonicalModelKey, GUIDE_FOLDER_KEYS, MODEL_KEY_TABLE, MODEL_KEYS } from './model-keys';

describe('the model-key table', () => {
  it('lists the seven HiTMicTools keys in the order of its docs', () => {
    expect(MODEL_KEYS).toEqual([
      'bf_focus',
      'fl_focus',
      'segmentation',
      'cell_classifier',
      'pi_classification',
      'oof_detector',
      'sc_segmenter',
    ]);
  });

  it("resolves HiTMicTools' internal type names (load_model_fromdict) to keys", () => {
    expect(
      Object.fromEntries(
        MODEL_KEYS.map((k) => [MODEL_KEY_TABLE[k].alias, canonicalModelKey(MODEL_KEY_TABLE[k].alias)]),
      ),
    ).toEqual({
      'focus-restorer-bf': 'bf_focus',
      'focus-restorer-fl': 'fl_focus',
      segmentator: 'segmentation',
      'cell-classifier': 'cell_classifier',
      'pi-classifier': 'pi_classification',
      'oof-detector': 'oof_detector',
      'sc-segmenter': 'sc_segmenter',
    });
    expect(canonicalModelKey('segmentation')).toBe('segmentation');
    expect(canonicalModelKey('tracking')).toBeUndefined();
  });

  it("maps the user guide's per-model folder names, both spellings of the PI classifier included", () => {
    expect(GUIDE_FOLDER_KEYS).toEqual({
      bf_focus_restorer: 'bf_focus',
      fl_focus_restorer: 'fl_focus',
      segmentation: 'segmentation',
      cell_classifier: 'cell_classifier',
      pi_classifier: 'pi_classification',
      pi_classification: 'pi_classification',
      oof_detector: 'oof_detector',
      sc_segmenter: 'sc_segmenter',
    });
  });
});
