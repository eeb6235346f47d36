/**
 * Writes ZIP archives byte by byte, so tests can build the malicious and broken archives that
 * yazl (rightly) refuses to write: `../` names, absolute names, symlink entries, encrypted flags,
 * duplicate names, headers that lie about sizes. The format follows APPNOTE.TXT 6.3 (no ZIP64).
 */
import zlib from 'node:zlib';

export interface RawEntry {
  /** Stored exactly as given (UTF-8). */
  name: string;
  data?: Buffer;
  /** 0 stored, 8 deflate (default). */
  method?: 0 | 8;
  /** Upper 16 bits: Unix mode (e.g. 0o120777 for a symlink). */
  unixMode?: number;
  /** General-purpose flags; bit 0 = encrypted. */
  flags?: number;
  /** Override the uncompressed size written in both headers (a lying header). */
  declaredSize?: number;
  /** Override the CRC-32 written in both headers. */
  crc?: number;
  /** The deflate stream of `data`, when a test stores one stream in many entries (saves deflating each). */
  deflated?: Buffer;
}

export function buildZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = e.data ?? Buffer.alloc(0);
    const method = e.method ?? 8;
    const body = method === 8 ? (e.deflated ?? zlib.deflateRawSync(data)) : data;
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.crc ?? zlib.crc32(data);
    const size = e.declaredSize ?? data.length;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(((e.unixMode ?? (e.name.endsWith('/') ? 0o40755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** A minimal valid HiTMicTools bundle's entries (config.yml naming one model and its metadata). */
export function minimalBundle(extra: RawEntry[] = [], configText?: string): RawEntry[] {
  return [
    {
      name: 'config.yml',
      data: Buffer.from(
        configText ??
          'pi_classification:\n  model_path: models/PIClassifier.pkl\n  model_metadata: metadata/PIClassifier.json\n',
      ),
    },
    { name: 'models/PIClassifier.pkl', data: Buffer.from('not really a pickle') },
    { name: 'metadata/PIClassifier.json', data: Buffer.from('{"original_name": "pi.pkl"}') },
    ...extra,
  ];
}

/** Every file and folder under `dir`, relative, sorted (for "nothing was written" assertions). */
export function listTree(
  fs: typeof import('node:fs'),
  path: typeof import('node:path'),
  dir: string,
): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      out.push(p);
      if (d.isDirectory()) walk(p);
    }
  };
  walk('');
  return out.sort();
}
