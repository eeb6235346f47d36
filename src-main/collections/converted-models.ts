/**
 * PyTorch models as HiTMic Studio runs them: converted to ONNX once (src-main/convert) and kept in
 * the library's `.converted/` folder, one file per conversion, named by what it was made from — the
 * checkpoint's sha256, the architecture and its `model_args`, the crop size the classifier is fixed
 * to, and the converter's version. A changed checkpoint, metadata or converter makes a new file; the
 * same weights in two collections share one.
 *
 * Why one cache per library and not a file beside each `.pth`: collections in the library are
 * checksummed snapshots (manifest.json), and individual models may sit in a lab's read-only share;
 * neither is written into. The cache is content-addressed, so it is never stale, only unused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { MODEL_KEY_TABLE, type ModelKey } from '../../src-shared/collections';
import { CONVERTER_VERSION, convertTorchModel, ConversionError } from '../convert';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { appVersion } from '../version';

/** What run.json, inspect and the cards say about a converted model. */
export interface ConversionFacts {
  /** The checkpoint it was made from, as given. */
  from: string;
  from_sha256: string;
  architecture: string;
  converter: string;
  converter_version: string;
  /** The ONNX file that runs (in the cache), and its sha256. */
  onnx: string;
  onnx_sha256: string;
  /** Classifier only: the crop side the input is fixed to (the config's min_size). */
  crop_size: number | null;
  /** True when the file was already in the cache. */
  cached: boolean;
  warnings: string[];
}

export interface ConvertRequest {
  key: ModelKey;
  /** The `.pth` file (its name is used in messages and provenance). */
  checkpointFile: string;
  checkpoint: Uint8Array;
  /** The model's metadata JSON (model_type, model_args). */
  metadata: Record<string, unknown> | null;
  /** The config's model_args (cell_classifier: min_size fixes the crop size). */
  configModelArgs?: Record<string, unknown> | null;
}

/** The cache folder of a library. */
export function convertedModelsDir(libraryDir: string): string {
  return path.join(libraryDir, '.converted');
}

/** What the converter is called in provenance and on the cards. */
export function converterName(): string {
  return `HiTMic Studio ${appVersion()}`;
}

/** Keys sorted at every level, so equal metadata gives one cache name whatever the JSON order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The architecture and args a conversion needs, or a ConversionError saying what the metadata lacks. */
function conversionInput(req: ConvertRequest): {
  architecture: string;
  modelArgs: Record<string, unknown>;
  cropSize: number | null;
} {
  const meta = req.metadata;
  // HiTMicTools builds each key's network by name; model_type only says it again.
  const architecture =
    typeof meta?.model_type === 'string' ? meta.model_type : MODEL_KEY_TABLE[req.key].architecture;
  const modelArgs = meta?.model_args;
  if (!modelArgs || typeof modelArgs !== 'object' || Array.isArray(modelArgs))
    throw new ConversionError(
      `${req.key} has ${meta ? 'metadata without a model_args object' : 'no metadata JSON'}, so the network cannot be rebuilt from its state_dict (HiTMicTools fails the same way: KeyError 'model_args')`,
      {
        file: req.checkpointFile,
        architecture,
        fix: 'Give the model a metadata JSON with "model_type" (e.g. "NAFNet") and "model_args" (the constructor arguments), as HiTMicTools needs too.',
      },
    );
  const minSize = req.configModelArgs?.min_size;
  const cropSize = req.key === 'cell_classifier' && typeof minSize === 'number' ? minSize : null;
  return { architecture, modelArgs: modelArgs as Record<string, unknown>, cropSize };
}

/** Converts in memory, writing nothing: what `collection inspect` uses to say whether a model runs. */
export async function convertInMemory(
  req: ConvertRequest,
): Promise<{ onnx: Uint8Array; warnings: string[] }> {
  const input = conversionInput(req);
  const r = await convertTorchModel({
    checkpoint: req.checkpoint,
    architecture: input.architecture,
    modelArgs: input.modelArgs,
    key: req.key,
    file: req.checkpointFile,
    ...(input.cropSize !== null ? { cropSize: input.cropSize } : {}),
  });
  return { onnx: r.onnx, warnings: r.warnings };
}

/**
 * The ONNX file of a PyTorch model: from the cache when this exact conversion was made before,
 * else converted now and written there atomically (two processes converting at once write the same
 * bytes; the last rename wins harmlessly). Throws ConversionError with the tensor and the fix.
 */
export async function convertedModel(req: ConvertRequest, cacheDir: string): Promise<ConversionFacts> {
  const input = conversionInput(req);
  const fromSha = sha256(req.checkpoint);
  const key = sha256(
    Buffer.from(
      JSON.stringify({
        converter: CONVERTER_VERSION,
        weights: fromSha,
        architecture: input.architecture.toLowerCase(),
        model_args: canonical(input.modelArgs),
        crop_size: input.cropSize,
      }),
    ),
  );
  const onnxFile = path.join(cacheDir, `${key}.onnx`);
  const factsFile = path.join(cacheDir, `${key}.json`);
  const base = {
    from: req.checkpointFile,
    from_sha256: fromSha,
    architecture: input.architecture,
    converter: converterName(),
    converter_version: CONVERTER_VERSION,
    onnx: onnxFile,
    crop_size: input.cropSize,
  };
  const cachedBytes = readIfPresent(onnxFile);
  if (cachedBytes) {
    const recorded = readFacts(factsFile);
    return { ...base, onnx_sha256: sha256(cachedBytes), cached: true, warnings: recorded?.warnings ?? [] };
  }
  const made = await convertInMemory(req);
  fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  const facts: ConversionFacts = {
    ...base,
    onnx_sha256: sha256(made.onnx),
    cached: false,
    warnings: made.warnings,
  };
  writeJsonAtomic(factsFile, { ...facts, created_at: new Date().toISOString() });
  writeFileAtomic(onnxFile, made.onnx);
  return facts;
}

function readIfPresent(file: string): Buffer | null {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

function readFacts(file: string): Partial<ConversionFacts> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ConversionFacts>;
  } catch {
    return null;
  }
}

/** A conversion failure in a message that keeps the reason whole (what, which tensor, the fix). */
export function conversionFailure(key: ModelKey, err: unknown): string {
  return `${key} cannot be converted from PyTorch: ${err instanceof Error ? err.message : String(err)}`;
}
