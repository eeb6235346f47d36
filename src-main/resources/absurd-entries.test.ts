import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeBookingDir, type Proc, readJson, spawnHitmic } from './__tests__/helpers';
import { parseBookingFile } from './booking-file';
import { isLocalProcessGone } from './liveness';

const NOW = 1_796_000_000;
const dirs: string[] = [];
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (!p.exited) p.child.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A booking file with one booking `key` → `entry`, as raw text (so NaN can be written as Python does). */
const oneBooking = (key: string, entry: string): string =>
  `{"bookings": {"${key}": ${entry}, "7": {"memory_gb": 1, "timestamp": ${NOW}, "pid": 7}}, "last_cleanup": ${NOW}}`;

describe('absurd values in a booking file: ignored or repaired, always with a problem named, never a crash', () => {
  // [what, key, entry text, kept?, expected pid or timestamp check, problem pattern]
  const cases: [string, string, string, 'ignored' | 'repaired', RegExp][] = [
    [
      'timestamp 1e300',
      '12',
      '{"memory_gb": 1, "timestamp": 1e300, "pid": 12}',
      'repaired',
      /'timestamp' 1e\+300, not a time; counted it from now/,
    ],
    [
      'timestamp negative',
      '12',
      '{"memory_gb": 1, "timestamp": -5, "pid": 12}',
      'repaired',
      /'timestamp' -5/,
    ],
    [
      'timestamp NaN (Python json)',
      '12',
      '{"memory_gb": 1, "timestamp": NaN, "pid": 12}',
      'repaired',
      /NaN\/Infinity value\(s\).*'timestamp' null/,
    ],
    [
      'timestamp Infinity',
      '12',
      '{"memory_gb": 1, "timestamp": Infinity, "pid": 12}',
      'repaired',
      /'timestamp' null/,
    ],
    [
      'timestamp a string',
      '12',
      '{"memory_gb": 1, "timestamp": "yesterday", "pid": 12}',
      'repaired',
      /'timestamp' "yesterday"/,
    ],
    ['timestamp missing', '12', '{"memory_gb": 1, "pid": 12}', 'repaired', /'timestamp' missing/],
    [
      'timestamp a year ahead',
      '12',
      `{"memory_gb": 1, "timestamp": ${NOW + 3e7}, "pid": 12}`,
      'repaired',
      /'timestamp' 1826000000/,
    ],
    [
      'since 1e300 (ours)',
      '12_1',
      '{"memory_gb": 1, "timestamp": 5, "pid": 12, "since": 1e300}',
      'repaired',
      /'since' 1e\+300.*dropped that field/,
    ],
    [
      'pid 99999999999',
      '99999999999',
      '{"memory_gb": 1, "timestamp": 5, "pid": 99999999999}',
      'ignored',
      /'pid' 99999999999 and its key names no process either/,
    ],
    ['pid negative', 'x', '{"memory_gb": 1, "timestamp": 5, "pid": -3}', 'ignored', /'pid' -3/],
    ['pid 0', 'x', '{"memory_gb": 1, "timestamp": 5, "pid": 0}', 'ignored', /'pid' 0/],
    [
      'pid a string, key names it',
      '12_1',
      '{"memory_gb": 1, "timestamp": 5, "pid": "12"}',
      'repaired',
      /'pid' "12"; used 12 from its key/,
    ],
    ['pid fractional', 'y', '{"memory_gb": 1, "timestamp": 5, "pid": 1.5}', 'ignored', /'pid' 1\.5/],
    [
      'memory_gb 1e300',
      '12',
      '{"memory_gb": 1e300, "timestamp": 5, "pid": 12}',
      'ignored',
      /'memory_gb' 1e\+300/,
    ],
    [
      'memory_gb a string',
      '12',
      '{"memory_gb": "4", "timestamp": 5, "pid": 12}',
      'ignored',
      /'memory_gb' "4"/,
    ],
    ['memory_gb missing', '12', '{"timestamp": 5, "pid": 12}', 'ignored', /'memory_gb' missing/],
    ['entry a number', '12', '42', 'ignored', /booking '12' is 42, not an object/],
  ];

  it.each(cases)('%s', (_what, key, entry, outcome, problem) => {
    const { data, problems } = parseBookingFile(oneBooking(key, entry), NOW);
    expect(problems.join('; ')).toMatch(problem);
    // The well-formed neighbour always survives.
    expect(data.bookings['7']).toEqual({ memory_gb: 1, timestamp: NOW, pid: 7 });
    if (outcome === 'ignored') expect(data.bookings[key]).toBeUndefined();
    else {
      const b = data.bookings[key];
      expect(b.pid).toBe(12);
      expect(b.timestamp).toBeGreaterThan(0);
      expect(b.timestamp).toBeLessThanOrEqual(NOW);
      expect(b.since === undefined || (b.since as number) <= NOW).toBe(true);
    }
  });

  it('queue entries, next_ticket and last_cleanup with absurd values', () => {
    const text = JSON.stringify({
      bookings: {},
      last_cleanup: 1e300,
      hitmic: {
        queue: [
          { ticket: 1e300, pid: 5, memory_gb: 1, since: 5 },
          { ticket: 3, pid: 99999999999, memory_gb: 1, since: 5 },
          { ticket: 4, pid: 5, memory_gb: 1, since: 'now', heartbeat: -1 },
        ],
        next_ticket: 1e300,
      },
    });
    const { data, problems } = parseBookingFile(text, NOW);
    expect(data.hitmic.queue.map((q) => [q.ticket, q.since, q.heartbeat])).toEqual([[4, NOW, NOW]]);
    expect(data.hitmic.next_ticket).toBe(5);
    expect(data.last_cleanup).toBe(NOW);
    expect(problems).toHaveLength(4);
  });

  it('a pid no process can have is gone; zero, negative and fractional ones too; a live one is not', () => {
    for (const pid of [99999999999, 2 ** 31, 2 ** 22 + 1, 0, -1, 1.5, Number.NaN])
      expect(isLocalProcessGone(pid)).toBe(true);
    expect(isLocalProcessGone(process.pid)).toBe(false);
  });
});

