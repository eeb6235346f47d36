import fs from 'node:fs';
import {
  bookingDirectory,
  type BookingSnapshot,
  capacityCapFromEnv,
  clockText as clock,
  listBookedDevices,
  normalizeDevice,
  readBookings,
} from '../../resources';
import { parseArgs } from '../args';
import type { CliCommand, CliIo } from '../command';

const USAGE = `Usage: hitmic bookings [--device D] [--json] [--watch]

Shows who holds memory and who waits, per device, from the booking files
(memory_bookings_<device>.json in $TMPDIR) shared with HiTMicTools. Entries
written by HiTMicTools are shown with app 'HiTMicTools'; it does not queue, so
its waiters are invisible. Entries marked 'gone' belong to processes that have
ended; the next reservation removes them. Reading takes no lock and changes nothing.

Options:
  --device, -d D  only this device (cpu, mps, cuda_<i>); default: every device
                  with a booking file
  --json          print {bookingDirectory, devices: [snapshot...]} (one line;
                  with --watch, one line per change)
  --watch         print again whenever the bookings change, until Ctrl-C
`;

const gb = (n: number | null): string => (n === null ? '?' : String(Number(n.toFixed(2))));

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    `    ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd(),
  );
}

/** Text rendering of one device's snapshot (the format of `hitmic bookings`). */
export function renderSnapshot(s: BookingSnapshot): string {
  const lines = [
    `${s.device}: ${gb(s.bookedGb)} of ${gb(s.capacityGb)} GB booked, ${gb(s.freeGb)} GB free (${s.bookingFile})`,
  ];
  for (const p of s.problems) lines.push(`  warning: ${p} (the next reservation repairs the file)`);
  if (s.holders.length === 0) lines.push('  holders: none');
  else {
    lines.push('  holders:');
    const rows = [['KEY', 'PID', 'HOST', 'GB', 'SINCE(UTC)', 'APP', 'STAGE', 'DESCRIPTION']];
    for (const h of s.holders) {
      const app = h.gone ? `${h.app} (gone)` : h.app;
      rows.push([
        h.key,
        String(h.pid),
        h.host,
        gb(h.gb),
        clock(h.sinceMs),
        app,
        h.stage || '-',
        h.description || '-',
      ]);
    }
    lines.push(...table(rows));
  }
  if (s.waiters.length === 0) lines.push('  waiters: none');
  else {
    lines.push('  waiters (queue order):');
    const rows = [['#', 'TICKET', 'PID', 'HOST', 'GB', 'WAITING', 'POLICY', 'DESCRIPTION']];
    for (const w of s.waiters) {
      const waited = `${((s.readAtMs - w.sinceMs) / 1000).toFixed(0)} s${w.gone ? ' (gone)' : ''}`;
      rows.push([
        String(w.position),
        String(w.ticket),
        String(w.pid),
        w.host,
        gb(w.gb),
        waited,
        w.policy,
        w.description || '-',
      ]);
    }
    lines.push(...table(rows));
  }
  return lines.join('\n');
}

async function snapshots(
  devices: string[] | null,
  io: CliIo,
): Promise<{ dir: string; list: BookingSnapshot[] }> {
  const dir = bookingDirectory(io.env);
  const capacityGb = capacityCapFromEnv(io.env);
  const names = devices ?? listBookedDevices(dir);
  return { dir, list: await Promise.all(names.map((d) => readBookings(d, { dir, capacityGb }))) };
}

function render(json: boolean, dir: string, list: BookingSnapshot[]): string {
  if (json) return JSON.stringify({ bookingDirectory: dir, devices: list });
  if (list.length === 0) return `no booking files in ${dir}`;
  // Times in the text are compared against the reading time, so drop them from change detection.
  return list.map(renderSnapshot).join('\n\n');
}

/** What changes between two readings if anything but the clock changed. */
function changeKey(list: BookingSnapshot[]): string {
  return JSON.stringify(list.map((s) => ({ ...s, readAtMs: 0, capacityGb: 0, freeGb: 0 })));
}

export const bookingsCommand: CliCommand = {
  name: 'bookings',
  summary: 'who holds memory and who waits, per device (also HiTMicTools bookings)',
  usage: USAGE,
  async run(argv, io) {
    const { options } = parseArgs(
      argv,
      { device: { type: 'string', short: 'd' }, json: { type: 'boolean' }, watch: { type: 'boolean' } },
      'bookings',
    );
    const devices = typeof options.device === 'string' ? [normalizeDevice(options.device)] : null;
    const json = options.json === true;
    let { dir, list } = await snapshots(devices, io);
    io.stdout.write(`${render(json, dir, list)}\n`);
    if (!options.watch) return 0;

    let last = changeKey(list);
    let wake: (() => void) | null = null;
    let stopped = false;
    const stop = (): void => {
      stopped = true;
      wake?.();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let watcher: fs.FSWatcher | null = null;
    try {
      watcher = fs.watch(dir, { persistent: false }, (_e, name) => {
        if (name === null || name.startsWith('memory_bookings_')) wake?.();
      });
      watcher.on('error', () => watcher?.close());
    } catch {
      // Polling alone still works.
    }
    try {
      while (!stopped) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => resolve(), 1000);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        wake = null;
        if (stopped) break;
        ({ dir, list } = await snapshots(devices, io));
        const key = changeKey(list);
        if (key === last) continue;
        last = key;
        const text = render(json, dir, list);
        if (json) io.stdout.write(`${text}\n`);
        else
          io.stdout.write(
            `${io.stdout.isTTY ? '\x1b[2J\x1b[H' : '\n'}-- ${new Date().toISOString()} --\n${text}\n`,
          );
      }
    } finally {
      watcher?.close();
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    }
    return 0;
  },
};
