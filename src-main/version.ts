import fs from 'node:fs';
import path from 'node:path';

function isOurPackage(file: string): boolean {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'hitmic-studio';
  } catch {
    return false;
  }
}

/** The repository root (where our package.json lives), from sources, dist/ or a packaged app.asar. */
export function appRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (isOurPackage(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..', '..', '..');
    dir = parent;
  }
}

let cached: string | undefined;
/** The app version from package.json. */
export function appVersion(): string {
  cached ??= (
    JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version;
  return cached;
}
