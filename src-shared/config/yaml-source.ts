/**
 * A parsed YAML file that remembers where every value came from, so diagnostics can point at
 * line:column. Parsing follows PyYAML (YAML 1.1: `yes`/`no`/`on`/`off` are booleans), which is what
 * HiTMicTools uses, and never throws: syntax errors become diagnostics with positions.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, DiagnosticSeverity } from './diagnostics';

export type YamlPath = readonly (string | number)[];

/** Most aliases one document may expand; more is a "billion laughs" document and is refused. */
export const MAX_ALIAS_COUNT = 1000;

export class YamlSource {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** Plain JS value of the document (`undefined` when it could not be built). */
  readonly value: unknown;
  /** Syntax errors and parser warnings, already positioned. */
  readonly syntaxDiagnostics: Diagnostic[] = [];

  constructor(readonly text: string) {
    this.lines = new LineCounter();
    this.doc = parseDocument(text, {
      lineCounter: this.lines,
      keepSourceTokens: true,
      version: '1.1',
      prettyErrors: true,
    });
    for (const e of this.doc.errors)
      this.syntaxDiagnostics.push(this.fromYamlError('error', e.message, e.pos[0]));
    for (const w of this.doc.warnings)
      this.syntaxDiagnostics.push(this.fromYamlError('warning', w.message, w.pos[0]));
    let value: unknown;
    if (this.doc.errors.length === 0) {
      try {
        value = this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (err) {
        this.syntaxDiagnostics.push({
          severity: 'error',
          message: `YAML could not be expanded: ${err instanceof Error ? err.message : String(err)}`,
          path: '',
          line: 1,
          column: 1,
          fix: 'Remove the alias chain (*name) that expands the document beyond reason.',
        });
      }
    }
    this.value = value;
  }

  private fromYamlError(severity: DiagnosticSeverity, message: string, offset: number): Diagnostic {
    const { line, col } = this.lines.linePos(offset);
    const first = message.split('\n')[0];
    return {
      severity,
      message: `YAML syntax: ${first}`,
      path: '',
      line,
      column: col,
      fix: 'Check indentation (spaces only, consistent per level), colons after keys and matching quotes near this position.',
    };
  }

  /** The node at a path (value node), or undefined. */
  node(path: YamlPath): Node | undefined {
    if (path.length === 0) return (this.doc.contents as Node | null) ?? undefined;
    try {
      const n = this.doc.getIn(path as (string | number)[], true);
      if (n && typeof n === 'object' && 'range' in n) return n as Node;
      // Keys written as numbers (`0: single-cell`) are stored as numbers.
      const last = path[path.length - 1];
      if (typeof last === 'string' && /^-?\d+$/.test(last)) {
        const alt = this.doc.getIn([...path.slice(0, -1), Number(last)] as (string | number)[], true);
        if (alt && typeof alt === 'object' && 'range' in alt) return alt as Node;
      }
    } catch {
      // getIn throws when an intermediate node is a scalar: fall through to the parent.
    }
    return undefined;
  }

  /** The key node of the last path element in its mapping, or undefined. */
  keyNode(path: YamlPath): Node | undefined {
    if (path.length === 0) return undefined;
    const parent = this.node(path.slice(0, -1));
    const last = path[path.length - 1];
    if (!parent || !isMap(parent)) return undefined;
    for (const item of parent.items) {
      if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(last))
        return item.key as Node;
    }
    return undefined;
  }

  /**
   * 1-based line and column for a path: the value if present, else its key, else the nearest
   * ancestor that exists (for "missing key" diagnostics the parent mapping's key).
   */
  position(path: YamlPath, prefer: 'value' | 'key' = 'value'): { line: number; column: number } {
    for (let n = path.length; n >= 0; n--) {
      const sub = path.slice(0, n);
      const candidates =
        prefer === 'key' || n < path.length
          ? [this.keyNode(sub), this.node(sub)]
          : [this.node(sub), this.keyNode(sub)];
      for (const c of candidates) {
        if (c?.range) {
          const { line, col } = this.lines.linePos(c.range[0]);
          return { line, column: col };
        }
      }
    }
    return { line: 1, column: 1 };
  }

  /** Source text of a scalar as written (e.g. `0` vs `0.0`), or undefined for non-scalars. */
  sourceText(path: YamlPath): string | undefined {
    const n = this.node(path);
    if (n && isScalar(n) && n.srcToken && 'source' in n.srcToken) return String(n.srcToken.source);
    return undefined;
  }

  /** True when the value at path is written as a sequence or mapping in the file. */
  isCollectionAt(path: YamlPath): boolean {
    const n = this.node(path);
    return !!n && (isMap(n) || isSeq(n));
  }
}

/** Builds a diagnostic positioned at a path of a source. */
export function diag(
  src: YamlSource,
  severity: DiagnosticSeverity,
  path: YamlPath,
  message: string,
  fix: string,
  prefer: 'value' | 'key' = 'value',
): Diagnostic {
  const { line, column } = src.position(path, prefer);
  return { severity, message, path: path.map(String).join('.'), line, column, fix };
}
