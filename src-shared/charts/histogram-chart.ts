import { chartRoot, drawAxes, drawHeader, FONT, plotArea, type AxisTick } from './frame';
import { tickTarget, type ChartAxis, type ChartSize } from './line-chart';
import { svg, textWidth, type SvgElement } from './svg';
import { needsCasing, type ChartTheme } from './theme';
import { axisTitle, formatTick, linearTicks } from './ticks';

export interface HistogramSeries {
  name: string;
  colour: string;
  /** One count per bin, plus one for the overflow bin when `overflowFrom` is set. */
  counts: readonly number[];
}

export interface HistogramSpec {
  kind: 'histogram';
  title: string;
  note?: string;
  x: ChartAxis;
  y: ChartAxis;
  /** Bin edges (see `niceBins`). */
  edges: readonly number[];
  /** Start of the overflow bin (values ≥ it), drawn apart and labelled "≥ value"; null for none. */
  overflowFrom?: number | null;
  /** Stacked in this order from the bottom. */
  series: readonly HistogramSeries[];
  /**
   * Vertical lines at x values (the Viewer's contrast min and max), labelled at the top; a value
   * outside the bins is drawn at the nearer edge.
   */
  markers?: readonly { at: number; label: string; colour: string }[];
}

/**
 * Stacked bars over bin edges. The x axis spans the bins (not zero to the maximum); an overflow
 * bin stands one gap to the right of the last regular bin with its own "≥" label.
 */
export function histogramChart(spec: HistogramSpec, size: ChartSize, theme: ChartTheme): SvgElement {
  const header = drawHeader(
    {
      title: spec.title,
      note: spec.note,
      legend: spec.series.map((s) => ({ name: s.name, colour: s.colour, swatch: 'box' as const })),
      width: size.width,
    },
    theme,
  );
  const n = Math.max(0, spec.edges.length - 1);
  const overflow = spec.overflowFrom != null && n > 0;
  const bars = n + (overflow ? 1 : 0);
  const totals = Array.from({ length: bars }, (_, b) =>
    spec.series.reduce((a, s) => a + (s.counts[b] ?? 0), 0),
  );
  const target = Math.max(2, Math.min(8, Math.floor((size.height - header.bottom - 60) / 34)));
  const yt = linearTicks(0, Math.max(1, ...totals), target, { nice: true, integer: true });
  const yLabels = yt.values.map((v) => formatTick(v, yt.step));
  const area = plotArea(size, header.bottom, yLabels);
  const lo = n > 0 ? spec.edges[0] : 0;
  const hi = n > 0 ? spec.edges[n] : 1;
  const binW = n > 0 ? (hi - lo) / n : 1;
  // The overflow bar takes one bin width after a half-bin gap.
  const span = hi - lo + (overflow ? 1.5 * binW : 0);
  const px = (v: number) => area.left + ((v - lo) / span) * (area.right - area.left);
  const py = (v: number) => area.bottom - (v / yt.hi) * (area.bottom - area.top);

  const widest =
    Math.max(textWidth(formatTick(lo, 1), FONT.tick), textWidth(formatTick(hi, 1), FONT.tick)) + 8;
  const xt = linearTicks(lo, hi, tickTarget(px(hi) - area.left, widest));
  const xTicks: AxisTick[] = xt.values.map((v) => ({ at: px(v), label: formatTick(v, xt.step) }));
  if (overflow) {
    const label = `≥ ${formatTick(spec.overflowFrom!, xt.step)}`;
    // Drop a regular tick whose label would run into the overflow label.
    const at = px(hi + binW);
    const room = (textWidth(label, FONT.tick) + widest) / 2 + 4;
    while (xTicks.length > 0 && at - xTicks.at(-1)!.at < room) xTicks.pop();
    xTicks.push({ at, label });
  }

  const bySeries = new Map<string, SvgElement[]>(spec.series.map((s) => [s.name, []]));
  for (let b = 0; b < bars; b++) {
    const from = b < n ? spec.edges[b] : hi + 0.5 * binW;
    const x = px(from) + 0.5;
    const w = Math.max(0.5, px(from + binW) - px(from) - 1);
    let base = 0;
    for (const s of spec.series) {
      const v = s.counts[b] ?? 0;
      if (v <= 0) continue;
      const cased = needsCasing(s.colour, theme);
      bySeries.get(s.name)!.push(
        svg('rect', {
          x,
          y: py(base + v),
          width: w,
          height: py(base) - py(base + v),
          fill: s.colour,
          stroke: cased ? theme.casing : undefined,
          'stroke-width': cased ? 0.6 : undefined,
          'data-bin': b,
        }),
      );
      base += v;
    }
  }
  const series = spec.series.map((s) =>
    svg('g', { class: 'series', 'data-series': s.name }, bySeries.get(s.name)!),
  );
  const markers = (spec.markers ?? []).map((m, i) => {
    const x = Math.min(px(hi), Math.max(px(lo), px(m.at)));
    const right = x > (area.left + area.right) / 2;
    return svg('g', { class: 'marker', 'data-marker': m.label }, [
      svg('line', { x1: x, x2: x, y1: area.top, y2: area.bottom, stroke: m.colour, 'stroke-width': 1.5 }),
      svg(
        'text',
        {
          x: right ? x - 3 : x + 3,
          y: area.top + FONT.tick + i * (FONT.tick + 2),
          'font-size': FONT.tick,
          fill: m.colour,
          'text-anchor': right ? 'end' : 'start',
        },
        m.label,
      ),
    ]);
  });

  return chartRoot(
    size,
    spec.title,
    theme,
    header.group,
    drawAxes(
      area,
      { ticks: xTicks, title: axisTitle(spec.x.title, spec.x.unit) },
      {
        ticks: yt.values.map((v, i) => ({ at: py(v), label: yLabels[i] })),
        title: axisTitle(spec.y.title, spec.y.unit),
      },
      theme,
    ),
    svg('g', { class: 'chart-data' }, [...series, ...markers]),
  );
}
