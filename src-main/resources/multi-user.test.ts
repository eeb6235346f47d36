import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HITMIC, Proc, readJson, waitUntil } from './__tests__/helpers';

/**
 * Two real Unix users share one booking folder that is sticky like /tmp (mode 1777): each runs
 * `hitmic reserve` while the other holds or waits, both see each other's bookings and waiters, and
 * grants follow the queue across users. Every process runs with umask 077, so the test also proves
 * that the files are shared by their mode (0666, folder 0777), not by a lenient umask.
 *
 * Needs root (to start processes as other users), setpriv (util-linux) and the user `hitmic-peer`
 * (`.ci/run` creates it); a second pair without root uses `nobody`. Each missing piece skips the
 * test with the reason.
 */
const PEER = 'hitmic-peer';
const SETPRIV = '/usr/bin/setpriv';

interface User {
  name: string;
  uid: number;
  gid: number;
}

function lookup(name: string): User | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

const CURRENT: User = {
  name: os.userInfo().username,
  uid: process.getuid?.() ?? -1,
  gid: process.getgid?.() ?? -1,
};

/** argv that runs `node hitmic.js ...args` as `user` (null: as ourselves) with umask 077. */
function asUser(user: User | null, args: string[]): string[] {
  const inner = ['sh', '-c', 'umask 077; exec "$@"', 'sh', process.execPath, HITMIC, ...args];
  if (user === null || user.uid === CURRENT.uid) return inner;
  return [SETPRIV, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', ...inner];
}

/** Why `user` cannot take part, or null when it can. */
function cannotRunAs(name: string): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (CURRENT.uid !== 0)
    return `not root (uid ${CURRENT.uid}): only root may start processes as another user`;
  if (!fs.existsSync(SETPRIV)) return `${SETPRIV} is missing (Debian package util-linux)`;
  const user = lookup(name);
  if (!user) return `no user '${name}' on this machine (create it: useradd -m ${name}; .ci/run does)`;
  const [cmd, ...rest] = asUser(user, ['bookings', '--help']);
  const probe = spawnSync(cmd, rest, { encoding: 'utf8', cwd: os.tmpdir() });
  if (probe.status !== 0) {
    const lines = (probe.stderr || probe.error?.message || '').trim().split('\n');
    const why = lines.find((l) => /Error|denied/.test(l)) ?? lines[0];
    return (
      `user '${name}' cannot run the compiled app ${HITMIC} with ${process.execPath} (${why}); ` +
      `make the checkout, dist/ and node_modules readable by others (chmod -R o+rX) or test from a readable folder`
    );
  }
  return null;
}

const peerProblem = cannotRunAs(PEER);
const nobodyProblem = peerProblem ?? cannotRunAs('nobody');
const peer = peerProblem ? null : lookup(PEER);
const nobody = nobodyProblem ? null : lookup('nobody');

const dirs: string[] = [];
const procs: Proc[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (!p.exited) p.child.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A fresh folder like /tmp: everybody may write, only owners may replace or delete (1777). */
function stickyFolder(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-shared-'));
  fs.chmodSync(d, 0o1777);
  dirs.push(d);
  return d;
}

function hitmicAs(user: User | null, args: string[], dir: string): Proc {
  const [cmd, ...rest] = asUser(user, args);
  const p = new Proc(
    spawn(cmd, rest, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: dir, HITMIC_CAPACITY_GB: '' },
    }),
  );
  procs.push(p);
  return p;
}

/** `hitmic reserve` whose child logs `start|end <ticket> <uid> <ms>` and ends when `until` exists (or after holdMs). */
function reserveAs(
  user: User | null,
  gb: number,
  dir: string,
  log: string,
  hold: { until?: string; ms?: number },
) {
  const wait = hold.until
    ? `const w=setInterval(()=>{if(fs.existsSync(${JSON.stringify(hold.until)})){clearInterval(w);done()}},20);`
    : `setTimeout(done,${hold.ms ?? 300});`;
  const script =
    `const fs=require('fs');const t=process.env.HITMIC_RESERVATION_TICKET;const u=process.getuid();` +
    `const say=(w)=>fs.appendFileSync(${JSON.stringify(log)},w+' '+t+' '+u+' '+Date.now()+'\\n');` +
    `const done=()=>say('end');say('start');${wait}`;
  const args = ['reserve', '-d', 'cpu', '--gb', String(gb), '--capacity-gb', '2', '--timeout', '60'];
  return hitmicAs(
    user,
    [
      ...args,
      '--description',
      `${gb} GB of ${user?.name ?? CURRENT.name}`,
      '--',
      process.execPath,
      '-e',
      script,
    ],
    dir,
  );
}

