import crypto from 'node:crypto';
import path from 'node:path';
import type { RunsApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { RunSummary } from '../../src-shared/api';
import type { WorkerLauncher } from '../jobs';
import { ConfigInvalidError } from '../config';
import { runConfig } from '../runs';
import type { BackendEvents } from './events';

interface RunEntry {
  summary: RunSummary;
  controller: AbortController;
}

/**
 * The Runs domain: `hitmic run` behind the API. A run goes on in the background; its progress
 * and state changes are pushed as 'run.progress' / 'run.state' events, and it can be cancelled.
 */
export function createRunsApi(
  events: BackendEvents,
  options: { launcher?: WorkerLauncher; libraryDir: () => string },
): RunsApi & { dispose(): void; workerPids(): Record<string, number> } {
  const runs = new Map<string, RunEntry>();
  const publish = (e: RunEntry) => events.emit('run.state', structuredClone(e.summary));
  return {
    async start(request) {
      if (!request.configPath)
        throw new ApiError(
          'BAD_INPUT',
          'runs.start needs the path of a saved config (save it first in the Config view)',
        );
      const id = crypto.randomBytes(6).toString('hex');
      const entry: RunEntry = {
        summary: {
          id,
          state: 'running',
          movies: [],
          startedAt: new Date().toISOString(),
          outputDir: request.outputDir,
        },
        controller: new AbortController(),
      };
      runs.set(id, entry);
      publish(entry);
      void runConfig({
        configPath: request.configPath,
        inputs: request.inputs,
        outputDir: request.outputDir,
        frames: request.frames,
        libraryDir: options.libraryDir(),
        launcher: options.launcher,
        signal: entry.controller.signal,
        onProgress: (p) => {
          const movies = entry.summary.movies;
          let m = movies.find((x) => x.file === p.movie);
          if (!m) movies.push((m = { file: p.movie, state: 'running', done: 0, total: p.total }));
          m.stage = p.stage;
          m.waiting = p.waiting;
          if (p.memory) m.memory = p.memory;
          if (p.stage === 'frames') {
            m.done = p.done;
            m.total = p.total;
          }
          events.emit('run.progress', {
            runId: id,
            movie: p.movie,
            stage: p.stage,
            done: p.done,
            total: p.total,
            ...(p.waiting ? { waiting: p.waiting } : {}),
            ...(p.memory ? { memory: p.memory } : {}),
          });
        },
        onLog: (level, message) =>
          events.emit('log', {
            level: level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info',
            message,
            time: new Date().toISOString(),
            source: `run ${id}`,
          }),
      }).then(
        (report) => {
          entry.summary.outputDir = report.outputDir;
          entry.summary.movies = report.movies.map((m) => ({
            file: path.basename(m.file),
            path: m.file,
            state: m.ok ? 'done' : 'failed',
            done: m.frames ?? 0,
            total: m.frames ?? 0,
            stage: m.ok ? 'done' : m.error,
          }));
          entry.summary.state = entry.controller.signal.aborted
            ? 'cancelled'
            : report.movies.every((m) => m.ok)
              ? 'done'
              : 'failed';
          publish(entry);
        },
        (err: unknown) => {
          entry.summary.state = entry.controller.signal.aborted ? 'cancelled' : 'failed';
          entry.summary.error =
            err instanceof ConfigInvalidError
              ? err.lines.join('\n')
              : err instanceof Error
                ? err.message
                : String(err);
          publish(entry);
        },
      );
      return structuredClone(entry.summary);
    },
    workerPids() {
      // Workers of running movies, for the Resources view's memory chart.
      const out: Record<string, number> = {};
      for (const e of runs.values())
        if (e.summary.state === 'running')
          for (const m of e.summary.movies)
            if (m.memory && m.state === 'running') out[`run: ${m.file}`] = m.memory.pid;
      return out;
    },
    async list() {
      return [...runs.values()].map((e) => structuredClone(e.summary));
    },
    async cancel(runId) {
      const e = runs.get(runId);
      if (!e) throw new ApiError('NOT_FOUND', `no run '${runId}'`);
      e.controller.abort();
    },
    dispose() {
      for (const e of runs.values()) e.controller.abort();
    },
  };
}
