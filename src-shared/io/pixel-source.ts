/**
 * Movie description and pixel-source contract shared by the Node side and the renderer
 * (viv-style `PixelSource`: shape, labels, dtype, and an abortable per-plane read).
 *
 * Conventions, everywhere in this project:
 * - A plane is one 2-D image of `height` rows (Y) by `width` columns (X), stored row-major:
 *   pixel (y, x) is `data[y * width + x]`. Non-square frames are never transposed.
 * - Axes of a movie are T (time), C (channel), Z (slice), Y (rows), X (columns).
 * - Pixel values are in native (machine) byte order, in the dtype named by `dtype`.
 */

/** Sample type of decoded pixels. float16 data is widened to 'float32'. */
export type PixelDType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

/** The typed array holding the pixels of one plane; its element type matches a `PixelDType`. */
export type PixelArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Sizes of the five movie axes; every size is >= 1. */
export interface MovieShape {
  readonly t: number;
  readonly c: number;
  readonly z: number;
  /** Rows (image height). */
  readonly y: number;
  /** Columns (image width). */
  readonly x: number;
}

/** Which plane to read. `z` defaults to 0. Indices are 0-based. */
export interface PlaneSelection {
  readonly t: number;
  readonly c: number;
  readonly z?: number;
}

/** One decoded plane (Y rows × X columns, row-major). */
export interface Plane {
  readonly t: number;
  readonly c: number;
  readonly z: number;
  readonly width: number;
  readonly height: number;
  readonly dtype: PixelDType;
  readonly data: PixelArray;
}

/** How the movie was recognised. */
export type MovieSourceKind =
  | 'tiff' // plain single- or multi-page TIFF: pages are T (or samples are C)
  | 'imagej' // ImageJ hyperstack (ImageDescription "ImageJ=...")
  | 'ome-tiff' // OME-XML in the first ImageDescription
  | 'file-sequence'; // one TIFF file per frame and/or channel

/** Where the pixels of one plane live: file, page (IFD index, 0-based) and sample (channel within the page). */
export interface PlaneLocation {
  readonly file: string;
  readonly page: number;
  readonly sample: number;
}

/** Everything a consumer needs to know about a movie before reading pixels. */
export interface MovieInfo {
  /** The path given to openMovie (file, folder or pattern). */
  readonly path: string;
  readonly sourceKind: MovieSourceKind;
  readonly shape: MovieShape;
  readonly dtype: PixelDType;
  /** One name per channel (length shape.c); generated as "C0", "C1", … when the file has none. */
  readonly channelNames: readonly string[];
  /** Physical pixel size along X in micrometres, or null when unknown. */
  readonly pixelSizeUm: number | null;
  /** Time between frames in seconds, or null when unknown. */
  readonly frameIntervalS: number | null;
  /**
   * Time of each frame t in seconds since the first frame (length shape.t), from per-plane
   * timestamps (OME DeltaT of the plane c=0, z=0) where present, else t × frameIntervalS;
   * null when neither is known.
   */
  readonly frameTimestampsS: readonly number[] | null;
  /**
   * Per-plane timestamps in seconds (OME DeltaT converted from its unit), indexed by
   * `planeIndex(shape, {t, c, z})`; an entry is null where that plane has none. null when the
   * file has no per-plane timestamps at all.
   */
  readonly planeTimestampsS: readonly (number | null)[] | null;
  /** Where each plane lives, indexed by `planeIndex(shape, {t, c, z})`. */
  readonly planes: readonly PlaneLocation[];
  /** Non-fatal oddities found while opening (e.g. an IFD chain that loops and was cut). */
  readonly warnings: readonly string[];
}

/**
 * A source of planes. Reads are abortable: when `signal` aborts, the promise rejects with the
 * signal's reason (an `AbortError` DOMException by default), which callers must treat as
 * "aborted", not as a failure.
 */
export interface PixelSource {
  readonly info: MovieInfo;
  readPlane(selection: PlaneSelection, signal?: AbortSignal): Promise<Plane>;
}

/**
 * Index of plane (t, c, z) in `MovieInfo.planes` / `planeTimestampsS`: C varies fastest, then Z,
 * then T (`(t * shape.z + z) * shape.c + c`), the ImageJ hyperstack page order.
 */
export function planeIndex(shape: Pick<MovieShape, 'c' | 'z'>, sel: PlaneSelection): number {
  return (sel.t * shape.z + (sel.z ?? 0)) * shape.c + sel.c;
}
