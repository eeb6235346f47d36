import {
  cssColour,
  imageToScreen,
  layerScreenRect,
  type Rgb,
  type TailPath,
  type Translate,
  type ViewTransform,
} from '../../../src-shared/viewer';

/** An image layer's or labels layer's pixels, where they lie in the movie and how they are drawn. */
export interface DrawnImage {
  id: string;
  image: ImageData;
  translate: Translate;
  opacity: number;
  /** With the compare line: only left (the raw layer) or right (its restored replacement) of it. */
  clip?: 'left' | 'right';
}

/** Track tails to draw over the labels, in movie pixels (centroid convention: pixel centre at x). */
export interface Tails {
  paths: (TailPath & { colour: Rgb })[];
  opacity: number;
  /** Drawn wider, on top. */
  selectedTrack?: number;
}

/** The selected object's outline, as pixel-edge segments of its labels layer. */
export interface Highlight {
  label: number;
  segments: Float32Array;
  translate: Translate;
}

export interface Scene {
  /** Image layers, added together (napari's additive blending). */
  images: DrawnImage[];
  /** Labels layers, drawn over the images at their opacity. */
  overlays: DrawnImage[];
  /** One per tracks layer shown. */
  tails: Tails[];
  highlight?: Highlight;
}

/** What the canvas draws for one frame: the movie's size (the world, what Fit fits) and the scene. */
export interface CanvasLayers extends Scene {
  width: number;
  height: number;
  /** The movie frame the raw layers are of (undefined until one is loaded). */
  frame: number | undefined;
}

/**
 * Keeps one offscreen canvas per layer id and refills it only when the layer's ImageData changes:
 * an opacity or visibility change redraws without copying pixels again.
 */
export class LayerCanvases {
  private readonly held = new Map<string, { src: ImageData; canvas: HTMLCanvasElement }>();

  get(d: DrawnImage): HTMLCanvasElement {
    let h = this.held.get(d.id);
    if (!h) this.held.set(d.id, (h = { src: d.image, canvas: document.createElement('canvas') }));
    else if (h.src === d.image) return h.canvas;
    h.src = d.image;
    if (h.canvas.width !== d.image.width || h.canvas.height !== d.image.height) {
      h.canvas.width = d.image.width;
      h.canvas.height = d.image.height;
    }
    h.canvas.getContext('2d')!.putImageData(d.image, 0, 0);
    return h.canvas;
  }

  /** Forgets layers no longer drawn. */
  keep(ids: Set<string>): void {
    for (const id of this.held.keys()) if (!ids.has(id)) this.held.delete(id);
  }
}

/**
 * Draws a scene on a canvas `w` × `h` CSS px: the movie's area black, image layers added
 * ('lighter'), labels over them, then tails and the highlight as vectors (crisp at any zoom).
 */
export function drawScene(
  g: CanvasRenderingContext2D,
  scene: Scene,
  view: ViewTransform,
  size: { w: number; h: number; movieW: number; movieH: number; splitX: number },
  canvases: LayerCanvases,
): void {
  g.clearRect(0, 0, size.w, size.h);
  g.imageSmoothingEnabled = false;
  const movie = layerScreenRect(view, { x: 0, y: 0 }, size.movieW, size.movieH);
  g.fillStyle = '#000';
  g.fillRect(movie.x, movie.y, movie.width, movie.height);
  const draw = (d: DrawnImage, op: GlobalCompositeOperation) => {
    const c = canvases.get(d);
    const r = layerScreenRect(view, d.translate, c.width, c.height);
    g.save();
    if (d.clip) {
      g.beginPath();
      if (d.clip === 'left') g.rect(0, 0, size.splitX, size.h);
      else g.rect(size.splitX, 0, size.w - size.splitX, size.h);
      g.clip();
    }
    g.globalCompositeOperation = op;
    g.globalAlpha = Math.min(1, Math.max(0, d.opacity));
    g.drawImage(c, r.x, r.y, r.width, r.height);
    g.restore();
  };
  for (const d of scene.images) draw(d, 'lighter');
  for (const d of scene.overlays) draw(d, 'source-over');
  for (const t of scene.tails) drawTails(g, t, view);
  if (scene.highlight) drawHighlight(g, scene.highlight, view);
}

function drawTails(g: CanvasRenderingContext2D, tails: Tails, view: ViewTransform): void {
  g.save();
  g.globalAlpha = tails.opacity;
  g.lineJoin = 'round';
  g.lineCap = 'round';
  const ordered = [...tails.paths].sort(
    (a, b) => Number(a.id === tails.selectedTrack) - Number(b.id === tails.selectedTrack),
  );
  for (const p of ordered) {
    const chosen = p.id === tails.selectedTrack;
    // Centroids are pixel centres: x + 0.5 in the view's continuous coordinates.
    const pts = p.points.map((q) => imageToScreen(view, q.x + 0.5, q.y + 0.5));
    g.strokeStyle = cssColour(p.colour);
    g.lineWidth = chosen ? 3.5 : 1.75;
    g.setLineDash([]);
    g.beginPath();
    pts.forEach((q, i) => (i === 0 ? g.moveTo(q.x, q.y) : g.lineTo(q.x, q.y)));
    g.stroke();
    if (p.fromParent) {
      // The step from the mother to this daughter: dashed, so a division reads as a fork.
      g.setLineDash([3, 3]);
      g.lineWidth = chosen ? 2.5 : 1.25;
      g.strokeStyle = '#fff';
      g.beginPath();
      g.moveTo(pts[0].x, pts[0].y);
      g.lineTo(pts[1].x, pts[1].y);
      g.stroke();
      g.setLineDash([]);
    }
    const head = pts[pts.length - 1];
    g.fillStyle = cssColour(p.colour);
    g.beginPath();
    g.arc(head.x, head.y, chosen ? 3.5 : 2.25, 0, 2 * Math.PI);
    g.fill();
  }
  g.restore();
}

/** White outline on a dark casing: readable on bright field, PI red and every class colour. */
function drawHighlight(g: CanvasRenderingContext2D, h: Highlight, view: ViewTransform): void {
  const s = h.segments;
  if (s.length === 0) return;
  const path = new Path2D();
  const ox = h.translate.x;
  const oy = h.translate.y;
  for (let i = 0; i < s.length; i += 4) {
    const a = imageToScreen(view, s[i] + ox, s[i + 1] + oy);
    const b = imageToScreen(view, s[i + 2] + ox, s[i + 3] + oy);
    path.moveTo(a.x, a.y);
    path.lineTo(b.x, b.y);
  }
  g.save();
  g.lineCap = 'square';
  g.strokeStyle = 'rgba(0, 0, 0, 0.85)';
  g.lineWidth = 5;
  g.stroke(path);
  g.strokeStyle = '#ffffff';
  g.lineWidth = 2.5;
  g.stroke(path);
  g.restore();
}
