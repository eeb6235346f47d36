import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { movieResults } from './run-folder';
import { movieLineage, readRunTracks } from './tracks';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitmic-run-tracks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a run\u2019s tracks and lineage', () => {
  it('reads _fl.csv, or _tracks.csv where hitmic track wrote one', () => {
    fs.writeFileSync(
      path.join(dir, 'm_fl.csv'),
      'label,frame,centroid_0,centroid_1,trackid,parent_track_id\r\n1,0,5,6,0,-1\r\n1,1,5,7,1,0\r\n2,1,9,7,2,0\r\n3,1,40,40,,\r\n',
    );
    const r = movieResults(dir, 'm');
    const t = readRunTracks(r);
    expect(t.source).toBe('cells');
    expect(Array.from(t.trackid)).toEqual([0, 1, 2, -1]); // an empty trackid is "not tracked"
    expect(Array.from(t.parent_track_id)).toEqual([-1, 0, 0, -1]);
    expect(Array.from(t.centroid_1)).toEqual([6, 7, 7, 40]);
    const l = movieLineage(r);
    expect(l).toMatchObject({ source: 'cells', divisions: 1, divisionsPerFrame: [0, 1] });

    fs.writeFileSync(
      path.join(dir, 'm_tracks.csv'),
      'frame,label,trackid,parent_track_id,centroid_0,centroid_1\r\n0,4,0,-1,1,1\r\n1,4,0,-1,1,2\r\n',
    );
    expect(movieLineage(r)).toMatchObject({
      source: 'tracks',
      divisions: 0,
      tracks: [{ id: 0, begin: 0, end: 1 }],
    });
  });

  it('says which column is missing when the movie was not tracked', () => {
    fs.writeFileSync(path.join(dir, 'u_fl.csv'), 'label,frame,centroid_0,centroid_1\r\n1,0,5,6\r\n');
    expect(() => readRunTracks(movieResults(dir, 'u'))).toThrow(/no trackid, parent_track_id column/);
  });
});
