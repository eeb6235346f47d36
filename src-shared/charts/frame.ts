import { svg, textWidth, type SvgElement } from './svg';
import { needsCasing, type ChartTheme } from './theme';

/** Type sizes in px, drawn 1:1 (the renderer lays a chart out at its on-screen width). */
export const FONT = { title: 15, note: 11.5, legend: 12, tick: 11, axisTitle: 12 } as const;
const PAD = 12;

export interface LegendEntry {
  name: string;
  colour: string;
  /** A line with a dot (line charts) or a filled box (bars, outlines). */
  swatch: 'line' | 'box';
}

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Rows of legend entries that fit `maxWidth`, each entry with its x offset and width. */
export function layoutLegend(
  entries: readonly LegendEntry[],
  maxWidth: number,
): { entry: LegendEntry; x: number; row: number }[] {
  const out: { entry: LegendEntry; x: number; row: number }[] = [];
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const w = 18 + textWidth(entry.name, FONT.legend);
    if (x > 0 && x + w > maxWidth) {
      row++;
      x = 0;
    }
    out.push({ entry, x, row });
    x += w + 16;
  }
  return out;
}

function swatch(e: LegendEntry, x: number, y: number, theme: ChartTheme): SvgElement {
  const cased = needsCasing(e.colour, theme);
  if (e.swatch === 'box')
    return svg('rect', {
      x,
      y: y - 10,
      width: 12,
      height: 12,
      fill: e.colour,
      stroke: cased ? theme.casing : undefined,
      'stroke-width': cased ? 0.8 : undefined,
    });
  return svg(
    'g',
    {},
    cased &&
      svg('line', {
        x1: x - 1,
        y1: y - 4,
        x2: x + 15,
        y2: y - 4,
        stroke: theme.casing,
        'stroke-width': 3.5,
        'stroke-opacity': 0.7,
      }),
    svg('line', { x1: x, y1: y - 4, x2: x + 14, y2: y - 4, stroke: e.colour, 'stroke-width': 2.5 }),
  );
}

/**
 * Title, optional note and legend across the top of a chart. Returns the drawn group and the y
 * where the plot may start. Legend text is in the theme's text colour (never the series colour:
 * yellow text on white is unreadable); the swatch carries the colour.
 */
export function drawHeader(
  opts: { title: string; note?: string; legend: readonly LegendEntry[]; width: number },
  theme: ChartTheme,
): { group: SvgElement; bottom: number } {
  let y = PAD + FONT.title;
  const parts: SvgElement[] = [
    svg(
      'text',
      { class: 'chart-title', x: PAD, y, 'font-size': FONT.title, 'font-weight': 'bold', fill: theme.text },
      opts.title,
    ),
  ];
  if (opts.note) {
    y += FONT.note + 5;
    parts.push(
      svg(
        'text',
        { class: 'chart-note', x: PAD, y, 'font-size': FONT.note, fill: theme.mutedText },
        opts.note,
      ),
    );
  }
  if (opts.legend.length > 0) {
    const placed = layoutLegend(opts.legend, opts.width - 2 * PAD);
    const top = y + 8;
    const rowH = FONT.legend + 6;
    parts.push(
      svg(
        'g',
        { class: 'chart-legend', 'font-size': FONT.legend, fill: theme.text },
        placed.map(({ entry, x, row }) => {
          const base = top + FONT.legend + row * rowH;
          return svg(
            'g',
            { class: 'legend-entry', 'data-series': entry.name },
            swatch(entry, PAD + x, base, theme),
            svg('text', { x: PAD + x + 18, y: base }, entry.name),
          );
        }),
      ),
    );
    y = top + (placed.at(-1)!.row + 1) * rowH;
  }
  return { group: svg('g', { class: 'chart-header' }, parts), bottom: y };
}

