/**
 * Safety rules for names inside a collection ZIP. Stricter than HiTMicTools (reference §1.4),
 * which refuses absolute paths, drive letters and `..` components; we also refuse names that
 * would collide on case-insensitive file systems (macOS, Windows) and NUL or `:` characters
 * (NTFS alternate streams). Backslashes are read as separators, as HiTMicTools does.
 */
import { CollectionError } from './errors';

export interface SafeName {
  /** Normalised relative POSIX path (`./a//b` → `a/b`); `''` for the archive root. */
  path: string;
  isDirectory: boolean;
}

/**
 * Normalises one entry name or throws a CollectionError saying why it is unsafe.
 * @param raw the name as stored in the archive (already decoded)
 * @param archive archive path, for the error message
 */
export function safeEntryName(raw: string, archive: string): SafeName {
  const fail = (
    code: 'UNSAFE_PATH_ABSOLUTE' | 'UNSAFE_PATH_DRIVE' | 'UNSAFE_PATH_TRAVERSAL' | 'UNSAFE_PATH_EMPTY',
    why: string,
  ): never => {
    throw new CollectionError(
      code,
      `Unsafe path in model collection ${archive}: entry ${JSON.stringify(raw)} ${why}; the archive was not extracted. Rebuild the collection with 'hitmic collection create' or re-zip it from its folder.`,
      { path: archive, entry: raw },
    );
  };
  if (raw.length === 0) fail('UNSAFE_PATH_EMPTY', 'has an empty name');
  if (raw.includes('\0')) fail('UNSAFE_PATH_TRAVERSAL', 'contains a NUL character');
  if (raw.startsWith('/') || raw.startsWith('\\'))
    fail('UNSAFE_PATH_ABSOLUTE', 'is an absolute path (expected a path relative to the collection root)');
  if (/^[A-Za-z]:/.test(raw)) fail('UNSAFE_PATH_DRIVE', 'starts with a drive letter');
  if (raw.includes(':')) fail('UNSAFE_PATH_DRIVE', "contains ':' (a drive or an NTFS stream on Windows)");
  const slashed = raw.replace(/\\/g, '/');
  const parts = slashed.split('/');
  if (parts.includes('..'))
    fail(
      'UNSAFE_PATH_TRAVERSAL',
      raw.includes('\\')
        ? "climbs out of the folder with '..' (backslash-separated)"
        : "climbs out of the folder with '..'",
    );
  const kept = parts.filter((p) => p !== '' && p !== '.');
  return { path: kept.join('/'), isDirectory: slashed.endsWith('/') };
}

/**
 * Checks a whole set of normalised names: duplicates, names equal up to case, and a name used
 * both as a file and as a folder. Throws on the first problem.
 */
export function checkNameSet(names: SafeName[], archive: string): void {
  const exact = new Map<string, SafeName>();
  const folded = new Map<string, string>();
  for (const n of names) {
    if (n.path === '') continue;
    const prior = exact.get(n.path);
    if (prior) {
      if (prior.isDirectory && n.isDirectory) continue;
      throw new CollectionError(
        'DUPLICATE_ENTRY',
        `Model collection ${archive} holds ${JSON.stringify(n.path)} twice; which copy is meant is ambiguous, so the archive was not extracted. Re-zip the collection from its folder.`,
        { path: archive, entry: n.path },
      );
    }
    exact.set(n.path, n);
    const lower = n.path.toLowerCase();
    const other = folded.get(lower);
    if (other !== undefined && other !== n.path) {
      throw new CollectionError(
        'CASE_COLLISION',
        `Model collection ${archive} holds ${JSON.stringify(other)} and ${JSON.stringify(n.path)}, which are the same file on macOS and Windows; the archive was not extracted. Rename one of them and re-zip.`,
        { path: archive, entry: n.path, expected: other, actual: n.path },
      );
    }
    folded.set(lower, n.path);
  }
  for (const n of names) {
    const parts = n.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = exact.get(parts.slice(0, i).join('/'));
      if (parent && !parent.isDirectory) {
        throw new CollectionError(
          'DUPLICATE_ENTRY',
          `Model collection ${archive}: ${JSON.stringify(parent.path)} is a file but ${JSON.stringify(n.path)} uses it as a folder; the archive was not extracted.`,
          { path: archive, entry: n.path },
        );
      }
    }
  }
}
