import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  choosePrecision,
  float32ToHalf,
  halfToFloat32,
  ModelLoadError,
  ModelOutputError,
  ownFp16File,
} from '../../inference';
import type { ModelPrecision, ModelRunner, OutputData, OutputTensor, TensorSpec } from '../../inference';
import { OnnxFormatError, readOnnxMetadata } from '../../io';
import { checkRequest } from './feeds';
import { fp16Source, fp32Source, type Fp16Source, type ModelSource } from './model-source';
import { PathCache, sessionKey, sessionKeys } from './path-cache';
import { providerOrder, type ProviderName } from './providers';

/**
 * onnxruntime-node session host: one InferenceSession per model file, cached for the life of the
 * process (a worker), wrapped as the pure `ModelRunner` interface of src-main/inference/.
 * `run()` blocks the event loop of this process (onnxruntime #26968): host it in a worker process only.
 */

export interface SessionOptions {
  /** Name used in errors; default the file name. */
  key?: string;
  /** intra-op threads; default the CPU count. */
  threads?: number;
  /** false sets session.intra_op.allow_spinning = '0' (less idle CPU burn on a shared machine). */
  allowSpinning?: boolean;
  /** 'auto' tries the platform's GPU provider first, 'cpu' uses CPU only. Default 'auto'. */
  prefer?: 'auto' | 'cpu';
  /** Explicit provider order (overrides prefer); CPU is appended when missing. */
  providers?: ProviderName[];
  /** CUDA device id; default 0. */
  deviceId?: number;
  /** Called with every warning (e.g. provider fallback); default console.warn. */
  onWarning?: (message: string) => void;
  /** Apply the exact graph rewrites of inference/onnx-rewrite.ts before loading; default true. */
  rewrite?: boolean;
  /**
   * `inferer_args.half_precision`: on a GPU provider, run the model's fp16 graph (the collection's
   * `<model>.fp16.onnx`, else one made from the fp32 graph); on the CPU provider run fp32 and say why.
   */
  halfPrecision?: boolean;
  /**
   * With halfPrecision, run the fp16 graph on the CPU provider too. For the parity tests and the
   * precision benchmark only: onnxruntime casts back to fp32 around CPU kernels without fp16.
   */
  halfPrecisionOnCpu?: boolean;
}

/** A loaded model: the runner plus how it was created. */
export interface HostedModel {
  runner: ModelRunner;
  file: string;
  provider: ProviderName;
  /** Warnings raised while creating the session (provider fallbacks). */
  warnings: string[];
  /** Exact graph rewrites applied before loading (see inference/onnx-rewrite.ts). */
  rewrites: string[];
  /** The precision asked for and the one the session runs, with the reason (half_precision). */
  precision: ModelPrecision;
  session: ort.InferenceSession;
}

// onnxruntime prints a GPU provider that cannot load as an error line on stderr, although the
// fallback is handled here (and said once, with its cause and a fix, by the job). Its own log
// stays off unless asked for: HITMIC_ORT_LOG=warning (or verbose, info, error).
const ORT_LOG_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
const wantedLog = process.env.HITMIC_ORT_LOG as (typeof ORT_LOG_LEVELS)[number] | undefined;
ort.env.logLevel = wantedLog && ORT_LOG_LEVELS.includes(wantedLog) ? wantedLog : 'fatal';

const cache = new PathCache<HostedModel>((m) => m.session.release());

function epConfig(p: ProviderName, deviceId: number): ort.InferenceSession.ExecutionProviderConfig {
  if (p === 'cuda') return { name: 'cuda', deviceId };
  if (p === 'dml') return { name: 'dml', deviceId };
  return p;
}

function specOf(m: ort.InferenceSession.ValueMetadata): TensorSpec {
  return m.isTensor
    ? { name: m.name, isTensor: true, type: m.type, shape: m.shape }
    : { name: m.name, isTensor: false, type: '', shape: [] };
}

function readMetadata(file: string): Record<string, string> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) throw new OnnxFormatError(file, 'the file is empty');
    return readOnnxMetadata(
      (pos, len) => {
        const buf = Buffer.alloc(Math.min(len, size - pos));
        fs.readSync(fd, buf, 0, buf.length, pos);
        return buf;
      },
      size,
      file,
    );
  } finally {
    fs.closeSync(fd);
  }
}

