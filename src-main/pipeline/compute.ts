import { bookingDeviceFor, type ComputeChoice } from '../../src-shared/config';

/** What a job ran on, for its bookings, its log and run.json. */
export interface ComputeUsed {
  /** As asked (`auto`, `cuda:1`, …). */
  requested: string;
  /** The execution provider the models run on. */
  provider: string;
  /** The booking file the job's stages book on (the device actually used). */
  bookingDevice: string;
  /** Set when a GPU was asked for (or found) but the models run elsewhere: the cause and the fix, said once. */
  fallback?: string;
}

/** Session-host warnings about a provider that could not be used (one per model and session thread). */
const FALLBACK = /execution provider '(\w+)' could not be used \((.*?)\); falling back/;

export function isProviderFallback(warning: string): boolean {
  return FALLBACK.test(warning);
}

/**
 * The device a job's models ended up on, from what was asked and what the session host reported:
 * one fallback message for the whole job instead of one per model and thread.
 */
export function computeUsed(
  asked: ComputeChoice,
  provider: string,
  hostWarnings: readonly string[],
): ComputeUsed {
  const used: ComputeUsed = {
    requested: asked.requested || 'auto',
    provider,
    bookingDevice: bookingDeviceFor(provider, asked.deviceId),
  };
  const cause = hostWarnings.map((w) => FALLBACK.exec(w)).find((m) => m !== null);
  if (cause || (asked.provider !== 'auto' && asked.provider !== provider)) {
    const wanted = cause?.[1] ?? asked.provider;
    used.fallback =
      `the ${wanted.toUpperCase()} execution provider could not be used${cause ? ` (${cause[2]})` : ''}; ` +
      `the models run on ${provider.toUpperCase()} and book memory on '${used.bookingDevice}'. ` +
      (wanted === 'cuda'
        ? 'Fix: check that nvidia-smi works and that CUDA 12 and cuDNN 9 are installed with the CUDA build of onnxruntime-node (README: CUDA on Linux), or set device: cpu.'
        : 'Fix: install the provider for this device, or set device: cpu.');
  }
  return used;
}
