/** Pure I/O formats both sides use: the pixel-source interface of movies, and the one CSV dialect. */
export * from './csv';
export * from './pixel-source';
