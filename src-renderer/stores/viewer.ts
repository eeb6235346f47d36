import { create } from 'zustand';
import type { InfererOverrides, PreviewObject, PreviewResult, PreviewStep } from '../../src-shared/api';
import type { FrameData, FrameRequest, OpenedMovie, RunRegistration } from '../../src-shared/api';
import type { RunTracks } from '../../src-shared/api';
import type { Translate, ViewTransform } from '../../src-shared/viewer';
import { analysisOrigin, labelsPlaneOf, placementWarnings, runFileName } from '../../src-shared/results';
import { objectsByFrame, TrackIndex } from '../../src-shared/viewer';
import { api } from '../app/api';
import { useCollections } from './collections';
import { useContrast } from './contrast';
import { useErrors } from './errors';
import { useLayers } from './layers';
import { useRecent } from './recent';

export interface PreviewState extends PreviewResult {
  frame: number;
  steps: PreviewStep[];
  /** Round trip seen by the renderer (request to result), ms. */
  roundTripMs: number;
  /**
   * Where the labels (and restored frame) lie in the movie: a run's analysis origin for this
   * frame; absent for previews, which run on the movie's own frame.
   */
  translate?: Translate;
}

export type OverrideModel = 'bf_focus' | 'segmentation';

/** A finished run shown over the movie: its labels stack (opened as a movie) and its objects per frame. */
export interface RunOverlay {
  outputDir: string;
  movie: string;
  labelsMovieId: string;
  objects: Map<number, PreviewObject[]>;
  /** Where the run's analysis frame lies in the movie, frame by frame (run.json). */
  registration: RunRegistration;
  /** Why the overlay may be out of register with the movie shown; empty when it is exact. */
  warnings: string[];
  /** The run's tracks (trackid, parent_track_id) and their index; undefined when they could not be read. */
  tracks: RunTracks | undefined;
  trackIndex: TrackIndex | undefined;
}

interface ViewerState {
  movie: OpenedMovie | undefined;
  /**
   * The name of the file the user dropped, when the movie shown is `hitmic serve`'s temporary
   * copy of it: that copy's path is shown nowhere and kept in no recent list.
   */
  droppedName: string | undefined;
  frame: number;
  playing: boolean;
  /** Playback speed asked for, frames per second. */
  fps: number;
  /** The frame whose pixels the canvas drew last (playback waits for it before stepping on). */
  drawnFrame: number | undefined;
  transform: ViewTransform | undefined;
  collectionId: string | undefined;
  preview: PreviewState | undefined;
  runOverlay: RunOverlay | undefined;
  /** The run overlay for the frame shown (labels + objects), like a preview. */
  runFrame: PreviewState | undefined;
  previewBusy: string | undefined;
  compare: boolean;
  compareSplit: number;
  overrides: Record<OverrideModel, InfererOverrides>;
  showMovie(movie: OpenedMovie, droppedName?: string): void;
  setFrame(frame: number): void;
  step(delta: number): void;
  setPlaying(playing: boolean): void;
  /** Playback speed, clipped to 1–60 fps. */
  setFps(fps: number): void;
  setDrawnFrame(frame: number): void;
  setTransform(t: ViewTransform | undefined): void;
  setCollection(id: string | undefined): void;
  setPreview(p: PreviewState | undefined): void;
  setRunOverlay(o: RunOverlay | undefined): void;
  setRunFrame(f: PreviewState | undefined): void;
  setPreviewBusy(what: string | undefined): void;
  setCompare(on: boolean): void;
  setCompareSplit(f: number): void;
  setOverride(model: OverrideModel, o: InfererOverrides): void;
  /**
   * Opens a movie on the backend and shows it (closing the one shown before); rejects on failure.
   * `droppedName` when `path` is the server's temporary copy of a file dropped in the browser.
   */
  openMovie(path: string, droppedName?: string): Promise<void>;
  /** Pixels of one plane, straight from the backend: the Viewer's frame cache keeps them, not the store. */
  readPlane(request: FrameRequest, signal?: AbortSignal): Promise<FrameData>;
  /** Reads the collection library and keeps the chosen collection, or picks one that can segment. */
  loadCollections(): Promise<void>;
  /** Runs the chosen steps on the current frame; only the newest request's result is kept. */
  runPreview(steps: PreviewStep[]): Promise<void>;
  /**
   * Shows a finished run's labels and table over the movie, so its outlines and hover (class,
   * confidence, PI status, track) show on every frame without running a model; rejects on failure.
   */
  loadRunOverlay(outputDir: string, movie: string): Promise<void>;
  /** Reads the run overlay's labels for `frame`; a later call or another overlay supersedes it. */
  loadRunFrame(frame: number): Promise<void>;
}

