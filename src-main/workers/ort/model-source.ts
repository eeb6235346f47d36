import fs from 'node:fs';
import path from 'node:path';
import {
  describeConversion,
  Float16ConversionError,
  ownFp16File,
  rewriteOnnxModel,
  toFloat16Model,
  type ModelPrecision,
} from '../../inference';

/**
 * What an onnxruntime session is created from: the model file as it is, the bytes of its exact
 * rewrites (inference/onnx-rewrite.ts), or — for `half_precision` on a GPU provider — the
 * collection's own fp16 export or the fp16 graph made from the fp32 one.
 *
 * The fp16 graph is made at load time, in memory, never cached on disk: on a 2-core machine the first
 * demo model a fresh worker converts takes 10–50 ms, later ones 1–15 ms, the 1.8 MB bioimage.io U-Net
 * 40–80 ms (`npm run bench -- precision` prints it) — less than reading a cache would save.
 */
export interface ModelSource {
  source: string | Uint8Array;
  rewrites: string[];
}

/** Models above this size load from their file as they are (reading them whole costs memory). */
const MAX_IN_MEMORY_BYTES = 512 * 1024 * 1024;

/** The file path, or the rewritten model bytes when an exact rewrite applies. */
export function fp32Source(file: string, rewrite: boolean): ModelSource {
  if (!rewrite || fs.statSync(file).size > MAX_IN_MEMORY_BYTES) return { source: file, rewrites: [] };
  const res = rewriteOnnxModel(fs.readFileSync(file));
  return res.applied.length ? { source: res.bytes, rewrites: res.applied } : { source: file, rewrites: [] };
}

export type Fp16Source = (ModelSource & { precision: ModelPrecision }) | { refused: ModelPrecision };

const refused = (why: string): Fp16Source => ({ refused: { requested: 'fp16', used: 'fp32', why } });

/**
 * The fp16 graph of a model: the collection's `<model>.fp16.onnx` (`from: 'collection'`), or the
 * transform of the (exactly rewritten) fp32 bytes. A model the transform refuses comes back as `refused`, with
 * the reason, and runs fp32.
 */
export function fp16Source(
  file: string,
  key: string,
  rewrite: boolean,
  from: 'collection' | 'made',
): Fp16Source {
  const own = ownFp16File(file);
  if (from === 'collection')
    return {
      source: own,
      rewrites: [],
      precision: {
        requested: 'fp16',
        used: 'fp16',
        why: `the collection's own fp16 export ${path.basename(own)}`,
      },
    };
  const size = fs.statSync(file).size;
  if (size > MAX_IN_MEMORY_BYTES)
    return refused(
      `fp16 transform refused: the model is ${Math.round(size / 2 ** 20)} MB, more than the 512 MB HiTMic Studio converts in memory; ship an fp16 export as ${path.basename(own)}`,
    );
  const bytes = fs.readFileSync(file);
  const rewritten = rewrite ? rewriteOnnxModel(bytes) : { bytes, applied: [] };
  const t0 = performance.now();
  try {
    const res = toFloat16Model(rewritten.bytes, { label: key });
    const conversion = { ...res.report, ms: performance.now() - t0 };
    return {
      source: res.bytes,
      rewrites: rewritten.applied,
      precision: { requested: 'fp16', used: 'fp16', why: describeConversion(conversion), conversion },
    };
  } catch (e) {
    if (e instanceof Float16ConversionError) return refused(e.reason);
    throw e;
  }
}
