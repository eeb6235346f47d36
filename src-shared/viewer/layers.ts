/**
 * The Viewer's layers, as napari has them: each is an image, a labels image or the tracks, with its
 * own pixel grid placed in the movie by a translate, and settings the user changes in the layer
 * list (visible, opacity, colour map). Image layers add up (additive blending, each in its colour
 * map), so a bright-field channel in grey and PI in red make one picture; labels and tracks are
 * drawn over them.
 *
 * Anything may add a layer (the built-in ones are the movie's channels, a preview's restored frame
 * and labels, a run's labels and its tracks; test mode adds its stages' outputs): give it a unique
 * `id`, a `name` for the list, its pixels and `translate`, and optionally the `frame` it belongs to
 * and `defaults` for its settings. Settings are kept per id, so a layer replaced with the next
 * frame's pixels keeps what the user chose.
 */
import { classColour } from './class-palette';
import { labelColor, type Rgb } from './colormap';
import type { ContrastRange, NumericArray } from './contrast';
import type { OverlayStyle } from './outline';
import type { Translate } from './placement';
import { piColour } from './stage-layers';
import type { TrackIndex } from './tracks';

/** Colour maps of image layers: one hue from black (to add channels), or viridis for one channel. */
export const IMAGE_COLORMAPS = [
  'grey',
  'red',
  'green',
  'blue',
  'magenta',
  'cyan',
  'yellow',
  'viridis',
] as const;
export type ImageColormap = (typeof IMAGE_COLORMAPS)[number];

/**
 * How labels (and tracks) are coloured: by class (one palette app-wide), per object, per track, or
 * by PI status (PI-positive vermillion, PI-negative green, none grey).
 */
export const LABEL_COLOURINGS = ['class', 'object', 'track', 'pi'] as const;
export type LabelColouring = (typeof LABEL_COLOURINGS)[number];

/** What the user sets per layer in the layer list. */
export interface LayerSettings {
  visible: boolean;
  /** 0–1. */
  opacity: number;
  /** An ImageColormap for image layers, a LabelColouring for labels and tracks. */
  colormap: ImageColormap | LabelColouring;
  /** Labels only: outlines, or filled objects with opaque outlines. */
  style?: OverlayStyle;
  /** Tracks only: how many frames back a tail reaches. */
  tailFrames?: number;
}

interface LayerCommon {
  /** Unique and stable (settings are kept by it), e.g. `raw:1`, `run-labels`, `test:segmentation`. */
  id: string;
  /** As the layer list shows it. */
  name: string;
  /** Where the layer's pixel (0, 0) lies in the movie (placement.ts). */
  translate: Translate;
  /** The movie frame the pixels belong to; drawn only on that frame. Undefined: on every frame. */
  frame?: number;
  /** Settings a new layer starts with (the rest from `defaultSettings`). */
  defaults?: Partial<LayerSettings>;
}

export interface ImageLayer extends LayerCommon {
  kind: 'image';
  width: number;
  height: number;
  data: NumericArray;
  /** Display range; undefined: the layer's own 1–99.8 % (auto contrast). */
  contrast?: ContrastRange;
  /**
   * The id of a layer this one is an alternative view of (a restored bright field replaces the raw
   * one): with the compare line on, that layer shows left of the line and this one right; off, this
   * one is drawn instead of it.
   */
  replaces?: string;
}

/** An object of a labels layer, for colours and the hover readout. */
export interface LayerObject {
  label: number;
  className?: string;
  trackId?: number;
  /** Pixels of the object. */
  area?: number;
  /** Of the class, 0–1. */
  confidence?: number;
  /** `piPOS` / `piNEG`, where the PI classifier ran. */
  piClass?: string;
}

export interface LabelsLayer extends LayerCommon {
  kind: 'labels';
  width: number;
  height: number;
  /** Label ids, 0 = background. */
  data: ArrayLike<number>;
  objects?: readonly LayerObject[];
}

/**
 * Tracks: drawn as tails (vectors, not pixels) over the last frames, from `index` (centroids in
 * movie pixels, so `translate` is the identity). `objects` (by frame) colour tails by class or PI
 * status; without them those colourings fall back to the neutral colour.
 */
export interface TracksLayer extends LayerCommon {
  kind: 'tracks';
  index: TrackIndex;
  objects?: ReadonlyMap<number, readonly LayerObject[]>;
}

export type ViewerLayer = ImageLayer | LabelsLayer | TracksLayer;

/** Settings of a layer the user has not touched: its own defaults over these. */
export function defaultSettings(layer: ViewerLayer): LayerSettings {
  const base: LayerSettings =
    layer.kind === 'image'
      ? { visible: true, opacity: 1, colormap: 'grey' }
      : layer.kind === 'labels'
        ? { visible: true, opacity: 0.8, colormap: 'class', style: 'outline' }
        : { visible: true, opacity: 0.9, colormap: 'track', tailFrames: 10 };
  return { ...base, ...layer.defaults };
}

