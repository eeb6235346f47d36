/**
 * A run config over the bundled demo movie, for tests that run `hitmic run` end to end: one place
 * for the YAML, each test saying only what it changes (collection, labels, focus, tracking, workers).
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const DEMO_MOVIE = path.join(ROOT, 'resources', 'demo', 'demo_movie.tif');
export const DEMO_COLLECTION = path.join(ROOT, 'models', 'demo-collection');

export interface DemoRunConfigOptions {
  output: string;
  collection?: string;
  exportLabels?: boolean;
  focusCorrection?: boolean;
  tracking?: boolean;
  workers?: number;
  /** YAML appended at the end (e.g. a tracking section). */
  extra?: string;
}

/** Writes the config to `file` and returns `file`. */
export function writeDemoRunConfig(file: string, o: DemoRunConfigOptions): string {
  const workers = o.workers ?? 1;
  fs.writeFileSync(
    file,
    `input_data:
  input_folder: ${JSON.stringify(path.dirname(DEMO_MOVIE))}
  output_folder: ${JSON.stringify(o.output)}
  file_type: .tif
  file_pattern: demo_movie
  export_labelled_masks: ${o.exportLabels ?? false}
pipeline_setup:
  name: ASCT_focusrestore
  parallel_processing: ${workers > 1}
  num_workers: ${workers}
  align_frames: false
  reference_channel: 0
  pi_channel: 1
  method: standard
  focus_correction: ${o.focusCorrection ?? true}
  tracking: ${o.tracking ?? false}
models:
  model_collection: ${JSON.stringify(o.collection ?? DEMO_COLLECTION)}
${o.extra ?? ''}`,
  );
  return file;
}
