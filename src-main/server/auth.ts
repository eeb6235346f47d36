import crypto from 'node:crypto';
import type http from 'node:http';

/**
 * The token of `hitmic serve`: made fresh at every start (as Jupyter does), printed once in the
 * URL, then kept by the browser in an HttpOnly, SameSite=Strict cookie. Every route and the
 * WebSocket require it, on loopback too: other users of the machine reach loopback as well.
 */
export function newToken(): string {
  return crypto.randomBytes(24).toString('hex');
}

/**
 * The cookie's name carries the port: cookies are shared by every port of a host, so two servers
 * on 127.0.0.1 would otherwise overwrite each other's token.
 */
export function tokenCookieName(port: number): string {
  return `hitmic_token_${port}`;
}

/** The Set-Cookie value that keeps the token in the browser for this server's pages only. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/**
 * The token a request presents: `?token=` in `query`, `Authorization: Bearer …`, or this server's
 * cookie. Never throws: a malformed header presents no token.
 */
export function presentedToken(
  req: http.IncomingMessage,
  query: URLSearchParams | undefined,
  port: number,
): string | undefined {
  const q = query?.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s/i.test(auth)) return auth.slice(7).trim();
  const name = tokenCookieName(port);
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    // The token is hex, so the cookie's value is compared as it stands: no decoding to fail.
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
