/**
 * Colours and type of a chart. The renderer builds its theme from the MUI palette (charts follow
 * light and dark mode); exported files and the demo's PNGs use the light theme, as printed
 * figures do.
 */
export interface ChartTheme {
  /** Fill behind the whole chart. */
  background: string;
  /** Title, legend and axis titles. */
  text: string;
  /** Tick labels and notes. */
  mutedText: string;
  /** Axis lines and tick marks. */
  axis: string;
  /** Grid lines inside the plot. */
  grid: string;
  /** A dark-on-light (or light-on-dark) edge drawn around series colours too close to the background. */
  casing: string;
  fontFamily: string;
}

/** The bundled font first (resvg loads only it), then what every OS has. */
export const CHART_FONT_FAMILY = "'DejaVu Sans', 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/** Light: text ≥ 7:1 and ticks ≥ 4.5:1 against white (WCAG AA for small text). */
export const LIGHT_CHART_THEME: ChartTheme = {
  background: '#ffffff',
  text: '#1f1f1f',
  mutedText: '#595959',
  axis: '#6b6b6b',
  grid: '#e3e3e3',
  casing: '#3a3a3a',
  fontFamily: CHART_FONT_FAMILY,
};

/** Dark: MUI's dark paper (#121212) with its text colours, so a chart sits in its card seamlessly. */
export const DARK_CHART_THEME: ChartTheme = {
  background: '#121212',
  text: '#f2f2f2',
  mutedText: '#b3b3b3',
  axis: '#9e9e9e',
  grid: '#333333',
  casing: '#e0e0e0',
  fontFamily: CHART_FONT_FAMILY,
};

/**
 * Colours of series that are not object classes (processes on the memory chart): Paul Tol's
 * "bright" scheme, distinct for colour-blind readers and readable on white and on #121212.
 */
export const SERIES_COLOURS: readonly string[] = [
  '#4477aa',
  '#ee6677',
  '#228833',
  '#ccbb44',
  '#66ccee',
  '#aa3377',
  '#bbbbbb',
];

/** PI-positive red, as the app's secondary colour and the Viewer's PI channel. */
export const PI_POSITIVE_COLOUR = '#d32f2f';

function channel(hex: string, i: number): number {
  return parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
}

/** WCAG relative luminance of a `#rrggbb` colour (anything else counts as mid grey). */
export function luminance(hex: string): number {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return 0.2;
  const [r, g, b] = [0, 1, 2].map((i) => {
    const s = channel(hex, i);
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * Whether a series colour needs a casing on this theme: below 3:1 against the background (WCAG's
 * floor for graphics), a yellow or sky-blue line on white cannot be followed.
 */
export function needsCasing(colour: string, theme: ChartTheme): boolean {
  return contrastRatio(colour, theme.background) < 3;
}
