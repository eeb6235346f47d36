import { describe, expect, it } from 'vitest';
import { PythonIntSet } from './python-set-order';

/*
 * Expected orders from CPython 3.11.7:
 *   keys = [(a*i + b) % n for i in range(k)]; s = set(); [s.add(x) for x in keys]; list(s)
 */
const CASES = [
  {
    n: 100,
    k: 20,
    a: 37,
    b: 11,
    order: [3, 7, 11, 14, 18, 22, 29, 33, 40, 44, 48, 55, 59, 66, 70, 77, 81, 85, 92, 96],
  },
  {
    n: 200,
    k: 40,
    a: 73,
    b: 5,
    order: [
      5, 135, 8, 138, 11, 141, 14, 151, 24, 154, 27, 157, 30, 160, 33, 170, 43, 173, 46, 176, 49, 179, 52,
      189, 62, 192, 65, 195, 68, 78, 81, 84, 87, 97, 100, 103, 106, 116, 119, 122,
    ],
  },
  {
    n: 64,
    k: 30,
    a: 13,
    b: 7,
    order: [
      0, 7, 8, 9, 10, 11, 12, 20, 21, 22, 23, 24, 25, 33, 34, 35, 36, 37, 38, 46, 47, 48, 49, 50, 51, 59, 60,
      61, 62, 63,
    ],
  },
  {
    n: 500,
    k: 25,
    a: 211,
    b: 99,
    order: [
      131, 264, 397, 21, 154, 30, 287, 163, 420, 53, 310, 186, 443, 319, 452, 76, 209, 342, 475, 99, 232, 108,
      365, 241, 498,
    ],
  },
  {
    n: 1000,
    k: 60,
    a: 397,
    b: 3,
    order: [
      385, 898, 3, 516, 134, 647, 265, 782, 400, 913, 531, 149, 662, 280, 797, 29, 928, 546, 164, 677, 295,
      426, 44, 943, 561, 179, 692, 310, 441, 59, 958, 576, 194, 707, 325, 838, 456, 74, 973, 591, 722, 340,
      853, 471, 89, 988, 737, 355, 868, 486, 104, 235, 752, 370, 883, 501, 119, 632, 250, 767,
    ],
  },
];

describe('PythonIntSet', () => {
  it.each(CASES)('iterates like CPython for n=$n k=$k', (c) => {
    const s = new PythonIntSet();
    for (let i = 0; i < c.k; i++) s.add((c.a * i + c.b) % c.n);
    expect(s.toArray()).toEqual(c.order);
    expect(s.size).toBe(c.k);
  });

  it('answers membership and ignores duplicates', () => {
    const s = new PythonIntSet();
    for (const x of [5, 13, 5, 21, 1000, 13]) s.add(x);
    expect(s.size).toBe(4);
    expect(s.has(21)).toBe(true);
    expect(s.has(29)).toBe(false);
  });
});
