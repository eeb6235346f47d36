import { describe, expect, it } from 'vitest';
import { choosePrecision, describeConversion, ownFp16File, WHY_CPU } from './precision';

describe('half_precision: the graph each provider runs', () => {
  it('fp16 on GPU providers (the collection’s own export first), fp32 on the CPU with the reason', () => {
    const ask = (provider: string, hasOwnFp16 = false, onCpu = false) =>
      choosePrecision({ halfPrecision: true, provider, hasOwnFp16, onCpu });
    expect(ask('cuda')).toEqual({ precision: 'fp16', source: 'made' });
    expect(ask('dml', true)).toEqual({ precision: 'fp16', source: 'collection' });
    expect(ask('coreml')).toEqual({ precision: 'fp16', source: 'made' });
    expect(ask('cpu', true)).toEqual({
      precision: 'fp32',
      outcome: { requested: 'fp16', used: 'fp32', why: WHY_CPU },
    });
    expect(ask('cpu', false, true)).toEqual({ precision: 'fp16', source: 'made' }); // tests, benchmark
    expect(choosePrecision({ halfPrecision: false, provider: 'cuda', hasOwnFp16: true })).toEqual({
      precision: 'fp32',
      outcome: { requested: 'fp32', used: 'fp32' },
    });
  });

  it('names the fp16 export beside the fp32 file', () => {
    expect(ownFp16File('/c/models/NAFNet-bf.onnx')).toBe('/c/models/NAFNet-bf.fp16.onnx');
    expect(ownFp16File('/c/models/Model.ONNX')).toBe('/c/models/Model.fp16.onnx');
  });

  it('says in one line what the transform did', () => {
    const line = describeConversion({
      initializers: 10,
      constants: 2,
      values: 100,
      clamped: 1,
      raised: 3,
      casts: 4,
      nodesFp16: 20,
      keptFp32: [
        { node: 'a', op: 'TopK', why: '' },
        { node: 'b', op: 'TopK', why: '' },
      ],
      ms: 12.4,
    });
    expect(line).toBe(
      'fp16 graph made from the fp32 one at load time in 12 ms: 12 weight tensor(s) in fp16, 20 node(s) compute in fp16, ' +
        '2 node(s) kept fp32 (TopK); 1 value(s) beyond ±65504 clamped, 3 value(s) below 1e-7 raised to 1e-7',
    );
  });
});
