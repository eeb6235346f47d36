/**
 * Where models run, as a person asks for it (`--device`, `pipeline_setup.device`): `auto` (the
 * best provider that works here), `cpu`, `cuda` / `cuda:N` / `cuda_N` (HiTMicTools' spelling), `dml`
 * (DirectML, Windows), `coreml` / `mps` (Apple). And the booking file that goes with the provider
 * actually used: HiTMicTools books `cuda_N`, `mps` and `cpu`.
 */
export type ComputeProvider = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml';

export interface ComputeChoice {
  provider: ComputeProvider;
  /** GPU index (CUDA, DirectML); 0 otherwise. */
  deviceId: number;
  /** As written, for messages and run.json. */
  requested: string;
}

export const COMPUTE_DEVICE_HELP = "auto, cpu, cuda, cuda:N (or cuda_N), dml, coreml (or mps)";

/** The choice a device name asks for, or undefined when it is not one. */
export function parseComputeDevice(text: string): ComputeChoice | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'auto' || t === 'gpu') return { provider: 'auto', deviceId: 0, requested: text };
  if (t === 'cpu') return { provider: 'cpu', deviceId: 0, requested: text };
  if (t === 'mps' || t === 'coreml') return { provider: 'coreml', deviceId: 0, requested: text };
  const m = /^(cuda|dml)(?:[:_](\d{1,3}))?$/.exec(t);
  if (!m) return undefined;
  return { provider: m[1] as 'cuda' | 'dml', deviceId: m[2] ? Number(m[2]) : 0, requested: text };
}

/**
 * The booking-file device for the provider a model actually runs on: `cuda_N` for CUDA GPU N (as
 * HiTMicTools names it, so both tools see each other), `mps` for Apple's GPU, else `cpu` (DirectML
 * GPUs have no HiTMicTools booking file; nothing else books them).
 */
export function bookingDeviceFor(provider: string, deviceId: number): string {
  if (provider === 'cuda') return `cuda_${deviceId}`;
  if (provider === 'coreml') return 'mps';
  return 'cpu';
}
