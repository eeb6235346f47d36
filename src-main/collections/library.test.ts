import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultLibraryDir } from './library';

describe('library folder', () => {
  it('follows --library / HITMIC_LIBRARY, then the per-user data folder of each platform', () => {
    expect(defaultLibraryDir({ HITMIC_LIBRARY: '/data/lib' }, 'linux', '/home/ana')).toBe(
      path.resolve('/data/lib'),
    );
    expect(defaultLibraryDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/ana')).toBe(
      path.join('/xdg', 'hitmic-studio', 'collections'),
    );
    expect(defaultLibraryDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/ana')).toBe(
      path.join('/home/ana', '.local', 'share', 'hitmic-studio', 'collections'),
    );
    expect(defaultLibraryDir({}, 'darwin', '/Users/ana')).toBe(
      path.join('/Users/ana', 'Library', 'Application Support', 'hitmic-studio', 'collections'),
    );
    expect(
      defaultLibraryDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ana'),
    ).toBe(path.join('C:\\Users\\ana\\AppData\\Roaming', 'hitmic-studio', 'collections'));
  });
});
