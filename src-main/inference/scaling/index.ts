export { columnQuantileOfQuantiles, quantileInPlace, quickselect } from './quantile';
export { FLOAT32_EPS, SCALE_METHODS, meanStd, rescaleFrame, scaleFrame } from './scalers';
export type { ScaleMethod, ScaleStats, Scaled, ScalerArgs } from './scalers';
