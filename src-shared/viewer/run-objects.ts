import type { PreviewObject } from '../api';
import type { ResultTable } from '../api';

/** Objects per frame from a run's `{movie}_fl.csv`, with class, confidence, PI status and track. */
export function objectsByFrame(table: ResultTable): Map<number, PreviewObject[]> {
  const col = (name: string) => table.columns.indexOf(name);
  const [fi, li, ai, ci, pi, ti, ki] = [
    'frame',
    'label',
    'area',
    'object_class',
    'class_prob',
    'pi_class',
    'trackid',
  ].map(col);
  if (fi < 0 || li < 0)
    throw new Error("the run's table has no frame/label columns; is it a HiTMic Studio _fl.csv?");
  const out = new Map<number, PreviewObject[]>();
  for (const r of table.rows) {
    const frame = Number(r[fi]);
    const o: PreviewObject = {
      label: Number(r[li]),
      area: ai >= 0 ? Number(r[ai]) : 0,
      className: ci >= 0 && r[ci] !== null ? String(r[ci]) : undefined,
      confidence: pi >= 0 && typeof r[pi] === 'number' ? r[pi] : undefined,
      piClass: ti >= 0 && r[ti] !== null ? String(r[ti]) : undefined,
      trackId: ki >= 0 && typeof r[ki] === 'number' ? r[ki] : undefined,
    };
    (out.get(frame) ?? out.set(frame, []).get(frame)!).push(o);
  }
  return out;
}
