/**
 * The per-user collection library: every imported ZIP is checked, extracted once into a folder
 * named by the first 16 hex digits of its sha256, and reused on later imports of the same bytes.
 * Extraction goes to a `.tmp-*` folder inside the library and is renamed into place only when
 * complete; on any failure the temporary folder is removed, so nothing half-extracted is left.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CollectionLayout, LibraryEntry } from '../../src-shared/collections';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './archive';
import { CollectionError } from './errors';
import { resolveCollection, type ResolvedCollection } from './layout';
import {
  FolderSource,
  LIBRARY_RECORD_FILE,
  unwrapSingleFolder,
  ZipSource,
  type CollectionSource,
} from './source';

/** Name of the record each library folder carries. */
export const RECORD_FILE = LIBRARY_RECORD_FILE;

/**
 * The library folder: `--library`, else `$HITMIC_LIBRARY`, else the per-user data folder
 * (`$XDG_DATA_HOME` or `~/.local/share` on Linux, `%APPDATA%` on Windows,
 * `~/Library/Application Support` on macOS) + `hitmic-studio/collections`.
 */
export function defaultLibraryDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = os.homedir(),
): string {
  if (env.HITMIC_LIBRARY) return path.resolve(env.HITMIC_LIBRARY);
  let base: string;
  if (platform === 'win32') base = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else if (platform === 'darwin') base = path.join(home, 'Library', 'Application Support');
  else
    base =
      env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
        ? env.XDG_DATA_HOME
        : path.join(home, '.local', 'share');
  return path.join(base, 'hitmic-studio', 'collections');
}

export async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  await pipeline(fs.createReadStream(file), h);
  return h.digest('hex');
}

export interface ImportResult {
  entry: LibraryEntry;
  /** True when the same ZIP was already in the library (nothing was extracted). */
  reused: boolean;
}

async function readRecord(dir: string): Promise<LibraryEntry | null> {
  try {
    const r = JSON.parse(await fs.promises.readFile(path.join(dir, RECORD_FILE), 'utf8')) as LibraryEntry;
    return { ...r, path: dir };
  } catch {
    return null;
  }
}

/** The problems that keep a collection out of the library: config.yml names files it lacks, or no model at all. */
async function refuseDangling(src: CollectionSource, what: string): Promise<ResolvedCollection> {
  const resolved = await resolveCollection(src);
  const dangling = [...resolved.problems, ...resolved.models.flatMap((m) => m.problems)].filter(
    (p) => p.code === 'dangling-reference' || p.code === 'no-models',
  );
  if (dangling.length) {
    throw new CollectionError(
      'DANGLING_REFERENCE',
      `${what}: ${dangling[0].message}${dangling.length > 1 ? ` (and ${dangling.length - 1} more)` : ''}. The collection was not imported; ${dangling[0].fix ?? ''}`,
      { path: what, entry: dangling[0].path },
    );
  }
  return resolved;
}

/**
 * Imports a collection into the library: a ZIP (every entry validated by CheckedZip) or a
 * collection folder (the bundled demo collection, an unzipped bundle). The layout is resolved —
 * with dangling references in config.yml refused — before anything is written.
 */
