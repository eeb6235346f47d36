/**
 * A safe reader of Python pickles (protocols 0–5). Nothing is ever imported, called or executed:
 * a global is a name (`PickleGlobal`), checked against the caller's allow-list the moment its opcode
 * is read — a refused global stops the read there, with its `module.name`; `REDUCE`/`NEWOBJ`/`INST`/
 * `OBJ` of a global become a plain record (`PickleObject`) unless a caller's `reduce` hook turns them
 * into a value it understands (a tensor reference, a numpy array); `BUILD` stores the state on the
 * record unless a `build` hook replaces the object (joblib's array wrappers, whose raw bytes follow
 * the BUILD opcode in the stream). Unknown opcodes are errors, never guesses.
 */
import { ByteCursor, readLiteral } from './cursor';
import {
  PickleDict,
  PickleError,
  PickleGlobal,
  PickleGlobalRefusedError,
  PickleObject,
  PicklePersistent,
  PickleTuple,
} from './values';

export {
  PickleDict,
  PickleError,
  PickleGlobal,
  PickleGlobalRefusedError,
  PickleObject,
  PicklePersistent,
  PickleTuple,
  type PickleErrorDetails,
} from './values';

/** The byte stream, as a `build` hook sees it: positioned just after the BUILD opcode. */
export interface PickleStream {
  readonly offset: number;
  /** The next `n` raw bytes (throws PickleError when the stream is shorter). */
  take(n: number): Uint8Array;
  /** A whole pickle embedded at the current position, read with the same hooks and allow-list. */
  readNested(): unknown;
}

export interface PickleHooks {
  /**
   * Decides, for every GLOBAL/STACK_GLOBAL/INST opcode, whether `module.name` may appear; a refusal
   * throws PickleGlobalRefusedError at that opcode. Without it every global is recorded.
   */
  allowGlobal?(module: string, name: string): boolean;
  /** Called for REDUCE/NEWOBJ/INST/OBJ of a global; return `undefined` to keep a PickleObject. */
  reduce?(global: PickleGlobal, args: unknown[]): unknown;
  /**
   * Called for BUILD; return a value to replace the object on the stack, or `undefined` to keep it
   * (after the hook, a PickleObject/PickleDict without a hook's answer gets `state` set).
   */
  build?(obj: unknown, state: unknown, stream: PickleStream): unknown;
  /** Called for persistent ids (BINPERSID/PERSID); defaults to a PicklePersistent record. */
  persistentLoad?(pid: unknown): unknown;
}

const MARK = Symbol('mark');

/** Parses `bytes` and returns the unpickled top-level value. Throws PickleError. */
export function readPickle(bytes: Uint8Array, hooks: PickleHooks = {}): unknown {
  return readPickleAt(bytes, 0, hooks).value;
}

