import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * Test helper: a zlib stream of `bytes` zeros built without deflating them — one deflate block
 * of 1 MiB of zeros (ending on a byte boundary after a full flush) repeated, a final empty
 * block, and the Adler-32 of that many zeros (a = 1, b = bytes mod 65521). About 1 KB per GB,
 * made in milliseconds; `zlib.inflateSync` accepts it (the codecs test checks that).
 */
export function zlibZeros(bytes: number): Buffer {
  const piece = 2 ** 20;
  const block = zlib.deflateRawSync(Buffer.alloc(piece), { finishFlush: zlib.constants.Z_FULL_FLUSH });
  const blocks = Math.ceil(bytes / piece);
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((blocks * piece) % 65521) * 65536 + 1) >>> 0);
  return Buffer.concat([
    Buffer.from([0x78, 0x9c]),
    ...new Array<Buffer>(blocks).fill(block),
    Buffer.from([0x03, 0x00]),
    adler,
  ]);
}

/**
 * Writes a deflate bomb as an attacker would: a little-endian TIFF of one uint16 page of
 * width × height pixels stored as ONE deflate strip of `streamBytes` zeros (default: exactly the
 * page). 30 000² makes a 1.7 MB file that declares 1.8 GB.
 */
export function writeDeflateBombTiff(
  file: string,
  width: number,
  height: number,
  streamBytes = width * height * 2,
): void {
  const strip = zlibZeros(streamBytes);
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 16],
    [259, 3, 8], // deflate
    [262, 3, 1],
    [273, 4, 0], // StripOffsets, filled below
    [277, 3, 1],
    [278, 4, height], // one strip
    [279, 4, strip.length],
  ];
  const ifdBytes = 2 + entries.length * 12 + 4;
  const dataAt = 8 + ifdBytes;
  entries[5][2] = dataAt;
  const head = Buffer.alloc(dataAt);
  head.write('II', 0, 'latin1');
  head.writeUInt16LE(42, 2);
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const p = 10 + i * 12;
    head.writeUInt16LE(tag, p);
    head.writeUInt16LE(type, p + 2);
    head.writeUInt32LE(1, p + 4);
    if (type === 3) head.writeUInt16LE(value, p + 8);
    else head.writeUInt32LE(value, p + 8);
  });
  fs.writeFileSync(file, Buffer.concat([head, strip]));
}
