/**
 * Typed access to a pickled scikit-learn estimator: its class path and its `__dict__` (the BUILD
 * state the safe reader recorded). Every getter checks the attribute's presence, type and shape and
 * fails with a SklearnModelError naming the estimator and the attribute.
 */
import { NpArray, npNumbers, npObjects, npStrings, PickleDict, PickleObject, PickleTuple } from '../../io';
import { SklearnModelError } from './errors';

export interface ReadContext {
  file: string;
}

/** The class path of a pickled record (`module.name`), or a description of a non-record. */
export function classOf(value: unknown): string {
  if (value instanceof PickleObject) return value.global.qualified;
  if (value === null) return 'None';
  if (typeof value === 'string') return `the string '${value}'`;
  return typeof value;
}

const REFIT =
  'Re-fit and re-save the model with scikit-learn 1.2 or newer, or export it to ONNX (see the collection docs).';

export class Pickled {
  private constructor(
    readonly cls: string,
    private readonly dict: PickleDict,
    readonly ctx: ReadContext,
  ) {}

  /** The estimator record `value`, whose state must be a dict of attributes. */
  static of(value: unknown, ctx: ReadContext, what: string): Pickled {
    if (!(value instanceof PickleObject))
      throw new SklearnModelError({
        file: ctx.file,
        reason: `${what} is ${classOf(value)}, not a scikit-learn estimator`,
        fix: 'Save the fitted estimator itself (joblib.dump(model, path)).',
      });
    // Objects with __slots__ pickle their state as (dict, slots); estimators have no slots.
    const st = value.state instanceof PickleTuple ? value.state.items[0] : value.state;
    if (!(st instanceof PickleDict))
      throw new SklearnModelError({
        file: ctx.file,
        estimator: value.global.qualified,
        reason: `${what} has no attribute dict`,
        fix: REFIT,
      });
    return new Pickled(value.global.qualified, st, ctx);
  }

  fail(reason: string, fix = REFIT): never {
    throw new SklearnModelError({ file: this.ctx.file, estimator: this.cls, reason, fix });
  }

  has(key: string): boolean {
    return this.dict.has(key);
  }

  raw(key: string): unknown {
    if (!this.dict.has(key)) this.fail(`attribute '${key}' is missing (was the estimator fitted?)`);
    return this.dict.get(key);
  }

  /** The attribute when present, else `fallback` (attributes later versions added). */
  opt<T>(key: string, read: (k: string) => T, fallback: T): T {
    return this.dict.has(key) ? read(key) : fallback;
  }

  string(key: string): string {
    const v = this.raw(key);
    if (typeof v !== 'string') this.fail(`attribute '${key}' is ${classOf(v)}, expected a string`);
    return v as string;
  }

  number(key: string): number {
    const v = this.raw(key);
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (v instanceof NpArray && v.size === 1 && 'fiub'.includes(v.dtype.kind)) return npNumbers(v)[0];
    return this.fail(`attribute '${key}' is ${classOf(v)}, expected a number`);
  }

  bool(key: string): boolean {
    const v = this.raw(key);
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    return this.fail(`attribute '${key}' is ${classOf(v)}, expected True or False`);
  }

  array(key: string): NpArray {
    const v = this.raw(key);
    if (!(v instanceof NpArray)) this.fail(`attribute '${key}' is ${classOf(v)}, expected a numpy array`);
    return v as NpArray;
  }

  /**
   * A numeric array in C order, its shape checked against `shape` (undefined entries are free).
   * A Python number is accepted as a 0-d array.
   */
  numbers(key: string, shape?: readonly (number | undefined)[]): Float64Array {
    const v = this.raw(key);
    if (typeof v === 'number' && (!shape || shape.length === 0)) return Float64Array.of(v);
    const a = this.array(key);
    if (shape) this.checkShape(key, a.shape, shape);
    try {
      return npNumbers(a);
    } catch {
      return this.fail(`attribute '${key}' is a ${a.dtype.str} array, expected numbers`);
    }
  }

  checkShape(key: string, actual: readonly number[], expected: readonly (number | undefined)[]): void {
    const ok =
      actual.length === expected.length && expected.every((d, i) => d === undefined || d === actual[i]);
    if (!ok)
      this.fail(
        `attribute '${key}' has shape [${actual.join(', ')}], expected [${expected.map((d) => d ?? 'any').join(', ')}]`,
      );
  }

  /** Class labels or feature names: a string, object or numeric array, as strings. */
  strings(key: string): string[] {
    return npStrings(this.array(key));
  }

  /** A Python list (or tuple, or 1-d object array) attribute. */
  list(key: string): unknown[] {
    const v = this.raw(key);
    if (Array.isArray(v)) return v;
    if (v instanceof PickleTuple) return v.items;
    if (v instanceof NpArray && v.objects) return npObjects(v);
    return this.fail(`attribute '${key}' is ${classOf(v)}, expected a list`);
  }

  /** A nested estimator or part (a tree, a loss, a step). */
  child(key: string): Pickled {
    return Pickled.of(this.raw(key), this.ctx, `attribute '${key}' of ${this.cls}`);
  }

  /** A plain Python integer attribute (n_features_in_, n_outputs_ …). */
  int(key: string): number {
    const n = this.number(key);
    if (!Number.isSafeInteger(n)) this.fail(`attribute '${key}' is ${n}, expected an integer`);
    return n;
  }
}
