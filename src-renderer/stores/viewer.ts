import { create } from 'zustand';
import { useRecent } from './recent';
import type {
  InfererOverrides,
  PreviewObject,
  PreviewResult,
  PreviewStep,
} from '../../src-shared/api';
import type { OpenedMovie } from '../../src-shared/api';
import type { OverlayStyle, ViewTransform } from '../../src-shared/viewer';

/** A channel on its own, or bright field in grey with fluorescence (PI) in red. */
export type DisplayMode =
  { kind: 'channel'; channel: number } | { kind: 'overlay'; grey: number; red: number };

export interface ChannelContrast {
  auto: boolean;
  min: number;
  max: number;
}

export interface PreviewState extends PreviewResult {
  frame: number;
  steps: PreviewStep[];
  /** Round trip seen by the renderer (request to result), ms. */
  roundTripMs: number;
}

export type OverrideModel = 'bf_focus' | 'segmentation';

/** A finished run shown over the movie: its labels stack (opened as a movie) and its objects per frame. */
export interface RunOverlay {
  outputDir: string;
  movie: string;
  labelsMovieId: string;
  objects: Map<number, PreviewObject[]>;
}

interface ViewerState {
  movie: OpenedMovie | undefined;
  frame: number;
  display: DisplayMode;
  contrast: Record<number, ChannelContrast>;
  playing: boolean;
  fps: number;
  transform: ViewTransform | undefined;
  collectionId: string | undefined;
  preview: PreviewState | undefined;
  runOverlay: RunOverlay | undefined;
  /** The run overlay for the frame shown (labels + objects), like a preview. */
  runFrame: PreviewState | undefined;
  previewBusy: string | undefined;
  compare: boolean;
  compareSplit: number;
  overlayOpacity: number;
  overlayStyle: OverlayStyle;
  overrides: Record<OverrideModel, InfererOverrides>;
  showMovie(movie: OpenedMovie): void;
  setFrame(frame: number): void;
  step(delta: number): void;
  setDisplay(d: DisplayMode): void;
  setContrast(channel: number, c: Partial<ChannelContrast>): void;
  setPlaying(playing: boolean): void;
  setTransform(t: ViewTransform | undefined): void;
  setCollection(id: string | undefined): void;
  setPreview(p: PreviewState | undefined): void;
  setRunOverlay(o: RunOverlay | undefined): void;
  setRunFrame(f: PreviewState | undefined): void;
  setPreviewBusy(what: string | undefined): void;
  setCompare(on: boolean): void;
  setCompareSplit(f: number): void;
  setOverlayOpacity(o: number): void;
  setOverlayStyle(s: OverlayStyle): void;
  setOverride(model: OverrideModel, o: InfererOverrides): void;
}

const clampFrame = (movie: OpenedMovie | undefined, f: number) =>
  movie ? Math.min(movie.frames - 1, Math.max(0, Math.round(f))) : 0;

/** The Viewer: which movie and frame, how it is shown, and the preview of the models on it. */
export const useViewer = create<ViewerState>((set, get) => ({
  movie: undefined,
  frame: 0,
  display: { kind: 'channel', channel: 0 },
  contrast: {},
  playing: false,
  fps: 5,
  transform: undefined,
  collectionId: undefined,
  preview: undefined,
  runOverlay: undefined,
  runFrame: undefined,
  previewBusy: undefined,
  compare: true,
  compareSplit: 0.5,
  overlayOpacity: 0.8,
  overlayStyle: 'outline',
  overrides: { bf_focus: {}, segmentation: {} },
  showMovie: (movie) => {
    useRecent.getState().remember('movies', movie.path);
    set({
      movie,
      frame: 0,
      display: movie.channels >= 2 ? { kind: 'overlay', grey: 0, red: 1 } : { kind: 'channel', channel: 0 },
      contrast: {},
      playing: false,
      transform: undefined,
      preview: undefined,
      // A run overlay belongs to one movie; a different movie drops it.
      ...(get().runOverlay && get().movie?.path !== movie.path
        ? { runOverlay: undefined, runFrame: undefined }
        : {}),
    });
  },
  setFrame: (frame) => set({ frame: clampFrame(get().movie, frame) }),
  step: (delta) => {
    const { movie, frame } = get();
    if (movie) set({ frame: (frame + delta + movie.frames) % movie.frames });
  },
  setDisplay: (display) => set({ display }),
  setContrast: (channel, c) =>
    set((s) => ({
      contrast: {
        ...s.contrast,
        [channel]: { ...(s.contrast[channel] ?? { auto: true, min: 0, max: 1 }), ...c },
      },
    })),
  setPlaying: (playing) => set({ playing }),
  setTransform: (transform) => set({ transform }),
  setCollection: (collectionId) => set({ collectionId }),
  setPreview: (preview) => set({ preview }),
  setRunOverlay: (runOverlay) => set({ runOverlay, runFrame: undefined }),
  setRunFrame: (runFrame) => set({ runFrame }),
  setPreviewBusy: (previewBusy) => set({ previewBusy }),
  setCompare: (compare) => set({ compare }),
  setCompareSplit: (f) => set({ compareSplit: Math.min(1, Math.max(0, f)) }),
  setOverlayOpacity: (overlayOpacity) => set({ overlayOpacity }),
  setOverlayStyle: (overlayStyle) => set({ overlayStyle }),
  setOverride: (model, o) => set((s) => ({ overrides: { ...s.overrides, [model]: o } })),
}));

/** Channels a display mode draws. */
export function displayedChannels(d: DisplayMode): number[] {
  return d.kind === 'channel' ? [d.channel] : [d.grey, d.red];
}
