/**
 * Reads PyTorch checkpoints (`torch.save` ZIP format, torch ≥ 1.6) without PyTorch:
 * `<archive>/data.pkl` goes through the safe pickle reader (nothing is imported or called), its
 * `torch._utils._rebuild_tensor_v2(storage, offset, size, stride)` records become tensor views on
 * the storages in `<archive>/data/<key>`.
 *
 * - readTorchCheckpoint lists names, dtypes and shapes, reading only data.pkl (for inspect);
 * - readTorchStateDict also reads every tensor's values as float32, strides honoured, in the byte
 *   order `<archive>/byteorder` names (little-endian when absent, as torch writes it).
 */
import yauzl from 'yauzl';
import { PickleDict, PickleGlobal, PickleObject, PickleTuple, readPickle } from '../pickle/pickle';
import type { StateDictTensor } from '../../../src-shared/collections';
import { gatherStrided, REAL_DTYPES, STORAGE_DTYPES, storageToFloat32, stridedViewProblem } from './storage';

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    message: string,
    readonly fix: string,
    /** The tensor the problem is about, where there is one. */
    readonly tensor?: string,
  ) {
    super(message);
  }
}

class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: string,
    readonly itemSize: number,
    readonly numel: number,
  ) {}
}

class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}
}

export interface CheckpointContents {
  /** Tensors of the state_dict in file order. */
  tensors: StateDictTensor[];
  /** Where the state_dict was found: `''` (top level), `'model'` (RF-DETR) or `'state_dict'`. */
  container: string;
  /** Problems with storages (too small, missing). */
  problems: string[];
}

/** A state_dict tensor with its values. */
export interface TorchTensor extends StateDictTensor {
  /** The elements in row-major order of `shape`, as float32 (torch's `.float()` of the tensor). */
  values: Float32Array;
}

export interface TorchStateDict {
  /** Tensors in file order. */
  tensors: TorchTensor[];
  /** Where the state_dict was found: `''` (top level), `'model'` (RF-DETR) or `'state_dict'`. */
  container: string;
}

/** Largest total size of the storages readTorchStateDict reads into memory. */
export const MAX_STORAGE_BYTES = 2 * 1024 ** 3;

function nums(v: unknown): number[] {
  const items = v instanceof PickleTuple ? v.items : Array.isArray(v) ? v : [];
  return items.map((x) => Number(x));
}

/**
 * The sizes of every entry, and the bytes of the entries `want` selects, in one pass over the ZIP.
 * Refuses, before reading them, selected entries larger than `maxBytes` together.
 */
function readZip(
  buf: Buffer,
  want: (name: string) => boolean,
  maxBytes = MAX_STORAGE_BYTES,
): Promise<{ sizes: Map<string, number>; data: Map<string, Buffer> }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable ZIP'));
      const sizes = new Map<string, number>();
      const data = new Map<string, Buffer>();
      let total = 0;
      zip.on('entry', (e: yauzl.Entry) => {
        sizes.set(e.fileName, e.uncompressedSize);
        if (!want(e.fileName)) return zip.readEntry();
        total += e.uncompressedSize;
        if (total > maxBytes) {
          zip.close();
          return reject(
            new CheckpointError(
              `the checkpoint holds more than ${maxBytes} bytes of tensors, more than this reader loads`,
              'Check that the file is the model the metadata names; a HiTMicTools model is far smaller.',
            ),
          );
        }
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2 ?? new Error(`unreadable entry ${e.fileName}`));
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            data.set(e.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          s.on('error', reject);
        });
      });
      zip.on('end', () => resolve({ sizes, data }));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function checkZipMagic(buf: Buffer): void {
  if (buf.length >= 2 && buf[0] === 0x80 && buf[1] <= 5)
    throw new CheckpointError(
      'legacy PyTorch serialization (written by torch < 1.6 or with _use_new_zipfile_serialization=False)',
      'Re-save it in Python: torch.save(torch.load(path), path) with torch ≥ 1.6.',
    );
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
    throw new CheckpointError(
      'not a PyTorch checkpoint (neither a torch ZIP archive nor a pickle)',
      'Check the file: it may be truncated, a TorchScript/ONNX file with the wrong extension, or not a model.',
    );
  }
}

