import type { PreviewsApi } from '../../src-shared/api/contract';
import { notAvailable } from '../../src-shared/api/errors';
import type { WorkerClient } from '../jobs/worker-client';
import type { MoviesRegistry } from './movies-api';

/** The Previews domain (issue #8): not available yet, said plainly. */
export function createPreviewsApi(_deps: { worker: WorkerClient; movies: MoviesRegistry; libraryDir: () => string }): PreviewsApi {
  return {
    run: async () => {
      throw notAvailable('previews.run', 'the interactive-analysis issue (#8)');
    },
  };
}
