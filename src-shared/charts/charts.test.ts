import { describe, expect, it } from 'vitest';
import { layoutLegend } from './frame';
import { memoryChartSpec, memoryUnit } from './memory-chart';
import { EXPORT_SIZE, renderChart, type ChartSpec } from './render';
import { escapeXml, svg, svgText, toSvgMarkup, walkSvg, type SvgElement } from './svg';
import { contrastRatio, DARK_CHART_THEME, LIGHT_CHART_THEME, needsCasing } from './theme';

const byClass = (root: SvgElement, cls: string) =>
  [...walkSvg(root)].filter((e) =>
    String(e.attrs.class ?? '')
      .split(' ')
      .includes(cls),
  );

const LINE: ChartSpec = {
  kind: 'line',
  title: 'Objects per class over time',
  note: '12 objects',
  x: { title: 'time', unit: 'h', values: [0, 0.5, 1, 1.5] },
  y: { title: 'objects', unit: 'count', integer: true },
  series: [
    { name: 'single-cell', colour: '#56b4e9', values: [3, 4, null, 5] },
    { name: 'noise', colour: '#cc79a7', values: [1, 0, 0, 1] },
  ],
};

const HIST: ChartSpec = {
  kind: 'histogram',
  title: 'Object area by class',
  x: { title: 'area', unit: 'px' },
  y: { title: 'objects', unit: 'count' },
  edges: [100, 120, 140, 160],
  overflowFrom: 160,
  series: [
    { name: 'single-cell', colour: '#56b4e9', counts: [4, 9, 2, 0] },
    { name: 'clump', colour: '#e69f00', counts: [0, 1, 0, 3] },
  ],
};

