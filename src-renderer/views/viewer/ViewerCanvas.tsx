import { Box } from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  fitTransform,
  IN_PLACE,
  layerScreenRect,
  oneToOne,
  panBy,
  pixelAt,
  wheelFactor,
  zoomAt,
  type Translate,
  type ViewTransform,
} from '../../../src-shared/viewer';
import { useViewer } from '../../stores/viewer';

/** An image and where it lies in the movie (its own size, placed by `translate`; placement.ts). */
export interface PlacedImage {
  image: ImageData;
  translate: Translate;
}

export interface CanvasLayers {
  /** The movie frame: the world every layer is placed in, and what Fit fits. */
  width: number;
  height: number;
  /** The raw frame (one channel in grey, or grey + red), in the movie's own grid. */
  base: ImageData | undefined;
  /** The restored frame, drawn right of the compare line. */
  restored: PlacedImage | undefined;
  /** Segmentation labels, drawn over both at `opacity`. */
  labels: PlacedImage | undefined;
}

function toCanvas(img: ImageData | undefined): HTMLCanvasElement | undefined {
  if (!img) return undefined;
  const c = document.createElement('canvas');
  c.width = img.width;
  c.height = img.height;
  c.getContext('2d')!.putImageData(img, 0, 0);
  return c;
}

/** Zoom (wheel, Fit, 1:1) and pan (drag) of the frame, a draggable raw|restored compare line, and the pixel under the cursor. */
export function ViewerCanvas({
  layers,
  onHover,
}: {
  layers: CanvasLayers;
  onHover(p: { x: number; y: number } | undefined): void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 0, h: 0 });
  const transform = useViewer((s) => s.transform);
  const compare = useViewer((s) => s.compare);
  const split = useViewer((s) => s.compareSplit);
  const opacity = useViewer((s) => s.overlayOpacity);
  const drag = useRef<{ kind: 'pan' | 'split'; x: number; y: number } | undefined>(undefined);
  const [base, setBase] = useState<HTMLCanvasElement>();
  const [restored, setRestored] = useState<HTMLCanvasElement>();
  const [labels, setLabels] = useState<HTMLCanvasElement>();
  useEffect(() => setBase(toCanvas(layers.base)), [layers.base]);
  useEffect(() => setRestored(toCanvas(layers.restored?.image)), [layers.restored?.image]);
  useEffect(() => setLabels(toCanvas(layers.labels?.image)), [layers.labels?.image]);
  const restoredAt = layers.restored?.translate ?? IN_PLACE;
  const labelsAt = layers.labels?.translate ?? IN_PLACE;

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const t: ViewTransform = transform ?? fitTransform(size.w, size.h, layers.width, layers.height);
  const showCompare = compare && !!restored;

  useEffect(() => {
    const c = canvas.current;
    if (!c || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.round(size.w * dpr);
    c.height = Math.round(size.h * dpr);
    const g = c.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, size.w, size.h);
    g.imageSmoothingEnabled = false;
    // Each layer at its own size and place in the movie; fractional translates are drawn as they are.
    const draw = (img: HTMLCanvasElement, at: Translate, alpha = 1) => {
      const r = layerScreenRect(t, at, img.width, img.height);
      g.globalAlpha = alpha;
      g.drawImage(img, r.x, r.y, r.width, r.height);
      g.globalAlpha = 1;
    };
    const splitX = split * size.w;
    if (base) {
      g.save();
      if (showCompare) {
        g.beginPath();
        g.rect(0, 0, splitX, size.h);
        g.clip();
      }
      draw(base, IN_PLACE);
      g.restore();
    }
    if (showCompare && restored) {
      g.save();
      g.beginPath();
      g.rect(splitX, 0, size.w - splitX, size.h);
      g.clip();
      draw(restored, restoredAt);
      g.restore();
    }
    if (labels) draw(labels, labelsAt, opacity);
  }, [
    base,
    restored,
    labels,
    t.scale,
    t.offsetX,
    t.offsetY,
    size.w,
    size.h,
    split,
    showCompare,
    opacity,
    restoredAt.x,
    restoredAt.y,
    labelsAt.x,
    labelsAt.y,
  ]);

  const local = (e: { clientX: number; clientY: number }) => {
    const r = canvas.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onWheel = useCallback(
    (e: WheelEvent) => {
      e.preventDefault();
      const r = canvas.current!.getBoundingClientRect();
      const cur = useViewer.getState().transform ?? fitTransform(size.w, size.h, layers.width, layers.height);
      useViewer
        .getState()
        .setTransform(zoomAt(cur, e.clientX - r.left, e.clientY - r.top, wheelFactor(e.deltaY)));
    },
    [size.w, size.h, layers.width, layers.height],
  );
  useEffect(() => {
    const c = canvas.current;
    c?.addEventListener('wheel', onWheel, { passive: false });
    return () => c?.removeEventListener('wheel', onWheel);
  }, [onWheel]);

  return (
    <Box ref={wrap} sx={{ position: 'relative', flex: 1, minHeight: 0, bgcolor: '#111', overflow: 'hidden' }}>
      <canvas
        ref={canvas}
        data-testid="viewer-canvas"
        style={{
          width: '100%',
          height: '100%',
          display: 'block',
          cursor: drag.current?.kind === 'pan' ? 'grabbing' : 'crosshair',
        }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drag.current = { kind: 'pan', ...local(e) };
        }}
        onPointerMove={(e) => {
          const p = local(e);
          const d = drag.current;
          if (d?.kind === 'pan') {
            useViewer.getState().setTransform(panBy(t, p.x - d.x, p.y - d.y));
            drag.current = { kind: 'pan', ...p };
          }
          onHover(pixelAt(t, p.x, p.y, layers.width, layers.height));
        }}
        onPointerUp={() => (drag.current = undefined)}
        onPointerLeave={() => onHover(undefined)}
      />
      {showCompare && (
        <Box
          data-testid="compare-handle"
          role="slider"
          aria-label="Raw | restored compare line"
          aria-valuenow={Math.round(split * 100)}
          onPointerDown={(e) => {
            e.stopPropagation();
            e.currentTarget.setPointerCapture(e.pointerId);
            drag.current = { kind: 'split', ...local(e) };
          }}
          onPointerMove={(e) => {
            if (drag.current?.kind === 'split') useViewer.getState().setCompareSplit(local(e).x / size.w);
          }}
          onPointerUp={() => (drag.current = undefined)}
          sx={{
            position: 'absolute',
            top: 0,
            bottom: 0,
            left: `calc(${split * 100}% - 6px)`,
            width: 12,
            cursor: 'ew-resize',
            display: 'flex',
            justifyContent: 'center',
          }}
        >
          <Box sx={{ width: 2, bgcolor: 'warning.main', height: '100%' }} />
          <Box
            sx={{
              position: 'absolute',
              top: 4,
              left: -44,
              color: '#fff',
              fontSize: 11,
              whiteSpace: 'nowrap',
              textShadow: '0 0 3px #000',
            }}
          >
            raw | restored
          </Box>
        </Box>
      )}
    </Box>
  );
}

/** Fit and 1:1 need the viewport size; the toolbar asks the canvas element for it. */
export function viewportSize(): { w: number; h: number } {
  const c = document.querySelector<HTMLCanvasElement>('[data-testid="viewer-canvas"]');
  return { w: c?.clientWidth ?? 0, h: c?.clientHeight ?? 0 };
}

export function oneToOneView(width: number, height: number): ViewTransform {
  const { w, h } = viewportSize();
  return oneToOne(useViewer.getState().transform ?? fitTransform(w, h, width, height), w, h);
}
