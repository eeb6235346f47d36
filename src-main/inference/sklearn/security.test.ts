import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadSklearnModel, SklearnModelError } from '.';

// scripts/make-sklearn-fixtures.py wrote these; it also checked that Python's own pickle.load /
// joblib.load of os.system.pkl, reduce-touch.pkl and pipeline-with-payload.joblib really runs
// `touch /tmp/hitmic-sklearn-pickle-was-executed`.
const ROOT = path.resolve(__dirname, '../../../test-support/sklearn');
const EVIL = path.join(ROOT, 'malicious');
const { touched_file: TOUCHED } = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as {
  touched_file: string;
};

function refusal(file: string): SklearnModelError {
  try {
    loadSklearnModel(fs.readFileSync(path.join(EVIL, file)), file);
  } catch (err) {
    if (err instanceof SklearnModelError) return err;
    throw err;
  }
  throw new Error(`${file} was accepted`);
}

describe('pickles that run code are refused, naming the global, and run nothing', () => {
  beforeEach(() => fs.rmSync(TOUCHED, { force: true }));

  it.each([
    ['os.system.pkl', 'os.system'],
    ['os.system.stack.pkl', 'os.system'],
    ['posix.system.pkl', 'posix.system'],
    ['nt.system.pkl', 'nt.system'],
    ['subprocess.Popen.stack.pkl', 'subprocess.Popen'],
    ['subprocess.check_output.pkl', 'subprocess.check_output'],
    ['builtins.eval.stack.pkl', 'builtins.eval'],
    ['builtins.exec.pkl', 'builtins.exec'],
    ['builtins.__import__.stack.pkl', 'builtins.__import__'],
    ['__builtin__.eval.pkl', '__builtin__.eval'],
    // A class whose __reduce__ returns (os.system, ('touch …',)): on Linux os.system is posix.system.
    ['reduce-touch.pkl', 'posix.system'],
    ['reduce-touch.zlib.joblib', 'posix.system'],
    // The same object as an extra step of a fitted Pipeline, and inside a joblib object array.
    ['pipeline-with-payload.joblib', 'posix.system'],
    ['object-array-payload.joblib', 'posix.system'],
  ])('%s → refused %s', (file, global) => {
    const err = refusal(file);
    expect(err.global).toBe(global);
    expect(err.file).toBe(file);
    expect(err.message).toContain(`Python global ${global}, which is refused`);
    expect(err.message).toMatch(/never imports or runs code from a pickle/);
    expect(fs.existsSync(TOUCHED)).toBe(false);
  });

  it('every malicious fixture is covered by the table above', () => {
    const files = fs.readdirSync(EVIL);
    expect(files.length).toBe(14);
    for (const f of files) expect(refusal(f)).toBeInstanceOf(SklearnModelError);
    expect(fs.existsSync(TOUCHED)).toBe(false);
  });
});
