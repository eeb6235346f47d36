/**
 * Axis ticks and their labels: steps of 1, 2 or 5 × 10^k (2.5 too where asked), labels with as
 * many decimals as the step needs and no more, clock times on time axes.
 */

/** Rounds away binary noise (0.1 + 0.2) so ticks print as the decimals they are. */
export function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/**
 * The smallest "nice" step ≥ `raw`: 1, 2 or 5 × 10^k, and 2.5 × 10^k when `allowQuarter` (bins of
 * 25 read well; ticks of 2.5 do not). `integer` keeps steps ≥ 1 and whole.
 */
export function niceStep(raw: number, opts: { allowQuarter?: boolean; integer?: boolean } = {}): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const factors = opts.allowQuarter ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10];
  for (const f of factors) {
    const step = clean(f * mag);
    if (step < raw * (1 - 1e-9)) continue;
    if (opts.integer && (step < 1 || !Number.isInteger(step))) continue;
    return step;
  }
  return opts.integer ? Math.max(1, Math.ceil(raw)) : clean(10 * mag);
}

export interface LinearTicks {
  /** Tick values, ascending, each a multiple of `step`, all within [lo, hi]. */
  values: number[];
  step: number;
  /** The domain, widened to the next ticks when asked (`nice`). */
  lo: number;
  hi: number;
}

/**
 * About `target` ticks between `lo` and `hi`: at most `target + 1` of them, or with `nice` at most
 * `target + 1` intervals, the domain widened outwards to the enclosing ticks so that the top of a
 * count axis is a labelled line.
 * `integer` forbids fractional steps (counts of objects, frame numbers).
 */
export function linearTicks(
  lo: number,
  hi: number,
  target = 5,
  opts: { nice?: boolean; integer?: boolean } = {},
): LinearTicks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { values: [], step: 1, lo: 0, hi: 1 };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    // One value: a unit around it, so it sits on a labelled tick mid-axis.
    const pad = lo === 0 ? 1 : niceStep(Math.abs(lo) / 10, { integer: opts.integer });
    return linearTicks(lo - pad, hi + pad, target, opts);
  }
  const n = Math.max(1, Math.floor(target));
  // The finest nice step that keeps the tick count within target + 1 (Heckbert's rule widened
  // the domain by up to a third: 0–101 became 0–150; this gives 0–120).
  const count = (s: number) =>
    opts.nice
      ? Math.ceil(hi / s - 1e-9) - Math.floor(lo / s + 1e-9)
      : Math.floor(hi / s + 1e-9) - Math.ceil(lo / s - 1e-9) + 1;
  let step = niceStep((hi - lo) / n / 2.5, { integer: opts.integer });
  while (count(step) > n + 1) step = niceStep(step * 1.0001, { integer: opts.integer });
  const first = opts.nice ? Math.floor(lo / step + 1e-9) * step : Math.ceil(lo / step - 1e-9) * step;
  const last = opts.nice ? Math.ceil(hi / step - 1e-9) * step : Math.floor(hi / step + 1e-9) * step;
  const values: number[] = [];
  for (let k = 0; first + k * step <= last + step * 1e-9; k++) values.push(clean(first + k * step));
  return opts.nice ? { values, step, lo: clean(first), hi: clean(last) } : { values, step, lo, hi };
}

/** Decimals a tick label needs to tell ticks `step` apart (0 for steps ≥ 1). */
export function stepDecimals(step: number): number {
  if (!(step > 0)) return 0;
  for (let d = 0; d <= 10; d++) if (Math.abs(step * 10 ** d - Math.round(step * 10 ** d)) < 1e-6) return d;
  return 10;
}

/**
 * A tick label: the decimals of the step (0.5, 1.0, 1.5 — not 0.5, 1, 1.5), a real minus sign,
 * and thin-space thousands groups from 10 000 up so large areas read at a glance.
 */
export function formatTick(v: number, step: number): string {
  const text = Math.abs(v).toFixed(stepDecimals(step));
  const [whole, frac] = text.split('.');
  const grouped = whole.length > 4 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009') : whole;
  const sign = v < 0 && Number(text) !== 0 ? '\u2212' : '';
  return `${sign}${grouped}${frac ? `.${frac}` : ''}`;
}

/** Steps of a clock axis, in seconds: whole seconds, minutes and hours a reader counts in. */
const TIME_STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

export interface TimeTicks {
  /** Tick times in ms since the epoch, ascending, within [t0, t1]. */
  values: number[];
  labels: string[];
  stepS: number;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Ticks on a clock axis between `t0Ms` and `t1Ms`: on whole local seconds/minutes/hours
 * (`tzOffsetMin` as `Date#getTimezoneOffset` gives it: minutes to add to local time for UTC),
 * labelled `hh:mm:ss` for steps under a minute and `hh:mm` otherwise.
 */
export function timeTicks(t0Ms: number, t1Ms: number, target = 6, tzOffsetMin = 0): TimeTicks {
  if (!(t1Ms > t0Ms)) t1Ms = t0Ms + 1000;
  const raw = (t1Ms - t0Ms) / 1000 / Math.max(1, target);
  const stepS = TIME_STEPS_S.find((s) => s >= raw) ?? Math.ceil(raw / 86400) * 86400;
  const stepMs = stepS * 1000;
  const shift = -tzOffsetMin * 60_000; // UTC → local wall clock
  const first = Math.ceil((t0Ms + shift) / stepMs) * stepMs - shift;
  const values: number[] = [];
  const labels: string[] = [];
  for (let t = first; t <= t1Ms; t += stepMs) {
    values.push(t);
    const local = new Date(t + shift);
    const hm = `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}`;
    labels.push(stepS < 60 ? `${hm}:${pad2(local.getUTCSeconds())}` : hm);
  }
  return { values, labels, stepS };
}

/** An axis label with its unit in parentheses, as journals print them: `area (px)`. */
export function axisTitle(label: string, unit?: string): string {
  return unit ? `${label} (${unit})` : label;
}
