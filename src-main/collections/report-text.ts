/**
 * Human-readable renderings of collection reports for the terminal: aligned tables, one line per
 * model or file, problems last with their fixes.
 */
import { displayShape } from '../../src-shared/collections';
import type {
  CollectionProblem,
  InspectReport,
  LibraryEntry,
  VerifyReport,
} from '../../src-shared/collections';

/** Left-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function humanSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function shape(s: (number | string | null)[] | null): string {
  return s ? `[${displayShape(s)}]` : '?';
}

function problemLines(problems: CollectionProblem[], indent = ''): string[] {
  return problems.flatMap((p) => [
    `${indent}${p.severity}: ${p.message}${p.path ? ` (${p.path})` : ''}`,
    ...(p.fix ? p.fix.split('\n').map((l, i) => `${indent}  ${i === 0 ? 'fix: ' : '     '}${l}`) : []),
  ]);
}

export function renderInspect(r: InspectReport): string {
  const out: string[] = [
    `Collection ${r.source}`,
    `Layout: ${r.layout}${r.manifest ? `   name: ${r.manifest.name} ${r.manifest.version}` : ''}`,
    '',
  ];
  out.push(
    table(
      ['model', 'format', 'architecture', 'runnable', 'inputs', 'outputs', 'size'],
      r.models.map((m) => [
        m.key,
        m.format,
        m.architecture ?? '?',
        m.runnable ? (m.conversion ? 'yes (converted from .pth)' : 'yes') : 'no',
        m.inputs.map((t) => `${t.name}:${t.type}${shape(t.shape)}`).join(' ') ||
          (m.stateDict ? `${m.stateDict.length} tensors` : '-'),
        m.outputs.map((t) => `${t.name}:${t.type}${shape(t.shape)}`).join(' ') || '-',
        humanSize(m.files.reduce((a, f) => a + f.size, 0)),
      ]),
    ),
  );
  out.push(
    '',
    table(
      ['file', 'size', 'sha256'],
      r.models.flatMap((m) => m.files.map((f) => [f.path, humanSize(f.size), f.sha256])),
    ),
  );
  const converted = r.models.filter((m) => m.conversion);
  if (converted.length)
    out.push(
      '',
      `Converted from PyTorch by ${converted[0].conversion?.converter} (converter ${converted[0].conversion?.converterVersion}) when they run: ${converted.map((m) => m.key).join(', ')}`,
    );
  if (r.tracking) {
    const t = r.tracking;
    out.push(
      '',
      `Tracking: ${t.path} (${t.style})  motion model ${t.motionModel?.name ?? '?'}, accuracy ${t.motionModel?.accuracy ?? '?'}, max_lost ${t.motionModel?.maxLost ?? '?'}, max_search_radius ${t.maxSearchRadius ?? 'default'}`,
    );
  }
  const all = [
    ...r.problems,
    ...r.models.flatMap((m) => m.problems.map((p) => ({ ...p, message: `${m.key}: ${p.message}` }))),
    ...(r.tracking?.problems ?? []),
  ];
  if (all.length) out.push('', 'Problems:', ...problemLines(all, '  '));
  else out.push('', 'No problems found.');
  return `${out.join('\n')}\n`;
}

export function renderVerify(r: VerifyReport): string {
  const out: string[] = [];
  if (r.files.length)
    out.push(
      table(
        ['file', 'checksum'],
        r.files.map((f) => [
          f.path,
          f.ok
            ? 'ok'
            : f.actual === null
              ? 'MISSING'
              : `MISMATCH (expected ${f.expected.slice(0, 12)}…, got ${f.actual.slice(0, 12)}…)`,
        ]),
      ),
    );
  else out.push('No manifest.json: no checksums to verify.');
  if (r.tests.length) {
    out.push(
      '',
      table(
        ['test', 'result', 'max |error|', 'mismatched ppm', 'note'],
        r.tests.map((t) => [
          t.key,
          t.ok ? 'ok' : 'FAILED',
          t.max_abs_err === null ? '-' : t.max_abs_err.toExponential(2),
          t.mismatched_ppm === null ? '-' : t.mismatched_ppm.toFixed(1),
          [t.converted ? 'through its conversion from .pth' : '', t.message ?? ''].filter(Boolean).join('; '),
        ]),
      ),
    );
  } else out.push('No test tensors.');
  if (!r.files.length && !r.tests.length)
    out.push(
      '',
      'Nothing was verified: this collection has neither checksums nor test tensors. ' +
        "A collection made with 'hitmic collection create' has both.",
    );
  else out.push('', r.ok ? 'Verified.' : 'Verification FAILED.');
  return `${out.join('\n')}\n`;
}

export function renderLibrary(entries: LibraryEntry[], library: string): string {
  if (!entries.length) return `No collections in ${library}.\n`;
  return `${table(
    ['id', 'name', 'source', 'size', 'imported'],
    entries.map((e) => [
      e.id,
      e.name,
      e.sourceName,
      humanSize(e.size),
      e.importedAt.replace('T', ' ').slice(0, 19),
    ]),
  )}\n`;
}
