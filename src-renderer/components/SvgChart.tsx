import { Box, useTheme } from '@mui/material';
import {
  createElement,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';
import {
  DARK_CHART_THEME,
  LIGHT_CHART_THEME,
  renderChart,
  svgNumber,
  type ChartSpec,
  type ChartTheme,
  type SvgElement,
} from '../../src-shared/charts';

/** React names of SVG attributes: `stroke-width` → `strokeWidth`, `class` → `className`. */
function reactName(name: string): string {
  if (name === 'class') return 'className';
  if (name.startsWith('data-') || name.startsWith('aria-')) return name;
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The chart tree as React elements (the same tree `toSvgMarkup` writes to files). */
export function svgToReact(el: SvgElement, key?: number): ReactNode {
  const props: Record<string, string | number> = {};
  if (key !== undefined) props.key = key;
  for (const [k, v] of Object.entries(el.attrs))
    if (v !== undefined && k !== 'xmlns')
      props[reactName(k)] = typeof v === 'number' ? Number(svgNumber(v)) : v;
  const children = el.children.map((c, i) => (typeof c === 'string' ? c : svgToReact(c, i)));
  return createElement(el.tag, props, ...children);
}

/** The chart theme of the app's MUI theme: charts follow light and dark mode. */
export function useChartTheme(): ChartTheme {
  const mode = useTheme().palette.mode;
  return mode === 'dark' ? DARK_CHART_THEME : LIGHT_CHART_THEME;
}

/** The width of an element in CSS px, kept current as the window or the layout changes. */
function useWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.clientWidth));
    const ro = new ResizeObserver(() => setWidth(Math.floor(el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/**
 * A chart laid out at the width it is shown at (text at its true size, no letterboxing), `height`
 * px tall, in the app's light or dark theme.
 */
export function SvgChart({ spec, height, testId }: { spec: ChartSpec; height: number; testId?: string }) {
  const theme = useChartTheme();
  const [ref, width] = useWidth();
  const tree = useMemo(
    () => (width > 0 ? renderChart(spec, { width, height }, theme) : null),
    [spec, width, height, theme],
  );
  return (
    <Box ref={ref} sx={{ width: '100%', minHeight: height, lineHeight: 0 }} data-testid={testId}>
      {tree && svgToReact(tree)}
    </Box>
  );
}
