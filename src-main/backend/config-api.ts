import path from 'node:path';
import type { ConfigApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import { findPipeline, PIPELINE_REQUIRED_MODELS } from '../../src-shared/collections';
import { findInLibrary } from '../collections';
import { checkRunConfigText, configTemplate, configUsage, loadRunConfig } from '../config';
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

/** The Config domain: the same pure validator as `hitmic config validate`, plus files on disk. */
export function createConfigApi(libraryDir: () => string): ConfigApi {
  return {
    async validate(text, options = {}) {
      if (typeof text !== 'string') throw new ApiError('BAD_INPUT', 'validate needs the YAML text');
      if (options.filePath !== undefined && typeof options.filePath !== 'string')
        throw new ApiError(
          'BAD_INPUT',
          'validate: filePath must be the path the config is (or will be) saved at',
          {
            field: 'filePath',
          },
        );
      // The same checks as `hitmic config validate` (files, folders, the collection and its models),
      // on the editor's text; an unsaved config resolves its paths against the backend's folder.
      const file = options.filePath ?? path.join(process.cwd(), 'unsaved-config.yml');
      const r = await checkRunConfigText(text, file, { strict: options.strict, cwd: process.cwd() });
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
    async usage(paths) {
      if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string'))
        throw new ApiError('BAD_INPUT', 'config.usage needs a list of config file paths', { field: 'paths' });
      if (paths.length > 200)
        throw new ApiError(
          'BAD_INPUT',
          `config.usage takes at most 200 configs at a time, got ${paths.length}`,
        );
      return Promise.all(paths.map((p) => configUsage(p)));
    },
  };
}
