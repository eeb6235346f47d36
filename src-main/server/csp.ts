/**
 * The Content Security Policy of the app's pages. The renderer's index.html carries the same
 * policy in a meta element for the desktop app (pages from a file, no HTTP headers) — without
 * `frame-ancestors`, which browsers ignore in a meta element and report as a console error.
 * `hitmic serve` sends it as an HTTP header with `frame-ancestors 'none'`, so no other site can
 * frame the app. A test checks that the two stay the same policy.
 */
export const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'none'";

/** The header `hitmic serve` sends with every answer. */
export const SERVE_CSP = `${PAGE_POLICY}; frame-ancestors 'none'`;
