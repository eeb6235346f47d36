import fs from 'node:fs';
import path from 'node:path';

/** The repository root (where package.json lives), from any compiled or source location. */
export function appRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src-main'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..', '..', '..');
    dir = parent;
  }
}

let cached: string | undefined;
/** The app version from package.json. */
export function appVersion(): string {
  cached ??= (JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
