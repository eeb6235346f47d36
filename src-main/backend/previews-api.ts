import type { PreviewsApi } from '../../src-shared/api';
import {
  PREVIEW_STEPS,
  type InfererOverrides,
  type PreviewModelSettings,
  type PreviewObject,
  type PreviewRequest,
  type PreviewResult,
  type PreviewStep,
} from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { ComputeChoice } from '../../src-shared/config';
import { CollectionError, findInLibrary, planCollection, type ModelPlan } from '../collections';
import type { WorkerClient } from '../jobs';
import type { InferFrameParams, InferFrameResult } from '../pipeline';
import type { MoviesRegistry } from './movies-api';

const SCALE_METHODS = ['range01', 'fixed_range', 'zscore', 'combined', 'none'];

/** Checks one model's overrides; returns a readable BAD_INPUT naming the field and what is allowed. */
export function checkOverrides(key: string, o: InfererOverrides): void {
  if (
    o.patch_size !== undefined &&
    !(Number.isInteger(o.patch_size) && o.patch_size >= 16 && o.patch_size <= 4096)
  )
    throw new ApiError(
      'BAD_INPUT',
      `${key} patch size must be a whole number of pixels from 16 to 4096, got ${String(o.patch_size)}`,
      { field: `${key}.patch_size` },
    );
  if (
    o.overlap_ratio !== undefined &&
    !(typeof o.overlap_ratio === 'number' && o.overlap_ratio >= 0 && o.overlap_ratio < 1)
  )
    throw new ApiError(
      'BAD_INPUT',
      `${key} overlap must be at least 0 and below 1 (e.g. 0.25), got ${String(o.overlap_ratio)}`,
      { field: `${key}.overlap_ratio` },
    );
  if (o.scale_method !== undefined && !SCALE_METHODS.includes(o.scale_method))
    throw new ApiError(
      'BAD_INPUT',
      `${key} scaling must be one of ${SCALE_METHODS.join(', ')}, got '${String(o.scale_method)}'`,
      { field: `${key}.scale_method` },
    );
}

/** A copy of the plan with the overrides applied to its inferer_args (the collection is left alone). */
export function withOverrides(plan: ModelPlan, o: InfererOverrides | undefined): ModelPlan {
  if (!o) return plan;
  const args = { ...plan.infererArgs };
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) args[k] = v;
  return { ...plan, infererArgs: args };
}

export function settingsOf(plan: ModelPlan): PreviewModelSettings {
  const a = plan.infererArgs;
  return {
    patchSize: typeof a.patch_size === 'number' ? a.patch_size : undefined,
    overlapRatio: typeof a.overlap_ratio === 'number' ? a.overlap_ratio : undefined,
    scaleMethod: typeof a.scale_method === 'string' ? a.scale_method : undefined,
  };
}

/** One entry per label: its area, and class and confidence where the classifier ran. */
function objectsOf(labels: Uint16Array, table: InferFrameResult['table']): PreviewObject[] {
  const area = new Map<number, number>();
  for (let i = 0; i < labels.length; i++)
    if (labels[i] !== 0) area.set(labels[i], (area.get(labels[i]) ?? 0) + 1);
  const cls = new Map<number, { className?: string; confidence?: number }>();
  if (table?.label && table.object_class) {
    const lab = table.label as ArrayLike<number>;
    const names = table.object_class as ArrayLike<string>;
    const prob = table.class_prob as ArrayLike<number> | undefined;
    for (let i = 0; i < lab.length; i++)
      cls.set(Number(lab[i]), {
        className: String(names[i]),
        confidence: prob ? Number(prob[i]) : undefined,
      });
  }
  return [...area.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([label, a]) => ({ label, area: a, ...cls.get(label) }));
}

