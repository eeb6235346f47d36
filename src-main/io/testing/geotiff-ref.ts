/**
 * Test helper: decodes every page of a TIFF with geotiff.js (an independent implementation) so
 * tests can compare pixels. Returns one entry per page: width, height and one array per sample.
 */
export interface RefPage {
  width: number;
  height: number;
  samples: ArrayLike<number>[];
}

export async function geotiffPages(file: string, maxPages = 64): Promise<RefPage[]> {
  const geotiff = await import('geotiff');
  const tiff = await geotiff.fromFile(file);
  try {
    const n = Math.min(await tiff.getImageCount(), maxPages);
    const pages: RefPage[] = [];
    for (let i = 0; i < n; i++) {
      const img = await tiff.getImage(i);
      const rasters = (await img.readRasters({ interleave: false })) as unknown as ArrayLike<number>[];
      pages.push({ width: img.getWidth(), height: img.getHeight(), samples: Array.from(rasters) });
    }
    return pages;
  } finally {
    await tiff.close();
  }
}
