/**
 * `hitmic submit`, `status` and `collect` where no Slurm is needed: the dry run, and every way a
 * submission is refused before Slurm is asked — each with one clear line and nothing left on disk.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfig, demoPaths } from '../demo';

const CLI = path.resolve(__dirname, '../../bin/hitmic.js');
let tmp = '';
let config = '';
let out = '';
/** An environment whose PATH has no Slurm at all. */
let noSlurm: NodeJS.ProcessEnv = {};

function hitmic(args: string[], env: NodeJS.ProcessEnv = noSlurm) {
  return spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-submit-cli-'));
  out = path.join(tmp, "out 'x'");
  config = path.join(tmp, 'demo.yml');
  fs.writeFileSync(
    config,
    `${demoConfig(demoPaths(), out, { focusCorrection: false })}\ncluster:\n  partition: short\n  mem: 2G\n  sbatch_options: ['--constraint=avx2']\n`,
  );
  fs.mkdirSync(path.join(tmp, 'empty bin'));
  noSlurm = {
    PATH: path.join(tmp, 'empty bin'),
    HOME: tmp,
    HITMIC_JOBS_DIR: path.join(tmp, 'jobs'),
    HITMIC_LIBRARY: path.join(tmp, 'library'),
  };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('hitmic submit --dry-run', () => {
  it('prints the script from the flags and the cluster section, writes and submits nothing', () => {
    const r = hitmic([
      'submit',
      config,
      '--slurm',
      '--dry-run',
      '--time',
      '30',
      '--gpus',
      '1',
      '--frames',
      '0:4',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^#!\/bin\/bash\n/);
    const directives = r.stdout.split('\n').filter((l) => l.startsWith('#SBATCH'));
    expect(directives).toEqual([
      '#SBATCH --job-name=hitmic-demo',
      '#SBATCH --array=0-0',
      '#SBATCH --output=logs/task-%a.out',
      '#SBATCH --no-requeue',
      '#SBATCH --partition=short',
      '#SBATCH --time=30',
      '#SBATCH --mem=2G',
      '#SBATCH --gres=gpu:1',
      '#SBATCH --constraint=avx2',
    ]);
    // The output folder's quote is escaped for bash; the GPU job runs its models on CUDA.
    expect(r.stdout).toContain(`--output '${tmp}/out '\\''x'\\'''`);
    expect(r.stdout).toContain(`--json '--frames' '0:4' '--device' 'cuda'`);
    expect(r.stderr).toMatch(
      /dry run: nothing written or submitted; 1 movie\(s\) would be tasks 0–0:\n {2}0 {2}.*demo_movie.tif/,
    );
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--json gives the same script and the movies', () => {
    const r = hitmic(['submit', config, '--slurm', '--dry-run', '--json']);
    const j = JSON.parse(r.stdout) as {
      job: string | null;
      dryRun: boolean;
      movies: string[];
      script: string;
    };
    expect(j).toMatchObject({ job: null, dryRun: true, movies: [demoPaths().movie] });
    expect(j.script).toContain('#SBATCH --partition=short');
  });
});

describe('refusals before Slurm is asked', () => {
  it('without sbatch on the PATH: where to run it instead, and nothing written', () => {
    const r = hitmic(['submit', config, '--slurm']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^hitmic: Slurm's sbatch is not on the PATH here; run hitmic submit on a login node/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(out, 'hitmic-slurm'))).toBe(false);
  });

  it.each([
    [['submit', 'CONFIG'], 2, /needs --slurm/],
    [['submit', '--slurm'], 2, /needs exactly one CONFIG.yml, or --retry JOB/],
    [['submit', 'CONFIG', '--slurm', '--time', '2h'], 1, /--time: "2h" is not a Slurm time limit/],
    [['submit', 'CONFIG', '--slurm', '--mem', '1.5G'], 1, /--mem: "1.5G" is not a Slurm memory size/],
    [['submit', 'CONFIG', '--slurm', '--partition', 'a b'], 1, /--partition: "a b" is not a Slurm name/],
    [['submit', 'CONFIG', '--slurm', '--gpus', '-1'], 2, /'--gpus' must be an integer ≥ 0/],
    [['submit', 'CONFIG', '--slurm', '--frames', '5:2'], 2, /--frames must look like A:B/],
    [['submit', '--retry', '12', '--input', 'x.tif'], 2, /takes no --input/],
    [['submit', '--retry', '12'], 1, /No submission of hitmic submit is known for Slurm job 12/],
    [['status', '12'], 1, /No submission of hitmic submit is known for Slurm job 12/],
    [['status', '/nowhere'], 1, /neither a Slurm job id nor a submission folder/],
    [['collect', '/nowhere'], 1, /No output folder at \/nowhere/],
  ])('%j → exit %i, %s', (args, code, message) => {
    const r = hitmic(args.map((a) => (a === 'CONFIG' ? config : a)));
    expect(r.status).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('a bad cluster section is a config error with its line', () => {
    const bad = path.join(tmp, 'bad.yml');
    fs.writeFileSync(bad, `${fs.readFileSync(config, 'utf8')}  time: forever\n`);
    const r = hitmic(['submit', bad, '--slurm', '--dry-run']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.yml:\d+:\d+: error: cluster\.time: "forever" is not a Slurm time limit/);
  });

  it('nothing to submit when every movie is analysed, unless --force', () => {
    const done = path.join(tmp, 'done');
    fs.mkdirSync(done);
    // HiTMicTools' skip rule is the presence of both tables.
    for (const f of ['demo_movie_fl.csv', 'demo_movie_summary.csv']) fs.writeFileSync(path.join(done, f), '');
    const r = hitmic(['submit', config, '--slurm', '--output', done, '--dry-run']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Nothing to submit: all 1 movie\(s\) are already analysed .* \(add --force/);
    const forced = hitmic(['submit', config, '--slurm', '--output', done, '--dry-run', '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("'--force'");
  });
});
