/**
 * Where a collection's files come from: a folder on disk or a checked ZIP read in place. Both
 * give the same view (relative POSIX paths, sizes, bytes, sha256), so layout detection and
 * inspection do not care which one they read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CheckedZip, DEFAULT_ZIP_LIMITS, type ZipLimits } from './archive';
import { CollectionError } from './errors';

export interface SourceFile {
  path: string;
  size: number;
}

export interface CollectionSource {
  /** What to call it in messages: the ZIP or folder path. */
  readonly label: string;
  readonly kind: 'zip' | 'folder';
  files(): SourceFile[];
  has(p: string): boolean;
  read(p: string): Promise<Buffer>;
  sha256(p: string): Promise<string>;
  /** A real file for `p` (folders: the file itself; ZIPs: a copy in a temp folder removed by close()). */
  localPath(p: string): Promise<string>;
  close(): Promise<void>;
}

/** The record the library writes beside an extracted collection; not part of the collection. */
export const LIBRARY_RECORD_FILE = '.hitmic-collection.json';

/** Files larger than this are not read into memory for inspection (they are still hashed). */
export const MAX_READ_BYTES = 2 * 1024 ** 3;

/** A collection folder; the library's record file at its root is not listed. */
export class FolderSource implements CollectionSource {
  readonly kind = 'folder';
  private readonly list: SourceFile[];
  /** Symbolic links found (and skipped): reported by inspect as problems. */
  readonly skippedLinks: string[] = [];

  constructor(readonly root: string) {
    this.label = root;
    this.list = [];
    this.walk('');
  }
  readonly label: string;

