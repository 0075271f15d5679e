/**
 * `catalog-summary.json` (DATA-CONTRACT §8 "Report"): per platform and kind, the row count and describe()
 * statistics of enrolments, hours, price and rating. Pure: computed from rows already read.
 */
import type { CourseRecord } from '../course-record.js';
import { compareCodePoints } from '../../util/compare.js';
import { describe, type FieldStats } from './describe.js';

/** The fields summarised, in the order they appear in each group's `stats`. */
export const SUMMARY_FIELDS = ['enrolments', 'hours', 'price', 'rating'] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];

/** One platform and kind. */
export interface SummaryGroup {
  platform: string;
  kind: string;
  /** Rows in the group (whether or not they have values). */
  count: number;
  stats: Record<SummaryField, FieldStats>;
}

/** The whole file. */
export interface CatalogSummary {
  /** Ordered by platform, then kind (code point order). */
  groups: SummaryGroup[];
}

/** Groups `rows` by platform and kind and describes each summarised field. */
export function catalogSummary(rows: readonly CourseRecord[]): CatalogSummary {
  const groups = new Map<string, CourseRecord[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.platform, row.kind]);
    let members = groups.get(key);
    if (!members) groups.set(key, (members = []));
    members.push(row);
  }
  const result: SummaryGroup[] = [];
  for (const members of groups.values()) {
    const { platform, kind } = members[0]!;
    const stats = {} as Record<SummaryField, FieldStats>;
    for (const field of SUMMARY_FIELDS) stats[field] = describe(members.map((m) => m[field]));
    result.push({ platform, kind, count: members.length, stats });
  }
  result.sort((a, b) => compareCodePoints(a.platform, b.platform) || compareCodePoints(a.kind, b.kind));
  return { groups: result };
}

/** How many rows `top-enrolments.csv` and its chart show. */
export const TOP_ENROLMENTS = 15;

/**
 * The `n` rows with the most enrolments; rows without enrolments are left out. Ties are ordered by
 * platform, then id (code point order), so the cut at `n` is deterministic.
 */
export function topEnrolments<T extends CourseRecord>(rows: readonly T[], n = TOP_ENROLMENTS): T[] {
  return rows
    .filter((r) => r.enrolments !== null)
    .sort((a, b) => b.enrolments! - a.enrolments! || compareCodePoints(a.platform, b.platform) || compareCodePoints(a.id, b.id))
    .slice(0, n);
}
