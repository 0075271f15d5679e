/** The bars of a top-N chart: the largest names, and the rest summed into one last bar. */
import type { NamedCount } from './report-types.js';
import { BAR_COLOR, numberFormat, OTHER_BAR_COLOR } from './chart-base.js';

/** How many names the browser and language charts show before summing the rest into one bar. */
export const CHART_TOP_N = 15;

/** Bars of a chart: labels, values and per-bar colours. */
export interface BarSeries {
  labels: string[];
  values: number[];
  colors: string[];
  /** How many names the last bar sums up; 0 when every name has its own bar. */
  folded: number;
}

/**
 * Distinct learners per name, most first (ties by events, then name), limited to `top` bars plus one
 * "other (N more)" bar summing the users of the rest. Because one learner can use several
 * browsers or languages, that bar counts learner–name pairs, not distinct learners.
 * A single leftover name is shown as itself: a bar saying "other (1 more)" would hide it for nothing.
 */
export function usersSeries(counts: readonly NamedCount[], top = CHART_TOP_N): BarSeries {
  return topSeries(counts, 'users', top);
}

/**
 * Like {@link usersSeries}, by `events` or by `users`: the top names by that count (ties by the
 * other count, then name), the rest summed in one "other (N more)" bar. Summing events is exact;
 * summing users counts learner–name pairs.
 */
export function topSeries(counts: readonly NamedCount[], by: 'events' | 'users', top = CHART_TOP_N): BarSeries {
  const other = by === 'events' ? 'users' : 'events';
  const sorted = [...counts].sort((a, b) => b[by] - a[by] || b[other] - a[other] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown = sorted.length <= top + 1 ? sorted : sorted.slice(0, top);
  const rest = sorted.slice(shown.length);
  const labels = shown.map((c) => (c.name === '' ? '(empty)' : c.name));
  const values = shown.map((c) => c[by]);
  const colors = shown.map(() => BAR_COLOR);
  if (rest.length > 0) {
    labels.push(`other (${numberFormat.format(rest.length)} more)`);
    values.push(rest.reduce((sum, c) => sum + c[by], 0));
    colors.push(OTHER_BAR_COLOR);
  }
  return { labels, values, colors, folded: rest.length };
}
