import { histogramChart, type HistogramSpec } from './histogram-chart';
import { imageFigure, type ImageFigureSpec } from './image-figure';
import { lineChart, type ChartSize, type LineChartSpec } from './line-chart';
import type { SvgElement } from './svg';
import type { ChartTheme } from './theme';

/** Every chart the app draws, as data: the Results view, Resources and the demo build these. */
export type ChartSpec = LineChartSpec | HistogramSpec | ImageFigureSpec;

/** The size files are exported at (the PNG at twice this): a half-page figure. */
export const EXPORT_SIZE: ChartSize = { width: 720, height: 420 };

/** Draws a chart spec at `size` (image figures take their image's size and ignore it). */
export function renderChart(spec: ChartSpec, size: ChartSize, theme: ChartTheme): SvgElement {
  switch (spec.kind) {
    case 'line':
      return lineChart(spec, size, theme);
    case 'histogram':
      return histogramChart(spec, size, theme);
    case 'image':
      return imageFigure(spec, theme);
  }
}
