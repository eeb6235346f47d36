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
