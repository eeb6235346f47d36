/** Decoders for the text and integer encodings pickle opcodes use. */

const latin1 = new TextDecoder('latin1');

export function latin1Text(b: Uint8Array): string {
  return latin1.decode(b);
}

/**
 * Python's `raw-unicode-escape`, as protocol 0 writes str (opcode UNICODE): bytes are code points
 * 0–255, and `\uXXXX` / `\UXXXXXXXX` stand for the rest. The pickler escapes every backslash of the
 * text itself as `\u005c`, so a backslash not starting such an escape is kept as it is.
 */
export function rawUnicodeEscape(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === 0x5c && i + 1 < b.length && (b[i + 1] === 0x75 || b[i + 1] === 0x55)) {
      const digits = b[i + 1] === 0x75 ? 4 : 8;
      const hex = latin1.decode(b.subarray(i + 2, i + 2 + digits));
      if (hex.length === digits && /^[0-9a-fA-F]+$/.test(hex)) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + digits;
        continue;
      }
    }
    out += String.fromCharCode(c);
  }
  return out;
}

/** A little-endian two's complement integer (LONG1/LONG4): a number when safe, else a bigint. */
export function signedLittleEndian(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
