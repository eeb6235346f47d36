import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import {
  acquireReservation,
  bookingDirectory,
  capacityCapFromEnv,
  describeHolder,
  normalizeDevice,
  type Reservation,
  ReservationAbortedError,
  type ResourceLog,
  type WaitState,
} from '../../resources';
import { numberOption, parseArgs } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';

/** Exit status when the reservation timed out (EX_TEMPFAIL: try again later). */
export const RESERVE_TIMEOUT_EXIT = 75;
const FORWARDED: NodeJS.Signals[] =
  process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];

const USAGE = `Usage: hitmic reserve --device D --gb X [options] -- CMD [ARGS...]

Runs CMD while holding a memory reservation of X GB on device D, like flock(1) for GPU memory.
The reservation is a booking in D's booking file (memory_bookings_<D>.json in $TMPDIR), shared
with HiTMicTools, so its pipelines and other hitmic processes see it. Waiters are served in
queue (ticket) order; while waiting, status lines go to stderr.

Options:
  --device, -d D      cpu, mps or cuda_<i> (also cuda:<i>; 'cuda' means cuda_0)
  --gb X              GB (1024^3 bytes) to book; 0 books nothing
  --timeout S         give up after S seconds of waiting (default 600)
  --capacity-gb C     book against at most C GB of the device (default: the
                      device total, or $HITMIC_CAPACITY_GB)
  --policy P          fifo (default): strict queue order; first-fit: a later
                      request that fits may pass earlier ones that do not, but
                      only while they have waited less than --aging seconds
  --aging S           aging limit for --policy first-fit (default 60)
  --description TEXT  what CMD does, shown by 'hitmic bookings' and in timeouts
  --stage NAME        pipeline stage shown with the booking

CMD runs with stdio inherited and these variables set: HITMIC_RESERVATION_DEVICE,
HITMIC_RESERVATION_GB, HITMIC_RESERVATION_KEY, HITMIC_RESERVATION_TICKET,
HITMIC_RESERVATION_FILE.

Exit status: CMD's own; 128+N if CMD died of signal N; 128+N if hitmic reserve got
SIGINT/SIGTERM/SIGHUP (forwarded to CMD; a second one kills CMD); ${RESERVE_TIMEOUT_EXIT} on timeout;
127 if CMD cannot be started; 2 on bad arguments. The booking is released in every case.

Examples:
  hitmic reserve --device cuda_0 --gb 4 -- python -m hitmictools run cfg.yml
  hitmic reserve -d cpu --gb 8 --timeout 3600 --description "batch 3" -- ./process.sh
`;

const signalExit = (s: NodeJS.Signals): number => 128 + (os.constants.signals[s] ?? 0);

function waitLine(s: WaitState): string {
  const holders = s.holders.length ? s.holders.map(describeHolder).join(', ') : 'nobody';
  const queue = s.waitersAhead.length ? `${s.waitersAhead.length} waiting ahead` : 'first in queue';
  return (
    `hitmic reserve: waiting for ${s.requestGb} GB on ${s.device}: ${Number(s.bookedGb.toFixed(2))} of ` +
    `${Number(s.capacityGb.toFixed(2))} GB booked by ${holders}; ticket ${s.ticket}, ${queue}\n`
  );
}

function parsePolicy(v: unknown): 'fifo' | 'first-fit-aging' {
  if (v === undefined || v === 'fifo') return 'fifo';
  if (v === 'first-fit' || v === 'first-fit-aging') return 'first-fit-aging';
  throw new CliError(`option '--policy' must be 'fifo' or 'first-fit', got '${String(v)}'`);
}

/** Runs the child and resolves with how it ended; rejects if it cannot be started. */
function runChild(
  cmd: string[],
  io: CliIo,
  r: Reservation,
  onChild: (c: ChildProcess) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      stdio: 'inherit',
      cwd: io.cwd,
      env: {
        ...io.env,
        HITMIC_RESERVATION_DEVICE: r.device,
        HITMIC_RESERVATION_GB: String(r.gb),
        HITMIC_RESERVATION_KEY: r.key ?? '',
        HITMIC_RESERVATION_TICKET: r.ticket === null ? '' : String(r.ticket),
        HITMIC_RESERVATION_FILE: r.bookingFile,
      },
    });
    child.once('error', (e) =>
      reject(
        new CliError(
          `could not start '${cmd[0]}': ${e.message}; check that the command exists and is executable`,
          127,
        ),
      ),
    );
    child.once('exit', (code, signal) => resolve({ code, signal }));
    onChild(child);
  });
}

