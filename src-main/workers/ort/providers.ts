import fs from 'node:fs';
import path from 'node:path';

/**
 * Execution providers to try, in order, for this platform: CUDA on Linux x64 when the CUDA provider
 * library was installed next to the onnxruntime-node binding, DirectML on Windows, CoreML on macOS,
 * then always CPU. onnxruntime-node does not fall back by itself (['cuda', 'cpu'] fails outright when
 * CUDA cannot load), so the session host tries them one by one.
 */
export type ProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';

/** Folder holding onnxruntime_binding.node and the provider libraries. */
export function bindingDir(): string {
  const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
  return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
}

export function cudaProviderInstalled(dir = bindingDir()): boolean {
  return fs.existsSync(path.join(dir, 'libonnxruntime_providers_cuda.so'));
}

/** Providers to try, best first; `prefer: 'cpu'` gives only CPU. */
export function providerOrder(prefer: 'auto' | 'cpu' = 'auto'): ProviderName[] {
  if (prefer === 'cpu') return ['cpu'];
  const order: ProviderName[] = [];
  if (process.platform === 'linux' && process.arch === 'x64' && cudaProviderInstalled()) order.push('cuda');
  if (process.platform === 'win32') order.push('dml');
  if (process.platform === 'darwin') order.push('coreml');
  order.push('cpu');
  return order;
}
