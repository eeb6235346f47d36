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
import { createTestModeApi } from './test-mode-api';
import { createDemoApi } from './demo-api';
import { userSettingsDir } from '../io';

export interface BackendOptions {
  shell: ShellKind;
  /** Collection library folder (default: $HITMIC_LIBRARY, else the per-user data folder). */
  libraryDir?: string;
  /** How worker processes are started: utilityProcess in Electron, fork elsewhere. */
  launcher?: WorkerLauncher;
  /** Where preview models run (`hitmic serve --device`); default auto. */
  compute?: ComputeChoice;
  /** The per-user settings folder (recent runs); default $HITMIC_SETTINGS_DIR, else the OS's. */
  settingsDir?: string;
  /** Where "Try the demo" writes its config and results; default $HITMIC_DEMO_DIR, else ~/hitmic-demo. */
  demoDir?: string;
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
  const settingsDir = () => options.settingsDir ?? userSettingsDir();
  const runs = createRunsApi(events, { launcher: options.launcher, libraryDir, settingsDir });
  const resources = createResourcesApi(events, {
    // Labels are what the Resources view shows: plain words, not the process model.
    pids: () => ({
      'HiTMic Studio': process.pid,
      'Viewer previews and checks': worker.pid,
      ...runs.workerPids(),
    }),
    stop: async (pid) => {
      const runId = runs.runOfPid(pid);
      if (runId) {
        await runs.cancel(runId);
        return `run ${runId} (cancelled)`;
      }
      if (pid === worker.pid) {
        // Killing the worker gives its memory back; the next preview or check starts a fresh one.
        worker.kill();
        return "the Viewer's preview or check that was running (stopped)";
      }
      return undefined;
    },
  });

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
    testMode: createTestModeApi({ worker, movies, libraryDir, compute: options.compute }),
    runs,
    results: createResultsApi(),
    qc: createQcApi(),
    resources: {
      devices: () => resources.devices(),
      bookings: (device) => resources.bookings(device),
      memory: () => resources.memory(),
      cancelHolder: (pid) => resources.cancelHolder(pid),
    },
    demo: createDemoApi({ libraryDir, demoDir: () => options.demoDir }),
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
