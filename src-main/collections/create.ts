/**
 * `hitmic collection create`: builds a collection ZIP in the HiTMicTools layout (config.yml,
 * models/, metadata/, config_tracker.yml — the standard names of reference §1.1) plus our
 * manifest.json (sha256 and size of every file, test tensors). All inputs are checked before
 * anything is written; the ZIP is written under a temporary name and renamed when complete; a
 * `<zip>.sha256` sidecar in `sha256sum` format is written the same way.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import yazl from 'yazl';
import { MODEL_KEY_TABLE } from '../../src-shared/collections';
import type { CollectionFile, CollectionManifest } from '../../src-shared/collections';
import { AtomicFile, writeFileAtomic } from '../io';
import { appVersion } from '../version';
import { readBundleConfig, type BundleSpec } from './bundle-config';
import { formatOf } from './conversion';
import { CollectionError } from './errors';
import { inspectCollection } from './inspect';
import { ZipSource } from './source';

export interface CreateOptions {
  /** Append `_YYYYMMDD` (local date) to the file name, as HiTMicTools does. Default true. */
  autoDate?: boolean;
  /** Replace an existing output. Default false. */
  force?: boolean;
  /** For tests: the clock. */
  now?: Date;
}

export interface CreateResult {
  output: string;
  sha256: string;
  size: number;
  manifest: CollectionManifest;
  warnings: string[];
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `my_bundle.zip` → `my_bundle_20251218.zip` (local date). */
export function datedName(output: string, now: Date): string {
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}`;
  return path.join(path.dirname(output), `${path.basename(output, '.zip')}_${stamp}.zip`);
}

interface Planned {
  name: string;
  data: Buffer;
}

/** Builds the list of files the ZIP will hold, in HiTMicTools' order; reads and checks every input. */
function plan(
  spec: BundleSpec,
  sourceName: string,
  now: Date,
): { files: Planned[]; tests: NonNullable<CollectionManifest['tests']> } {
  const files: Planned[] = [];
  const config: Record<string, unknown> = {
    _bundle_metadata: {
      creation_date: `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`,
      source_config: sourceName,
    },
  };
  const tests: NonNullable<CollectionManifest['tests']> = {};
  const seen = new Set<string>();
  for (const m of spec.models) {
    if (seen.has(m.key))
      throw new CollectionError(
        'BAD_INPUT',
        `Model ${m.key} is given twice in ${sourceName}; keep one section.`,
        { key: m.key },
      );
    seen.add(m.key);
    const format = formatOf(m.weights);
    if (format === 'unknown')
      throw new CollectionError(
        'BAD_INPUT',
        `${m.key}: ${m.weights} is not a known weights format (expected .onnx, .pth/.pt, .joblib/.pkl).`,
        { key: m.key, actual: m.weights },
      );
    if (format === 'pytorch' && !m.metadata)
      throw new CollectionError(
        'BAD_INPUT',
        `${m.key}: PyTorch weights need a metadata JSON with model_args (the architecture); add metadata_path/model_metadata.`,
        { key: m.key },
      );
    const ext = path.extname(m.weights).toLowerCase();
    const base = MODEL_KEY_TABLE[m.key].standardFileBase;
    const weightsName = `models/${base}${ext}`;
    const metaName = `metadata/${base}.json`;
    let meta: Record<string, unknown> = {};
    if (m.metadata) {
      try {
        const parsed = JSON.parse(fs.readFileSync(m.metadata, 'utf8')) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('expected a JSON object');
        meta = parsed as Record<string, unknown>;
      } catch (err) {
        throw new CollectionError(
          'BAD_INPUT',
          `${m.key}: metadata ${m.metadata} is not a JSON object (${(err as Error).message}). Fix the file.`,
          { key: m.key, path: m.metadata },
        );
      }
    }
    meta.original_name = path.basename(m.weights);
    files.push({ name: weightsName, data: fs.readFileSync(m.weights) });
    files.push({ name: metaName, data: Buffer.from(`${JSON.stringify(meta, null, 2)}\n`) });
    const section: Record<string, unknown> = { model_path: weightsName, model_metadata: metaName };
    if (m.infererArgs) section.inferer_args = m.infererArgs;
    if (m.modelArgs) section.model_args = m.modelArgs;
    config[m.key] = section;
    if (m.testInput || m.testOutput) {
      if (!m.testInput || !m.testOutput)
        throw new CollectionError(
          'BAD_INPUT',
          `${m.key}: give both test_input and test_output (.npy), or neither.`,
          { key: m.key },
        );
      if (format !== 'onnx' && !(format === 'pytorch' && !MODEL_KEY_TABLE[m.key].detector))
        throw new CollectionError(
          'BAD_INPUT',
          `${m.key}: test tensors need ONNX or convertible PyTorch weights (HiTMic Studio re-runs them); leave test_input/test_output out for this model.`,
          { key: m.key },
        );
      const t = { input: `tests/${m.key}_input.npy`, output: `tests/${m.key}_output.npy` };
      files.push(
        { name: t.input, data: fs.readFileSync(m.testInput) },
        { name: t.output, data: fs.readFileSync(m.testOutput) },
      );
      tests[m.key] = t;
    }
  }
  if (spec.tracker) files.push({ name: 'config_tracker.yml', data: fs.readFileSync(spec.tracker) });
  files.unshift({ name: 'config.yml', data: Buffer.from(toYaml(config, { sortMapEntries: false })) });
  return { files, tests };
}

/** Creates the collection; returns where it went and its sha256. Throws CollectionError. */
/**
 * What `collection inspect` would call an error (a state_dict that does not match its model_args,
 * missing inferer_args, class names that do not fit the classifier, …) stops `create` before the
 * ZIP appears: a collection is never written that its own inspect rejects.
 */
async function refuseBrokenModels(partialZip: string, out: string): Promise<void> {
  const src = await ZipSource.open(partialZip);
  try {
    const report = await inspectCollection(src);
    const errors = [
      ...report.problems,
      ...report.models.flatMap((m) =>
        m.problems.map((p) => ({
          ...p,
          message: p.message.startsWith(m.key) ? p.message : `${m.key}: ${p.message}`,
        })),
      ),
    ].filter((p) => p.severity === 'error');
    if (errors.length)
      throw new CollectionError(
        'BAD_INPUT',
        `${out} was not written: the collection would have ${errors.length} error(s); first: ${errors[0].message}. ${errors[0].fix ?? ''}`,
        { path: out, key: errors[0].path },
      );
  } finally {
    await src.close();
  }
}

export async function createCollection(
  bundleConfig: string,
  output: string,
  cwd: string,
  options: CreateOptions = {},
): Promise<CreateResult> {
  const now = options.now ?? new Date();
  const requested = path.resolve(cwd, output);
  if (path.extname(requested) !== '.zip')
    throw new CollectionError(
      'BAD_OUTPUT',
      `Output path must have .zip extension, got: '${path.extname(requested) || '(none)'}' (${requested}).`,
      { path: requested, expected: '.zip', actual: path.extname(requested) },
    );
  const out = options.autoDate === false ? requested : datedName(requested, now);
  if (fs.existsSync(out) && !options.force)
    throw new CollectionError(
      'OUTPUT_EXISTS',
      `${out} already exists; use --force to replace it or choose another name.`,
      { path: out },
    );
  const spec = readBundleConfig(bundleConfig, cwd);
  const { files, tests } = plan(spec, path.basename(bundleConfig), now);
  const listed: CollectionFile[] = files.map((f) => ({
    path: f.name,
    size: f.data.length,
    sha256: crypto.createHash('sha256').update(f.data).digest('hex'),
  }));
  const manifest: CollectionManifest = {
    schema_version: 1,
    name: spec.name ?? path.basename(out, '.zip'),
    version: spec.version ?? '1.0',
    ...(spec.description ? { description: spec.description } : {}),
    created: now.toISOString(),
    app_version: appVersion(),
    files: listed,
    ...(Object.keys(tests).length ? { tests } : {}),
  };
  files.push({ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) });

  await fs.promises.mkdir(path.dirname(out), { recursive: true });
  // The ZIP appears complete or not at all; its checksum sidecar only after it.
  const file = await AtomicFile.create(out);
  try {
    const zip = new yazl.ZipFile();
    for (const f of files) zip.addBuffer(f.data, f.name, { mtime: now, mode: 0o100644 });
    zip.end();
    const hash = crypto.createHash('sha256');
    let size = 0;
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
      await file.handle.write(chunk);
    }
    await file.close();
    await refuseBrokenModels(file.partialPath, out);
    file.publish();
    const sha256 = hash.digest('hex');
    writeFileAtomic(`${out}.sha256`, `${sha256}  ${path.basename(out)}\n`);
    return { output: out, sha256, size, manifest, warnings: spec.warnings };
  } catch (err) {
    await file.abort();
    throw err;
  }
}
