import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-shared/api';
import { checkOutputFile, type OutputKind } from './output-files';

/** The one rule for files the API writes where its caller says: each refusal, and what passes. */
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-output-files-')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function refusal(file: string, kind: OutputKind, base?: string): ApiError {
  try {
    checkOutputFile(file, kind, base);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`${file} was accepted as a ${kind}`);
}

describe('checkOutputFile', () => {
  it('accepts a new file with the kind’s extension in a visible folder, relative to the base', () => {
    expect(checkOutputFile(path.join(dir, 'config.yml'), 'config')).toBe(path.join(dir, 'config.yml'));
    expect(checkOutputFile('run.YAML', 'config', dir)).toBe(path.join(dir, 'run.YAML'));
    expect(checkOutputFile('m_qc.csv', 'corrections-csv', dir)).toBe(path.join(dir, 'm_qc.csv'));
  });

  it('refuses other extensions and bare extensions, naming the rule and the fix', () => {
    for (const [name, kind] of [
      ['notes.txt', 'config'],
      ['config.yml.sh', 'config'],
      ['.yml', 'config'],
      ['out.csv', 'config'],
      ['any', 'corrections-csv'],
      ['x.csv.exe', 'corrections-csv'],
      ['config.yml', 'corrections-csv'],
    ] as const) {
      const e = refusal(path.join(dir, name), kind);
      expect(e.code).toBe('BAD_INPUT');
      expect(e.details, name).toMatchObject({ rule: 'extension', kind });
      expect(String(e.details?.fix)).toMatch(/\.(yml|csv)/);
    }
    expect(refusal('', 'config').code).toBe('BAD_INPUT');
    expect(refusal(`a\0.yml`, 'config').code).toBe('BAD_INPUT');
  });

  it('refuses dotfiles and anything in a hidden folder (shell rc files, ~/.ssh, autostart)', () => {
    fs.mkdirSync(path.join(dir, '.config', 'autostart'), { recursive: true });
    for (const p of ['.bashrc.yml', '.profile.csv', '.config/autostart/x.csv', '.config/hitmic.yml']) {
      const kind = p.endsWith('.csv') ? 'corrections-csv' : 'config';
      expect(refusal(path.join(dir, p), kind).details, p).toMatchObject({ rule: 'hidden' });
    }
    // A shell rc name without a dot fails the extension first: never written either way.
    expect(refusal(path.join(dir, '.bashrc'), 'config').details).toMatchObject({ rule: 'extension' });
  });

  it('refuses system folders and the root of the file system', () => {
    for (const p of [
      '/etc/hitmic.yml',
      '/usr/local/share/x.csv',
      '/proc/self/x.yml',
      '/var/lib/x.csv',
      '/x.yml',
    ]) {
      if (!fs.existsSync(path.dirname(p))) continue;
      const kind = p.endsWith('.csv') ? 'corrections-csv' : 'config';
      expect(refusal(p, kind).details, p).toMatchObject({ rule: 'system-folder' });
    }
  });

  it('refuses a folder that does not exist, and a folder link that leads into a refused place', () => {
    expect(refusal(path.join(dir, 'missing', 'c.yml'), 'config').details).toMatchObject({
      rule: 'no-folder',
    });
    fs.symlinkSync('/etc', path.join(dir, 'etc-link'));
    expect(refusal(path.join(dir, 'etc-link', 'c.yml'), 'config').details).toMatchObject({
      rule: 'system-folder',
    });
    fs.mkdirSync(path.join(dir, '.hidden'));
    fs.symlinkSync(path.join(dir, '.hidden'), path.join(dir, 'visible'));
    expect(refusal(path.join(dir, 'visible', 'c.yml'), 'config').details).toMatchObject({ rule: 'hidden' });
  });

  it('never writes through a link at the file itself, wherever it points', () => {
    const real = path.join(dir, 'real.yml');
    fs.writeFileSync(real, 'a: 1\n');
    fs.symlinkSync(real, path.join(dir, 'link.yml'));
    fs.symlinkSync(path.join(dir, 'nowhere.yml'), path.join(dir, 'dangling.yml'));
    expect(refusal(path.join(dir, 'link.yml'), 'config').details).toMatchObject({ rule: 'link' });
    expect(refusal(path.join(dir, 'dangling.yml'), 'config').details).toMatchObject({ rule: 'link' });
    fs.mkdirSync(path.join(dir, 'folder.yml'));
    expect(refusal(path.join(dir, 'folder.yml'), 'config').details).toMatchObject({ rule: 'not-a-file' });
  });

  it('replaces an existing config only when it is a YAML mapping (or empty)', () => {
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    expect(checkOutputFile(write('old.yml', 'models:\n  model_collection: x.zip\n'), 'config')).toBeTruthy();
    expect(checkOutputFile(write('empty.yml', ''), 'config')).toBeTruthy();
    for (const [name, text] of [
      ['list.yml', '- a\n- b\n'],
      ['script.yml', '#!/bin/sh\nrm -rf "$HOME"\n'],
      ['scalar.yml', 'just some text'],
      ['broken.yml', 'a: [1, 2\n'],
    ]) {
      expect(refusal(write(name, text), 'config').details, name).toMatchObject({ rule: 'other-kind' });
    }
  });

  it('replaces an existing CSV only when it is an earlier corrections export', () => {
    fs.writeFileSync(path.join(dir, 'earlier.csv'), 'frame,label,old_class,new_class\n0,1,a,b\n');
    expect(checkOutputFile(path.join(dir, 'earlier.csv'), 'corrections-csv')).toBeTruthy();
    fs.writeFileSync(path.join(dir, 'movie_fl.csv'), 'label,frame,object_class\n1,0,single-cell\n');
    expect(refusal(path.join(dir, 'movie_fl.csv'), 'corrections-csv').details).toMatchObject({
      rule: 'other-kind',
    });
  });
});
