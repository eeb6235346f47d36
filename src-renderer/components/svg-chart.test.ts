import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LIGHT_CHART_THEME, renderChart, toSvgMarkup, type ChartSpec } from '../../src-shared/charts';
import { svgToReact } from './SvgChart';

const SPEC: ChartSpec = {
  kind: 'histogram',
  title: 'Object area by class',
  x: { title: 'area', unit: 'px' },
  y: { title: 'objects', unit: 'count' },
  edges: [0, 10, 20],
  series: [{ name: 'single-cell', colour: '#56b4e9', counts: [3, 5] }],
};

/** Attributes as name=value pairs, in order (React escapes ' where the file needs not). */
const attrs = (markup: string) =>
  [...markup.matchAll(/\s([a-zA-Z:-]+)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2].replace(/&#x27;/g, "'")}`);

describe('charts as React elements', () => {
  it('render to the same SVG the export writes (attribute names mapped back and forth)', () => {
    const tree = renderChart(SPEC, { width: 500, height: 300 }, LIGHT_CHART_THEME);
    const react = renderToStaticMarkup(svgToReact(tree) as React.ReactElement);
    const file = toSvgMarkup(tree);
    // React leaves out xmlns (the document is HTML) and writes class; everything else matches.
    expect(attrs(react).filter((a) => !a.startsWith('xmlns='))).toEqual(
      attrs(file).filter((a) => !a.startsWith('xmlns=')),
    );
    expect(react).toContain('stroke-width="0.6"');
    expect(react).toContain('text-anchor="middle"');
    expect(react).toContain('data-series="single-cell"');
    expect(react).toContain('class="chart-title"');
  });
});
