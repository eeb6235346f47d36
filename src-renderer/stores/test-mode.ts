import { create } from 'zustand';
import {
  TEST_MODE_MAX_FRAMES,
  type InfererOverrides,
  type TestModeImageName,
  type TestModeOverrideModel,
  type TestModeRequest,
  type TestModeResult,
} from '../../src-shared/api';
import { api } from '../app/api';
import { EMPTY_CONFIG, useConfig } from './config';
import { useErrors } from './errors';
import { useViewer } from './viewer';

/** How the shown frame's objects are coloured: by id, by class, by PI status; or not drawn. */
export type ObjectColouring = 'labels' | 'classes' | 'pi' | 'none';

export interface TestModeView extends TestModeResult {
  /** The request that gave it (re-sent with another `show` to see another frame of the range). */
  request: TestModeRequest;
  /** Request to result, in the renderer, ms. */
  roundTripMs: number;
}

interface TestModeState {
  /** Frames per run, from the Viewer's frame on (1 to TEST_MODE_MAX_FRAMES). */
  count: number;
  /** Re-run by itself (debounced) when a setting or the config changes. */
  live: boolean;
  overrides: Record<TestModeOverrideModel, InfererOverrides>;
  result: TestModeView | undefined;
  /** The last run whose settings changed (a frame looked at again reports everything cached). */
  lastRun: TestModeView | undefined;
  busy: string | undefined;
  /** Draw test mode's layers over the movie (else the Viewer's preview or run overlay). */
  shown: boolean;
  /** The stage image drawn right of the compare line. */
  image: TestModeImageName | 'none';
  objects: ObjectColouring;
  tracks: boolean;
  /** The object whose measurements the panel lists (the last one hovered), by label. */
  selected: number | undefined;
  /** A line saying what test mode did by itself (filled the config from the template). */
  notice: string | undefined;
  setCount(n: number): void;
  setLive(on: boolean): void;
  setOverride(model: TestModeOverrideModel, o: InfererOverrides): void;
  setShown(on: boolean): void;
  setImage(name: TestModeImageName | 'none'): void;
  setObjects(c: ObjectColouring): void;
  setTracks(on: boolean): void;
  select(label: number | undefined): void;
  /**
   * Runs the config of the Config view on frames from the Viewer's frame (or, `again`, on the
   * last run's frames: a live re-run after a setting changed); the newest request wins.
   */
  run(again?: boolean, show?: number): Promise<void>;
  /** Shows another frame of the last run's range (from the worker's cache: nothing re-runs). */
  showFrame(frame: number): Promise<void>;
  clear(): void;
}

// Newest request only: an older answer that arrives late is dropped, and the older request is
// cancelled so its worker job stops.
let seq = 0;
let inFlight: AbortController | undefined;
let liveTimer: ReturnType<typeof setTimeout> | undefined;

/** Waiting this long after the last change before a live re-run (typing a number is several changes). */
export const LIVE_DELAY_MS = 400;

const clampCount = (n: number) => Math.max(1, Math.min(TEST_MODE_MAX_FRAMES, Math.round(n) || 1));

/**
 * Test mode in the Viewer: the whole pipeline of the config being edited on a few frames, each
 * stage's output a layer, settings tried with the worker re-running only what they reach.
 */
