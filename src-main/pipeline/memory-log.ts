import { currentRamFigures, formatMemorySuffix, queryNvidiaSmi, type MemoryFigures } from '../resources';

/** One memory reading of a movie job, as run.json keeps it. */
export interface MemoryReading {
  /** Seconds since the job started. */
  t: number;
  stage: string;
  /** Movie frame, when the reading belongs to one. */
  frame?: number;
  /** Resident memory of the worker process, MB. */
  rss_mb: number;
  /** GPU memory used on the device the job runs on, MB; null when nothing tells (CPU, no nvidia-smi). */
  vram_mb: number | null;
}

/** Readings kept per movie in run.json; a longer movie keeps every other one (the peaks are exact). */
const MAX_READINGS = 2000;
/** nvidia-smi takes tens of ms: asked at most this often. */
const VRAM_EVERY_MS = 2000;

/**
 * HiTMicTools' MemoryLogger for one movie job: RAM of the worker (and of the machine) and VRAM of
 * the GPU it runs on, after each model stage and each frame — the lines of `{movie}_log.txt`, the
 * `memory` of run.json, and the progress the Runs view shows. HiTMicTools prints one RAM/VRAM line
 * per step to its log; so do we, with the worker's own resident memory added.
 */
export class MovieMemoryLog {
  readonly readings: MemoryReading[] = [];
  readonly lines: string[] = [];
  private readonly t0 = performance.now();
  private peakRssMb = 0;
  private peakVramMb: number | null = null;
  private vram: { atMs: number; usedMb: number | null; figures?: MemoryFigures } = { atMs: 0, usedMb: null };
  private keepEvery = 1;
  private seen = 0;

  /** `gpuIndex`: the CUDA device the job runs on, or null when it runs on the CPU. */
  constructor(private gpuIndex: number | null) {}

  /** Once the job knows where its models run: the CUDA device whose memory to read, or null. */
  useGpu(index: number | null): void {
    this.gpuIndex = index;
  }

  /** Notes a line for the log file (warnings, what the job decided). */
  note(line: string): void {
    this.lines.push(`[${this.elapsed().toFixed(1)} s] ${line}`);
  }

  /** Takes a reading after `stage` (of `frame`); returns it (for progress) and logs its line. */
  async read(stage: string, frame?: number): Promise<MemoryReading> {
    const rssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
    const vramMb = await this.vramUsedMb();
    const reading: MemoryReading = {
      t: Math.round(this.elapsed() * 10) / 10,
      stage,
      ...(frame !== undefined ? { frame } : {}),
      rss_mb: rssMb,
      vram_mb: vramMb,
    };
    this.peakRssMb = Math.max(this.peakRssMb, rssMb);
    if (vramMb !== null) this.peakVramMb = Math.max(this.peakVramMb ?? 0, vramMb);
    if (this.seen++ % this.keepEvery === 0) this.keep(reading);
    const where = frame !== undefined ? `frame ${frame} ${stage}` : stage;
    const vram = this.gpuIndex === null ? undefined : (this.vram.figures ?? null);
    this.lines.push(
      `[${reading.t.toFixed(1)} s] ${where}: worker RSS ${rssMb} MB${formatMemorySuffix(currentRamFigures(), vram)}`,
    );
    return reading;
  }

  /** What run.json records: peaks and the readings. */
  summary(): { peak_rss_mb: number; peak_vram_mb: number | null; readings: MemoryReading[] } {
    return { peak_rss_mb: this.peakRssMb, peak_vram_mb: this.peakVramMb, readings: this.readings };
  }

  private keep(reading: MemoryReading): void {
    this.readings.push(reading);
    if (this.readings.length <= MAX_READINGS) return;
    // Halve what is kept and keep half as often from now on: bounded for any movie length.
    const kept = this.readings.filter((_, i) => i % 2 === 0);
    this.readings.length = 0;
    this.readings.push(...kept);
    this.keepEvery *= 2;
  }

  private elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  private async vramUsedMb(): Promise<number | null> {
    if (this.gpuIndex === null) return null;
    const now = Date.now();
    if (now - this.vram.atMs < VRAM_EVERY_MS) return this.vram.usedMb;
    const gpu = (await queryNvidiaSmi(2000)).find((g) => g.index === this.gpuIndex);
    this.vram = gpu
      ? {
          atMs: now,
          usedMb: gpu.usedMiB,
          figures: { usedGb: gpu.usedMiB / 1024, freeGb: gpu.freeMiB / 1024 },
        }
      : { atMs: now, usedMb: null };
    return this.vram.usedMb;
  }
}
