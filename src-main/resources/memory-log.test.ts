import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Proc } from './__tests__/helpers';
import {
  currentRamFigures,
  formatMemorySuffix,
  MemorySampler,
  processRssBytes,
  RingBuffer,
} from './memory-log';
import { parseMeminfo, systemMemoryFromMeminfo } from './system-memory';

describe('formatMemorySuffix (HiTMicTools MemoryLogger format)', () => {
  it('formats RAM and VRAM as used then free with two decimals', () => {
    expect(formatMemorySuffix({ usedGb: 12.345, freeGb: 3.1 }, { usedGb: 8.5, freeGb: 15.499 })).toBe(
      ' | RAM: 12.35 GB used / 3.10 GB free | VRAM: 8.50 GB used / 15.50 GB free',
    );
  });

  it('says VRAM is not available without CUDA, and reports errors as HiTMicTools does', () => {
    expect(formatMemorySuffix({ usedGb: 1, freeGb: 2 }, null)).toBe(
      ' | RAM: 1.00 GB used / 2.00 GB free | VRAM: Not available',
    );
    expect(formatMemorySuffix(new Error('no /proc'))).toBe(' | RAM: Error (no /proc)');
    expect(formatMemorySuffix(undefined, null)).toBe(' | VRAM: Not available');
  });

  it('reads RAM like psutil on Linux: used excludes page cache, free is MemAvailable', () => {
    const f = parseMeminfo(
      'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 600 kB\nBuffers: 50 kB\nCached: 300 kB\nSReclaimable: 20 kB\nHugePages_Total: 0\n',
    );
    expect([f.get('MemTotal'), f.get('MemAvailable'), f.get('SReclaimable')]).toEqual([1000, 600, 20]);
    expect(systemMemoryFromMeminfo(f)).toEqual({
      totalBytes: 1000 * 1024,
      availableBytes: 600 * 1024,
      usedBytes: 530 * 1024,
    });
    expect(systemMemoryFromMeminfo(new Map([['MemTotal', 1]]))).toBeNull();
    const ram = currentRamFigures();
    expect(ram.usedGb).toBeGreaterThan(0);
    expect(ram.freeGb).toBeGreaterThan(0);
  });
});

describe('RSS sampling', () => {
  it('reads the RSS of this process, of a child (Linux /proc), and null for an ended process', async () => {
    expect(processRssBytes(process.pid)).toBeGreaterThan(10 * 1024 * 1024);
    const child = new Proc(
      spawn(
        process.execPath,
        ['-e', 'const b=Buffer.alloc(64*1024*1024,1);console.log("ready");setInterval(()=>b[0]++,1000)'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      ),
    );
    await child.line('ready');
    const pid = child.child.pid as number;
    if (process.platform === 'linux') expect(processRssBytes(pid)).toBeGreaterThan(64 * 1024 * 1024);
    child.child.kill('SIGKILL');
    await child.exit;
    expect(processRssBytes(pid)).toBeNull();
  });

  it('keeps only the newest samples in a bounded ring buffer', async () => {
    const rb = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) rb.push(i);
    expect(rb.toArray()).toEqual([3, 4, 5]);
    expect(() => new RingBuffer(0)).toThrow(/capacity must be an integer ≥ 1/);

    const sampler = new MemorySampler({
      capacity: 2,
      deviceMemory: async () => ({ cuda_0: { usedGb: 1, freeGb: 7 } }),
    });
    for (let i = 0; i < 3; i++) await sampler.sample();
    const s = sampler.samples();
    expect(s).toHaveLength(2);
    expect(s[0].atMs).toBeLessThanOrEqual(s[1].atMs);
    expect(s[1].devices).toEqual({ cuda_0: { usedGb: 1, freeGb: 7 } });
    expect(s[1].rssBytes[process.pid]).toBeGreaterThan(0);

    const timed = new MemorySampler({ capacity: 10, pids: [process.pid] });
    timed.start(20);
    await new Promise((r) => setTimeout(r, 150));
    timed.stop();
    const n = timed.samples().length;
    expect(n).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(timed.samples().length).toBe(n);
  });
});