export const useTestMode = create<TestModeState>((set, get) => {
  const scheduleLive = () => {
    if (!get().live || !get().result) return;
    clearTimeout(liveTimer);
    liveTimer = setTimeout(() => void get().run(true), LIVE_DELAY_MS);
  };

  /** Sends a request, superseding the one in flight; true when its result was kept. */
  const send = async (request: TestModeRequest, what: string): Promise<boolean> => {
    const mine = ++seq;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    set({ busy: what });
    const t0 = performance.now();
    try {
      const r = await api().testMode.run(request, controller.signal);
      if (mine !== seq) return false;
      const view: TestModeView = { ...r, request, roundTripMs: Math.round(performance.now() - t0) };
      // Another frame of the range with nothing re-run keeps the report of the run that ran something.
      const nothingRan = r.stages.every((x) => x.status === 'cached' || x.status === 'off');
      set((s) => ({
        result: view,
        lastRun: nothingRan && s.lastRun ? s.lastRun : view,
        image: s.image !== 'none' && !r.images.some((i) => i.name === s.image) ? 'none' : s.image,
        shown: true,
      }));
      return true;
    } catch (e) {
      // A superseded request is not an error to show.
      if (mine === seq && !controller.signal.aborted) useErrors.getState().show('Test mode could not run', e);
      return false;
    } finally {
      if (mine === seq) set({ busy: undefined });
    }
  };

  return {
    count: 1,
    live: true,
    overrides: { bf_focus: {}, fl_focus: {}, segmentation: {} },
    result: undefined,
    lastRun: undefined,
    busy: undefined,
    shown: true,
    image: 'restored_bf',
    objects: 'classes',
    tracks: true,
    selected: undefined,
    notice: undefined,
    setCount: (n) => set({ count: clampCount(n) }),
    setLive: (live) => set({ live }),
    setOverride: (model, o) => {
      set((s) => ({ overrides: { ...s.overrides, [model]: o } }));
      scheduleLive();
    },
    setShown: (shown) => set({ shown }),
    setImage: (image) => set({ image }),
    setObjects: (objects) => set({ objects }),
    setTracks: (tracks) => set({ tracks }),
    select: (selected) => set({ selected }),
    run: async (again = false, show) => {
      clearTimeout(liveTimer);
      const viewer = useViewer.getState();
      const movie = viewer.movie;
      if (!movie) return;
      let config = useConfig.getState();
      if (config.text === EMPTY_CONFIG) {
        // Nothing in the editor yet: start from the template with the Viewer's collection.
        if (!viewer.collectionId) {
          useErrors
            .getState()
            .show(
              'Test mode needs a config',
              new Error(
                'Open or write a run config in the Config view, or choose a collection above to start from the template.',
              ),
            );
          return;
        }
        const t = await api().config.template({
          pipeline: 'ASCT_focusrestore',
          collectionId: viewer.collectionId,
        });
        config.setText(t.text, { path: undefined, dirty: true });
        config = useConfig.getState();
        set({
          notice:
            'The Config view was empty: test mode filled it from the template with the chosen collection.',
        });
      }
      const { overrides, result } = get();
      const previous = again && result?.request.movieId === movie.id ? result.request : undefined;
      const count = Math.min(previous?.count ?? get().count, movie.frames);
      const start = previous?.start ?? Math.min(viewer.frame, movie.frames - count);
      const request: TestModeRequest = {
        movieId: movie.id,
        configText: config.text,
        configPath: config.path,
        start,
        count,
        show: show ?? previous?.show ?? viewer.frame,
        infererOverrides: overrides,
      };
      const last = start + count - 1;
      await send(request, `Running the pipeline on frame${count > 1 ? `s ${start}–${last}` : ` ${start}`}…`);
    },
    showFrame: async (frame) => {
      // The current settings: unchanged ones come from the cache, changed ones re-run (live or not).
      const r = get().result;
      if (r && r.show !== frame && r.frames.includes(frame)) await get().run(true, frame);
    },
    clear: () => {
      seq++;
      inFlight?.abort();
      clearTimeout(liveTimer);
      set({ result: undefined, lastRun: undefined, busy: undefined, selected: undefined });
    },
  };
});

// A different movie makes the result meaningless; another frame of the range is shown from the
// cache; a newer preview is shown over test mode's layers (a test-mode run shows them again); a
// changed config re-runs the last run when live.
useViewer.subscribe((s, prev) => {
  if (s.movie?.id !== prev.movie?.id) useTestMode.getState().clear();
  else if (s.frame !== prev.frame) void useTestMode.getState().showFrame(s.frame);
  if (s.preview && s.preview !== prev.preview) useTestMode.getState().setShown(false);
});
useConfig.subscribe((s, prev) => {
  const t = useTestMode.getState();
  if (s.text !== prev.text && t.live && t.result) {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(() => void useTestMode.getState().run(true), LIVE_DELAY_MS);
  }
});
