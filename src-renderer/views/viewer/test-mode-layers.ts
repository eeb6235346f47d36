import { useEffect, useMemo } from 'react';
import type { TestModeImage } from '../../../src-shared/api';
import { analysisOrigin } from '../../../src-shared/results';
import {
  autoContrast,
  classColour,
  compositeRgba,
  drawTrackTails,
  labelColor,
  labelOverlayRgba,
  layerPixelAt,
  piColour,
  stageObjects,
  toBytes,
  type OverlayStyle,
  type Rgb,
} from '../../../src-shared/viewer';
import { useTestMode, type ObjectColouring, type TestModeView } from '../../stores/test-mode';
import type { PreviewState } from '../../stores/viewer';
import type { PlacedImage } from './ViewerCanvas';

/** Frames of track drawn behind each cell. */
const TAIL_FRAMES = 10;

export interface TestModeLayers {
  /** The chosen stage image, drawn right of the compare line. */
  restored: PlacedImage | undefined;
  /** The shown frame's objects (coloured as chosen) with track tails. */
  labels: PlacedImage | undefined;
  /** What the hover readout reads: the stage image's values, the labels, the objects. */
  readout: PreviewState;
}

function imageData(rgba: Uint8ClampedArray, width: number, height: number): ImageData {
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height);
}

/** A colour per object of the shown frame, as the colouring asks. */
function colourer(r: TestModeView, by: ObjectColouring): (label: number) => Rgb {
  if (by === 'labels') return labelColor;
  const index = new Map(Array.from(r.objects.columns.label, (l, i) => [l, i]));
  return by === 'pi'
    ? (l) => piColour(r.objects.piClass[index.get(l) ?? -1])
    : (l) => classColour(r.objects.objectClass[index.get(l) ?? -1]);
}

/**
 * Test mode's layers for the frame in front of the user, when its last result is of that frame
 * and is shown: each lies in the analysis frame of its run, placed in the movie by the
 * registration's translate for that frame (as a finished run's overlay).
 */
export function useTestModeLayers(
  frame: number | undefined,
  style: OverlayStyle,
): TestModeLayers | undefined {
  const result = useTestMode((s) => s.result);
  const shown = useTestMode((s) => s.shown);
  const imageName = useTestMode((s) => s.image);
  const colouring = useTestMode((s) => s.objects);
  const tracks = useTestMode((s) => s.tracks);
  const on = !!result && shown && frame === result.show;
  const translate = useMemo(
    () => (result ? analysisOrigin(result.registration, result.show) : undefined),
    [result],
  );
  const chosen: TestModeImage | undefined = on ? result.images.find((i) => i.name === imageName) : undefined;
  const labelsImage = on ? result.images.find((i) => i.kind === 'labels') : undefined;

  const restored = useMemo(() => {
    if (!chosen || !translate) return undefined;
    const d = chosen.frame.data;
    const image = imageData(
      compositeRgba(toBytes(d, autoContrast(d)), undefined),
      chosen.frame.width,
      chosen.frame.height,
    );
    return { image, translate };
  }, [chosen, translate]);

  const labels = useMemo(() => {
    if (!on || !translate || (colouring === 'none' && !tracks)) return undefined;
    const { width, height } = result;
    const rgba =
      colouring !== 'none' && labelsImage
        ? labelOverlayRgba(labelsImage.frame.data, width, height, colourer(result, colouring), style)
        : new Uint8ClampedArray(width * height * 4);
    if (tracks && result.tracks)
      drawTrackTails(rgba, width, height, result.tracks, {
        frame: result.show,
        origin: translate,
        tail: TAIL_FRAMES,
        colourOf: labelColor,
      });
    return { image: imageData(rgba, width, height), translate };
  }, [on, result, labelsImage, colouring, tracks, style, translate]);

  const readout = useMemo((): PreviewState | undefined => {
    if (!on) return undefined;
    return {
      frame: result.show,
      width: result.width,
      height: result.height,
      restored: chosen?.frame,
      labels: labelsImage?.frame,
      objects: stageObjects(result.objects),
      settings: {},
      timingsMs: {},
      elapsedMs: result.elapsedMs,
      provider: result.provider,
      steps: [],
      roundTripMs: result.roundTripMs,
      translate,
      imageLabel: chosen?.name,
    };
  }, [on, result, chosen, labelsImage, translate]);

  return readout ? { restored, labels, readout } : undefined;
}

/** The object under the pointer becomes test mode's selected object (its measurements are listed). */
export function useHoverSelect(
  layers: TestModeLayers | undefined,
  pixel: { x: number; y: number } | undefined,
): void {
  const r = layers?.readout;
  const at = r && pixel && r.translate ? layerPixelAt(r.translate, r.width, r.height, pixel) : undefined;
  const label = r?.labels && at ? r.labels.data[at.y * r.width + at.x] : 0;
  useEffect(() => {
    if (label) useTestMode.getState().select(label);
  }, [label]);
}
