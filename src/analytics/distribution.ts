/**
 * Nearest-rank statistics (SPEC §5, §6.4) over sorted values, and the expansion of the histograms
 * (value → how many) in which partitions ship session durations.
 */
import { nearestRankPosition } from '../analyze/reduce.js';
import type { DistributionStats } from '../types.js';

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
