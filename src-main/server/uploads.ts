import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { partialPathFor, renameIntoPlace } from '../io';

/**
 * Files dropped on the page in the browser: `POST /api/upload?name=…` stores them in this
 * server's own folder, `{TMPDIR}/hitmic-uploads-{pid}-{random}`, so the backend can open them by
 * path. The folder has a quota, is removed when the server closes or its process exits, and a
 * later server removes the folders of servers whose process is gone.
 */
export const UPLOAD_FOLDER_PREFIX = 'hitmic-uploads-';

export interface UploadLimits {
  /** Largest single file, in bytes (default 8 GiB). */
  maxFileBytes: number;
  /** Most bytes all uploads of one server may hold together (default 20 GiB). */
  quotaBytes: number;
  /** Free space an upload must leave on the disk, in bytes (default 1 GiB). */
  reserveBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  maxFileBytes: 8 * 2 ** 30,
  quotaBytes: 20 * 2 ** 30,
  reserveBytes: 2 ** 30,
};

/** Folders of earlier HiTMic versions carry no pid; they are removed once untouched this long. */
const LEGACY_STALE_MS = 24 * 3600 * 1000;

const gib = (n: number) => `${(n / 2 ** 30).toFixed(n < 2 ** 30 ? 2 : 1)} GiB`;

/** Whether process `pid` exists (another user's counts: it cannot be told apart from ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes, in `parent`, the upload folders that this user owns and whose server process is gone
 * (and pid-less folders of earlier versions untouched for a day). Returns the folders removed;
 * a folder that cannot be removed is left for the next start.
 */
export function sweepStaleUploads(parent: string, now = Date.now()): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent).filter((e) => e.startsWith(UPLOAD_FOLDER_PREFIX));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const dir = path.join(parent, entry);
    try {
      const st = fs.lstatSync(dir);
      if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid())) continue;
      const pid = /^hitmic-uploads-(\d+)-/.exec(entry)?.[1];
      const stale = pid
        ? Number(pid) !== process.pid && !processAlive(Number(pid))
        : now - st.mtimeMs > LEGACY_STALE_MS;
      if (!stale) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // Raced with its owner or not ours to remove: left alone.
    }
  }
  return removed;
}

/** One server's upload folder, with the bytes it holds counted against the quota. */
export class UploadStore {
  private used = 0;

  private constructor(
    readonly dir: string,
    readonly limits: UploadLimits,
  ) {}

  /** A fresh folder in `parent` (mode 0700, named with this process's pid). */
  static create(parent: string, limits: Partial<UploadLimits> = {}): UploadStore {
    const dir = fs.mkdtempSync(path.join(parent, `${UPLOAD_FOLDER_PREFIX}${process.pid}-`));
    return new UploadStore(dir, { ...DEFAULT_UPLOAD_LIMITS, ...limits });
  }

  /** Bytes the uploads hold now (finished ones and those in progress). */
  get usedBytes(): number {
    return this.used;
  }

  /** Removes the folder and everything uploaded to it; never throws (the next start retries). */
  remove(): void {
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A file still open elsewhere (Windows): the next server's sweep removes it.
    }
  }

  /** Free bytes on the upload folder's disk, or Infinity where the system cannot say. */
  private freeBytes(): number {
    try {
      const s = fs.statfsSync(this.dir);
      return s.bavail * s.bsize;
    } catch {
      return Infinity;
    }
  }

  /**
   * `POST /api/upload?name=FILE` with the bytes as `application/octet-stream` (a type no HTML
   * form can send, so another site's form cannot post here; the host, origin and token checks
   * ran before). Answers `{path, name, size}`, or an error `{code, message}` with 4xx/5xx.
   */
  handle(req: http.IncomingMessage, res: http.ServerResponse, query: URLSearchParams): void {
    const reply = (status: number, body: unknown, close = false): void => {
      if (res.headersSent) return;
      res
        .writeHead(status, {
          'content-type': 'application/json',
          ...(close ? { connection: 'close' } : {}),
        })
        .end(JSON.stringify(body));
    };
    const refuse = (status: number, message: string) => reply(status, { code: 'BAD_INPUT', message }, true);
    req.on('error', () => undefined); // a client that goes away is handled by 'close' below
    if (req.method !== 'POST') return refuse(405, 'an upload is a POST');
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin')
      return refuse(403, `uploads come from this server's own page, not from a ${site} one`);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/octet-stream')
      return refuse(415, 'an upload is sent as application/octet-stream by the app itself');
    const name = path.basename(query.get('name') ?? '');
    const control = [...name].some((ch) => ch.charCodeAt(0) < 0x20);
    if (!name || name === '.' || name === '..' || control || Buffer.byteLength(name) > 255)
      return refuse(400, 'an upload needs ?name=<file name> (at most 255 bytes, no control characters)');
    const rawLength = req.headers['content-length'];
    const declared = rawLength === undefined ? 0 : Number(rawLength);
    if (!Number.isSafeInteger(declared) || declared < 0)
      return refuse(400, `Content-Length ${JSON.stringify(rawLength)} is not a byte count`);
    const { maxFileBytes, quotaBytes, reserveBytes } = this.limits;
    /** Why `fileBytes` in all, `moreBytes` of them not yet counted, cannot be kept; or undefined. */
    const tooMuch = (fileBytes: number, moreBytes: number): [number, string] | undefined => {
      if (fileBytes > maxFileBytes)
        return [413, `${name} is too large: ${gib(fileBytes)} > the limit of ${gib(maxFileBytes)} per file`];
      if (this.used + moreBytes > quotaBytes)
        return [
          413,
          `${name} does not fit: uploads of this session hold ${gib(this.used)} of their ${gib(quotaBytes)} quota. Restart hitmic serve to clear them, or start it with a larger --upload-quota.`,
        ];
      if (this.freeBytes() - moreBytes < reserveBytes)
        return [
          507,
          `${name} does not fit: the disk of the upload folder would keep less than ${gib(reserveBytes)} free`,
        ];
      return undefined;
    };
    const early = tooMuch(declared, declared);
    if (early) return refuse(...early);

    // Bytes counted against the quota for this upload: the declared length at once, more as
    // they come when the client sends no length (chunked).
    let charged = declared;
    this.used += charged;
    const dir = path.join(this.dir, crypto.randomBytes(8).toString('hex'));
    fs.mkdirSync(dir);
    const final = path.join(dir, name);
    const partial = partialPathFor(final);
    const out = fs.createWriteStream(partial, { flags: 'wx' });
    let received = 0;
    let done = false;
    const fail = (status: number, message: string) => {
      if (done) return;
      done = true;
      this.used -= charged;
      req.unpipe(out);
      out.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
      refuse(status, message);
      req.resume(); // the rest is read and dropped; the connection closes after the answer
    };
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= charged) return;
      const over = tooMuch(received, received - charged);
      this.used += received - charged;
      charged = received;
      if (over) fail(...over);
    });
    req.on('close', () => {
      if (!req.complete) fail(400, 'the upload stopped before the end of the file');
    });
    out.on('error', (e) => fail(500, `could not store the upload: ${e.message}`));
    out.on('finish', () => {
      if (done) return;
      done = true;
      try {
        renameIntoPlace(partial, final);
      } catch (e) {
        this.used -= charged;
        fs.rmSync(dir, { recursive: true, force: true });
        return refuse(500, `could not store the upload: ${(e as Error).message}`);
      }
      reply(200, { path: final, name, size: received });
    });
    req.pipe(out);
  }
}
