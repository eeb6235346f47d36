import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHitmicClient, type HitmicApi } from '../../src-shared/api';
import { wsTransport } from '../../test-support/hostile-http';
import { createBackend, type Backend } from '../backend';
import { demoPaths } from '../demo';
import { readBookingFile } from '../resources';
import { startServer, type RunningServer } from '.';

/**
 * Cancellation in the contract, end to end: the renderer's client → the WebSocket of `hitmic
 * serve` → the backend → the worker job. Real server, real worker, real demo models; what the
 * worker does is read from the real booking file, where every model stage books its memory.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-cancel-'));
const savedTmp = process.env.TMPDIR;
const collectionPath = path.resolve(__dirname, '../../models/demo-collection');
let backend: Backend;
let server: RunningServer;
let socket: WebSocket;
let api: HitmicApi;

/** Stages booked on the CPU booking file, as they appear (polled every 10 ms). */
function watchStages(): { seen: string[]; holders(): number; stop(): void } {
  const file = path.join(tmp, 'memory_bookings_cpu.json');
  const seen: string[] = [];
  let holders = 0;
  const timer = setInterval(() => {
    if (!fs.existsSync(file)) return;
    const entries = Object.values(readBookingFile(file, Date.now() / 1000).data.bookings);
    holders = entries.length;
    for (const e of entries) if (e.stage && seen.at(-1) !== e.stage) seen.push(e.stage);
  }, 10);
  return { seen, holders: () => holders, stop: () => clearInterval(timer) };
}

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  process.env.TMPDIR = tmp; // the service worker forked below keeps its bookings here
  backend = createBackend({ shell: 'serve', libraryDir: path.join(tmp, 'library') });
  fs.mkdirSync(path.join(tmp, 'renderer'));
  server = await startServer({ backend, rendererDir: path.join(tmp, 'renderer') });
  socket = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  api = createHitmicClient(wsTransport(socket));
});

afterAll(async () => {
  socket?.close();
  await server?.close();
  await backend?.dispose();
  process.env.TMPDIR = savedTmp;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('cancellation through hitmic serve', () => {
  it('stops a superseded preview in the worker: its booking goes, the later stages never start', async () => {
    const movie = await api.movies.open(demoPaths().movie);
    const request = {
      movieId: movie.id,
      frame: 2,
      steps: ['bf_focus', 'segmentation', 'cell_classifier'] as const,
      collectionPath,
    };
    // A preview runs every model under a booking (DESIGN.md principle 2).
    const whole = watchStages();
    await api.previews.run({ ...request, steps: [...request.steps] });
    whole.stop();
    expect(whole.seen).toEqual(['bf_focus', 'segmentation', 'classification']);

    const stages = watchStages();
    const controller = new AbortController();
    const preview = api.previews.run({ ...request, steps: [...request.steps] }, controller.signal);
    const outcome = preview.catch((e: unknown) => e);
    await until('the restorer to book its memory', () => stages.seen.includes('bf_focus'));
    controller.abort();
    // The caller hears at once; the worker stops at its next window batch and gives the memory back.
    expect(await outcome).toMatchObject({ code: 'CANCELLED' });
    await until('the worker to release its booking', () => stages.holders() === 0);
    await new Promise((r) => setTimeout(r, 1500));
    stages.stop();
    expect(stages.seen).toEqual(['bf_focus']);

    // The worker is free for the next request.
    const next = await api.previews.run({ ...request, steps: ['segmentation'] });
    expect(next.objects.length).toBeGreaterThan(10);
    await api.movies.close(movie.id);
  }, 60_000);

  it('rejects at once a call whose token is already cancelled, without running it', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      api.movies.frame({ movieId: 'any', frame: 0, channel: 0 }, controller.signal),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
