import { describe, expect, it } from 'vitest';
import { chooseModelFile, resetPrecisionNotes } from './precision';

describe('half_precision model choice', () => {
  it('fp16 only with a GPU provider and an fp16 file; on CPU one note per process', () => {
    resetPrecisionNotes();
    expect(
      chooseModelFile({ fp32File: 'a.onnx', fp16File: 'a16.onnx', halfPrecision: true, provider: 'cuda' }),
    ).toEqual({ file: 'a16.onnx', precision: 'fp16' });
    expect(
      chooseModelFile({ fp32File: 'a.onnx', fp16File: 'a16.onnx', halfPrecision: false, provider: 'cuda' })
        .file,
    ).toBe('a.onnx');
    expect(chooseModelFile({ fp32File: 'a.onnx', halfPrecision: true, provider: 'dml' }).note).toMatch(
      /no fp16 model/,
    );
    const first = chooseModelFile({
      fp32File: 'a.onnx',
      fp16File: 'a16.onnx',
      halfPrecision: true,
      provider: 'cpu',
    });
    expect(first).toMatchObject({ file: 'a.onnx', precision: 'fp32' });
    expect(first.note).toMatch(/ignored on CPU/);
    expect(
      chooseModelFile({ fp32File: 'b.onnx', fp16File: 'b16.onnx', halfPrecision: true, provider: 'cpu' })
        .note,
    ).toBeUndefined();
  });
});