export const reserveCommand: CliCommand = {
  name: 'reserve',
  summary: 'run a command while holding a memory reservation on a device (like flock, for GPU memory)',
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(
      argv,
      {
        device: { type: 'string', short: 'd' },
        gb: { type: 'string' },
        timeout: { type: 'string' },
        'capacity-gb': { type: 'string' },
        policy: { type: 'string' },
        aging: { type: 'string' },
        description: { type: 'string' },
        stage: { type: 'string' },
      },
      'reserve',
    );
    const o = args.options;
    if (typeof o.device !== 'string')
      throw new CliError(`'reserve' needs --device (cpu, mps or cuda_<i>); see 'hitmic reserve --help'`);
    let device: string;
    try {
      device = normalizeDevice(o.device);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    const gb = numberOption(o.gb, 'gb', { min: 0 });
    if (gb === undefined)
      throw new CliError(`'reserve' needs --gb X (the GB to book); see 'hitmic reserve --help'`);
    if (args.positionals.length > 0)
      throw new CliError(
        `unexpected '${args.positionals[0]}': put the command after '--' (hitmic reserve ... -- CMD ARGS)`,
      );
    if (args.rest.length === 0)
      throw new CliError(
        `'reserve' needs a command after '--' (hitmic reserve --device D --gb X -- CMD ARGS)`,
      );
    const timeoutS = numberOption(o.timeout, 'timeout', { min: 0.001 }) ?? 600;
    const agingS = numberOption(o.aging, 'aging', { min: 0 }) ?? 60;
    const capacityGb =
      numberOption(o['capacity-gb'], 'capacity-gb', { min: 0.000001 }) ?? capacityCapFromEnv(io.env);
    const log: ResourceLog = {
      info: () => {},
      warn: (m) => io.stderr.write(`hitmic reserve: warning: ${m}\n`),
    };

    const abort = new AbortController();
    let received: NodeJS.Signals | null = null;
    let child: ChildProcess | null = null;
    const handlers = new Map<NodeJS.Signals, () => void>();
    for (const s of FORWARDED) {
      const h = (): void => {
        if (child && received) child.kill('SIGKILL');
        else if (child) child.kill(s);
        else abort.abort();
        received ??= s;
      };
      handlers.set(s, h);
      process.on(s, h);
    }
    try {
      let reservation: Reservation;
      try {
        reservation = await acquireReservation({
          device,
          gb,
          timeoutMs: timeoutS * 1000,
          capacityGb,
          capacityFrom: o['capacity-gb'] !== undefined ? '--capacity-gb' : 'HITMIC_CAPACITY_GB',
          description: typeof o.description === 'string' ? o.description : args.rest.join(' ').slice(0, 200),
          stage: typeof o.stage === 'string' ? o.stage : undefined,
          policy: parsePolicy(o.policy),
          agingLimitMs: agingS * 1000,
          signal: abort.signal,
          dir: bookingDirectory(io.env),
          log,
          onWait: (s) => io.stderr.write(waitLine(s)),
        });
      } catch (e) {
        if (e instanceof ReservationAbortedError && received) return signalExit(received);
        if (e instanceof Error && e.name === 'ReservationTimeoutError')
          throw new CliError(e.message, RESERVE_TIMEOUT_EXIT);
        throw e;
      }
      try {
        if (reservation.waitedMs > 1000) {
          io.stderr.write(
            `hitmic reserve: granted ${gb} GB on ${reservation.device} after ${(reservation.waitedMs / 1000).toFixed(1)} s\n`,
          );
        }
        if (received) return signalExit(received);
        const end = await runChild(args.rest, io, reservation, (c) => (child = c));
        if (received) return signalExit(received);
        if (end.signal) return signalExit(end.signal);
        return end.code ?? 1;
      } finally {
        await reservation.release();
      }
    } finally {
      for (const [s, h] of handlers) process.removeListener(s, h);
    }
  },
};
