/**
 * Descriptive statistics with the semantics of pandas `Series.describe()` on a numeric column:
 * nulls are skipped, `std` is the sample standard deviation (ddof 1), quartiles are interpolated
 * linearly between the closest ranks (numpy's default "linear" method). Pure: no I/O.
 */

/** The statistics of one field; every value is null when the field has no values. */
export interface FieldStats {
  /** Number of non-null values. */
  count: number;
  mean: number | null;
  /** Sample standard deviation; null below two values. */
  std: number | null;
  min: number | null;
  '25%': number | null;
  '50%': number | null;
  '75%': number | null;
  max: number | null;
}

/**
 * The `q` quantile (0 ≤ q ≤ 1) of `sorted` (ascending, non-empty) by linear interpolation: the
 * value at fractional rank h = (n − 1)·q, between x[⌊h⌋] and x[⌈h⌉]. Interpolates as numpy does
 * (from the lower neighbour below the midpoint, from the upper one at or above it), so results
 * agree with pandas to the last bit.
 */
export function quantileLinear(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  if (t === 0) return a;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Sum with Neumaier's compensation: the rounding error does not grow with the number of values. */
function accurateSum(values: readonly number[]): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** The mean; when the sum overflows (values near 1.8e308), the sum of the values divided by n first. */
function stableMean(xs: readonly number[]): number {
  const mean = accurateSum(xs) / xs.length;
  return Number.isFinite(mean) ? mean : accurateSum(xs.map((x) => x / xs.length));
}

/**
 * Sample standard deviation in two passes, as pandas does: squared deviations from the mean, not
 * the sum of squares formula, which cancels catastrophically for large values with small spread.
 * When a square overflows (a deviation above 1.3e154), the deviations are scaled by the largest
 * first, so the result is finite whenever the true one is; ordinary data keep pandas' exact bits.
 */
function sampleStd(xs: readonly number[], mean: number): number {
  const plain = Math.sqrt(accurateSum(xs.map((x) => (x - mean) ** 2)) / (xs.length - 1));
  if (Number.isFinite(plain)) return plain;
  // x − mean itself may overflow for values of opposite signs near the limit: halve both first.
  const deviations = xs.map((x) => x / 2 - mean / 2);
  const scale = Math.max(...deviations.map(Math.abs));
  return 2 * scale * Math.sqrt(accurateSum(deviations.map((d) => (d / scale) ** 2)) / (xs.length - 1));
}

/** describe() of the non-null values of `values`. */
export function describe(values: readonly (number | null)[]): FieldStats {
  const xs = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return { count: 0, mean: null, std: null, min: null, '25%': null, '50%': null, '75%': null, max: null };
  const mean = stableMean(xs);
  const std = n < 2 ? null : sampleStd(xs, mean);
  return {
    count: n,
    mean,
    std,
    min: xs[0]!,
    '25%': quantileLinear(xs, 0.25),
    '50%': quantileLinear(xs, 0.5),
    '75%': quantileLinear(xs, 0.75),
    max: xs[n - 1]!,
  };
}
