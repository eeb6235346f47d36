import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { LibraryEntry } from '../../src-shared/collections';
import { importCollection } from '../collections';
import { configTemplate } from '../config';
import { openMovie, writeFileAtomic } from '../io';
import { demoPaths } from './demo';

/** The demo set up for someone trying the app: collection in the library, movie, saved config. */
export interface DemoWorkspace {
  collection: LibraryEntry;
  collectionReused: boolean;
  moviePath: string;
  configPath: string;
  configText: string;
  outputDir: string;
  frames: number;
}

/** `$HITMIC_DEMO_DIR`, else `hitmic-demo` in the home folder: where the demo's config and results go. */
export function defaultDemoDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return env.HITMIC_DEMO_DIR ? path.resolve(env.HITMIC_DEMO_DIR) : path.join(home, 'hitmic-demo');
}

/**
 * The "New from template" config with the demo's paths filled in. Two settings differ from the
 * template, as `hitmic demo` runs them (its figures in the README were measured so): no frame
 * alignment (the tracker follows the stage drift of the demo movie, and the run's objects stay in
 * the movie's own coordinates) and `standard` background (the demo models were trained on the
 * uncorrected bright field).
 */
export function demoConfigFromTemplate(p: {
  movie: string;
  collection: string;
  outputDir: string;
  configPath: string;
}): string {
  const doc = parseDocument(configTemplate('ASCT_focusrestore', p.collection));
  doc.setIn(['input_data', 'input_folder'], path.dirname(p.movie));
  doc.setIn(['input_data', 'output_folder'], p.outputDir);
  doc.setIn(['input_data', 'file_pattern'], path.basename(p.movie).replace(/\.tiff?$/i, ''));
  doc.setIn(['pipeline_setup', 'align_frames'], false);
  doc.setIn(['pipeline_setup', 'method'], 'standard');
  doc.commentBefore =
    ` The HiTMic Studio demo, written by "Try the demo" from the template (align_frames and method as\n` +
    ` 'hitmic demo' runs them). Trying the demo again rewrites this file: save your changes elsewhere.\n` +
    ` Command line: hitmic run ${JSON.stringify(p.configPath)} --force`;
  return doc.toString();
}

/**
 * Sets the demo up: imports the bundled demo collection into the library (once: the same folder
 * is reused), writes the demo config into `demoDir` (its results go to `demoDir/output`) and
 * counts the demo movie's frames. Throws, naming the file, when the demo is not installed.
 */
export async function prepareDemo(opts: { libraryDir: string; demoDir?: string }): Promise<DemoWorkspace> {
  const paths = demoPaths();
  for (const [what, p] of [
    ['movie', paths.movie],
    ['collection', paths.collection],
  ] as const)
    if (!fs.existsSync(p))
      throw new Error(
        `the demo's ${what} is missing at ${p}; reinstall HiTMic Studio or run 'bash scripts/make-demo-world.sh'`,
      );
  const { entry, reused } = await importCollection(paths.collection, opts.libraryDir);
  const dir = opts.demoDir ?? defaultDemoDir();
  const outputDir = path.join(dir, 'output');
  const configPath = path.join(dir, 'demo_config.yml');
  fs.mkdirSync(dir, { recursive: true });
  const configText = demoConfigFromTemplate({
    movie: paths.movie,
    collection: entry.path,
    outputDir,
    configPath,
  });
  writeFileAtomic(configPath, configText);
  const movie = await openMovie(paths.movie);
  const frames = movie.info.shape.t;
  await movie.close();
  return {
    collection: entry,
    collectionReused: reused,
    moviePath: paths.movie,
    configPath,
    configText,
    outputDir,
    frames,
  };
}
