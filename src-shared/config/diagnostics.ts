/**
 * A finding about a config file, precise enough to jump to: which YAML path, which line and
 * column (1-based), and what to change. Used by `hitmic config validate` and the Config view.
 */
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: DiagnosticSeverity;
  message: string;
  /** YAML path as dotted keys, e.g. `bf_focus.inferer_args.patch_size`; `''` for the whole file. */
  path: string;
  /** 1-based line; 1 when the position is unknown (whole file). */
  line: number;
  /** 1-based column. */
  column: number;
  /** Suggested change, written for the person editing the file. */
  fix: string;
}

export interface ValidationResult {
  ok: boolean;
  diagnostics: Diagnostic[];
}

/** `ok` is false when any diagnostic is an error. */
export function resultOf(diagnostics: Diagnostic[]): ValidationResult {
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: !sorted.some((d) => d.severity === 'error'), diagnostics: sorted };
}

/** `file:line:column: severity: message (fix: …)`, the format editors and terminals link. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const where = d.path ? ` [${d.path}]` : '';
  return `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${where}${d.fix ? `\n    fix: ${d.fix}` : ''}`;
}
