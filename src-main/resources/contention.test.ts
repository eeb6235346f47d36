import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir, Proc, readJson, spawnHitmic } from './__tests__/helpers';

/**
 * Eight `hitmic reserve` processes contend for a CPU capacity that fits two 1 GB reservations at a
 * time; each runs a child that logs when it starts and ends. An observer samples the booking file
 * every few ms. This proves, with real processes and a real file:
 * - Σ held ≤ capacity at every instant (in the file and in the children's own run intervals),
 * - grants happen in ticket order (FIFO), and the capacity is actually used (2 at a time),
 * - everybody is served and the file is empty afterwards.
 */
describe('8 processes contending for 2 GB in FIFO order', () => {
  const dir = makeBookingDir();
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('never overbooks, grants in ticket order and serves everyone', async () => {
    const file = path.join(dir, 'memory_bookings_cpu.json');
    const log = path.join(dir, 'runs.log');
    const holdMs = 3000;
    const childScript =
      `const fs=require('fs');const t=process.env.HITMIC_RESERVATION_TICKET;` +
      `fs.appendFileSync(${JSON.stringify(log)},'start '+t+' '+Date.now()+'\\n');` +
      `setTimeout(()=>{fs.appendFileSync(${JSON.stringify(log)},'end '+t+' '+Date.now()+'\\n')},${holdMs});`;

    // Observer: every booking seen (key → ticket, since) and the largest Σ seen at one instant.
    const seen = new Map<string, { ticket: number; since: number }>();
    let maxSum = 0;
    let samples = 0;
    const observer = setInterval(() => {
      const data = readJson(file);
      if (!data) return;
      samples++;
      let sum = 0;
      for (const [key, b] of Object.entries(data.bookings)) {
        sum += b.memory_gb;
        seen.set(key, { ticket: b.ticket as number, since: b.since as number });
      }
      maxSum = Math.max(maxSum, sum);
    }, 10);

    const procs: Proc[] = [];
    for (let i = 0; i < 8; i++) {
      procs.push(
        spawnHitmic(
          [
            'reserve',
            '--device',
            'cpu',
            '--gb',
            '1',
            '--capacity-gb',
            '2',
            '--timeout',
            '50',
            '--description',
            `p${i}`,
            '--',
            process.execPath,
            '-e',
            childScript,
          ],
          dir,
        ),
      );
      await new Promise((r) => setTimeout(r, 120));
    }
    const exits = await Promise.all(procs.map((p) => p.exit));
    clearInterval(observer);

    expect(
      exits.map((e) => e.code),
      procs.map((p) => p.stderr).join('\n'),
    ).toEqual(Array(8).fill(0));

    // Everyone served, each exactly once.
    const events = fs
      .readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([kind, ticket, t]) => ({ kind, ticket: Number(ticket), t: Number(t) }));
    const starts = events.filter((e) => e.kind === 'start');
    expect(new Set(starts.map((e) => e.ticket)).size).toBe(8);
    expect(events.filter((e) => e.kind === 'end')).toHaveLength(8);

    // Σ held ≤ capacity at every instant of the children's run intervals (ends before starts at ties).
    const sweep = [...events].sort((a, b) => a.t - b.t || (a.kind === 'end' ? -1 : 1));
    let running = 0;
    let maxRunning = 0;
    for (const e of sweep) {
      running += e.kind === 'start' ? 1 : -1;
      maxRunning = Math.max(maxRunning, running);
    }
    expect(maxRunning).toBe(2);

    // The file never held more than the capacity, and the capacity was used.
    expect(samples).toBeGreaterThan(100);
    expect(maxSum).toBe(2);

    // FIFO: bookings were granted in ticket order (grant time = `since` written under the lock).
    const grants = [...seen.values()].sort((a, b) => a.ticket - b.ticket);
    expect(grants).toHaveLength(8);
    for (let i = 1; i < grants.length; i++)
      expect(grants[i].since).toBeGreaterThanOrEqual(grants[i - 1].since);
    expect(grants.map((g) => g.ticket)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    // Nothing left behind.
    const end = readJson(file);
    expect(end?.bookings).toEqual({});
    expect(end?.hitmic?.queue).toEqual([]);
  }, 45_000);
});
