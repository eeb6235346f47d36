import { cancellationArgument, isApiMethod, type HitmicApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import { toApiError } from '../api-errors';

/**
 * Calls `api[domain][method](...args)` for a request that came over IPC or a WebSocket,
 * refusing anything outside the contract (no arbitrary property access from the wire). A
 * cancellable method gets `signal` in its token position (the wire cannot carry one). Any failure
 * rejects with an ApiError (domain errors mapped by api-errors.ts).
 */
export async function dispatch(
  api: HitmicApi,
  domain: unknown,
  method: unknown,
  args: unknown,
  signal?: AbortSignal,
): Promise<unknown> {
  if (typeof domain !== 'string' || typeof method !== 'string' || !isApiMethod(domain, method)) {
    throw new ApiError('BAD_INPUT', `unknown API method '${String(domain)}.${String(method)}'`, {
      domain,
      method,
    });
  }
  if (!Array.isArray(args))
    throw new ApiError('BAD_INPUT', `arguments of ${domain}.${method} must be an array`);
  const tokenAt = cancellationArgument(domain, method);
  const callArgs =
    tokenAt === undefined
      ? args
      : [...Array.from({ length: tokenAt }, (_, i) => (args as unknown[])[i]), signal];
  const target = api[domain] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  try {
    return await target[method](...callArgs);
  } catch (err) {
    throw toApiError(err);
  }
}
