import type { DemoApi } from '../../src-shared/api';
import { prepareDemo } from '../demo';
import { summariseEntry } from './collections-api';

/** "Try the demo": the bundled collection imported, the demo config written, their places returned. */
export function createDemoApi(options: {
  libraryDir: () => string;
  demoDir: () => string | undefined;
}): DemoApi {
  return {
    async prepare() {
      const w = await prepareDemo({ libraryDir: options.libraryDir(), demoDir: options.demoDir() });
      return {
        collection: await summariseEntry(w.collection),
        collectionReused: w.collectionReused,
        moviePath: w.moviePath,
        configPath: w.configPath,
        configText: w.configText,
        outputDir: w.outputDir,
        frames: w.frames,
      };
    },
  };
}
