/**
 * NumPy arrays, dtypes and scalars as pickles carry them, rebuilt without numpy and without calling
 * anything: `numpy.dtype('f8', False, True)` + BUILD state, `_reconstruct(ndarray, (0,), b'b')` +
 * BUILD `(version, shape, dtype, is_fortran, raw bytes | object list)`, protocol 5's
 * `_frombuffer(buffer, dtype, shape, order)`, and `scalar(dtype, bytes)`. numpy 1.x writes these from
 * `numpy.core.*`, numpy 2.x from `numpy._core.*`; both are recognised.
 */
import { latin1Text } from './text';
import { PickleError, PickleGlobal, PickleTuple } from './values';

export type NpKind = 'f' | 'i' | 'u' | 'b' | 'O' | 'U' | 'S' | 'V';

export interface NpField {
  name: string;
  dtype: NpDType;
  offset: number;
}

/** A numpy dtype: kind, item size in bytes, byte order and, for records, its fields. */
export class NpDType {
  kind: NpKind;
  itemsize: number;
  littleEndian = true;
  fields: NpField[] | null = null;

  constructor(readonly spec: string) {
    const m = /^([<>|=]?)([fiubOUSV])(\d*)$/.exec(spec);
    if (!m) throw new PickleError(`unsupported numpy dtype '${spec}'`, -1);
    this.kind = m[2] as NpKind;
    this.littleEndian = m[1] !== '>';
    this.itemsize = m[3] ? Number(m[3]) : this.kind === 'O' ? 8 : this.kind === 'b' ? 1 : 0;
  }

  /** numpy's `__setstate__`: (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata]). */
  setState(state: unknown): void {
    const s = state instanceof PickleTuple ? state.items : [];
    if (s.length < 8) throw new PickleError(`numpy dtype '${this.spec}' with an unreadable state`, -1);
    const [, order, subarray, names, fields, elsize] = s;
    if (order === '>') this.littleEndian = false;
    else if (order === '<' || order === '=') this.littleEndian = true;
    if (subarray !== null) throw new PickleError(`numpy sub-array dtype '${this.spec}' is not supported`, -1);
    if (typeof elsize === 'number' && elsize > 0) this.itemsize = elsize;
    if (names instanceof PickleTuple && fields !== null && typeof fields === 'object') {
      const dict = fields as { get(k: string): unknown };
      this.fields = names.items.map((n) => {
        const f = dict.get(String(n));
        const parts = f instanceof PickleTuple ? f.items : [];
        if (!(parts[0] instanceof NpDType) || typeof parts[1] !== 'number')
          throw new PickleError(`numpy record field '${String(n)}' is unreadable`, -1);
        return { name: String(n), dtype: parts[0], offset: parts[1] };
      });
    }
  }

  /** numpy's `dtype.str`, e.g. '<f8', '|u1', '<U5', '|V64'. */
  get str(): string {
    const order =
      this.itemsize === 1 || this.kind === 'O' || this.kind === 'V' ? '|' : this.littleEndian ? '<' : '>';
    if (this.kind === 'O') return '|O';
    return `${order}${this.kind}${this.kind === 'U' ? this.itemsize / 4 : this.itemsize}`;
  }
}

/** A numpy array: raw bytes in `order`, or (dtype object) a list of pickled values. */
export class NpArray {
  dtype: NpDType = new NpDType('f8');
  shape: number[] = [];
  fortran = false;
  data: Uint8Array = new Uint8Array(0);
  objects: unknown[] | null = null;

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** Fills the array from numpy's `__setstate__` tuple (the BUILD after `_reconstruct`). */
  setState(state: unknown): void {
    const s = state instanceof PickleTuple ? state.items : [];
    const t = s.length === 5 ? s.slice(1) : s; // version 0 omits the version number
    if (t.length !== 4) throw new PickleError('numpy array with an unreadable state', -1);
    const [shape, dtype, fortran, raw] = t;
    if (!(dtype instanceof NpDType)) throw new PickleError('numpy array state without a dtype', -1);
    this.set(dtype, shapeOf(shape), fortran === true || fortran === 1);
    if (dtype.kind === 'O') {
      if (!Array.isArray(raw)) throw new PickleError('numpy object array without its list of values', -1);
      this.objects = raw;
    } else
      this.setBytes(raw instanceof Uint8Array ? raw : typeof raw === 'string' ? bytesOfLatin1(raw) : null);
  }

