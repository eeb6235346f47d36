import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BookingsSnapshot } from '../../src-shared/api';
import { acquireReservation } from '../resources';
import { createBackend } from './backend';

describe('backend resources domain', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-res-api-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  const backend = createBackend({ shell: 'serve' });
  afterAll(async () => {
    await backend.dispose();
    process.env.TMPDIR = saved;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('lists devices with capacity and booked memory', async () => {
    const devices = await backend.api.resources.devices();
    const cpu = devices.find((d) => d.id === 'cpu');
    expect(cpu?.kind).toBe('cpu');
    expect(cpu!.totalGb).toBeGreaterThan(0.5);
    expect(cpu!.bookedGb).toBe(0);
  });

  it('shows a holder of the shared booking file and pushes a change event', async () => {
    const changes: BookingsSnapshot[] = [];
    const off = backend.events.on('bookings.changed', (s) => changes.push(s));
    const r = await acquireReservation({
      device: 'cpu',
      gb: 0.25,
      capacityGb: 1,
      description: 'segmentation of demo',
      stage: 'segmentation',
    });
    try {
      const [snap] = await backend.api.resources.bookings('cpu');
      expect(snap.holders).toHaveLength(1);
      expect(snap.holders[0]).toMatchObject({
        pid: process.pid,
        memoryGb: 0.25,
        description: 'segmentation of demo',
        stage: 'segmentation',
        app: 'hitmic-studio',
      });
      expect(snap.bookedGb).toBeCloseTo(0.25);
      const deadline = Date.now() + 3000;
      while (!changes.some((c) => c.holders.length === 1) && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 50));
      expect(changes.some((c) => c.holders.length === 1)).toBe(true);
      // Booked memory over time: a point taken while the booking is held shows it.
      const until = Date.now() + 5000;
      let booked: number | undefined;
      while (booked !== 0.25 && Date.now() < until) {
        await new Promise((res) => setTimeout(res, 200));
        booked = (await backend.api.resources.memory()).at(-1)?.bookedGb?.cpu;
      }
      expect(booked).toBe(0.25);
      // The holder is this test process, not one of the backend's jobs: it is not cancelled from here.
      expect(snap.holders[0].own).toBe(false);
      await expect(backend.api.resources.cancelHolder(process.pid)).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringContaining("is not one of this HiTMic Studio's jobs"),
      });
    } finally {
      await r.release();
      off();
    }
    const [after] = await backend.api.resources.bookings('cpu');
    expect(after.holders).toEqual([]);
  });

  it('records memory over time for the backend process', async () => {
    await new Promise((res) => setTimeout(res, 1200));
    const points = await backend.api.resources.memory();
    expect(points.length).toBeGreaterThan(0);
    expect(points.at(-1)!.processesMb['HiTMic Studio']).toBeGreaterThan(10);
    expect(points.at(-1)!.ramUsedGb).toBeGreaterThan(0);
  });
});