/** The colour maps offered for a layer. */
export function colormapsFor(layer: ViewerLayer): readonly (ImageColormap | LabelColouring)[] {
  return layer.kind === 'image' ? IMAGE_COLORMAPS : LABEL_COLOURINGS;
}

/** The default colour of movie channel `c`: bright field grey, then red (PI), green, blue, … */
export function channelColormap(c: number): ImageColormap {
  return (['grey', 'red', 'green', 'blue', 'magenta', 'cyan', 'yellow'] as const)[c % 7];
}

// viridis (matplotlib) at 0, 1/8, …, 1, interpolated linearly between.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

const HUES: Record<Exclude<ImageColormap, 'viridis'>, Rgb> = {
  grey: [1, 1, 1],
  red: [1, 0, 0],
  green: [0, 1, 0],
  blue: [0, 0, 1],
  magenta: [1, 0, 1],
  cyan: [0, 1, 1],
  yellow: [1, 1, 0],
};

/** The colour of display level `v` (0–255) in `map`. */
export function colormapColour(map: ImageColormap, v: number): Rgb {
  if (map === 'viridis') {
    const t = (Math.min(255, Math.max(0, v)) / 255) * (VIRIDIS.length - 1);
    const i = Math.min(VIRIDIS.length - 2, Math.floor(t));
    const f = t - i;
    return [0, 1, 2].map((k) => Math.round(VIRIDIS[i][k] + (VIRIDIS[i + 1][k] - VIRIDIS[i][k]) * f)) as Rgb;
  }
  const h = HUES[map];
  return [h[0] * v, h[1] * v, h[2] * v];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function pack([r, g, b]: Rgb): number {
  return LITTLE_ENDIAN
    ? (0xff000000 | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0;
}

const packedTables = new Map<ImageColormap, Uint32Array>();

/** 256 packed RGBA words of a colour map, made once. */
function packedTable(map: ImageColormap): Uint32Array {
  let t = packedTables.get(map);
  if (!t) {
    t = new Uint32Array(256);
    for (let v = 0; v < 256; v++) t[v] = pack(colormapColour(map, v));
    packedTables.set(map, t);
  }
  return t;
}

/**
 * RGBA pixels of an image layer: `range.min` → level 0, `range.max` → 255 (clipped), then the
 * colour map; opaque, NaN black. 8- and 16-bit data goes through one lookup table per call (one
 * load and one 32-bit store per pixel); other data through the linear map.
 */
export function colouriseRgba(
  data: NumericArray,
  range: ContrastRange,
  map: ImageColormap,
  out: Uint8ClampedArray = new Uint8ClampedArray(data.length * 4),
): Uint8ClampedArray {
  if (out.length !== data.length * 4)
    throw new RangeError(`output holds ${out.length / 4} pixels, data ${data.length}`);
  if (out.byteOffset % 4 !== 0) throw new RangeError('output must start on a 4-byte boundary');
  const table = packedTable(map);
  const px = new Uint32Array(out.buffer, out.byteOffset, data.length);
  const span = range.max > range.min ? range.max - range.min : Infinity;
  const min = range.min;
  const level = (v: number) => {
    const l = Math.round(((v - min) * 255) / span);
    return l < 0 ? 0 : l > 255 ? 255 : l;
  };
  if (data instanceof Uint16Array || data instanceof Uint8Array) {
    const lut = new Uint32Array(data instanceof Uint8Array ? 256 : 65536);
    for (let v = 0; v < lut.length; v++) lut[v] = table[level(v)];
    for (let i = 0; i < data.length; i++) px[i] = lut[data[i]];
    return out;
  }
  const black = table[0];
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    px[i] = v === v ? table[level(v)] : black; // v !== v only for NaN
  }
  return out;
}

/** The colour of each label of a labels layer under a colouring (track colours are stable across frames). */
export function labelColours(
  colouring: LabelColouring,
  objects: readonly LayerObject[] | undefined,
): (label: number) => Rgb {
  const byLabel = new Map((objects ?? []).map((o) => [o.label, o]));
  if (colouring === 'object') return (l) => labelColor(l);
  if (colouring === 'pi') return (l) => piColour(byLabel.get(l)?.piClass);
  if (colouring === 'track')
    return (l) => {
      const t = byLabel.get(l)?.trackId;
      return t !== undefined && t >= 0 ? trackColour(t) : labelColor(l);
    };
  return (l) => classColour(byLabel.get(l)?.className);
}

/** One colour per track id, the same in every frame (golden-ratio hues, as labelColor). */
export function trackColour(id: number): Rgb {
  return labelColor(id + 1);
}
