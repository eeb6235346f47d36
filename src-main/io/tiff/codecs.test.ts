import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { firstDifference } from '../testing/arrays';
import { zlibZeros } from '../testing/bombs';
import { decodeDeflate, decodeLzw, decodePackBits, decodeZstd, zstdContentSize } from './codecs';
import { halfToFloat, undoFloatPredictor, undoHorizontal, unpackBits } from './samples';

/**
 * A straightforward TIFF LZW encoder (MSB-first, early change, Clear at table full) used only to
 * produce test streams for the decoder: independent code, written from the TIFF 6.0 description.
 */
function encodeLzw(data: Uint8Array, withEoi = true): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nacc = 0;
  const emit = (code: number, width: number): void => {
    acc = (acc << width) | code;
    nacc += width;
    while (nacc >= 8) {
      out.push((acc >>> (nacc - 8)) & 0xff);
      nacc -= 8;
    }
    acc &= (1 << nacc) - 1;
  };
  let dict = new Map<string, number>();
  let next = 258;
  let width = 9;
  emit(256, width);
  let w = '';
  for (const byte of data) {
    const wc = w + String.fromCharCode(byte);
    if (wc.length === 1 || dict.has(wc)) {
      w = wc;
      continue;
    }
    emit(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!, width);
    dict.set(wc, next++);
    if (next >= 1 << width && width < 12) width++;
    if (next >= 4094) {
      emit(256, width);
      dict = new Map();
      next = 258;
      width = 9;
    }
    w = String.fromCharCode(byte);
  }
  if (w) emit(w.length === 1 ? w.charCodeAt(0) : dict.get(w)!, width);
  if (withEoi) {
    next++;
    if (next >= 1 << width && width < 12) width++;
    emit(257, width);
  }
  if (nacc > 0) out.push((acc << (8 - nacc)) & 0xff);
  return Uint8Array.from(out);
}

function pseudoRandom(n: number, levels: number, seed = 1): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return (s >>> 24) % levels;
  });
}

describe('LZW', () => {
  it('round-trips data that grows the code width to 12 bits and forces Clear codes', () => {
    for (const levels of [2, 16, 256]) {
      const data = pseudoRandom(200_000, levels, levels);
      const out = new Uint8Array(data.length);
      expect(decodeLzw(encodeLzw(data), out)).toBe(data.length);
      expect(firstDifference(out, data)).toBe(-1);
    }
  });

  it('stops at the output size and accepts a stream without EOI', () => {
    const data = pseudoRandom(5000, 4);
    const short = new Uint8Array(1000);
    expect(decodeLzw(encodeLzw(data), short)).toBe(1000);
    expect(firstDifference(short, data.subarray(0, 1000))).toBe(-1);
    const full = new Uint8Array(5000);
    expect(decodeLzw(encodeLzw(data, false), full)).toBe(5000);
    expect(firstDifference(full, data)).toBe(-1);
  });

  it('rejects a code beyond the table and old-style LZW', () => {
    // Clear, literal 'A', then code 300 (table only holds 258): 9-bit codes 256, 65, 300.
    const bad = Uint8Array.from([0x80, 0x10, 0x65, 0x80]);
    expect(() => decodeLzw(bad, new Uint8Array(10))).toThrow(/invalid LZW code/);
    expect(() => decodeLzw(Uint8Array.from([0x00, 0x01, 0x02]), new Uint8Array(10))).toThrow(/old-style/);
  });
});

describe('PackBits', () => {
  it('decodes the TIFF 6.0 specification example', () => {
    const src = Uint8Array.from([
      0xfe, 0xaa, 0x02, 0x80, 0x00, 0x2a, 0xfd, 0xaa, 0x03, 0x80, 0x00, 0x2a, 0x22, 0xf7, 0xaa,
    ]);
    const expected = [
      0xaa,
      0xaa,
      0xaa,
      0x80,
      0x00,
      0x2a,
      0xaa,
      0xaa,
      0xaa,
      0xaa,
      0x80,
      0x00,
      0x2a,
      0x22,
      ...new Array(10).fill(0xaa),
    ];
    const out = new Uint8Array(expected.length);
    expect(decodePackBits(src, out)).toBe(expected.length);
    expect(Array.from(out)).toEqual(expected);
  });

  it('ignores the -128 no-op and never writes past the output', () => {
    const out = new Uint8Array(3);
    expect(decodePackBits(Uint8Array.from([0x80, 0x81, 0x07]), out)).toBe(3); // run of 128 capped at 3
    expect(Array.from(out)).toEqual([7, 7, 7]);
  });
});

