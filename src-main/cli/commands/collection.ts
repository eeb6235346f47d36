/**
 * `hitmic collection inspect|verify|create|import|list|remove`: the command-line shell over
 * src-main/collections. JSON shapes are documented in docs/collections-and-config.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from '../../collections';
import { createCollection } from '../../collections';
import { CollectionError, convertedModelsDir } from '../../collections';
import { inspectCollection } from '../../collections';
import {
  defaultLibraryDir,
  findInLibrary,
  importCollection,
  listLibrary,
  removeFromLibrary,
} from '../../collections';
import { renderInspect, renderLibrary, renderVerify } from '../../collections';
import { openSource, type CollectionSource } from '../../collections';
import { WorkerClient } from '../../jobs';
import { workerTestTensorRunner } from '../../jobs';
import { verifyCollection } from '../../collections';
import { numberOption, parseArgs, type OptionSpec } from '../args';
import { CliError, type CliCommand, type CliIo } from '../command';

const USAGE = `Usage: hitmic collection <action> [options]

Model collections: ZIP bundles (HiTMicTools layout, or the guide's per-model folders) of focus
restoration, segmentation and classification models.

Actions:
  inspect ZIP|DIR|ID        models, formats, ONNX inputs/outputs, state_dict checks, sha256, problems
  verify ZIP|DIR|ID         sha256 of every file against manifest.json; re-run test tensors
  create -i CONFIG.yml -o OUT.zip [--no-auto-date] [--force]
                            build a collection from a bundle config (guide form or HiTMicTools models_info)
  import ZIP                check and extract into the library (once per distinct ZIP)
  list                      collections in the library
  remove ID                 delete a collection from the library

Options:
  --json                    machine-readable output
  --library DIR             library folder (default: $HITMIC_LIBRARY or the per-user data folder)
  --max-total-mb N          refuse ZIPs extracting to more than N MB (default ${DEFAULT_ZIP_LIMITS.maxTotalBytes / 1024 ** 2})
  --max-entry-mb N          refuse files larger than N MB (default ${DEFAULT_ZIP_LIMITS.maxEntryBytes / 1024 ** 2})
  --max-ratio N             refuse entries, or the whole archive, compressing better than N:1 (default ${DEFAULT_ZIP_LIMITS.maxRatio})

Exit status: 0 on success, 1 when verify fails or inspect finds errors, 2 on bad usage or a refused archive.
`;

const SPEC: Record<string, OptionSpec> = {
  json: { type: 'boolean' },
  library: { type: 'string' },
  input: { type: 'string', short: 'i' },
  output: { type: 'string', short: 'o' },
  'no-auto-date': { type: 'boolean' },
  force: { type: 'boolean' },
  'max-total-mb': { type: 'string' },
  'max-entry-mb': { type: 'string' },
  'max-ratio': { type: 'string' },
};

function limitsOf(o: Record<string, unknown>): ZipLimits {
  const mb = (k: string): number | undefined => {
    const n = numberOption(o[k], k, { min: 0 });
    return n === undefined ? undefined : n * 1024 ** 2;
  };
  return {
    ...DEFAULT_ZIP_LIMITS,
    maxTotalBytes: mb('max-total-mb') ?? DEFAULT_ZIP_LIMITS.maxTotalBytes,
    maxEntryBytes: mb('max-entry-mb') ?? DEFAULT_ZIP_LIMITS.maxEntryBytes,
    maxRatio: numberOption(o['max-ratio'], 'max-ratio', { min: 1 }) ?? DEFAULT_ZIP_LIMITS.maxRatio,
  };
}

function libraryOf(o: Record<string, unknown>, io: CliIo): string {
  return typeof o.library === 'string' ? path.resolve(io.cwd, o.library) : defaultLibraryDir(io.env);
}

/** A path (ZIP or folder) or, when no such path exists, a library id. */
async function openTarget(
  ref: string | undefined,
  o: Record<string, unknown>,
  io: CliIo,
  action: string,
): Promise<CollectionSource> {
  if (!ref)
    throw new CliError(
      `'collection ${action}' needs a ZIP, folder or library id (see 'hitmic collection --help')`,
    );
  const p = path.resolve(io.cwd, ref);
  if (fs.existsSync(p)) return openSource(p, limitsOf(o));
  const entry = await findInLibrary(libraryOf(o, io), ref);
  return openSource(entry.path, limitsOf(o));
}

