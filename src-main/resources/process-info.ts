import fs from 'node:fs';
import path from 'node:path';

/** What a process on this machine is, in words: its program and its user. */
export interface ProcessFacts {
  /** e.g. `hitmic run`, `hitmic serve worker`, `python HiTMicTools`, `python3`. */
  command?: string;
  /** Login name of the process's owner (`uid 1234` when the name is unknown). */
  user?: string;
}

/** `/etc/passwd` as uid → name, read at most once a minute (people are added rarely). */
let users: { atMs: number; names: Map<number, string> } | undefined;

/** uid → login name from passwd text (`name:x:uid:gid:…` lines). */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    const uid = Number(f[2]);
    if (f.length >= 3 && f[0] && Number.isInteger(uid) && !names.has(uid)) names.set(uid, f[0]);
  }
  return names;
}

function userName(uid: number): string {
  if (!users || Date.now() - users.atMs > 60_000) {
    let text = '';
    try {
      text = fs.readFileSync('/etc/passwd', 'utf8');
    } catch {
      // Without passwd (some containers) the uid is all there is.
    }
    users = { atMs: Date.now(), names: parsePasswd(text) };
  }
  return users.names.get(uid) ?? `uid ${uid}`;
}

/**
 * A short name for a command line: `hitmic <subcommand>` for our CLI (`node …/bin/hitmic.js run x`),
 * `worker` for our worker entry, `python <script or module>` for Python (HiTMicTools runs as
 * `python -m …` or a script), else the program's base name.
 */
export function commandLabel(argv: readonly string[]): string | undefined {
  if (argv.length === 0) return undefined;
  const program = path.basename(argv[0]);
  const script = argv.slice(1).find((a) => !a.startsWith('-'));
  if (argv.some((a) => /(^|[\\/])worker-main\.(js|ts)$/.test(a))) return 'worker';
  const cli = argv.findIndex((a) => /(^|[\\/])(hitmic(\.js)?|hitmic-studio)$/.test(a));
  if (cli >= 0) {
    const sub = argv.slice(cli + 1).find((a) => !a.startsWith('-'));
    return sub ? `hitmic ${sub}` : 'hitmic';
  }
  if (/^python[\d.]*$/.test(program)) {
    const m = argv.indexOf('-m');
    if (m >= 0 && argv[m + 1]) return `${program} -m ${argv[m + 1]}`;
    return script ? `${program} ${path.basename(script)}` : program;
  }
  if (/^(node|electron)$/i.test(program) && script) return `${program} ${path.basename(script)}`;
  return program;
}

function cmdline(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function statusField(pid: number, field: string): string | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return new RegExp(`^${field}:\\s*(\\S+)`, 'm').exec(text)?.[1];
  } catch {
    return undefined;
  }
}

/**
 * What process `pid` of this machine is, read from `/proc` (Linux only; elsewhere, and for a
 * process that is gone, nothing is known). A worker is named after the process that started it:
 * `hitmic run worker`.
 */
export function describeLocalProcess(pid: number): ProcessFacts {
  if (process.platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return {};
  let command = commandLabel(cmdline(pid));
  if (command === 'worker') {
    const parent = Number(statusField(pid, 'PPid'));
    const parentCommand = parent > 0 ? commandLabel(cmdline(parent)) : undefined;
    command = parentCommand ? `${parentCommand} worker` : 'HiTMic Studio worker';
  }
  const uid = Number(statusField(pid, 'Uid'));
  return { command, user: Number.isInteger(uid) ? userName(uid) : undefined };
}
