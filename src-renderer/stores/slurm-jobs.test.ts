import { describe, expect, it } from 'vitest';
import { resourcesFromFields } from './slurm-jobs';

describe('Slurm panel fields', () => {
  it('leaves empty fields to the config and the site, and types the whole numbers', () => {
    expect(
      resourcesFromFields({ partition: ' gpu ', time: '', mem: '16G', gpus: '1', arrayMax: ' 4 ' }),
    ).toEqual({
      partition: 'gpu',
      mem: '16G',
      gpus: 1,
      arrayMax: 4,
    });
  });

  it('refuses a count that is not a whole number, naming the field', () => {
    let thrown: unknown = null;
    try {
      resourcesFromFields({ gpus: 'two' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/gpus must be a whole number, not 'two'/),
    });
  });
});
