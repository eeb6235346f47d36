import { ApiError } from '../../src-shared/api/errors';

/** What a request handler gets besides its parameters. */
export interface HandlerContext {
  signal: AbortSignal;
  progress(value: unknown): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  host: 'utilityProcess' | 'fork';
  startedAt: number;
}

export type WorkerHandler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;

const registry = new Map<string, WorkerHandler>();

/** Registers a worker method; domains add theirs from modules imported by worker-main. */
export function registerWorkerMethod(name: string, handler: WorkerHandler): void {
  if (registry.has(name)) throw new Error(`worker method '${name}' registered twice`);
  registry.set(name, handler);
}

export function findWorkerMethod(name: string): WorkerHandler {
  const handler = registry.get(name);
  if (!handler)
    throw new ApiError('BAD_INPUT', `worker has no method '${name}'`, {
      method: name,
      known: [...registry.keys()],
    });
  return handler;
}

function probe(ctx: HandlerContext) {
  return { pid: process.pid, host: ctx.host, uptimeMs: Date.now() - ctx.startedAt };
}

registerWorkerMethod('probe', async (_params, ctx) => probe(ctx));

registerWorkerMethod('sleep', async (params, ctx) => {
  const ms = Number((params as { ms?: unknown } | undefined)?.ms);
  if (!Number.isFinite(ms) || ms < 0 || ms > 600_000) {
    throw new ApiError('BAD_INPUT', `sleep needs ms between 0 and 600000, got ${String(ms)}`);
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ApiError('CANCELLED', 'sleep cancelled'));
    });
  });
  return probe(ctx);
});
