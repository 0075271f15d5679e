/**
 * Nearest-rank statistics (DATA-CONTRACT §5, §6.4) over sorted values, and the expansion of the histograms
 * (value → how many) in which partitions ship session durations.
 */
import { InternalError } from '../errors.js';
import type { DistributionStats } from '../report/report-types.js';

/**
 * 1-based position of the nearest-rank percentile `percent` (an integer 0–100) among `n` sorted
 * values: ⌈percent·n/100⌉, at least 1 (0 when n is 0).
 *
 * Integer arithmetic on purpose: `0.9 * 10` is 9.000000000000002 in floating point, and
 * `Math.ceil` of it would give position 10 instead of 9. `floor((p·n + 99) / 100)` is exact for
 * any n up to 2^53 / 100.
 */
export function nearestRankPosition(n: number, percent: number): number {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new InternalError(`percentile must be an integer from 0 to 100, got ${percent}`);
  }
  if (n <= 0) return 0;
  return Math.max(1, Math.floor((percent * n + 99) / 100));
}

/** The nearest-rank `percent` percentile of ascending `sorted` values; 0 when empty. */
export function nearestRank(sorted: ArrayLike<number>, percent: number): number {
  const position = nearestRankPosition(sorted.length, percent);
  return position === 0 ? 0 : (sorted[position - 1] as number);
}

/** All-zero statistics of an empty distribution. */
export const EMPTY_STATS: Readonly<DistributionStats> = Object.freeze({ median: 0, mean: 0, p90: 0, max: 0 });

/**
 * Median, p90 (nearest rank), mean and max of ascending `sorted` values, each divided by `scale`
 * (1000 turns ms into seconds). The mean is one division of the exact integer sum by `n·scale`,
 * so it is the true mean correctly rounded. All 0 when empty.
 */
export function sortedStats(sorted: ArrayLike<number>, scale = 1): DistributionStats {
  const n = sorted.length;
  if (n === 0) return { ...EMPTY_STATS };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] as number;
  const at = (percent: number): number => (sorted[nearestRankPosition(n, percent) - 1] as number) / scale;
  return { median: at(50), mean: sum / (n * scale), p90: at(90), max: (sorted[n - 1] as number) / scale };
}

/**
 * Every value of the histograms (`[value, count]` pairs), repeated `count` times, ascending: one
 * typed array sorts natively, far faster than merging maps of keys.
 */
export function expandHistograms(histograms: Iterable<ReadonlyArray<readonly [number, number]>>): Float64Array {
  const lists = [...histograms];
  let n = 0;
  for (const histogram of lists) for (const [, count] of histogram) n += count;
  const values = new Float64Array(n);
  let i = 0;
  for (const histogram of lists) {
    for (const [value, count] of histogram) {
      values.fill(value, i, i + count);
      i += count;
    }
  }
  return values.sort();
}
