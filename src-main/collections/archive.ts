/**
 * Opening a collection ZIP safely. Every entry of the central directory is read and checked
 * (names, links, encryption, sizes, compression ratio) before any byte of content is read or
 * written; content is then read with its size and CRC-32 checked as it streams, so an archive
 * whose headers lie is still caught.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { checkNameSet, safeEntryName } from './archive-names';
import { EntryGuard, wrapStreamError, type ExtractionBudget } from './entry-guard';
import { CollectionError } from './errors';

/**
 * Limits against zip bombs; all configurable (`--max-total-mb` etc. on the CLI). The total
 * budget (sum of uncompressed sizes, and the archive's overall ratio) is checked on the central
 * directory before anything is extracted, and the bytes written are counted against it while
 * extracting.
 */
export interface ZipLimits {
  /** Sum of uncompressed sizes: the extraction budget. Default 8 GiB. */
  maxTotalBytes: number;
  /** One entry's uncompressed size. Default 4 GiB. */
  maxEntryBytes: number;
  /**
   * Uncompressed ÷ compressed size, of every entry above `ratioFloorBytes` and of the archive as
   * a whole once it extracts to more than `ratioFloorBytes` (many small entries of zeros each stay
   * under the floor; together they do not). Default 200; model weights compress about 1.1:1.
   */
  maxRatio: number;
  /** Entries (and archives) extracting to less than this are never ratio-checked (small text compresses well). Default 1 MiB. */
  ratioFloorBytes: number;
  /** Entries in the archive. Default 10 000. */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 8 * 1024 ** 3,
  maxEntryBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 1024 ** 2,
  maxEntries: 10_000,
};

export interface CheckedEntry {
  /** Normalised relative path. */
  path: string;
  isDirectory: boolean;
  size: number;
  compressedSize: number;
  raw: yauzl.Entry;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer | string;
  if (typeof raw === 'string') return raw;
  // Bit 11: the name is UTF-8. Otherwise CP437; read as UTF-8 when valid (most tools write UTF-8 anyway).
  const utf8 = raw.toString('utf8');
  if (entry.generalPurposeBitFlag & 0x800 || !utf8.includes('\uFFFD')) return utf8;
  return raw.toString('latin1');
}

/** A ZIP whose central directory passed every check. Close it when done. */
export class CheckedZip {
  private constructor(
    readonly archivePath: string,
    private readonly zip: yauzl.ZipFile,
    readonly entries: CheckedEntry[],
    readonly limits: ZipLimits,
  ) {}

  /**
   * Opens and checks `archivePath`. Throws CollectionError with a specific code: NOT_FOUND,
   * NOT_A_ZIP, ZIP_TRUNCATED, ZIP_CORRUPT, EMPTY_ARCHIVE, UNSAFE_PATH_*, SYMLINK_ENTRY,
   * DUPLICATE_ENTRY, CASE_COLLISION, ENCRYPTED_ENTRY, ENTRY_TOO_LARGE, TOTAL_TOO_LARGE,
   * TOO_MANY_ENTRIES, COMPRESSION_RATIO, UNSUPPORTED_COMPRESSION.
   */
  static async open(archivePath: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<CheckedZip> {
    let head: Buffer;
    try {
      const fd = await fs.promises.open(archivePath, 'r');
      try {
        head = Buffer.alloc(4);
        await fd.read(head, 0, 4, 0);
      } finally {
        await fd.close();
      }
    } catch (err) {
      throw new CollectionError(
        'NOT_FOUND',
        `Model collection not found at ${archivePath} (${(err as NodeJS.ErrnoException).code ?? String(err)}). Check the path.`,
        { path: archivePath },
      );
    }
    const sig = head.readUInt32LE(0);
    if (sig !== 0x04034b50 && sig !== 0x06054b50) {
      throw new CollectionError(
        'NOT_A_ZIP',
        `${archivePath} is not a ZIP archive (it does not start with the ZIP signature 'PK'). A model collection is a .zip file.`,
        { path: archivePath },
      );
    }
    const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.open(
        archivePath,
        { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
        (err, z) => {
          if (err || !z) {
            const code = /end of central directory|not found|truncated|out of range/i.test(
              String(err?.message),
            )
              ? 'ZIP_TRUNCATED'
              : 'ZIP_CORRUPT';
            reject(
              new CollectionError(
                code,
                `${archivePath} is ${code === 'ZIP_TRUNCATED' ? 'truncated or incomplete' : 'corrupt'} (${err?.message ?? 'unknown error'}). Download or copy it again.`,
                { path: archivePath },
              ),
            );
          } else resolve(z);
        },
      );
    });
    try {
      const raw = await readAllEntries(zip, archivePath, limits);
      const entries = checkEntries(raw, archivePath, limits);
      return new CheckedZip(archivePath, zip, entries, limits);
    } catch (err) {
      zip.close();
      throw err;
    }
  }

