/**
 * The `cluster:` section (hitmic submit --slurm): accepted with every Slurm format it documents,
 * refused with the value, its line and a fix for each bad one; HiTMicTools' sections unaffected.
 */
import { describe, expect, it } from 'vitest';
import { exampleConfig } from '../../test-support/config-files';
import { sbatchOptionProblem, slurmMemProblem, slurmNameProblem, slurmTimeProblem } from './cluster-section';
import { validateRunConfig } from './validate';

const base = exampleConfig('hitmictools-collection.yml');
const withCluster = (section: string) => validateRunConfig(`${base}\ncluster:\n${section}`);
const errors = (section: string) =>
  withCluster(section)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => ({ path: d.path, line: d.line, message: d.message }));

describe('the cluster section', () => {
  it('is accepted in full without a warning, and kept in the normalised config', () => {
    const v = withCluster(`  partition: gpu,gpu-long
  time: '1-12:00'
  mem: 16G
  gpus: 1
  cpus_per_task: 4
  account: lab_smith
  qos: gpu6hours
  array_max: 20
  booking_dir: /tmp
  sbatch_options: ['--constraint=a100', '--mail-type=END']
`);
    expect(v.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    expect(v.ok).toBe(true);
    expect(v.config?.cluster).toMatchObject({ partition: 'gpu,gpu-long', gpus: 1, array_max: 20 });
  });

  it('is optional: a config without it has cluster null and no diagnostic about it', () => {
    const v = validateRunConfig(base);
    expect(v.config?.cluster).toBeNull();
    expect(v.diagnostics.some((d) => d.path.startsWith('cluster'))).toBe(false);
  });

  it('refuses bad values with the line, the value and a fix', () => {
    const es = errors(`  partition: "gpu; rm -rf ~"
  time: two hours
  mem: 0
  gpus: -1
  walltime: 3
  booking_dir: tmp
  sbatch_options: ['--array=0-3', 'constraint a100', 5]
`);
    const at = (p: string) => es.filter((e) => e.path === p);
    expect(at('cluster.partition')[0]).toMatchObject({
      line: `${base}\ncluster:\n`.split('\n').length,
      message: expect.stringMatching(/not a Slurm name/),
    });
    expect(at('cluster.time')[0].message).toMatch(/"two hours" is not a Slurm time limit.*HH:MM:SS/);
    expect(at('cluster.mem')[0].message).toMatch(/0 is not a Slurm memory size/);
    expect(at('cluster.gpus')[0].message).toMatch(/must be ≥ 0/);
    expect(at('cluster.walltime')[0].message).toMatch(/Unknown key 'walltime'.*sbatch_options/);
    expect(at('cluster.booking_dir')[0].message).toMatch(/not an absolute path/);
    expect(at('cluster.sbatch_options.0')[0].message).toMatch(/'--array' is set by hitmic submit itself/);
    expect(at('cluster.sbatch_options.1')[0].message).toMatch(/not one sbatch option/);
    expect(at('cluster.sbatch_options.2')[0].message).toMatch(/not one sbatch option/);
    expect(withCluster('  time: 90\n').ok).toBe(true);
  });

  it('must be a mapping', () => {
    expect(errors('  - gpu\n')).toEqual([
      expect.objectContaining({
        path: 'cluster',
        message: expect.stringMatching(/must be a mapping, got list/),
      }),
    ]);
  });
});

describe('Slurm value formats (shared with the command-line flags)', () => {
  it.each([
    // [value, ok] — every format sbatch --time documents, and what it refuses.
    [90, true],
    ['90', true],
    ['30:00', true],
    ['02:00:00', true],
    ['1-12', true],
    ['1-12:30', true],
    ['1-12:30:00', true],
    ['UNLIMITED', true],
    ['2h', false],
    ['', false],
    [0, false],
    [1.5, false],
  ])('time %j → %s', (v, ok) => expect(slurmTimeProblem(v) === null).toBe(ok));

  it.each([
    [16000, true],
    ['16G', true],
    ['512m', true],
    ['1.5G', false],
    ['0G', false],
    ['16 GB', false],
  ])('mem %j → %s', (v, ok) => expect(slurmMemProblem(v) === null).toBe(ok));

  it('names and options stay one token sbatch cannot misread', () => {
    expect(slurmNameProblem('gpu')).toBeNull();
    expect(slurmNameProblem('gpu\n#SBATCH --wrap=x')).not.toBeNull();
    expect(sbatchOptionProblem('--constraint=a100|v100')).toBeNull();
    expect(sbatchOptionProblem('--output=/tmp/x')).toMatch(/set by hitmic submit/);
    expect(sbatchOptionProblem('--comment=a\nb')).toMatch(/not one sbatch option/);
  });
});
