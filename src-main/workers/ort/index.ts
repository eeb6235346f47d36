export { cachedModels, loadModel, release, releaseAll } from './session-host';
export type { HostedModel, SessionOptions } from './session-host';
export { bindingDir, cudaProviderInstalled, providerOrder } from './providers';
export type { ProviderName } from './providers';
export { loadModelPool, releaseAllPools, releasePool } from './session-pool';
export type { PooledModel, PoolOptions } from './session-pool';
export { loadStageModel } from './stage-models';
export type { StageModel, StageModelOptions } from './stage-models';
