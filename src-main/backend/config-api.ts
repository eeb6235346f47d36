import path from 'node:path';
import type { ConfigApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { validateRunConfig } from '../../src-shared/config';
import { findInLibrary } from '../collections';
import { loadRunConfig } from '../config';
import { writeFileAtomic } from '../io';
import { checkOutputFile } from './output-files';

/** Run configs are YAML files; anything else is not opened as one (it would be shown as text). */
function checkConfigName(file: unknown): string {
  if (typeof file !== 'string' || !/\.ya?ml$/i.test(file)) {
    throw new ApiError(
      'BAD_INPUT',
      `Config files end in .yml or .yaml; '${typeof file === 'string' ? path.basename(file) : String(file)}' does not. Open the run config (e.g. config.yml).`,
      { path: file, expected: '.yml or .yaml' },
    );
  }
  return file;
}

/**
 * A commented ASCT_focusrestore config in the form HiTMicTools reads, for "New from template".
 * Values are HiTMicTools' documented ones, `method: basicpy_fl` included (BaSiC on the fluorescence;
 * HiTMicTools' own `standard` fails on the PI channel).
 */
export function configTemplate(pipeline: string, modelCollection: string): string {
  return `# HiTMicTools run config (HiTMic Studio template). Runs with 'hitmic run' and 'hitmictools run'.
input_data:
  input_folder: ./movies          # folder holding the movies
  output_folder: ./results        # created if missing
  file_type: .tif                 # movie suffix (.tif, .tiff, .ome.tif, .nd2)
  file_pattern: ""                # glob prefix; "" means every movie
  export_labelled_masks: true     # also write {movie}_labels.tif

pipeline_setup:
  name: ${pipeline}
  parallel_processing: false
  num_workers: 1
  reference_channel: 0            # brightfield
  pi_channel: 1                   # propidium iodide fluorescence
  align_frames: true
  method: basicpy_fl              # background: basicpy_fl (BaSiC on fluorescence) | basicpy | standard
  focus_correction: true
  tracking: true

models:
  model_collection: ${JSON.stringify(modelCollection)}

tracking:
  backend: hungarian
  version: v5
  parameters:
    max_distance: 15.0
`;
}

/** The Config domain: the same pure validator as `hitmic config validate`, plus files on disk. */
export function createConfigApi(libraryDir: () => string): ConfigApi {
  return {
    async validate(text, options = {}) {
      if (typeof text !== 'string') throw new ApiError('BAD_INPUT', 'validate needs the YAML text');
      const r = validateRunConfig(text, { strict: options.strict });
      return { ok: r.ok, diagnostics: r.diagnostics };
    },
    async load(file) {
      const r = await loadRunConfig(checkConfigName(file), { cwd: process.cwd() });
      return { path: r.file, text: r.source.text, report: { ok: r.ok, diagnostics: r.diagnostics } };
    },
    async save(file, text) {
      if (typeof text !== 'string') throw new ApiError('BAD_INPUT', 'save needs the YAML text');
      // The caller names the file: write only where output-files.ts allows a config to go.
      const target = checkOutputFile(file, 'config');
      writeFileAtomic(target, text);
      return { path: target };
    },
    async template(options = {}) {
      const asked = options.pipeline ?? 'ASCT_focusrestore';
      const pipeline = findPipeline(asked);
      if (!pipeline)
        throw new ApiError(
          'BAD_INPUT',
          `Invalid pipeline name: '${asked}'. Available pipelines: ${Object.keys(PIPELINE_REQUIRED_MODELS).join(', ')}`,
          { field: 'pipeline' },
        );
      const collection = options.collectionId
        ? (await findInLibrary(libraryDir(), options.collectionId)).path
        : './models/model_collection.zip';
      return { text: configTemplate(pipeline, collection) };
    },
  };
}
