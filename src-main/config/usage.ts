import fs from 'node:fs';
import path from 'node:path';
import type { ConfigUsage } from '../../src-shared/api';
import { MAX_CONFIG_BYTES, validateRunConfig } from '../../src-shared/config';

/**
 * Which model collection a saved config points at and whether it is still there (read only; no
 * collection is opened). A relative `model_collection` counts as there when it exists beside the
 * config or in `cwd`, as `loadRunConfig` resolves it. Never throws: a config that cannot be read
 * says why in `unreadable`.
 */
export async function configUsage(file: string, cwd = process.cwd()): Promise<ConfigUsage> {
  const abs = path.resolve(cwd, file);
  const unreadable = (why: string): ConfigUsage => ({ path: abs, unreadable: why, collectionMissing: false });
  if (!/\.ya?ml$/i.test(abs)) return unreadable('not a .yml or .yaml config');
  let text: string;
  try {
    if ((await fs.promises.stat(abs)).size > MAX_CONFIG_BYTES)
      return unreadable('too large for a run config');
    text = await fs.promises.readFile(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return unreadable(code === 'ENOENT' ? 'the file is gone' : `cannot be read (${code ?? String(err)})`);
  }
  const config = validateRunConfig(text).config;
  if (!config) return unreadable('its YAML does not parse');
  const named = config.model_collection;
  if (typeof named !== 'string' || named === '') return { path: abs, collectionMissing: false };
  const candidates = [...new Set([path.resolve(path.dirname(abs), named), path.resolve(cwd, named)])];
  const found = candidates.find((c) => fs.existsSync(c));
  return { path: abs, collection: found ?? candidates[0], collectionMissing: !found };
}
