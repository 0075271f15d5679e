/**
 * compare.csv (docs/COMPARE.md): one row per report, figures copied or computed exactly from the
 * summaries. Pure: the same summaries in the same order always give the same table.
 */
import type { CsvValue } from '../report/csv.js';
import type { NamedCount, Summary } from '../report/report-types.js';
import { compareCodePoints } from '../util/compare.js';

/** The fixed columns of compare.csv, before the device and language shares. */
export const COMPARE_BASE_HEADER = [
  'report',
  'events',
  'learners',
  'median_clicks',
  'p90_clicks',
  'sessions',
  'median_time_on_task_s',
  'video_viewers',
] as const;

/** How many device classes and languages of each report make its "top" (docs/COMPARE.md). */
export const COMPARE_TOP_N = 5;

/** One report to compare: the name of its row and its summary. */
export interface NamedSummary {
  name: string;
  summary: Summary;
}

/** compare.csv as data: its header, and one row per report in the order given. */
export interface CompareTable {
  header: string[];
  rows: CsvValue[][];
  /** The device classes with a column, in column order. */
  devices: string[];
  /** The language codes with a column, in column order. */
  languages: string[];
  /** `deviceShares[r][i]`: share of report r's learners on `devices[i]` (0 when absent). */
  deviceShares: number[][];
  /** `languageShares[r][i]`: share of report r's learners with `languages[i]` (0 when absent). */
  languageShares: number[][];
}

/**
 * A report's top `n` names by learners: users descending, then events descending, then name
 * ascending by code point (the order summary.json gives devices and languages in, re-applied so
 * the choice never depends on the file's order).
 */
export function topNames(counts: readonly NamedCount[], n = COMPARE_TOP_N): string[] {
  return [...counts]
    .sort((a, b) => b.users - a.users || b.events - a.events || compareCodePoints(a.name, b.name))
    .slice(0, n)
    .map((c) => c.name);
}

/** Share of `learners` who have `name` in `counts`; 0 when it is absent or there are no learners. */
export function learnerShare(counts: readonly NamedCount[], name: string, learners: number): number {
  if (learners <= 0) return 0;
  const found = counts.find((c) => c.name === name);
  return found ? found.users / learners : 0;
}

/**
 * The columns of one list (devices or languages): the union of each report's top
 * {@link COMPARE_TOP_N}, ordered by mean share across the reports (largest first, summed in the
 * reports' order), ties by name ascending; with the shares of every report.
 */
export function shareColumns(
  reports: readonly NamedSummary[],
  list: (s: Summary) => readonly NamedCount[],
): { names: string[]; shares: number[][] } {
  const union = new Set<string>();
  for (const r of reports) for (const name of topNames(list(r.summary))) union.add(name);
  const shareOf = (r: NamedSummary, name: string): number => learnerShare(list(r.summary), name, r.summary.users);
  const total = new Map<string, number>();
  for (const name of union) total.set(name, reports.reduce((sum, r) => sum + shareOf(r, name), 0));
  const names = [...union].sort((a, b) => total.get(b)! - total.get(a)! || compareCodePoints(a, b));
  return { names, shares: reports.map((r) => names.map((name) => shareOf(r, name))) };
}

/** compare.csv's header and rows for `reports`, in the order given. */
export function compareTable(reports: readonly NamedSummary[]): CompareTable {
  const devices = shareColumns(reports, (s) => s.devices);
  const languages = shareColumns(reports, (s) => s.languages);
  const header = [
    ...COMPARE_BASE_HEADER,
    ...devices.names.map((d) => `device:${d}`),
    ...languages.names.map((l) => `language:${l}`),
  ];
  const rows = reports.map((r, i): CsvValue[] => {
    const s = r.summary;
    return [
      r.name,
      s.events,
      s.users,
      s.activity.median,
      s.activity.p90,
      s.sessions.count,
      s.timeOnTaskSeconds.median,
      s.video.viewers,
      ...devices.shares[i]!,
      ...languages.shares[i]!,
    ];
  });
  return {
    header,
    rows,
    devices: devices.names,
    languages: languages.names,
    deviceShares: devices.shares,
    languageShares: languages.shares,
  };
}
