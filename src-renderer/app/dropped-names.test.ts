import { describe, expect, it } from 'vitest';
import { droppedKind, inUserTerms } from './dropped-names';

describe('dropped files in the words of the user', () => {
  it('tells collections, possible movies and files that are neither apart by name', () => {
    expect(droppedKind('models.ZIP')).toEqual({ kind: 'collection' });
    expect(droppedKind('movie.ome.tif')).toEqual({ kind: 'movie' });
    expect(droppedKind('set.companion.ome')).toEqual({ kind: 'movie' });
    expect(droppedKind('no-extension')).toEqual({ kind: 'movie' }); // the reader judges it
    const txt = droppedKind('notes.txt');
    expect(txt.kind).toBe('refused');
    expect((txt as { why: string }).why).toMatch(
      /^A text file is not a movie; open a TIFF or OME-TIFF movie/,
    );
    expect(droppedKind('well.nd2')).toMatchObject({
      kind: 'refused',
      why: expect.stringMatching(/^ND2 is not supported/),
    });
  });

  it('replaces the uploaded copy in a backend message by the dropped name, keeping the code', () => {
    const uploaded = '/tmp/hitmic-uploads-Ab12/9f3e/broken.tif';
    const err = {
      code: 'BAD_INPUT',
      message: `Not a TIFF file: bad byte-order mark (${uploaded}): expected "II" or "MM", found "he"`,
    };
    expect(inUserTerms(err, uploaded, 'broken.tif')).toEqual({
      code: 'BAD_INPUT',
      message: 'Not a TIFF file: bad byte-order mark (broken.tif): expected "II" or "MM", found "he"',
    });
    const folderErr = { message: `The folder holds no .tif files (/tmp/hitmic-uploads-Ab12/9f3e)` };
    expect((inUserTerms(folderErr, uploaded, 'broken.tif') as { message: string }).message).toBe(
      'The folder holds no .tif files (the dropped files)',
    );
    // Electron: the backend path is the real one, nothing to hide.
    expect(inUserTerms(err, 'broken.tif', 'broken.tif')).toBe(err);
    expect(inUserTerms('plain string', uploaded, 'x')).toBe('plain string');
  });
});
