import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpyFloat32 } from '../io';
import { loadModel, releaseAll } from '../workers/ort';
import { segmentFrame } from './adapters/segment';
import { meanStd } from './scaling/scalers';
import type { ModelRunner } from './model-runner';
import { predictorFromRunner } from './tiling/predictor';
import { slidingWindowInference } from './tiling/sliding-window';

// Real third-party model (bioimage.io unet2d_nuclei_broad, ONNX opset 12, sigmoid inside the graph,
// fixed input [1,1,512,512]) and a real 696×520 uint16 nuclei image from tiktorch.
const FIX = path.resolve(__dirname, '../../../shared/fixtures/onnx');
const UNET = path.join(FIX, 'nuclei_unet_opset12');
const TIF = path.join(FIX, 'tiktorch_unet2d_onnx_opset9_upsample/sample_input.tif');
const present = fs.existsSync(path.join(UNET, 'weights.onnx'));
if (!present) console.warn(`SKIPPED nuclei U-Net tests: fixtures not found at ${FIX}`);

describe.skipIf(!present)('nuclei U-Net fixture (real model)', () => {
  let runner: ModelRunner;
  beforeAll(async () => {
    runner = (await loadModel(path.join(UNET, 'weights.onnx'), { prefer: 'cpu', threads: 2 })).runner;
  });
  afterAll(() => releaseAll());

  it('reproduces test_output.npy within 1e-4 after (x-mean)/(std+1e-6)', async () => {
    const x = readNpyFloat32(fs.readFileSync(path.join(UNET, 'test_input.npy')), 'test_input.npy');
    const y = readNpyFloat32(fs.readFileSync(path.join(UNET, 'test_output.npy')), 'test_output.npy');
    expect(x.shape).toEqual([1, 1, 512, 512]);
    const frame = { data: x.data, height: 512, width: 512 };
    // The segment adapter: zscore scaling, one 512 window, no sigmoid (already in the graph).
    const res = await segmentFrame(frame, predictorFromRunner(runner), {
      patchSize: 512,
      overlap: 0.25,
      scaleMethod: 'zscore',
      sigmoid: false,
    });
    let maxErr = 0;
    for (let i = 0; i < y.data.length; i++)
      maxErr = Math.max(maxErr, Math.abs(res.probability!.data[i] - y.data[i]));
    expect(maxErr).toBeLessThan(1e-4);
    expect(res.count).toBeGreaterThan(5); // nuclei found
  });

  it('tiles the 696×520 image exactly as MONAI and without seams', async () => {
    if (!fs.existsSync(TIF)) return console.warn(`SKIPPED: ${TIF} not found`);
    const { fromArrayBuffer } = await import('geotiff');
    const buf = fs.readFileSync(TIF);
    const tiff = await fromArrayBuffer(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const img = await tiff.getImage();
    const [H, W] = [img.getHeight(), img.getWidth()];
    expect([H, W]).toEqual([520, 696]);
    const raster = (await img.readRasters())[0] as ArrayLike<number>;
    const { mean, std } = meanStd(Float32Array.from(raster));
    const x = new Float32Array(H * W);
    for (let i = 0; i < x.length; i++) x[i] = (raster[i] - mean) / (std + 1e-6);

    const { output, stats } = await slidingWindowInference(
      { data: x, channels: 1, height: H, width: W },
      predictorFromRunner(runner),
      { roiSize: 512, overlap: 0.25 },
    );
    expect(stats.windows).toBe(4); // y starts 0, 8; x starts 0, 184 (MONAI formula)

    // Criterion 1 (exact blending): an independent reference runs each of the 4 windows whole
    // and averages them per pixel over the windows covering it (constant mode).
    const sum = new Float64Array(H * W);
    const cnt = new Float64Array(H * W);
    const preds: { y0: number; x0: number; p: Float32Array }[] = [];
    for (const y0 of [0, 8]) {
      for (const x0 of [0, 184]) {
        const win = new Float32Array(512 * 512);
        for (let r = 0; r < 512; r++)
          win.set(x.subarray((y0 + r) * W + x0, (y0 + r) * W + x0 + 512), r * 512);
        const out = await runner.run({ [runner.inputs[0].name]: { data: win, dims: [1, 1, 512, 512] } });
        const p = Object.values(out)[0].data as Float32Array;
        preds.push({ y0, x0, p });
        for (let r = 0; r < 512; r++)
          for (let c = 0; c < 512; c++) {
            sum[(y0 + r) * W + x0 + c] += p[r * 512 + c];
            cnt[(y0 + r) * W + x0 + c] += 1;
          }
      }
    }
    let maxBlendErr = 0;
    for (let i = 0; i < H * W; i++)
      maxBlendErr = Math.max(maxBlendErr, Math.abs(output.data[i] - sum[i] / cnt[i]));
    expect(maxBlendErr).toBeLessThan(1e-6);

    // Criterion 2 (no seams): in the interior of the overlap of the left and right windows
    // (x 248..447, ≥ 64 px from every window edge) the two windows' own predictions agree, so
    // the blended map has no step where a window ends: mean |difference| < 0.01, max < 0.1.
    const a = preds[0];
    const b = preds[1];
    let total = 0;
    let n = 0;
    let max = 0;
    for (let gy = 64; gy < 512 - 64; gy++) {
      for (let gx = 184 + 64; gx < 512 - 64; gx++) {
        const d = Math.abs(a.p[gy * 512 + gx] - b.p[gy * 512 + (gx - 184)]);
        total += d;
        n++;
        max = Math.max(max, d);
      }
    }
    let lo = 1;
    let hi = 0;
    for (const v of a.p) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    console.log(
      `nuclei U-Net overlap agreement: mean |Δ| ${(total / n).toExponential(2)}, max ${max.toExponential(2)}; window range ${lo}..${hi}`,
    );
    expect(hi - lo).toBeGreaterThan(0.5); // real foreground and background in the window
    expect(total / n).toBeLessThan(0.01);
    expect(max).toBeLessThan(0.1);
  });
});
