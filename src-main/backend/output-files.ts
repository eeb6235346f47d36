import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ApiError } from '../../src-shared/api';
import { CORRECTION_COLUMNS } from '../../src-shared/results';

/**
 * Where the API writes a file whose path came from the caller (a save dialog, a path field):
 * the one rule for `config.save` and `qc.exportCorrections`, in every shell. It exists because
 * the path arrives over IPC or a WebSocket: whoever drives the API chooses it, so it must not be
 * able to name a shell rc file, a key, a system file or a link to one.
 *
 * A path is written only when all of these hold (checked on the real path, links resolved):
 * 1. its name ends in the kind's extension (`.yml`/`.yaml` for a config, `.csv` for a corrections
 *    export) and has a name before it;
 * 2. neither the file nor any folder above it starts with `.` (no `~/.bashrc.yml`, `~/.ssh/…`,
 *    `~/.config/autostart/…`);
 * 3. it is not directly in `/` nor under a system folder (SYSTEM_FOLDERS, `%SystemRoot%`,
 *    `%ProgramFiles%`, …);
 * 4. its folder exists (nothing creates folders on the caller's behalf);
 * 5. when something is already there: it is a plain file, not a link, and of the same kind — a
 *    config is a YAML mapping (or empty), a corrections export starts with its header line.
 */
export type OutputKind = 'config' | 'corrections-csv';

interface KindRule {
  what: string;
  extensions: RegExp;
  example: string;
  /** Whether an existing file's first bytes show it is of this kind (an empty file always is). */
  sameKind(text: string): boolean;
}

/** The most of an existing file read to recognise its kind: a config or export is small. */
const SNIFF_BYTES = 1 << 20;

const KINDS: Record<OutputKind, KindRule> = {
  config: {
    what: 'run config',
    extensions: /\.ya?ml$/i,
    example: 'config.yml',
    sameKind: (text) => {
      try {
        const doc: unknown = YAML.parse(text);
        return doc === null || (typeof doc === 'object' && !Array.isArray(doc));
      } catch {
        return false;
      }
    },
  },
  'corrections-csv': {
    what: 'corrections export',
    extensions: /\.csv$/i,
    example: 'movie_qc_corrections.csv',
    sameKind: (text) => text.split(/\r?\n/, 1)[0] === CORRECTION_COLUMNS.join(','),
  },
};

/** Folders of the system, never written to (POSIX and macOS; Windows' come from its variables). */
const SYSTEM_FOLDERS = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/snap',
  '/sys',
  '/usr',
  '/var',
  '/System',
  '/Library',
  '/Applications',
  '/private/etc',
  '/private/var',
];
/** Under a system folder, but meant for anyone's files. */
const WRITABLE_EXCEPTIONS = [
  '/var/tmp',
  '/var/home', // Fedora Silverblue and its kin keep home folders here
  '/var/folders', // macOS' per-user temporary folders
  '/private/var/tmp',
  '/private/var/folders',
];

function systemFolders(): string[] {
  if (process.platform !== 'win32') return SYSTEM_FOLDERS;
  const env = process.env;
  return [env.SystemRoot, env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramData]
    .filter((v): v is string => !!v)
    .map((v) => path.resolve(v));
}

const isUnder = (file: string, folder: string): boolean => {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

function refuse(file: string, kind: OutputKind, rule: string, message: string, fix: string): never {
  throw new ApiError('BAD_INPUT', `${message} ${fix}`, { path: file, kind, rule, fix });
}

/**
 * Checks that `file` (resolved against `base`) may be written as a file of `kind` and returns the
 * absolute path to write; otherwise throws a BAD_INPUT ApiError whose details name the path, the
 * rule it breaks (`extension`, `hidden`, `system-folder`, `no-folder`, `link`, `not-a-file`,
 * `other-kind`) and the fix. See the module comment for the rule.
 */
export function checkOutputFile(file: unknown, kind: OutputKind, base = process.cwd()): string {
  const k = KINDS[kind];
  if (typeof file !== 'string' || file.trim() === '' || file.includes('\0'))
    throw new ApiError('BAD_INPUT', `The ${k.what} needs a file path, like ${k.example}.`, { kind });
  const abs = path.resolve(base, file);
  const name = path.basename(abs);
  if (!k.extensions.test(name) || name.replace(k.extensions, '') === '')
    refuse(
      abs,
      kind,
      'extension',
      `A ${k.what} is written only to a file named like ${k.example}; '${name}' is not.`,
      `Choose a name ending in ${kind === 'config' ? '.yml or .yaml' : '.csv'}.`,
    );
  const folder = path.dirname(abs);
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch {
    return refuse(
      abs,
      kind,
      'no-folder',
      `The folder ${folder} does not exist.`,
      'Create it first or choose another place.',
    );
  }
  if (!fs.statSync(realFolder).isDirectory())
    refuse(abs, kind, 'no-folder', `${folder} is not a folder.`, 'Choose a file inside a folder.');
  const target = path.join(realFolder, name);
  const hidden = [...target.split(/[\\/]/), ...abs.split(/[\\/]/)].find((part) => part.startsWith('.'));
  if (hidden)
    refuse(
      abs,
      kind,
      'hidden',
      `HiTMic Studio does not write into hidden files or folders ('${hidden}' in ${target}).`,
      'Choose a visible folder, such as the run folder or your documents.',
    );
  const system = systemFolders().find(
    (s) => isUnder(target, s) && !WRITABLE_EXCEPTIONS.some((w) => isUnder(target, w)),
  );
  if (system !== undefined || realFolder === path.parse(target).root)
    refuse(
      abs,
      kind,
      'system-folder',
      `HiTMic Studio does not write into system folders (${system ?? realFolder}).`,
      'Choose a folder of your own, such as the run folder or your documents.',
    );
  checkExisting(abs, target, kind);
  return target;
}

/** Rule 5: what already lies at `target` may be replaced only by a file of the same kind. */
function checkExisting(asked: string, target: string, kind: OutputKind): void {
  const k = KINDS[kind];
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return; // nothing there yet
  }
  if (stat.isSymbolicLink()) {
    let to = '';
    try {
      to = ` to ${fs.readlinkSync(target)}`;
    } catch {
      // the link is gone or unreadable: refused all the same
    }
    refuse(
      asked,
      kind,
      'link',
      `${target} is a symbolic link${to}; HiTMic Studio does not write through links.`,
      'Choose the real file, or another name.',
    );
  }
  if (!stat.isFile())
    refuse(asked, kind, 'not-a-file', `${target} is not a plain file.`, 'Choose another name.');
  const fd = fs.openSync(target, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(Math.min(stat.size, SNIFF_BYTES));
    head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
  if (head.trim() !== '' && (stat.size > SNIFF_BYTES || !k.sameKind(head)))
    refuse(
      asked,
      kind,
      'other-kind',
      `${target} already exists and is not a ${k.what}${kind === 'config' ? ' (a YAML mapping)' : ` (its first line is not ${CORRECTION_COLUMNS.join(',')})`}; it is left as it is.`,
      'Choose a new name, or remove that file yourself if you mean to replace it.',
    );
}
