import os from 'node:os';
import type http from 'node:http';

/**
 * Which names `hitmic serve` answers to, and which pages may call it: the defence against DNS
 * rebinding (a hostile site whose name is made to point at 127.0.0.1 sends `Host: evil.example`)
 * and against other sites' pages in the user's browser (their `Origin`). Every header is parsed
 * here by hand or inside a try: no request can make these throw.
 */
export interface HostPolicy {
  /** Names this server answers to: lower case, IPv6 without brackets, as a URL normalises them. */
  readonly names: ReadonlySet<string>;
  /** The port it listens on; a calling page's origin must carry it. */
  readonly port: number;
}

export type Verdict = { ok: true } | { ok: false; status: 400 | 403; reason: string };

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** Whether `host` is a wildcard address: listening there means every interface of the machine. */
export function isWildcardHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '' || h === '0.0.0.0' || h === '::' || h === '0:0:0:0:0:0:0:0';
}

/** Hosts that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * A host name or address as a browser sends it (lower case, IPv4 in dotted decimal, IPv6
 * compressed, no brackets, no trailing dot), or undefined when it is not one.
 */
export function normaliseHostName(name: string): string | undefined {
  const bare = name.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (bare === '' || /[\s/@?#\\]/.test(bare)) return undefined;
  const literal = bare.includes(':') ? `[${bare}]` : bare;
  try {
    const u = new URL(`http://${literal}/`);
    if (u.username || u.password || u.port !== '' || u.pathname !== '/') return undefined;
    return u.hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/**
 * The names a server bound to `bound` answers to: loopback names, the bound address, and the
 * names given with `--allow-host`; bound to a wildcard, also this machine's host name and
 * addresses (an address typed in a browser cannot be rebound by a hostile DNS server).
 */
export function hostPolicy(bound: string, port: number, extra: readonly string[] = []): HostPolicy {
  const names = new Set<string>();
  const add = (n: string) => {
    const norm = normaliseHostName(n);
    if (norm) names.add(norm);
  };
  LOOPBACK_NAMES.forEach(add);
  if (isWildcardHost(bound)) {
    add(os.hostname());
    for (const list of Object.values(os.networkInterfaces()))
      for (const a of list ?? []) add(a.address.replace(/%.*$/, ''));
  } else add(bound);
  extra.forEach(add);
  return { names, port };
}

/** `Host: name[:port]` split and normalised; undefined when the header is missing or malformed. */
export function parseHostHeader(value: unknown): { name: string; port?: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^[\]:/@\s\\]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return undefined;
  const name = normaliseHostName(m[1]);
  if (!name) return undefined;
  return { name, port: m[2] === undefined ? undefined : Number(m[2]) };
}

/**
 * An `Origin` header as scheme, host and port; undefined for `null` (sandboxed frames, `file://`
 * pages), garbage, or anything that is not a bare http(s) origin.
 */
export function parseOrigin(value: string): { scheme: string; name: string; port: number } | undefined {
  if (value === 'null') return undefined;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return undefined;
  const name = normaliseHostName(u.hostname);
  if (!name) return undefined;
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { scheme: u.protocol.slice(0, -1), name, port };
}

const printable = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

/**
 * Whether a request may be answered at all, before its token is looked at: its Host must be one
 * of the policy's names (the port is not compared: a proxy may change it, and a rebinding attack
 * shows in the name), and an Origin, when the client sends one, must be a page of this server —
 * one of those names with this server's port. The Origin is never compared with the request's
 * own Host, which whoever sends the request chooses.
 */
export function checkHostAndOrigin(policy: HostPolicy, headers: http.IncomingHttpHeaders): Verdict {
  const rawHost = headers.host;
  const host = parseHostHeader(rawHost);
  if (!host)
    return {
      ok: false,
      status: 400,
      reason: `400 bad request: the Host header ${rawHost === undefined ? 'is missing' : `${printable(rawHost)} is not a host name`}.`,
    };
  if (!policy.names.has(host.name))
    return {
      ok: false,
      status: 403,
      reason: `403 forbidden: this server does not answer to the name ${printable(host.name)}. If you reached it through that name on purpose, restart it with --allow-host ${host.name}.`,
    };
  const rawOrigin = headers.origin;
  if (rawOrigin === undefined) return { ok: true };
  const origin = parseOrigin(rawOrigin);
  if (!origin || !policy.names.has(origin.name) || origin.port !== policy.port)
    return {
      ok: false,
      status: 403,
      reason: `403 forbidden: a page from ${printable(rawOrigin)} may not use this server; only its own pages may.`,
    };
  return { ok: true };
}
