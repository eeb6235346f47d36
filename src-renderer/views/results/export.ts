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

/** Renders an SVG element to a PNG (2× its drawn size, white background) and downloads it. */
export async function downloadSvgAsPng(svg: SVGSVGElement, fileName: string): Promise<void> {
  const box = svg.getBoundingClientRect();
  const width = Math.max(1, Math.round(box.width));
  const height = Math.max(1, Math.round(box.height));
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const url = URL.createObjectURL(
    new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }),
  );
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the plot could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = width * 2;
    canvas.height = height * 2;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(2, 2);
    ctx.drawImage(img, 0, 0, width, height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the browser could not encode the PNG');
    download(blob, fileName);
  } finally {
    URL.revokeObjectURL(url);
  }
}
