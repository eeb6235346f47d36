/**
 * Weighted average merger (MONAI `AvgMerger` with an importance map): `aggregate` adds pred·w into
 * a C×H×W float32 sum and w into an H×W weight sum; `finalize` divides (output = Σ(pred·w)/Σ(w)).
 * `aggregate` refuses to run after `finalize`; calling `finalize` again returns the same result.
 */
export class WeightedMerger {
  private readonly sum: Float32Array;
  private readonly weight: Float32Array;
  private done = false;

  constructor(
    readonly channels: number,
    readonly height: number,
    readonly width: number,
  ) {
    this.sum = new Float32Array(channels * height * width);
    this.weight = new Float32Array(height * width);
  }

  /**
   * Adds one window. `pred` holds C×roiH×roiW values starting at `predOffset` (so a window of a batched
   * output needs no copy); (y0, x0) is the window's top-left in this merger's frame.
   */
  aggregate(
    pred: Float32Array,
    predOffset: number,
    y0: number,
    x0: number,
    roiH: number,
    roiW: number,
    map: Float32Array,
  ): void {
    if (this.done) throw new Error('WeightedMerger.aggregate called after finalize');
    const { height: H, width: W, sum, weight, channels } = this;
    const plane = H * W;
    const roiPlane = roiH * roiW;
    for (let y = 0; y < roiH; y++) {
      const o = (y0 + y) * W + x0;
      const m = y * roiW;
      const p = predOffset + m;
      // Weight and first channel fused in one pass (the common single-channel case).
      for (let x = 0; x < roiW; x++) {
        const w = map[m + x];
        weight[o + x] += w;
        sum[o + x] += pred[p + x] * w;
      }
      for (let c = 1; c < channels; c++) {
        const oc = c * plane + o;
        const pc = p + c * roiPlane;
        for (let x = 0; x < roiW; x++) sum[oc + x] += pred[pc + x] * map[m + x];
      }
    }
  }

  /** Divides the sums by the weights in place and returns the C×H×W result. */
  finalize(): Float32Array {
    if (this.done) return this.sum;
    const plane = this.height * this.width;
    for (let c = 0; c < this.channels; c++) {
      const o = c * plane;
      for (let i = 0; i < plane; i++) this.sum[o + i] /= this.weight[i];
    }
    this.done = true;
    return this.sum;
  }
}
