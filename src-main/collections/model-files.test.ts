/**
 * The PyTorch readers of model files, on small real files made by scripts/make-test-collections.py
 * (PyTorch 1.13 state_dicts). The ONNX and .npy readers are tested in src-main/io.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareStateDict,
  expectedStateDict,
  flexResNetStateDict,
  monaiUnetStateDict,
  nafnetStateDict,
} from '../convert';
import { PickleError, readPickle } from '../io';
import { CheckpointError, readTorchCheckpoint } from '../io';

const assets = path.resolve(__dirname, '../../test-support/collections');
const read = (f: string): Buffer => fs.readFileSync(path.join(assets, f));
const meta = (f: string): Record<string, unknown> => JSON.parse(read(f).toString()).model_args;

describe('PyTorch state_dict reader (pickle protocol 2 inside torch ZIP)', () => {
  it('lists names, dtypes and shapes of a real NAFNet state_dict', async () => {
    const ck = await readTorchCheckpoint(read('nafnet_tiny.pth'));
    expect(ck.container).toBe('');
    expect(ck.problems).toEqual([]);
    expect(ck.tensors).toHaveLength(61);
    expect(ck.tensors[0]).toEqual({ name: 'intro.weight', dtype: 'float32', shape: [4, 1, 3, 3] });
    expect(ck.tensors.find((t) => t.name === 'ups.0.0.weight')?.shape).toEqual([16, 8, 1, 1]);
    expect(ck.tensors.find((t) => t.name === 'encoders.0.0.beta')?.shape).toEqual([1, 4, 1, 1]);
  });

  for (const [file, arch, count] of [
    ['nafnet_tiny', 'NAFNet', 61],
    ['flexresnet_tiny', 'FlexResNet', 21],
    ['unet_tiny', 'MonaiUnet', 35],
    ['unet_tiny_nores', 'MonaiUnet', 14],
  ] as const) {
    it(`${file}: the ${arch} that model_args imply matches the checkpoint exactly`, async () => {
      const ck = await readTorchCheckpoint(read(`${file}.pth`));
      const expected = expectedStateDict(arch, meta(`${file}.json`));
      expect(expected?.size).toBe(count);
      expect(ck.tensors.map((t) => t.name).sort()).toEqual([...(expected?.keys() ?? [])].sort());
      expect(compareStateDict(expected!, ck.tensors, arch, file)).toEqual([]);
    });
  }

  it('names the renamed key, the missing key and the wrong shape of a deliberately broken checkpoint', async () => {
    const ck = await readTorchCheckpoint(read('nafnet_tiny_wrong.pth'));
    const problems = compareStateDict(
      nafnetStateDict(meta('nafnet_tiny.json')),
      ck.tensors,
      'NAFNet',
      'w.pth',
    );
    const text = problems.map((p) => p.message).join('\n');
    expect(text).toMatch(/missing from the checkpoint: intro\.weight/);
    expect(text).toMatch(/unexpected key\(s\) .*: intro\.weights/);
    expect(text).toMatch(/ending\.bias: checkpoint has \(2\), model_args imply \(1\)/);
    expect(problems.every((p) => p.severity === 'error' && p.code === 'state-dict-mismatch')).toBe(true);
  });

  it('wrong model_args (width 8 instead of 4) show up as shape mismatches, not a vague error', async () => {
    const ck = await readTorchCheckpoint(read('nafnet_tiny.pth'));
    const problems = compareStateDict(
      nafnetStateDict({ ...meta('nafnet_tiny.json'), width: 8 }),
      ck.tensors,
      'NAFNet',
      'x',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(
      /intro\.weight: checkpoint has \(4,1,3,3\), model_args imply \(8,1,3,3\)/,
    );
  });

  it('reference §5 anchors: NAFNet width 16 / enc [1,1,1] has 139 tensors; MONAI UNet key shapes', () => {
    const naf = nafnetStateDict({
      img_channel: 1,
      width: 16,
      middle_blk_num: 1,
      enc_blk_nums: [1, 1, 1],
      dec_blk_nums: [1, 1, 1],
    });
    expect(naf.size).toBe(139);
    expect(naf.get('ups.0.0.weight')).toEqual([256, 128, 1, 1]);
    expect(naf.get('downs.0.weight')).toEqual([32, 16, 2, 2]);
    const u0 = monaiUnetStateDict({
      spatial_dims: 2,
      in_channels: 1,
      out_channels: 1,
      channels: [16, 32, 64],
      strides: [2, 2],
      num_res_units: 0,
    });
    expect(u0.get('model.1.submodule.2.conv.weight')).toEqual([96, 16, 3, 3]);
    expect(u0.has('model.2.adn.A.weight')).toBe(false);
    const u2 = monaiUnetStateDict({
      spatial_dims: 2,
      in_channels: 1,
      out_channels: 1,
      channels: [16, 32, 64],
      strides: [2, 2],
      num_res_units: 2,
    });
    expect(u2.get('model.1.submodule.1.submodule.residual.weight')).toEqual([64, 32, 1, 1]);
    expect(u2.has('model.2.1.conv.unit0.adn.A.weight')).toBe(false);
    const fr = flexResNetStateDict({ num_classes: 5 });
    expect(fr.get('features.0.residual.weight')).toEqual([64, 1, 3, 3]);
    expect(fr.get('features.1.residual.weight')).toEqual([128, 64, 1, 1]);
    expect(fr.get('classifier.0.weight')).toEqual([5, 128]);
  });

  it('refuses what is not a torch checkpoint, with a fix', async () => {
    await expect(readTorchCheckpoint(read('nafnet_tiny.onnx'))).rejects.toBeInstanceOf(CheckpointError);
    await expect(readTorchCheckpoint(read('pi_stand_in.pkl'))).rejects.toThrow(
      /legacy PyTorch serialization/,
    );
  });
});

describe('pickle reader', () => {
  it('reads a protocol-2 pickle written by Python without executing anything', () => {
    const v = readPickle(read('pi_stand_in.pkl')) as { get(k: string): unknown };
    expect(v.get('stand_in_for')).toBe('sklearn.ensemble.RandomForestClassifier');
  });
  it('reports a truncated pickle as an error, never a crash', () => {
    const bytes = read('pi_stand_in.pkl');
    for (let n = 0; n < bytes.length; n++) {
      try {
        readPickle(bytes.subarray(0, n));
      } catch (err) {
        expect(err).toBeInstanceOf(PickleError);
      }
    }
  });
});