const clampFrame = (movie: OpenedMovie | undefined, f: number) =>
  movie ? Math.min(movie.frames - 1, Math.max(0, Math.round(f))) : 0;

// Newest preview and run-frame requests: an older answer that arrives late is dropped, and the
// older request is cancelled so its work (a worker job, for a preview) stops.
let previewSeq = 0;
let runFrameSeq = 0;
let previewRequest: AbortController | undefined;
let runFrameRequest: AbortController | undefined;

/** A fresh cancellation token for the newest request, cancelling the one it supersedes. */
function supersede(previous: AbortController | undefined): AbortController {
  previous?.abort();
  return new AbortController();
}

/** The Viewer: which movie and frame, how it is shown, and the preview of the models on it. */
export const useViewer = create<ViewerState>((set, get) => ({
  movie: undefined,
  droppedName: undefined,
  frame: 0,
  playing: false,
  fps: 10,
  drawnFrame: undefined,
  transform: undefined,
  collectionId: undefined,
  preview: undefined,
  runOverlay: undefined,
  runFrame: undefined,
  previewBusy: undefined,
  compare: true,
  compareSplit: 0.5,
  overrides: { bf_focus: {}, segmentation: {} },
  showMovie: (movie, droppedName) => {
    if (droppedName === undefined) useRecent.getState().remember('movies', movie.path);
    // A preview of the previous movie is of no use any more.
    previewRequest?.abort();
    // Contrast and layer choices belong to a movie: another one starts from the defaults.
    if (get().movie?.id !== movie.id) {
      useContrast.getState().reset(movie.id);
      useLayers.getState().resetSettings();
    }
    set({
      movie,
      droppedName,
      frame: 0,
      drawnFrame: undefined,
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
  setPlaying: (playing) => set({ playing }),
  setFps: (fps) => set({ fps: Math.min(60, Math.max(1, Number.isFinite(fps) ? fps : 10)) }),
  setDrawnFrame: (drawnFrame) => set({ drawnFrame }),
  setTransform: (transform) => set({ transform }),
  setCollection: (collectionId) => set({ collectionId }),
  setPreview: (preview) => set({ preview }),
  setRunOverlay: (runOverlay) => set({ runOverlay, runFrame: undefined }),
  setRunFrame: (runFrame) => set({ runFrame }),
  setPreviewBusy: (previewBusy) => set({ previewBusy }),
  setCompare: (compare) => set({ compare }),
  setCompareSplit: (f) => set({ compareSplit: Math.min(1, Math.max(0, f)) }),
  setOverride: (model, o) => set((s) => ({ overrides: { ...s.overrides, [model]: o } })),
  openMovie: async (path, droppedName) => {
    const before = get().movie;
    const info = await api().movies.open(path);
    get().showMovie(info, droppedName);
    if (before && before.id !== info.id)
      await api()
        .movies.close(before.id)
        .catch(() => undefined);
  },
  readPlane: (request, signal) => api().movies.frame(request, signal),
  loadCollections: async () => {
    const lib = await useCollections.getState().loadLibrary();
    if (!lib) return;
    const v = get();
    if (!v.collectionId || !lib.some((c) => c.id === v.collectionId))
      v.setCollection(lib.find((c) => c.modelKeys.includes('segmentation'))?.id ?? lib[0]?.id);
  },
  runPreview: async (steps) => {
    const s = get();
    if (!s.movie) return;
    if (!s.collectionId) {
      useErrors
        .getState()
        .show(
          'Choose a model collection first',
          new Error(
            'Pick a collection from the library list above (import a collection ZIP in Collections if the list is empty).',
          ),
        );
      return;
    }
    const seq = ++previewSeq;
    previewRequest = supersede(previewRequest);
    const { signal } = previewRequest;
    const frame = s.frame;
    s.setPreviewBusy(`Running ${steps[steps.length - 1]} on frame ${frame}…`);
    const t0 = performance.now();
    try {
      const r = await api().previews.run(
        {
          movieId: s.movie.id,
          frame,
          channel: 0,
          steps,
          collectionId: s.collectionId,
          infererOverrides: { bf_focus: s.overrides.bf_focus, segmentation: s.overrides.segmentation },
        },
        signal,
      );
      if (seq === previewSeq)
        get().setPreview({ ...r, frame, steps, roundTripMs: Math.round(performance.now() - t0) });
    } catch (e) {
      // A cancelled preview (superseded, or its movie closed) is not an error to show.
      if (seq === previewSeq && !signal.aborted) useErrors.getState().show('The preview could not run', e);
    } finally {
      if (seq === previewSeq) get().setPreviewBusy(undefined);
    }
  },
  loadRunOverlay: async (outputDir, movie) => {
    const dir = outputDir.replace(/[\\/]+$/, '');
    const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
    const [table, labels, registration, tracks] = await Promise.all([
      api().results.cells(dir, movie),
      api().movies.open(`${dir}${sep}${runFileName(movie, 'labels')}`),
      api().results.registration(dir, movie),
      // Tracks are a bonus: a run whose tracks cannot be read still shows its objects.
      api()
        .results.tracks(dir, movie)
        .catch((): RunTracks | undefined => undefined),
    ]);
    const shown = get().movie;
    const before = get().runOverlay;
    get().setRunOverlay({
      outputDir: dir,
      movie,
      labelsMovieId: labels.id,
      objects: objectsByFrame(table),
      registration,
      warnings: shown ? placementWarnings(registration, shown, labels) : [],
      tracks,
      trackIndex: tracks?.tracked ? new TrackIndex(tracks.tracks) : undefined,
    });
    // The labels of the overlay replaced are not read any more.
    if (before && before.labelsMovieId !== labels.id)
      await api()
        .movies.close(before.labelsMovieId)
        .catch(() => undefined);
  },
  loadRunFrame: async (frame) => {
    const overlay = get().runOverlay;
    if (!overlay) return;
    const seq = ++runFrameSeq;
    runFrameRequest = supersede(runFrameRequest);
    const { signal } = runFrameRequest;
    const current = () => seq === runFrameSeq && get().runOverlay === overlay;
    // A run of a frame range holds its frames from plane 0: movie frame → plane by run.json's frames.
    const plane = labelsPlaneOf(overlay.registration, frame);
    if (plane < 0) {
      get().setRunFrame(undefined);
      return;
    }
    try {
      const f = await api().movies.frame(
        { movieId: overlay.labelsMovieId, frame: plane, channel: 0 },
        signal,
      );
      if (!current()) return;
      get().setRunFrame({
        frame,
        width: f.width,
        height: f.height,
        labels: f,
        objects: overlay.objects.get(frame) ?? [],
        settings: {},
        timingsMs: {},
        elapsedMs: 0,
        steps: [],
        roundTripMs: 0,
        provider: 'run',
        translate: analysisOrigin(overlay.registration, frame),
      });
    } catch (e) {
      if (current() && !signal.aborted) useErrors.getState().show('Could not read the run labels', e);
    }
  },
}));
