/**
 * joblib files (`joblib.dump`) and plain pickles (`pickle.dump`) of numpy-bearing Python objects,
 * read safely: only an explicit allow-list of globals may appear (numpy arrays/dtypes/scalars,
 * joblib's array wrapper, the builtins in builtins.ts, and what the caller adds, e.g. the
 * scikit-learn classes it can evaluate); any other global stops the read at its opcode with its
 * `module.name`. Nothing is imported, called or executed.
 *
 * joblib's format: an ordinary pickle in which each numpy array is replaced by a
 * `joblib.numpy_pickle.NumpyArrayWrapper` record (subclass, shape, order, dtype, allow_mmap,
 * numpy_array_alignment_bytes); right after that record's BUILD opcode the stream holds the array:
 * for plain dtypes one padding-length byte, that many padding bytes (joblib ≥ 1.2 aligns to 16;
 * older files have no padding field and no padding) and the raw bytes in the wrapper's order; for
 * object dtypes a whole nested pickle of the array. The file may be compressed as a whole: zlib
 * (`compress=3`, `('zlib', n)`) and gzip are read; bz2, lzma/xz and lz4 are recognised and refused.
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { BUILTIN_GLOBALS, builtinReduce } from './builtins';
import { NpArray, NpDType, NUMPY_GLOBALS, numpyBuild, numpyReduce } from './numpy';
import { readPickle, type PickleHooks, type PickleStream } from './pickle';
import { PickleError, PickleGlobal, PickleObject, PickleTuple } from './values';

export const JOBLIB_GLOBALS: readonly string[] = ['joblib.numpy_pickle.NumpyArrayWrapper'];

/** Every global the reader interprets itself; callers add theirs (`JoblibReadOptions.allow`). */
export const BASE_GLOBALS: ReadonlySet<string> = new Set([
  ...NUMPY_GLOBALS,
  ...JOBLIB_GLOBALS,
  ...BUILTIN_GLOBALS,
]);

export type JoblibCompression = 'none' | 'zlib' | 'gzip' | 'bz2' | 'lzma' | 'xz' | 'lz4' | 'joblib-0.9';

export interface JoblibReadOptions {
  /** Globals (`module.name`) allowed besides BASE_GLOBALS: they are kept as records, never called. */
  allow?: Iterable<string>;
  /** The most bytes a compressed file may inflate to (default 1 GiB): a bomb stops there. */
  maxInflatedBytes?: number;
}

const PREFIXES: [JoblibCompression, number[]][] = [
  ['joblib-0.9', [0x5a, 0x46]], // 'ZF'
  ['zlib', [0x78]],
  ['gzip', [0x1f, 0x8b]],
  ['bz2', [0x42, 0x5a]], // 'BZ'
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a]],
  ['lzma', [0x5d, 0x00]],
  ['lz4', [0x04, 0x22, 0x4d, 0x18]],
];

/** The compression of a joblib file, from its first bytes (joblib's own magic numbers). */
export function joblibCompression(bytes: Uint8Array): JoblibCompression {
  for (const [name, prefix] of PREFIXES) if (prefix.every((b, i) => bytes[i] === b)) return name;
  return 'none';
}

const RESAVE =
  "Re-save it in Python with joblib.dump(model, path) or joblib.dump(model, path, compress=('zlib', 3)).";

/** The pickle bytes of a joblib file: inflated when zlib/gzip-compressed, refused for other compressors. */
export function joblibPickleBytes(bytes: Uint8Array, maxInflatedBytes = 2 ** 30): Uint8Array {
  const kind = joblibCompression(bytes);
  if (kind === 'none') return bytes;
  if (kind === 'zlib' || kind === 'gzip') {
    try {
      const opts = { maxOutputLength: maxInflatedBytes };
      return kind === 'zlib' ? inflateSync(bytes, opts) : gunzipSync(bytes, opts);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const tooBig = e.code === 'ERR_BUFFER_TOO_LARGE';
      throw new PickleError(
        tooBig
          ? `${kind}-compressed joblib file inflates beyond ${maxInflatedBytes} bytes`
          : `${kind}-compressed joblib file is corrupt (${e.message})`,
        0,
        { fix: tooBig ? 'A model file this large is not a PI classifier; check the file.' : RESAVE },
      );
    }
  }
  if (kind === 'joblib-0.9')
    throw new PickleError('joblib file written by joblib < 0.10 (compressed "ZF" format)', 0, {
      fix: RESAVE,
    });
  throw new PickleError(`${kind}-compressed joblib file: only zlib and gzip compression are read`, 0, {
    fix: RESAVE,
  });
}

/** Reads a joblib file or a plain pickle (see the module comment). Throws PickleError. */
export function readJoblib(bytes: Uint8Array, options: JoblibReadOptions = {}): unknown {
  const allowed = new Set([...BASE_GLOBALS, ...(options.allow ?? [])]);
  const hooks: PickleHooks = {
    allowGlobal: (module, name) => allowed.has(`${module}.${name}`),
    reduce: (g, args) => numpyReduce(g, args) ?? builtinReduce(g, args),
    build(obj, state, stream) {
      if (numpyBuild(obj, state)) return obj;
      if (obj instanceof PickleObject && obj.global.qualified === JOBLIB_GLOBALS[0]) {
        obj.state = state;
        return readWrappedArray(obj, stream);
      }
      return undefined;
    },
    persistentLoad: (pid) => {
      throw new PickleError(`persistent id ${String(pid)} in a joblib file`, -1, {
        fix: 'This is not a joblib/pickle model file (persistent ids come from torch.save and similar).',
      });
    },
  };
  return readPickle(joblibPickleBytes(bytes, options.maxInflatedBytes), hooks);
}

/** The array a NumpyArrayWrapper stands for, read from the bytes after its BUILD opcode. */
function readWrappedArray(wrapper: PickleObject, stream: PickleStream): NpArray {
  const st = wrapper.state as { get?(k: string): unknown; has?(k: string): boolean } | undefined;
  const field = (k: string): unknown => st?.get?.(k);
  const dtype = field('dtype');
  const subclass = field('subclass');
  const order = field('order');
  if (!(dtype instanceof NpDType))
    throw new PickleError(`joblib array wrapper without a dtype at byte ${stream.offset}`, stream.offset);
  if (!(subclass instanceof PickleGlobal) || subclass.qualified !== 'numpy.ndarray')
    throw new PickleError(
      `joblib array of subclass ${subclass instanceof PickleGlobal ? subclass.qualified : String(subclass)} is not supported`,
      stream.offset,
    );
  const shapeValue = field('shape');
  const array = new NpArray();
  const shape = shapeValue instanceof PickleTuple ? shapeValue.items : [];
  array.set(
    dtype,
    shape.map((d) => Number(d)),
    order === 'F',
  );
  if (!array.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new PickleError(`joblib array with shape [${shape.map(String).join(', ')}]`, stream.offset);
  if (dtype.kind === 'O') {
    const nested = stream.readNested();
    if (!(nested instanceof NpArray) || !nested.objects)
      throw new PickleError(`joblib object array not followed by its pickled values`, stream.offset);
    return nested;
  }
  // joblib ≥ 1.2 writes the padding length byte; files from older joblib have no such field.
  const alignment = field('numpy_array_alignment_bytes');
  if (alignment !== undefined && alignment !== null) {
    const pad = stream.take(1)[0];
    stream.take(pad);
  }
  const n = array.size * dtype.itemsize;
  array.setBytes(stream.take(n).slice());
  return array;
}
