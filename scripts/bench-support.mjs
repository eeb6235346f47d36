// Shared by the benchmark scripts in scripts/bench/: load the compiled code, read options, and a
// seeded generator so every run measures the same synthetic data.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);

/** Requires a module of the compiled Node side (dist/node/...), or exits with the build command. */
export function loadCompiled(relPath) {
  const entry = resolve('dist/node', relPath);
  if (!existsSync(entry)) {
    console.error(`bench: ${entry} not found; compile first with: npx tsc -p tsconfig.main.json`);
    process.exit(1);
  }
  return require(entry);
}

/** `--name N` from the command line as a number, else `def`. */
export function numberArg(name, def) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

/** mulberry32: seeded uniform numbers in [0, 1). */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
