import fs from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  joblibCompression,
  NpArray,
  npField,
  npNumbers,
  npStrings,
  PickleDict,
  PickleError,
  PickleGlobalRefusedError,
  PickleObject,
  readJoblib,
  readPickle,
} from '..';

// Written by scripts/make-sklearn-fixtures.py (numpy 1.24, joblib 1.2): a dict of arrays in every
// file variant, and real scikit-learn models.
const ROOT = path.resolve(__dirname, '../../../test-support/sklearn');
const read = (f: string): Buffer => fs.readFileSync(path.join(ROOT, 'models', f));
const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as {
  arrays: {
    files: string[];
    values: Record<string, { dtype: string; shape: number[]; values: unknown }>;
  };
};

describe('numpy arrays from joblib files and pickles', () => {
  it.each(expected.arrays.files)('%s: every dtype, order and shape as numpy wrote it', (file) => {
    const dict = readJoblib(read(file)) as PickleDict;
    for (const [name, want] of Object.entries(expected.arrays.values)) {
      const v = dict.get(name);
      if (name.startsWith('scalar_')) {
        expect(v, name).toBe((want.values as number[])[0]);
        continue;
      }
      expect(v, name).toBeInstanceOf(NpArray);
      const a = v as NpArray;
      expect(a.dtype.str, name).toBe(want.dtype);
      expect(a.shape, name).toEqual(want.shape);
      if (a.dtype.fields) {
        for (const [f, vals] of Object.entries(want.values as Record<string, number[]>))
          expect(Array.from(npField(a, f)!), `${name}.${f}`).toEqual(vals);
      } else if ('UO'.includes(a.dtype.kind)) expect(npStrings(a), name).toEqual(want.values);
      else if (a.dtype.kind === 'b')
        expect(
          Array.from(npNumbers(a), (x) => x === 1),
          name,
        ).toEqual(want.values);
      else expect(Array.from(npNumbers(a)), name).toEqual(want.values);
    }
  });

  it('recognises joblib compressors by their magic numbers', () => {
    expect(joblibCompression(read('logreg.joblib'))).toBe('none');
    expect(joblibCompression(read('logreg.zlib3.joblib'))).toBe('zlib');
    expect(joblibCompression(read('logreg.gzip.joblib'))).toBe('gzip');
    expect(joblibCompression(read('logreg.bz2.joblib'))).toBe('bz2');
    expect(joblibCompression(read('logreg.xz.joblib'))).toBe('xz');
    expect(joblibCompression(read('logreg.lzma.joblib'))).toBe('lzma');
    expect(() => readJoblib(read('logreg.bz2.joblib'))).toThrow(
      /bz2-compressed joblib file: only zlib and gzip/,
    );
    // lz4 (needs the lz4 package in Python) and joblib < 0.10's 'ZF' files: by their magic numbers.
    expect(joblibCompression(Uint8Array.of(0x04, 0x22, 0x4d, 0x18, 0x64))).toBe('lz4');
    expect(() => readJoblib(Uint8Array.of(0x04, 0x22, 0x4d, 0x18, 0x64))).toThrow(/lz4-compressed/);
    expect(() => readJoblib(Buffer.from('ZF0x00000010'))).toThrow(/joblib < 0\.10/);
  });

  it('stops a zlib bomb at the inflate limit', () => {
    const bomb = deflateSync(Buffer.alloc(4 << 20));
    expect(() => readJoblib(bomb, { maxInflatedBytes: 1 << 20 })).toThrow(/inflates beyond 1048576 bytes/);
  });
});

describe('globals: an allow-list, checked at the opcode, nothing ever called', () => {
  it('refuses a scikit-learn class the caller did not allow, at its GLOBAL opcode', () => {
    const err = (() => {
      try {
        readJoblib(read('logreg.joblib'));
      } catch (e) {
        return e;
      }
    })() as PickleGlobalRefusedError;
    expect(err).toBeInstanceOf(PickleGlobalRefusedError);
    expect(err.global).toBe('sklearn.linear_model._logistic.LogisticRegression');
    expect(err.offset).toBeLessThan(100);
  });

  it('keeps an allowed class as a record of its name and state', () => {
    const v = readJoblib(read('logreg.joblib'), {
      allow: ['sklearn.linear_model._logistic.LogisticRegression'],
    }) as PickleObject;
    expect(v.global.qualified).toBe('sklearn.linear_model._logistic.LogisticRegression');
    const coef = (v.state as PickleDict).get('coef_') as NpArray;
    expect(coef.shape).toEqual([1, 5]);
  });

  it('the refusal comes before any hook sees the global', () => {
    const calls: string[] = [];
    const evil = Buffer.from('cos\nsystem\n(Vtouch /tmp/x\ntR.', 'latin1');
    expect(() =>
      readPickle(evil, {
        allowGlobal: (m, n) => (calls.push(`allow ${m}.${n}`), false),
        reduce: (g) => (calls.push(`reduce ${g.qualified}`), undefined),
      }),
    ).toThrow(PickleGlobalRefusedError);
    expect(calls).toEqual(['allow os.system']);
  });

  it('a truncated or corrupt file is a PickleError, never a crash or a hang', () => {
    const bytes = read('random_forest.joblib');
    for (let n = 0; n < bytes.length; n += 211) {
      try {
        readJoblib(bytes.subarray(0, n), {
          allow: [
            'sklearn.ensemble._forest.RandomForestClassifier',
            'sklearn.tree._classes.DecisionTreeClassifier',
            'sklearn.tree._tree.Tree',
          ],
        });
      } catch (err) {
        expect(err).toBeInstanceOf(PickleError);
      }
    }
  });
});
