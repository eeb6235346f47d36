/**
 * A minimal, safe reader of Python pickles (protocols 0–4), enough for PyTorch state_dicts:
 * globals are recorded by name and never imported or called; `REDUCE` of a global becomes a
 * plain record unless a caller-supplied `reduce` hook turns it into something (e.g. a tensor
 * reference for `torch._utils._rebuild_tensor_v2`). Unknown opcodes are errors, never guesses.
 */

export class PickleError extends Error {
  override readonly name = 'PickleError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export class PickleTuple {
  constructor(readonly items: unknown[]) {}
}

/** A dict (or OrderedDict): insertion-ordered key/value pairs; keys may be any pickled value. */
export class PickleDict {
  readonly entries: [unknown, unknown][] = [];
  state: unknown = undefined;
  constructor(readonly global: PickleGlobal | null = null) {}
  get(key: string): unknown {
    return this.entries.find(([k]) => k === key)?.[1];
  }
}

/** An object built by calling a global we did not interpret: kept as a record. */
export class PickleObject {
  state: unknown = undefined;
  readonly items: unknown[] = [];
  readonly entries: [unknown, unknown][] = [];
  constructor(
    readonly global: PickleGlobal,
    readonly args: unknown[],
  ) {}
}

export class PicklePersistent {
  constructor(readonly pid: unknown) {}
}

export interface PickleHooks {
  /** Called for REDUCE/NEWOBJ of a global; return `undefined` to keep a PickleObject. */
  reduce?(global: PickleGlobal, args: unknown[]): unknown;
  /** Called for persistent ids (BINPERSID); defaults to a PicklePersistent record. */
  persistentLoad?(pid: unknown): unknown;
}

const MARK = Symbol('mark');

