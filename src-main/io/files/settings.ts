import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from './atomic';

/**
 * The per-user settings folder of HiTMic Studio, for what the app remembers between starts (the
 * output folders of recent runs). Everything in it is the user's own: the folder is 0700 and each
 * file 0600, written atomically, so another user of a shared analysis machine can neither read
 * which movies you analysed nor plant a folder for the app to open.
 */

/** Raised when the settings folder cannot be used safely or a settings file cannot be written. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  constructor(
    message: string,
    readonly path: string,
    readonly fix: string,
  ) {
    super(`${message} ${fix}`);
  }
}

/**
 * `$HITMIC_SETTINGS_DIR`, else the per-user configuration folder (`$XDG_CONFIG_HOME` or
 * `~/.config` on Linux, `%APPDATA%` on Windows, `~/Library/Application Support` on macOS) +
 * `hitmic-studio`. (The desktop app's Chromium profile lives apart, in `HiTMic Studio`.)
 */
export function userSettingsDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home = os.homedir(),
): string {
  if (env.HITMIC_SETTINGS_DIR) return path.resolve(env.HITMIC_SETTINGS_DIR);
  let base: string;
  if (platform === 'win32') base = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else if (platform === 'darwin') base = path.join(home, 'Library', 'Application Support');
  else
    base =
      env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
        ? env.XDG_CONFIG_HOME
        : path.join(home, '.config');
  return path.join(base, 'hitmic-studio');
}

/**
 * Makes `dir` (and its parents) if missing and leaves it 0700. A folder that another user owns
 * is refused: its owner could swap the files the app reads back.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return; // ACLs, not mode bits: %APPDATA% is per-user already
  const st = fs.statSync(dir);
  if (typeof process.getuid === 'function' && st.uid !== process.getuid())
    throw new SettingsError(
      `The settings folder ${dir} belongs to another user (uid ${st.uid}).`,
      dir,
      'Set HITMIC_SETTINGS_DIR to a folder of your own.',
    );
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
}

/** The parsed JSON of a settings file; undefined when it is absent or not JSON (it is rewritten whole). */
export function readSettingsJson(dir: string, name: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Writes a settings file atomically, 0600, in a 0700 folder. */
export function writeSettingsJson(dir: string, name: string, value: unknown): void {
  const file = path.join(dir, name);
  try {
    ensurePrivateDir(dir);
    writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  } catch (err) {
    if (err instanceof SettingsError) throw err;
    throw new SettingsError(
      `Could not write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`,
      file,
      'Check that the folder is writable, or set HITMIC_SETTINGS_DIR to one that is.',
    );
  }
}
