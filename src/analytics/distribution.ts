/**
 * Nearest-rank statistics (SPEC §5, §6.4) over distributions given as sorted values or as
 * histograms (value → how many), the form in which partitions ship session durations.
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
 * Merges histograms given as `[value, count]` pairs into one, ascending by value.
 */
export function mergeHistograms(histograms: Iterable<ReadonlyArray<readonly [number, number]>>): Array<[number, number]> {
  const counts = new Map<number, number>();
  for (const histogram of histograms) {
    for (const [value, count] of histogram) counts.set(value, (counts.get(value) ?? 0) + count);
  }
  return [...counts.entries()].sort((a, b) => a[0] - b[0]);
}

/** {@link sortedStats} of an ascending histogram (`[value, count]` pairs, counts > 0). */
export function histogramStats(histogram: ReadonlyArray<readonly [number, number]>, scale = 1): DistributionStats {
  let n = 0;
  let sum = 0;
  for (const [value, count] of histogram) {
    n += count;
    sum += value * count;
  }
  if (n === 0) return { ...EMPTY_STATS };
  const at = (percent: number): number => {
    const position = nearestRankPosition(n, percent);
    let seen = 0;
    for (const [value, count] of histogram) {
      seen += count;
      if (seen >= position) return value / scale;
    }
    return (histogram[histogram.length - 1] as readonly [number, number])[0] / scale;
  };
  return { median: at(50), mean: sum / (n * scale), p90: at(90), max: (histogram[histogram.length - 1] as readonly [number, number])[0] / scale };
}