/** Parses `bytes` and returns the unpickled top-level value. Throws PickleError. */
export function readPickle(bytes: Uint8Array, hooks: PickleHooks = {}): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > bytes.length)
      throw new PickleError(`pickle truncated at byte ${pos} (needed ${n} more bytes)`, pos);
  };
  const u8 = (): number => (need(1), bytes[pos++]);
  const u16 = (): number => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = (): number => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = (): number => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = (): number => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new PickleError(`length ${v} too large at byte ${pos}`, pos);
    return Number(v);
  };
  const take = (n: number): Uint8Array => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new PickleError(`unterminated text line at byte ${pos}`, pos);
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const utf8 = (b: Uint8Array): string => new TextDecoder('utf-8').decode(b);
  const pop = (): unknown => {
    if (stack.length === 0) throw new PickleError(`stack underflow at byte ${pos}`, pos);
    return stack.pop();
  };
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw new PickleError(`no MARK on the stack at byte ${pos}`, pos);
    const items = stack.splice(i);
    items.shift();
    return items;
  };
  const top = (): unknown => {
    if (stack.length === 0) throw new PickleError(`stack underflow at byte ${pos}`, pos);
    return stack[stack.length - 1];
  };
  const signedLE = (b: Uint8Array): number | bigint => {
    if (b.length === 0) return 0;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };
  const call = (fn: unknown, args: unknown[]): unknown => {
    if (!(fn instanceof PickleGlobal)) throw new PickleError(`REDUCE of a non-global at byte ${pos}`, pos);
    const hooked = hooks.reduce?.(fn, args);
    if (hooked !== undefined) return hooked;
    if (fn.qualified === 'collections.OrderedDict' || fn.qualified === 'builtins.dict')
      return new PickleDict(fn);
    return new PickleObject(fn, args);
  };
  const setItems = (target: unknown, kv: unknown[]): void => {
    if (!(target instanceof PickleDict || target instanceof PickleObject))
      throw new PickleError(`SETITEM on a non-dict at byte ${pos}`, pos);
    for (let i = 0; i + 1 < kv.length; i += 2) target.entries.push([kv[i], kv[i + 1]]);
  };
  const append = (target: unknown, items: unknown[]): void => {
    if (Array.isArray(target)) target.push(...items);
    else if (target instanceof PickleObject) target.items.push(...items);
    else throw new PickleError(`APPEND on a non-list at byte ${pos}`, pos);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80:
        u8();
        break; // PROTO
      case 0x95:
        take(8);
        break; // FRAME
      case 0x2e:
        return pop(); // STOP
      case 0x28:
        stack.push(MARK);
        break;
      case 0x29:
        stack.push(new PickleTuple([]));
        break;
      case 0x5d:
        stack.push([]);
        break;
      case 0x7d:
        stack.push(new PickleDict());
        break;
      case 0x8f:
        stack.push(new Set());
        break;
      case 0x4e:
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x4b:
        stack.push(u8());
        break; // BININT1
      case 0x4d:
        stack.push(u16());
        break; // BININT2
      case 0x4a:
        stack.push(i32());
        break; // BININT
      case 0x8a:
        stack.push(signedLE(take(u8())));
        break; // LONG1
      case 0x8b:
        stack.push(signedLE(take(u32())));
        break; // LONG4
      case 0x47:
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break; // BINFLOAT
      case 0x49: {
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : parseInt(s, 10));
        break;
      } // INT
      case 0x4c:
        stack.push(Number(line().replace(/L$/, '')));
        break; // LONG text
      case 0x46:
        stack.push(parseFloat(line()));
        break; // FLOAT text
      case 0x58:
        stack.push(utf8(take(u32())));
        break; // BINUNICODE
      case 0x8c:
        stack.push(utf8(take(u8())));
        break; // SHORT_BINUNICODE
      case 0x8d:
        stack.push(utf8(take(u64())));
        break; // BINUNICODE8
      case 0x56:
        stack.push(line());
        break; // UNICODE (raw-unicode-escape; ASCII in practice)
      case 0x54:
        stack.push(new TextDecoder('latin1').decode(take(i32())));
        break; // BINSTRING
      case 0x55:
        stack.push(new TextDecoder('latin1').decode(take(u8())));
        break; // SHORT_BINSTRING
      case 0x53:
        stack.push(line().replace(/^['"]|['"]$/g, ''));
        break; // STRING
      case 0x42:
        stack.push(take(u32()).slice());
        break; // BINBYTES
      case 0x43:
        stack.push(take(u8()).slice());
        break; // SHORT_BINBYTES
      case 0x8e:
        stack.push(take(u64()).slice());
        break; // BINBYTES8
      case 0x63: {
        const module = line();
        const name = line();
        stack.push(new PickleGlobal(module, name));
        break;
      } // GLOBAL
      case 0x93: {
        const name = pop();
        const module = pop();
        stack.push(new PickleGlobal(String(module), String(name)));
        break;
      } // STACK_GLOBAL
      case 0x71:
        memo.set(u8(), top());
        break; // BINPUT
      case 0x72:
        memo.set(u32(), top());
        break; // LONG_BINPUT
      case 0x70:
        memo.set(parseInt(line(), 10), top());
        break; // PUT
      case 0x94:
        memo.set(memo.size, top());
        break; // MEMOIZE
      case 0x68:
      case 0x6a:
      case 0x67: {
        // BINGET, LONG_BINGET, GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : parseInt(line(), 10);
        if (!memo.has(k)) throw new PickleError(`memo key ${k} missing at byte ${pos}`, pos);
        stack.push(memo.get(k));
        break;
      }
      case 0x74:
        stack.push(new PickleTuple(popMark()));
        break; // TUPLE
      case 0x85:
        stack.push(new PickleTuple([pop()]));
        break;
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push(new PickleTuple([a, b]));
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(new PickleTuple([a, b, c]));
        break;
      }
      case 0x6c:
        stack.push(popMark());
        break; // LIST
      case 0x64: {
        const d = new PickleDict();
        setItems(d, popMark());
        stack.push(d);
        break;
      } // DICT
      case 0x91:
        stack.push(new Set(popMark()));
        break; // FROZENSET
      case 0x90: {
        const items = popMark();
        const s = top();
        if (s instanceof Set) items.forEach((i) => s.add(i));
        break;
      } // ADDITEMS
      case 0x61: {
        const v = pop();
        append(top(), [v]);
        break;
      } // APPEND
      case 0x65: {
        const items = popMark();
        append(top(), items);
        break;
      } // APPENDS
      case 0x73: {
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      } // SETITEM
      case 0x75: {
        const kv = popMark();
        setItems(top(), kv);
        break;
      } // SETITEMS
      case 0x52: {
        const args = pop();
        const fn = pop();
        stack.push(call(fn, args instanceof PickleTuple ? args.items : [args]));
        break;
      } // REDUCE
      case 0x81: {
        const args = pop();
        const cls = pop();
        stack.push(call(cls, args instanceof PickleTuple ? args.items : [args]));
        break;
      } // NEWOBJ
      case 0x92: {
        pop();
        const args = pop();
        const cls = pop();
        stack.push(call(cls, args instanceof PickleTuple ? args.items : [args]));
        break;
      } // NEWOBJ_EX
      case 0x62: {
        // BUILD
        const state = pop();
        const obj = top();
        if (obj instanceof PickleObject || obj instanceof PickleDict) obj.state = state;
        break;
      }
      case 0x51: {
        const pid = pop();
        stack.push(hooks.persistentLoad ? hooks.persistentLoad(pid) : new PicklePersistent(pid));
        break;
      } // BINPERSID
      case 0x50: {
        const pid = line();
        stack.push(hooks.persistentLoad ? hooks.persistentLoad(pid) : new PicklePersistent(pid));
        break;
      } // PERSID
      case 0x30:
        pop();
        break; // POP
      case 0x31:
        popMark();
        break; // POP_MARK
      case 0x32:
        stack.push(top());
        break; // DUP
      default:
        throw new PickleError(
          `unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1}`,
          pos - 1,
        );
    }
  }
}
