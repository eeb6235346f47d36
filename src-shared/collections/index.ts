/**
 * What a model collection is, on both sides: the model keys HiTMicTools knows and everything about
 * each (one table), its pipelines and the models they need, manifest and library types, tensor shapes.
 */
export * from './model-keys';
export * from './tensor-shape';
export * from './types';
