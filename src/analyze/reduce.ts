/**
 * The exact reduce: turns the partition jobs' partial results into the report.
 *
 * Partitions are user-disjoint, so every count, distinct users included, adds up exactly across
 * partials; nothing here is an estimate. The function is pure and deterministic: the same partials
 * in any order give the same report, because every list is fully sorted on a unique key.
 */
import { resolveAnalysisSettings, type AnalysisSettings } from '../analytics/analysis-settings.js';
import { nearestRank } from '../analytics/distribution.js';
import { InternalError } from '../errors.js';
import type { ActivityStats, CdfPoint, NamedCount, Report, Summary, UserAgentRow, UserClicks } from '../report/report-types.js';
import type { PartialResult } from '../run/partial-result.js';
import type { InputCounts } from '../types.js';
import { compareCodePoints, sortCodePoints } from '../util/compare.js';
import { mergeCounts } from './merge-counts.js';
import { reduceAnalytics } from './reduce-analytics.js';

/** Options of {@link reducePartials}. */
export interface ReduceOptions {
  /** How many learners `summary.topUsers` lists (a non-negative integer, or Infinity for all). */
  top: number;
  /** The run's analysis settings (zone, filter, session gap). Default: UTC, no filter, 30 minutes. */
  settings?: AnalysisSettings;
}

/**
 * Order of every NamedCount list: users desc, then events desc, then name asc by code point (the
 * order DuckDB's `ORDER BY name` gives, so SQL cross-checks line up).
 */
export function compareNamedCounts(a: NamedCount, b: NamedCount): number {
  return b.users - a.users || b.events - a.events || compareCodePoints(a.name, b.name);
}

/** Order of the user agent table: users desc, events desc, then user agent asc by code point. */
export function compareUserAgentRows(a: UserAgentRow, b: UserAgentRow): number {
  return b.users - a.users || b.events - a.events || compareCodePoints(a.userAgent, b.userAgent);
}

/**
 * Merges NamedCount lists by name, summing events and users (exact, since partitions are
 * user-disjoint), and returns the merged list in report order. The inputs are not modified.
 */
export function mergeNamedCounts(lists: Iterable<readonly NamedCount[]>): NamedCount[] {
  return mergeCounts(lists, (c) => c.name, compareNamedCounts);
}

/**
 * Merges user agent rows by raw user agent, summing events and users, and returns them in report
 * order. The same string must have been classified the same way in every partition (the
 * classifier is deterministic); if not, something upstream is broken and this throws.
 *
 * @throws InternalError when two rows for the same user agent disagree on browser, OS or device.
 */
export function mergeUserAgentRows(lists: Iterable<readonly UserAgentRow[]>): UserAgentRow[] {
  const byAgent = new Map<string, UserAgentRow>();
  for (const list of lists) {
    for (const row of list) {
      const merged = byAgent.get(row.userAgent);
      if (merged === undefined) {
        byAgent.set(row.userAgent, { ...row });
        continue;
      }
      if (merged.browser !== row.browser || merged.os !== row.os || merged.device !== row.device) {
        throw new InternalError(
          `user agent ${JSON.stringify(row.userAgent)} was classified differently by two partitions: ` +
            `${describeClass(merged)} vs ${describeClass(row)}`,
        );
      }
      merged.events += row.events;
      merged.users += row.users;
    }
  }
  return [...byAgent.values()].sort(compareUserAgentRows);
}

function describeClass(row: UserAgentRow): string {
  return `${row.browser}/${row.os}/${row.device}`;
}

/**
 * Activity statistics over per-learner click counts given in ascending order: min, max,
 * mean (Σ/n, not rounded), nearest-rank median/p90/p99, and the CDF with one point per distinct
 * click count. All zeros and an empty CDF for zero learners.
 */
export function activityStats(sortedClicks: ArrayLike<number>): ActivityStats {
  const n = sortedClicks.length;
  if (n === 0) return { min: 0, median: 0, mean: 0, p90: 0, p99: 0, max: 0, cdf: [] };
  let sum = 0;
  const cdf: CdfPoint[] = [];
  for (let i = 0; i < n; i++) {
    const clicks = sortedClicks[i] as number;
    sum += clicks;
    // The last occurrence of a value closes its CDF step: i + 1 learners have clicks ≤ it.
    if (i === n - 1 || sortedClicks[i + 1] !== clicks) cdf.push({ clicks, users: i + 1, fraction: (i + 1) / n });
  }
  return {
    min: sortedClicks[0] as number,
    median: nearestRank(sortedClicks, 50),
    mean: sum / n,
    p90: nearestRank(sortedClicks, 90),
    p99: nearestRank(sortedClicks, 99),
    max: sortedClicks[n - 1] as number,
    cdf,
  };
}

/**
 * Every learner of every partial in report order (clicks desc, then username asc by code point),
 * plus their click counts in ascending order for {@link activityStats}.
 *
 * Checks on the way that each username appears once (partitions are user-disjoint by
 * construction, so a repeat is a bug upstream) and that each click count is a non-negative safe
 * integer.
 *
 * Sorted by bucketing on the click count rather than with one comparator sort of a million
 * objects: the distinct counts are few, the string sorts then only run within a bucket, and
 * {@link sortCodePoints} can use the engine's native string sort. This is several times faster
 * than one comparator sort (clicks desc, then username by code point) and gives exactly the same order.
 */
