import fs from 'node:fs';
import os from 'node:os';

/** System RAM figures in bytes, measured the way HiTMicTools (psutil) measures them where possible. */
export interface SystemMemory {
  totalBytes: number;
  /** Memory available to new processes without swapping (Linux `MemAvailable`, psutil's `available`). */
  availableBytes: number;
  /**
   * psutil's `used`: on Linux `MemTotal − MemFree − Buffers − Cached − SReclaimable`
   * (so page cache is not "used"); elsewhere `total − available`.
   */
  usedBytes: number;
}

/** Parses `/proc/meminfo` text into kB values by field name. */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m) fields.set(m[1], Number(m[2]));
  }
  return fields;
}

/** psutil's figures from `/proc/meminfo` fields (kB); null if MemTotal or MemAvailable is missing. */
export function systemMemoryFromMeminfo(f: Map<string, number>): SystemMemory | null {
  if (!f.has('MemTotal') || !f.has('MemAvailable')) return null;
  const kb = (k: string): number => (f.get(k) ?? 0) * 1024;
  const used = kb('MemTotal') - kb('MemFree') - kb('Buffers') - kb('Cached') - kb('SReclaimable');
  return { totalBytes: kb('MemTotal'), availableBytes: kb('MemAvailable'), usedBytes: Math.max(0, used) };
}

/** Reads system RAM now. Linux reads `/proc/meminfo`; other systems use `os.totalmem()`/`os.freemem()`. */
export function readSystemMemory(): SystemMemory {
  const totalBytes = os.totalmem();
  if (process.platform === 'linux') {
    try {
      const m = systemMemoryFromMeminfo(parseMeminfo(fs.readFileSync('/proc/meminfo', 'utf8')));
      if (m) return m;
    } catch {
      // Fall through to the portable figures (e.g. /proc not mounted in a sandbox).
    }
  }
  const availableBytes = os.freemem();
  return { totalBytes, availableBytes, usedBytes: totalBytes - availableBytes };
}
