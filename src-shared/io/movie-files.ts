/**
 * Which file names are not movies, and what to say about them — one table for the backend
 * (`openMovie` refuses them before reading a byte) and the renderer (a dropped `.txt` is refused
 * before it is uploaded). Names this table does not know are left to the reader to judge.
 */

/** What the app opens as a movie, in words. */
export const MOVIE_TYPES =
  'a TIFF or OME-TIFF movie (.tif, .tiff), an OME companion (.companion.ome), or a folder of per-frame TIFFs';

const EXPORT = 'export to OME-TIFF (Fiji with Bio-Formats: File > Save As > OME-TIFF)';

const NOT_MOVIES: Record<string, string> = {
  '.nd2': 'ND2 is not supported yet; export to OME-TIFF (Fiji: File > Save As > OME-TIFF) or TIFF',
  '.czi': `CZI is not supported; ${EXPORT}`,
  '.lif': `LIF is not supported; ${EXPORT}`,
  '.png': `PNG images are not movies; open ${MOVIE_TYPES}`,
  '.jpg': `JPEG images are not movies; open ${MOVIE_TYPES}`,
  '.jpeg': `JPEG images are not movies; open ${MOVIE_TYPES}`,
  '.zip': 'A ZIP is a model collection, not a movie: import it in Collections (or hitmic collection import)',
  '.txt': `A text file is not a movie; open ${MOVIE_TYPES}`,
  '.csv': `A CSV table is not a movie (results open in Results); open ${MOVIE_TYPES}`,
  '.json': `A JSON file is not a movie; open ${MOVIE_TYPES}`,
  '.yml': `A YAML file is a config, not a movie (configs open in Config); open ${MOVIE_TYPES}`,
  '.yaml': `A YAML file is a config, not a movie (configs open in Config); open ${MOVIE_TYPES}`,
};

/** Why a file of this name is not a movie the app reads, with what to do; null when it may be one. */
export function notAMovie(name: string): string | null {
  const m = /\.[^./\\]+$/.exec(name);
  return m ? (NOT_MOVIES[m[0].toLowerCase()] ?? null) : null;
}
