import type { ResourcesApi } from '../../src-shared/api';
import type { BookingsSnapshot, DeviceInfo, MemoryPoint } from '../../src-shared/api';
import {
  bookingDirectory,
  bookingFilePath,
  listBookedDevices,
  listDevices,
  MemorySampler,
  readBookings,
  resolveCapacityGb,
  type BookingSnapshot,
} from '../resources';
import { watchBookingFile } from '../resources';
import type { BackendEvents } from './events';

const MB = 1024 ** 2;

function toSnapshot(s: BookingSnapshot): BookingsSnapshot {
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
    })),
    waiters: s.waiters.map((w) => ({
      position: w.position,
      pid: w.pid,
      host: w.host,
      memoryGb: w.gb,
      sinceMs: w.sinceMs,
      description: w.description,
      stage: w.stage,
    })),
  };
}

/**
 * The Resources domain of the backend: devices, the shared booking files (ours and
 * HiTMicTools'), and memory over time of the backend and its workers. Booking-file changes are
 * pushed as 'bookings.changed' events.
 */
export function createResourcesApi(
  events: BackendEvents,
  processes: () => Record<string, number | undefined>,
): ResourcesApi & { dispose(): void } {
  const labels = new Map<number, string>();
  const sampler = new MemorySampler({ capacity: 600 });
  const refreshPids = () => {
    labels.clear();
    for (const [label, pid] of Object.entries(processes())) if (pid) labels.set(pid, label);
    sampler.setPids([...labels.keys()]);
  };
  refreshPids();
  const pidTimer = setInterval(refreshPids, 2000);
  pidTimer.unref();
  sampler.start(1000);

  // Watch every device file that exists now (cpu always: the app itself books there).
  const devices = new Set<string>(['cpu', ...listBookedDevices()]);
  const unwatch = [...devices].map((d) =>
    watchBookingFile(bookingFilePath(d, bookingDirectory()), () => {
      void readBookings(d).then(
        (s) => events.emit('bookings.changed', toSnapshot(s)),
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
      return Promise.all(names.map(async (d) => toSnapshot(await readBookings(d))));
    },
    async memory(): Promise<MemoryPoint[]> {
      return sampler.samples().map((s) => ({
        atMs: s.atMs,
        ramUsedGb: s.ram.usedGb,
        ramFreeGb: s.ram.freeGb,
        processesMb: Object.fromEntries(
          Object.entries(s.rssBytes).map(([pid, bytes]) => [
            labels.get(Number(pid)) ?? `pid ${pid}`,
            bytes === null ? null : bytes / MB,
          ]),
        ),
      }));
    },
    dispose() {
      clearInterval(pidTimer);
      sampler.stop();
      unwatch.forEach((u) => u());
    },
  };
}
