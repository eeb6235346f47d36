import type { CollectionsApi } from '../../src-shared/api';
import { ApiError } from '../../src-shared/api';
import type { CollectionSummary } from '../../src-shared/api';
import type { LibraryEntry } from '../../src-shared/collections';
import {
  convertedModelsDir,
  findInLibrary,
  FolderSource,
  importCollection,
  inspectCollection,
  listLibrary,
  openSource,
  removeFromLibrary,
  resolveCollection,
  verifyCollection,
} from '../collections';
import { workerTestTensorRunner, type WorkerClient } from '../jobs';

/** A library entry as the API lists it (name, version and models read from the collection). */
export async function summariseEntry(
  entry: LibraryEntry,
  verified: Map<string, boolean> = new Map(),
): Promise<CollectionSummary> {
  let modelKeys: string[] = [];
  let name = entry.name;
  let version: string | undefined;
  let created: string | undefined = entry.importedAt;
  try {
    const c = await resolveCollection(new FolderSource(entry.path));
    modelKeys = c.models.map((m) => m.key);
    if (c.manifest) {
      name = c.manifest.name || name;
      version = c.manifest.version;
      created = c.manifest.created;
    } else if (typeof c.bundleMetadata?.creation_date === 'string') created = c.bundleMetadata.creation_date;
  } catch {
    // A collection whose layout no longer resolves still lists; inspect tells what is wrong.
  }
  return {
    id: entry.id,
    name,
    version,
    created,
    sizeBytes: entry.size,
    layout: entry.layout ?? 'hitmictools-bundle',
    modelKeys,
    verified: verified.get(entry.id),
    source: entry.sourceName,
    path: entry.path,
    sha256: entry.sha256,
  };
}

/**
 * The Collections domain: the content-addressed library, inspect, verify (test tensors in a
 * worker; cancelling stops the test that runs and skips the rest).
 */
export function createCollectionsApi(libraryDir: () => string, worker: WorkerClient): CollectionsApi {
  const verified = new Map<string, boolean>();
  return {
    list: async () => Promise.all((await listLibrary(libraryDir())).map((e) => summariseEntry(e, verified))),
    async importPath(p) {
      if (typeof p !== 'string' || !p)
        throw new ApiError('BAD_INPUT', 'importPath needs the path of a collection ZIP');
      const { entry } = await importCollection(p, libraryDir());
      return summariseEntry(entry, verified);
    },
    async inspect(id) {
      const entry = await findInLibrary(libraryDir(), id);
      const src = await openSource(entry.path);
      try {
        return await inspectCollection(src);
      } finally {
        await src.close();
      }
    },
    async verify(id, signal) {
      const entry = await findInLibrary(libraryDir(), id);
      const src = await openSource(entry.path);
      try {
        const runTestTensor = workerTestTensorRunner(worker, signal);
        const report = await verifyCollection(src, {
          runTestTensor,
          convertedDir: convertedModelsDir(libraryDir()),
        });
        verified.set(entry.id, report.ok);
        return report;
      } finally {
        await src.close();
      }
    },
    async remove(id) {
      const e = await removeFromLibrary(libraryDir(), id);
      verified.delete(e.id);
    },
  };
}
