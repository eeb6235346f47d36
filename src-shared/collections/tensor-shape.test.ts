import { describe, expect, it } from 'vitest';
import { displayDim, displayShape } from './tensor-shape';

describe('tensor shapes for people', () => {
  it('keeps sizes and meaningful names, shows exporter-invented names as ?', () => {
    expect(displayShape(['N', 1, 'H', 'W'])).toBe('N,1,H,W');
    expect(displayShape(['N', 'Sliceoutput_dim_1', 'H', 'W'], '×')).toBe('N×?×H×W');
    expect(displayShape(['batch', 'Expandpred_boxes_dim_1', 'unk__42', 4])).toBe('batch,?,?,4');
    expect(displayShape([null, -1, 'height'])).toBe('?,?,height');
    expect(displayShape(null)).toBe('?');
    expect(displayDim('num_queries')).toBe('num_queries');
  });
});
