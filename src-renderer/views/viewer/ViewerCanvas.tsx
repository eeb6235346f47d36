import { Box } from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  fitTransform,
  MAX_SCALE,
  oneToOne,
  panBy,
  pixelAt,
  wheelFactor,
  zoomAt,
  type ViewTransform,
} from '../../../src-shared/viewer';
import { useCellSelection } from '../../stores/cell-selection';
import { useViewer } from '../../stores/viewer';
import { drawScene, LayerCanvases, type CanvasLayers } from './canvas-draw';
import { CanvasOverlays } from './CanvasOverlays';

/** A transform with movie point (x, y) at the centre of a w × h view at `scale`. */
function centredOn(x: number, y: number, scale: number, w: number, h: number): ViewTransform {
  return { scale, offsetX: w / 2 - x * scale, offsetY: h / 2 - y * scale };
}

/** A pointer that moved less than this between down and up is a click (select a cell), not a pan. */
const CLICK_SLOP_PX = 4;

/**
 * The movie and its layers: zoom (wheel, Fit, 1:1) and pan (drag), a draggable raw|restored
 * compare line, the pixel under the cursor, a click to pick a cell, and a view that centres on a
 * cell when asked (QC) or keeps following the selected one.
 */
export function ViewerCanvas({
  layers,
  onHover,
  onPick,
}: {
  layers: CanvasLayers;
  onHover(p: { x: number; y: number } | undefined): void;
  onPick(p: { x: number; y: number }): void;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const canvases = useRef(new LayerCanvases());
  const [size, setSize] = useState({ w: 0, h: 0 });
  const transform = useViewer((s) => s.transform);
  const compare = useViewer((s) => s.compare);
  const split = useViewer((s) => s.compareSplit);
  const asked = useViewer((s) => s.frame);
  const focus = useCellSelection((s) => s.focus);
  const follow = useCellSelection((s) => s.follow);
  const selected = useCellSelection((s) => s.selected);
  const trackIndex = useViewer((s) => s.runOverlay?.trackIndex);
  const drag = useRef<{ kind: 'pan' | 'split'; x: number; y: number; moved: number } | undefined>(undefined);

  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const fit = fitTransform(size.w, size.h, layers.width, layers.height);
  const t: ViewTransform = transform ?? fit;
  const showCompare = compare && layers.images.some((d) => d.clip === 'right');

  useEffect(() => {
    const c = canvas.current;
    if (!c || size.w === 0) return;
    const dpr = window.devicePixelRatio || 1;
    const [pw, ph] = [Math.round(size.w * dpr), Math.round(size.h * dpr)];
    if (c.width !== pw || c.height !== ph) [c.width, c.height] = [pw, ph];
    const g = c.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    canvases.current.keep(new Set([...layers.images, ...layers.overlays].map((d) => d.id)));
    drawScene(
      g,
      layers,
      t,
      { w: size.w, h: size.h, movieW: layers.width, movieH: layers.height, splitX: split * size.w },
      canvases.current,
    );
    // Which frame's pixels are on screen: playback waits for it; tests and benchmarks read it.
    // With no image layer shown there is nothing to wait for: the frame asked for counts as drawn.
    const drawn = layers.images.length > 0 ? layers.frame : asked;
    if (drawn !== undefined) {
      c.dataset.frame = String(drawn);
      if (useViewer.getState().drawnFrame !== drawn) useViewer.getState().setDrawnFrame(drawn);
    }
  }, [layers, t.scale, t.offsetX, t.offsetY, size.w, size.h, split, asked]);

  // QC's "Show in Viewer": the cell in the middle, large enough to see (at least the fit, at most 16×).
  useEffect(() => {
    if (!focus || size.w === 0) return;
    const scale = Math.min(
      16,
      MAX_SCALE,
      Math.max(fit.scale, Math.min(size.w, size.h) / (6 * Math.max(12, focus.size))),
    );
    useViewer.getState().setTransform(centredOn(focus.x, focus.y, scale, size.w, size.h));
    // Only a new request moves the view (keyed by its seq); a resize later does not pull it back.
  }, [focus?.seq, size.w > 0]);

  // Following the selected cell: its centroid stays in the middle as frames change.
  useEffect(() => {
    if (
      !follow ||
      selected?.trackId === undefined ||
      !trackIndex ||
      layers.frame === undefined ||
      size.w === 0
    )
      return;
    const p = trackIndex.positionNear(selected.trackId, layers.frame);
    if (!p) return;
    const cur = useViewer.getState().transform;
    const scale = cur?.scale ?? Math.min(MAX_SCALE, fit.scale * 3);
    useViewer.getState().setTransform(centredOn(p.x + 0.5, p.y + 0.5, scale, size.w, size.h));
  }, [follow, selected?.trackId, trackIndex, layers.frame, size.w, size.h]);

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
          drag.current = { kind: 'pan', ...local(e), moved: 0 };
        }}
        onPointerMove={(e) => {
          const p = local(e);
          const d = drag.current;
          if (d?.kind === 'pan') {
            const moved = d.moved + Math.hypot(p.x - d.x, p.y - d.y);
            // A drag moves the view, so it stops following the cell.
            if (moved >= CLICK_SLOP_PX) {
              useViewer.getState().setTransform(panBy(t, p.x - d.x, p.y - d.y));
              if (useCellSelection.getState().follow) useCellSelection.getState().setFollow(false);
            }
            drag.current = moved >= CLICK_SLOP_PX ? { kind: 'pan', ...p, moved } : { ...d, moved };
          }
          onHover(pixelAt(t, p.x, p.y, layers.width, layers.height));
        }}
        onPointerUp={(e) => {
          const d = drag.current;
          drag.current = undefined;
          if (d?.kind !== 'pan' || d.moved >= CLICK_SLOP_PX) return;
          const p = local(e);
          const px = pixelAt(t, p.x, p.y, layers.width, layers.height);
          if (px) onPick(px);
        }}
        onPointerLeave={() => onHover(undefined)}
      />
      <CanvasOverlays scale={t.scale} />
      {showCompare && (
        <Box
          data-testid="compare-handle"
          role="slider"
          aria-label="Raw | restored compare line"
          aria-valuenow={Math.round(split * 100)}
          onPointerDown={(e) => {
            e.stopPropagation();
            e.currentTarget.setPointerCapture(e.pointerId);
            drag.current = { kind: 'split', ...local(e), moved: 0 };
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