interface Snapshot {
  holders: { pid: number; description: string }[];
  waiters: { pid: number; ticket: number }[];
}

async function bookingsAs(user: User | null, dir: string): Promise<Snapshot> {
  const p = hitmicAs(user, ['bookings', '--device', 'cpu', '--json'], dir);
  expect((await p.exit).code, p.stderr).toBe(0);
  return (JSON.parse(p.stdout) as { devices: Snapshot[] }).devices[0];
}

/**
 * `a` holds the whole 2 GB; then w1 (b, 1 GB), w2 (a, 2 GB), w3 (b, 1 GB) queue in that order.
 * When `a` lets go, FIFO grants w1, then w2 only after w1 ends (2 GB), then w3 only after w2 ends
 * — w3 would fit beside w1 but must not pass w2.
 */
async function shareAGpu(a: User | null, b: User | null): Promise<void> {
  const dir = stickyFolder();
  const file = path.join(dir, 'memory_bookings_cpu.json');
  const log = path.join(dir, 'runs.log');
  fs.writeFileSync(log, '');
  fs.chmodSync(log, 0o666);
  const go = path.join(dir, 'go');
  const queued = (p: Proc) => () => readJson(file)?.hitmic?.queue.find((q) => q.pid === p.child.pid)?.ticket;

  const holder = reserveAs(a, 2, dir, log, { until: go });
  await waitUntil(() => fs.readFileSync(log, 'utf8').includes('start'), 'the holder to start', 20_000);
  const w1 = reserveAs(b, 1, dir, log, { ms: 300 });
  const t1 = await waitUntil(queued(w1), 'w1 to queue', 20_000);
  const w2 = reserveAs(a, 2, dir, log, { ms: 300 });
  const t2 = await waitUntil(queued(w2), 'w2 to queue', 20_000);
  const w3 = reserveAs(b, 1, dir, log, { ms: 300 });
  const t3 = await waitUntil(queued(w3), 'w3 to queue', 20_000);
  expect(t1 < t2 && t2 < t3).toBe(true);

  // Each user sees the other's holder and waiters, in queue order.
  for (const viewer of [a, b]) {
    const s = await bookingsAs(viewer, dir);
    expect(s.holders.map((h) => [h.pid, h.description])).toEqual([
      [holder.child.pid, `2 GB of ${a?.name ?? CURRENT.name}`],
    ]);
    expect(s.waiters.map((w) => w.pid)).toEqual([w1.child.pid, w2.child.pid, w3.child.pid]);
  }
  // Shared by mode, whatever the umask of whoever created them.
  expect(fs.statSync(file).mode & 0o777).toBe(0o666);
  expect(fs.statSync(`${file}.lockdir`).mode & 0o7777).toBe(0o777);

  fs.writeFileSync(go, '');
  for (const p of [holder, w1, w2, w3]) expect((await p.exit).code, p.stderr).toBe(0);

  const runs = fs
    .readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(' '))
    .map(([what, ticket, uid, ms]) => ({ what, ticket: Number(ticket), uid: Number(uid), ms: Number(ms) }));
  const at = (what: string, ticket: number) =>
    runs.find((r) => r.what === what && r.ticket === ticket)?.ms ?? NaN;
  expect(at('start', t1)).toBeGreaterThanOrEqual(at('end', runs[0].ticket));
  expect(at('start', t2)).toBeGreaterThanOrEqual(at('end', t1));
  expect(at('start', t3)).toBeGreaterThanOrEqual(at('end', t2));
  // The children really ran as the two users.
  expect(new Set(runs.map((r) => r.uid))).toEqual(new Set([a?.uid ?? CURRENT.uid, b?.uid ?? CURRENT.uid]));
  const after = readJson(file);
  expect(after?.bookings).toEqual({});
  expect(after?.hitmic?.queue).toEqual([]);
}

