import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorState, type Text } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { Box } from '@mui/material';
import { useEffect, useRef } from 'react';
import type { Diagnostic } from '../../../src-shared/config';

/** 1-based line:column of a diagnostic → a document offset, clamped to the document. */
export function offsetOf(doc: Text, line: number, column: number): number {
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  return Math.min(l.from + Math.max(0, column - 1), l.to);
}

function toCm(doc: Text, ds: Diagnostic[]): CmDiagnostic[] {
  return ds.map((d) => {
    const from = offsetOf(doc, d.line, d.column);
    const lineEnd = doc.lineAt(from).to;
    return {
      from,
      to: Math.max(from + 1, lineEnd) > doc.length ? doc.length : Math.max(from + 1, lineEnd),
      severity: d.severity === 'info' ? 'info' : d.severity,
      message: d.fix ? `${d.message}\nFix: ${d.fix}` : d.message,
      source: d.path || undefined,
    };
  });
}

/**
 * CodeMirror 6 YAML editor. The text lives in the config store; diagnostics come from the
 * shared validator and are underlined at their line:column.
 */
export function YamlEditor({
  value,
  diagnostics,
  onChange,
}: {
  value: string;
  diagnostics: Diagnostic[];
  onChange(text: string): void;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          highlightActiveLine(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap]),
          yaml(),
          lintGutter(),
          // The editable area is what screen readers land on: it needs a name of its own.
          EditorView.contentAttributes.of({ 'aria-label': 'Run config, YAML', 'aria-multiline': 'true' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString());
          }),
          EditorView.theme({
            '&': { height: '100%', fontSize: '13px' },
            '.cm-scroller': { fontFamily: 'monospace' },
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // Created once; later text changes arrive through the effect below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    if (v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    v.dispatch(setDiagnostics(v.state, toCm(v.state.doc, diagnostics)));
  }, [value, diagnostics]);

  return (
    <Box
      ref={host}
      data-testid="yaml-editor"
      sx={{ height: '100%', border: 1, borderColor: 'divider', overflow: 'hidden' }}
    />
  );
}
