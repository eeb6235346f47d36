import { parseDocument } from 'yaml';

/**
 * Form ↔ YAML: read and write single values in the editor's text without losing comments or
 * key order (the `yaml` package edits the document tree, not a re-dumped object).
 */
export function getYamlValue(text: string, path: string[]): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  return doc.getIn(path);
}

/** Returns the text with `path` set to `value` (or removed when `value` is undefined). Unparsable text is returned unchanged. */
export function setYamlValue(text: string, path: string[], value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length) return text;
  if (doc.contents === null) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  return doc.toString();
}