  close(): void {
    this.zip.close();
  }

  files(): CheckedEntry[] {
    return this.entries.filter((e) => !e.isDirectory && e.path !== '');
  }

  find(p: string): CheckedEntry | undefined {
    return this.entries.find((e) => e.path === p && !e.isDirectory);
  }

  /** A stream of the entry's content that fails on size or CRC mismatch (and past `budget`, when given). */
  async openStream(entry: CheckedEntry, budget?: ExtractionBudget): Promise<NodeJS.ReadableStream> {
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
      this.zip.openReadStream(entry.raw, (err, s) => {
        if (err || !s)
          reject(
            new CollectionError(
              'ZIP_CORRUPT',
              `Cannot read ${entry.path} from ${this.archivePath}: ${err?.message}. The archive is damaged; copy it again.`,
              { path: this.archivePath, entry: entry.path },
            ),
          );
        else resolve(s);
      });
    });
    const guard = new EntryGuard(entry, this.archivePath, budget);
    stream.on('error', (e: Error) => guard.destroy(wrapStreamError(e, entry, this.archivePath)));
    return stream.pipe(guard);
  }

  /** Reads an entry into memory (size- and CRC-checked). */
  async read(entry: CheckedEntry): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const s = await this.openStream(entry);
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** The sum of the entries' uncompressed sizes, as the central directory declares them. */
  get totalBytes(): number {
    return this.entries.reduce((sum, e) => sum + e.size, 0);
  }

  /**
   * Writes every entry under `dir` (which must exist and be empty). Files are created exclusively
   * ('wx'), so nothing outside `dir` or already present can be overwritten. The bytes written are
   * counted across entries against the extraction budget — the declared total, `maxTotalBytes`,
   * and `maxBytes` when given (e.g. the free disk space) — and extraction stops with
   * TOTAL_TOO_LARGE the moment they pass it, whatever the headers said.
   */
  async extractTo(dir: string, opts: { maxBytes?: number } = {}): Promise<void> {
    const budget: ExtractionBudget = {
      written: 0,
      max: Math.min(this.totalBytes, this.limits.maxTotalBytes, opts.maxBytes ?? Infinity),
    };
    for (const e of this.entries) {
      if (e.path === '') continue;
      const target = path.join(dir, ...e.path.split('/'));
      if (!target.startsWith(dir + path.sep))
        throw new CollectionError(
          'UNSAFE_PATH_TRAVERSAL',
          `Entry ${e.path} resolves outside the extraction folder`,
          { path: this.archivePath, entry: e.path },
        );
      if (e.isDirectory) {
        await fs.promises.mkdir(target, { recursive: true });
        continue;
      }
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await pipeline(await this.openStream(e, budget), fs.createWriteStream(target, { flags: 'wx' }));
    }
  }
}

function readAllEntries(zip: yauzl.ZipFile, archive: string, limits: ZipLimits): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      if (out.length > limits.maxEntries) {
        reject(
          new CollectionError(
            'TOO_MANY_ENTRIES',
            `${archive} has more than ${limits.maxEntries} entries; a model collection has a few dozen. Refused.`,
            { path: archive, expected: limits.maxEntries },
          ),
        );
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(out));
    zip.on('error', (err: Error) => {
      const truncated = /end of file|truncated|out of range|unexpected EOF/i.test(err.message);
      reject(
        new CollectionError(
          truncated ? 'ZIP_TRUNCATED' : 'ZIP_CORRUPT',
          `${archive} is ${truncated ? 'truncated' : 'corrupt'} (${err.message}). Download or copy it again.`,
          { path: archive },
        ),
      );
    });
    zip.readEntry();
  });
}