/** Parses one pickle starting at byte `start`; `end` is the offset just past its STOP opcode. */
export function readPickleAt(
  bytes: Uint8Array,
  start: number,
  hooks: PickleHooks = {},
): { value: unknown; end: number } {
  const cur = new ByteCursor(bytes, start);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const fail = (what: string, at = cur.pos): never => cur.fail(what, at);
  const pop = (): unknown => (stack.length === 0 ? fail('stack underflow') : stack.pop());
  const top = (): unknown => (stack.length === 0 ? fail('stack underflow') : stack[stack.length - 1]);
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('no MARK on the stack');
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const global = (module: string, name: string, at: number): PickleGlobal => {
    if (hooks.allowGlobal && !hooks.allowGlobal(module, name))
      throw new PickleGlobalRefusedError(module, name, at);
    return new PickleGlobal(module, name);
  };
  const call = (fn: unknown, args: unknown[]): unknown => {
    if (!(fn instanceof PickleGlobal)) fail('call of a value that is not a global');
    const g = fn as PickleGlobal;
    const hooked = hooks.reduce?.(g, args);
    if (hooked !== undefined) return hooked;
    if (g.qualified === 'collections.OrderedDict' || g.qualified === 'builtins.dict')
      return new PickleDict(g);
    return new PickleObject(g, args);
  };
  const argsOf = (v: unknown): unknown[] => (v instanceof PickleTuple ? v.items : [v]);
  const setItems = (target: unknown, kv: unknown[]): void => {
    if (!(target instanceof PickleDict || target instanceof PickleObject)) fail('SETITEM on a non-dict');
    const t = target as PickleDict | PickleObject;
    for (let i = 0; i + 1 < kv.length; i += 2) t.entries.push([kv[i], kv[i + 1]]);
  };
  const append = (target: unknown, items: unknown[]): void => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PickleObject) target.items.push(...items);
    else fail('APPEND on a non-list');
  };
  const stream: PickleStream = {
    get offset() {
      return cur.pos;
    },
    take: (n) => cur.take(n),
    readNested() {
      const nested = readPickleAt(bytes, cur.pos, hooks);
      cur.pos = nested.end;
      return nested.value;
    },
  };

  for (;;) {
    const at = cur.pos;
    const op = cur.u8();
    switch (op) {
      case 0x80: // PROTO
        if (cur.u8() > 5) fail('pickle protocol above 5', at);
        break;
      case 0x95: // FRAME: frames only batch the writes; the opcodes inside read on as usual
        cur.take(8);
        break;
      case 0x2e: // STOP
        return { value: pop(), end: cur.pos };
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PickleTuple([]));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PickleDict());
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new Set());
        break;
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        throw new PickleError(`out-of-band buffer (protocol 5) at byte ${at}`, at, {
          fix: 'Write the pickle with its buffers in band (pickle.dump without buffer_callback, or joblib.dump).',
        });
      case 0x63: {
        // GLOBAL
        const module = cur.text();
        stack.push(global(module, cur.text(), at));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL of non-strings', at);
        stack.push(global(module as string, name as string, at));
        break;
      }
      case 0x69: {
        // INST: module and name on text lines, arguments since the MARK
        const module = cur.text();
        const g = global(module, cur.text(), at);
        stack.push(call(g, popMark()));
        break;
      }
      case 0x6f: {
        // OBJ: class and arguments since the MARK
        const items = popMark();
        if (items.length === 0) fail('OBJ without a class', at);
        stack.push(call(items[0], items.slice(1)));
        break;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new PickleError(`copyreg extension code at byte ${at}`, at, {
          fix: 'Write the pickle without copyreg.add_extension registrations.',
        });
      case 0x71: // BINPUT
        memo.set(cur.u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(cur.u32(), top());
        break;
      case 0x70: // PUT
        memo.set(Number(cur.text()), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET
        const k = op === 0x68 ? cur.u8() : op === 0x6a ? cur.u32() : Number(cur.text());
        if (!memo.has(k)) fail(`memo key ${k} missing`, at);
        stack.push(memo.get(k));
        break;
      }
      case 0x74: // TUPLE
        stack.push(new PickleTuple(popMark()));
        break;
      case 0x85: // TUPLE1
        stack.push(new PickleTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(new PickleTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PickleTuple([pop(), b, c]));
        break;
      }
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x64: {
        // DICT
        const d = new PickleDict();
        setItems(d, popMark());
        stack.push(d);
        break;
      }
      case 0x91: // FROZENSET
        stack.push(new Set(popMark()));
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        const s = top();
        if (!(s instanceof Set)) fail('ADDITEMS on a non-set', at);
        for (const i of items) (s as Set<unknown>).add(i);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const kv = popMark();
        setItems(top(), kv);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(call(pop(), argsOf(args)));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        stack.push(call(pop(), argsOf(args)));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX (keyword arguments are dropped: no class we interpret takes any)
        pop();
        const args = pop();
        stack.push(call(pop(), argsOf(args)));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = top();
        const replaced = hooks.build?.(obj, state, stream);
        if (replaced !== undefined) stack[stack.length - 1] = replaced;
        else if (obj instanceof PickleObject || obj instanceof PickleDict) obj.state = state;
        break;
      }
      case 0x51: {
        // BINPERSID
        const pid = pop();
        stack.push(hooks.persistentLoad ? hooks.persistentLoad(pid) : new PicklePersistent(pid));
        break;
      }
      case 0x50: {
        // PERSID
        const pid = cur.text();
        stack.push(hooks.persistentLoad ? hooks.persistentLoad(pid) : new PicklePersistent(pid));
        break;
      }
      case 0x30: // POP
        if (top() === MARK) popMark();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default: {
        const literal = readLiteral(op, cur);
        if (!literal) fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}`, at);
        stack.push(literal!.value);
      }
    }
  }
}
