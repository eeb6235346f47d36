/**
 * The array script: every path reaches bash as exactly itself (spaces, quotes, `$`, backslashes,
 * line breaks), the script is valid bash, and its own checks (run outside Slurm, a task without a
 * movie) stop it with a clear line before it starts anything. Real bash, no Slurm needed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  arrayScript,
  jobNameFor,
  sbatchOptions,
  shellQuote,
  taskRunArgs,
  type ArrayScriptInput,
} from './script';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-script-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bash = (script: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

describe('shellQuote', () => {
  it.each([
    'plain',
    'with space',
    "it's",
    'say "hi"',
    '$HOME and `date` and $(id)',
    'back\\slash',
    'line\nbreak',
    "''",
    '',
    'ünïcödé µm',
    '-n',
  ])('bash reads %j back unchanged', (s) => {
    const r = bash(`printf '%s' ${shellQuote(s)}`);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(s);
  });

  it('refuses a NUL, which no program can receive', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});

function input(over: Partial<ArrayScriptInput> = {}): ArrayScriptInput {
  const folder = path.join(tmp, `it's a "job" $folder`);
  return {
    appVersion: '9.9.9',
    nodePath: process.execPath,
    electron: false,
    cliPath: '/opt/hitmic studio/bin/hitmic.js',
    config: path.join(tmp, "lab's config.yml"),
    outputDir: path.join(tmp, 'out $x'),
    worklist: path.join(folder, 'movies.txt'),
    folder,
    movies: 2,
    jobName: jobNameFor("/data/lab's config.yml"),
    resources: {},
    runArgs: [],
    ...over,
  };
}

describe('the array script', () => {
  it('is valid bash whose #SBATCH lines hold no path', () => {
    const text = arrayScript(
      input({ resources: { partition: 'gpu', time: '02:00:00', mem: '16G', gpus: 2 } }),
    );
    const file = path.join(tmp, 'job.sh');
    fs.writeFileSync(file, text);
    expect(spawnSync('bash', ['-n', file]).status).toBe(0);
    const directives = text.split('\n').filter((l) => l.startsWith('#SBATCH'));
    expect(directives).toEqual([
      '#SBATCH --job-name=hitmic-lab_s_config',
      '#SBATCH --array=0-1',
      '#SBATCH --output=logs/task-%a.out',
      '#SBATCH --no-requeue',
      '#SBATCH --partition=gpu',
      '#SBATCH --time=02:00:00',
      '#SBATCH --mem=16G',
      '#SBATCH --gres=gpu:2',
    ]);
    expect(directives.join('\n')).not.toContain(tmp);
  });

  it('orders the options: ours, the resources, then the extra ones; throttles with %K', () => {
    expect(
      sbatchOptions({
        movies: 10,
        jobName: 'hitmic-x',
        resources: {
          arrayMax: 3,
          cpusPerTask: 4,
          account: 'lab',
          qos: 'short',
          extra: ['--constraint=a100'],
        },
      }),
    ).toEqual([
      '--job-name=hitmic-x',
      '--array=0-9%3',
      '--output=logs/task-%a.out',
      '--no-requeue',
      '--cpus-per-task=4',
      '--account=lab',
      '--qos=short',
      '--constraint=a100',
    ]);
  });

  it('stops with a clear line outside Slurm and for a task without a movie', () => {
    const i = input();
    fs.mkdirSync(path.join(i.folder, 'reports'), { recursive: true });
    fs.writeFileSync(i.worklist, '/movies/a.tif\n/movies/b c.tif\n');
    const file = path.join(i.folder, 'job.sh');
    fs.writeFileSync(file, arrayScript(i));
    const outside = spawnSync('bash', [file], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(outside.status).not.toBe(0);
    expect(outside.stderr).toMatch(/SLURM_ARRAY_TASK_ID: this script runs as a task of a Slurm array job/);
    const beyond = spawnSync('bash', [file], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, SLURM_ARRAY_TASK_ID: '5' },
    });
    expect(beyond.status).toBe(2);
    expect(beyond.stderr).toMatch(/array task 5 has no movie: movies.txt has 2 lines/);
  });

  it("runs this installation's hitmic on line N+1 of the worklist, the report renamed into place", () => {
    // The program is a real one that prints its arguments, so bash's words can be checked one by one.
    const printer = path.join(tmp, 'print args.js');
    fs.writeFileSync(printer, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
    const i = input({
      cliPath: printer,
      runArgs: ['--frames', '0:5', '--device', 'cuda'],
      bookingDir: '/scratch/my tmp',
    });
    fs.mkdirSync(path.join(i.folder, 'reports'), { recursive: true });
    fs.writeFileSync(i.worklist, "/movies/a.tif\n/movies/it's b $c.tif\n");
    const file = path.join(i.folder, 'job.sh');
    fs.writeFileSync(file, arrayScript(i));
    const r = spawnSync('bash', [file], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, SLURM_ARRAY_TASK_ID: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hitmic: task 1 analyses \/movies\/it's b \$c.tif on /);
    const report = fs.readFileSync(path.join(i.folder, 'reports', 'task-1.json'), 'utf8');
    expect(JSON.parse(report)).toEqual([
      'run',
      i.config,
      '--input',
      "/movies/it's b $c.tif",
      '--output',
      i.outputDir,
      '--json',
      '--frames',
      '0:5',
      '--device',
      'cuda',
    ]);
    expect(fs.existsSync(path.join(i.folder, 'reports', 'task-1.json.partial'))).toBe(false);
    expect(arrayScript(i)).toContain("export TMPDIR='/scratch/my tmp'");
    expect(arrayScript(input({ electron: true }))).toContain('export ELECTRON_RUN_AS_NODE=1');
  });
});

describe('the task options', () => {
  it('a GPU job runs on the GPU Slurm gave it; an explicit --device wins', () => {
    expect(taskRunArgs({}, { gpus: 1 }, {})).toEqual(['--device', 'cuda']);
    expect(taskRunArgs({ device: 'cpu' }, { gpus: 1 }, {})).toEqual(['--device', 'cpu']);
    expect(taskRunArgs({ frames: [2, 4], restored: true }, {}, { force: true })).toEqual([
      '--frames',
      '2:4',
      '--restored',
      '--force',
    ]);
  });
});
