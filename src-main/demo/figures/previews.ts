import fs from 'node:fs';
import path from 'node:path';
import {
  EXPORT_SIZE,
  LIGHT_CHART_THEME,
  renderChart,
  toSvgMarkup,
  type ChartSpec,
} from '../../../src-shared/charts';
import {
  areaHistogramChart,
  classCountsChart,
  classSeriesColour,
  killCurveChart,
  legendName,
  NO_CLASS,
  QC_CLASSES,
} from '../../../src-shared/results';
import { csvObjects, openMovie } from '../../io';
import { toFloat32 } from '../../pipeline';
import { readResultTable } from '../../results';
import { encodePng, type RgbaImage } from './png';
import { drawOutlines, grayImage } from './render';
import { svgToPng } from './svg-png';

/** The frame the image previews show (the 11th, or the last of a shorter movie). */
const PREVIEW_FRAME = 10;

/** Chart PNGs are drawn at twice their SVG size, as the Results view exports them. */
export const CHART_PNG_SCALE = 2;

const dataUri = (img: RgbaImage) => `data:image/png;base64,${encodePng(img).toString('base64')}`;

/** A frame as an image figure: title, note, legend, pixels 1:1. */
function frameFigure(
  img: RgbaImage,
  title: string,
  note: string,
  legend: { name: string; colour: string }[] = [],
): ChartSpec {
  return {
    kind: 'image',
    title,
    note,
    image: { href: dataUri(img), width: img.width, height: img.height },
    legend,
  };
}

/**
 * Writes the demo's preview figures as `preview_<name>.png` in `dir` and returns their paths:
 * the raw and restored bright field and the segmentation by class at one frame (image figures,
 * one frame pixel per PNG pixel), and the Results view's three plots of the run (drawn by the same
 * chart specs, at twice their exported SVG size). Every figure has a title; plots have axes with
 * units and a legend. Text is drawn by resvg in the bundled DejaVu Sans.
 */
export async function writePreviews(
  moviePath: string,
  outputs: Record<string, string>,
  dir: string,
): Promise<Record<string, string>> {
  const figures: [string, ChartSpec][] = [];
  const movie = await openMovie(moviePath);
  const restored = await openMovie(outputs.restored);
  const labels = await openMovie(outputs.labels);
  try {
    const t = Math.min(PREVIEW_FRAME, movie.info.shape.t - 1);
    const { x: W, y: H } = movie.info.shape;
    const raw = toFloat32((await movie.readPlane({ t, c: 0 })).data);
    const contrast = 'contrast: 1st–99.8th percentile of the frame';
    figures.push([
      'raw_brightfield',
      frameFigure(
        grayImage(raw, W, H),
        `Raw bright field, frame ${t}`,
        `${path.basename(moviePath)}, channel 0; ${contrast}`,
      ),
    ]);
    const rs = restored.info.shape;
    const bf = toFloat32((await restored.readPlane({ t, c: 0 })).data);
    figures.push([
      'restored_brightfield',
      frameFigure(
        grayImage(bf, rs.x, rs.y),
        `Restored bright field, frame ${t}`,
        `focus restoration output; ${contrast}`,
      ),
    ]);
    const lab = (await labels.readPlane({ t, c: 0 })).data as Uint16Array;
    const classOf = new Map<number, string>();
    const count = new Map<string, number>();
    for (const r of csvObjects(fs.readFileSync(outputs.cells, 'utf8'))) {
      if (Number(r.frame) !== t) continue;
      const c = r.object_class || NO_CLASS;
      classOf.set(Number(r.label), r.object_class);
      count.set(c, (count.get(c) ?? 0) + 1);
    }
    const seg = grayImage(bf, labels.info.shape.x, labels.info.shape.y);
    drawOutlines(seg, lab, (l) => classOf.get(l));
    const rank = (c: string) => (QC_CLASSES.includes(c) ? QC_CLASSES.indexOf(c) : QC_CLASSES.length);
    const legend = [...count.keys()]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((c) => ({ name: `${legendName(c)} (${count.get(c)})`, colour: classSeriesColour(c) }));
    const objects = [...count.values()].reduce((a, b) => a + b, 0);
    figures.push([
      'segmentation',
      frameFigure(
        seg,
        `Segmentation by class, frame ${t}`,
        `${objects} objects outlined over the restored bright field`,
        legend,
      ),
    ]);
  } finally {
    await Promise.all([movie.close(), restored.close(), labels.close()]);
  }
  const cells = readResultTable(outputs.cells);
  figures.push(
    ['kill_curve', killCurveChart(cells)],
    ['objects_per_class', classCountsChart(cells)],
    ['area_histogram', areaHistogramChart(cells)],
  );

  const out: Record<string, string> = {};
  for (const [name, spec] of figures) {
    const markup = toSvgMarkup(renderChart(spec, EXPORT_SIZE, LIGHT_CHART_THEME));
    const { png } = await svgToPng(markup, spec.kind === 'image' ? 1 : CHART_PNG_SCALE);
    out[name] = path.join(dir, `preview_${name}.png`);
    fs.writeFileSync(out[name], png);
  }
  return out;
}
