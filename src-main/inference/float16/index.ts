/**
 * Half precision: IEEE binary16 conversions and the fp32 → fp16 ONNX graph transform that
 * `half_precision: true` runs on GPU providers (see convert.ts for what it does, policy.ts for what it
 * keeps in float32).
 */
export { toFloat16Model, type Float16Options, type Float16Report, type Float16Result } from './convert';
export { Float16ConversionError, type Float16RefusalKind } from './errors';
export { FP32_OPS, float32Parameters } from './policy';
export { FLOAT16_MAX, float32ToHalf, fromHalf, halfToFloat32, toHalf } from './half';