function write(io: CliIo, json: boolean, value: unknown, text: string): void {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  const { options: o, positionals } = parseArgs(rest, SPEC, 'collection');
  const json = o.json === true;
  try {
    switch (action) {
      case 'inspect': {
        const src = await openTarget(positionals[0], o, io, 'inspect');
        try {
          const report = await inspectCollection(src);
          write(io, json, report, renderInspect(report));
          const errors = [...report.problems, ...report.models.flatMap((m) => m.problems)].filter(
            (p) => p.severity === 'error',
          );
          if (errors.length)
            throw new CliError(`collection has ${errors.length} error(s); first: ${errors[0].message}`, 1);
          return 0;
        } finally {
          await src.close();
        }
      }
      case 'verify': {
        const src = await openTarget(positionals[0], o, io, 'verify');
        try {
          const worker = new WorkerClient({ name: 'hitmic-verify' });
          const report = await verifyCollection(src, {
            runTestTensor: workerTestTensorRunner(worker),
            convertedDir: convertedModelsDir(libraryOf(o, io)),
          }).finally(() => worker.dispose());
          write(io, json, report, renderVerify(report));
          if (!report.files.length && !report.tests.length)
            throw new CliError(
              'nothing to verify: the collection has no manifest.json checksums and no test tensors',
              1,
            );
          if (!report.ok) {
            const badFiles = report.files.filter((f) => !f.ok).length;
            const badTests = report.tests.filter((t) => !t.ok).length;
            throw new CliError(
              `verification failed: ${badFiles} file(s) with a wrong or missing checksum, ${badTests} test tensor(s) not reproduced`,
              1,
            );
          }
          return 0;
        } finally {
          await src.close();
        }
      }
      case 'create': {
        if (typeof o.input !== 'string' || typeof o.output !== 'string')
          throw new CliError("'collection create' needs -i BUNDLE_CONFIG.yml and -o OUT.zip");
        const r = await createCollection(o.input, o.output, io.cwd, {
          autoDate: o['no-auto-date'] !== true,
          force: o.force === true,
        });
        for (const w of r.warnings) io.stderr.write(`hitmic: warning: ${w}\n`);
        write(
          io,
          json,
          { output: r.output, sha256: r.sha256, size: r.size, manifest: r.manifest },
          `Model collection created successfully: ${r.output}\nsha256 ${r.sha256} (also in ${path.basename(r.output)}.sha256)\n`,
        );
        return 0;
      }
      case 'import': {
        if (!positionals[0]) throw new CliError("'collection import' needs a ZIP file");
        const r = await importCollection(path.resolve(io.cwd, positionals[0]), libraryOf(o, io), limitsOf(o));
        write(
          io,
          json,
          { ...r.entry, reused: r.reused },
          `${r.reused ? 'Already in the library' : 'Imported'}: ${r.entry.name} (id ${r.entry.id})\n${r.entry.path}\n`,
        );
        return 0;
      }
      case 'list': {
        const lib = libraryOf(o, io);
        const entries = await listLibrary(lib);
        write(io, json, entries, renderLibrary(entries, lib));
        return 0;
      }
      case 'remove': {
        if (!positionals[0])
          throw new CliError("'collection remove' needs a library id (see 'hitmic collection list')");
        const e = await removeFromLibrary(libraryOf(o, io), positionals[0]);
        write(io, json, { removed: e.id, name: e.name }, `Removed ${e.name} (id ${e.id}).\n`);
        return 0;
      }
      default:
        throw new CliError(
          action
            ? `unknown action '${action}' for 'collection' (see 'hitmic collection --help')`
            : "'collection' needs an action: inspect, verify, create, import, list or remove",
        );
    }
  } catch (err) {
    if (err instanceof CollectionError) throw new CliError(`${err.message} [${err.code}]`, 2);
    throw err;
  }
}

/** `hitmic collection <action> --help`: what each action does, its arguments and options. */
const ACTION_USAGE: Record<string, string> = {
  inspect: `Usage: hitmic collection inspect ZIP|DIR|ID [--json] [--library DIR]

Lists the collection's models: key, format, architecture, whether HiTMic Studio runs it (ONNX as
it is, PyTorch .pth converted to ONNX, scikit-learn PI classifiers evaluated without Python),
inputs and outputs, files with size and sha256, and every problem with its fix (state_dict keys
and shapes against the metadata's model_args, PI feature names and classes, the tracker config).
Exits 1 when a problem is an error.`,
  verify: `Usage: hitmic collection verify ZIP|DIR|ID [--json] [--library DIR]

Checks every file's sha256 against manifest.json and re-runs each model's test tensors in a
worker (bioimage.io style), within the manifest's tolerance. Exits 1 when a file or a test fails,
and when there is nothing to verify (no manifest checksums and no test tensors).`,
  create: `Usage: hitmic collection create -i BUNDLE_CONFIG.yml -o OUT.zip [--no-auto-date] [--force] [--json]

Builds a collection ZIP in HiTMicTools' bundle layout (config.yml, models/, metadata/) from a
bundle config — the guide's form (model_path, model_metadata or metadata_path, pi_classifier_path)
or HiTMicTools' models_info — with manifest.json (sha256 and size of every file) and OUT.zip.sha256.
Each model is checked as 'inspect' would (metadata readable, state_dict against model_args) before
anything is written. --no-auto-date keeps OUT.zip as named (else a date is added, as HiTMicTools does);
--force overwrites.`,
  import: `Usage: hitmic collection import ZIP [--library DIR] [--max-total-mb N] [--max-entry-mb N] [--max-ratio N] [--json]

Checks the ZIP (paths, links, sizes, compression ratios, CRCs) and extracts it into the library,
keyed by its content: importing the same ZIP again reuses it.`,
  list: `Usage: hitmic collection list [--library DIR] [--json]

The collections in the library: id, name, layout, size, when imported.`,
  remove: `Usage: hitmic collection remove ID [--library DIR] [--json]

Deletes a collection from the library (configs that point at its folder stop working).`,
};

export const collectionCommand: CliCommand = {
  name: 'collection',
  summary: 'inspect, verify, create and import model collections (ZIP bundles)',
  usage: USAGE,
  actionUsage: (action) => ACTION_USAGE[action],
  run,
};
