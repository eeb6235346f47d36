import os from 'node:os';

/** Something that must be undone synchronously when the process ends (a booking, a queue entry). */
export interface ExitReleasable {
  /** Undo now, synchronously; must not throw. */
  releaseAtExit(reason: string): void;
}

const live = new Set<ExitReleasable>();
const HANDLED_SIGNALS: NodeJS.Signals[] =
  process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/**
 * signal-exit (loaded by libraries such as proper-lockfile) adds one listener per signal that only
 * acts when it is alone. It is not "the application handling the signal", so it is not counted as one.
 * It is recognised by signal-exit's global emitter and its listeners' function name.
 */
function isSignalExitListener(l: { name: string }): boolean {
  return '__signal_exit_emitter__' in process && l.name === 'listener';
}

function releaseAll(reason: string): void {
  for (const r of [...live]) {
    live.delete(r);
    try {
      r.releaseAtExit(reason);
    } catch {
      // Nothing more can be done while exiting; the next acquirer removes a dead process's entries.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  const others = process
    .listeners(signal)
    .filter((l) => l !== signalHandlers.get(signal) && !isSignalExitListener(l));
  // The application handles this signal itself; if it exits, the 'exit' hook releases.
  if (others.length > 0) return;
  releaseAll(signal);
  const handler = signalHandlers.get(signal);
  if (handler) process.removeListener(signal, handler);
  // Die by the same signal as if we had not been here, so the parent sees the real cause.
  process.kill(process.pid, signal);
  setTimeout(() => process.exit(128 + (os.constants.signals[signal] ?? 0)), 1000);
}

const signalHandlers = new Map<NodeJS.Signals, () => void>();

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', () => releaseAll('exit'));
  for (const s of HANDLED_SIGNALS) {
    const handler = (): void => onSignal(s);
    signalHandlers.set(s, handler);
    process.on(s, handler);
  }
}

/**
 * Registers a live booking or waiter to be released when the process ends:
 * - on `exit` (normal end, `process.exit`, uncaught exception) synchronously;
 * - on SIGINT/SIGTERM/SIGHUP when no other code listens for that signal: released synchronously,
 *   then the signal is raised again so the process dies of it (exit status 128 + signal number).
 *   When the application has its own handler, it decides; the `exit` hook still releases.
 * A SIGKILL cannot be caught: the next acquirer removes the dead process's entries.
 */
export function registerForExit(r: ExitReleasable): void {
  install();
  live.add(r);
}

/** Forgets a registration (after a normal release). */
export function unregisterForExit(r: ExitReleasable): void {
  live.delete(r);
}

/** Number of live registrations (for tests and diagnostics). */
export function liveRegistrations(): number {
  return live.size;
}
