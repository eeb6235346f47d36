import { isApiMethod, type HitmicApi } from '../../src-shared/api/contract';
import { ApiError } from '../../src-shared/api/errors';

/**
 * Calls `api[domain][method](...args)` for a request that came over IPC or a WebSocket,
 * refusing anything outside the contract (no arbitrary property access from the wire).
 */
export async function dispatch(
  api: HitmicApi,
  domain: unknown,
  method: unknown,
  args: unknown,
): Promise<unknown> {
  if (typeof domain !== 'string' || typeof method !== 'string' || !isApiMethod(domain, method)) {
    throw new ApiError('BAD_INPUT', `unknown API method '${String(domain)}.${String(method)}'`, {
      domain,
      method,
    });
  }
  if (!Array.isArray(args))
    throw new ApiError('BAD_INPUT', `arguments of ${domain}.${method} must be an array`);
  const target = api[domain] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  return target[method](...args);
}