function checkEntries(raw: yauzl.Entry[], archive: string, limits: ZipLimits): CheckedEntry[] {
  if (raw.length === 0)
    throw new CollectionError(
      'EMPTY_ARCHIVE',
      `${archive} is an empty ZIP archive; a model collection holds config.yml, models/ and metadata/.`,
      { path: archive },
    );
  const entries: CheckedEntry[] = [];
  let total = 0;
  let compressed = 0;
  for (const e of raw) {
    const name = decodeName(e);
    const safe = safeEntryName(name, archive);
    const mode = (e.externalFileAttributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) {
      throw new CollectionError(
        'SYMLINK_ENTRY',
        `Model collection ${archive}: entry ${JSON.stringify(name)} is a symbolic link; links could point outside the collection, so the archive was not extracted. Zip the real files instead (zip without -y).`,
        { path: archive, entry: name },
      );
    }
    if (e.generalPurposeBitFlag & 0x1) {
      throw new CollectionError(
        'ENCRYPTED_ENTRY',
        `Model collection ${archive}: entry ${JSON.stringify(name)} is encrypted; collections must not be password-protected. Re-zip it without a password.`,
        { path: archive, entry: name },
      );
    }
    if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
      throw new CollectionError(
        'UNSUPPORTED_COMPRESSION',
        `Model collection ${archive}: entry ${JSON.stringify(name)} uses compression method ${e.compressionMethod}; only stored (0) and deflate (8) are supported. Re-zip with standard settings.`,
        { path: archive, entry: name, actual: e.compressionMethod },
      );
    }
    if (e.uncompressedSize > limits.maxEntryBytes) {
      throw new CollectionError(
        'ENTRY_TOO_LARGE',
        `Model collection ${archive}: entry ${JSON.stringify(name)} would be ${e.uncompressedSize} bytes, above the limit of ${limits.maxEntryBytes} bytes per file. Raise the limit (--max-entry-mb) only if you trust this archive.`,
        { path: archive, entry: name, expected: limits.maxEntryBytes, actual: e.uncompressedSize },
      );
    }
    if (
      e.uncompressedSize > limits.ratioFloorBytes &&
      e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio
    ) {
      const ratio = Math.round(e.uncompressedSize / Math.max(1, e.compressedSize));
      throw new CollectionError(
        'COMPRESSION_RATIO',
        `Model collection ${archive}: entry ${JSON.stringify(name)} compresses ${ratio}:1 (limit ${limits.maxRatio}:1), the mark of a zip bomb; refused. Raise --max-ratio only if you trust this archive.`,
        { path: archive, entry: name, expected: limits.maxRatio, actual: ratio },
      );
    }
    total += e.uncompressedSize;
    compressed += e.compressedSize;
    if (total > limits.maxTotalBytes) {
      throw new CollectionError(
        'TOTAL_TOO_LARGE',
        `Model collection ${archive} would extract to more than ${limits.maxTotalBytes} bytes (limit); refused. Raise --max-total-mb only if you trust this archive.`,
        { path: archive, expected: limits.maxTotalBytes, actual: total },
      );
    }
    entries.push({
      path: safe.path,
      isDirectory: safe.isDirectory,
      size: e.uncompressedSize,
      compressedSize: e.compressedSize,
      raw: e,
    });
  }
  const ratio = total / Math.max(1, compressed);
  if (total > limits.ratioFloorBytes && ratio > limits.maxRatio) {
    throw new CollectionError(
      'COMPRESSION_RATIO',
      `Model collection ${archive}: its ${entries.length} entries would extract to ${total} bytes from ${compressed} compressed, ${Math.round(ratio)}:1 for the archive as a whole (limit ${limits.maxRatio}:1), the mark of a zip bomb made of many small entries; refused before extracting anything. Raise --max-ratio only if you trust this archive.`,
      { path: archive, expected: limits.maxRatio, actual: Math.round(ratio) },
    );
  }
  checkNameSet(entries, archive);
  return entries;
}
