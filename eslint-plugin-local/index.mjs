// @ts-check
import noDeepImport from './no-deep-import.mjs';

/** The project's own lint rules (VS Code keeps its layering rules in .eslint-plugin-local the same way). */
export default { rules: { 'no-deep-import': noDeepImport } };