  set(dtype: NpDType, shape: number[], fortran: boolean): void {
    this.dtype = dtype;
    this.shape = shape;
    this.fortran = fortran;
  }

  setBytes(raw: Uint8Array | null): void {
    const need = this.size * this.dtype.itemsize;
    if (!raw || raw.length !== need)
      throw new PickleError(
        `numpy array ${this.dtype.str} [${this.shape.join(', ')}] needs ${need} bytes, found ${raw ? raw.length : 'none'}`,
        -1,
      );
    this.data = raw;
  }
}

function shapeOf(v: unknown): number[] {
  const items = v instanceof PickleTuple ? v.items : Array.isArray(v) ? v : [v];
  return items.map((x) => {
    const n = Number(x);
    if (!Number.isSafeInteger(n) || n < 0)
      throw new PickleError(`numpy shape entry ${String(x)} is invalid`, -1);
    return n;
  });
}

function bytesOfLatin1(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

const CORE = ['numpy.core', 'numpy._core'];
const at = (mods: string[], name: string): string[] => mods.map((m) => `${m}.${name}`);

/** The numpy globals this reader interprets (numpy 1.x and 2.x module names). */
export const NUMPY_GLOBALS: readonly string[] = [
  'numpy.ndarray',
  'numpy.dtype',
  ...at(at(CORE, 'multiarray'), '_reconstruct'),
  ...at(at(CORE, 'multiarray'), 'scalar'),
  ...at(at(CORE, 'numeric'), '_frombuffer'),
];

/** REDUCE of a numpy global: an empty array/dtype for BUILD to fill, or a finished value. */
export function numpyReduce(g: PickleGlobal, args: unknown[]): unknown {
  const q = g.qualified;
  if (q === 'numpy.dtype') {
    if (typeof args[0] !== 'string')
      throw new PickleError(`numpy.dtype of a non-string ${String(args[0])}`, -1);
    return new NpDType(args[0]);
  }
  if (q.endsWith('multiarray._reconstruct')) {
    const sub = args[0];
    if (!(sub instanceof PickleGlobal) || sub.qualified !== 'numpy.ndarray')
      throw new PickleError(
        `numpy array subclass ${sub instanceof PickleGlobal ? sub.qualified : String(sub)} is not supported`,
        -1,
      );
    return new NpArray();
  }
  if (q.endsWith('multiarray.scalar')) return scalar(args);
  if (q.endsWith('numeric._frombuffer')) {
    const [buf, dtype, shape, order] = args;
    if (!(buf instanceof Uint8Array) || !(dtype instanceof NpDType))
      throw new PickleError('numpy _frombuffer without bytes and dtype', -1);
    const a = new NpArray();
    a.set(dtype, shapeOf(shape), order === 'F');
    a.setBytes(buf);
    return a;
  }
  return undefined;
}

/** BUILD on a numpy value: sets an array's or a dtype's state; anything else is not ours. */
export function numpyBuild(obj: unknown, state: unknown): boolean {
  if (obj instanceof NpArray || obj instanceof NpDType) {
    obj.setState(state);
    return true;
  }
  return false;
}

function scalar(args: unknown[]): unknown {
  const [dtype, raw] = args;
  if (!(dtype instanceof NpDType)) throw new PickleError('numpy scalar without a dtype', -1);
  if (dtype.kind === 'O') return raw;
  const bytes = raw instanceof Uint8Array ? raw : typeof raw === 'string' ? bytesOfLatin1(raw) : null;
  if (!bytes || bytes.length !== dtype.itemsize)
    throw new PickleError(`numpy scalar ${dtype.str} needs ${dtype.itemsize} bytes`, -1);
  const a = new NpArray();
  a.set(dtype, [], false);
  a.setBytes(bytes);
  if (dtype.kind === 'U' || dtype.kind === 'S') return npStrings(a)[0];
  if (dtype.kind === 'b') return bytes[0] !== 0;
  const v = npNumbers(a)[0];
  return dtype.kind === 'f' ? v : Number.isSafeInteger(v) ? v : readInteger(a, 0);
}

function readInteger(a: NpArray, i: number): number | bigint {
  const view = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const le = a.dtype.littleEndian;
  return a.dtype.kind === 'i' ? view.getBigInt64(i * 8, le) : view.getBigUint64(i * 8, le);
}

/** Index of the C-order element `c` in the data of an array stored in Fortran order. */
function fortranIndex(shape: number[], c: number): number {
  let f = 0;
  let stride = 1;
  const idx: number[] = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = c % shape[d];
    c = Math.floor(c / shape[d]);
  }
  for (let d = 0; d < shape.length; d++) {
    f += idx[d] * stride;
    stride *= shape[d];
  }
  return f;
}

