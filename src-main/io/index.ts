/**
 * Public surface of movie I/O: open movies for streaming plane reads, read TIFF pages, write
 * ImageJ hyperstacks. Import from here, not from the files behind it.
 */
export type {
  MovieInfo,
  MovieShape,
  PixelArray,
  PixelDType,
  PixelSource,
  Plane,
  PlaneLocation,
  PlaneSelection,
} from '../../src-shared/io/pixel-source';
export { planeIndex } from '../../src-shared/io/pixel-source';
export { openMovie, type OpenMovieOptions } from './movie/open';
export { Movie } from './movie/movie';
export { TiffReader, type TiffOpenOptions } from './tiff/reader';
export type { DecodedPage } from './tiff/decode';
export type { TiffIndex, TiffLimits, TiffPage } from './tiff/page';
export { DEFAULT_LIMITS } from './tiff/page';
export { TiffError, isAbortError, type TiffErrorCode } from './tiff/errors';
export { parseImageJDescription, formatImageJDescription, type ImageJMeta } from './tiff/imagej';
export { parseOmeXml, type OmeMeta } from './movie/ome-xml';
export { HyperstackWriter, type HyperstackWriterOptions, type WriterDType } from './tiff/writer';