describe.skipIf(peerProblem !== null)(
  `two Unix users share a sticky booking folder (${CURRENT.name} and ${PEER})`,
  () => {
    it(`${PEER} reserves while ${CURRENT.name} holds, in queue order with both users' waiters`, async () => {
      await shareAGpu(null, peer);
    });

    it(`${CURRENT.name} reserves while ${PEER} holds`, async () => {
      await shareAGpu(peer, null);
    });

    it('a HiTMicTools file of another user (mode 0644) is replaced where the folder allows it, else a clear error', async () => {
      const hitmictoolsFile = (dir: string): string => {
        const file = path.join(dir, 'memory_bookings_cpu.json');
        const b = { memory_gb: 0.5, timestamp: Date.now() / 1000, pid: process.pid };
        fs.writeFileSync(file, JSON.stringify({ bookings: { [process.pid]: b }, last_cleanup: 1 }, null, 2));
        fs.chmodSync(file, 0o644);
        return file;
      };
      const run = [
        'reserve',
        '-d',
        'cpu',
        '--gb',
        '1',
        '--capacity-gb',
        '2',
        '--',
        process.execPath,
        '-e',
        '0',
      ];

      // A folder without the sticky bit: the file is replaced (rename), keeps its booking, is 0666 after.
      const open = stickyFolder();
      fs.chmodSync(open, 0o777);
      const file = hitmictoolsFile(open);
      const ok = hitmicAs(peer, run, open);
      expect((await ok.exit).code, ok.stderr).toBe(0);
      expect(fs.statSync(file).mode & 0o777).toBe(0o666);
      expect(fs.statSync(file).uid).toBe(peer?.uid);
      expect(Object.keys(readJson(file)?.bookings ?? {})).toEqual([String(process.pid)]);

      // A sticky folder: only its owner may replace it; the error says whose file it is and what to do.
      const sticky = stickyFolder();
      const stuck = hitmictoolsFile(sticky);
      const refused = hitmicAs(peer, run, sticky);
      expect((await refused.exit).code).toBe(1);
      expect(refused.stderr).toContain(
        `cannot write ${stuck} (EPERM): it belongs to user ${CURRENT.name} with mode 0644 in a sticky folder`,
      );
      expect(refused.stderr).toContain(`'chmod 666 ${stuck}'`);
    });
  },
);

describe.skipIf(nobodyProblem !== null)(`two users without root's privileges (${PEER} and nobody)`, () => {
  it('share the folder both ways, and take over a stale lock the other left', async () => {
    await shareAGpu(peer, nobody);
    // A lock left by a process of hitmic-peer that died inside a step: nobody takes it over at once.
    const dir = stickyFolder();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const [cmd, ...rest] = [
      SETPRIV,
      `--reuid=${peer?.uid}`,
      `--regid=${peer?.gid}`,
      '--init-groups',
      'sh',
      '-c',
      `umask 022; mkdir -m 777 memory_bookings_cpu.json.lockdir && echo '{"pid": ${dead.stdout}, "host": "${os.hostname()}"}' > memory_bookings_cpu.json.lockdir/owner`,
    ];
    expect(spawnSync(cmd, rest, { cwd: dir }).status).toBe(0);
    const p = hitmicAs(
      nobody,
      ['reserve', '-d', 'cpu', '--gb', '1', '--capacity-gb', '2', '--', process.execPath, '-e', '0'],
      dir,
    );
    expect((await p.exit).code, p.stderr).toBe(0);
    expect(p.stderr).toMatch(
      new RegExp(`took over the lock .* of pid ${dead.stdout}@.* \\(user ${PEER}, .*its process is gone`),
    );
  });
});

const skipReason = peerProblem ?? nobodyProblem;
if (skipReason !== null) {
  it(`multi-user booking tests skipped: ${skipReason}`, () => {
    expect(skipReason).not.toBe('');
  });
}
