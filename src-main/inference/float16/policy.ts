/**
 * What the fp16 transform keeps in float32, and why.
 *
 * **Nodes kept whole in fp32** (their float inputs are cast to float32, their float outputs back to
 * float16): `FP32_OPS` below, every node outside the default ONNX domain (ai.onnx.ml tree ensembles,
 * scalers, ZipMap, contrib ops: their schemas take float32), and nodes that use outputs whose type does
 * not follow the input (LayerNormalization's Mean/InvStdDev, BatchNormalization's training outputs).
 * The list joins two sources:
 * - onnxconverter-common's `DEFAULT_OP_BLOCK_LIST` (ops onnxruntime lacks float16 kernels for, or
 *   whose results fp16 breaks): NonMaxSuppression, TopK, RoiAlign, Range, CumSum, Min, Max,
 *   RandomUniformLike and the ML ops;
 * - the ONNX operator schemas (onnx 1.12, opsets ≤ 17; `scripts/list-float32-only-onnx-inputs.py`
 *   lists them) where an input or output that may be float32 may not be float16: Celu, CumSum (< 14),
 *   IsInf, Range, NonMaxSuppression, QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
 *   QLinearConv, QLinearMatMul, TfIdfVectorizer.
 * The random generators (RandomNormal, RandomUniform, RandomNormalLike, Bernoulli, Multinomial) and
 * EyeLike are kept too: their `dtype` attribute says float32 and they cost nothing in fp32.
 * Unlike onnxconverter-common, **Resize and Upsample are not kept whole**: their image runs in fp16
 * (GPU providers have fp16 kernels) and only the parameter inputs below stay float32.
 *
 * **Parameter inputs kept float32** (`FLOAT32_PARAMETERS`): Resize's `roi` and `scales`, Upsample's
 * `scales` — the schema requires float32 for `scales`, and a scale rounded to fp16 can change the
 * output size. Such a value is computed in fp32 all the way back to its constants: the nodes that
 * only feed these inputs stay fp32 too (listed in the report as "feeds a float32 parameter").
 */

/** Default-domain ops kept whole in float32, with the reason the report gives. */
export const FP32_OPS: Readonly<Record<string, string>> = {
  Celu: 'its schema takes float32 only',
  CumSum: 'no float16 before opset 14, and onnxconverter-common keeps it fp32',
  IsInf: 'its schema takes float32 only',
  Range: 'its schema has no float16',
  NonMaxSuppression: 'its schema takes float32 boxes and scores only',
  QuantizeLinear: 'quantisation scales are float32',
  DequantizeLinear: 'quantisation scales are float32',
  DynamicQuantizeLinear: 'quantisation scales are float32',
  QLinearConv: 'quantisation scales are float32',
  QLinearMatMul: 'quantisation scales are float32',
  TfIdfVectorizer: 'its schema gives float32 only',
  TopK: 'onnxconverter-common keeps it fp32 (sorting fp16 ties changes indices)',
  RoiAlign: 'onnxconverter-common keeps it fp32',
  Min: 'onnxconverter-common keeps it fp32 (onnxruntime kernels)',
  Max: 'onnxconverter-common keeps it fp32 (onnxruntime kernels)',
  RandomUniformLike: 'a random generator with a float32 dtype',
  RandomNormalLike: 'a random generator with a float32 dtype',
  RandomUniform: 'a random generator with a float32 dtype',
  RandomNormal: 'a random generator with a float32 dtype',
  Bernoulli: 'a random generator with a float32 dtype',
  Multinomial: 'a random generator with a float32 dtype',
  EyeLike: 'its dtype attribute says float32',
};

/**
 * Input positions that must stay float32 for an op at a model's default-domain opset: the ONNX
 * schema types them `tensor(float)` while the data input may be float16.
 */
export function float32Parameters(opType: string, opset: number): readonly number[] {
  if (opType === 'Resize') return opset >= 11 ? [1, 2] : [1];
  if (opType === 'Upsample') return opset >= 9 ? [1] : [];
  return [];
}

/**
 * Why a node runs in float32 as a whole, or undefined when it runs in float16. `usedOutputs` are the
 * node's outputs that something reads (non-empty names).
 */
export function keptInFloat32(opType: string, domain: string, usedOutputs: number): string | undefined {
  if (domain !== '') return `an op of the ${domain} domain (its schema takes float32)`;
  const reason = FP32_OPS[opType];
  if (reason !== undefined) return reason;
  if (opType === 'LayerNormalization' && usedOutputs > 1) return 'its Mean/InvStdDev outputs are float32';
  if (opType === 'BatchNormalization' && usedOutputs > 1) return 'its training outputs keep their own type';
  return undefined;
}
