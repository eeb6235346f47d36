import zlib from 'node:zlib';

/**
 * Decoders for TIFF strip/tile compression. Each writes at most `out.length` bytes into `out`
 * and returns how many bytes it wrote; output beyond the chunk size is dropped. A malformed
 * stream throws a plain Error whose message the caller wraps with file/page context.
 */

/**
 * TIFF LZW (Compression 5): MSB-first codes of 9–12 bits, Clear = 256, EOI = 257, code width
 * grows one code early (at 511, 1023, 2047) as libtiff does. Old-style (LSB-first, pre-TIFF 6)
 * LZW is rejected. A stream that ends without EOI is accepted up to its last whole code.
 */
export function decodeLzw(src: Uint8Array, out: Uint8Array): number {
  if (src.length >= 2 && src[0] === 0 && (src[1] & 1) === 1) {
    throw new Error('old-style (LSB-first) LZW is not supported');
  }
  const prefix = new Uint16Array(4096);
  const suffix = new Uint8Array(4096);
  const first = new Uint8Array(4096);
  const length = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    first[i] = i;
    length[i] = 1;
  }
  const totalBits = src.length * 8;
  const outLen = out.length;
  let bitPos = 0;
  let width = 9;
  let next = 258;
  let old = -1;
  let o = 0;
  while (bitPos + width <= totalBits && o < outLen) {
    const bi = bitPos >>> 3;
    const word = (src[bi] << 16) | ((src[bi + 1] ?? 0) << 8) | (src[bi + 2] ?? 0);
    const code = (word >>> (24 - (bitPos & 7) - width)) & ((1 << width) - 1);
    bitPos += width;
    if (code === 257) break;
    if (code === 256) {
      width = 9;
      next = 258;
      old = -1;
      continue;
    }
    let emit: number;
    if (old === -1) {
      if (code > 255) throw new Error(`LZW stream starts with code ${code} (expected a literal)`);
      out[o++] = code;
      old = code;
      continue;
    } else if (code < next) {
      emit = code;
      if (next < 4096) {
        prefix[next] = old;
        suffix[next] = first[code];
        first[next] = first[old];
        length[next] = length[old] + 1;
        next++;
      }
    } else if (code === next && next < 4096) {
      prefix[next] = old;
      suffix[next] = first[old];
      first[next] = first[old];
      length[next] = length[old] + 1;
      next++;
      emit = code;
    } else {
      throw new Error(`invalid LZW code ${code} (table holds ${next})`);
    }
    // Write the string of `emit` backwards from its end.
    const len = length[emit];
    let end = o + len;
    if (end > outLen) {
      // Skip the tail that does not fit, then write what does.
      let c = emit;
      for (let k = end; k > outLen; k--) c = prefix[c];
      end = outLen;
      for (let k = end - 1; k >= o; k--) {
        out[k] = suffix[c];
        c = prefix[c];
      }
    } else {
      let c = emit;
      for (let k = end - 1; k >= o; k--) {
        out[k] = suffix[c];
        c = prefix[c];
      }
    }
    o = end;
    old = code;
    if (next + 1 >= 1 << width && width < 12) width++;
  }
  return o;
}

/** PackBits (Compression 32773): run-length; header n 0..127 copies n+1 bytes, -1..-127 repeats 1-n times, -128 is a no-op. */
export function decodePackBits(src: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let o = 0;
  const n = src.length;
  const outLen = out.length;
  while (i < n && o < outLen) {
    const h = src[i++];
    if (h < 128) {
      const cnt = Math.min(h + 1, outLen - o, n - i);
      out.set(src.subarray(i, i + cnt), o);
      i += h + 1;
      o += cnt;
    } else if (h > 128) {
      if (i >= n) break;
      const cnt = Math.min(257 - h, outLen - o);
      out.fill(src[i++], o, o + cnt);
      o += cnt;
    }
  }
  return o;
}

/**
 * zlib/deflate (Compression 8 and 32946) with Node's zlib. Output is capped at `out.length`
 * bytes (a decompression bomb cannot allocate more); a truncated stream keeps what it decoded.
 */
export function decodeDeflate(src: Uint8Array, out: Uint8Array): number {
  // Some writers pad a strip's stream; allow a little more than the chunk, never unbounded.
  const cap = out.length * 2 + 65536;
  const res = zlib.inflateSync(src, { maxOutputLength: cap, finishFlush: zlib.constants.Z_SYNC_FLUSH });
  const n = Math.min(res.length, out.length);
  out.set(res.subarray(0, n));
  return n;
}

/** The zstd frame decoder (Compression 50000) comes from geotiff's bundled WASM zstddec; loaded on first use. */
type ZstdDecode = (src: Uint8Array) => Uint8Array;
let zstdDecode: Promise<ZstdDecode> | null = null;

export function loadZstd(): Promise<ZstdDecode> {
  zstdDecode ??= (async () => {
    const geotiff = await import('geotiff');
    const params = { tileWidth: 1, tileHeight: 1, predictor: 1, bitsPerSample: 8, planarConfiguration: 1 };
    const dec = await geotiff.getDecoder(50000, params);
    return (src: Uint8Array): Uint8Array => {
      const copy = src.slice().buffer;
      // decodeBlock is synchronous for zstd once the WASM module is initialised.
      const res = (dec as unknown as { decodeBlock(b: ArrayBuffer): ArrayBufferLike }).decodeBlock(copy);
      return new Uint8Array(res);
    };
  })();
  return zstdDecode;
}

/** zstd: returns bytes written into `out` (at most out.length). */
export async function decodeZstd(src: Uint8Array, out: Uint8Array): Promise<number> {
  const dec = await loadZstd();
  const res = dec(src);
  const n = Math.min(res.length, out.length);
  out.set(res.subarray(0, n));
  return n;
}
