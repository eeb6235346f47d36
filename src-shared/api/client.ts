import { API_METHODS, type HitmicApi, type HitmicDomain } from './contract';
import { ApiError, isApiErrorPayload } from './errors';
import type { HitmicTransport } from './transport';

/**
 * Builds the typed HitmicApi from a transport: one generic proxy for every method in
 * API_METHODS (like VS Code's ProxyChannel.toService). Rejections become ApiError instances.
 */
export function createHitmicClient(transport: HitmicTransport): HitmicApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [domain, methods] of Object.entries(API_METHODS) as [HitmicDomain, readonly string[]][]) {
    const target: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of methods) {
      target[method] = (...args: unknown[]) =>
        transport.invoke(domain, method, args).catch((err: unknown) => {
          throw isApiErrorPayload(err) ? ApiError.fromPayload(err) : err;
        });
    }
    api[domain] = target;
  }
  return api as unknown as HitmicApi;
}
