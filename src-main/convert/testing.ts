/**
 * Test helpers of the converter's tests: run an ONNX model's bytes through the real session host
 * (onnxruntime-node, CPU), compare float outputs, and list a model's initializers by walking its
 * protobuf. Imported by *.test.ts only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ONNX_GRAPH, ONNX_MODEL, ONNX_TENSOR, fieldText, wireFields } from '../io';

/** A fresh temporary folder for converted models (removed by the caller). */
export function tempModelDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-convert-'));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Per row of an [N, K] array, the index of the largest value. */
export function argmaxRows(a: ArrayLike<number>, k: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * k < a.length; r++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (a[r * k + j] > a[r * k + best]) best = j;
    out.push(best);
  }
  return out;
}

/** The initializer names of an ONNX model, in file order. */
export function initializerNames(onnx: Uint8Array): string[] {
  const names: string[] = [];
  for (const f of wireFields(onnx)) {
    if (f.no !== ONNX_MODEL.graph) continue;
    for (const g of wireFields(onnx, f.start, f.end)) {
      if (g.no !== ONNX_GRAPH.initializer) continue;
      for (const t of wireFields(onnx, g.start, g.end))
        if (t.no === ONNX_TENSOR.name) names.push(fieldText(onnx, t));
    }
  }
  return names;
}
