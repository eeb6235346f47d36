import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildZip, listTree, minimalBundle, type RawEntry } from '../../test-support/collections/raw-zip';
import { CheckedZip, DEFAULT_ZIP_LIMITS, type ZipLimits } from './archive';
import { CollectionError } from './errors';
import { inspectCollection } from './inspect';
import { importCollection } from './library';
import { FolderSource } from './source';

let root: string;
let library: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-archive-test-'));
  library = path.join(root, 'work', 'library');
  fs.mkdirSync(library, { recursive: true });
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

async function refused(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<CollectionError> {
  const zip = path.join(root, 'work', 'bad.zip');
  fs.writeFileSync(zip, bytes);
  const before = listTree(fs, path, root);
  let caught: unknown;
  try {
    await importCollection(zip, library, limits);
  } catch (err) {
    caught = err;
  }
  expect(caught, 'the import must be refused').toBeInstanceOf(CollectionError);
  // Nothing written anywhere under the test root: not in the library, not beside it, not above it.
  expect(listTree(fs, path, root)).toEqual(before);
  expect(listTree(fs, path, library)).toEqual([]);
  return caught as CollectionError;
}

const mb = 1024 ** 2;

describe('safe import refuses malicious and broken archives before writing anything', () => {
  const cases: [string, RawEntry[], string, RegExp][] = [
    [
      'zip-slip ../x',
      minimalBundle([{ name: '../x', data: Buffer.from('pwned') }]),
      'UNSAFE_PATH_TRAVERSAL',
      /\.\.\/x.*climbs out/,
    ],
    [
      'inner traversal a/../../x',
      minimalBundle([{ name: 'models/../../x', data: Buffer.from('pwned') }]),
      'UNSAFE_PATH_TRAVERSAL',
      /climbs out/,
    ],
    [
      'absolute /etc/x',
      minimalBundle([{ name: '/etc/x', data: Buffer.from('pwned') }]),
      'UNSAFE_PATH_ABSOLUTE',
      /absolute path/,
    ],
    [
      'drive letter C:x',
      minimalBundle([{ name: 'C:x', data: Buffer.from('pwned') }]),
      'UNSAFE_PATH_DRIVE',
      /drive letter/,
    ],
    [
      'backslash traversal ..\\x',
      minimalBundle([{ name: '..\\x', data: Buffer.from('pwned') }]),
      'UNSAFE_PATH_TRAVERSAL',
      /backslash/,
    ],
    [
      'UNC \\\\server\\x',
      minimalBundle([{ name: '\\\\server\\share\\x', data: Buffer.from('pwned') }]),
      'UNSAFE_PATH_ABSOLUTE',
      /absolute/,
    ],
    [
      'symlink entry',
      minimalBundle([
        { name: 'models/link', data: Buffer.from('/etc/passwd'), unixMode: 0o120777, method: 0 },
      ]),
      'SYMLINK_ENTRY',
      /symbolic link/,
    ],
    [
      'duplicate names',
      minimalBundle([{ name: 'models/PIClassifier.pkl', data: Buffer.from('second copy') }]),
      'DUPLICATE_ENTRY',
      /twice/,
    ],
    [
      'names equal up to case',
      minimalBundle([{ name: 'Models/PIClassifier.pkl', data: Buffer.from('x') }]),
      'CASE_COLLISION',
      /same file on macOS and Windows/,
    ],
    [
      'file used as a folder',
      minimalBundle([{ name: 'config.yml/x', data: Buffer.from('x') }]),
      'DUPLICATE_ENTRY',
      /uses it as a folder/,
    ],
    [
      'encrypted entry',
      minimalBundle([{ name: 'models/secret.onnx', data: Buffer.from('x'), flags: 1 }]),
      'ENCRYPTED_ENTRY',
      /encrypted/,
    ],
    [
      'missing config.yml',
      [
        { name: 'models/a.onnx', data: Buffer.from('x') },
        { name: 'metadata/a.json', data: Buffer.from('{}') },
      ],
      'MISSING_CONFIG',
      /no config\.yml/,
    ],
    [
      'dangling path in config.yml',
      minimalBundle(
        [],
        'bf_focus:\n  model_path: models/NAFNet-bf_focus_restoration.pth\n  model_metadata: metadata/NAFNet-bf_focus_restoration.json\n',
      ),
      'DANGLING_REFERENCE',
      /no such file/,
    ],
    [
      'config.yml that is not YAML',
      minimalBundle([], 'bf_focus: [unclosed\n'),
      'INVALID_CONFIG',
      /not valid YAML/,
    ],
  ];
  for (const [label, entries, code, message] of cases) {
    it(`${label} → ${code}`, async () => {
      const err = await refused(buildZip(entries));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
    });
  }

  it('a highly compressible huge entry (zip bomb) → COMPRESSION_RATIO', async () => {
    const err = await refused(
      buildZip(minimalBundle([{ name: 'models/bomb.onnx', data: Buffer.alloc(8 * mb) }])),
    );
    expect(err.code).toBe('COMPRESSION_RATIO');
    expect(err.details.actual).toBeGreaterThan(200);
  });

  it('an entry above the per-file limit → ENTRY_TOO_LARGE (limit configurable)', async () => {
    const err = await refused(
      buildZip(
        minimalBundle([
          { name: 'models/big.onnx', data: fs.readFileSync(__filename).subarray(0, 2000), method: 0 },
        ]),
      ),
      { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1000 },
    );
    expect(err.code).toBe('ENTRY_TOO_LARGE');
  });

  it('entries whose sum exceeds the total limit → TOTAL_TOO_LARGE', async () => {
    const err = await refused(
      buildZip(
        minimalBundle([
          { name: 'models/a.onnx', data: Buffer.alloc(600), method: 0 },
          { name: 'models/b.onnx', data: Buffer.alloc(600), method: 0 },
        ]),
      ),
      { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 1000 },
    );
    expect(err.code).toBe('TOTAL_TOO_LARGE');
  });

  it('a ratio bomb under a lowered ratio limit → COMPRESSION_RATIO', async () => {
    const err = await refused(
      buildZip(minimalBundle([{ name: 'models/r.onnx', data: Buffer.alloc(4096, 7) }])),
      { ...DEFAULT_ZIP_LIMITS, maxRatio: 10, ratioFloorBytes: 1024 },
    );
    expect(err.code).toBe('COMPRESSION_RATIO');
  });

  it('2000 entries of 1 MiB − 1 zeros (each under the per-entry ratio floor, a 2 MB ZIP, 2 GB unpacked) → COMPRESSION_RATIO of the whole archive', async () => {
    const zeros = Buffer.alloc(mb - 1);
    const deflated = zlib.deflateRawSync(zeros);
    const many = Array.from({ length: 2000 }, (_, i) => ({
      name: `models/pad${i}.bin`,
      data: zeros,
      deflated,
    }));
    const bytes = buildZip(minimalBundle(many));
    expect(bytes.length).toBeLessThan(4e6);
    const err = await refused(bytes);
    expect(err.code).toBe('COMPRESSION_RATIO');
    expect(err.details.actual).toBeGreaterThan(500);
    expect(err.message).toMatch(
      /its 2003 entries would extract to 2097150\d{3} bytes .* for the archive as a whole \(limit 200:1\)/,
    );
  });

  it('many small incompressible entries that sum past the budget → TOTAL_TOO_LARGE, before extracting', async () => {
    const noise = crypto.randomBytes(64 * 1024);
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `models/n${i}.bin`,
      data: noise,
      method: 0 as const,
    }));
    const err = await refused(buildZip(minimalBundle(many)), {
      ...DEFAULT_ZIP_LIMITS,
      maxTotalBytes: 2 * mb,
    });
    expect(err.code).toBe('TOTAL_TOO_LARGE');
    expect(err.details).toMatchObject({ expected: 2 * mb });
  });

  it('extraction counts the bytes it writes against the budget and stops the moment they pass it', async () => {
    const noise = crypto.randomBytes(256 * 1024);
    const zipPath = path.join(root, 'work', 'four.zip');
    fs.writeFileSync(
      zipPath,
      buildZip(
        minimalBundle(Array.from({ length: 4 }, (_, i) => ({ name: `models/m${i}.bin`, data: noise }))),
      ),
    );
    const zip = await CheckedZip.open(zipPath);
    expect(zip.totalBytes).toBeGreaterThan(mb);
    const dir = path.join(root, 'work', 'out');
    fs.mkdirSync(dir);
    const err = (await zip
      .extractTo(dir, { maxBytes: 600 * 1024 })
      .catch((e: unknown) => e)) as CollectionError;
    zip.close();
    expect(err).toBeInstanceOf(CollectionError);
    expect(err.code).toBe('TOTAL_TOO_LARGE');
    expect(err.details).toMatchObject({ expected: 600 * 1024, entry: 'models/m2.bin' });
    expect(fs.existsSync(path.join(dir, 'models/m3.bin'))).toBe(false);
  });

  it('a header that lies about the size (inflates beyond it) → SIZE_MISMATCH, temporary folder removed', async () => {
    const err = await refused(
      buildZip(
        minimalBundle([{ name: 'models/liar.onnx', data: Buffer.alloc(50_000, 1), declaredSize: 100 }]),
      ),
    );
    expect(['SIZE_MISMATCH', 'ZIP_CORRUPT']).toContain(err.code);
  });

  it('a wrong CRC-32 → CRC_MISMATCH', async () => {
    const err = await refused(
      buildZip(minimalBundle([{ name: 'models/crc.onnx', data: Buffer.from('payload'), crc: 12345 }])),
    );
    expect(err.code).toBe('CRC_MISMATCH');
  });

  it('a truncated archive → ZIP_TRUNCATED', async () => {
    const whole = buildZip(minimalBundle());
    const err = await refused(whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(err.code).toBe('ZIP_TRUNCATED');
  });

  it('not a ZIP at all → NOT_A_ZIP', async () => {
    const err = await refused(Buffer.from('bf_focus:\n  model_path: x\n'));
    expect(err.code).toBe('NOT_A_ZIP');
  });

  it('an empty ZIP → EMPTY_ARCHIVE', async () => {
    const err = await refused(buildZip([]));
    expect(err.code).toBe('EMPTY_ARCHIVE');
  });
});

