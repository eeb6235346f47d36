/**
 * The few Python builtins that ordinary data pickles name, interpreted here as data, never called.
 * Protocols 0–2 write Python 3 names as Python 2 spells them (`__builtin__`, `copy_reg`), so both
 * spellings are listed. Deliberately absent: `getattr`, `eval`, `exec`, `__import__`, `apply`,
 * `open`, `compile`, `globals` — anything that reaches code.
 */
import { PickleDict, PickleError, PickleGlobal, PickleObject } from './values';

const both = (name: string): string[] => [`builtins.${name}`, `__builtin__.${name}`];

export const BUILTIN_GLOBALS: readonly string[] = [
  // Objects of plain classes under protocols 0/1: copyreg._reconstructor(cls, object, None).
  'copyreg._reconstructor',
  'copy_reg._reconstructor',
  ...both('object'),
  // bytes under protocols 0–2: _codecs.encode(text, 'latin1'); an empty bytes is bytes().
  '_codecs.encode',
  ...both('bytes'),
  ...both('bytearray'),
  ...both('set'),
  ...both('frozenset'),
  'collections.OrderedDict',
];

/** REDUCE of an allowed builtin: its value, or `undefined` for globals that are not builtins. */
export function builtinReduce(g: PickleGlobal, args: unknown[]): unknown {
  const name = g.name;
  switch (
    g.module === '__builtin__'
      ? `builtins.${name}`
      : g.module === 'copy_reg'
        ? `copyreg.${name}`
        : g.qualified
  ) {
    case 'copyreg._reconstructor': {
      const [cls, base, state] = args;
      if (!(cls instanceof PickleGlobal)) throw new PickleError('copyreg._reconstructor of a non-class', -1);
      if (
        !(base instanceof PickleGlobal) ||
        !['builtins.object', '__builtin__.object'].includes(base.qualified)
      )
        throw new PickleError(
          `copyreg._reconstructor over ${base instanceof PickleGlobal ? base.qualified : String(base)} is not supported`,
          -1,
          { fix: 'Re-save the model with pickle protocol 2 or above (joblib.dump does).' },
        );
      if (state !== null && state !== undefined)
        throw new PickleError('copyreg._reconstructor with a base state is not supported', -1);
      return new PickleObject(cls, []);
    }
    case '_codecs.encode': {
      const [text, encoding] = args;
      if (typeof text !== 'string' || !['latin1', 'latin-1'].includes(String(encoding)))
        throw new PickleError(`_codecs.encode with encoding ${String(encoding)} is not supported`, -1);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 0xff) throw new PickleError('_codecs.encode of a non-latin1 text', -1);
        out[i] = c;
      }
      return out;
    }
    case 'builtins.bytes':
    case 'builtins.bytearray': {
      const [v] = args;
      if (v === undefined) return new Uint8Array(0);
      if (v instanceof Uint8Array) return v.slice();
      if (Array.isArray(v)) return Uint8Array.from(v, (x) => Number(x));
      throw new PickleError(`${g.qualified} of ${typeof v} is not supported`, -1);
    }
    case 'builtins.set':
    case 'builtins.frozenset':
      return new Set(Array.isArray(args[0]) ? args[0] : []);
    case 'builtins.object':
      throw new PickleError('a bare builtins.object instance is not supported', -1);
    case 'collections.OrderedDict':
      return new PickleDict(g);
    default:
      return undefined;
  }
}
