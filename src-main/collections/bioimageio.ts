/**
 * Checksums of a bioimage.io model description (`rdf.yaml`, `bioimageio.yaml`, `*.model.yaml`):
 * every weights entry (and architecture source) whose `source` is a local file and which declares
 * a `sha256` is hashed and compared, as bioimage.io's validator does ("Update expected sha256 or
 * point to the matching file"). Remote sources and files absent from the folder are listed as not
 * checked rather than failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { VerifyFileResult } from '../../src-shared/collections';
import { sha256File } from './library';

export interface BioimageioChecksums {
  ok: boolean;
  files: VerifyFileResult[];
  /** Sources that were not checked, with why (remote, absent). */
  notChecked: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the sha256 of the local files a bioimage.io description lists. */
export async function checkBioimageioChecksums(descriptionFile: string): Promise<BioimageioChecksums> {
  const doc = parseYaml(await fs.promises.readFile(descriptionFile, 'utf8')) as unknown;
  const base = path.dirname(descriptionFile);
  const refs: { source: string; sha256: string }[] = [];
  if (isRecord(doc) && isRecord(doc.weights)) {
    for (const w of Object.values(doc.weights)) {
      if (!isRecord(w)) continue;
      if (typeof w.source === 'string' && typeof w.sha256 === 'string')
        refs.push({ source: w.source, sha256: w.sha256 });
      const arch = w.architecture;
      if (isRecord(arch) && typeof arch.source === 'string' && typeof arch.sha256 === 'string')
        refs.push({ source: arch.source, sha256: arch.sha256 });
    }
  }
  const files: VerifyFileResult[] = [];
  const notChecked: string[] = [];
  for (const r of refs) {
    if (/^[a-z]+:\/\//i.test(r.source)) {
      notChecked.push(`${r.source} (remote)`);
      continue;
    }
    const p = path.resolve(base, r.source);
    if (!fs.existsSync(p)) {
      notChecked.push(`${r.source} (not in ${base})`);
      continue;
    }
    const actual = await sha256File(p);
    files.push({ path: r.source, ok: actual === r.sha256.toLowerCase(), expected: r.sha256, actual });
  }
  return { ok: files.every((f) => f.ok), files, notChecked };
}
