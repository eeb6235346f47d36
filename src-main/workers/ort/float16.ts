/** IEEE 754 half-precision conversions for float16 model inputs/outputs (implemented in inference/float16). */
export { float32ToHalf, fromHalf, halfToFloat32, toHalf } from '../../inference';