  private walk(rel: string): void {
    for (const d of fs.readdirSync(path.join(this.root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${d.name}` : d.name;
      if (p === LIBRARY_RECORD_FILE) continue;
      if (d.isSymbolicLink()) this.skippedLinks.push(p);
      else if (d.isDirectory()) this.walk(p);
      else if (d.isFile()) this.list.push({ path: p, size: fs.statSync(path.join(this.root, p)).size });
    }
  }
  files(): SourceFile[] {
    return this.list;
  }
  has(p: string): boolean {
    return this.list.some((f) => f.path === p);
  }
  private abs(p: string): string {
    if (!this.has(p))
      throw new CollectionError('DANGLING_REFERENCE', `${p} is not a file of the collection ${this.root}`, {
        path: this.root,
        entry: p,
      });
    return path.join(this.root, ...p.split('/'));
  }
  async read(p: string): Promise<Buffer> {
    return fs.promises.readFile(this.abs(p));
  }
  async sha256(p: string): Promise<string> {
    const h = crypto.createHash('sha256');
    await pipeline(fs.createReadStream(this.abs(p)), h);
    return h.digest('hex');
  }
  async localPath(p: string): Promise<string> {
    return this.abs(p);
  }
  async close(): Promise<void> {}
}

export class ZipSource implements CollectionSource {
  readonly kind = 'zip';
  private tmp: string | null = null;
  private readonly hashes = new Map<string, string>();
  private constructor(private readonly zip: CheckedZip) {
    this.label = zip.archivePath;
  }
  readonly label: string;

  /** Opens and checks the archive (see CheckedZip.open for the refusals). */
  static async open(archive: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipSource> {
    return new ZipSource(await CheckedZip.open(archive, limits));
  }
  files(): SourceFile[] {
    return this.zip.files().map((e) => ({ path: e.path, size: e.size }));
  }
  has(p: string): boolean {
    return !!this.zip.find(p);
  }
  private entry(p: string) {
    const e = this.zip.find(p);
    if (!e)
      throw new CollectionError('DANGLING_REFERENCE', `${p} is not in the collection ${this.label}`, {
        path: this.label,
        entry: p,
      });
    return e;
  }
  async read(p: string): Promise<Buffer> {
    const e = this.entry(p);
    if (e.size > MAX_READ_BYTES)
      throw new CollectionError(
        'ENTRY_TOO_LARGE',
        `${p} is too large to inspect in memory (${e.size} bytes)`,
        { path: this.label, entry: p },
      );
    const buf = await this.zip.read(e);
    this.hashes.set(p, crypto.createHash('sha256').update(buf).digest('hex'));
    return buf;
  }
  async sha256(p: string): Promise<string> {
    const known = this.hashes.get(p);
    if (known) return known;
    const h = crypto.createHash('sha256');
    await pipeline(await this.zip.openStream(this.entry(p)), h);
    const hex = h.digest('hex');
    this.hashes.set(p, hex);
    return hex;
  }
  async localPath(p: string): Promise<string> {
    const e = this.entry(p);
    this.tmp ??= await fs.promises.mkdtemp(path.join(os.tmpdir(), 'hitmic-collection-'));
    const target = path.join(this.tmp, ...p.split('/'));
    if (!fs.existsSync(target)) {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await pipeline(await this.zip.openStream(e), fs.createWriteStream(target, { flags: 'wx' }));
    }
    return target;
  }
  /** Extracts every entry under `dir` (an existing, empty folder). */
  async extractTo(dir: string): Promise<void> {
    await this.zip.extractTo(dir);
  }
  async close(): Promise<void> {
    this.zip.close();
    if (this.tmp) await fs.promises.rm(this.tmp, { recursive: true, force: true });
    this.tmp = null;
  }
}

/** Opens a ZIP or a folder as a collection source. */
export async function openSource(p: string, limits?: ZipLimits): Promise<CollectionSource> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(p);
  } catch {
    throw new CollectionError(
      'NOT_FOUND',
      `Model collection not found at ${p}. Check the path (a .zip file, a collection folder or a library id).`,
      { path: p },
    );
  }
  return st.isDirectory() ? new FolderSource(p) : ZipSource.open(p, limits);
}

/** A view of another source restricted to one folder, with that folder as the root. */
export class SubfolderSource implements CollectionSource {
  readonly kind: 'zip' | 'folder';
  readonly label: string;
  constructor(
    private readonly inner: CollectionSource,
    readonly prefix: string,
  ) {
    this.kind = inner.kind;
    this.label = `${inner.label} (folder ${prefix})`;
  }
  files(): SourceFile[] {
    return this.inner
      .files()
      .filter((f) => f.path.startsWith(`${this.prefix}/`))
      .map((f) => ({ path: f.path.slice(this.prefix.length + 1), size: f.size }));
  }
  has(p: string): boolean {
    return this.inner.has(`${this.prefix}/${p}`);
  }
  read(p: string): Promise<Buffer> {
    return this.inner.read(`${this.prefix}/${p}`);
  }
  sha256(p: string): Promise<string> {
    return this.inner.sha256(`${this.prefix}/${p}`);
  }
  localPath(p: string): Promise<string> {
    return this.inner.localPath(`${this.prefix}/${p}`);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/** Folders that archivers add and that are never part of a collection. */
const JUNK = /^(__MACOSX)(\/|$)|(^|\/)\.DS_Store$/;

/**
 * When every file sits inside one top-level folder that holds `config.yml` or a per-model folder
 * (what zipping a folder instead of its contents gives), returns a view rooted at that folder;
 * otherwise returns `src` itself. Such a ZIP is read with a warning: HiTMicTools refuses it.
 */
export function unwrapSingleFolder(src: CollectionSource): CollectionSource {
  if (src.has('config.yml') || src.has('config.yaml')) return src;
  const files = src.files().filter((f) => !JUNK.test(f.path));
  if (files.length === 0 || files.some((f) => !f.path.includes('/'))) return src;
  const tops = new Set(files.map((f) => f.path.slice(0, f.path.indexOf('/'))));
  if (tops.size !== 1) return src;
  const [top] = [...tops];
  const looksLikeCollection = files.some(
    (f) => f.path === `${top}/config.yml` || /^[^/]+\/[^/]+\/model\.[^/]+$/.test(f.path),
  );
  return looksLikeCollection ? new SubfolderSource(src, top) : src;
}
