import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Helpers for the resource tests: real processes, real files, bounded waits. */
export const REPO = path.resolve(__dirname, '../../..');
export const HITMIC = path.join(REPO, 'bin/hitmic.js');
export const HOLDER = path.join(__dirname, 'holder.cjs');

/** A fresh directory used as TMPDIR, so tests never touch the real temp dir's booking files. */
export function makeBookingDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-res-test-'));
}

/** Polls `fn` every `everyMs` until it returns a truthy value; throws after `timeoutMs` naming `what`. */
export async function waitUntil<T>(
  fn: () => T | undefined | null | false,
  what: string,
  timeoutMs = 10_000,
  everyMs = 20,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A spawned process with its stdout/stderr collected as text and lines. */
export class Proc {
  stdout = '';
  stderr = '';
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited = false;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exited = true;
        resolve({ code, signal });
      }),
    );
  }

  get lines(): string[] {
    return this.stdout.split('\n').filter(Boolean);
  }

  /** Waits for a stdout line starting with `prefix`; returns it split on spaces. */
  async line(prefix: string, timeoutMs = 10_000): Promise<string[]> {
    const found = await waitUntil(
      () => this.lines.find((l) => l.startsWith(prefix)) ?? (this.exited ? `!exited` : undefined),
      `a line '${prefix}...' from pid ${this.child.pid}`,
      timeoutMs,
      5,
    );
    if (found === '!exited' && !prefix.startsWith('!')) {
      throw new Error(
        `pid ${this.child.pid} exited before printing '${prefix}': stdout ${this.stdout} stderr ${this.stderr}`,
      );
    }
    return found.split(' ');
  }
}

/** Starts the holder harness with the given acquire options (JSON), holding until stdin closes or `holdMs`. */
export function spawnHolder(opts: Record<string, unknown>, holdMs?: number): Proc {
  const args = [HOLDER, JSON.stringify(opts)];
  if (holdMs !== undefined) args.push(String(holdMs));
  return new Proc(spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** Starts `node bin/hitmic.js ...args` with TMPDIR set to `dir`. */
export function spawnHitmic(args: string[], dir: string, extraEnv: NodeJS.ProcessEnv = {}): Proc {
  return new Proc(
    spawn(process.execPath, [HITMIC, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dir, HITMIC_CAPACITY_GB: '', ...extraEnv },
    }),
  );
}

/** Parsed booking file, or null if absent/unreadable at this instant. */
export function readJson(file: string): {
  bookings: Record<string, { memory_gb: number; pid: number; [k: string]: unknown }>;
  hitmic?: { queue: { ticket: number; pid: number }[] };
} | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** True when no process with this pid exists (ESRCH). */
export function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
