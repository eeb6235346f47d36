import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord, RunsApi, RunState, RunSummary } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { WorkerLauncher } from '../jobs';
import { ConfigInvalidError } from '../config';
import { listRunFolder } from '../results';
import { runConfig, RunHistory, type RememberedRun, type RunReport } from '../runs';
import type { BackendEvents } from './events';

interface RunEntry {
  summary: RunSummary;
  controller: AbortController;
  /** The worker of each movie going on (from its memory reports or its wait for memory). */
  workers: Map<string, number>;
}

/** Why a remembered run that is not going on any more has no end recorded. */
const INTERRUPTED =
  'HiTMic Studio stopped before this run ended; movies without complete tables were not analysed.';

/** How each movie and the run ended, from the report: a cancelled run's unfinished movies are cancelled, not failed. */
function endOf(report: RunReport, cancelled: boolean): { state: RunState; movies: RunSummary['movies'] } {
  const movies = report.movies.map((m) => ({
    file: path.basename(m.file),
    path: m.file,
    state: (m.ok ? 'done' : cancelled ? 'cancelled' : 'failed') as RunState,
    done: m.frames ?? 0,
    total: m.frames ?? 0,
    stage: m.ok ? 'done' : cancelled ? 'cancelled' : m.error,
  }));
  const state: RunState = cancelled
    ? 'cancelled'
    : movies.every((m) => m.state === 'done')
      ? 'done'
      : 'failed';
  return { state, movies };
}

/**
 * The Runs domain: `hitmic run` behind the API. A run goes on in the background; its progress
 * and state changes are pushed as 'run.progress' / 'run.state' events, and it can be cancelled.
 * Every run's output folder is remembered in the user's settings (RunHistory), so `history`
 * lists the runs on disk after the backend restarts.
 */
