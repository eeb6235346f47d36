// @ts-check
import fs from 'node:fs';
import path from 'node:path';

/**
 * `local/no-deep-import`: a folder directly under a package root (src-main/io, src-shared/api, …)
 * is a package whose public surface is its index.ts. From outside that folder, import the folder
 * (`../io`), never a file behind it (`../io/tiff/reader`) — VS Code's code-no-deep-import-of-internal,
 * viv's and napari's public surfaces. Inside the folder, anything goes. Sub-folders listed in
 * `entries` are packages of their own (e.g. src-main/workers/ort, the session host).
 *
 * Options: { roots: string[] (relative to the working directory), entries?: string[] }.
 */
export default {
  meta: {
    type: 'problem',
    docs: { description: "Import a folder's index.ts, not the files behind it." },
    schema: [
      {
        type: 'object',
        properties: {
          roots: { type: 'array', items: { type: 'string' } },
          entries: { type: 'array', items: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      deep: "Import '{{pkg}}' (its index.ts), not '{{target}}': files behind a folder's index are its internals (DESIGN.md import rules).",
    },
  },
  create(context) {
    const options = context.options[0] ?? {};
    const cwd = context.cwd;
    const roots = (options.roots ?? []).map((r) => path.resolve(cwd, r));
    const entries = (options.entries ?? []).map((e) => path.resolve(cwd, e));
    const file = path.resolve(cwd, context.filename);

    /** The package folder `target` lies in, or undefined when it is in none. */
    function packageOf(target) {
      for (const e of entries) if (target === e || target.startsWith(e + path.sep)) return e;
      for (const root of roots) {
        if (!target.startsWith(root + path.sep)) continue;
        const first = target.slice(root.length + 1).split(path.sep)[0];
        const pkg = path.join(root, first);
        // A module at the root (src-main/version.ts) is a package of its own.
        return fs.existsSync(pkg) && fs.statSync(pkg).isDirectory() ? pkg : undefined;
      }
      return undefined;
    }

    function check(node) {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec).replace(/\.(d\.)?[cm]?[jt]sx?$/, '');
      const pkg = packageOf(target);
      if (!pkg) return;
      if (file.startsWith(pkg + path.sep)) return;
      if (target === pkg || target === path.join(pkg, 'index')) return;
      context.report({
        node: node.source,
        messageId: 'deep',
        data: { pkg: path.relative(cwd, pkg), target: path.relative(cwd, target) },
      });
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: (node) => check(node),
    };
  },
};