describe('deflate and zstd', () => {
  it('deflate decodes into the chunk, also through the stream path of large chunks', async () => {
    const data = pseudoRandom(10_000, 7);
    const out = new Uint8Array(10_000);
    expect(await decodeDeflate(zlib.deflateSync(data), out)).toBe(10_000);
    expect(firstDifference(out, data)).toBe(-1);
    const big = pseudoRandom(20 * 2 ** 20, 3);
    const bigOut = new Uint8Array(big.length);
    expect(await decodeDeflate(zlib.deflateSync(big, { level: 1 }), bigOut)).toBe(big.length);
    expect(firstDifference(bigOut, big)).toBe(-1);
  });

  it('the zero-bomb helper is a valid zlib stream (so the tests below test the cap, not a broken stream)', () => {
    expect(zlib.inflateSync(zlibZeros(3 * 2 ** 20)).length).toBe(3 * 2 ** 20);
  });

  it('a deflate bomb stops at the chunk size: 4 GiB of zeros into 1000 bytes or 32 MiB is never inflated', async () => {
    const bomb = zlibZeros(4 * 2 ** 30); // ~4 MB of stream; inflated in full it would take ~10 s and 4 GiB
    const small = new Uint8Array(1000).fill(9);
    const t0 = performance.now();
    expect(await decodeDeflate(bomb, small)).toBe(1000);
    expect(small.every((v) => v === 0)).toBe(true);
    const large = new Uint8Array(32 * 2 ** 20).fill(9);
    expect(await decodeDeflate(bomb, large)).toBe(large.length);
    expect(large[large.length - 1]).toBe(0);
    // Generous: only "did not inflate the 4 GiB" is asserted, not a speed.
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('an aborted signal stops a streamed inflation', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(
      decodeDeflate(zlibZeros(64 * 2 ** 20), new Uint8Array(40 * 2 ** 20), ac.signal),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  // A hand-built zstd frame (RFC 8878): magic, single-segment header with content size 18, one raw last block.
  const text = Buffer.from('hello hello hello\n', 'latin1');
  const frame = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, 18, 1 | (18 << 3), 0, 0, ...text]);

  it('zstd decodes through the bundled WASM decoder', async () => {
    expect(zstdContentSize(frame)).toBe(18);
    const out = new Uint8Array(18);
    expect(await decodeZstd(frame, out)).toBe(18);
    expect(Buffer.from(out).toString('latin1')).toBe('hello hello hello\n');
  });

  it('zstd data declaring more than its chunk is refused before the decoder allocates it', async () => {
    // Content size field of 8 bytes (flag 3) declaring 2^40 bytes, then an RLE block.
    const huge = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 1, 0, 0, 3, 0, 0, 0]);
    expect(zstdContentSize(huge)).toBe(2 ** 40);
    await expect(decodeZstd(huge, new Uint8Array(64))).rejects.toThrow(
      /declares 1099511627776 decoded bytes/,
    );
    expect(zstdContentSize(Uint8Array.from([1, 2, 3, 4, 5]))).toBeNull();
  });

  /** A frame without a content size (as libtiff writes them): window byte, then the given blocks. */
  const unsized = (window: number, blocks: number[]): Uint8Array =>
    Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, window, ...blocks]);

  it('zstd frames without a declared size stream into the chunk; a bomb of them stops once it is full', async () => {
    const plain = unsized(0x50, [1 | (18 << 3), 0, 0, ...text]);
    expect(zstdContentSize(plain)).toBeNull();
    const out = new Uint8Array(18);
    expect(await decodeZstd(plain, out)).toBe(18);
    expect(Buffer.from(out).toString('latin1')).toBe('hello hello hello\n');
    // 1M RLE blocks of 128 KiB of 7s (4 bytes each): 128 GiB declared by nothing, 4 MB of input.
    const blocks = new Uint8Array(4 * 2 ** 20);
    for (let i = 0; i < blocks.length; i += 4) blocks.set([2, 0, 0x10, 7], i);
    blocks[blocks.length - 4] = 3; // the last block
    const bomb = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38, ...blocks]);
    const chunk = new Uint8Array(3 * 2 ** 20);
    const t0 = performance.now();
    expect(await decodeZstd(bomb, chunk)).toBe(chunk.length);
    expect(chunk[chunk.length - 1]).toBe(7);
    expect(performance.now() - t0).toBeLessThan(5000); // does not decode the 128 GiB
  });

  it('corrupt zstd data fails instead of looping forever (the stream decoder makes no progress on it)', async () => {
    // Block type 3 is reserved: the decoder errs and, fed again, would err forever.
    await expect(decodeZstd(unsized(0x50, [7, 0, 0, 1, 2, 3, 4]), new Uint8Array(64))).rejects.toThrow(
      /corrupt/,
    );
  });
});

describe('sample transforms', () => {
  it('horizontal predictor accumulates per row with the pixel stride and wraps', () => {
    const a = Uint16Array.from([1, 10, 1, 10, 65535, 5, 2, 0, 3, 0, 1, 0]); // 2 rows × 3 px × 2 samples
    undoHorizontal(a, 2, 6, 2);
    expect(Array.from(a)).toEqual([1, 10, 2, 20, 1, 25, 2, 0, 5, 0, 6, 0]);
  });

  it('floating-point predictor restores float32 from byte-shuffled differences', () => {
    const values = Float32Array.from([1.5, -2.25, 1e-3, 65504]);
    const be = new Uint8Array(16);
    const dv = new DataView(be.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, false)); // big-endian bytes per value
    const shuffled = new Uint8Array(16);
    for (let i = 0; i < 4; i++) for (let b = 0; b < 4; b++) shuffled[b * 4 + i] = be[i * 4 + b];
    for (let i = 15; i > 0; i--) shuffled[i] = (shuffled[i] - shuffled[i - 1]) & 0xff;
    undoFloatPredictor(shuffled, 1, 4, 4, 1, new Uint8Array(16));
    expect(Array.from(new Float32Array(shuffled.buffer))).toEqual(Array.from(values));
  });

  it('unpacks MSB-first 12-bit samples with byte-aligned rows, and widens float16', () => {
    const out = new Uint16Array(4);
    unpackBits(Uint8Array.from([0xab, 0xcd, 0xef, 0x12, 0x30, 0x00]), 2, 2, 3, 12, out);
    expect(Array.from(out)).toEqual([0xabc, 0xdef, 0x123, 0x000]);
    const f = new Float32Array(4);
    halfToFloat(Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001]), f);
    expect(Array.from(f)).toEqual([1, -2, 65504, 2 ** -24]);
  });
});