function storageIndex(a: NpArray, c: number): number {
  return a.fortran && a.shape.length > 1 ? fortranIndex(a.shape, c) : c;
}

/** A numeric or boolean array's values in C order, as float64 (int64 beyond 2^53 loses precision). */
export function npNumbers(a: NpArray): Float64Array {
  const { kind, itemsize, littleEndian: le } = a.dtype;
  if (kind === 'O') return Float64Array.from(npObjects(a), (v) => Number(v));
  if (!'fiub'.includes(kind)) throw new PickleError(`numpy ${a.dtype.str} array is not numeric`, -1);
  const view = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const n = a.size;
  const out = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const o = storageIndex(a, c) * itemsize;
    out[c] = readNumber(view, o, kind, itemsize, le);
  }
  return out;
}

function readNumber(view: DataView, o: number, kind: NpKind, itemsize: number, le: boolean): number {
  if (kind === 'f') {
    if (itemsize === 8) return view.getFloat64(o, le);
    if (itemsize === 4) return view.getFloat32(o, le);
  } else if (kind === 'i') {
    if (itemsize === 8) return Number(view.getBigInt64(o, le));
    if (itemsize === 4) return view.getInt32(o, le);
    if (itemsize === 2) return view.getInt16(o, le);
    if (itemsize === 1) return view.getInt8(o);
  } else if (kind === 'u' || kind === 'b') {
    if (itemsize === 8) return Number(view.getBigUint64(o, le));
    if (itemsize === 4) return view.getUint32(o, le);
    if (itemsize === 2) return view.getUint16(o, le);
    if (itemsize === 1) return view.getUint8(o);
  }
  throw new PickleError(`numpy dtype ${kind}${itemsize} is not supported`, -1);
}

/** One numeric field of a record array (e.g. a tree's `threshold`), in C order, as float64. */
export function npField(a: NpArray, name: string): Float64Array | null {
  const f = a.dtype.fields?.find((x) => x.name === name);
  if (!f) return null;
  const view = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const { kind, itemsize, littleEndian } = f.dtype;
  const n = a.size;
  const out = new Float64Array(n);
  for (let c = 0; c < n; c++)
    out[c] = readNumber(view, storageIndex(a, c) * a.dtype.itemsize + f.offset, kind, itemsize, littleEndian);
  return out;
}

/** The values of an object array, in C order. */
export function npObjects(a: NpArray): unknown[] {
  if (!a.objects) throw new PickleError(`numpy ${a.dtype.str} array is not an object array`, -1);
  const n = a.size;
  if (a.objects.length !== n)
    throw new PickleError(`numpy object array of ${n} values holds ${a.objects.length}`, -1);
  return a.fortran && a.shape.length > 1
    ? Array.from({ length: n }, (_, c) => a.objects![fortranIndex(a.shape, c)])
    : a.objects;
}

/** A string array (`<U…` UTF-32, `|S…` bytes, or an object array of str) as JS strings. */
export function npStrings(a: NpArray): string[] {
  const { kind, itemsize, littleEndian } = a.dtype;
  if (kind === 'O') return npObjects(a).map((v) => (typeof v === 'string' ? v : String(v)));
  if (kind !== 'U' && kind !== 'S') return Array.from(npNumbers(a), (v) => String(v));
  const view = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const out: string[] = [];
  for (let c = 0; c < a.size; c++) {
    const o = storageIndex(a, c) * itemsize;
    let s = '';
    if (kind === 'U') {
      for (let k = 0; k < itemsize; k += 4) {
        const cp = view.getUint32(o + k, littleEndian);
        if (cp === 0) break;
        s += String.fromCodePoint(cp);
      }
    } else {
      const b = a.data.subarray(o, o + itemsize);
      const end = b.indexOf(0);
      s = latin1Text(end < 0 ? b : b.subarray(0, end));
    }
    out.push(s);
  }
  return out;
}
