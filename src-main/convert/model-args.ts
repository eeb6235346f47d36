/**
 * Reading a metadata JSON's `model_args` as the Python constructor would take them: integers,
 * lists of integers, booleans, "int or (h, w)" pairs and MONAI layer specifiers (`"PRELU"`,
 * `["prelu", {"num_parameters": 1}]`, `null`). Every refusal is an ArchitectureArgsError naming
 * the `model_args` key and the value found.
 */
import { ArchitectureArgsError } from './errors';

export type Args = Record<string, unknown>;

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

export function int(args: Args, key: string, fallback?: number, min = 0): number {
  const v = args[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw new ArchitectureArgsError(key, 'is required');
    return fallback;
  }
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw new ArchitectureArgsError(key, `must be an integer, got ${show(v)}`);
  if (v < min) throw new ArchitectureArgsError(key, `must be at least ${min}, got ${v}`);
  return v;
}

export function intList(args: Args, key: string, fallback?: number[], min = 0): number[] {
  const v = args[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw new ArchitectureArgsError(key, 'is required');
    return fallback;
  }
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min))
    throw new ArchitectureArgsError(key, `must be a list of integers ≥ ${min}, got ${show(v)}`);
  return v as number[];
}

export function bool(args: Args, key: string, fallback: boolean): boolean {
  const v = args[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new ArchitectureArgsError(key, `must be true or false, got ${show(v)}`);
  return v;
}

/** An int or a [h, w] pair (a 2D kernel size, stride, dilation or padding). */
export type Pair = [number, number];

export function pairOf(v: unknown, key: string, min = 0): Pair {
  if (typeof v === 'number' && Number.isInteger(v) && v >= min) return [v, v];
  if (
    Array.isArray(v) &&
    v.length === 2 &&
    v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min)
  )
    return [v[0] as number, v[1] as number];
  throw new ArchitectureArgsError(
    key,
    `must be an integer ≥ ${min} or a pair [h, w] of them, got ${show(v)}`,
  );
}

export function pair(args: Args, key: string, fallback: number, min = 0): Pair {
  const v = args[key];
  return v === undefined || v === null ? [fallback, fallback] : pairOf(v, key, min);
}

/** A MONAI layer: its factory name (lower-cased, as MONAI looks it up) and constructor arguments. */
export interface LayerSpec {
  name: string;
  args: Args;
}

function isRecord(v: unknown): v is Args {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A MONAI `act`/`norm`/`dropout` argument (monai.networks.layers.split_args): a name, a
 * `[name, {args}]` pair, or null for none. `fallback` applies when the key is absent.
 */
export function layerSpec(args: Args, key: string, fallback: LayerSpec | null): LayerSpec | null {
  if (!(key in args)) return fallback;
  const v = args[key];
  if (v === null) return null;
  if (typeof v === 'string') return { name: v.toLowerCase(), args: {} };
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && isRecord(v[1]))
    return { name: v[0].toLowerCase(), args: v[1] };
  throw new ArchitectureArgsError(key, `must be a name or a [name, {arguments}] pair, got ${show(v)}`);
}

/** Refuses keys the Python constructor does not take (it would raise TypeError). */
export function onlyKnownArgs(args: Args, known: readonly string[], constructor: string): void {
  for (const key of Object.keys(args))
    if (!known.includes(key))
      throw new ArchitectureArgsError(
        key,
        `is not an argument of ${constructor} (it takes ${known.join(', ')}); Python would raise TypeError`,
      );
}

/** A number argument inside a layer specifier (eps, negative_slope, …). */
export function num(spec: LayerSpec, key: string, argKey: string, fallback: number): number {
  const v = spec.args[argKey];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ArchitectureArgsError(key, `${spec.name} argument ${argKey} must be a number, got ${show(v)}`);
  return v;
}

export function flag(spec: LayerSpec, key: string, argKey: string, fallback: boolean): boolean {
  const v = spec.args[argKey];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean')
    throw new ArchitectureArgsError(
      key,
      `${spec.name} argument ${argKey} must be true or false, got ${show(v)}`,
    );
  return v;
}
