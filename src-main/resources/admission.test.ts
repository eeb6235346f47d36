import { describe, expect, it } from 'vitest';
import { type AdmissionWaiter, decideAdmission, totalBookedGb } from './admission';
import { emptyBookingData, parseBookingFile, serializeBookingFile } from './booking-file';
import { bookingFilePath, normalizeDevice, parseNvidiaSmi } from './devices';
import { removeStaleEntries } from './stale-cleanup';

const w = (
  ticket: number,
  gb: number,
  sinceS = 0,
  policy: AdmissionWaiter['policy'] = 'fifo',
): AdmissionWaiter => ({ ticket, gb, sinceS, policy });
const base = { capacityGb: 8, bookedGb: 0, nowS: 100, agingLimitS: 60 };

describe('decideAdmission (pure admission rule)', () => {
  it('grants the head when the request fits, with float tolerance (0.1 + 0.2 of 0.3)', () => {
    expect(decideAdmission({ ...base, queue: [w(1, 4)], ticket: 1 }).granted).toBe(true);
    expect(
      decideAdmission({ ...base, capacityGb: 0.3, bookedGb: 0.1, queue: [w(1, 0.2)], ticket: 1 }).granted,
    ).toBe(true);
  });

  it('refuses when capacity − booked < request, reporting the free GB', () => {
    const d = decideAdmission({ ...base, bookedGb: 5, queue: [w(1, 4)], ticket: 1 });
    expect(d).toEqual({ granted: false, reason: 'insufficient-memory', freeGb: 3 });
  });

  it('FIFO: a later waiter that fits still waits behind the head, whatever the queue order given', () => {
    const d = decideAdmission({ ...base, bookedGb: 6, queue: [w(3, 1), w(2, 4)], ticket: 3 });
    expect(d).toEqual({ granted: false, reason: 'waiting-behind', freeGb: 2, blockedBy: 2 });
  });

  it('FIFO: when the head fits, only the head is granted (grants happen in ticket order)', () => {
    const queue = [w(1, 2), w(2, 2)];
    expect(decideAdmission({ ...base, queue, ticket: 1 }).granted).toBe(true);
    expect(decideAdmission({ ...base, queue, ticket: 2 }).granted).toBe(false);
  });

  it('a waiter not in the queue is never granted', () => {
    expect(decideAdmission({ ...base, queue: [w(1, 1)], ticket: 9 })).toMatchObject({
      granted: false,
      reason: 'not-queued',
    });
  });

  it('first-fit-aging: a small later request passes a big young head that does not fit', () => {
    const queue = [w(1, 6, 90, 'first-fit-aging'), w(2, 1, 95, 'first-fit-aging')];
    expect(decideAdmission({ ...base, bookedGb: 4, queue, ticket: 2 }).granted).toBe(true);
  });

  it('first-fit-aging: nobody passes a head that has waited the aging limit (no starvation)', () => {
    const queue = [w(1, 6, 40, 'first-fit-aging'), w(2, 1, 95, 'first-fit-aging')];
    expect(decideAdmission({ ...base, bookedGb: 4, queue, ticket: 2 })).toMatchObject({
      granted: false,
      blockedBy: 1,
    });
  });

  it("first-fit-aging: each waiter's own aging limit decides how long it may be passed", () => {
    const head = { ...w(1, 6, 90, 'first-fit-aging'), agingLimitS: 5 };
    const queue = [head, w(2, 1, 95, 'first-fit-aging')];
    expect(decideAdmission({ ...base, bookedGb: 4, queue, ticket: 2 })).toMatchObject({
      granted: false,
      blockedBy: 1,
    });
    expect(
      decideAdmission({ ...base, bookedGb: 4, queue: [{ ...head, agingLimitS: 20 }, queue[1]], ticket: 2 })
        .granted,
    ).toBe(true);
  });

  it('first-fit-aging: nobody passes a waiter ahead that fits (it is its turn)', () => {
    const queue = [w(1, 2, 90, 'first-fit-aging'), w(2, 1, 95, 'first-fit-aging')];
    expect(decideAdmission({ ...base, bookedGb: 4, queue, ticket: 2 })).toMatchObject({
      granted: false,
      blockedBy: 1,
    });
  });

  it('first-fit-aging: a strict-FIFO waiter ahead is never passed', () => {
    const queue = [w(1, 6, 90, 'fifo'), w(2, 1, 95, 'first-fit-aging')];
    expect(decideAdmission({ ...base, bookedGb: 4, queue, ticket: 2 })).toMatchObject({
      granted: false,
      blockedBy: 1,
    });
  });

  it('first-fit-aging: must pass every waiter ahead, not just the head', () => {
    const queue = [
      w(1, 6, 90, 'first-fit-aging'),
      w(2, 5, 30, 'first-fit-aging'),
      w(3, 1, 95, 'first-fit-aging'),
    ];
    expect(decideAdmission({ ...base, bookedGb: 4, queue, ticket: 3 })).toMatchObject({
      granted: false,
      blockedBy: 2,
    });
  });

  it('totalBookedGb counts every key, also several <pid>_<n> of one process', () => {
    expect(totalBookedGb({ '5_1': { memory_gb: 1 }, '5_2': { memory_gb: 2 }, '7': { memory_gb: 0.5 } })).toBe(
      3.5,
    );
  });
});

