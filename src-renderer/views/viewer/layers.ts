import { useMemo } from 'react';
import {
  autoContrast,
  cachedAutoContrast,
  classColour,
  compositeRgba,
  IN_PLACE,
  labelOverlayRgba,
  toBytes,
  type ContrastRange,
} from '../../../src-shared/viewer';
import {
  displayedChannels,
  type ChannelContrast,
  type DisplayMode,
  type PreviewState,
} from '../../stores/viewer';
import type { CanvasLayers } from './ViewerCanvas';
import type { LoadedFrame } from './use-frames';

export interface Layers extends CanvasLayers {
  /** The range each displayed channel is drawn with (auto or manual). */
  ranges: Map<number, ContrastRange>;
  /** The preview drawn belongs to this frame. */
  previewShown: boolean;
}

function imageData(rgba: Uint8ClampedArray, width: number, height: number): ImageData {
  return new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height);
}

/**
 * RGBA layers of the frame in front of the user: raw composite, restored composite, label overlay.
 * The restored frame and labels carry the preview's translate (a run's analysis origin for the
 * frame; in place for previews), so they are drawn and read where they lie in the movie.
 */
export function useLayers(
  loaded: LoadedFrame | undefined,
  display: DisplayMode,
  contrast: Record<number, ChannelContrast>,
  preview: PreviewState | undefined,
  overlayStyle: 'outline' | 'filled',
): Layers {
  const channelKey = displayedChannels(display).join(',');
  const ranges = useMemo(() => {
    const m = new Map<number, ContrastRange>();
    if (!loaded) return m;
    for (const c of channelKey.split(',').map(Number)) {
      const plane = loaded.planes.get(c);
      if (!plane) continue;
      const manual = contrast[c];
      m.set(
        c,
        manual && !manual.auto ? { min: manual.min, max: manual.max } : cachedAutoContrast(plane.data),
      );
    }
    return m;
  }, [loaded, channelKey, contrast]);

  const width = loaded?.planes.values().next().value?.width ?? preview?.width ?? 0;
  const height = loaded?.planes.values().next().value?.height ?? preview?.height ?? 0;
  const greyCh = display.kind === 'channel' ? display.channel : display.grey;
  const redCh = display.kind === 'overlay' ? display.red : undefined;

  const redBytes = useMemo(() => {
    const p = redCh !== undefined ? loaded?.planes.get(redCh) : undefined;
    const r = redCh !== undefined ? ranges.get(redCh) : undefined;
    return p && r ? toBytes(p.data, r) : undefined;
  }, [loaded, redCh, ranges]);

  const base = useMemo(() => {
    const p = loaded?.planes.get(greyCh);
    const r = ranges.get(greyCh);
    if (!p || !r) return undefined;
    return imageData(compositeRgba(toBytes(p.data, r), redBytes), p.width, p.height);
  }, [loaded, greyCh, ranges, redBytes]);

  const previewShown = !!preview && !!loaded && preview.frame === loaded.frame;
  const translate = preview?.translate ?? IN_PLACE;
  const restored = useMemo(() => {
    if (!previewShown || !preview?.restored) return undefined;
    const d = preview.restored.data;
    const image = imageData(
      compositeRgba(toBytes(d, autoContrast(d)), redBytes),
      preview.width,
      preview.height,
    );
    return { image, translate };
  }, [previewShown, preview, redBytes, translate]);

  const labels = useMemo(() => {
    if (!previewShown || !preview?.labels) return undefined;
    const byLabel = new Map(preview.objects.map((o) => [o.label, o.className]));
    const image = imageData(
      labelOverlayRgba(
        preview.labels.data,
        preview.width,
        preview.height,
        (l) => classColour(byLabel.get(l)),
        overlayStyle,
      ),
      preview.width,
      preview.height,
    );
    return { image, translate };
  }, [previewShown, preview, overlayStyle, translate]);

  return { width, height, base, restored, labels, ranges, previewShown };
}