async function createSession(file: string, opts: SessionOptions): Promise<HostedModel> {
  const key = opts.key ?? path.basename(file);
  if (!fs.existsSync(file)) {
    throw new ModelLoadError(
      file,
      'the file does not exist. Check the collection was extracted completely and the config path is right.',
    );
  }
  let metadata: Record<string, string>;
  try {
    metadata = readMetadata(file);
  } catch (e) {
    if (e instanceof OnnxFormatError) throw new ModelLoadError(file, e.message);
    throw e;
  }
  const warn = opts.onWarning ?? ((m: string) => console.warn(m));
  const warnings: string[] = [];
  const order = opts.providers ? [...opts.providers] : providerOrder(opts.prefer ?? 'auto');
  if (!order.includes('cpu')) order.push('cpu');
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: opts.threads ?? os.cpus().length,
    ...(opts.allowSpinning === false ? { extra: { session: { intra_op: { allow_spinning: '0' } } } } : {}),
  };
  const rewrite = opts.rewrite !== false;
  let fp32: ModelSource | undefined;
  let fp16: Fp16Source | undefined;
  let lastError = '';
  for (const p of order) {
    try {
      const sessionOptions: ort.InferenceSession.SessionOptions = {
        ...base,
        executionProviders: [epConfig(p, opts.deviceId ?? 0)],
        // A GPU provider that cannot load is handled here (a fallback with its cause): keep
        // onnxruntime from also printing it as an error on stderr.
        ...(p !== 'cpu' ? { logSeverityLevel: 4 as const } : {}),
      };
      const choice = choosePrecision({
        halfPrecision: opts.halfPrecision === true,
        provider: p,
        hasOwnFp16: fs.existsSync(ownFp16File(file)),
        onCpu: opts.halfPrecisionOnCpu,
      });
      let precision = choice.precision === 'fp32' ? choice.outcome : undefined;
      if (choice.precision === 'fp16') {
        fp16 ??= fp16Source(file, key, rewrite, choice.source);
        if ('refused' in fp16) precision = fp16.refused;
        else {
          try {
            const session = await createFrom(fp16.source, sessionOptions);
            const runner = wrapSession(session, key, p, metadata);
            return {
              runner,
              file,
              provider: p,
              warnings,
              session,
              rewrites: fp16.rewrites,
              precision: fp16.precision,
            };
          } catch (e) {
            // The provider may still run the fp32 graph: the fp16 one is what failed.
            const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
            precision = {
              requested: 'fp16',
              used: 'fp32',
              why: `the ${p} provider could not create the fp16 session (${why}); it runs fp32`,
            };
          }
        }
      }
      fp32 ??= fp32Source(file, rewrite);
      const session = await createFrom(fp32.source, sessionOptions);
      const runner = wrapSession(session, key, p, metadata);
      return { runner, file, provider: p, warnings, session, rewrites: fp32.rewrites, precision: precision! };
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
      if (p !== 'cpu') {
        const msg = `model '${key}': execution provider '${p}' could not be used (${lastError.split('\n')[0]}); falling back to the next provider. Inference on CPU is much slower.`;
        warnings.push(msg);
        warn(msg);
      }
    }
  }
  throw new ModelLoadError(file, `onnxruntime could not create a session: ${lastError}`);
}

function createFrom(
  source: string | Uint8Array,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  return typeof source === 'string'
    ? ort.InferenceSession.create(source, options)
    : ort.InferenceSession.create(source, options);
}

/**
 * The cached session for a model file (keyed by its absolute path and half precision), created on
 * first use. Options of later calls for the same file are ignored; release it first to change them.
 */
export function loadModel(file: string, opts: SessionOptions = {}): Promise<HostedModel> {
  return cache.get(sessionKey(file, opts), () => createSession(path.resolve(file), opts));
}

/** Releases the cached sessions of one model file, fp32 and fp16 (no-op when none). */
export async function release(file: string): Promise<void> {
  await Promise.all(sessionKeys(file).map((k) => cache.release(k)));
}

export function releaseAll(): Promise<void> {
  return cache.releaseAll();
}

export function cachedModels(): string[] {
  return cache.keys();
}

function toOutput(key: string, name: string, t: ort.Tensor): OutputTensor {
  const data = t.data;
  if (t.type === 'float16' && data instanceof Uint16Array)
    return { data: halfToFloat32(data), dims: t.dims, type: t.type };
  if (
    data instanceof Float32Array ||
    data instanceof Float64Array ||
    data instanceof BigInt64Array ||
    data instanceof Int32Array ||
    data instanceof Uint8Array ||
    data instanceof Int8Array
  ) {
    return { data: data as OutputData, dims: t.dims, type: t.type };
  }
  throw new ModelOutputError(
    key,
    name,
    'a numeric tensor',
    `a ${t.type} tensor`,
    'Export the model with numeric outputs.',
  );
}

function wrapSession(
  session: ort.InferenceSession,
  key: string,
  provider: ProviderName,
  metadata: Record<string, string>,
): ModelRunner {
  const inputs = session.inputMetadata.map(specOf);
  const outputs = session.outputMetadata.map(specOf);
  return {
    key,
    inputs,
    outputs,
    provider,
    metadata,
    async run(feeds, outputNames) {
      const fetch = checkRequest(key, inputs, outputs, feeds, outputNames);
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const spec of inputs) {
        const feed = feeds[spec.name];
        // Feeds are float32, or float64 where the caller computes in float64 (PI feature tables).
        const f32 = (): Float32Array =>
          feed.data instanceof Float32Array ? feed.data : Float32Array.from(feed.data);
        ortFeeds[spec.name] =
          spec.type === 'float16'
            ? new ort.Tensor('float16', float32ToHalf(f32()), feed.dims)
            : spec.type === 'float64'
              ? new ort.Tensor(
                  'float64',
                  feed.data instanceof Float64Array ? feed.data : Float64Array.from(feed.data),
                  feed.dims,
                )
              : new ort.Tensor('float32', f32(), feed.dims);
      }
      const res = await session.run(ortFeeds, fetch);
      const out: Record<string, OutputTensor> = {};
      for (const name of fetch) out[name] = toOutput(key, name, res[name] as ort.Tensor);
      return out;
    },
  };
}
