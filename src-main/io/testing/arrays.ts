/**
 * Test helper: index of the first element where two numeric arrays differ (NaN equals NaN), -1
 * when equal, -2 when lengths differ. A plain loop: vitest's deep equality is far too slow for
 * planes of hundreds of thousands of pixels.
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return -2;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return i;
  }
  return -1;
}
