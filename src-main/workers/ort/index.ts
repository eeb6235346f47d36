/**
 * The onnxruntime-node session host — the only code that loads onnxruntime, so only the worker
 * process imports it (lint zone; tests reach it through this index). Sessions are cached per model
 * file; sliding-window models run as a pool of one-thread sessions on worker threads; providers
 * are tried in order with a visible CPU fallback; graphs are rewritten exactly before loading.
 */
export { cachedModels, loadModel, release, releaseAll } from './session-host';
export type { HostedModel, SessionOptions } from './session-host';
export { bindingDir, cudaProviderInstalled, providerOrder } from './providers';
export type { ProviderName } from './providers';
export { loadModelPool, releaseAllPools, releasePool } from './session-pool';
export type { PooledModel, PoolOptions } from './session-pool';
export { loadStageModel } from './stage-models';
export type { StageModel, StageModelOptions } from './stage-models';
