import {
  bookingDirectory,
  capacityCapFromEnv,
  type DeviceInfo,
  listDevices,
  readBookings,
} from '../../resources';
import fs from 'node:fs';
import path from 'node:path';
import { demoPaths } from '../../demo';
import { WorkerClient, type ProviderProbe } from '../../jobs';
import { parseArgs } from '../args';
import type { CliCommand } from '../command';

const USAGE = `Usage: hitmic devices [--json]

Lists this machine's devices with total, used and free memory (GB = 1024^3 bytes)
and what is booked on each: CUDA GPUs from nvidia-smi (none if it is absent), 'mps'
on Apple silicon and 'cpu' (both are system RAM), plus the capacity reservations
are checked against (the device total, capped by $HITMIC_CAPACITY_GB).

Options:
  --json  print {devices: [...]} with fields device, kind, name, totalGb, usedGb,
          freeGb, capacityGb, bookedGb, bookingFile, executionProviders
          ([{provider, ok, error?}], tried by creating a real onnxruntime session)
`;

/** The providers that serve each device kind. */
const PROVIDERS_BY_KIND: Record<string, string[]> = { cuda: ['cuda'], mps: ['coreml'], cpu: ['cpu', 'dml'] };

/**
 * Tries each execution provider on a small real model (the demo PI classifier) in a worker
 * process — only workers may load onnxruntime-node. Null when no model file is available.
 */
async function probeProviders(): Promise<ProviderProbe[] | null> {
  const model = path.join(demoPaths().collection, 'models', 'PIClassifier.onnx');
  if (!fs.existsSync(model)) return null;
  const worker = new WorkerClient({ name: 'hitmic-devices' });
  try {
    return await worker.call('execution-providers', { modelPath: model });
  } finally {
    await worker.dispose();
  }
}

/** One device row of `hitmic devices --json`. */
export interface DeviceReport extends DeviceInfo {
  capacityGb: number;
  bookedGb: number;
  bookingFile: string;
  /** Providers for this device that could create a session here; null when not measurable. */
  executionProviders: ProviderProbe[] | null;
}

const gb = (n: number): string => n.toFixed(2);

export const devicesCommand: CliCommand = {
  name: 'devices',
  summary: 'devices of this machine with total/used/free memory and booked GB',
  usage: USAGE,
  async run(argv, io) {
    const { options } = parseArgs(argv, { json: { type: 'boolean' } }, 'devices');
    const dir = bookingDirectory(io.env);
    const cap = capacityCapFromEnv(io.env);
    const reports: DeviceReport[] = [];
    const probes = await probeProviders();
    for (const d of await listDevices()) {
      const snap = await readBookings(d.device, { dir, capacityGb: cap });
      reports.push({
        ...d,
        capacityGb: cap === undefined ? d.totalGb : Math.min(cap, d.totalGb),
        bookedGb: snap.bookedGb,
        bookingFile: snap.bookingFile,
        executionProviders: probes
          ? probes.filter((p) => (PROVIDERS_BY_KIND[d.kind] ?? []).includes(p.provider))
          : null,
      });
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ devices: reports })}\n`);
      return 0;
    }
    const rows = [['DEVICE', 'NAME', 'TOTAL GB', 'USED GB', 'FREE GB', 'CAPACITY GB', 'BOOKED GB']];
    for (const r of reports)
      rows.push([
        r.device,
        r.name,
        gb(r.totalGb),
        gb(r.usedGb),
        gb(r.freeGb),
        gb(r.capacityGb),
        gb(r.bookedGb),
      ]);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    for (const row of rows)
      io.stdout.write(
        `${row
          .map((c, i) => c.padEnd(widths[i]))
          .join('  ')
          .trimEnd()}\n`,
      );
    if (!probes)
      io.stdout.write('(execution providers: not measured — the demo model used for the check is missing)\n');
    else {
      io.stdout.write('\nExecution providers (tried with a real session):\n');
      for (const p of probes)
        io.stdout.write(`  ${p.provider.padEnd(7)} ${p.ok ? 'works' : `does not work: ${p.error}`}\n`);
    }
    return 0;
  },
};
