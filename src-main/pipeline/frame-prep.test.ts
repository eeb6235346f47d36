import { describe, expect, it } from 'vitest';
import {
  applyShift,
  basicFlatfieldAtSize,
  BasicStack,
  commonCrop,
  correctBackgroundStandard,
  correctBasicTimelapse,
  cropFrame,
  fitBasic,
  planBackgroundCorrection,
} from '../analysis';
import { mulberry32 } from '../../test-support/random';
import { FramePrep } from './frame-prep';

const W = 150;
const H = 120;

/** Frames under a left-to-right illumination ramp (0.75..1.25) with bright spots and noise. */
function frames(count: number, seed: number): Float32Array[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, (_, t) => {
    const f = new Float32Array(W * H);
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) f[y * W + x] = (0.75 + (0.5 * x) / W) * (300 - 10 * t) + 20 * rand();
    for (let k = 0; k < 25; k++) f[Math.floor(rand() * H) * W + Math.floor(rand() * W)] += 2000;
    return f;
  });
}

describe('FramePrep background per channel', () => {
  const shifts = [
    { dx: 0, dy: 0 },
    { dx: 3, dy: -2 },
    { dx: -1, dy: 4 },
    { dx: 2, dy: 1 },
  ];
  const crop = commonCrop(shifts, W, H);

  it('basicpy: fits BaSiC on the aligned, cropped frames of each channel and corrects each frame with its baseline', async () => {
    const plan = planBackgroundCorrection('basicpy');
    const prep = new FramePrep(W, H, 0.65, shifts, crop, plan);
    const bf = frames(4, 1);
    const fl = frames(4, 2);
    const fitBf = await prep.fitBasic('brightfield', 4, async (k) => bf[k]);
    await prep.fitBasic('fluorescence', 4, async (k) => fl[k]);
    // What HiTMicTools does: align and crop the stack, fit on it, transform it.
    const aligned = bf.map((f, k) => cropFrame(applyShift(f, W, H, shifts[k].dx, shifts[k].dy), W, crop));
    const stack = new BasicStack(crop.width, crop.height);
    aligned.forEach((f) => stack.add(f));
    const fit = fitBasic(stack);
    expect(Array.from(fitBf.baseline)).toEqual(Array.from(fit.baseline));
    const flat = basicFlatfieldAtSize(fit, crop.width, crop.height);
    for (const k of [0, 2]) {
      const got = prep.prepare(bf[k], k, 'brightfield', true);
      expect(got).toHaveLength(crop.width * crop.height);
      expect(Array.from(got)).toEqual(Array.from(correctBasicTimelapse(aligned[k], flat, fit.baseline[k])));
    }
    expect(prep.prepare(fl[1], 1, 'fluorescence', true)).toHaveLength(crop.width * crop.height);
  });

  it('basicpy_fl: bright field divided by the 20 µm blur, fluorescence refused until BaSiC is fitted', () => {
    const prep = new FramePrep(W, H, 0.65, null, null, planBackgroundCorrection('basicpy_fl'));
    const [f] = frames(1, 3);
    expect(Array.from(prep.prepare(f, 0, 'brightfield', true))).toEqual(
      Array.from(correctBackgroundStandard(f, W, H, 0.65)),
    );
    expect(() => prep.prepare(f, 0, 'fluorescence', true)).toThrow(/BaSiC fit of the fluorescence channel/);
  });

  it('standard: the fluorescence keeps its counts', () => {
    const prep = new FramePrep(W, H, 0.65, null, null, planBackgroundCorrection('standard'));
    const [f] = frames(1, 4);
    expect(Array.from(prep.prepare(f, 0, 'fluorescence', true))).toEqual(Array.from(f));
  });
});
