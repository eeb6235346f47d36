/**
 * Pure I/O formats both sides use: the pixel-source interface of movies, the one CSV dialect, and
 * which file names are no movie.
 */
export * from './csv';
export * from './movie-files';
export * from './pixel-source';
