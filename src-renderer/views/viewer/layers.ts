import { useMemo, useRef } from 'react';
import type { OpenedMovie, RunTracks } from '../../../src-shared/api';
import {
  cachedAutoContrast,
  channelColormap,
  colouriseRgba,
  IN_PLACE,
  labelColor,
  labelColours,
  labelOverlayRgba,
  outlineSegments,
  trackColour,
  type ContrastRange,
  type ImageColormap,
  type ImageLayer,
  type LabelColouring,
  type LabelsLayer,
  type LayerSettings,
  type Rgb,
  type TrackIndex,
  type ViewerLayer,
} from '../../../src-shared/viewer';
import { channelRange, useContrast } from '../../stores/contrast';
import { settingsOf, useLayers } from '../../stores/layers';
import { useCellSelection } from '../../stores/cell-selection';
import { useViewer, type PreviewState } from '../../stores/viewer';
import type { CanvasLayers, DrawnImage, Highlight, Tails } from './canvas-draw';
import type { LoadedFrame } from './use-frames';

/** A row of the layer list: what the layer is, whether it has pixels on this frame, its settings. */
export interface LayerEntry {
  layer: ViewerLayer;
  settings: LayerSettings;
  /** Why nothing of it is drawn now, when nothing is (e.g. "preview of frame 3"). */
  note?: string;
}

export interface FrameLayers extends CanvasLayers {
  /** Every layer, bottom first (as drawn): the layer list shows them top first. */
  entries: LayerEntry[];
  /** `entries` for the layer list: the same object while no name, note or setting changes. */
  listed: LayerEntry[];
  /** The range each shown movie channel is drawn with, and where it comes from. */
  ranges: Map<number, { range: ContrastRange | undefined; source: string }>;
  /** Labels layers drawn on this frame, top first, for the hover readout and a click. */
  hoverLabels: LabelsLayer[];
  /** Image layers other than the movie's channels drawn on this frame, top first, for the readout. */
  hoverImages: ImageLayer[];
}

const EMPTY = new Uint16Array(0);

/** The movie channels whose layer is visible: the frames fetched are these only. */
export function visibleChannels(
  movie: OpenedMovie | undefined,
  settings: Record<string, Partial<LayerSettings>>,
): number[] {
  if (!movie) return [];
  return Array.from({ length: movie.channels }, (_, c) => c).filter(
    (c) => settings[`raw:${c}`]?.visible ?? c < 2,
  );
}

function imageData(rgba: Uint8ClampedArray, width: number, height: number): ImageData {
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height);
}

function labelsLayerOf(
  id: string,
  name: string,
  p: PreviewState,
  defaults?: Partial<LayerSettings>,
): LabelsLayer {
  return {
    kind: 'labels',
    id,
    name,
    frame: p.frame,
    width: p.width,
    height: p.height,
    data: p.labels!.data,
    translate: p.translate ?? IN_PLACE,
    objects: p.objects,
    ...(defaults ? { defaults } : {}),
  };
}

/** Colour of each tail: by track (stable), or as its cell's object now (class, PI status, label). */
function tailColour(
  colouring: LabelColouring,
  id: number,
  frame: number,
  index: TrackIndex,
  objectColour: (label: number) => Rgb,
): Rgb {
  if (colouring === 'track') return trackColour(id);
  const label = index.labelAt(id, frame) ?? 0;
  return colouring === 'object' ? labelColor(label) : objectColour(label);
}

/**
 * The layers of the frame in front of the user, built-in and added, with their pixels coloured
 * for the canvas. Image layers (movie channels in their colour maps, a restored frame, test-mode
 * images) are added together; labels and tracks are drawn over them.
 */