export async function importCollection(
  sourcePath: string,
  library: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ImportResult> {
  const abs = path.resolve(sourcePath);
  if ((await fs.promises.stat(abs).catch(() => null))?.isDirectory()) return importFolder(abs, library);
  const src = await ZipSource.open(abs, limits);
  let layout: CollectionLayout;
  let name = path.basename(abs, path.extname(abs));
  try {
    const resolved = await refuseDangling(unwrapSingleFolder(src), abs);
    layout = resolved.layout;
    if (resolved.manifest?.name) name = resolved.manifest.name;
  } finally {
    await src.close();
  }
  const sha256 = await sha256File(abs);
  const st = await fs.promises.stat(abs);
  return install(
    library,
    { sha256, name, sourceName: path.basename(abs), size: st.size, layout },
    async (tmp) => {
      const zip = await ZipSource.open(abs, limits);
      try {
        await zip.extractTo(tmp);
      } finally {
        await zip.close();
      }
    },
  );
}

/**
 * A collection folder copied into the library, keyed like a ZIP by a sha256 — here of its
 * content (each file's path, size and sha256, in path order), so the same folder imported twice
 * is one entry. Symbolic links are not followed or copied (inspect names them).
 */
async function importFolder(dir: string, library: string): Promise<ImportResult> {
  const src = new FolderSource(dir);
  const resolved = await refuseDangling(src, dir);
  const files = [...src.files()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(`${f.path}\0${f.size}\0${await src.sha256(f.path)}\n`);
  const entry = {
    sha256: h.digest('hex'),
    name: resolved.manifest?.name || path.basename(dir),
    sourceName: path.basename(dir),
    size: files.reduce((n, f) => n + f.size, 0),
    layout: resolved.layout,
  };
  return install(library, entry, async (tmp) => {
    for (const f of files) {
      const to = path.join(tmp, ...f.path.split('/'));
      await fs.promises.mkdir(path.dirname(to), { recursive: true });
      await fs.promises.copyFile(await src.localPath(f.path), to, fs.constants.COPYFILE_EXCL);
    }
  });
}

/**
 * Puts a collection into `library/<id>`: `fill` writes its files into a temporary folder, which
 * gets the record and is renamed into place only when complete. The same bytes already there (or
 * put there meanwhile by another import) are reused.
 */
async function install(
  library: string,
  what: Pick<LibraryEntry, 'sha256' | 'name' | 'sourceName' | 'size' | 'layout'>,
  fill: (tmp: string) => Promise<void>,
): Promise<ImportResult> {
  const id = what.sha256.slice(0, 16);
  const target = path.join(library, id);
  const existing = await readRecord(target);
  if (existing && existing.sha256 === what.sha256) return { entry: existing, reused: true };
  if (fs.existsSync(target)) {
    throw new CollectionError(
      'OUTPUT_EXISTS',
      `Library folder ${target} exists but does not hold ${what.sourceName} (different or missing record). Remove it with 'hitmic collection remove ${id}' and import again.`,
      { path: target },
    );
  }
  await fs.promises.mkdir(library, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(library, '.tmp-import-'));
  try {
    await fill(tmp);
    const entry: LibraryEntry = { id, ...what, importedAt: new Date().toISOString(), path: target };
    await fs.promises.writeFile(
      path.join(tmp, RECORD_FILE),
      JSON.stringify({ ...entry, path: undefined }, null, 2),
    );
    try {
      await fs.promises.rename(tmp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const other = await readRecord(target);
      if ((code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') && other?.sha256 === what.sha256) {
        await fs.promises.rm(tmp, { recursive: true, force: true });
        return { entry: other, reused: true };
      }
      throw err;
    }
    return { entry, reused: false };
  } catch (err) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Collections in the library, newest import first. Temporary folders are skipped. */
export async function listLibrary(library: string): Promise<LibraryEntry[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(library);
  } catch {
    return [];
  }
  const out: LibraryEntry[] = [];
  for (const n of names) {
    if (n.startsWith('.')) continue;
    const r = await readRecord(path.join(library, n));
    if (r) out.push(r);
  }
  return out.sort((a, b) => b.importedAt.localeCompare(a.importedAt));
}

/** Finds a collection by id, id prefix (≥ 4 characters) or name. Throws NOT_IN_LIBRARY. */
export async function findInLibrary(library: string, ref: string): Promise<LibraryEntry> {
  const all = await listLibrary(library);
  const hits = all.filter(
    (e) => e.id === ref || (ref.length >= 4 && e.id.startsWith(ref)) || e.sha256 === ref || e.name === ref,
  );
  if (hits.length === 1) return hits[0];
  if (hits.length > 1)
    throw new CollectionError(
      'NOT_IN_LIBRARY',
      `'${ref}' matches ${hits.length} collections (${hits.map((h) => h.id).join(', ')}); give more of the id.`,
      { path: library, key: ref },
    );
  throw new CollectionError(
    'NOT_IN_LIBRARY',
    `No collection '${ref}' in the library ${library}. See 'hitmic collection list'.`,
    { path: library, key: ref },
  );
}

/** Removes a collection: renamed to a temporary name first so it disappears at once, then deleted. */
export async function removeFromLibrary(library: string, ref: string): Promise<LibraryEntry> {
  const e = await findInLibrary(library, ref);
  const doomed = path.join(library, `.tmp-remove-${e.id}-${process.pid}`);
  await fs.promises.rename(e.path, doomed);
  await fs.promises.rm(doomed, { recursive: true, force: true });
  return e;
}
