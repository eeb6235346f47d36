import fs from 'node:fs';
import path from 'node:path';
import type { TestModeApi, TestModeRequest } from '../../src-shared/api';
import {
  ApiError,
  TEST_MODE_MAX_FRAMES,
  TEST_MODE_OVERRIDE_MODELS,
  type TestModeResult,
} from '../../src-shared/api';
import { findPipeline } from '../../src-shared/collections';
import { validateRunConfig, type ComputeChoice, type RunConfig } from '../../src-shared/config';
import { planModels } from '../collections';
import type { WorkerClient } from '../jobs';
import { TEST_MODE_PIPELINES, type TestModeParams } from '../pipeline';
import { movieJobParams } from '../runs';
import type { MoviesRegistry } from './movies-api';
import { checkOverrides, settingsOf, withOverrides } from './previews-api';

/** The request's frames and shown frame, checked; BAD_INPUT says what is allowed. */
function checkRequest(r: TestModeRequest): void {
  if (!r || typeof r.movieId !== 'string' || typeof r.configText !== 'string')
    throw new ApiError(
      'BAD_INPUT',
      'testMode.run needs {movieId, configText, start, count}: the movie open in the Viewer and the config in the Config view',
    );
  if (!Number.isInteger(r.start) || r.start < 0)
    throw new ApiError('BAD_INPUT', `the first frame must be a frame number ≥ 0, got ${String(r.start)}`, {
      field: 'start',
    });
  if (!Number.isInteger(r.count) || r.count < 1 || r.count > TEST_MODE_MAX_FRAMES)
    throw new ApiError(
      'BAD_INPUT',
      `test mode runs 1 to ${TEST_MODE_MAX_FRAMES} frames, got ${String(r.count)}; use hitmic run --frames for more`,
      { field: 'count' },
    );
  const show = r.show ?? r.start;
  if (!Number.isInteger(show) || show < r.start || show >= r.start + r.count)
    throw new ApiError(
      'BAD_INPUT',
      `the frame to show (${String(show)}) must be within the range ${r.start}–${r.start + r.count - 1}`,
      { field: 'show' },
    );
}

/** The config's pipeline, if test mode runs it. */
function pipelineOf(cfg: RunConfig): string {
  const named = cfg.pipeline ?? String(cfg.pipeline_setup.name);
  const pipeline = findPipeline(named);
  if (!pipeline || !(TEST_MODE_PIPELINES as readonly string[]).includes(pipeline))
    throw new ApiError(
      'NOT_AVAILABLE',
      `Test mode runs ${TEST_MODE_PIPELINES.join(' and ')}; the config names '${named}'. Try it with hitmic run --frames A:B instead.`,
      { pipeline: named },
    );
  return pipeline;
}

/**
 * A path of the config as `hitmic run` finds it: beside the config file first, then in the
 * backend's working folder (where HiTMicTools looks); the first that exists, else beside the config.
 */
function resolveNear(rel: unknown, configPath: string | undefined): string | null {
  if (typeof rel !== 'string' || rel === '') return null;
  const candidates = [
    ...(configPath ? [path.resolve(path.dirname(path.resolve(configPath)), rel)] : []),
    path.resolve(process.cwd(), rel),
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
}

/**
 * The Test mode domain: the config being edited, with its collection's models (inferer settings
 * overridable), on a few frames of the Viewer's movie, in the backend's worker. The worker keeps
 * stage outputs between calls, so trying a setting re-runs only the stages it reaches.
 */
export function createTestModeApi(deps: {
  worker: WorkerClient;
  movies: MoviesRegistry;
  libraryDir: () => string;
  /** Where models run (`hitmic serve --device`); default the config's device. */
  compute?: ComputeChoice;
}): TestModeApi {
  return {
    async run(r, signal) {
      const t0 = performance.now();
      checkRequest(r);
      for (const [k, o] of Object.entries(r.infererOverrides ?? {})) {
        if (!(TEST_MODE_OVERRIDE_MODELS as readonly string[]).includes(k))
          throw new ApiError(
            'BAD_INPUT',
            `test mode changes the settings of ${TEST_MODE_OVERRIDE_MODELS.join(', ')}, not '${k}'`,
            { field: k },
          );
        if (o) checkOverrides(k, o);
      }
      const movie = deps.movies.pathOf(r.movieId);
      const v = validateRunConfig(r.configText);
      if (!v.ok || !v.config) {
        const errors = v.diagnostics.filter((d) => d.severity === 'error');
        throw new ApiError(
          'BAD_INPUT',
          `The config has ${errors.length} error(s); fix them in the Config view first: ${errors
            .slice(0, 3)
            .map((d) => `line ${d.line}: ${d.message}`)
            .join('; ')}`,
          { errors: errors.map((d) => ({ line: d.line, column: d.column, message: d.message })) },
        );
      }
      const cfg = v.config;
      const pipeline = pipelineOf(cfg);
      const baseDir = r.configPath ? path.dirname(path.resolve(r.configPath)) : process.cwd();
      const plan = await planModels(
        cfg,
        {
          modelCollection: resolveNear(cfg.model_collection, r.configPath),
          trackerConfig: resolveNear(cfg.tracking?.config_path, r.configPath),
        },
        { libraryDir: deps.libraryDir(), pipeline, baseDir },
      );
      const models = { ...plan.models };
      for (const k of TEST_MODE_OVERRIDE_MODELS) {
        const m = models[k];
        if (m) models[k] = withOverrides(m, r.infererOverrides?.[k]);
      }
      const job = movieJobParams(movie, {
        cfg,
        pipeline,
        plan: { ...plan, models },
        outputDir: '',
        options: { configPath: r.configPath ?? '', device: deps.compute?.requested },
        threads: 0,
        workers: 1,
        provenance: {},
      });
      const params: TestModeParams = {
        movie,
        pipeline,
        setup: job.setup,
        models,
        tracking: job.tracking,
        compute: job.compute,
        booking: job.booking,
        frames: [r.start, r.start + r.count],
        show: r.show ?? r.start,
        images: r.images,
      };
      const out = await deps.worker.call('test-mode', params, { signal });
      const settings: TestModeResult['settings'] = {};
      for (const k of TEST_MODE_OVERRIDE_MODELS) if (models[k]) settings[k] = settingsOf(models[k]);
      return {
        ...out,
        settings,
        warnings: [...plan.warnings, ...out.warnings],
        elapsedMs: Math.round(performance.now() - t0),
      } satisfies TestModeResult;
    },
  };
}
