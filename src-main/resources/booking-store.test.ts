import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeBookingDir, Proc, REPO } from './__tests__/helpers';
import { BookingFileHandle, inPlaceBytes, readBookingText } from './booking-store';
import { BookingPermissionError } from './errors';

const dir = makeBookingDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `fn` with the process umask set to `mask`, restoring it after. */
function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

function writeThrough(file: string, text: string): boolean {
  const h = BookingFileHandle.open(file);
  try {
    return h.write(text);
  } finally {
    h.close();
  }
}

describe('booking file bytes', () => {
  it('creates the file with mode 0666 whatever the umask, then rewrites it in place (same inode)', () => {
    const file = path.join(dir, 'memory_bookings_cpu.json');
    withUmask(0o077, () => expect(writeThrough(file, '{"bookings": {"1": 2}}')).toBe(true));
    const first = fs.statSync(file);
    expect(first.mode & 0o777).toBe(0o666);
    withUmask(0o077, () => writeThrough(file, '{"bookings": {}}'));
    const second = fs.statSync(file);
    expect(second.ino).toBe(first.ino);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"bookings": {}}');
    expect(second.mode & 0o777).toBe(0o666);
  });

  it('opens up a file of ours that others could not write (made by an older version or by hand)', () => {
    const file = path.join(dir, 'memory_bookings_mps.json');
    fs.writeFileSync(file, '{}', { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    writeThrough(file, '{"bookings": {}}');
    expect(fs.statSync(file).mode & 0o777).toBe(0o666);
  });

  it('pads a shorter content to the old length, so the file parses as the new content before it is cut', () => {
    const text = '{"bookings": {}}';
    const bytes = inPlaceBytes(text, 200);
    expect(bytes.length).toBe(200);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ bookings: {} });
    expect(inPlaceBytes(text, 3).toString('utf8')).toBe(text);
  });

  it('refuses a symbolic link in place of the booking file (it is shared with every user)', () => {
    const target = path.join(dir, 'victim.txt');
    fs.writeFileSync(target, 'precious');
    const file = path.join(dir, 'memory_bookings_cuda_3.json');
    fs.symlinkSync(target, file);
    const err = (() => {
      try {
        BookingFileHandle.open(file);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BookingPermissionError);
    expect((err as Error).message).toMatch(/cannot read .*memory_bookings_cuda_3\.json \(ELOOP\)/);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
  });

  it('a missing file reads as null (not as an empty, damaged one)', () => {
    expect(readBookingText(path.join(dir, 'memory_bookings_cuda_9.json'))).toBeNull();
  });
});

/**
 * A reader process reads the file as fast as it can for 1.5 s, with the retry every reader of
 * ours uses (`readBookingText`), and counts the reads that still do not parse, while this process
 * rewrites it, alternating a long and a short content, as fast as it can. Written in place with
 * padding, no read fails; the same reader against a truncate-then-write writer (what
 * `fs.writeFileSync` does) fails often: the test tells the two apart.
 */
describe('readers never act on a half-written booking file', () => {
  const lib = JSON.stringify(path.join(REPO, 'dist/node/src-main/resources/booking-store.js'));
  const readerScript = (file: string): string =>
    `const {readBookingText}=require(${lib});const f=${JSON.stringify(file)};const end=Date.now()+1500;` +
    `let reads=0,failed=0;const seen=new Set();while(Date.now()<end){reads++;const t=readBookingText(f);` +
    `try{seen.add(JSON.parse(t).v)}catch{failed++}}console.log(JSON.stringify({reads,failed,versions:seen.size}))`;

  async function race(
    name: string,
    write: (file: string, text: string) => void,
  ): Promise<{ reads: number; failed: number; versions: number }> {
    const file = path.join(dir, `race-${name}.json`);
    const long = JSON.stringify({ v: 'long', bookings: { pad: 'x'.repeat(3000) } }, null, 2);
    const short = JSON.stringify({ v: 'short', bookings: {} });
    fs.writeFileSync(file, long);
    const reader = new Proc(
      spawn(process.execPath, ['-e', readerScript(file)], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let n = 0;
    while (!reader.exited) {
      for (let i = 0; i < 100; i++) write(file, n++ % 2 ? long : short);
      await new Promise((r) => setImmediate(r));
    }
    const [line] = await reader.line('{');
    return JSON.parse(line) as { reads: number; failed: number; versions: number };
  }

  it('in place with padding: no failed read; truncate-then-write: failed reads', async () => {
    const ours = await race('in-place', writeThrough);
    expect(ours.versions).toBe(2);
    expect(ours.reads).toBeGreaterThan(500);
    expect(ours.failed).toBe(0);
    const naive = await race('truncate', (file, text) => fs.writeFileSync(file, text));
    expect(naive.versions).toBe(2);
    expect(naive.failed).toBeGreaterThan(0);
  });
});
