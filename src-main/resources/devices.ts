import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { CapacityUnknownError, InvalidReservationRequestError, UnknownDeviceError } from './errors';
import { readSystemMemory } from './system-memory';

/** Bytes per GB. HiTMicTools divides by 1024³ (it says "GB", it means GiB); so do we. */
export const BYTES_PER_GB = 1024 ** 3;

/** A device name as HiTMicTools spells it in booking file names: `cuda_0`, `mps` or `cpu`. */
export type DeviceName = string;

/**
 * Normalises what a user may type to HiTMicTools' booking-file device name.
 * `cpu` → `cpu`; `mps` → `mps`; `cuda_1`, `cuda:1`, `cuda1` → `cuda_1`; bare `cuda` → `cuda_0`
 * (HiTMicTools' pipelines always book on `cuda:0`; a bare torch `cuda` device would use
 * `memory_bookings_cuda.json`, which no pipeline does). Anything else throws {@link UnknownDeviceError}.
 */
export function normalizeDevice(device: string): DeviceName {
  const d = device.trim().toLowerCase();
  if (d === 'cpu' || d === 'mps') return d;
  if (d === 'cuda' || d === 'gpu') return 'cuda_0';
  const m = /^cuda[_:]?(\d+)$/.exec(d);
  if (m) return `cuda_${Number(m[1])}`;
  throw new UnknownDeviceError(device);
}

/** The directory HiTMicTools puts booking files in: `$TMPDIR` if set and non-empty, else the OS temp dir. */
export function bookingDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.TMPDIR && env.TMPDIR.length > 0 ? env.TMPDIR : os.tmpdir();
}

/** `<TMPDIR>/memory_bookings_<device>.json`, the file HiTMicTools and this app share for a device. */
export function bookingFilePath(device: string, dir: string = bookingDirectory()): string {
  return path.join(dir, `memory_bookings_${normalizeDevice(device)}.json`);
}

/** One device of this machine with its memory figures in GB. */
export interface DeviceInfo {
  /** Booking-file device name (`cpu`, `mps`, `cuda_0`, ...). */
  device: DeviceName;
  kind: 'cpu' | 'mps' | 'cuda';
  /** Human name: the GPU model, or "System RAM". */
  name: string;
  totalGb: number;
  usedGb: number;
  freeGb: number;
}

/** One GPU row of nvidia-smi, in MiB as it reports them. */
export interface NvidiaSmiGpu {
  index: number;
  name: string;
  totalMiB: number;
  usedMiB: number;
  freeMiB: number;
}

/**
 * Parses `nvidia-smi --query-gpu=index,name,memory.total,memory.used,memory.free --format=csv,noheader,nounits`.
 * Lines that do not have five fields with numeric index and memory (e.g. `[N/A]` on some MIG setups)
 * are skipped rather than guessed.
 */
export function parseNvidiaSmi(text: string): NvidiaSmiGpu[] {
  const gpus: NvidiaSmiGpu[] = [];
  for (const line of text.split(/\r?\n/)) {
    const parts = line.split(',');
    if (parts.length < 5) continue;
    // The name may itself contain commas: index first, three numbers last, name in between.
    const [index, total, used, free] = [parts[0], ...parts.slice(-3)].map((p) =>
      p.trim() === '' ? NaN : Number(p),
    );
    const name = parts.slice(1, -3).join(',').trim();
    if (![index, total, used, free].every(Number.isFinite)) continue;
    gpus.push({ index, name, totalMiB: total, usedMiB: used, freeMiB: free });
  }
  return gpus;
}

/**
 * Runs nvidia-smi (5 s timeout, like HiTMicTools' diagnostics). Absent, failing or timing out
 * means "no CUDA devices": resolves to `[]`, never rejects.
 */
export function queryNvidiaSmi(timeoutMs = 5000): Promise<NvidiaSmiGpu[]> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=index,name,memory.total,memory.used,memory.free', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, windowsHide: true },
      (err, stdout) => resolve(err ? [] : parseNvidiaSmi(String(stdout))),
    );
  });
}

/** True on Apple-silicon Macs, where PyTorch's MPS device shares system RAM. */
export function hasMps(): boolean {
  return process.platform === 'darwin' && process.arch === 'arm64';
}

