export { cachedModels, loadModel, release, releaseAll, ModelLoadError } from './session-host';
export type { HostedModel, SessionOptions } from './session-host';
export { bindingDir, cudaProviderInstalled, providerOrder } from './providers';
export type { ProviderName } from './providers';