describe('safe import of a good archive', () => {
  it('accepts ./ and backslash-separated names, extracts once and reuses by sha256', async () => {
    const zip = path.join(root, 'good.zip');
    fs.writeFileSync(
      zip,
      buildZip(
        minimalBundle([
          { name: './models\\extra.onnx', data: Buffer.from('abc') },
          { name: 'models/', data: Buffer.alloc(0) },
        ]),
      ),
    );
    const first = await importCollection(zip, library);
    expect(first.reused).toBe(false);
    expect(first.entry.id).toMatch(/^[0-9a-f]{16}$/);
    const tree = listTree(fs, path, first.entry.path);
    expect(tree).toEqual([
      '.hitmic-collection.json',
      'config.yml',
      'metadata',
      'metadata/PIClassifier.json',
      'models',
      'models/PIClassifier.pkl',
      'models/extra.onnx',
    ]);
    const mtime = fs.statSync(path.join(first.entry.path, 'config.yml')).mtimeMs;
    const second = await importCollection(zip, library);
    expect(second.reused).toBe(true);
    expect(second.entry.id).toBe(first.entry.id);
    expect(fs.statSync(path.join(first.entry.path, 'config.yml')).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(library)).toEqual([first.entry.id]);
  });

  it('a collection zipped as its folder (everything under one top folder) is read with a warning', async () => {
    const zip = path.join(root, 'wrapped.zip');
    const wrapped = minimalBundle().map((e) => ({ ...e, name: `my_collection/${e.name}` }));
    fs.writeFileSync(
      zip,
      buildZip([...wrapped, { name: '__MACOSX/my_collection/._config.yml', data: Buffer.from('x') }]),
    );
    const r = await importCollection(zip, library);
    const report = await inspectCollection(new FolderSource(r.entry.path));
    expect(report.models.map((m) => m.key)).toEqual(['pi_classification']);
    expect(report.problems.map((p) => p.code)).toContain('wrapped-in-folder');
  });
});
