import fs from 'node:fs';
import { BYTES_PER_GB } from './devices';
import { readSystemMemory } from './system-memory';

/** Used/free figures of one memory, in GB (1024³ bytes). */
export interface MemoryFigures {
  usedGb: number;
  freeGb: number;
}

/**
 * HiTMicTools' MemoryLogger suffix, so our log lines read like its `info(msg, show_memory, cuda)`:
 * ` | RAM: x.xx GB used / y.yy GB free` when `ram` is given, then ` | VRAM: a.aa GB used / b.bb GB free`
 * when `vram` is given, or ` | VRAM: Not available` when `vram` is `null` (no CUDA).
 * Unlike HiTMicTools, which prints free VRAM twice, the VRAM figures are really used then free.
 * An `Error` in place of figures gives ` | RAM: Error (<message>)`, as HiTMicTools does.
 */
export function formatMemorySuffix(ram?: MemoryFigures | Error, vram?: MemoryFigures | Error | null): string {
  const fig = (f: MemoryFigures): string => `${f.usedGb.toFixed(2)} GB used / ${f.freeGb.toFixed(2)} GB free`;
  let s = '';
  if (ram !== undefined) s += ram instanceof Error ? ` | RAM: Error (${ram.message})` : ` | RAM: ${fig(ram)}`;
  if (vram === null) s += ' | VRAM: Not available';
  else if (vram !== undefined)
    s += vram instanceof Error ? ` | VRAM: Error (${vram.message})` : ` | VRAM: ${fig(vram)}`;
  return s;
}

/** RAM as HiTMicTools' `show_memory` reports it: psutil `used` and `available`, in GB. */
export function currentRamFigures(): MemoryFigures {
  const m = readSystemMemory();
  return { usedGb: m.usedBytes / BYTES_PER_GB, freeGb: m.availableBytes / BYTES_PER_GB };
}

/**
 * Resident set size of a process in bytes: `process.memoryUsage().rss` for this process;
 * `VmRSS` of `/proc/<pid>/status` on Linux for others; `null` when unknown (process gone, or not Linux).
 */
export function processRssBytes(pid: number): number | null {
  if (pid === process.pid) return process.memoryUsage().rss;
  if (process.platform !== 'linux') return null;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** One sample of memory over time. */
export interface MemorySample {
  /** Epoch milliseconds. */
  atMs: number;
  ram: MemoryFigures;
  /** Device memory by device name (e.g. `cuda_0`), from the sampler's `deviceMemory` source. */
  devices: Record<string, MemoryFigures>;
  /** RSS in bytes by pid; null where it could not be read (the process ended). */
  rssBytes: Record<number, number | null>;
}

/** Fixed-size ring buffer: keeps the newest `capacity` items, oldest first when read. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring buffer capacity must be an integer ≥ 1, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    const end = (this.start + this.count) % this.capacity;
    this.items[end] = item;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  get size(): number {
    return this.count;
  }

  /** Items oldest → newest. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.items[(this.start + i) % this.capacity] as T);
    return out;
  }
}

export interface MemorySamplerOptions {
  /** How many samples to keep (default 600: 10 min at 1 Hz). */
  capacity?: number;
  /** Processes to follow (default: this one). Change later with `setPids`. */
  pids?: number[];
  /**
   * Source of device memory figures, e.g. built on `listDevices()`. Called at each sample; a
   * rejection leaves that sample's `devices` empty. Default: none (RAM and RSS only).
   */
  deviceMemory?: () => Promise<Record<string, MemoryFigures>>;
}

/**
 * Records RAM, device memory and the RSS of given processes at a fixed interval into a bounded ring
 * buffer, for the Resources view's "memory over time". Samples do not overlap: a slow device query
 * delays the next sample rather than stacking calls. The timer does not keep the process alive.
 */
export class MemorySampler {
  private readonly buffer: RingBuffer<MemorySample>;
  private pids: number[];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly opts: MemorySamplerOptions = {}) {
    this.buffer = new RingBuffer(opts.capacity ?? 600);
    this.pids = opts.pids ?? [process.pid];
  }

  setPids(pids: number[]): void {
    this.pids = [...pids];
  }

  /** Takes one sample now and stores it. */
  async sample(): Promise<MemorySample> {
    let devices: Record<string, MemoryFigures> = {};
    if (this.opts.deviceMemory) devices = await this.opts.deviceMemory().catch(() => ({}));
    const rssBytes: Record<number, number | null> = {};
    for (const pid of this.pids) rssBytes[pid] = processRssBytes(pid);
    const s: MemorySample = { atMs: Date.now(), ram: currentRamFigures(), devices, rssBytes };
    this.buffer.push(s);
    return s;
  }

  /** Samples every `intervalMs` until {@link stop}. */
  start(intervalMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void this.sample().finally(() => (this.busy = false));
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Stored samples, oldest first. */
  samples(): MemorySample[] {
    return this.buffer.toArray();
  }
}