/** The plot rectangle left after the header, tick labels and axis titles. */
export function plotArea(
  size: { width: number; height: number },
  headerBottom: number,
  yTickLabels: readonly string[],
): PlotArea {
  const tickW = Math.max(0, ...yTickLabels.map((l) => textWidth(l, FONT.tick)));
  return {
    left: PAD + FONT.axisTitle + 8 + tickW + 6,
    top: headerBottom + 12,
    // Room for half of the last x tick label past the axis end.
    right: size.width - PAD - 14,
    bottom: size.height - PAD - FONT.axisTitle - FONT.tick - 10,
  };
}

export interface AxisTick {
  /** Position in px along the axis. */
  at: number;
  label: string;
}

/**
 * Axes at the left and bottom of `area`: horizontal grid lines at the y ticks, tick marks,
 * tick labels, and the axis titles (units in parentheses, from the spec).
 */
export function drawAxes(
  area: PlotArea,
  x: { ticks: readonly AxisTick[]; title: string },
  y: { ticks: readonly AxisTick[]; title: string },
  theme: ChartTheme,
): SvgElement {
  const { left, top, right, bottom } = area;
  // A rotated y title longer than the plot is tall would run past both ends: shrink it to fit.
  const yTitleSize = Math.max(
    8,
    Math.min(FONT.axisTitle, (bottom - top) / Math.max(1, textWidth(y.title, 1))),
  );
  return svg(
    'g',
    { class: 'chart-axes', 'font-size': FONT.tick },
    svg(
      'g',
      { class: 'grid', stroke: theme.grid, 'stroke-width': 1 },
      y.ticks.map((t) => svg('line', { x1: left, x2: right, y1: t.at, y2: t.at })),
    ),
    svg(
      'g',
      { class: 'y-axis' },
      svg('line', { x1: left, y1: top, x2: left, y2: bottom, stroke: theme.axis }),
      y.ticks.map((t) =>
        svg(
          'g',
          { class: 'tick' },
          svg('line', { x1: left - 4, x2: left, y1: t.at, y2: t.at, stroke: theme.axis }),
          svg(
            'text',
            { x: left - 7, y: t.at + FONT.tick * 0.35, 'text-anchor': 'end', fill: theme.mutedText },
            t.label,
          ),
        ),
      ),
      svg(
        'text',
        {
          class: 'axis-title',
          transform: `translate(${PAD + FONT.axisTitle - 2} ${(top + bottom) / 2}) rotate(-90)`,
          'text-anchor': 'middle',
          'font-size': Math.floor(yTitleSize * 10) / 10,
          fill: theme.text,
        },
        y.title,
      ),
    ),
    svg(
      'g',
      { class: 'x-axis' },
      svg('line', { x1: left, y1: bottom, x2: right, y2: bottom, stroke: theme.axis }),
      x.ticks.map((t) =>
        svg(
          'g',
          { class: 'tick' },
          svg('line', { x1: t.at, x2: t.at, y1: bottom, y2: bottom + 4, stroke: theme.axis }),
          svg(
            'text',
            { x: t.at, y: bottom + 6 + FONT.tick, 'text-anchor': 'middle', fill: theme.mutedText },
            t.label,
          ),
        ),
      ),
      svg(
        'text',
        {
          class: 'axis-title',
          x: (left + right) / 2,
          y: bottom + 6 + FONT.tick + 6 + FONT.axisTitle,
          'text-anchor': 'middle',
          'font-size': FONT.axisTitle,
          fill: theme.text,
        },
        x.title,
      ),
    ),
  );
}

/** The outer `<svg>`: size, font, background and an accessible name (the title). */
export function chartRoot(
  size: { width: number; height: number },
  title: string,
  theme: ChartTheme,
  ...content: SvgElement[]
): SvgElement {
  return svg(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: size.width,
      height: size.height,
      viewBox: `0 0 ${size.width} ${size.height}`,
      role: 'img',
      'aria-label': title,
      'font-family': theme.fontFamily,
    },
    svg('title', {}, title),
    svg('rect', {
      class: 'chart-background',
      x: 0,
      y: 0,
      width: size.width,
      height: size.height,
      fill: theme.background,
    }),
    ...content,
  );
}