export function useFrameLayers(loaded: LoadedFrame | undefined, movie: OpenedMovie | undefined): FrameLayers {
  const preview = useViewer((s) => s.preview);
  const runFrame = useViewer((s) => s.runFrame);
  const runOverlay = useViewer((s) => s.runOverlay);
  const compare = useViewer((s) => s.compare);
  const added = useLayers((s) => s.added);
  const settings = useLayers((s) => s.settings);
  const contrast = useContrast((s) => s.channels);
  const stats = useContrast((s) => s.stats);
  const selected = useCellSelection((s) => s.selected);
  const frame = loaded?.frame;
  const tracks: RunTracks | undefined = runOverlay?.tracks;

  const layers = useMemo(() => {
    const out: { layer: ViewerLayer; note?: string }[] = [];
    for (let c = 0; c < (movie?.channels ?? 0); c++) {
      const plane = loaded?.planes.get(c);
      const named = movie?.channelNames?.[c];
      out.push({
        layer: {
          kind: 'image',
          id: `raw:${c}`,
          name: `Channel ${c}${named && named !== `C${c}` ? ` · ${named}` : c === 0 ? ' · bright field' : c === 1 ? ' · fluorescence' : ''}`,
          width: plane?.width ?? 0,
          height: plane?.height ?? 0,
          data: plane?.data ?? EMPTY,
          translate: IN_PLACE,
          defaults: { colormap: channelColormap(c), visible: c < 2 },
        },
      });
    }
    const onFrame = (p: PreviewState | undefined) => !!p && p.frame === frame;
    if (preview?.restored)
      out.push({
        layer: {
          kind: 'image',
          id: 'restored',
          name: `Restored bright field (preview)`,
          frame: preview.frame,
          width: preview.width,
          height: preview.height,
          data: preview.restored.data,
          translate: preview.translate ?? IN_PLACE,
          replaces: 'raw:0',
        },
        note: onFrame(preview) ? undefined : `preview of frame ${preview.frame}`,
      });
    if (preview?.labels)
      out.push({
        layer: labelsLayerOf('preview-labels', 'Preview labels', preview),
        note: onFrame(preview) ? undefined : `preview of frame ${preview.frame}`,
      });
    if (runOverlay)
      out.push({
        layer: runFrame?.labels
          ? labelsLayerOf('run-labels', `Run labels · ${runOverlay.movie}`, runFrame)
          : {
              kind: 'labels',
              id: 'run-labels',
              name: `Run labels · ${runOverlay.movie}`,
              width: 0,
              height: 0,
              data: [],
              translate: IN_PLACE,
            },
        note: onFrame(runFrame) ? undefined : 'not analysed in this frame',
      });
    if (tracks?.tracked && runOverlay?.trackIndex)
      out.push({
        layer: {
          kind: 'tracks',
          id: 'tracks',
          name: `Tracks · ${tracks.tracks.length}`,
          translate: IN_PLACE,
          index: runOverlay.trackIndex,
          objects: runOverlay.objects,
        },
      });
    for (const l of added)
      out.push({
        layer: l,
        note: l.frame !== undefined && l.frame !== frame ? `of frame ${l.frame}` : undefined,
      });
    return out;
  }, [movie, loaded, frame, preview, runFrame, runOverlay, tracks, added]);

  const entries = useMemo(
    () => layers.map(({ layer, note }) => ({ layer, note, settings: settingsOf(layer, settings) })),
    [layers, settings],
  );
  // The layer list shows names, notes and settings, not pixels: one object while those stay.
  const listKey = JSON.stringify(entries.map((e) => [e.layer.id, e.layer.name, e.note, e.settings]));
  const listed = useMemo(() => entries, [listKey]);

  const frameRanges = useMemo(() => {
    const m = new Map<number, { range: ContrastRange | undefined; source: string }>();
    for (const [c, plane] of loaded?.planes ?? []) m.set(c, channelRange(contrast[c], stats[c], plane.data));
    return m;
  }, [loaded, contrast, stats]);
  // The same ranges from frame to frame (whole-movie contrast) keep one object: the contrast panel
  // then does not redraw while frames play.
  const rangesKey = [...frameRanges]
    .map(([c, r]) => `${c}:${r.range?.min}:${r.range?.max}:${r.source}`)
    .join('|');
  const ranges = useMemo(() => frameRanges, [rangesKey]);

  const drawable = (e: LayerEntry) =>
    e.settings.visible && !e.note && (e.layer.kind === 'tracks' || e.layer.width > 0);

  // Pixels of every image layer: recoloured only when its data, range or colour map changes.
  const imageKey = entries
    .filter((e) => e.layer.kind === 'image' && drawable(e))
    .map((e) => `${e.layer.id}:${e.settings.colormap}`)
    .join('|');
  // One RGBA buffer per image layer, reused frame after frame (the canvas copies it when drawing):
  // no 16 MB allocation per 2048² channel and step.
  const buffers = useRef(new Map<string, Uint8ClampedArray>());
  const bufferFor = (id: string, pixels: number) => {
    let b = buffers.current.get(id);
    if (!b || b.length !== pixels * 4) buffers.current.set(id, (b = new Uint8ClampedArray(pixels * 4)));
    return b;
  };
  const coloured = useMemo(() => {
    const m = new Map<string, ImageData>();
    for (const e of entries) {
      if (e.layer.kind !== 'image' || !drawable(e)) continue;
      const l = e.layer;
      const c = l.id.startsWith('raw:') ? Number(l.id.slice(4)) : undefined;
      const range =
        (c !== undefined ? ranges.get(c)?.range : l.contrast) ??
        cachedAutoContrast(l.data as ArrayLike<number> & object);
      m.set(
        l.id,
        imageData(
          colouriseRgba(l.data, range, e.settings.colormap as ImageColormap, bufferFor(l.id, l.data.length)),
          l.width,
          l.height,
        ),
      );
    }
    return m;
  }, [imageKey, ranges, layers]);

  const images = useMemo(() => {
    const shown = entries.filter((e) => e.layer.kind === 'image' && drawable(e) && coloured.has(e.layer.id));
    const out: DrawnImage[] = [];
    for (const e of shown) {
      const l = e.layer as Extract<ViewerLayer, { kind: 'image' }>;
      const replacedBy = shown.find((o) => (o.layer as { replaces?: string }).replaces === l.id);
      if (replacedBy && !compare) continue;
      const clip = l.replaces && compare ? 'right' : replacedBy && compare ? 'left' : undefined;
      out.push({
        id: l.id,
        image: coloured.get(l.id)!,
        translate: l.translate,
        opacity: e.settings.opacity,
        ...(clip ? { clip } : {}),
      });
    }
    return out;
  }, [entries, coloured, compare]);

  const labelKey = entries
    .filter((e) => e.layer.kind === 'labels' && drawable(e))
    .map((e) => `${e.layer.id}:${e.settings.colormap}:${e.settings.style}`)
    .join('|');
  const overlays = useMemo(() => {
    const out: DrawnImage[] = [];
    for (const e of entries) {
      if (e.layer.kind !== 'labels' || !drawable(e)) continue;
      const l = e.layer;
      const colour = labelColours(e.settings.colormap as LabelColouring, l.objects);
      const rgba = labelOverlayRgba(l.data, l.width, l.height, colour, e.settings.style ?? 'outline');
      out.push({
        id: l.id,
        image: imageData(rgba, l.width, l.height),
        translate: l.translate,
        opacity: e.settings.opacity,
      });
    }
    return out;
  }, [labelKey, layers]);

  // Opacity changes redraw the same pixels at another alpha.
  const labelsDrawn = useMemo(() => {
    const opacityOf = new Map(entries.map((e) => [e.layer.id, e.settings.opacity]));
    return overlays.map((o) => ({ ...o, opacity: opacityOf.get(o.id) ?? o.opacity }));
  }, [overlays, entries]);

  const tracksKey = entries
    .filter((e) => e.layer.kind === 'tracks' && drawable(e))
    .map((e) => `${e.layer.id}:${JSON.stringify(e.settings)}`)
    .join('|');
  const tails = useMemo((): Tails[] => {
    if (frame === undefined) return [];
    const out: Tails[] = [];
    for (const e of entries) {
      if (e.layer.kind !== 'tracks' || !drawable(e)) continue;
      const { index, objects } = e.layer;
      const colouring = e.settings.colormap as LabelColouring;
      const objectColour = labelColours(colouring, objects?.get(frame));
      const paths = index.tails(frame, e.settings.tailFrames ?? 10).map((p) => ({
        ...p,
        colour: tailColour(colouring, p.id, frame, index, objectColour),
      }));
      // Only the run's tracks follow the selection (the lineage panel's cell is the run's).
      const selectedTrack = e.layer.id === 'tracks' ? selected?.trackId : undefined;
      out.push({ paths, opacity: e.settings.opacity, selectedTrack });
    }
    return out;
  }, [tracksKey, layers, frame, selected]);

  const hoverLabels = useMemo(
    () =>
      entries
        .filter((e) => e.layer.kind === 'labels' && drawable(e))
        .map((e) => e.layer as LabelsLayer)
        .reverse(),
    [entries],
  );
  const hoverImages = useMemo(
    () =>
      entries
        .filter((e) => e.layer.kind === 'image' && !e.layer.id.startsWith('raw:') && drawable(e))
        .map((e) => e.layer as ImageLayer)
        .reverse(),
    [entries],
  );

  const highlight = useMemo((): Highlight | undefined => {
    if (!selected || frame === undefined) return undefined;
    const label =
      selected.trackId !== undefined
        ? runOverlay?.trackIndex?.labelAt(selected.trackId, frame)
        : selected.frame === frame
          ? selected.label
          : undefined;
    const source = runFrame?.frame === frame && runFrame.labels ? runFrame : undefined;
    if (label === undefined || !source?.labels) return undefined;
    return {
      label,
      segments: outlineSegments(source.labels.data, source.width, source.height, label),
      translate: source.translate ?? IN_PLACE,
    };
  }, [selected, frame, runOverlay, runFrame]);

  const first = loaded?.planes.values().next().value;
  const width = movie?.width ?? first?.width ?? 0;
  const height = movie?.height ?? first?.height ?? 0;
  // One object while nothing changed, so a re-render (the hover readout) does not redraw the canvas.
  return useMemo(
    () => ({
      width,
      height,
      frame,
      images,
      overlays: labelsDrawn,
      tails,
      highlight,
      entries,
      listed,
      ranges,
      hoverLabels,
      hoverImages,
    }),
    [
      width,
      height,
      frame,
      images,
      labelsDrawn,
      tails,
      highlight,
      entries,
      listed,
      ranges,
      hoverLabels,
      hoverImages,
    ],
  );
}