/** The Previews domain (issue #8): one frame through restoration/segmentation/classification in the service worker. */
export function createPreviewsApi(deps: {
  worker: WorkerClient;
  /** Where preview models run (`hitmic serve --device`); default auto. */
  compute?: ComputeChoice;
  movies: MoviesRegistry;
  libraryDir: () => string;
}): PreviewsApi {
  const collectionFolder = async (r: PreviewRequest): Promise<string> => {
    if (r.collectionPath) return r.collectionPath;
    if (!r.collectionId)
      throw new ApiError(
        'BAD_INPUT',
        'A preview needs a model collection: choose one from the library (import a collection ZIP in Collections first).',
      );
    try {
      return (await findInLibrary(deps.libraryDir(), r.collectionId)).path;
    } catch (err) {
      if (err instanceof CollectionError)
        throw new ApiError('NOT_FOUND', `${err.message} Choose another collection or import it again.`, {
          collectionId: r.collectionId,
        });
      throw err;
    }
  };

  return {
    async run(r, signal) {
      const t0 = performance.now();
      if (!r || typeof r.movieId !== 'string')
        throw new ApiError(
          'BAD_INPUT',
          'previews.run needs {movieId, frame, steps, collectionId or collectionPath}',
        );
      const steps = Array.isArray(r.steps) ? r.steps : [];
      const bad = steps.filter((s) => !PREVIEW_STEPS.includes(s));
      if (bad.length)
        throw new ApiError(
          'BAD_INPUT',
          `unknown preview step(s) ${bad.join(', ')}; use ${PREVIEW_STEPS.join(', ')}`,
        );
      const key = [...PREVIEW_STEPS].reverse().find((s) => steps.includes(s));
      if (!key)
        throw new ApiError('BAD_INPUT', `a preview needs at least one step: ${PREVIEW_STEPS.join(', ')}`);
      for (const [k, o] of Object.entries(r.infererOverrides ?? {})) if (o) checkOverrides(k, o);
      const movie = deps.movies.pathOf(r.movieId);
      const plan = await planCollection(await collectionFolder(r), deps.libraryDir());
      const models: InferFrameParams['models'] = {};
      const used: Partial<Record<PreviewStep, PreviewModelSettings>> = {};
      for (const s of steps) {
        const m = plan.models[s];
        if (!m)
          throw new ApiError(
            'BAD_INPUT',
            `The collection ${plan.dir} has no runnable '${s}' model${plan.skipped.length ? ` (not runnable: ${plan.skipped.join(', ')})` : ''}; choose a collection that has one, or leave out that step.`,
          );
        models[s] = withOverrides(m, s === 'cell_classifier' ? undefined : r.infererOverrides?.[s]);
        if (s !== 'cell_classifier') used[s] = settingsOf(models[s]);
      }
      if (key !== 'bf_focus' && !models.segmentation)
        throw new ApiError('BAD_INPUT', `'${key}' needs the 'segmentation' step too`);
      const params: InferFrameParams = {
        key,
        models,
        movie,
        frame: r.frame,
        channel: r.channel ?? 0,
        referenceChannel: r.channel ?? 0,
        returnRestored: true,
        // Previews book as ASCT_focusrestore's stages do, on the device the models run on.
        booking: { device: 'cpu', pipeline: 'ASCT_focusrestore' },
        compute: deps.compute,
      };
      const out = await deps.worker.call('infer-frame', params, { signal });
      const img = (name: string) => out.images.find((i) => i.name === name);
      const restored = img('restored');
      const labels = img('labels');
      const frame = (i: NonNullable<typeof restored>) => ({
        width: out.width,
        height: out.height,
        dtype: i.dtype,
        data: i.data,
      });
      return {
        width: out.width,
        height: out.height,
        restored: restored ? frame(restored) : undefined,
        labels: labels ? frame(labels) : undefined,
        objects: labels ? objectsOf(labels.data as Uint16Array, out.table) : [],
        settings: used,
        timingsMs: out.timingsMs,
        elapsedMs: Math.round(performance.now() - t0),
        provider: out.provider,
      } satisfies PreviewResult;
    },
  };
}
