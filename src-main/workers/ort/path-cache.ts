import path from 'node:path';

/**
 * Promised resources (sessions, session pools) cached by the absolute path of their model file:
 * created on first use, forgotten when creation fails, closed on release. Options of a later `get`
 * for a cached file are ignored; release it first to change them.
 */
export class PathCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly close: (value: T) => Promise<unknown>) {}

  get(file: string, create: (absolutePath: string) => Promise<T>): Promise<T> {
    const abs = path.resolve(file);
    let hit = this.entries.get(abs);
    if (!hit) {
      hit = create(abs);
      this.entries.set(abs, hit);
      hit.catch(() => this.entries.delete(abs));
    }
    return hit;
  }

  /** The cached entry, settled or not, without creating one. */
  peek(file: string): Promise<T> | undefined {
    return this.entries.get(path.resolve(file));
  }

  /** Drops an entry without closing it (it is already dead). */
  forget(file: string): void {
    this.entries.delete(path.resolve(file));
  }

  /** Closes and drops the entry of one file (no-op when none). */
  async release(file: string): Promise<void> {
    const abs = path.resolve(file);
    const hit = this.entries.get(abs);
    if (!hit) return;
    this.entries.delete(abs);
    try {
      await this.close(await hit);
    } catch {
      // An entry that failed to load has nothing to close.
    }
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.release(k)));
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }
}

/**
 * The cache key of a model file's session or pool: its path, marked when half precision is asked for
 * (one worker may run a file fp32 for one model key and fp16 for another).
 */
export function sessionKey(
  file: string,
  opts: { halfPrecision?: boolean; halfPrecisionOnCpu?: boolean },
): string {
  if (!opts.halfPrecision) return file;
  return `${file}${opts.halfPrecisionOnCpu ? '#fp16-on-cpu' : '#fp16'}`;
}

/** Every cache key a model file may have. */
export function sessionKeys(file: string): string[] {
  return [file, `${file}#fp16`, `${file}#fp16-on-cpu`];
}
