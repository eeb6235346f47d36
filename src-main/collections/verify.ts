/**
 * `hitmic collection verify`: proves a collection is intact and reproduces on this machine —
 * sha256 of every file against manifest.json, and each model's test tensor re-run and compared
 * bioimage.io style: an element mismatches when |actual − expected| > atol + rtol·|expected|;
 * the test passes when mismatched elements per million ≤ the tolerance (defaults 1e-3, 1e-3, 100,
 * or the manifest's). Running a model is injected (`runTestTensor`) so it happens in a worker;
 * PyTorch models run as the ONNX a run would use (converted, through the library's cache).
 */
import type { VerifyFileResult, VerifyReport, VerifyTestResult } from '../../src-shared/collections';
import { readNpyFloat32 } from '../io';
import { resolveCollection, type ResolvedModel } from './layout';
import { formatOf } from './conversion';
import { convertedModel, convertedModelsDir } from './converted-models';
import { defaultLibraryDir } from './library';
import { unwrapSingleFolder, type CollectionSource } from './source';

/** Runs the model at `modelPath` on the `.npy` input at `inputNpy`; resolves to the first output. */
/** Runs a model on a test input and returns the named output (default: the first). */
export type RunTestTensor = (
  modelPath: string,
  inputNpy: string,
  outputName?: string,
) => Promise<Float32Array>;

export interface Tolerance {
  relative: number;
  absolute: number;
  mismatchedPerMillion: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { relative: 1e-3, absolute: 1e-3, mismatchedPerMillion: 100 };

export interface Comparison {
  ok: boolean;
  max_abs_err: number;
  mismatched_ppm: number;
  message?: string;
}

/** Element-wise comparison with bioimage.io's rule; NaN where the other is not NaN counts as mismatched. */
export function compareTensors(
  actual: Float32Array,
  expected: Float32Array,
  tol: Tolerance = DEFAULT_TOLERANCE,
): Comparison {
  if (actual.length !== expected.length) {
    return {
      ok: false,
      max_abs_err: Infinity,
      mismatched_ppm: 1e6,
      message: `output has ${actual.length} values, the expected output ${expected.length}`,
    };
  }
  let mismatched = 0;
  let maxErr = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (!(Number.isNaN(a) && Number.isNaN(e))) mismatched++;
      continue;
    }
    const err = Math.abs(a - e);
    if (err > maxErr) maxErr = err;
    if (err > tol.absolute + tol.relative * Math.abs(e)) mismatched++;
  }
  const ppm = actual.length ? (mismatched / actual.length) * 1e6 : 0;
  const ok = ppm <= tol.mismatchedPerMillion;
  return {
    ok,
    max_abs_err: maxErr,
    mismatched_ppm: ppm,
    ...(ok
      ? {}
      : {
          message: `${mismatched} of ${actual.length} values differ by more than ${tol.absolute} + ${tol.relative}·|expected| (${ppm.toFixed(1)} per million, limit ${tol.mismatchedPerMillion})`,
        }),
  };
}

export interface VerifyOptions {
  /** Runs test tensors; when absent, tests are reported as not run (ok false). */
  runTestTensor?: RunTestTensor;
  /** Overrides the manifest's tolerances. */
  tolerance?: Partial<Tolerance>;
  /** Where PyTorch models' conversions are cached (default: the default library's). */
  convertedDir?: string;
}

/** The file a test tensor runs through: the model's own, or the ONNX converted from its `.pth`. */
async function runnableFile(
  src: CollectionSource,
  model: ResolvedModel & { weights: string },
  convertedDir: string,
): Promise<{ file: string; converted: boolean }> {
  if (formatOf(model.weights) !== 'pytorch')
    return { file: await src.localPath(model.weights), converted: false };
  const metadata = model.metadataPath
    ? (JSON.parse((await src.read(model.metadataPath)).toString('utf8')) as Record<string, unknown>)
    : null;
  const facts = await convertedModel(
    {
      key: model.key,
      checkpointFile: model.weights,
      checkpoint: await src.read(model.weights),
      metadata,
      configModelArgs: model.modelArgs,
    },
    convertedDir,
  );
  return { file: facts.onnx, converted: true };
}

/** Verifies an opened collection. `ok` is false on any checksum or test failure. */
export async function verifyCollection(
  opened: CollectionSource,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const src = unwrapSingleFolder(opened);
  const resolved = await resolveCollection(src);
  const files: VerifyFileResult[] = [];
  const tests: VerifyTestResult[] = [];
  const manifest = resolved.manifest;
  for (const f of manifest?.files ?? []) {
    // A manifest cannot contain its own hash; an entry for itself is ignored.
    if (f.path === 'manifest.json') continue;
    if (!src.has(f.path)) {
      files.push({ path: f.path, ok: false, expected: f.sha256, actual: null });
      continue;
    }
    const actual = await src.sha256(f.path);
    files.push({ path: f.path, ok: actual === f.sha256.toLowerCase(), expected: f.sha256, actual });
  }
  for (const [key, t] of Object.entries(manifest?.tests ?? {})) {
    const model = resolved.models.find((m) => m.key === key);
    const base = { key, ok: false, max_abs_err: null, mismatched_ppm: null };
    if (!model?.weights || !src.has(model.weights)) {
      tests.push({ ...base, message: `no weights for ${key} in the collection` });
      continue;
    }
    if (!src.has(t.input) || !src.has(t.output)) {
      tests.push({ ...base, message: `test tensor ${src.has(t.input) ? t.output : t.input} is missing` });
      continue;
    }
    if (!options.runTestTensor) {
      tests.push({ ...base, message: 'not run: no model runner available' });
      continue;
    }
    const tol: Tolerance = {
      relative: options.tolerance?.relative ?? t.relative_tolerance ?? DEFAULT_TOLERANCE.relative,
      absolute: options.tolerance?.absolute ?? t.absolute_tolerance ?? DEFAULT_TOLERANCE.absolute,
      mismatchedPerMillion:
        options.tolerance?.mismatchedPerMillion ??
        t.mismatched_elements_per_million ??
        DEFAULT_TOLERANCE.mismatchedPerMillion,
    };
    let converted = false;
    try {
      const expected = readNpyFloat32(await src.read(t.output), t.output);
      const runs = await runnableFile(
        src,
        { ...model, weights: model.weights },
        options.convertedDir ?? convertedModelsDir(defaultLibraryDir()),
      );
      converted = runs.converted;
      const actual = await options.runTestTensor(runs.file, await src.localPath(t.input), t.output_name);
      const c = compareTensors(actual, expected.data, tol);
      tests.push({
        key,
        ...(converted ? { converted: true } : {}),
        ok: c.ok,
        max_abs_err: c.max_abs_err,
        mismatched_ppm: c.mismatched_ppm,
        ...(c.message ? { message: c.message } : {}),
      });
    } catch (err) {
      tests.push({
        ...base,
        ...(converted ? { converted: true } : {}),
        message: `running the test failed: ${(err as Error).message.split('\n')[0]}`,
      });
    }
  }
  return { ok: files.every((f) => f.ok) && tests.every((t) => t.ok), files, tests };
}
