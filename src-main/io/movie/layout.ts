import {
  type MovieShape,
  type MovieSourceKind,
  type PixelDType,
  type PlaneLocation,
} from '../../../src-shared/io';
import type { TiffPage } from '../tiff/page';

/** How the planes of a movie map onto TIFF pages, plus the metadata read on the way. */
export interface MovieLayout {
  kind: MovieSourceKind;
  shape: MovieShape;
  dtype: PixelDType;
  channelNames: string[];
  pixelSizeUm: number | null;
  frameIntervalS: number | null;
  planeTimestampsS: (number | null)[] | null;
  planes: PlaneLocation[];
  warnings: string[];
  /** Pages that exist only by computation (ImageJ stacks > 4 GiB with a single IFD), by index. */
  syntheticPages: Map<number, TiffPage>;
}

export function base(
  shape: MovieShape,
  dtype: PixelDType,
  kind: MovieSourceKind,
  warnings: string[],
): MovieLayout {
  return {
    kind,
    shape,
    dtype,
    channelNames: Array.from({ length: shape.c }, (_, c) => `C${c}`),
    pixelSizeUm: null,
    frameIntervalS: null,
    planeTimestampsS: null,
    planes: new Array<PlaneLocation>(shape.t * shape.c * shape.z),
    warnings,
    syntheticPages: new Map(),
  };
}
