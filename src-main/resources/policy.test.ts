import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir } from './__tests__/helpers';
import { acquireReservation, type AcquireOptions } from './acquire';
import { ReservationAbortedError, ReservationTimeoutError, RequestExceedsCapacityError } from './errors';
import { readBookings } from './snapshot';

const dir = makeBookingDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const quiet = { info: () => {}, warn: () => {} };
const base: Omit<AcquireOptions, 'gb'> = { device: 'cpu', capacityGb: 2, dir, log: quiet, timeoutMs: 5000 };

describe('queue policies on a real booking file (one process, several reservations)', () => {
  it('first-fit-aging lets a small request pass a big young one, FIFO does not, and nobody passes an aged one', async () => {
    const held = await acquireReservation({ ...base, gb: 1.5, description: 'held' });
    const big = acquireReservation({
      ...base,
      gb: 2,
      policy: 'first-fit-aging',
      agingLimitMs: 800,
      description: 'big',
    });
    await new Promise((r) => setTimeout(r, 100));

    // A small first-fit request passes the young big head.
    const small = await acquireReservation({ ...base, gb: 0.5, policy: 'first-fit-aging', timeoutMs: 500 });
    expect(small.waitedMs).toBeLessThan(400);
    await small.release();

    // A FIFO request never passes.
    const fifo = await acquireReservation({ ...base, gb: 0.5, policy: 'fifo', timeoutMs: 400 }).catch(
      (e: unknown) => e,
    );
    expect(fifo).toBeInstanceOf(ReservationTimeoutError);
    expect((fifo as ReservationTimeoutError).waitersAhead.map((w) => w.description)).toEqual(['big']);

    // Once the head has waited the aging limit, a first-fit request no longer passes it.
    await new Promise((r) => setTimeout(r, 500));
    const late = await acquireReservation({
      ...base,
      gb: 0.5,
      policy: 'first-fit-aging',
      timeoutMs: 400,
    }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ReservationTimeoutError);

    await held.release();
    const bigR = await big;
    expect(bigR.gb).toBe(2);
    await bigR.release();
    const snap = await readBookings('cpu', { dir });
    expect([snap.holders, snap.waiters]).toEqual([[], []]);
  });

  it('an AbortSignal cancels a wait and removes the queue entry; an impossible request fails at once', async () => {
    const held = await acquireReservation({ ...base, gb: 2 });
    const ac = new AbortController();
    const pending = acquireReservation({ ...base, gb: 1, signal: ac.signal }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 150));
    expect((await readBookings('cpu', { dir })).waiters).toHaveLength(1);
    ac.abort();
    expect(await pending).toBeInstanceOf(ReservationAbortedError);
    expect((await readBookings('cpu', { dir })).waiters).toEqual([]);
    await expect(acquireReservation({ ...base, gb: 3 })).rejects.toBeInstanceOf(RequestExceedsCapacityError);
    await held.release();
    const zero = await acquireReservation({ ...base, gb: 0 });
    expect(zero.key).toBeNull();
  });
});
