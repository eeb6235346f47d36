import { useEffect, useMemo, useRef } from 'react';
import { TEST_MODE_IMAGE_LABELS, type TestModeImage } from '../../../src-shared/api';
import { analysisOrigin } from '../../../src-shared/results';
import {
  IN_PLACE,
  layerPixelAt,
  stageObjects,
  stageTracks,
  TrackIndex,
  type ImageColormap,
  type LabelColouring,
  type ViewerLayer,
} from '../../../src-shared/viewer';
import { useLayers } from '../../stores/layers';
import { useTestMode, type ObjectColouring } from '../../stores/test-mode';
import type { PreviewState } from '../../stores/viewer';

/**
 * Test mode's outputs as layers of the Viewer's layer list (stores/layers.ts), ids `test:<image>`
 * (prepared_bf, prepared_fl, restored_bf, restored_fl, probability), `test:labels` and
 * `test:tracks`. Each lies in the analysis frame of its run, placed in the movie by the
 * registration's translate for the shown frame (as a finished run's overlay), and is drawn on
 * that frame only. A stage image of the PI channel stands in for movie channel 1, any other for
 * channel 0 (`replaces`: right of the compare line, or instead of it).
 */
export const TEST_LAYER_PREFIX = 'test:';
const LABELS_ID = 'test:labels';
const TRACKS_ID = 'test:tracks';

/** The panel's object colouring as the labels layer's colour map. */
const COLOURING: Record<Exclude<ObjectColouring, 'none'>, LabelColouring> = {
  labels: 'object',
  classes: 'class',
  pi: 'pi',
};

const isPiImage = (i: TestModeImage) => i.name.endsWith('_fl');
const colormapOf = (i: TestModeImage): ImageColormap =>
  isPiImage(i) ? 'red' : i.name === 'probability' ? 'viridis' : 'grey';

/**
 * Keeps test mode's layers in the layer list while its result is shown, and the panel's choices
 * (stage image, object colouring, tracks) in step with them: a choice in the panel sets the
 * layers' visibility and colours; the layer list can change each layer after that. Returns what
 * the hover selection reads (the shown frame's labels and objects) while the result's frame is
 * in front of the user.
 */
export function useTestModeLayers(frame: number | undefined): PreviewState | undefined {
  const result = useTestMode((s) => s.result);
  const shown = useTestMode((s) => s.shown);
  const imageName = useTestMode((s) => s.image);
  const colouring = useTestMode((s) => s.objects);
  const tracks = useTestMode((s) => s.tracks);
  const on = !!result && shown;
  const translate = useMemo(
    () => (result ? analysisOrigin(result.registration, result.show) : undefined),
    [result],
  );

  // The choices at the time the layers are put are their defaults (a setting made in the layer
  // list wins over them); read through a ref so a choice alone does not put the pixels again.
  const choices = useRef({ imageName, colouring, tracks });
  choices.current = { imageName, colouring, tracks };

  useEffect(() => {
    const store = useLayers.getState();
    const ours = new Set<string>();
    if (on && result && translate) {
      const c = choices.current;
      const objects = stageObjects(result.objects);
      for (const i of result.images) {
        if (i.kind !== 'image') continue;
        const id = `${TEST_LAYER_PREFIX}${i.name}`;
        ours.add(id);
        store.putLayer({
          kind: 'image',
          id,
          name: `Test · ${TEST_MODE_IMAGE_LABELS[i.name]}`,
          frame: result.show,
          width: i.frame.width,
          height: i.frame.height,
          data: i.frame.data,
          translate,
          replaces: isPiImage(i) ? 'raw:1' : 'raw:0',
          defaults: { visible: i.name === c.imageName, colormap: colormapOf(i) },
        });
      }
      const labels = result.images.find((i) => i.kind === 'labels');
      if (labels) {
        ours.add(LABELS_ID);
        store.putLayer({
          kind: 'labels',
          id: LABELS_ID,
          name: 'Test · objects',
          frame: result.show,
          width: labels.frame.width,
          height: labels.frame.height,
          data: labels.frame.data,
          translate,
          objects,
          defaults: {
            visible: c.colouring !== 'none',
            colormap: c.colouring === 'none' ? 'class' : COLOURING[c.colouring],
          },
        });
      }
      if (result.tracks) {
        const run = stageTracks(result.tracks);
        ours.add(TRACKS_ID);
        const layer: ViewerLayer = {
          kind: 'tracks',
          id: TRACKS_ID,
          name: `Test · tracks · ${run.length}`,
          frame: result.show,
          translate: IN_PLACE,
          index: new TrackIndex(run),
          objects: new Map([[result.show, objects]]),
          defaults: { visible: c.tracks },
        };
        store.putLayer(layer);
      }
    }
    for (const l of store.added)
      if (l.id.startsWith(TEST_LAYER_PREFIX) && !ours.has(l.id)) store.removeLayer(l.id);
  }, [on, result, translate]);

  // A choice made in the panel (not the one it had when the Viewer opened) sets the layers.
  const seen = useRef({ imageName, colouring, tracks });
  useEffect(() => {
    const was = seen.current;
    seen.current = { imageName, colouring, tracks };
    const store = useLayers.getState();
    const ids = new Set(store.added.map((l) => l.id));
    if (imageName !== was.imageName)
      for (const id of ids)
        if (id.startsWith(TEST_LAYER_PREFIX) && id !== LABELS_ID && id !== TRACKS_ID)
          store.setLayer(id, { visible: id === `${TEST_LAYER_PREFIX}${imageName}` });
    if (colouring !== was.colouring)
      store.setLayer(
        LABELS_ID,
        colouring === 'none' ? { visible: false } : { visible: true, colormap: COLOURING[colouring] },
      );
    if (tracks !== was.tracks) store.setLayer(TRACKS_ID, { visible: tracks });
  }, [imageName, colouring, tracks]);

  return useMemo((): PreviewState | undefined => {
    if (!on || !result || frame !== result.show) return undefined;
    const chosen = result.images.find((i) => i.name === imageName);
    return {
      frame: result.show,
      width: result.width,
      height: result.height,
      restored: chosen?.frame,
      labels: result.images.find((i) => i.kind === 'labels')?.frame,
      objects: stageObjects(result.objects),
      settings: {},
      timingsMs: {},
      elapsedMs: result.elapsedMs,
      provider: result.provider,
      steps: [],
      roundTripMs: result.roundTripMs,
      translate,
    };
  }, [on, result, frame, imageName, translate]);
}

/** The object under the pointer becomes test mode's selected object (its measurements are listed). */
export function useHoverSelect(
  r: PreviewState | undefined,
  pixel: { x: number; y: number } | undefined,
): void {
  const at = r && pixel && r.translate ? layerPixelAt(r.translate, r.width, r.height, pixel) : undefined;
  const label = r?.labels && at ? r.labels.data[at.y * r.width + at.x] : 0;
  useEffect(() => {
    if (label) useTestMode.getState().select(label);
  }, [label]);
}
