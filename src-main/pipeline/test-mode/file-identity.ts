import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * sha256 of files whose contents key test mode's stages (model weights, tracker configs), read
 * once per file version: a file is read again only when its size or modification time changes.
 */
const known = new Map<string, { size: number; mtimeMs: number; sha: string }>();

export async function fileSha256(file: string): Promise<string> {
  const st = await fs.promises.stat(file);
  const k = known.get(file);
  if (k && k.size === st.size && k.mtimeMs === st.mtimeMs) return k.sha;
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  const sha = hash.digest('hex');
  known.set(file, { size: st.size, mtimeMs: st.mtimeMs, sha });
  return sha;
}

/**
 * What identifies a movie as read: its path, size and modification time, so a rewritten file keys
 * anew. A file pattern (`dir/img_t{T}.tif`) is no file: its folder's modification time stands in
 * (adding or replacing a file of the set changes it).
 */
export async function movieIdentity(
  movie: string,
): Promise<{ path: string; size: number; mtimeMs: number; folder?: true }> {
  try {
    const st = await fs.promises.stat(movie);
    return { path: movie, size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    const st = await fs.promises.stat(path.dirname(movie));
    return { path: movie, size: 0, mtimeMs: st.mtimeMs, folder: true };
  }
}
