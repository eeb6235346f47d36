import os from 'node:os';
import { API_METHODS, type HitmicApi, type HitmicDomain } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { AppInfo, ShellKind } from '../../src-shared/api';
import type { ComputeChoice } from '../../src-shared/config';
import { withApiErrors } from '../api-errors';
import { defaultLibraryDir } from '../collections';
import { forkLauncher, WorkerClient, type WorkerLauncher } from '../jobs';
import { appVersion } from '../version';
import { createClusterApi } from './cluster-api';
import { BackendEvents } from './events';
import { createCollectionsApi } from './collections-api';
import { createConfigApi } from './config-api';
import { createResourcesApi } from './resources-api';
import { createMoviesApi } from './movies-api';
import { createPreviewsApi } from './previews-api';
import { createQcApi, createResultsApi } from './results-api';
import { createRunsApi } from './runs-api';

export interface BackendOptions {
  shell: ShellKind;
  /** Collection library folder (default: $HITMIC_LIBRARY, else the per-user data folder). */
  libraryDir?: string;
  /** How worker processes are started: utilityProcess in Electron, fork elsewhere. */
  launcher?: WorkerLauncher;
  /** Where preview models run (`hitmic serve --device`); default auto. */
  compute?: ComputeChoice;
}

export interface Backend {
  api: HitmicApi;
  events: BackendEvents;
  dispose(): Promise<void>;
}

/**
 * The one backend object behind all three shells: every method of the contract is wired here to
 * its domain module.
 */
export function createBackend(options: BackendOptions): Backend {
  const events = new BackendEvents();
  const worker = new WorkerClient({
    name: 'hitmic-service',
    launcher: options.launcher ?? forkLauncher,
    onLog: (level, message) =>
      events.emit('log', {
        level: level as 'info',
        message,
        time: new Date().toISOString(),
        source: 'worker',
      }),
  });

  const libraryDir = () => options.libraryDir ?? defaultLibraryDir();
  const collections = createCollectionsApi(libraryDir, worker);
  const config = createConfigApi(libraryDir);
  const movies = createMoviesApi();
  const runs = createRunsApi(events, { launcher: options.launcher, libraryDir });
  const resources = createResourcesApi(events, () => ({
    backend: process.pid,
    'service worker': worker.pid,
    ...runs.workerPids(),
  }));

  const info = (): AppInfo => ({
    name: 'HiTMic Studio',
    version: appVersion(),
    shell: options.shell,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    device: `CPU (${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM)`,
  });

  const api = bindApi({
    app: {
      info: async () => info(),
      echo: async (message) => {
        if (typeof message !== 'string') throw new ApiError('BAD_INPUT', 'echo needs a string');
        return { message, receivedAt: new Date().toISOString() };
      },
    },
    workers: {
      probe: () => worker.call('probe', undefined),
      sleep: (ms) => worker.call('sleep', { ms }),
    },
    collections,
    config,
    movies,
    previews: createPreviewsApi({ worker, movies, libraryDir, compute: options.compute }),
    runs,
    results: createResultsApi(),
    qc: createQcApi(),
    resources: {
      devices: () => resources.devices(),
      bookings: (device) => resources.bookings(device),
      memory: () => resources.memory(),
    },
    cluster: createClusterApi({ libraryDir }),
  });

  return {
    api,
    events,
    dispose: async () => {
      resources.dispose();
      runs.dispose();
      await movies.dispose();
      await worker.dispose();
    },
  };
}

/** Exactly the contract's methods of each domain, rejecting with ApiErrors only. */
function bindApi(api: HitmicApi): HitmicApi {
  const bound: Record<string, unknown> = {};
  for (const [domain, methods] of Object.entries(API_METHODS)) {
    bound[domain] = withApiErrors(api[domain as HitmicDomain], methods);
  }
  return bound as unknown as HitmicApi;
}
