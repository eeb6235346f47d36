import { API_METHODS, cancellationArgument, type HitmicApi, type HitmicDomain } from './contract';
import { ApiError, isApiErrorPayload } from './errors';
import type { HitmicTransport } from './transport';

let nextCallId = 1;

function cancelled(domain: string, method: string): ApiError {
  return new ApiError('CANCELLED', `${domain}.${method} was cancelled`);
}

/**
 * Builds the typed HitmicApi from a transport: one generic proxy for every method in
 * API_METHODS (like VS Code's ProxyChannel.toService). Rejections become ApiError instances. A
 * cancellation token (an AbortSignal in a cancellable method's token position) becomes a call id:
 * aborting it rejects the call with CANCELLED at once and tells the backend to stop.
 */
export function createHitmicClient(transport: HitmicTransport): HitmicApi {
  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const [domain, methods] of Object.entries(API_METHODS) as [HitmicDomain, readonly string[]][]) {
    const target: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of methods) {
      const tokenAt = cancellationArgument(domain, method);
      target[method] = (...args: unknown[]) => {
        const signal = tokenAt !== undefined ? args[tokenAt] : undefined;
        if (!(signal instanceof AbortSignal) || !transport.cancel) {
          const plain = tokenAt !== undefined ? args.slice(0, tokenAt) : args;
          return transport.invoke(domain, method, plain).catch((err: unknown) => {
            throw isApiErrorPayload(err) ? ApiError.fromPayload(err) : err;
          });
        }
        if (signal.aborted) return Promise.reject(cancelled(domain, method));
        const callId = nextCallId++;
        const cancel = transport.cancel.bind(transport);
        return new Promise((resolve, reject) => {
          const onAbort = () => {
            cancel(callId);
            reject(cancelled(domain, method));
          };
          signal.addEventListener('abort', onAbort, { once: true });
          transport.invoke(domain, method, args.slice(0, tokenAt), callId).then(
            (value) => {
              signal.removeEventListener('abort', onAbort);
              resolve(value);
            },
            (err: unknown) => {
              signal.removeEventListener('abort', onAbort);
              reject(isApiErrorPayload(err) ? ApiError.fromPayload(err) : err);
            },
          );
        });
      };
    }
    api[domain] = target;
  }
  return api as unknown as HitmicApi;
}
