import {
  bookingDirectory,
  capacityCapFromEnv,
  type DeviceInfo,
  listDevices,
  readBookings,
} from '../../resources';
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
`;

/**
 * Which onnxruntime execution providers work is not known here: it is measured by the inference
 * work (it must load onnxruntime-node, which only workers may). Until then the field is null, never
 * guessed.
 */
export const EXECUTION_PROVIDERS_NOTE =
  'executionProviders is null: which onnxruntime execution providers work on each device is not measured yet (arrives with the inference engine)';

/** One device row of `hitmic devices --json`. */
export interface DeviceReport extends DeviceInfo {
  capacityGb: number;
  bookedGb: number;
  bookingFile: string;
  executionProviders: null;
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
    for (const d of await listDevices()) {
      const snap = await readBookings(d.device, { dir, capacityGb: cap });
      reports.push({
        ...d,
        capacityGb: cap === undefined ? d.totalGb : Math.min(cap, d.totalGb),
        bookedGb: snap.bookedGb,
        bookingFile: snap.bookingFile,
        executionProviders: null,
      });
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ devices: reports, note: EXECUTION_PROVIDERS_NOTE })}\n`);
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
    io.stdout.write(`(execution providers: not measured yet — arrives with the inference engine)\n`);
    return 0;
  },
};
