/**
 * The one palette of object classes, used wherever a class is drawn: Viewer outlines and legend,
 * QC tiles and keys, Results plots, and the demo's PNG previews. A class has the same colour
 * everywhere.
 *
 * The five classes of HiTMicTools get fixed colours from Okabe & Ito's colour-blind-safe set
 * ("Color Universal Design", 2002): they stay distinct for protan, deutan and tritan viewers,
 * and are saturated enough to read as outlines on a grey bright-field frame, on the dark QC crop
 * tiles and on the white plots. Vermillion, the eighth Okabe–Ito colour besides black, is kept
 * out of the five because the Viewer draws PI fluorescence in red over the bright field.
 */
import type { Rgb } from './colormap';

/** Fixed colours of HiTMicTools' classes, in its class order (codes 0–4). */
export const CLASS_COLOURS: Readonly<Record<string, Rgb>> = {
  // Sky blue: the class seen most gets the brightest of the blues.
  'single-cell': [86, 180, 233],
  clump: [230, 159, 0], // orange
  noise: [204, 121, 167], // reddish purple
  // Blue: off-focus cells are often a blur of PI red, which hides a purple outline.
  'off-focus': [0, 114, 178],
  'joint-cell': [0, 158, 115], // bluish green
};

/** Objects without a class (segmentation without a classifier, or an empty object_class). */
export const UNCLASSIFIED_COLOUR: Rgb = [240, 228, 66]; // Okabe–Ito yellow

/** How legends name objects without a class. */
export const UNCLASSIFIED_NAME = 'unclassified';

/**
 * Colours of classes a collection adds beyond the five, chosen by a hash of the name: vermillion
 * (Okabe–Ito), then pink and olive (Paul Tol's light and muted schemes) and a brown, each far from
 * the fixed colours for colour-blind viewers too. Two added classes may share one; legends and
 * hover name them.
 */
export const OTHER_CLASS_COLOURS: readonly Rgb[] = [
  [213, 94, 0],
  [255, 170, 187],
  [153, 153, 51],
  [140, 81, 10],
];

/** Colour of a class name: fixed for the five, stable per name for others, yellow for none. */
export function classColour(className: string | undefined): Rgb {
  if (!className) return UNCLASSIFIED_COLOUR;
  const fixed = CLASS_COLOURS[className];
  if (fixed) return fixed;
  let h = 0;
  for (let i = 0; i < className.length; i++) h = (h * 31 + className.charCodeAt(i)) >>> 0;
  return OTHER_CLASS_COLOURS[h % OTHER_CLASS_COLOURS.length];
}

/** CSS hex (`#rrggbb`) of a colour, for SVG and style props. */
export function cssColour(rgb: Rgb): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** `classColour` as CSS hex. */
export function classCss(className: string | undefined): string {
  return cssColour(classColour(className));
}

/**
 * Black or white, whichever reads better on `rgb` (WCAG relative luminance): white text is
 * unreadable on the light sky blue, orange and yellow of this palette.
 */
export function inkOn(rgb: Rgb): '#000' | '#fff' {
  const [r, g, b] = rgb.map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Equal contrast against black and white at L = 0.179: (L + 0.05) / 0.05 = 1.05 / (L + 0.05).
  return luminance > 0.179 ? '#000' : '#fff';
}

/** Legend entries: the five classes in HiTMicTools' order, then 'unclassified'. */
export function classLegend(): { name: string; colour: Rgb }[] {
  return [
    ...Object.entries(CLASS_COLOURS).map(([name, colour]) => ({ name, colour })),
    { name: UNCLASSIFIED_NAME, colour: UNCLASSIFIED_COLOUR },
  ];
}
