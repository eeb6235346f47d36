import fs from 'node:fs';
import path from 'node:path';
import { MODEL_KEY_TABLE, MODEL_KEYS, type ModelKey } from '../../../src-shared/collections';
import { planCollection } from '../../collections';
import { HyperstackWriter, writeCsvAtomic } from '../../io';
import { WorkerClient } from '../../jobs';
import type { InferFrameResult } from '../../pipeline';
import { COMPUTE_DEVICE_HELP, parseComputeDevice } from '../../../src-shared/config';
import { numberOption, parseArgs } from '../args';
import { deviceOption } from './run';
import { CliError, type CliCommand } from '../command';

const USAGE = `Usage: hitmic infer --collection C --model KEY --input MOVIE [--frame N] [--channel C] --output OUT [--json]

Runs one model of a collection on one frame, in a worker process, with the collection's settings
(the same code as 'hitmic run'): for parity checks against HiTMicTools and for debugging.
Models that need earlier stages get them: segmentation runs on the restored bright field,
cell_classifier and pi_classification on the segmentation.

Writes, by model:
  bf_focus, fl_focus     OUT: restored frame, float32 TIFF
  segmentation           OUT: uint16 labels TIFF, and OUT with _probability: float32 TIFF
  cell_classifier        OUT: CSV (label, object_class, class_prob), plus the labels TIFF beside it
  pi_classification      OUT: CSV (label, mean_intensity, rel_mean_intensity, pi_class, pi_prob)
  oof_detector           OUT: CSV of boxes (x1, y1, x2, y2, class_id, score)
  sc_segmenter           OUT: uint16 labels TIFF

Options:
  --collection C   collection ZIP or folder
  --model KEY      ${MODEL_KEYS.join(', ')}
  --input MOVIE    movie (any format 'hitmic run' reads)
  --frame N        frame index (default 0)
  --channel C      channel the model reads (default: reference channel 0 for bright-field
                   models, 1 for fl_focus)
  --output OUT     output file (.tif/.tiff for images, .csv for tables)
  --device D       where the model runs: ${COMPUTE_DEVICE_HELP} (default auto)
  --json           print {model, outputs, timings_ms, provider}
`;

function withSuffix(file: string, suffix: string, ext: string): string {
  return path.join(path.dirname(file), `${path.basename(file).replace(/\.[^.]+$/, '')}${suffix}${ext}`);
}

async function writeImage(
  file: string,
  r: InferFrameResult,
  img: InferFrameResult['images'][number],
): Promise<void> {
  const w = await HyperstackWriter.create(file, {
    width: r.width,
    height: r.height,
    dtype: img.dtype,
    frames: 1,
  });
  try {
    await w.writePlane(img.data);
    await w.close();
  } catch (err) {
    await w.abort();
    throw err;
  }
}

export const inferCommand: CliCommand = {
  name: 'infer',
  summary: 'run one model of a collection on one frame (parity and debugging)',
  usage: USAGE,
  async run(argv, io) {
    const { options } = parseArgs(
      argv,
      {
        collection: { type: 'string' },
        model: { type: 'string' },
        input: { type: 'string' },
        frame: { type: 'string' },
        channel: { type: 'string' },
        output: { type: 'string' },
        json: { type: 'boolean' },
        library: { type: 'string' },
        device: { type: 'string' },
      },
      'infer',
    );
    for (const req of ['collection', 'model', 'input', 'output'])
      if (!options[req]) throw new CliError(`'infer' needs --${req} (see 'hitmic infer --help')`);
    const key = String(options.model) as ModelKey;
    if (!MODEL_KEYS.includes(key))
      throw new CliError(`unknown model '${key}'; use one of ${MODEL_KEYS.join(', ')}`);
    const output = path.resolve(io.cwd, String(options.output));
    const isTable = MODEL_KEY_TABLE[key].output === 'table';
    const ext = path.extname(output).toLowerCase();
    if (isTable ? ext !== '.csv' : ext !== '.tif' && ext !== '.tiff')
      throw new CliError(
        `--output for ${key} is a file ending in ${isTable ? '.csv (a table)' : '.tif or .tiff (an image)'}, got '${path.basename(output)}'${fs.existsSync(output) && fs.statSync(output).isDirectory() ? ' (a folder: add a file name)' : ''}`,
      );
    if (!fs.existsSync(path.dirname(output)))
      throw new CliError(`output folder ${path.dirname(output)} does not exist`);
    const plan = await planCollection(
      path.resolve(io.cwd, String(options.collection)),
      options.library as string | undefined,
    );
    if (!plan.models[key])
      throw new CliError(
        `the collection has no runnable '${key}' model${plan.skipped.length ? ` (not ONNX: ${plan.skipped.join(', ')})` : ''}`,
      );
    const worker = new WorkerClient({
      name: 'hitmic-infer',
      onLog: (level, m) => io.stderr.write(`${level}: ${m}\n`),
    });
    const t0 = Date.now();
    try {
      const r = await worker.call('infer-frame', {
        key,
        models: plan.models,
        movie: path.resolve(io.cwd, String(options.input)),
        frame: numberOption(options.frame, 'frame', { integer: true, min: 0 }) ?? 0,
        channel: numberOption(options.channel, 'channel', { integer: true, min: 0 }),
        // One frame books as ASCT_focusrestore's stages do, on the device the models run on.
        booking: { device: 'cpu', pipeline: 'ASCT_focusrestore' },
        compute: parseComputeDevice(deviceOption(options.device) ?? 'auto'),
      });
      const outputs: Record<string, string> = {};
      for (const img of r.images) {
        const file =
          isTable || (key === 'segmentation' && img.name === 'probability')
            ? withSuffix(output, `_${img.name}`, '.tif')
            : output;
        if (isTable && img.name !== 'labels') continue;
        await writeImage(file, r, img);
        outputs[img.name] = file;
      }
      if (r.table) {
        const cols = Object.keys(r.table);
        const n = r.table[cols[0]]?.length ?? 0;
        await writeCsvAtomic(
          output,
          cols,
          Array.from({ length: n }, (_, i) =>
            Object.fromEntries(cols.map((c) => [c, (r.table![c] as ArrayLike<string | number>)[i]])),
          ),
        );
        outputs.table = output;
      }
      const total = Date.now() - t0;
      if (options.json)
        io.stdout.write(
          `${JSON.stringify({ model: key, outputs, timings_ms: { ...r.timingsMs, total }, provider: r.provider }, null, 2)}\n`,
        );
      else {
        for (const [k, v] of Object.entries(outputs)) io.stdout.write(`${k.padEnd(12)} ${v}\n`);
        io.stdout.write(
          `${Object.entries(r.timingsMs)
            .map(([k, v]) => `${k} ${v} ms`)
            .join(', ')} (total ${total} ms, ${r.provider})\n`,
        );
      }
      return 0;
    } finally {
      await worker.dispose();
    }
  },
};
