/**
 * The byte cursor of the pickle machine and the opcodes that only push a literal (numbers,
 * strings, bytes, None/True/False). Every read is bounds-checked: a short stream is a PickleError.
 */
import { latin1Text, rawUnicodeEscape, signedLittleEndian } from './text';
import { PickleError } from './values';

export class ByteCursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  fail(what: string, at = this.pos): never {
    throw new PickleError(`${what} at byte ${at}`, at);
  }

  need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.bytes.length)
      this.fail(`pickle truncated (needed ${n} more bytes)`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u16(): number {
    this.need(2);
    this.pos += 2;
    return this.view.getUint16(this.pos - 2, true);
  }

  u32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getUint32(this.pos - 4, true);
  }

  i32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getInt32(this.pos - 4, true);
  }

  /** An 8-byte length (refused beyond 2^53). */
  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`length ${v} too large`);
    return Number(v);
  }

  f64be(): number {
    this.need(8);
    this.pos += 8;
    return this.view.getFloat64(this.pos - 8, false);
  }

  take(n: number): Uint8Array {
    this.need(n);
    this.pos += n;
    return this.bytes.subarray(this.pos - n, this.pos);
  }

  /** The bytes up to the next newline (protocol 0 text arguments). */
  line(): Uint8Array {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) this.fail('unterminated text line');
    const s = this.bytes.subarray(this.pos, end);
    this.pos = end + 1;
    return s;
  }

  text(): string {
    return latin1Text(this.line());
  }
}

const utf8 = new TextDecoder('utf-8');

/**
 * Reads the argument of a literal opcode and returns `{ value }`, or null when `op` is not one.
 * Opcode names as in CPython's pickletools.
 */
export function readLiteral(op: number, c: ByteCursor): { value: unknown } | null {
  switch (op) {
    case 0x4e: // NONE
      return { value: null };
    case 0x88: // NEWTRUE
      return { value: true };
    case 0x89: // NEWFALSE
      return { value: false };
    case 0x4b: // BININT1
      return { value: c.u8() };
    case 0x4d: // BININT2
      return { value: c.u16() };
    case 0x4a: // BININT
      return { value: c.i32() };
    case 0x8a: // LONG1
      return { value: signedLittleEndian(c.take(c.u8())) };
    case 0x8b: // LONG4
      return { value: signedLittleEndian(c.take(c.u32())) };
    case 0x47: // BINFLOAT (big-endian double)
      return { value: c.f64be() };
    case 0x49: {
      // INT (protocol 0; '01'/'00' are True/False)
      const s = c.text();
      return { value: s === '01' ? true : s === '00' ? false : Number(s) };
    }
    case 0x4c: // LONG (text)
      return { value: Number(c.text().replace(/L$/, '')) };
    case 0x46: // FLOAT (text)
      return { value: parseFloat(c.text()) };
    case 0x58: // BINUNICODE
      return { value: utf8.decode(c.take(c.u32())) };
    case 0x8c: // SHORT_BINUNICODE
      return { value: utf8.decode(c.take(c.u8())) };
    case 0x8d: // BINUNICODE8
      return { value: utf8.decode(c.take(c.u64())) };
    case 0x56: // UNICODE (raw-unicode-escape text)
      return { value: rawUnicodeEscape(c.line()) };
    case 0x54: // BINSTRING
      return { value: latin1Text(c.take(c.i32())) };
    case 0x55: // SHORT_BINSTRING
      return { value: latin1Text(c.take(c.u8())) };
    case 0x53: // STRING (a quoted Python 2 str)
      return { value: c.text().replace(/^['"]|['"]$/g, '') };
    case 0x42: // BINBYTES
      return { value: c.take(c.u32()).slice() };
    case 0x43: // SHORT_BINBYTES
      return { value: c.take(c.u8()).slice() };
    case 0x8e: // BINBYTES8
      return { value: c.take(c.u64()).slice() };
    case 0x96: // BYTEARRAY8 (protocol 5 in-band buffers)
      return { value: c.take(c.u64()).slice() };
    default:
      return null;
  }
}
