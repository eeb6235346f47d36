import zlib from 'node:zlib';
import type { ZSTDDecoder } from 'zstddec/stream';

/**
 * Decoders for TIFF strip/tile compression. Each writes at most `out.length` bytes into `out`
 * and returns how many bytes it wrote; output beyond the chunk size is never produced (LZW,
 * PackBits, deflate) or refused before decoding (zstd), so a bomb costs no more than its chunk. A malformed
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

/** Chunks expected to inflate to more than this go through a stream into their destination. */
const SYNC_INFLATE_MAX = 16 * 2 ** 20;
const STREAM_CHUNK = 2 ** 20;

/**
 * zlib/deflate (Compression 8 and 32946) with Node's zlib, into `out`: returns the bytes written.
 * Inflation stops at `out.length` bytes, so a decompression bomb costs no more than its
 * destination: small chunks inflate synchronously with `maxOutputLength` = out.length (one
 * buffer, no concatenation); large ones, and any stream that holds more than its chunk (a bomb,
 * or a writer that stored a full last strip), inflate as a stream written straight into `out`,
 * 1 MiB at a time, and stopped when it is full. A truncated stream keeps what it decoded.
 * Aborting `signal` stops a streamed inflation between pieces.
 */
export async function decodeDeflate(src: Uint8Array, out: Uint8Array, signal?: AbortSignal): Promise<number> {
  if (out.length <= SYNC_INFLATE_MAX) {
    try {
      const res = zlib.inflateSync(src, {
        maxOutputLength: Math.max(1, out.length),
        chunkSize: Math.max(64, out.length + 1),
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
      });
      out.set(res);
      return res.length;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw err;
      // More than the chunk holds: take its first out.length bytes below, never the rest.
    }
  }
  return inflateInto(src, out, signal);
}

function inflateInto(src: Uint8Array, out: Uint8Array, signal?: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const z = zlib.createInflate({ chunkSize: STREAM_CHUNK, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    let o = 0;
    let settled = false;
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      z.destroy();
      if (err === undefined) resolve(o);
      else reject(err);
    };
    const onAbort = (): void =>
      settle(signal?.reason ?? new DOMException('The read was aborted', 'AbortError'));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    z.on('data', (piece: Buffer) => {
      if (settled) return;
      const n = Math.min(piece.length, out.length - o);
      out.set(piece.subarray(0, n), o);
      o += n;
      if (o >= out.length) settle();
    });
    z.on('end', () => settle());
    z.on('error', (e) => settle(e));
    z.end(src);
  });
}

/** zstd (Compression 50000) is decoded by zstddec's WASM build of the reference decoder; loaded on first use. */
let zstd: Promise<ZSTDDecoder> | null = null;

export function loadZstd(): Promise<ZSTDDecoder> {
  zstd ??= (async () => {
    const { ZSTDDecoder } = await import('zstddec/stream');
    const dec = new ZSTDDecoder();
    await dec.init();
    return dec;
  })();
  return zstd;
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * The total content size the zstd frames of `b` declare (RFC 8878 frame headers, skippable
 * frames skipped), or null when a frame does not declare it or the data is not whole frames.
 * The WASM decoder allocates whatever the headers declare, so this is read before decoding.
 */
export function zstdContentSize(b: Uint8Array): number | null {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let p = 0;
  let total = 0;
  let frames = 0;
  while (p < b.length) {
    if (p + 4 > b.length) return null;
    const magic = dv.getUint32(p, true);
    if (magic >>> 4 === 0x184d2a5) {
      if (p + 8 > b.length) return null;
      p += 8 + dv.getUint32(p + 4, true);
      continue;
    }
    if (magic !== ZSTD_MAGIC || p + 5 > b.length) return null;
    const fhd = b[p + 4];
    const single = (fhd >> 5) & 1;
    const fcsFlag = fhd >> 6;
    let q = p + 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3];
    const fcsSize = fcsFlag === 0 ? single : [0, 2, 4, 8][fcsFlag];
    if (fcsSize === 0 || q + fcsSize > b.length) return null;
    if (fcsSize === 1) total += b[q];
    else if (fcsSize === 2) total += dv.getUint16(q, true) + 256;
    else if (fcsSize === 4) total += dv.getUint32(q, true);
    else total += dv.getUint32(q, true) + dv.getUint32(q + 4, true) * 2 ** 32;
    q += fcsSize;
    for (let last = 0; !last;) {
      if (q + 3 > b.length) return null;
      const h = b[q] | (b[q + 1] << 8) | (b[q + 2] << 16);
      const type = (h >> 1) & 3;
      if (type === 3) return null; // reserved block type
      last = h & 1;
      q += 3 + (type === 1 ? 1 : h >>> 3);
    }
    q += (fhd >> 2) & 1 ? 4 : 0; // content checksum
    if (q > b.length) return null;
    p = q;
    frames++;
  }
  return frames > 0 ? total : null;
}

/**
 * zstd: returns bytes written into `out` (at most out.length). Frames that declare their size
 * (RFC 8878 Frame_Content_Size) are refused before decoding when they declare more than
 * `maxBytes` (default out.length; a chunk's full size for a last strip stored whole), else
 * decoded at that exact size. Frames without a size (libtiff writes them) are streamed into
 * `out` and the input stops once it is full, so a bomb costs out.length plus at most ~32 MB of
 * discarded output.
 */
export async function decodeZstd(src: Uint8Array, out: Uint8Array, maxBytes = out.length): Promise<number> {
  const dec = await loadZstd();
  const declared = zstdContentSize(src);
  if (declared === null) return zstdStreamInto(dec, src, out);
  if (declared > maxBytes)
    throw new Error(
      `the zstd data declares ${declared} decoded bytes, more than the ${maxBytes} it should hold`,
    );
  if (declared === 0) return 0;
  const res = dec.decode(src, declared);
  // A frame whose blocks disagree with its header makes the decoder return an error code as a size.
  if (res.length > declared) throw new Error('the zstd data does not decode to the size it declares');
  const n = Math.min(res.length, out.length);
  out.set(res.subarray(0, n));
  return n;
}

/** Input is fed this many bytes at a time, so that decoding can stop soon after `out` is full. */
const ZSTD_PIECE = 1024;

function zstdStreamInto(dec: ZSTDDecoder, src: Uint8Array, out: Uint8Array): number {
  let o = 0;
  let fed = 0;
  let full = false;
  let idle = 0;
  const pieces: Iterable<Uint8Array> = {
    *[Symbol.iterator]() {
      while (!full && fed < src.length) {
        idle = 0;
        const piece = src.subarray(fed, fed + ZSTD_PIECE);
        fed += piece.length;
        yield piece;
      }
    },
  };
  try {
    for (const part of dec.decodeStreaming(pieces)) {
      if (part.length === 0) {
        // Each call consumes input or makes output; a decoder in error does neither, forever.
        if (++idle > ZSTD_PIECE + 8)
          throw new Error('the zstd data is corrupt (the decoder makes no progress)');
        continue;
      }
      idle = 0;
      const n = Math.min(part.length, out.length - o);
      out.set(part.subarray(0, n), o);
      o += n;
      if (o >= out.length) full = true; // the current piece is decoded out (and dropped), then no more input
    }
  } catch (err) {
    // Stopping the input early leaves a frame unfinished, which the decoder reports: expected.
    if (!full) throw err;
  }
  return o;
}
