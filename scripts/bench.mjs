#!/usr/bin/env node
// `npm run bench -- NAME... | all`: runs benchmark scripts of scripts/bench/ one after another and
// prints their reports. Benchmarks never run as tests and never fail on timing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench');
const available = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => f.replace(/\.mjs$/, ''))
      .sort()
  : [];
// Names first, then options (e.g. `pipeline-memory --frames-long 30`), which go to every benchmark run.
const args = process.argv.slice(2);
const firstFlag = args.findIndex((a) => a.startsWith('-'));
let wanted = firstFlag < 0 ? args : args.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : args.slice(firstFlag);
if (wanted.length === 0) {
  console.log(`usage: npm run bench -- NAME [NAME...] | all\navailable: ${available.join(', ')}`);
  process.exit(0);
}
if (wanted.includes('all')) wanted = available;
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(
    `bench: unknown benchmark ${unknown.map((u) => `'${u}'`).join(', ')}; available: ${available.join(', ') || 'none'}`,
  );
  process.exit(2);
}
let failed = 0;
for (const name of wanted) {
  console.log(`\n=== bench: ${name} ===`);
  const r = spawnSync(process.execPath, [path.join(dir, `${name}.mjs`), ...flags], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
