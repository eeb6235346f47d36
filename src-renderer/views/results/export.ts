import {
  EXPORT_SIZE,
  LIGHT_CHART_THEME,
  renderChart,
  toSvgMarkup,
  type ChartSpec,
} from '../../../src-shared/charts';
import { formatCsv } from '../../../src-shared/io';
import type { ResultCell } from '../../../src-shared/api';

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, fileName: string, type = 'text/csv'): void {
  download(new Blob([text], { type }), fileName);
}

/** A table as a CSV download, formulas neutralised: it is meant to be opened in a spreadsheet. */
export function downloadCsv(
  columns: readonly string[],
  rows: readonly (readonly ResultCell[])[],
  fileName: string,
): void {
  downloadText(formatCsv(columns, rows, { spreadsheetSafe: true }), fileName);
}

/**
 * A chart as a standalone SVG file: drawn from its spec at the export size in the light theme
 * (figures go on white paper whatever the app's mode), with title, legend, axes and units.
 */
export function chartSvgFile(spec: ChartSpec): { markup: string; width: number; height: number } {
  const root = renderChart(spec, EXPORT_SIZE, LIGHT_CHART_THEME);
  return { markup: toSvgMarkup(root), width: Number(root.attrs.width), height: Number(root.attrs.height) };
}

export function downloadChartSvg(spec: ChartSpec, fileName: string): void {
  download(new Blob([chartSvgFile(spec).markup], { type: 'image/svg+xml' }), fileName);
}

/**
 * A chart as PNG at twice its export size: the browser draws the SVG file on a canvas (its own
 * SVG renderer and fonts), which encodes it.
 */
export async function downloadChartPng(spec: ChartSpec, fileName: string, scale = 2): Promise<void> {
  const { markup, width, height } = chartSvgFile(spec);
  await downloadSvgMarkupAsPng(markup, { width, height }, fileName, `the chart "${spec.title}"`, scale);
}

/** A drawing already on the page (the lineage tree) as PNG at twice its size on screen, on white. */
export async function downloadSvgAsPng(svg: SVGSVGElement, fileName: string, what: string): Promise<void> {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  await downloadSvgMarkupAsPng(
    new XMLSerializer().serializeToString(clone),
    { width, height },
    fileName,
    what,
  );
}

async function downloadSvgMarkupAsPng(
  markup: string,
  size: { width: number; height: number },
  fileName: string,
  what: string,
  scale = 2,
): Promise<void> {
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error(`the browser could not draw ${what} as an image`));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = size.width * scale;
    canvas.height = size.height * scale;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('the browser gave no 2D canvas to draw the PNG on');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error(`the browser could not encode ${what} as PNG`);
    download(blob, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}
