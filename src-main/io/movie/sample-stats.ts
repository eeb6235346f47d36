/**
 * A channel's values over a sample of planes, for contrast limits that hold for a whole movie (the
 * Viewer) or a whole run (QC tiles). One plane is decoded at a time; 8- and 16-bit data is counted
 * in one pass, other dtypes in two (their range first, then the histogram), so memory stays at one
 * plane whatever the sample.
 */
import type { ChannelContrastStats } from '../../../src-shared/api';
import { contrastStatsOf, integerDomain, ValueHistogram } from '../../../src-shared/viewer';
import type { PixelSource } from '../../../src-shared/io';

const INTEGER_DTYPES = new Set(['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32']);

/**
 * Histogram, range and 1–99.8 % contrast of channel `channel` over planes `ts` (time indices of
 * `source`, z = 0). Rejects as `readPlane` does (bad index, aborted signal).
 */
export async function sampleStats(
  source: PixelSource,
  channel: number,
  ts: readonly number[],
  signal?: AbortSignal,
): Promise<ChannelContrastStats> {
  if (ts.length === 0) throw new RangeError('no planes to sample');
  const read = (t: number) => source.readPlane({ t, c: channel }, signal).then((p) => p.data);
  const domain = integerDomain(source.info.dtype);
  let min = Infinity;
  let max = -Infinity;
  const widen = (data: ArrayLike<number>) => {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < min && v !== -Infinity) min = v; // NaN compares false both ways: never taken
      if (v > max && v !== Infinity) max = v;
    }
  };
  let hist: ValueHistogram;
  if (domain) {
    hist = ValueHistogram.over(domain.lo, domain.hi, true);
    for (const t of ts) {
      const data = await read(t);
      widen(data);
      hist.add(data);
    }
  } else {
    for (const t of ts) widen(await read(t));
    if (!Number.isFinite(min)) {
      min = 0;
      max = 0;
    }
    hist = ValueHistogram.over(min, max, INTEGER_DTYPES.has(source.info.dtype));
    for (const t of ts) hist.add(await read(t));
  }
  if (!Number.isFinite(min)) [min, max] = [0, 0];
  return contrastStatsOf(hist, { channel, frames: [...ts], min, max });
}
