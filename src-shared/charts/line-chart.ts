import { chartRoot, drawAxes, drawHeader, FONT, plotArea, type AxisTick } from './frame';
import { svg, svgNumber, textWidth, type SvgElement } from './svg';
import { needsCasing, type ChartTheme } from './theme';
import { axisTitle, formatTick, linearTicks, timeTicks } from './ticks';

/** An axis as the reader sees it: a title and its unit (printed as `title (unit)`). */
export interface ChartAxis {
  title: string;
  unit?: string;
}

export interface LineSeries {
  name: string;
  /** `#rrggbb`. */
  colour: string;
  /** One value per x; `null` breaks the line (a frame without objects). */
  values: readonly (number | null)[];
}

export interface LineChartSpec {
  kind: 'line';
  title: string;
  /** A line under the title (a summary, a caveat). */
  note?: string;
  x: ChartAxis & {
    values: readonly number[];
    /** x values are ms since the epoch: ticks on the local clock (`tzOffsetMin` as Date gives it). */
    clock?: { tzOffsetMin: number };
    /** Whole-number axis (frame numbers): no fractional ticks. */
    integer?: boolean;
  };
  y: ChartAxis & {
    /** Default 0: counts and fractions start at zero. */
    min?: number;
    /** Fixed top (100 for percentages); by default the next tick above the data. */
    max?: number;
    integer?: boolean;
  };
  series: readonly LineSeries[];
}

export interface ChartSize {
  width: number;
  height: number;
}

/** How many ticks fit along `length` px when labels are about `labelWidth` px wide. */
export function tickTarget(length: number, labelWidth: number, most = 10): number {
  return Math.max(2, Math.min(most, Math.floor(length / (labelWidth + 28))));
}

function yTicks(spec: LineChartSpec, heightPx: number) {
  const data = spec.series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const lo = spec.y.min ?? Math.min(0, ...data);
  const top = spec.y.max ?? Math.max(lo + (spec.y.integer ? 1 : 1e-9), ...data);
  const target = Math.max(2, Math.min(8, Math.floor(heightPx / 34)));
  return linearTicks(lo, top, target, { nice: spec.y.max === undefined, integer: spec.y.integer });
}

/**
 * Lines over x, one per series, with markers at the points when there are few enough to see.
 * Series colours that are too light for the background get a casing (a thin dark edge).
 */
export function lineChart(spec: LineChartSpec, size: ChartSize, theme: ChartTheme): SvgElement {
  const header = drawHeader(
    {
      title: spec.title,
      note: spec.note,
      legend: spec.series.map((s) => ({ name: s.name, colour: s.colour, swatch: 'line' as const })),
      width: size.width,
    },
    theme,
  );
  // Tick labels decide the left margin, and the plot height decides the ticks: estimate once.
  const yt = yTicks(spec, size.height - header.bottom - 60);
  const yLabels = yt.values.map((v) => formatTick(v, yt.step));
  const area = plotArea(size, header.bottom, yLabels);
  const xs = spec.x.values;
  const finiteXs = xs.filter((v) => Number.isFinite(v));
  const x0 = finiteXs.length ? Math.min(...finiteXs) : 0;
  const x1raw = finiteXs.length ? Math.max(...finiteXs) : 1;
  const x1 = x1raw > x0 ? x1raw : x0 + 1;
  const px = (v: number) => area.left + ((v - x0) / (x1 - x0)) * (area.right - area.left);
  const py = (v: number) => area.bottom - ((v - yt.lo) / (yt.hi - yt.lo)) * (area.bottom - area.top);

  let xTicks: AxisTick[];
  if (spec.x.clock) {
    const tt = timeTicks(
      x0,
      x1,
      tickTarget(area.right - area.left, textWidth('00:00:00', FONT.tick)),
      spec.x.clock.tzOffsetMin,
    );
    xTicks = tt.values.map((v, i) => ({ at: px(v), label: tt.labels[i] }));
  } else {
    const widest =
      Math.max(textWidth(formatTick(x0, 1), FONT.tick), textWidth(formatTick(x1, 1), FONT.tick)) + 8;
    const xt = linearTicks(x0, x1, tickTarget(area.right - area.left, widest), { integer: spec.x.integer });
    xTicks = xt.values.map((v) => ({ at: px(v), label: formatTick(v, xt.step) }));
  }
  const yAxisTicks = yt.values.map((v, i) => ({ at: py(v), label: yLabels[i] }));
  const markers = xs.length <= 60;

  const series = spec.series.map((s) => {
    const runs: string[][] = [[]];
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || !Number.isFinite(xs[i])) {
        if (runs.at(-1)!.length > 0) runs.push([]);
      } else runs.at(-1)!.push(`${svgNumber(px(xs[i]))},${svgNumber(py(v))}`);
    });
    const lines = runs.filter((r) => r.length > 0).map((r) => r.join(' '));
    const cased = needsCasing(s.colour, theme);
    return svg(
      'g',
      {
        class: 'series',
        'data-series': s.name,
        fill: 'none',
        'stroke-linejoin': 'round',
        'stroke-linecap': 'round',
      },
      cased &&
        lines.map((points) =>
          svg('polyline', { points, stroke: theme.casing, 'stroke-width': 3.5, 'stroke-opacity': 0.7 }),
        ),
      lines.map((points) => svg('polyline', { points, stroke: s.colour, 'stroke-width': 2 })),
      markers &&
        s.values
          .map((v, i) =>
            v === null || !Number.isFinite(v) || !Number.isFinite(xs[i])
              ? null
              : svg('circle', {
                  cx: px(xs[i]),
                  cy: py(v),
                  r: 2.6,
                  fill: s.colour,
                  stroke: cased ? theme.casing : undefined,
                  'stroke-width': cased ? 0.8 : undefined,
                }),
          )
          .filter((c): c is SvgElement => c !== null),
    );
  });

  return chartRoot(
    size,
    spec.title,
    theme,
    header.group,
    drawAxes(
      area,
      { ticks: xTicks, title: axisTitle(spec.x.title, spec.x.unit) },
      { ticks: yAxisTicks, title: axisTitle(spec.y.title, spec.y.unit) },
      theme,
    ),
    svg('g', { class: 'chart-data' }, series),
  );
}
