/**
 * convertTorchModel's contract beyond the numbers: which architectures it takes, how it refuses
 * the rest, model_args checks (each naming the key), warnings, the ONNX it writes (opset, IR,
 * interface, metadata), and the state_dict description inspect shares.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnxGraph, readTorchCheckpoint } from '../io';
import {
  ConversionError,
  CONVERTER_VERSION,
  convertibleArchitecture,
  convertTorchModel,
  expectedStateDict,
} from '.';

const DIR = path.resolve(__dirname, '../../test-support/converter');
const read = (f: string): Buffer => fs.readFileSync(path.join(DIR, f));
const args = (name: string): Record<string, unknown> =>
  JSON.parse(read(`${name}.json`).toString()).model_args;

async function refusal(input: Parameters<typeof convertTorchModel>[0]): Promise<ConversionError> {
  const e = await convertTorchModel(input).catch((x: unknown) => x);
  if (!(e instanceof ConversionError)) throw new Error(`expected a ConversionError, got ${String(e)}`);
  return e;
}

describe('architectures', () => {
  it('takes the names HiTMicTools uses, case-insensitively, and nothing else', () => {
    for (const a of [
      'NAFNet',
      'nafnet',
      'MonaiUnet',
      'MONAIUNET',
      'UNet',
      'unet',
      'FlexResNet',
      'flexresnet',
    ])
      expect(convertibleArchitecture(a), a).toBe(true);
    for (const a of ['RFDETR', 'RFDETRSegm', 'PIClassifier', 'OofGridDetector', 'UNET2', ''])
      expect(convertibleArchitecture(a), a).toBe(false);
  });

  it.each(['RFDETR', 'RFDETRSegm', 'rfdetrbase'])('%s: out of scope, export with its own tool', async (a) => {
    const e = await refusal({
      checkpoint: read('nafnet_l0.pth'),
      architecture: a,
      modelArgs: {},
      file: 'oof.pth',
    });
    expect(e.architecture).toBe(a);
    expect(e.file).toBe('oof.pth');
    expect(e.message).toMatch(/oof\.pth/);
    expect(e.message).toMatch(/rfdetr/i);
    expect(e.fix).toMatch(/export\(\)/);
  });

  it('an unknown architecture names what it takes', async () => {
    const e = await refusal({ checkpoint: read('nafnet_l0.pth'), architecture: 'ResNet50', modelArgs: {} });
    expect(e.message).toMatch(/'ResNet50' is not an architecture .*NAFNet, MonaiUnet, FlexResNet/);
  });
});

describe('model_args', () => {
  const base = { checkpoint: read('nafnet_l2.pth'), architecture: 'NAFNet', file: 'bf.pth' };

  it.each([
    [
      { ...args('nafnet_l2'), width: 8 },
      'intro.weight',
      /intro\.weight has shape \(4,1,3,3\) in the checkpoint, model_args imply \(8,1,3,3\)/,
    ],
    [{ ...args('nafnet_l2'), enc_blk_nums: [1, 1] }, 'encoders.1.1.beta', /encoders\.1\.1\.beta/],
  ])('wrong values show up as the first tensor they change (%#)', async (modelArgs, tensor, message) => {
    const e = await refusal({ ...base, modelArgs });
    expect(e.tensor).toBe(tensor);
    expect(e.message).toMatch(message);
  });

  it('an argument the constructor does not take', async () => {
    const e = await refusal({ ...base, modelArgs: { ...args('nafnet_l2'), dw_expand: 2 } });
    expect(e.modelArg).toBe('dw_expand');
    expect(e.message).toMatch(/model_args\.dw_expand is not an argument of NAFNet .*TypeError/);
    expect(e.fix).toMatch(/Correct model_args\.dw_expand/);
  });

  it('a decoder that does not mirror the encoder', async () => {
    const e = await refusal({ ...base, modelArgs: { ...args('nafnet_l2'), dec_blk_nums: [2] } });
    expect(e.modelArg).toBe('dec_blk_nums');
  });

  it('options HiTMicTools accepts but the converter cannot build say to export with torch', async () => {
    const unet = { checkpoint: read('unet_r0_l3.pth'), architecture: 'MonaiUnet' };
    for (const [modelArgs, key] of [
      [{ ...args('unet_r0_l3'), norm: ['localresponse', { size: 3 }] }, 'norm'],
      [{ ...args('unet_r0_l3'), spatial_dims: 3 }, 'spatial_dims'],
      [{ ...args('unet_r0_l3'), norm: ['batch', { track_running_stats: false }] }, 'norm'],
    ] as const) {
      const e = await refusal({ ...unet, modelArgs });
      expect(e.modelArg).toBe(key);
      expect(e.fix).toMatch(/torch\.onnx\.export/);
    }
  });

  it('values MONAI itself refuses', async () => {
    const unet = { checkpoint: read('unet_r0_l3.pth'), architecture: 'unet' };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...args('unet_r0_l3'), kernel_size: 4 }, 'kernel_size', /even kernels/],
      [{ ...args('unet_r0_l3'), act: 'swishy' }, 'act', /unknown MONAI activation "swishy"/],
      [{ ...args('unet_r0_l3'), adn_ordering: 'NDX' }, 'adn_ordering', /letters N, D and A/],
      [{ ...args('unet_r0_l3'), strides: [2] }, 'strides', /needs 2 entries/],
      [{ ...args('unet_r0_l3'), channels: undefined }, 'channels', /is required/],
    ];
    for (const [modelArgs, key, message] of cases) {
      const e = await refusal({ ...unet, modelArgs });
      expect(e.modelArg).toBe(key);
      expect(e.message).toMatch(message);
    }
  });

  it('FlexResNet: a dilation makes the first block fail in PyTorch too', async () => {
    const e = await refusal({
      checkpoint: read('flex_b1.pth'),
      architecture: 'FlexResNet',
      modelArgs: { ...args('flex_b1'), dilation: 2 },
    });
    expect(e.modelArg).toBe('dilation');
  });
});

describe('the ONNX it writes', () => {
  it('opset 17, IR 8, the demo interface, provenance in metadata_props', async () => {
    const res = await convertTorchModel({
      checkpoint: read('nafnet_l2.pth'),
      architecture: 'NAFNet',
      modelArgs: args('nafnet_l2'),
      key: 'bf_focus',
      file: 'models/NAFNet-bf.pth',
    });
    const g = readOnnxGraph(res.onnx, 'converted');
    expect(g.irVersion).toBe(8);
    expect(g.opsets).toEqual({ '': 17 });
    expect(g.producer).toBe(`hitmic-studio convert ${CONVERTER_VERSION}`);
    expect(g.inputs).toEqual([{ name: 'input', type: 'float32', shape: ['N', 1, 'H', 'W'] }]);
    expect(g.outputs).toEqual([{ name: 'output', type: 'float32', shape: ['N', 1, 'H', 'W'] }]);
    expect(g.metadata).toMatchObject({
      architecture: 'NAFNet',
      hitmic_key: 'bf_focus',
      source_file: 'models/NAFNet-bf.pth',
      model_args: JSON.stringify(args('nafnet_l2')),
    });
    expect(res.tensors).toBe((await readTorchCheckpoint(read('nafnet_l2.pth'))).tensors.length);
    expect(res.warnings).toEqual([]);
    // Same input, same bytes: a conversion can be cached by checksum and CONVERTER_VERSION.
    const again = await convertTorchModel({
      checkpoint: read('nafnet_l2.pth'),
      architecture: 'nafnet',
      modelArgs: args('nafnet_l2'),
      key: 'bf_focus',
      file: 'models/NAFNet-bf.pth',
    });
    expect(Buffer.from(again.onnx).equals(Buffer.from(res.onnx))).toBe(true);
  });

  it('classifiers: dynamic crops with global pooling, the crop size fixed without', async () => {
    const pooled = await convertTorchModel({
      checkpoint: read('flex_b1.pth'),
      architecture: 'FlexResNet',
      modelArgs: args('flex_b1'),
    });
    expect(readOnnxGraph(pooled.onnx).inputs[0].shape).toEqual(['N', 1, 'H', 'W']);
    expect(readOnnxGraph(pooled.onnx).outputs[0].shape).toEqual(['N', 3]);
    const flat = await convertTorchModel({
      checkpoint: read('flex_b2_nopool.pth'),
      architecture: 'FlexResNet',
      modelArgs: args('flex_b2_nopool'),
    });
    expect(readOnnxGraph(flat.onnx).inputs[0].shape).toEqual(['N', 1, 16, 16]);
    expect(flat.warnings).toEqual([]);
  });

  it('classifiers: cropSize fixes H and W (padding up to min_size with constants)', async () => {
    const base = { checkpoint: read('flex_b1.pth'), architecture: 'FlexResNet', modelArgs: args('flex_b1') };
    const fixed = await convertTorchModel({ ...base, cropSize: 24 });
    expect(readOnnxGraph(fixed.onnx).inputs[0].shape).toEqual(['N', 1, 24, 24]);
    expect(readOnnxGraph(fixed.onnx).metadata.crop_size).toBe('24');
    const small = await convertTorchModel({ ...base, cropSize: 12 });
    expect(readOnnxGraph(small.onnx).inputs[0].shape).toEqual(['N', 1, 12, 12]);
    for (const cropSize of [0, 2.5, -3]) {
      const e = await refusal({ ...base, cropSize });
      expect(e.message).toMatch(/crop size .* is not a positive integer/);
    }
    // Without pooling the crop size must give the Linear's in_features.
    const e = await refusal({
      checkpoint: read('flex_b2_nopool.pth'),
      architecture: 'FlexResNet',
      modelArgs: args('flex_b2_nopool'),
      cropSize: 24,
    });
    expect(e.tensor).toBe('classifier.0.weight');
    expect([e.expected, e.actual]).toEqual(['(3,1152)', '(3,512)']);
  });

  it('a model_args that is not a mapping', async () => {
    const e = await refusal({
      checkpoint: read('flex_b1.pth'),
      architecture: 'FlexResNet',
      modelArgs: null as never,
    });
    expect(e.message).toMatch(/model_args is null/);
  });

  it('FlexResNet without pooling: a min_size that does not fit the checkpoint is settled by it, with a warning', async () => {
    const res = await convertTorchModel({
      checkpoint: read('flex_b2_nopool.pth'),
      architecture: 'FlexResNet',
      modelArgs: { ...args('flex_b2_nopool'), min_size: 12 },
    });
    expect(readOnnxGraph(res.onnx).inputs[0].shape).toEqual(['N', 1, 16, 16]);
    expect(res.warnings.join('\n')).toMatch(/16×16 crop .*set the classifier's min_size to 16/);
  });

  it('float16 and float64 checkpoints convert with a warning', async () => {
    const res = await convertTorchModel({
      checkpoint: read('nafnet_img2_fp16.pth'),
      architecture: 'NAFNet',
      modelArgs: args('nafnet_img2_fp16'),
      file: 'half.pth',
    });
    expect(res.warnings).toEqual([
      expect.stringMatching(/half\.pth: \d+ tensor\(s\) stored as float16 were converted to float32/),
    ]);
  });
});

describe('the state_dict description inspect shares', () => {
  it('equals the checkpoint of every fixture exactly', async () => {
    const index = JSON.parse(read('cases.json').toString()) as {
      cases: { name: string; architecture: string; refused?: boolean; same_as?: string }[];
    };
    for (const c of index.cases.filter((k) => !k.refused)) {
      const ck = await readTorchCheckpoint(read(`${c.name}.pth`));
      const expected = expectedStateDict(c.architecture, args(c.same_as ?? c.name), ck.tensors);
      expect(new Map(ck.tensors.map((t) => [t.name, t.shape])), c.name).toEqual(expected);
    }
  });

  it('is null for architectures it does not describe', () => {
    expect(expectedStateDict('RFDETR', {})).toBeNull();
  });
});
