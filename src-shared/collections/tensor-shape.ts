/**
 * A tensor's declared dims for people: fixed sizes as numbers, meaningful symbolic names (N, H, W,
 * batch, …) as written, and the names exporters invent for sizes they could not infer — torch's
 * `Sliceoutput_dim_1`, `Expandpred_boxes_dim_2`, onnxruntime's `unk__42` — as `?`, which is what they
 * mean: "decided at run time". The raw names stay in the JSON reports.
 */
export type Dim = number | string | null;

const GENERATED = [/_dim_\d+$/, /^unk__\d+$/, /^Unsqueeze\w*_\d+$/];

export function displayDim(d: Dim): string {
  if (d === null || d === '' || (typeof d === 'number' && d < 0)) return '?';
  if (typeof d === 'number') return String(d);
  return GENERATED.some((re) => re.test(d)) ? '?' : d;
}

/** `[N,1,H,W]` / `N×1×H×W` (with `separator` '×'); `?` when the model declares no shape. */
export function displayShape(shape: readonly Dim[] | null | undefined, separator = ','): string {
  return shape ? shape.map(displayDim).join(separator) : '?';
}