describe('hitmic bookings and a waiting hitmic reserve keep working on a file full of absurd entries', () => {
  function absurdFile(dir: string): string {
    const file = path.join(dir, 'memory_bookings_cpu.json');
    // A live process (the test runner's parent) holds 1.5 GB with absurd times; a pid that no
    // process can have holds 2 GB; Python's NaN stands in a field.
    const live = process.ppid;
    fs.writeFileSync(
      file,
      `{"bookings": {` +
        `"${live}_1": {"memory_gb": 1.5, "timestamp": 1e300, "pid": ${live}, "since": 1e300, "app": "hitmic-studio", "holder": "absurd times"},` +
        `"99999999999": {"memory_gb": 2, "timestamp": -4, "pid": 99999999999},` +
        `"${live}": {"memory_gb": NaN, "timestamp": "x", "pid": "y"}` +
        `}, "last_cleanup": NaN, "hitmic": {"queue": [{"ticket": 1e300, "pid": 1, "memory_gb": 1, "since": 1e300}], "next_ticket": -7}}`,
    );
    return file;
  }

  it('bookings prints the table and JSON with warnings (exit 0)', async () => {
    const dir = makeBookingDir();
    dirs.push(dir);
    absurdFile(dir);
    const text = spawnHitmic(['bookings', '--device', 'cpu'], dir, { HITMIC_CAPACITY_GB: '2' });
    const json = spawnHitmic(['bookings', '--json'], dir, { HITMIC_CAPACITY_GB: '2' });
    procs.push(text, json);
    expect((await text.exit).code, text.stderr).toBe(0);
    expect(text.stdout).toContain('cpu: 1.5 of 2 GB booked');
    expect(text.stdout).toMatch(
      new RegExp(`${process.ppid}_1 +${process.ppid} .* \\d\\d:\\d\\d:\\d\\d .*absurd times`),
    );
    expect(text.stdout).toMatch(/warning: booking '99999999999' has 'pid' 99999999999 .*ignored it/);
    expect(text.stdout).toMatch(/warning: .*'timestamp' 1e\+300, not a time/);
    expect((await json.exit).code, json.stderr).toBe(0);
    const snap = (
      JSON.parse(json.stdout) as { devices: { holders: { key: string }[]; problems: string[] }[] }
    ).devices[0];
    expect(snap.holders.map((h) => h.key)).toEqual([`${process.ppid}_1`]);
    expect(snap.problems.length).toBeGreaterThanOrEqual(5);
  });

  it('a waiting reserve prints its status lines and times out cleanly naming the live holder (exit 75)', async () => {
    const dir = makeBookingDir();
    dirs.push(dir);
    const file = absurdFile(dir);
    const p = spawnHitmic(
      [
        'reserve',
        '-d',
        'cpu',
        '--gb',
        '1',
        '--capacity-gb',
        '2',
        '--timeout',
        '0.8',
        '--',
        process.execPath,
        '-e',
        '0',
      ],
      dir,
    );
    procs.push(p);
    const end = await p.exit;
    expect(end.code, p.stderr).toBe(75);
    expect(p.stderr).not.toMatch(/Invalid time value|RangeError|TypeError/);
    expect(p.stderr).toMatch(
      /hitmic reserve: warning: booking file .*'timestamp' 1e\+300.*repaired the file/,
    );
    expect(p.stderr).toMatch(
      /waiting for 1 GB on cpu: 1\.5 of 2 GB booked by pid \d+@\S+ \(1\.5 GB since \d\d:\d\d:\d\d UTC/,
    );
    expect(p.stderr).toMatch(/timed out after 0\.\d s waiting to reserve 1 GB on cpu/);
    // The file was repaired: only the believable booking is left, with a believable time.
    const data = readJson(file);
    expect(Object.keys(data?.bookings ?? {})).toEqual([`${process.ppid}_1`]);
    expect(data?.bookings[`${process.ppid}_1`].timestamp).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  it('a booking of pid 99999999999 holds nothing: the next reserve gets the memory', async () => {
    const dir = makeBookingDir();
    dirs.push(dir);
    fs.writeFileSync(
      path.join(dir, 'memory_bookings_cpu.json'),
      `{"bookings": {"99999999999": {"memory_gb": 2, "timestamp": ${Date.now() / 1000}, "pid": 99999999999}}, "last_cleanup": 1}`,
    );
    const p = spawnHitmic(
      [
        'reserve',
        '-d',
        'cpu',
        '--gb',
        '2',
        '--capacity-gb',
        '2',
        '--timeout',
        '5',
        '--',
        process.execPath,
        '-e',
        '0',
      ],
      dir,
    );
    procs.push(p);
    expect((await p.exit).code, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/'pid' 99999999999 and its key names no process either; ignored it/);
  });
});
