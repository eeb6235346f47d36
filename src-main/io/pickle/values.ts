/**
 * The values a safe pickle read produces. Nothing here is a Python object: a global is a name, a
 * call of a global is a record of the name and its arguments, and BUILD stores the state on the
 * record. Code that understands a record (numpy arrays, scikit-learn estimators) reads it later.
 */

export interface PickleErrorDetails {
  /** The Python global concerned, `module.name` (a refused import, an unknown class). */
  global?: string;
  /** How to fix it, for the person holding the file. */
  fix?: string;
}

export class PickleError extends Error {
  override readonly name: string = 'PickleError';
  readonly global?: string;
  readonly fix?: string;
  constructor(
    message: string,
    readonly offset: number,
    details: PickleErrorDetails = {},
  ) {
    super(message);
    this.global = details.global;
    this.fix = details.fix;
  }
}

/** A global outside the reader's allow-list: the read stops at it, before anything else happens. */
export class PickleGlobalRefusedError extends PickleError {
  override readonly name = 'PickleGlobalRefusedError';
  constructor(
    readonly module: string,
    readonly globalName: string,
    offset: number,
  ) {
    super(
      `refused global ${module}.${globalName} at byte ${offset}: it is not on the allow-list of this reader, which never imports or calls Python code`,
      offset,
      {
        global: `${module}.${globalName}`,
        fix: 'Only load pickles from a source you trust; a model file naming this global is either not a supported model or was made to run code.',
      },
    );
  }
}

export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export class PickleTuple {
  constructor(readonly items: unknown[]) {}
}

/** A dict (or OrderedDict): insertion-ordered key/value pairs; keys may be any pickled value. */
export class PickleDict {
  readonly entries: [unknown, unknown][] = [];
  state: unknown = undefined;
  constructor(readonly global: PickleGlobal | null = null) {}
  get(key: string): unknown {
    return this.entries.find(([k]) => k === key)?.[1];
  }
  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }
}

/** An object built by calling a global we did not interpret: kept as a record. */
export class PickleObject {
  state: unknown = undefined;
  readonly items: unknown[] = [];
  readonly entries: [unknown, unknown][] = [];
  constructor(
    readonly global: PickleGlobal,
    readonly args: unknown[],
  ) {}
}

export class PicklePersistent {
  constructor(readonly pid: unknown) {}
}
