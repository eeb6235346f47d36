import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Resolves a URL path inside `root`, or returns undefined when it would leave it.
 * Decoding happens once, and encoded separators or NUL bytes are refused outright, so
 * `..%2f`, `%2e%2e/` and backslash tricks cannot reach outside the renderer folder.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const parts = decoded.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.')) return undefined;
  const resolvedRoot = path.resolve(root);
  const target = path.resolve(resolvedRoot, ...parts);
  if (target !== resolvedRoot && !target.startsWith(resolvedRoot + path.sep)) return undefined;
  return target;
}

/** Serves the built renderer; unknown paths fall back to index.html (single-page app). */
export function serveStatic(root: string, res: http.ServerResponse, url: URL): void {
  const target = resolveStaticPath(root, url.pathname);
  if (!target) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path: it leaves the app folder\n');
    return;
  }
  let file = target;
  if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
  if (!fs.existsSync(file)) {
    res
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`The app is not built: ${root} has no index.html. Run 'npm run build' first.\n`);
    return;
  }
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': type,
    'cache-control': file.endsWith('index.html') ? 'no-cache' : 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
  });
  // A file that vanishes or cannot be read after the check ends this answer, not the server.
  fs.createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}
