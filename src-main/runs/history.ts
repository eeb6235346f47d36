import path from 'node:path';
import type { RunState } from '../../src-shared/api';
import { readSettingsJson, writeSettingsJson } from '../io';

/** The settings file holding the remembered runs. */
export const RUN_HISTORY_FILE = 'recent-runs.json';
/** Output folders remembered at most; the oldest is forgotten first. */
export const RUN_HISTORY_MAX = 50;

/** One remembered run: where it wrote, what it ran, how it ended. */
export interface RememberedRun {
  outputDir: string;
  configPath?: string;
  state: RunState;
  error?: string;
  startedAt?: string;
  endedAt?: string;
}

const STATES: readonly RunState[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

/** An entry read back from the file, or null when it is not one (the file is the user's to edit). */
function checked(v: unknown): RememberedRun | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.outputDir !== 'string' || !path.isAbsolute(r.outputDir)) return null;
  const opt = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
  return {
    outputDir: r.outputDir,
    configPath: opt('configPath'),
    state: STATES.includes(r.state as RunState) ? (r.state as RunState) : 'failed',
    error: opt('error'),
    startedAt: opt('startedAt'),
    endedAt: opt('endedAt'),
  };
}

/**
 * The output folders of the runs started from the app, newest first, kept in the per-user
 * settings folder (`recent-runs.json`, 0600) so the Runs view lists them after a restart. One
 * entry per folder: a new run into the same folder replaces the old entry. Every change reads
 * the file again first, so two backends of the same user lose at most a simultaneous change.
 */
export class RunHistory {
  constructor(
    private readonly dir: string,
    private readonly max = RUN_HISTORY_MAX,
  ) {}

  list(): RememberedRun[] {
    const raw = readSettingsJson(this.dir, RUN_HISTORY_FILE) as { runs?: unknown } | undefined;
    const runs = Array.isArray(raw?.runs) ? raw.runs : [];
    const seen = new Set<string>();
    const out: RememberedRun[] = [];
    for (const r of runs.map(checked)) {
      if (!r || seen.has(r.outputDir)) continue;
      seen.add(r.outputDir);
      out.push(r);
    }
    return out;
  }

  /** A run into `outputDir` started: it goes first, replacing what was remembered of the folder. */
  started(run: { outputDir: string; configPath?: string; startedAt?: string }): void {
    this.put({
      outputDir: run.outputDir,
      configPath: run.configPath,
      state: 'running',
      startedAt: run.startedAt ?? new Date().toISOString(),
    });
  }

  /** A run folder made elsewhere (`hitmic run` in a terminal) that the user added: first, as given. */
  added(run: RememberedRun): void {
    this.put(run);
  }

  private put(run: RememberedRun): void {
    const entry = { ...run, outputDir: path.resolve(run.outputDir) };
    this.write([entry, ...this.list().filter((r) => r.outputDir !== entry.outputDir)].slice(0, this.max));
  }

  /** The run into `outputDir` ended: how, and why when it did not finish. */
  ended(outputDir: string, end: { state: RunState; error?: string; endedAt?: string }): void {
    const abs = path.resolve(outputDir);
    const all = this.list();
    const old = all.find((r) => r.outputDir === abs) ?? { outputDir: abs, state: end.state };
    const entry: RememberedRun = {
      ...old,
      state: end.state,
      error: end.error,
      endedAt: end.endedAt ?? new Date().toISOString(),
    };
    const known = all.includes(old as RememberedRun);
    this.write(
      (known ? all.map((r) => (r.outputDir === abs ? entry : r)) : [entry, ...all]).slice(0, this.max),
    );
  }

  /** Forgets a folder (its files stay where they are). */
  forget(outputDir: string): void {
    const abs = path.resolve(outputDir);
    this.write(this.list().filter((r) => r.outputDir !== abs));
  }

  private write(runs: RememberedRun[]): void {
    writeSettingsJson(this.dir, RUN_HISTORY_FILE, { version: 1, runs });
  }
}
