/**
 * Charts are built as a small tree of SVG elements, not as a string or as React elements, so one
 * drawing serves both sides: the renderer turns the tree into React elements (live plots), and
 * `toSvgMarkup` turns it into a standalone SVG file (exports, the demo's PNGs through resvg).
 */

/** Attribute values; `undefined` leaves the attribute out. Names are SVG's own (`stroke-width`). */
export type SvgAttrs = Readonly<Record<string, string | number | undefined>>;

export interface SvgElement {
  readonly tag: string;
  readonly attrs: SvgAttrs;
  readonly children: readonly SvgChild[];
}

/** A child is an element or text (escaped when written). */
export type SvgChild = SvgElement | string;

/** Builds an element; `null`/`false` children are dropped so callers can write conditions inline. */
export function svg(
  tag: string,
  attrs: SvgAttrs = {},
  ...children: (SvgChild | null | false | readonly SvgChild[])[]
): SvgElement {
  const flat: SvgChild[] = [];
  for (const c of children) {
    if (c === null || c === false) continue;
    if (Array.isArray(c)) flat.push(...(c as readonly SvgChild[]));
    else flat.push(c as SvgChild);
  }
  return { tag, attrs, children: flat };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Text and attribute values escaped for XML (a class named `a<b` must not break the file). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => XML_ESCAPES[ch]);
}

/** Numbers are written with at most two decimals: sub-pixel detail beyond that only adds bytes. */
export function svgNumber(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function attrText(attrs: SvgAttrs): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    out += ` ${k}="${escapeXml(typeof v === 'number' ? svgNumber(v) : v)}"`;
  }
  return out;
}

/** The tree as SVG markup (no XML declaration: browsers, Inkscape and resvg read it as is). */
export function toSvgMarkup(el: SvgElement): string {
  const open = `<${el.tag}${attrText(el.attrs)}`;
  if (el.children.length === 0) return `${open}/>`;
  const inner = el.children.map((c) => (typeof c === 'string' ? escapeXml(c) : toSvgMarkup(c))).join('');
  return `${open}>${inner}</${el.tag}>`;
}

/** Every element of the tree, depth first (tests and callers look things up by attribute). */
export function* walkSvg(el: SvgElement): Generator<SvgElement> {
  yield el;
  for (const c of el.children) if (typeof c !== 'string') yield* walkSvg(c);
}

/** The text content of an element and its descendants. */
export function svgText(el: SvgElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : svgText(c))).join('');
}

/**
 * Advance widths of DejaVu Sans (the bundled font) in em, by character class, rounded up a little:
 * layout reserves room for labels without measuring them, and a label must never be clipped.
 */
function charEm(ch: string): number {
  if (ch === ' ') return 0.32;
  if ("il.,:;!|'`".includes(ch)) return 0.3;
  if ('fjrtI()[]{}'.includes(ch)) return 0.42;
  if (ch >= '0' && ch <= '9') return 0.64;
  if ('mwMW%@'.includes(ch)) return 0.95;
  if (ch >= 'A' && ch <= 'Z') return 0.72;
  return 0.62;
}

/** Estimated drawn width of `text` at `fontSize` px in the bundled font. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * fontSize;
}
