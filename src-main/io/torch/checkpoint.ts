/**
 * Lists the tensors of a PyTorch checkpoint (`torch.save` ZIP format, torch ≥ 1.6) without
 * PyTorch: reads `<archive>/data.pkl` with the safe pickle reader, turns
 * `torch._utils._rebuild_tensor_v2` records into name/dtype/shape, and checks each tensor's
 * storage file is large enough. Tensor data is never read.
 */
import yauzl from 'yauzl';
import { PickleDict, PickleGlobal, PickleObject, PickleTuple, readPickle } from '../pickle/pickle';
import type { StateDictTensor } from '../../../src-shared/collections';

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const STORAGE_DTYPES: Record<string, [string, number]> = {
  FloatStorage: ['float32', 4],
  DoubleStorage: ['float64', 8],
  HalfStorage: ['float16', 2],
  BFloat16Storage: ['bfloat16', 2],
  LongStorage: ['int64', 8],
  IntStorage: ['int32', 4],
  ShortStorage: ['int16', 2],
  CharStorage: ['int8', 1],
  ByteStorage: ['uint8', 1],
  BoolStorage: ['bool', 1],
  ComplexFloatStorage: ['complex64', 8],
  ComplexDoubleStorage: ['complex128', 16],
};

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

function nums(v: unknown): number[] {
  const items = v instanceof PickleTuple ? v.items : Array.isArray(v) ? v : [];
  return items.map((x) => Number(x));
}

function listEntries(buf: Buffer): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable ZIP'));
      const sizes = new Map<string, number>();
      zip.on('entry', (e: yauzl.Entry) => {
        sizes.set(e.fileName, e.uncompressedSize);
        zip.readEntry();
      });
      zip.on('end', () => resolve(sizes));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function readEntry(buf: Buffer, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('unreadable ZIP'));
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName !== name) return zip.readEntry();
        zip.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2 ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            zip.close();
            resolve(Buffer.concat(chunks));
          });
          s.on('error', reject);
        });
      });
      zip.on('end', () => reject(new Error(`${name} not found`)));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Reads the tensors of a `.pth`/`.pt` file given its bytes. Throws CheckpointError with a fix. */
export async function readTorchCheckpoint(buf: Buffer): Promise<CheckpointContents> {
  if (buf.length >= 2 && buf[0] === 0x80 && buf[1] <= 5) {
    throw new CheckpointError(
      'legacy PyTorch serialization (written by torch < 1.6 or with _use_new_zipfile_serialization=False)',
      'Re-save it in Python: torch.save(torch.load(path), path) with torch ≥ 1.6.',
    );
  }
  if (buf.length < 4 || buf.readUInt32LE(0) !== 0x04034b50) {
    throw new CheckpointError(
      'not a PyTorch checkpoint (neither a torch ZIP archive nor a pickle)',
      'Check the file: it may be truncated, a TorchScript/ONNX file with the wrong extension, or not a model.',
    );
  }
  let sizes: Map<string, number>;
  try {
    sizes = await listEntries(buf);
  } catch (err) {
    throw new CheckpointError(
      `damaged PyTorch archive: ${(err as Error).message}`,
      'Copy or export the checkpoint again.',
    );
  }
  const pkl = [...sizes.keys()].find((n) => n === 'data.pkl' || /^[^/]+\/data\.pkl$/.test(n));
  if (!pkl)
    throw new CheckpointError(
      'PyTorch archive without data.pkl',
      'Re-save the state_dict with torch.save(model.state_dict(), path).',
    );
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const pickle = await readEntry(buf, pkl);
  let value: unknown;
  try {
    value = readPickle(pickle, {
      persistentLoad(pid) {
        const t = pid instanceof PickleTuple ? pid.items : [];
        const type = t[1];
        const name = type instanceof PickleGlobal ? type.name : 'UntypedStorage';
        const [dtype, size] = STORAGE_DTYPES[name] ?? ['uint8', 1];
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
  const tensors: StateDictTensor[] = [];
  const problems: string[] = [];
  for (const [k, v] of dict.entries) {
    if (!(v instanceof TensorRef)) continue;
    tensors.push({ name: String(k), dtype: v.storage.dtype, shape: v.shape });
    const needed =
      v.shape.reduce((a, s, i) => a + (s - 1) * (v.stride[i] ?? 0), v.offset + 1) * v.storage.itemSize;
    const have = sizes.get(`${prefix}data/${v.storage.key}`);
    if (have === undefined)
      problems.push(`tensor ${String(k)}: storage data/${v.storage.key} is missing from the archive`);
    else if (v.shape.every((s) => s > 0) && have < needed)
      problems.push(
        `tensor ${String(k)}: storage data/${v.storage.key} has ${have} bytes, the tensor needs ${needed}`,
      );
  }
  return { tensors, container, problems };
}
