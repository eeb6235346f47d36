/**
 * Iteration order of a CPython `set` (setobject.c as in 3.7+, verified against 3.11) of
 * non-negative integers built by `add()` calls only (no removals). HiTMicTools v5 iterates
 * `for col in list(linked)` over such a set when it looks for divisions, and that order decides
 * which mother claims a contested sister and in which order new daughter ids are numbered;
 * reproducing it keeps our ids identical to Python's.
 *
 * Model of `Objects/setobject.c`: hash(i) = i; table of 8 slots at first; open addressing that
 * probes slot `i` then up to 9 following slots (LINEAR_PROBES, only while they stay inside the
 * table), then `i = (i*5 + 1 + perturb) & mask` with `perturb >>= 5`; after each insertion, when
 * `fill*5 >= mask*3` the table is resized to the smallest power of two > used*4 (used*2 above
 * 50 000) and the old entries re-inserted in slot order. Iteration walks the slots in order.
 */

const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;
const EMPTY = -1;

function insertClean(table: Int32Array, mask: number, key: number): void {
  let perturb = key;
  let i = key & mask;
  for (;;) {
    if (table[i] === EMPTY) {
      table[i] = key;
      return;
    }
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 1; j <= LINEAR_PROBES; j++) {
        if (table[i + j] === EMPTY) {
          table[i + j] = key;
          return;
        }
      }
    }
    perturb = Math.floor(perturb / 32); // perturb >>= PERTURB_SHIFT (non-negative, may exceed 2^31)
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/** An insertion-only emulation of a CPython set of non-negative integers (< 2^31). */
export class PythonIntSet {
  private table = new Int32Array(8).fill(EMPTY);
  private mask = 7;
  private used = 0;

  has(key: number): boolean {
    let perturb = key;
    let i = key & this.mask;
    for (;;) {
      const probes = i + LINEAR_PROBES <= this.mask ? LINEAR_PROBES : 0;
      for (let p = 0; p <= probes; p++) {
        const k = this.table[i + p];
        if (k === EMPTY) return false;
        if (k === key) return true;
      }
      perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
      i = (i * 5 + 1 + perturb) & this.mask;
    }
  }

  add(key: number): void {
    if (!Number.isInteger(key) || key < 0 || key > 0x7fffffff) {
      throw new RangeError(`PythonIntSet.add: expected an integer in [0, 2^31), got ${key}`);
    }
    let perturb = key;
    let i = key & this.mask;
    for (;;) {
      const probes = i + LINEAR_PROBES <= this.mask ? LINEAR_PROBES : 0;
      for (let p = 0; p <= probes; p++) {
        const k = this.table[i + p];
        if (k === key) return;
        if (k === EMPTY) {
          this.table[i + p] = key;
          this.used++;
          // fill == used: no removals ever happen
          if (this.used * 5 >= this.mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
          return;
        }
      }
      perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
      i = (i * 5 + 1 + perturb) & this.mask;
    }
  }

  get size(): number {
    return this.used;
  }

  /** Keys in CPython iteration order. */
  toArray(): number[] {
    const out: number[] = [];
    for (let s = 0; s <= this.mask; s++) if (this.table[s] !== EMPTY) out.push(this.table[s]);
    return out;
  }

  private resize(minUsed: number): void {
    let newSize = 8;
    while (newSize <= minUsed) newSize *= 2;
    const old = this.table;
    this.table = new Int32Array(newSize).fill(EMPTY);
    this.mask = newSize - 1;
    for (let s = 0; s < old.length; s++) if (old[s] !== EMPTY) insertClean(this.table, this.mask, old[s]);
  }
}
