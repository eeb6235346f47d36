import { ApiError } from '../../src-shared/api';
import {
  isWorkerMethod,
  WORKER_PARAM_CHECKS,
  type WorkerMethod,
  type WorkerMethods,
  type WorkerParams,
  type WorkerResult,
} from '../jobs';

/** What a request handler gets besides its parameters. */
export interface HandlerContext<M extends WorkerMethod = WorkerMethod> {
  signal: AbortSignal;
  progress(value: WorkerMethods[M]['progress']): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  host: 'utilityProcess' | 'fork';
  startedAt: number;
}

export type WorkerHandler<M extends WorkerMethod> = (
  params: WorkerParams<M>,
  ctx: HandlerContext<M>,
) => Promise<WorkerResult<M>>;

// Handlers of different methods in one map: each is registered and called with its own method's types.
const registry = new Map<WorkerMethod, WorkerHandler<WorkerMethod>>();

/** Registers the handler of a method of the worker contract (jobs/worker-methods.ts). */
export function registerWorkerMethod<M extends WorkerMethod>(name: M, handler: WorkerHandler<M>): void {
  if (registry.has(name)) throw new Error(`worker method '${name}' registered twice`);
  registry.set(name, handler as unknown as WorkerHandler<WorkerMethod>);
}

/** Methods of the contract that have a handler in this process. */
export function registeredWorkerMethods(): WorkerMethod[] {
  return [...registry.keys()];
}

/**
 * Runs a request: the method must be in the contract and registered here, and its params must
 * pass the contract's runtime check (BAD_INPUT naming what is missing otherwise).
 */
export function runWorkerMethod(name: string, params: unknown, ctx: HandlerContext): Promise<unknown> {
  const handler = isWorkerMethod(name) ? registry.get(name) : undefined;
  if (!isWorkerMethod(name) || !handler)
    throw new ApiError('BAD_INPUT', `worker has no method '${name}'`, {
      method: name,
      known: [...registry.keys()],
    });
  const problem = WORKER_PARAM_CHECKS[name](params);
  if (problem) throw new ApiError('BAD_INPUT', `${name} needs ${problem}`, { method: name });
  return handler(params as WorkerParams<WorkerMethod>, ctx);
}

function probe(ctx: HandlerContext) {
  return { pid: process.pid, host: ctx.host, uptimeMs: Date.now() - ctx.startedAt };
}

registerWorkerMethod('probe', async (_params, ctx) => probe(ctx));

registerWorkerMethod('sleep', async (params, ctx) => {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, params.ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ApiError('CANCELLED', 'sleep cancelled'));
    });
  });
  return probe(ctx);
});
