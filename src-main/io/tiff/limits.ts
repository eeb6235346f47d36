import os from 'node:os';
import { TiffError } from './errors';

/** Sanity limits applied while indexing and decoding; every one is configurable. */
export interface TiffLimits {
  /** Most pages (IFDs) followed in the main chain. Default 1 000 000. */
  maxPages: number;
  /**
   * Largest decoded page (one plane, or all samples of an RGB page): width × height × samples ×
   * bytes per sample, checked before anything is allocated. Default: the plane budget of this
   * machine (`planeBudget`), overridden by the environment variable HITMIC_MAX_PLANE_MB.
   */
  maxPageBytes: number;
  /** Most entries in one IFD. Default 4096. */
  maxIfdEntries: number;
  /** Most strips or tiles in one page. Default 2^24. */
  maxChunks: number;
}

/** The environment variable that sets the plane budget, in MB (1 MB = 2^20 bytes here, as the CLI's --max-*-mb). */
export const PLANE_BUDGET_ENV = 'HITMIC_MAX_PLANE_MB';

const MB = 2 ** 20;
const GIB = 2 ** 30;

/**
 * The largest plane this machine decodes by default: 1 GiB, or an eighth of the RAM when that is
 * less. A 1 GiB plane is 23 170² pixels of uint16, far beyond any camera frame; the analysis then
 * holds several float32 copies of it, so a larger default would let one hostile file (a few MB of
 * deflated zeros declaring 30 000² pixels) take the machine's memory.
 */
export function planeBudget(totalMemBytes: number = os.totalmem()): number {
  return Math.max(64 * MB, Math.min(GIB, Math.floor(totalMemBytes / 8)));
}

/** The built-in limits (without the environment's override; `resolveLimits` applies it). */
export const DEFAULT_LIMITS: TiffLimits = {
  maxPages: 1_000_000,
  maxPageBytes: planeBudget(),
  maxIfdEntries: 4096,
  maxChunks: 1 << 24,
};

/**
 * The limits a reader works under: the caller's, else HITMIC_MAX_PLANE_MB for the plane budget,
 * else the defaults. A malformed HITMIC_MAX_PLANE_MB is an error naming the variable (`path` is the
 * file being opened, so the message says where it happened).
 */
export function resolveLimits(
  overrides: Partial<TiffLimits> | undefined,
  path: string,
  env: NodeJS.ProcessEnv = process.env,
): TiffLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  const raw = env[PLANE_BUDGET_ENV];
  if (overrides?.maxPageBytes === undefined && raw !== undefined && raw.trim() !== '') {
    const mb = Number(raw);
    if (!Number.isFinite(mb) || mb <= 0) {
      throw new TiffError(`The environment variable ${PLANE_BUDGET_ENV} is not a size in MB`, {
        code: 'state',
        path,
        expected: 'a positive number of MB, e.g. 2048',
        actual: JSON.stringify(raw),
        fix: `Set ${PLANE_BUDGET_ENV} to a number (MB), or unset it to use the default of ${formatBytes(DEFAULT_LIMITS.maxPageBytes)}`,
      });
    }
    limits.maxPageBytes = Math.floor(mb * MB);
  }
  return limits;
}

/** Bytes in words a microscopist reads at a glance: "1.68 GiB", "512 MiB", "900 bytes". */
export function formatBytes(n: number): string {
  if (n >= GIB) return `${(n / GIB).toFixed(2)} GiB`;
  if (n >= MB) return `${(n / MB).toFixed(n >= 100 * MB ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** The page's decoded size: width × height × samples × bytes of the type it decodes to. */
export function decodedPageBytes(p: {
  width: number;
  height: number;
  samplesPerPixel: number;
  bitsPerSample: number;
  sampleFormat: number;
}): number {
  // Integers of 1–32 bits widen to 8/16/32; float16 widens to float32.
  const b = p.bitsPerSample;
  const bytes = p.sampleFormat === 3 && b === 16 ? 4 : b <= 8 ? 1 : b <= 16 ? 2 : b <= 32 ? 4 : 8;
  return p.width * p.height * p.samplesPerPixel * bytes;
}

/**
 * Throws a 'limit' TiffError when a page would decode to more than `maxPageBytes`: the message
 * gives the plane's width × height (× samples) × bytes, the limit, and how to raise it. Called
 * before anything of the page is allocated.
 */
export function checkPlaneBudget(
  p: {
    index: number;
    width: number;
    height: number;
    samplesPerPixel: number;
    bitsPerSample: number;
    sampleFormat: number;
  },
  path: string,
  maxPageBytes: number,
): void {
  const bytes = decodedPageBytes(p);
  if (bytes <= maxPageBytes) return;
  const per = bytes / (p.width * p.height * p.samplesPerPixel);
  const samples = p.samplesPerPixel > 1 ? ` × ${p.samplesPerPixel} samples` : '';
  const needMb = Math.ceil(bytes / MB);
  throw new TiffError('The plane is too large to decode', {
    code: 'limit',
    path,
    page: p.index,
    tag: 'ImageWidth/ImageLength',
    expected: `at most ${formatBytes(maxPageBytes)} per plane`,
    actual: `${p.width} × ${p.height} pixels${samples} × ${per} bytes = ${formatBytes(bytes)}`,
    fix:
      `Larger planes are refused to protect the machine's memory: a few MB of compressed data can declare gigabytes. ` +
      `If the image is genuine, raise the limit: set ${PLANE_BUDGET_ENV}=${needMb} (or more) in the ` +
      `environment and start hitmic again`,
  });
}
