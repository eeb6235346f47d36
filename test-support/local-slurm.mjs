// A real single-node Slurm cluster on localhost, for the tests and the benchmark of `hitmic submit`:
// munged (as the munge user, with its own key and socket), slurmctld and slurmd in the foreground
// with a minimal slurm.conf in a fresh temporary folder, on free ports, so that parallel sessions
// on one machine never meet. Debian's slurm-wlm and munge (installed by .ci/run); no systemd.
// Plain JavaScript so that scripts/bench can use it as well as the TypeScript tests.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SBIN = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', ...(process.env.PATH ?? '').split(':')];

function which(name) {
  for (const dir of SBIN) {
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next folder
    }
  }
  return null;
}

/**
 * Why a local Slurm cannot be started on this machine (a missing program, not root, no munge
 * user), or null when it can be tried. Cheap and synchronous: for a describe() title.
 */
export function localSlurmProblem() {
  if (process.platform !== 'linux') return 'a local Slurm runs on Linux only';
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'sinfo', 'setpriv'].filter(
    (p) => !which(p),
  );
  if (missing.length)
    return `${missing.join(', ')} not installed (apt-get install slurm-wlm munge, as .ci/run does)`;
  if (process.getuid?.() !== 0)
    return 'slurmd must run as root to start jobs, and these tests do not run as root';
  if (spawnSync('id', ['-u', 'munge']).status !== 0)
    return 'there is no munge user (the munge package creates it)';
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, n = 15) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Daemons still running from this process, stopped on exit even when a test run is killed mid-way. */
const live = new Set();
process.once('exit', () => {
  for (const p of live) if (p.exitCode === null) p.kill('SIGKILL');
});

