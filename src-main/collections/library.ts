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
import { resolveCollection } from './layout';
import { LIBRARY_RECORD_FILE, unwrapSingleFolder, ZipSource } from './source';

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

/**
 * Imports a collection ZIP into the library. Every entry is validated (CheckedZip) and the layout
 * resolved — with dangling references in config.yml refused — before anything is written.
 */
export async function importCollection(
  zipPath: string,
  library: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<ImportResult> {
  const abs = path.resolve(zipPath);
  const src = await ZipSource.open(abs, limits);
  let layout: CollectionLayout;
  let name = path.basename(abs, path.extname(abs));
  try {
    const resolved = await resolveCollection(unwrapSingleFolder(src));
    const dangling = [...resolved.problems, ...resolved.models.flatMap((m) => m.problems)].filter(
      (p) => p.code === 'dangling-reference' || p.code === 'no-models',
    );
    if (dangling.length) {
      throw new CollectionError(
        'DANGLING_REFERENCE',
        `${abs}: ${dangling[0].message}${dangling.length > 1 ? ` (and ${dangling.length - 1} more)` : ''}. The collection was not imported; ${dangling[0].fix ?? ''}`,
        { path: abs, entry: dangling[0].path },
      );
    }
    layout = resolved.layout;
    if (resolved.manifest?.name) name = resolved.manifest.name;
  } finally {
    await src.close();
  }
  const sha256 = await sha256File(abs);
  const id = sha256.slice(0, 16);
  const target = path.join(library, id);
  const existing = await readRecord(target);
  if (existing && existing.sha256 === sha256) return { entry: existing, reused: true };
  if (fs.existsSync(target)) {
    throw new CollectionError(
      'OUTPUT_EXISTS',
      `Library folder ${target} exists but does not hold ${abs} (different or missing record). Remove it with 'hitmic collection remove ${id}' and import again.`,
      { path: target },
    );
  }
  await fs.promises.mkdir(library, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(library, '.tmp-import-'));
  try {
    const zip = await ZipSource.open(abs, limits);
    try {
      await zip.extractTo(tmp);
    } finally {
      await zip.close();
    }
    const st = await fs.promises.stat(abs);
    const entry: LibraryEntry = {
      id,
      sha256,
      name,
      sourceName: path.basename(abs),
      size: st.size,
      importedAt: new Date().toISOString(),
      layout,
      path: target,
    };
    await fs.promises.writeFile(
      path.join(tmp, RECORD_FILE),
      JSON.stringify({ ...entry, path: undefined }, null, 2),
    );
    try {
      await fs.promises.rename(tmp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const other = await readRecord(target);
      if ((code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'EPERM') && other?.sha256 === sha256) {
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