export function createRunsApi(
  events: BackendEvents,
  options: { launcher?: WorkerLauncher; libraryDir: () => string; settingsDir: () => string },
): RunsApi & {
  dispose(): void;
  workerPids(): Record<string, number>;
  runOfPid(pid: number): string | undefined;
} {
  const runs = new Map<string, RunEntry>();
  const history = () => new RunHistory(options.settingsDir());
  const publish = (e: RunEntry) => events.emit('run.state', structuredClone(e.summary));
  const log = (level: 'info' | 'warn' | 'error', message: string, source: string) =>
    events.emit('log', { level, message, time: new Date().toISOString(), source });
  // Forgetting a run must never fail it: a settings folder that cannot be written is said in the log.
  const remember = (id: string, change: (h: RunHistory) => void) => {
    try {
      change(history());
    } catch (err) {
      log('warn', `This run will not be listed after a restart: ${(err as Error).message}`, `run ${id}`);
    }
  };
  const ended = (id: string, e: RunEntry) => {
    if (e.summary.outputDir)
      remember(id, (h) => h.ended(e.summary.outputDir!, { state: e.summary.state, error: e.summary.error }));
  };
  const live = () => [...runs.values()].filter((e) => e.summary.state === 'running');
  /** A remembered run as listed: what is on disk now, and whether this backend runs it. */
  const recordOf = (r: RememberedRun): RunRecord => {
    const going = live().find((e) => e.summary.outputDir === r.outputDir);
    const listing = listRunFolder(r.outputDir);
    const interrupted = r.state === 'running' && !going;
    return {
      outputDir: r.outputDir,
      configPath: r.configPath,
      configExists: !!r.configPath && fs.existsSync(r.configPath),
      state: going ? 'running' : interrupted ? 'failed' : r.state,
      error: interrupted ? INTERRUPTED : r.error,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      liveRunId: going?.summary.id,
      folderExists: listing.exists,
      movies: listing.movies.map((m) => ({
        name: m.name,
        analysed: m.analysed,
        moviePath: m.moviePath,
        frames: m.frames,
        objects: m.objects,
        tracks: m.tracks,
        writtenAt: m.writtenAt,
      })),
    };
  };

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
          configPath: request.configPath,
        },
        controller: new AbortController(),
        workers: new Map(),
      };
      runs.set(id, entry);
      publish(entry);
      void runConfig({
        configPath: request.configPath,
        inputs: request.inputs,
        outputDir: request.outputDir,
        frames: request.frames,
        force: request.force === true,
        libraryDir: options.libraryDir(),
        launcher: options.launcher,
        signal: entry.controller.signal,
        onPlan: (plan) => {
          entry.summary.outputDir = plan.outputDir;
          entry.summary.skipped = plan.skipped.map((f) => path.basename(f));
          remember(id, (h) =>
            h.started({
              outputDir: plan.outputDir,
              configPath: path.resolve(request.configPath!),
              startedAt: entry.summary.startedAt,
            }),
          );
          publish(entry);
        },
        onProgress: (p) => {
          const movies = entry.summary.movies;
          let m = movies.find((x) => x.file === p.movie);
          if (!m) movies.push((m = { file: p.movie, state: 'running', done: 0, total: p.total }));
          m.stage = p.stage;
          m.waiting = p.waiting;
          if (p.memory) m.memory = p.memory;
          const pid = p.memory?.pid ?? p.waiting?.pid;
          if (pid) entry.workers.set(p.movie, pid);
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
          log(level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info', message, `run ${id}`),
      }).then(
        (report) => {
          const end = endOf(report, entry.controller.signal.aborted);
          entry.summary.outputDir = report.outputDir;
          entry.summary.movies = end.movies;
          entry.summary.state = end.state;
          if (end.state === 'failed')
            entry.summary.error = end.movies
              .filter((m) => m.state === 'failed')
              .map((m) => `${m.file}: ${m.stage ?? 'failed'}`)
              .join('\n');
          ended(id, entry);
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
          ended(id, entry);
          publish(entry);
        },
      );
      return structuredClone(entry.summary);
    },
    workerPids() {
      // Workers of running movies, for the Resources view's memory chart and its Stop buttons.
      const out: Record<string, number> = {};
      for (const e of live())
        for (const m of e.summary.movies) {
          const pid = e.workers.get(m.file);
          if (pid && m.state === 'running') out[`run: ${m.file}`] = pid;
        }
      return out;
    },
    runOfPid(pid) {
      for (const e of live())
        if (e.summary.movies.some((m) => m.state === 'running' && e.workers.get(m.file) === pid))
          return e.summary.id;
      return undefined;
    },
    async list() {
      return [...runs.values()].map((e) => structuredClone(e.summary));
    },
    async cancel(runId) {
      const e = runs.get(runId);
      if (!e) throw new ApiError('NOT_FOUND', `no run '${runId}'`);
      e.controller.abort();
    },
    async history(): Promise<RunRecord[]> {
      return history().list().map(recordOf);
    },
    async addFolder(outputDir) {
      if (typeof outputDir !== 'string' || !path.isAbsolute(outputDir.trim()))
        throw new ApiError(
          'BAD_INPUT',
          'Give the full path of a run output folder (e.g. /data/exp1/results)',
          {
            field: 'outputDir',
            actual: outputDir,
          },
        );
      const listing = listRunFolder(outputDir.trim());
      if (!listing.exists)
        throw new ApiError('NOT_FOUND', `No folder at ${listing.dir}. Check the path.`, {
          path: listing.dir,
        });
      if (listing.movies.length === 0)
        throw new ApiError(
          'BAD_INPUT',
          `${listing.dir} holds no run results: a run output folder has {movie}_fl.csv and {movie}_run.json files. Pick the folder the run wrote to (output_folder in its config).`,
          { path: listing.dir },
        );
      const newest = listing.movies[0];
      history().added({
        outputDir: listing.dir,
        configPath: newest.configFile,
        state: listing.movies.some((m) => m.analysed) ? 'done' : 'failed',
        endedAt: newest.writtenAt,
        ...(listing.movies.some((m) => m.analysed) ? {} : { error: 'no movie in it has complete tables' }),
      });
      return recordOf(history().list()[0]);
    },
    async forget(outputDir) {
      if (typeof outputDir !== 'string' || !path.isAbsolute(outputDir))
        throw new ApiError('BAD_INPUT', 'runs.forget needs the absolute path of a remembered output folder', {
          field: 'outputDir',
          actual: outputDir,
        });
      history().forget(outputDir);
    },
    dispose() {
      for (const e of live()) {
        e.summary.state = 'cancelled';
        e.summary.error = 'HiTMic Studio stopped during the run.';
        ended(e.summary.id, e);
        e.controller.abort();
      }
    },
  };
}
