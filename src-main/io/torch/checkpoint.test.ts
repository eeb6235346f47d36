/**
 * Tensor values out of PyTorch checkpoints: the pure storage functions on hand-made arrays, and
 * readTorchStateDict on real torch 1.13 files of scripts/make-converter-fixtures.py whose tensors
 * are stored non-contiguously, at offsets in a shared storage, as float16, as float64, and
 * byte-swapped under `byteorder: big`; each compared with the values PyTorch itself dumped (.npy).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, readNpyFloat32, readTorchCheckpoint, readTorchStateDict } from '..';
import { gatherStrided, halfToFloat, storageToFloat32, stridedViewProblem } from './storage';

const DIR = path.resolve(__dirname, '../../../test-support/converter');
const read = (f: string): Buffer => fs.readFileSync(path.join(DIR, f));

describe('storage decoding', () => {
  it('half floats: normal, subnormal, largest, infinities, NaN', () => {
    expect([0x3c00, 0xc000, 0x7bff, 0x0001, 0x3555, 0x8000].map(halfToFloat)).toEqual([
      1,
      -2,
      65504,
      2 ** -24,
      0.333251953125,
      -0,
    ]);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });

  it('decodes bfloat16, float64 (rounded), int64 and big-endian float32', () => {
    const bf = new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer); // 1, -3
    expect([...storageToFloat32(bf, 'bfloat16', 2)]).toEqual([1, -3]);
    const f64 = new Uint8Array(new Float64Array([0.1, -2.5]).buffer);
    expect([...storageToFloat32(f64, 'float64', 2)]).toEqual([Math.fround(0.1), -2.5]);
    const i64 = new Uint8Array(new BigInt64Array([7n, -3n]).buffer);
    expect([...storageToFloat32(i64, 'int64', 2)]).toEqual([7, -3]);
    const be = new Uint8Array([0x3f, 0x80, 0, 0, 0xc0, 0x40, 0, 0]);
    expect([...storageToFloat32(be, 'float32', 2, false)]).toEqual([1, -3]);
    expect(() => storageToFloat32(be, 'complex64', 1)).toThrow(/no real values/);
  });

  it('gathers transposed, expanded and offset views in row-major order', () => {
    const s = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...gatherStrided(s, 0, [2, 3], [1, 2])]).toEqual([0, 2, 4, 1, 3, 5]); // a (3,2) transposed
    expect([...gatherStrided(s, 1, [2, 3], [0, 1])]).toEqual([1, 2, 3, 1, 2, 3]); // expanded rows
    expect([...gatherStrided(s, 4, [3], [1])]).toEqual([4, 5, 6]);
    expect([...gatherStrided(s, 2, [], [])]).toEqual([2]); // a 0-d tensor
    expect([...gatherStrided(s, 0, [2, 2, 2], [1, 4, 2])]).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
  });

  it('says why a view does not fit its storage', () => {
    expect(stridedViewProblem(10, 0, [2, 3], [1, 2])).toBeNull();
    expect(stridedViewProblem(10, 5, [2, 3], [3, 1])).toMatch(/last element is at 10, the storage holds 10/);
    expect(stridedViewProblem(10, 0, [2, 3], [1])).toMatch(/different lengths/);
    expect(stridedViewProblem(10, -1, [2], [1])).toMatch(/non-negative integers/);
    expect(stridedViewProblem(0, 0, [0, 3], [3, 1])).toBeNull();
  });
});

describe('readTorchStateDict on real checkpoints', () => {
  const values = async (file: string, key: string): Promise<Float32Array> => {
    const sd = await readTorchStateDict(read(file));
    const t = sd.tensors.find((x) => x.name === key);
    if (!t) throw new Error(`${key} not in ${file}`);
    return t.values;
  };
  const dumped = (f: string): Float32Array => readNpyFloat32(read(f), f).data;

  it('a non-contiguous tensor and two tensors sharing one storage at offsets', async () => {
    const sd = await readTorchStateDict(read('nafnet_l0.pth'));
    expect(sd.container).toBe('');
    const ending = sd.tensors.find((t) => t.name === 'ending.weight');
    expect(ending?.shape).toEqual([1, 4, 3, 3]);
    expect(ending?.values).toEqual(dumped('nafnet_l0.ending.weight.npy'));
    for (const k of ['middle_blks.0.beta', 'middle_blks.0.gamma'])
      expect(await values('nafnet_l0.pth', k)).toEqual(dumped(`nafnet_l0.${k}.npy`));
    // Same listing as the names-only reader, in file order.
    const listed = await readTorchCheckpoint(read('nafnet_l0.pth'));
    expect(sd.tensors.map(({ name, dtype, shape }) => ({ name, dtype, shape }))).toEqual(listed.tensors);
  });

  it('float16, float64 and big-endian float64 storages', async () => {
    expect(await values('nafnet_img2_fp16.pth', 'intro.weight')).toEqual(
      dumped('nafnet_img2_fp16.intro.weight.npy'),
    );
    const f64 = dumped('nafnet_fp64.intro.weight.npy');
    expect(await values('nafnet_fp64.pth', 'intro.weight')).toEqual(f64);
    expect(await values('nafnet_fp64_bigendian.pth', 'intro.weight')).toEqual(f64);
    const sd = await readTorchStateDict(read('nafnet_fp64_bigendian.pth'));
    expect(new Set(sd.tensors.map((t) => t.dtype))).toEqual(new Set(['float64']));
  });

  it('refuses a storage shorter than its tensor, naming the tensor', async () => {
    const err = await readTorchStateDict(read('nafnet_l0_truncated.pth')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).tensor).toBe('intro.weight');
    expect((err as CheckpointError).message).toMatch(/intro\.weight: storage data\/0 has 20 bytes/);
  });

  it('refuses what is not a checkpoint as the listing reader does', async () => {
    await expect(readTorchStateDict(read('nafnet_l0.json'))).rejects.toThrow(/not a PyTorch checkpoint/);
  });
});