export function sortLearners(partials: readonly PartialResult[]): { users: UserClicks[]; sortedClicks: Float64Array } {
  const seen = new Set<string>();
  const buckets = new Map<number, string[]>();
  let learnerCount = 0;
  for (const partial of partials) {
    for (const { username, clicks } of partial.clicks) {
      if (seen.has(username)) throw duplicateLearner(partials, partial, username);
      seen.add(username);
      if (!Number.isSafeInteger(clicks) || clicks < 0) {
        throw new InternalError(
          `learner ${JSON.stringify(username)} in partition ${partial.partition} has an invalid click count ${String(clicks)}`,
        );
      }
      const bucket = buckets.get(clicks);
      if (bucket === undefined) buckets.set(clicks, [username]);
      else bucket.push(username);
      learnerCount++;
    }
  }

  // Float64Array sorts numerically (and holds every safe integer exactly).
  const distinct = Float64Array.from(buckets.keys()).sort();
  const users = new Array<UserClicks>(learnerCount);
  const sortedClicks = new Float64Array(learnerCount);
  let descending = 0;
  let ascending = learnerCount;
  for (let d = distinct.length - 1; d >= 0; d--) {
    const clicks = distinct[d] as number;
    const names = sortCodePoints(buckets.get(clicks) as string[]);
    for (const username of names) users[descending++] = { username, clicks };
    ascending -= names.length;
    sortedClicks.fill(clicks, ascending, ascending + names.length);
  }
  return { users, sortedClicks };
}

/** The error for a username seen twice: finds where it was first seen (error path only). */
function duplicateLearner(partials: readonly PartialResult[], second: PartialResult, username: string): InternalError {
  const first = partials.find((p) => p.clicks.some((c) => c.username === username));
  return new InternalError(
    `learner ${JSON.stringify(username)} appears in partition ${first?.partition ?? '?'} and again in partition ${second.partition}; ` +
      'partitions must be user-disjoint',
  );
}

/**
 * Reduces the partials of every partition into the report.
 *
 * - summary events/users: sums over partials; `input` is copied;
 * - browsers/os/devices/languages: merged by name ({@link mergeNamedCounts});
 * - user agents: merged by raw string ({@link mergeUserAgentRows});
 * - users: every learner of every partial, clicks desc then username asc; `topUsers` is the
 *   first `options.top` of them;
 * - activity: over all learners' click counts ({@link activityStats});
 * - the learning analytics (DATA-CONTRACT §6): {@link reduceAnalytics}.
 *
 * Runs in O(L log L + A log A) for L learners and A distinct agents, with few string comparisons
 * (see {@link sortLearners}).
 *
 * @throws InternalError when a learner appears twice (in two partials, or twice in one), when a
 *   click count is not a non-negative safe integer, when two partials classify the same agent
 *   differently, or when `options.top` is invalid. All are bugs upstream, never bad input.
 */
export function reducePartials(partials: readonly PartialResult[], input: InputCounts, options: ReduceOptions): Report {
  const { top } = options;
  if (!(top === Infinity || (Number.isInteger(top) && top >= 0))) {
    throw new InternalError(`top must be a non-negative integer, got ${top}`);
  }

  let events = 0;
  let users = 0;
  for (const partial of partials) {
    events += partial.events;
    users += partial.users;
  }

  const { users: allUsers, sortedClicks } = sortLearners(partials);
  const analytics = reduceAnalytics(partials, allUsers, options.settings ?? resolveAnalysisSettings({}));
  const { filter, ...analyticsSummary } = analytics.summary;
  const settings = options.settings ?? resolveAnalysisSettings({});
  // Courses (DATA-CONTRACT §7): for formats whose events name them; learners are partition-disjoint, so
  // a course's learners add up exactly across partitions.
  const courses = partials.some((p) => p.analytics.courses !== undefined)
    ? mergeNamedCounts(partials.map((p) => p.analytics.courses ?? []))
    : undefined;
  let course: Summary['course'];
  if (settings.course !== undefined) {
    let otherEvents = 0;
    for (const p of partials) otherEvents += p.outsideCourse ?? 0;
    course = { id: settings.course, otherEvents };
  }
  return {
    summary: {
      events,
      users,
      input: { ...input, rejected: { ...input.rejected } },
      browsers: mergeNamedCounts(partials.map((p) => p.browsers)),
      os: mergeNamedCounts(partials.map((p) => p.os)),
      devices: mergeNamedCounts(partials.map((p) => p.devices)),
      languages: mergeNamedCounts(partials.map((p) => p.languages)),
      activity: activityStats(sortedClicks),
      topUsers: allUsers.slice(0, top).map((u) => ({ ...u })),
      ...(filter ? { filter } : {}),
      ...analyticsSummary,
      ...(course ? { course } : {}),
      ...(courses ? { courses } : {}),
    },
    users: allUsers,
    userAgents: mergeUserAgentRows(partials.map((p) => p.userAgents)),
    eventTypes: analytics.eventTypes,
    sections: analytics.sections,
    referrers: analytics.referrers,
    daily: analytics.daily,
    hourOfWeek: analytics.hourOfWeek,
    retention: analytics.retention,
    sessionDurations: analytics.sessionDurations,
    videos: analytics.videos,
    learners: analytics.learners,
    ...(courses ? { courses } : {}),
  };
}