const PKL = /^([^/]+\/)?data\.pkl$/;
const DATA = /^([^/]+\/)?data\//;

interface Archive {
  sizes: Map<string, number>;
  data: Map<string, Buffer>;
  /** Entry-name prefix of the archive folder, e.g. `archive/`. */
  prefix: string;
  pickle: Buffer;
}

/** Opens the archive, reading data.pkl, byteorder and the entries `withData` selects. */
async function openArchive(buf: Buffer, withData: boolean): Promise<Archive> {
  checkZipMagic(buf);
  let zip: { sizes: Map<string, number>; data: Map<string, Buffer> };
  try {
    zip = await readZip(buf, (n) => PKL.test(n) || /(^|\/)byteorder$/.test(n) || (withData && DATA.test(n)));
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(
      `damaged PyTorch archive: ${(err as Error).message}`,
      'Copy or export the checkpoint again.',
    );
  }
  const pkl = [...zip.sizes.keys()].find((n) => PKL.test(n));
  if (!pkl)
    throw new CheckpointError(
      'PyTorch archive without data.pkl',
      'Re-save the state_dict with torch.save(model.state_dict(), path).',
    );
  return { ...zip, prefix: pkl.slice(0, -'data.pkl'.length), pickle: zip.data.get(pkl) as Buffer };
}

/** Parses data.pkl into the state_dict's name → TensorRef pairs. */
function parseStateDict(pickle: Buffer): { entries: [string, TensorRef][]; container: string } {
  let value: unknown;
  try {
    value = readPickle(pickle, {
      persistentLoad(pid) {
        // ('storage', storage_type, key, location, numel)
        const t = pid instanceof PickleTuple ? pid.items : [];
        const type = t[1];
        const name = type instanceof PickleGlobal ? type.name : 'UntypedStorage';
        const [dtype, size] = STORAGE_DTYPES[name] ?? [`unknown (${name})`, 1];
        return new StorageRef(String(t[2]), dtype, size, Number(t[4] ?? 0));
      },
      reduce(g, args) {
        if (
          g.qualified === 'torch._utils._rebuild_tensor_v2' ||
          g.qualified === 'torch._utils._rebuild_tensor'
        ) {
          const storage = args[0];
          if (!(storage instanceof StorageRef)) return undefined;
          return new TensorRef(storage, Number(args[1] ?? 0), nums(args[2]), nums(args[3]));
        }
        if (
          g.qualified === 'torch._utils._rebuild_parameter' ||
          g.qualified === 'torch._utils._rebuild_parameter_with_state'
        )
          return args[0];
        return undefined;
      },
    });
  } catch (err) {
    throw new CheckpointError(
      `cannot read data.pkl: ${(err as Error).message}`,
      'The checkpoint holds Python objects beyond a state_dict; save model.state_dict() instead of the whole model.',
    );
  }
  let container = '';
  let dict = value;
  if (dict instanceof PickleDict && !dict.entries.some(([, v]) => v instanceof TensorRef)) {
    for (const key of ['model', 'state_dict', 'model_state_dict']) {
      const inner = dict.get(key);
      if (inner instanceof PickleDict || inner instanceof PickleObject) {
        dict = inner;
        container = key;
        break;
      }
    }
  }
  if (!(dict instanceof PickleDict || dict instanceof PickleObject)) {
    throw new CheckpointError(
      'the checkpoint is not a state_dict (a mapping of parameter names to tensors)',
      'Save model.state_dict(), not the model object.',
    );
  }
  const entries: [string, TensorRef][] = [];
  for (const [k, v] of dict.entries) if (v instanceof TensorRef) entries.push([String(k), v]);
  return { entries, container };
}