function daemon(file, args, logFile, env) {
  const out = fs.openSync(logFile, 'a');
  const p = spawn(file, args, { env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

async function waitFor(what, check, timeoutMs, procs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const dead = procs.find((p) => p.proc.exitCode !== null || p.proc.signalCode !== null);
    if (dead)
      throw new Error(
        `${dead.name} exited (${dead.proc.exitCode ?? dead.proc.signalCode}) while waiting for ${what}:\n${tail(dead.log)}`,
      );
    if (await check()) return;
    if (Date.now() > until) throw new Error(`no ${what} after ${timeoutMs / 1000} s`);
    await sleep(200);
  }
}

/**
 * Starts the cluster. Resolves with `{ok: true, dir, conf, env, node, partition, stop()}`; `env`
 * (process.env plus SLURM_CONF) is what sbatch, squeue, scontrol — and `hitmic submit` — need.
 * Resolves with `{ok: false, reason}` when the daemons cannot start here (never throws for that).
 * Options: cpus (default: this machine's), memoryMb (default 90 % of its RAM), minJobAgeS
 * (how long slurmctld remembers an ended job, default 300 as Slurm's).
 */
export async function startLocalSlurm(options = {}) {
  const problem = localSlurmProblem();
  if (problem) return { ok: false, reason: problem };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-slurm-'));
  fs.chmodSync(dir, 0o755);
  const procs = [];
  const stopAll = async () => {
    for (const { proc } of [...procs].reverse()) {
      if (proc.exitCode !== null || proc.signalCode !== null) continue;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([gone, sleep(10_000)]);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  };
  try {
    // munge: its own key and socket; munged insists on a socket folder everyone may enter.
    const mungeDir = path.join(dir, 'munge');
    fs.mkdirSync(mungeDir, { mode: 0o755 });
    const key = path.join(mungeDir, 'munge.key');
    fs.writeFileSync(key, crypto.randomBytes(1024), { mode: 0o600 });
    const uid = Number(execFileSync('id', ['-u', 'munge'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'munge'], { encoding: 'utf8' }).trim());
    fs.chownSync(mungeDir, uid, gid);
    fs.chownSync(key, uid, gid);
    const socket = path.join(mungeDir, 'munge.socket');
    const mungeLog = path.join(dir, 'munged.log');
    procs.push({
      name: 'munged',
      log: mungeLog,
      proc: daemon(
        which('setpriv'),
        [
          '--reuid=munge',
          '--regid=munge',
          '--init-groups',
          which('munged'),
          '--foreground',
          `--key-file=${key}`,
          `--socket=${socket}`,
          `--pid-file=${path.join(mungeDir, 'munged.pid')}`,
          `--log-file=${mungeLog}`,
          `--seed-file=${path.join(mungeDir, 'munged.seed')}`,
        ],
        path.join(dir, 'munged.out'),
        process.env,
      ),
    });
    await waitFor('munge socket', () => fs.existsSync(socket), 15_000, procs);

    for (const sub of ['state', 'spool', 'log']) fs.mkdirSync(path.join(dir, sub));
    const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
    const node = 'hitmic-node';
    const cpus = options.cpus ?? os.cpus().length;
    const memoryMb = options.memoryMb ?? Math.floor((os.totalmem() / 2 ** 20) * 0.9);
    const conf = path.join(dir, 'slurm.conf');
    fs.writeFileSync(
      conf,
      [
        `ClusterName=hitmic${crypto.randomBytes(3).toString('hex')}`,
        'SlurmctldHost=localhost(127.0.0.1)',
        `SlurmctldPort=${ctldPort}`,
        `SlurmdPort=${slurmdPort}`,
        'AuthType=auth/munge',
        'CredType=cred/munge',
        `AuthInfo=socket=${socket}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        `StateSaveLocation=${path.join(dir, 'state')}`,
        `SlurmdSpoolDir=${path.join(dir, 'spool')}`,
        `SlurmctldPidFile=${path.join(dir, 'slurmctld.pid')}`,
        `SlurmdPidFile=${path.join(dir, 'slurmd.pid')}`,
        `SlurmctldLogFile=${path.join(dir, 'log', 'slurmctld.log')}`,
        `SlurmdLogFile=${path.join(dir, 'log', 'slurmd.log')}`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_Core_Memory',
        'AccountingStorageType=accounting_storage/none',
        'JobAcctGatherType=jobacct_gather/none',
        'JobCompType=jobcomp/none',
        'MpiDefault=none',
        'SwitchType=switch/none',
        'ReturnToService=2',
        'SchedulerType=sched/backfill',
        `MinJobAge=${options.minJobAgeS ?? 300}`,
        `NodeName=${node} NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${memoryMb} State=UNKNOWN`,
        `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    const env = { ...process.env, SLURM_CONF: conf };
    procs.push({
      name: 'slurmctld',
      log: path.join(dir, 'log', 'slurmctld.log'),
      proc: daemon(which('slurmctld'), ['-D', '-f', conf], path.join(dir, 'slurmctld.out'), env),
    });
    procs.push({
      name: 'slurmd',
      log: path.join(dir, 'log', 'slurmd.log'),
      proc: daemon(which('slurmd'), ['-D', '-f', conf, '-N', node], path.join(dir, 'slurmd.out'), env),
    });
    const sinfo = which('sinfo');
    await waitFor(
      `node ${node} idle`,
      () =>
        spawnSync(sinfo, ['-h', '-n', node, '-o', '%T'], { env, encoding: 'utf8' }).stdout?.trim() === 'idle',
      60_000,
      procs,
    );
    let stopped = false;
    return {
      ok: true,
      dir,
      conf,
      env,
      node,
      partition: 'debug',
      async stop() {
        if (stopped) return;
        stopped = true;
        // Jobs first, so that no slurmstepd outlives its slurmd.
        spawnSync(which('scancel'), ['--full', `--user=${os.userInfo().username}`], { env });
        const squeue = which('squeue');
        const until = Date.now() + 20_000;
        while (
          Date.now() < until &&
          spawnSync(squeue, ['-h', '-o', '%i'], { env, encoding: 'utf8' }).stdout?.trim()
        )
          await sleep(300);
        await stopAll();
        if (!process.env.HITMIC_KEEP_SLURM) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopAll();
    const reason = `a local Slurm could not start here: ${err instanceof Error ? err.message : String(err)}`;
    if (!process.env.HITMIC_KEEP_SLURM) fs.rmSync(dir, { recursive: true, force: true });
    return { ok: false, reason };
  }
}