describe('removeStaleEntries', () => {
  const gone = new Set([111, 333]);
  const isGone = (pid: number): boolean => gone.has(pid);

  it('drops same-host bookings and waiters of gone processes, keeps live ones and HiTMicTools entries without host', () => {
    const data = emptyBookingData(0);
    data.bookings = {
      '111': { memory_gb: 1, timestamp: 0, pid: 111 },
      '222_1': { memory_gb: 2, timestamp: 0, pid: 222, host: 'here' },
      '444': { memory_gb: 4, timestamp: 0, pid: 444 },
    };
    data.hitmic.queue = [
      {
        ticket: 1,
        pid: 333,
        host: 'here',
        memory_gb: 1,
        description: 'x',
        since: 0,
        heartbeat: 0,
        policy: 'fifo',
      },
      {
        ticket: 2,
        pid: 222,
        host: 'here',
        memory_gb: 1,
        description: 'y',
        since: 0,
        heartbeat: 0,
        policy: 'fifo',
      },
    ];
    const removed = removeStaleEntries(data, 10_000, 'here', isGone);
    expect(Object.keys(data.bookings).sort()).toEqual(['222_1', '444']);
    expect(data.hitmic.queue.map((q) => q.ticket)).toEqual([2]);
    expect(removed.map((r) => `${r.kind}:${r.pid}`).sort()).toEqual(['booking:111', 'waiter:333']);
  });

  it('expires other-host entries by age only (their pids cannot be checked here)', () => {
    const data = emptyBookingData(0);
    data.bookings = {
      '111_1': { memory_gb: 1, timestamp: 100, pid: 111, host: 'other' },
      '112_1': { memory_gb: 1, timestamp: 950, pid: 112, host: 'other' },
    };
    data.hitmic.queue = [
      {
        ticket: 1,
        pid: 5,
        host: 'other',
        memory_gb: 1,
        description: '',
        since: 0,
        heartbeat: 900,
        policy: 'fifo',
      },
    ];
    const removed = removeStaleEntries(data, 1001, 'here', () => true, {
      otherHostBookingMaxAgeS: 900,
      otherHostWaiterMaxAgeS: 60,
    });
    expect(Object.keys(data.bookings)).toEqual(['112_1']);
    expect(data.hitmic.queue).toEqual([]);
    expect(removed).toHaveLength(2);
  });
});

describe('parseBookingFile', () => {
  it('reads HiTMicTools format exactly and keeps unknown fields and keys', () => {
    const text = JSON.stringify({
      bookings: { '29423': { memory_gb: 0.5, timestamp: 1795685636.857215, pid: 29423, extra: 1 } },
      last_cleanup: 1795685636.8561153,
      other: true,
    });
    const { data, problems } = parseBookingFile(text, 1795685700);
    expect(problems).toEqual([]);
    expect(data.bookings['29423']).toEqual({
      memory_gb: 0.5,
      timestamp: 1795685636.857215,
      pid: 29423,
      extra: 1,
    });
    expect(data.last_cleanup).toBe(1795685636.8561153);
    expect(JSON.parse(serializeBookingFile(data))).toMatchObject({
      other: true,
      last_cleanup: 1795685636.8561153,
    });
  });

  it.each([
    ['empty', ''],
    ['garbage', 'garbage{'],
    ['truncated', '{"bookings": {"12": {"memory_gb": 1.0, "times'],
    ['an array', '[]'],
    ['wrong-typed bookings', '{"bookings": 5, "last_cleanup": 1}'],
  ])('treats %s text as empty and reports a problem', (_name, text) => {
    const { data, problems } = parseBookingFile(text, 42);
    expect(data.bookings).toEqual({});
    expect(problems.length).toBeGreaterThan(0);
  });

  it('drops single malformed entries, takes a missing pid from a "<pid>_<n>" key, keeps ticket numbering ahead of the queue', () => {
    const text = JSON.stringify({
      bookings: {
        '12_3': { memory_gb: 1, timestamp: 5 },
        bad: { memory_gb: 'x' },
        nopid: { memory_gb: 1, timestamp: 1 },
      },
      last_cleanup: 1,
      hitmic: { queue: [{ ticket: 7, pid: 1, memory_gb: 1, since: 1 }, 'junk'], next_ticket: 3 },
    });
    const { data, problems } = parseBookingFile(text, 0);
    expect(Object.keys(data.bookings)).toEqual(['12_3']);
    expect(data.bookings['12_3'].pid).toBe(12);
    expect(data.hitmic.next_ticket).toBe(8);
    expect(problems).toHaveLength(3);
  });
});

describe('device names and nvidia-smi parsing', () => {
  it('uses HiTMicTools booking file names', () => {
    expect(normalizeDevice('cuda:1')).toBe('cuda_1');
    expect(normalizeDevice('CUDA')).toBe('cuda_0');
    expect(bookingFilePath('cuda:0', '/t')).toBe('/t/memory_bookings_cuda_0.json');
    expect(bookingFilePath('cpu', '/t')).toBe('/t/memory_bookings_cpu.json');
    expect(() => normalizeDevice('tpu')).toThrow(/unknown device 'tpu'.*hitmic devices/);
  });

  it('parses nvidia-smi CSV, names with commas, and skips [N/A] rows', () => {
    const text =
      '0, NVIDIA H100 80GB HBM3, 81559, 1, 81080\n1, Weird, Name, 1000, 10, 990\n2, MIG, [N/A], [N/A], [N/A]\n';
    expect(parseNvidiaSmi(text)).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', totalMiB: 81559, usedMiB: 1, freeMiB: 81080 },
      { index: 1, name: 'Weird, Name', totalMiB: 1000, usedMiB: 10, freeMiB: 990 },
    ]);
  });
});