/** Reads the tensors of a `.pth`/`.pt` file given its bytes. Throws CheckpointError with a fix. */
export async function readTorchCheckpoint(buf: Buffer): Promise<CheckpointContents> {
  const archive = await openArchive(buf, false);
  const { entries, container } = parseStateDict(archive.pickle);
  const tensors: StateDictTensor[] = [];
  const problems: string[] = [];
  for (const [k, v] of entries) {
    tensors.push({ name: k, dtype: v.storage.dtype, shape: v.shape });
    const needed =
      v.shape.reduce((a, s, i) => a + (s - 1) * (v.stride[i] ?? 0), v.offset + 1) * v.storage.itemSize;
    const have = archive.sizes.get(`${archive.prefix}data/${v.storage.key}`);
    if (have === undefined)
      problems.push(`tensor ${k}: storage data/${v.storage.key} is missing from the archive`);
    else if (v.shape.every((s) => s > 0) && have < needed)
      problems.push(
        `tensor ${k}: storage data/${v.storage.key} has ${have} bytes, the tensor needs ${needed}`,
      );
  }
  return { tensors, container, problems };
}

/**
 * Reads a `.pth`/`.pt` state_dict with every tensor's values (float32; see TorchTensor). Throws
 * CheckpointError naming the tensor for a missing or too small storage, a view outside its
 * storage, or an element type without real values (complex, unknown storages).
 */
export async function readTorchStateDict(buf: Buffer): Promise<TorchStateDict> {
  const archive = await openArchive(buf, true);
  const { entries, container } = parseStateDict(archive.pickle);
  const order = archive.data.get(`${archive.prefix}byteorder`)?.toString('latin1').trim() ?? 'little';
  if (order !== 'little' && order !== 'big')
    throw new CheckpointError(
      `unknown byte order '${order}' in ${archive.prefix}byteorder`,
      'Re-save the state_dict with torch.save on this machine.',
    );
  const decoded = new Map<string, Float32Array>();
  let elements = 0;
  const tensors: TorchTensor[] = [];
  for (const [name, t] of entries) {
    const s = t.storage;
    const fix = 'Copy or save the checkpoint again (torch.save(model.state_dict(), path)).';
    if (!REAL_DTYPES.has(s.dtype))
      throw new CheckpointError(
        `tensor ${name} has element type ${s.dtype}, which has no real values`,
        'Save the model with real (float32, float16 or float64) parameters.',
        name,
      );
    const bytes = archive.data.get(`${archive.prefix}data/${s.key}`);
    if (!bytes)
      throw new CheckpointError(
        `tensor ${name}: storage data/${s.key} is missing from the archive`,
        fix,
        name,
      );
    if (bytes.length < s.numel * s.itemSize)
      throw new CheckpointError(
        `tensor ${name}: storage data/${s.key} has ${bytes.length} bytes, its ${s.numel} ${s.dtype} elements need ${s.numel * s.itemSize}`,
        fix,
        name,
      );
    const problem = stridedViewProblem(s.numel, t.offset, t.shape, t.stride);
    if (problem)
      throw new CheckpointError(
        `tensor ${name} does not fit its storage data/${s.key}: ${problem}`,
        fix,
        name,
      );
    // An expanded view (stride 0) can name far more elements than its storage holds.
    elements += t.shape.reduce((a, d) => a * d, 1);
    if (elements > MAX_STORAGE_BYTES / 4)
      throw new CheckpointError(
        `tensor ${name} brings the state_dict past ${MAX_STORAGE_BYTES / 4} float32 values, more than this reader loads`,
        'Check that the file is the model the metadata names; a HiTMicTools model is far smaller.',
        name,
      );
    let storage = decoded.get(s.key);
    if (!storage) {
      storage = storageToFloat32(bytes, s.dtype, s.numel, order === 'little');
      decoded.set(s.key, storage);
    }
    tensors.push({
      name,
      dtype: s.dtype,
      shape: t.shape,
      values: gatherStrided(storage, t.offset, t.shape, t.stride),
    });
  }
  return { tensors, container };
}
