import os from 'node:os';
import type { ResourcesApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { BookingsSnapshot, DeviceInfo, MemoryPoint } from '../../src-shared/api';
import {
  bookingDirectory,
  bookingFilePath,
  listBookedDevices,
  listDevices,
  MemorySampler,
  readBookingFile,
  readBookings,
  resolveCapacityGb,
  totalBookedGb,
  type BookingSnapshot,
} from '../resources';
import { watchBookingFile } from '../resources';
import type { BackendEvents } from './events';

const MB = 1024 ** 2;

function toSnapshot(s: BookingSnapshot, own: (pid: number, host: string) => boolean): BookingsSnapshot {
  return {
    device: s.device,
    bookingFile: s.bookingFile,
    capacityGb: s.capacityGb,
    bookedGb: s.bookedGb,
    problems: s.problems,
    holders: s.holders.map((h) => ({
      key: h.key,
      pid: h.pid,
      host: h.host,
      app: h.app,
      memoryGb: h.gb,
      sinceMs: h.sinceMs,
      description: h.description,
      stage: h.stage,
      gone: h.gone,
      command: h.command,
      user: h.user,
      own: own(h.pid, h.host),
    })),
    waiters: s.waiters.map((w) => ({
      position: w.position,
      pid: w.pid,
      host: w.host,
      memoryGb: w.gb,
      sinceMs: w.sinceMs,
      description: w.description,
      stage: w.stage,
      reason: w.reason,
      capacityGb: w.capacityGb,
      capacityFrom: w.capacityFrom,
      command: w.command,
      user: w.user,
      own: own(w.pid, w.host),
    })),
  };
}

/** This backend's processes that may hold or wait for memory, and how to stop each. */
export interface OwnProcesses {
  /** Label → pid of the backend and its workers (for the memory chart). */
  pids(): Record<string, number | undefined>;
  /** Stops what runs under `pid` when it is ours; returns what was stopped, or undefined. */
  stop(pid: number): Promise<string | undefined>;
}

/** Booked GB per device, sampled with the memory (the chart's "booked memory over time"). */
const BOOKED_SAMPLES = 600;

/**
 * The Resources domain of the backend: devices, the shared booking files (ours and
 * HiTMicTools'), and memory over time of the backend and its workers. Booking-file changes are
 * pushed as 'bookings.changed' events.
 */
export function createResourcesApi(
  events: BackendEvents,
  processes: OwnProcesses,
): ResourcesApi & { dispose(): void } {
  const labels = new Map<number, string>();
  const own = (pid: number, host: string) => host === os.hostname() && labels.has(pid) && pid !== process.pid;
  const sampler = new MemorySampler({ capacity: 600 });
  const refreshPids = () => {
    labels.clear();
    for (const [label, pid] of Object.entries(processes.pids())) if (pid) labels.set(pid, label);
    sampler.setPids([...labels.keys()]);
  };
  refreshPids();
  const pidTimer = setInterval(refreshPids, 2000);
  pidTimer.unref();
  sampler.start(1000);
  const booked: { atMs: number; gb: Record<string, number> }[] = [];
  const sampleBooked = () => {
    const gb: Record<string, number> = {};
    for (const d of new Set(['cpu', ...listBookedDevices()])) {
      try {
        gb[d] = totalBookedGb(
          readBookingFile(bookingFilePath(d, bookingDirectory()), Date.now() / 1000).data.bookings,
        );
      } catch {
        // An unreadable booking file is said by `bookings`; the chart just has no point for it.
      }
    }
    booked.push({ atMs: Date.now(), gb });
    if (booked.length > BOOKED_SAMPLES) booked.splice(0, booked.length - BOOKED_SAMPLES);
  };
  sampleBooked();
  const bookedTimer = setInterval(sampleBooked, 1000);
  bookedTimer.unref();

  // Watch every device file that exists now (cpu always: the app itself books there).
  const devices = new Set<string>(['cpu', ...listBookedDevices()]);
  const unwatch = [...devices].map((d) =>
    watchBookingFile(bookingFilePath(d, bookingDirectory()), () => {
      void readBookings(d).then(
        (s) => events.emit('bookings.changed', toSnapshot(s, own)),
        () => undefined,
      );
    }),
  );

  return {
    async devices(): Promise<DeviceInfo[]> {
      const list = await listDevices();
      return Promise.all(
        list.map(async (d) => {
          const snap = await readBookings(d.device);
          const capacityGb = await resolveCapacityGb(d.device).catch(() => null);
          return {
            id: d.device,
            kind: d.kind,
            name: d.name,
            totalGb: d.totalGb,
            usedGb: d.usedGb,
            freeGb: d.freeGb,
            capacityGb,
            bookedGb: snap.bookedGb,
          };
        }),
      );
    },
    async bookings(device?: string): Promise<BookingsSnapshot[]> {
      const names = device ? [device] : [...new Set(['cpu', ...listBookedDevices()])];
      return Promise.all(names.map(async (d) => toSnapshot(await readBookings(d), own)));
    },
    async memory(): Promise<MemoryPoint[]> {
      let i = 0;
      return sampler.samples().map((s) => {
        // The booked sample nearest in time (both are taken every second, in step).
        while (
          i + 1 < booked.length &&
          Math.abs(booked[i + 1].atMs - s.atMs) <= Math.abs(booked[i].atMs - s.atMs)
        )
          i++;
        const near = booked[i] && Math.abs(booked[i].atMs - s.atMs) < 1500 ? booked[i].gb : undefined;
        return {
          atMs: s.atMs,
          ramUsedGb: s.ram.usedGb,
          ramFreeGb: s.ram.freeGb,
          processesMb: Object.fromEntries(
            Object.entries(s.rssBytes).map(([pid, bytes]) => [
              labels.get(Number(pid)) ?? `pid ${pid}`,
              bytes === null ? null : bytes / MB,
            ]),
          ),
          ...(near ? { bookedGb: near } : {}),
        };
      });
    },
    async cancelHolder(pid) {
      if (!Number.isSafeInteger(pid) || pid <= 0)
        throw new ApiError('BAD_INPUT', `cancelHolder needs a process id, got ${String(pid)}`, {
          field: 'pid',
        });
      refreshPids();
      const stopped = own(pid, os.hostname()) ? await processes.stop(pid) : undefined;
      if (!stopped)
        throw new ApiError(
          'BAD_INPUT',
          `pid ${pid} is not one of this HiTMic Studio's jobs, so it is not stopped from here; stop it where it was started (its terminal, Ctrl-C), or ask its owner`,
          { pid },
        );
      return { stopped };
    },
    dispose() {
      clearInterval(pidTimer);
      clearInterval(bookedTimer);
      sampler.stop();
      unwatch.forEach((u) => u());
    },
  };
}