describe('chart SVG', () => {
  it('draws title, legend and axis titles with units', () => {
    const root = renderChart(LINE, { width: 600, height: 320 }, LIGHT_CHART_THEME);
    expect(root.tag).toBe('svg');
    expect(root.attrs).toMatchObject({ width: 600, height: 320, viewBox: '0 0 600 320' });
    expect(svgText(byClass(root, 'chart-title')[0])).toBe('Objects per class over time');
    expect(byClass(root, 'legend-entry').map((e) => e.attrs['data-series'])).toEqual([
      'single-cell',
      'noise',
    ]);
    expect(byClass(root, 'axis-title').map(svgText)).toEqual(['objects (count)', 'time (h)']);
    // Tick labels: 0–5 objects on whole numbers; as many time ticks as the width has room for.
    const yTicks = byClass(byClass(root, 'y-axis')[0], 'tick').map(svgText);
    expect(yTicks).toEqual(['0', '1', '2', '3', '4', '5']);
    const xTicks = byClass(byClass(root, 'x-axis')[0], 'tick').map(svgText);
    expect(xTicks).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0', '1.2', '1.4']);
    // Fewer ticks where fewer labels fit.
    const narrow = renderChart(LINE, { width: 300, height: 320 }, LIGHT_CHART_THEME);
    expect(byClass(byClass(narrow, 'x-axis')[0], 'tick').map(svgText)).toEqual(['0.0', '0.5', '1.0', '1.5']);
  });

  it('shrinks a y-axis title that is longer than the plot is tall', () => {
    const title = (h: number) => {
      const root = renderChart(
        { ...LINE, y: { title: 'PI-positive objects among all segmented objects' } },
        { width: 600, height: h },
        LIGHT_CHART_THEME,
      );
      return Number(byClass(byClass(root, 'y-axis')[0], 'axis-title')[0].attrs['font-size']);
    };
    expect(title(600)).toBe(12);
    expect(title(200)).toBeLessThan(12);
    expect(title(200)).toBeGreaterThanOrEqual(8);
  });

  it('breaks a line at a missing value and marks every point', () => {
    const root = renderChart(LINE, { width: 600, height: 320 }, LIGHT_CHART_THEME);
    const cells = byClass(root, 'series').find((e) => e.attrs['data-series'] === 'single-cell')!;
    const coloured = cells.children.filter(
      (c): c is SvgElement => typeof c !== 'string' && c.tag === 'polyline' && c.attrs.stroke === '#56b4e9',
    );
    expect(coloured.map((p) => String(p.attrs.points).split(' ').length)).toEqual([2, 1]);
    expect([...walkSvg(cells)].filter((e) => e.tag === 'circle')).toHaveLength(3);
  });

  it('stacks histogram bars per bin and labels the overflow bin', () => {
    const root = renderChart(HIST, EXPORT_SIZE, LIGHT_CHART_THEME);
    const rects = byClass(root, 'series').flatMap((g) =>
      [...walkSvg(g)].filter((e) => e.tag === 'rect').map((r) => [g.attrs['data-series'], r]),
    ) as [string, SvgElement][];
    // Bars only where counts are positive: 3 single-cell + 2 clump.
    expect(rects).toHaveLength(5);
    const bin1 = rects.filter(([, r]) => r.attrs['data-bin'] === 1).map(([, r]) => r);
    // The clump bar sits on top of the single-cell bar of the same bin.
    expect(Number(bin1[1].attrs.y) + Number(bin1[1].attrs.height)).toBeCloseTo(Number(bin1[0].attrs.y), 5);
    const xTicks = byClass(byClass(root, 'x-axis')[0], 'tick').map(svgText);
    expect(xTicks.at(-1)).toBe('≥ 160');
    expect(xTicks[0]).toBe('100');
    // The y axis reaches the tallest stack (10) at a labelled tick.
    expect(byClass(byClass(root, 'y-axis')[0], 'tick').map(svgText).at(-1)).toBe('10');
  });

  it('marks x values with labelled lines, out-of-range ones at the nearer edge', () => {
    const spec = {
      ...(HIST as Extract<ChartSpec, { kind: 'histogram' }>),
      overflowFrom: null,
      markers: [
        { at: 130, label: 'min 130', colour: '#0072b2' },
        { at: 900, label: 'max 900', colour: '#d55e00' },
      ],
    };
    const root = renderChart(spec, EXPORT_SIZE, LIGHT_CHART_THEME);
    const [lo, hi] = byClass(root, 'marker').map((m) => [...walkSvg(m)].find((e) => e.tag === 'line')!);
    const bars = byClass(root, 'series').flatMap((g) => [...walkSvg(g)].filter((e) => e.tag === 'rect'));
    const left = Math.min(...bars.map((r) => Number(r.attrs.x)));
    const right = Math.max(...bars.map((r) => Number(r.attrs.x) + Number(r.attrs.width)));
    // 130 lies halfway through the span 100–160; 900 is past its end, drawn at the edge.
    // (Bars sit half a pixel in and leave a pixel's gap: within 1.5 px.)
    expect(Math.abs(Number(lo.attrs.x1) - (left + (right - left) / 2))).toBeLessThanOrEqual(1.5);
    expect(Math.abs(Number(hi.attrs.x1) - right)).toBeLessThanOrEqual(1.5);
    expect(byClass(root, 'marker').map((m) => svgText(m))).toEqual(['min 130', 'max 900']);
  });

  it('writes markup a strict reader accepts: one root, escaped text, closed tags', () => {
    const spec: ChartSpec = {
      ...LINE,
      title: 'A & B <test> "quoted"',
      series: [{ ...LINE.series[0], name: 'a<b' }],
    };
    const markup = toSvgMarkup(renderChart(spec, EXPORT_SIZE, LIGHT_CHART_THEME));
    expect(markup.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(markup.endsWith('</svg>')).toBe(true);
    expect(markup).toContain('A &amp; B &lt;test&gt; &quot;quoted&quot;');
    expect(markup).toContain('data-series="a&lt;b"');
    // Every opened element is closed, in order.
    const stack: string[] = [];
    for (const m of markup.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else if (!m[3]) stack.push(m[2]);
    }
    expect(stack).toEqual([]);
    expect(escapeXml('<&>"')).toBe('&lt;&amp;&gt;&quot;');
    expect(toSvgMarkup(svg('g', {}, svg('line', { x1: 1 / 3, y1: undefined })))).toBe(
      '<g><line x1="0.33"/></g>',
    );
  });

  it('follows the theme: background, text and grid', () => {
    const dark = renderChart(LINE, EXPORT_SIZE, DARK_CHART_THEME);
    expect(byClass(dark, 'chart-background')[0].attrs.fill).toBe('#121212');
    expect(byClass(dark, 'chart-title')[0].attrs.fill).toBe(DARK_CHART_THEME.text);
    expect(byClass(dark, 'grid')[0].attrs.stroke).toBe(DARK_CHART_THEME.grid);
    const light = renderChart(LINE, EXPORT_SIZE, LIGHT_CHART_THEME);
    expect(byClass(light, 'chart-background')[0].attrs.fill).toBe('#ffffff');
    // Text is readable on both (WCAG AA: 4.5:1 for small text).
    for (const t of [LIGHT_CHART_THEME, DARK_CHART_THEME]) {
      expect(contrastRatio(t.text, t.background)).toBeGreaterThan(7);
      expect(contrastRatio(t.mutedText, t.background)).toBeGreaterThan(4.5);
    }
  });

  it('cases series colours too light for the background', () => {
    // Okabe–Ito yellow and sky blue on white are below 3:1; blue is not; on dark, yellow is fine.
    expect(needsCasing('#f0e442', LIGHT_CHART_THEME)).toBe(true);
    expect(needsCasing('#56b4e9', LIGHT_CHART_THEME)).toBe(true);
    expect(needsCasing('#0072b2', LIGHT_CHART_THEME)).toBe(false);
    expect(needsCasing('#f0e442', DARK_CHART_THEME)).toBe(false);
    const root = renderChart(LINE, EXPORT_SIZE, LIGHT_CHART_THEME);
    const cells = byClass(root, 'series').find((e) => e.attrs['data-series'] === 'single-cell')!;
    expect([...walkSvg(cells)].some((e) => e.attrs.stroke === LIGHT_CHART_THEME.casing)).toBe(true);
  });

  it('wraps legend entries onto rows that fit the width', () => {
    const entries = ['single-cell', 'clump', 'noise', 'off-focus', 'joint-cell', 'unclassified'].map(
      (name) => ({
        name,
        colour: '#000000',
        swatch: 'box' as const,
      }),
    );
    const wide = layoutLegend(entries, 1000);
    expect(new Set(wide.map((e) => e.row))).toEqual(new Set([0]));
    const narrow = layoutLegend(entries, 200);
    expect(narrow.at(-1)!.row).toBeGreaterThan(1);
    expect(narrow[0]).toMatchObject({ x: 0, row: 0 });
    // Every row starts at the left.
    for (const e of narrow) if (narrow.find((o) => o.row === e.row) === e) expect(e.x).toBe(0);
  });

  it('draws an image figure 1:1 under its title and legend', () => {
    const root = renderChart(
      {
        kind: 'image',
        title: 'Segmentation, frame 10',
        image: { href: 'data:image/png;base64,AAAA', width: 300, height: 200 },
        legend: [{ name: 'clump', colour: '#e69f00' }],
      },
      EXPORT_SIZE,
      LIGHT_CHART_THEME,
    );
    const image = [...walkSvg(root)].find((e) => e.tag === 'image')!;
    expect(image.attrs).toMatchObject({ width: 300, height: 200 });
    expect(Number.isInteger(image.attrs.x) && Number.isInteger(image.attrs.y)).toBe(true);
    expect(Number(root.attrs.height)).toBe(Number(image.attrs.y) + 200 + 12);
    expect(byClass(root, 'legend-entry').map(svgText)).toEqual(['clump']);
  });
});

describe('memory chart', () => {
  it('plots MB from zero on a clock axis and switches to GB for large processes', () => {
    const t0 = Date.UTC(2026, 0, 1, 9, 0, 0);
    const spec = memoryChartSpec(
      [
        { atMs: t0, processesMb: { backend: 63 } },
        { atMs: t0 + 30_000, processesMb: { backend: 64, 'worker 1': 900 } },
        { atMs: t0 + 60_000, processesMb: { backend: 64, 'worker 1': null } },
      ],
      0,
    );
    expect(spec.y).toMatchObject({ title: 'memory', unit: 'MB', min: 0 });
    expect(spec.series.map((s) => s.name)).toEqual(['backend', 'worker 1']);
    expect(spec.series[1].values).toEqual([null, 900, null]);
    const root = renderChart(spec, { width: 640, height: 260 }, LIGHT_CHART_THEME);
    expect(byClass(root, 'axis-title').map(svgText)).toEqual(['memory (MB)', 'time of day (hh:mm:ss)']);
    expect(byClass(byClass(root, 'x-axis')[0], 'tick').map(svgText)[0]).toBe('09:00:00');
    expect(byClass(byClass(root, 'y-axis')[0], 'tick').map(svgText)[0]).toBe('0');
    expect(memoryUnit(3000)).toEqual({ unit: 'GB', perMb: 1 / 1024 });
  });
});