/**
 * Devices of this machine: CUDA GPUs from nvidia-smi (if present), `mps` on Apple silicon
 * (figures = system RAM, as HiTMicTools measures it) and `cpu` (system RAM).
 * RAM "free" is the memory available to new processes (MemAvailable on Linux), "used" is total − free.
 */
export async function listDevices(): Promise<DeviceInfo[]> {
  const gpus = await queryNvidiaSmi();
  const mib = 1024 ** 2 / BYTES_PER_GB;
  const devices: DeviceInfo[] = gpus.map((g) => ({
    device: `cuda_${g.index}`,
    kind: 'cuda',
    name: g.name,
    totalGb: g.totalMiB * mib,
    usedGb: g.usedMiB * mib,
    freeGb: g.freeMiB * mib,
  }));
  const ram = readSystemMemory();
  const ramInfo = { totalGb: ram.totalBytes / BYTES_PER_GB, freeGb: ram.availableBytes / BYTES_PER_GB };
  const ramUsed = ramInfo.totalGb - ramInfo.freeGb;
  if (hasMps())
    devices.push({ device: 'mps', kind: 'mps', name: 'Apple GPU (system RAM)', ...ramInfo, usedGb: ramUsed });
  devices.push({ device: 'cpu', kind: 'cpu', name: 'System RAM', ...ramInfo, usedGb: ramUsed });
  return devices;
}

const totalGbCache = new Map<DeviceName, number>();

/**
 * Total memory of a device in GB, or `null` when this machine has no such device.
 * CPU and MPS: `os.totalmem()`. CUDA: nvidia-smi's `memory.total`, cached per process once found
 * (the total never changes; this keeps an uncontended acquire fast).
 */
export async function deviceTotalGb(device: string): Promise<number | null> {
  const d = normalizeDevice(device);
  if (d === 'cpu' || (d === 'mps' && hasMps())) return os.totalmem() / BYTES_PER_GB;
  if (d === 'mps') return null;
  const cached = totalGbCache.get(d);
  if (cached !== undefined) return cached;
  const index = Number(d.slice('cuda_'.length));
  const gpu = (await queryNvidiaSmi()).find((g) => g.index === index);
  if (!gpu) return null; // not cached: nvidia-smi may work next time
  const total = (gpu.totalMiB * 1024 ** 2) / BYTES_PER_GB;
  totalGbCache.set(d, total);
  return total;
}

/** Reads `HITMIC_CAPACITY_GB`: undefined when unset or empty; throws when it is not a positive number. */
export function capacityCapFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.HITMIC_CAPACITY_GB;
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new InvalidReservationRequestError('HITMIC_CAPACITY_GB', raw, 'a number of GB > 0');
  return n;
}

/**
 * What sets the capacity a booking is measured against, in words: `from` when the caller gave a
 * cap (default `the caller's setting`), `HITMIC_CAPACITY_GB` when that is set, else the device's memory.
 */
export function capacityOrigin(
  capGb: number | undefined,
  from?: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (capGb !== undefined) return from ?? "the caller's setting";
  return env.HITMIC_CAPACITY_GB?.trim() ? 'HITMIC_CAPACITY_GB' : "the device's memory";
}

/**
 * How much this app may book on a device, in GB.
 * The cap is the explicit parameter if given, else `HITMIC_CAPACITY_GB`, else none. With a cap the
 * capacity is `min(cap, device total)`; on a device this machine cannot see (e.g. `cuda_0` in a
 * container without nvidia-smi) the cap alone is trusted. Without a cap it is the device total, and a
 * device that cannot be seen throws {@link CapacityUnknownError}.
 */
export async function resolveCapacityGb(
  device: string,
  capGb?: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  if (capGb !== undefined && (!Number.isFinite(capGb) || capGb <= 0)) {
    throw new InvalidReservationRequestError('capacityGb', capGb, 'a number of GB > 0');
  }
  const cap = capGb ?? capacityCapFromEnv(env);
  const total = await deviceTotalGb(device);
  if (total === null) {
    if (cap === undefined) throw new CapacityUnknownError(normalizeDevice(device));
    return cap;
  }
  return cap === undefined ? total : Math.min(cap, total);
}
