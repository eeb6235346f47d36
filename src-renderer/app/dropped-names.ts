import { notAMovie } from '../../src-shared/io';

/**
 * A dropped file as the user knows it. In the browser a dropped file reaches the backend as a
 * copy under a temporary upload folder: the backend's messages name that copy, which the user
 * never saw. These helpers keep the name the user dropped.
 */

const COLLECTION_EXT = /\.zip$/i;

/** What a dropped file is by its name: a collection ZIP, a possible movie, or neither (with why). */
export function droppedKind(
  name: string,
): { kind: 'collection' | 'movie' } | { kind: 'refused'; why: string } {
  if (COLLECTION_EXT.test(name)) return { kind: 'collection' };
  const why = notAMovie(name);
  return why ? { kind: 'refused', why } : { kind: 'movie' };
}

/**
 * `err` with every mention of `backendPath` (the uploaded copy, and its folder) replaced by the
 * dropped file's `name`; other fields kept. Errors without a message are returned as they are.
 */
export function inUserTerms(err: unknown, backendPath: string, name: string): unknown {
  const e = err as { message?: unknown } | null;
  if (!e || typeof e.message !== 'string' || backendPath === '' || backendPath === name) return err;
  const cut = Math.max(backendPath.lastIndexOf('/'), backendPath.lastIndexOf('\\'));
  const folder = cut > 0 ? backendPath.slice(0, cut) : '';
  let message = e.message.split(backendPath).join(name);
  if (folder) message = message.split(folder).join('the dropped files');
  return { ...e, message };
}
