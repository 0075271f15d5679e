/**
 * The report format: the names of the files `analyze` writes into a report directory, the version of
 * its summary.json and the keys that tell one version from another. `analyze` writes by these names,
 * `compare` reads by them and the `--force` guard recognises a report by them; nobody else spells one.
 * A leaf (it imports nothing of the project), so the guard in `util/` can read it without loading
 * the report writers (which load Chart.js). The shapes of summary.json and of the CSV rows are
 * src/report/report-types.ts's.
 */

/**
 * Version of summary.json that `analyze` writes: 1 had the audience figures (DATA-CONTRACT §5), 2
 * added the learning analytics (§6.4, {@link V2_SUMMARY_KEYS}). summary.json carries no version
 * number: a reader tells the version by its keys.
 */
export const SUMMARY_VERSION = 2;

/** Keys every summary has (§5). */
export const V1_SUMMARY_KEYS = ['events', 'users', 'input', 'browsers', 'os', 'devices', 'languages', 'activity', 'topUsers'] as const;

/** Keys a version-2 summary adds (§6.4); `filter`, `course` and `courses` are optional and not among them. */
export const V2_SUMMARY_KEYS = ['time', 'eventTypes', 'sections', 'referrers', 'sessions', 'timeOnTaskSeconds', 'video', 'retention'] as const;

/** The JSON summary: every figure of the report, exact. Written first. */
export const SUMMARY_FILE = 'summary.json';

/** The HTML page, written last since it links to every other file. */
export const INDEX_FILE = 'index.html';

/** learners.csv as Parquet, typed; written by `analyze` beside the files of the report writer. */
export const LEARNERS_PARQUET = 'learners.parquet';

/** `courses.csv` (DATA-CONTRACT §7), written only for datasets whose events name their course. */
export const COURSES_CSV = 'courses.csv';

/** File names of the CSV tables, in the order the report writes and lists them. */
export const CSV_FILES = [
  'browsers.csv',
  'os.csv',
  'devices.csv',
  'languages.csv',
  'users.csv',
  'activity-cdf.csv',
  'user-agents.csv',
  'event-types.csv',
  'sections.csv',
  'referrers.csv',
  'daily.csv',
  'hour-of-week.csv',
  'retention.csv',
  'session-durations.csv',
  'videos.csv',
  'learners.csv',
] as const;
export type CsvFileName = (typeof CSV_FILES)[number];

/** File names of version 1's charts (§5). */
export const AUDIENCE_CHART_FILES = ['browser.png', 'device.png', 'language.png', 'activity-cdf.png'] as const;

/** File names of the learning-analytics charts (§6.4), in the order the report shows them. */
export const ANALYTICS_CHART_FILES = [
  'event-types.png',
  'daily-activity.png',
  'hour-of-week.png',
  'retention.png',
  'session-durations.png',
  'videos.png',
] as const;
export type AnalyticsChartFileName = (typeof ANALYTICS_CHART_FILES)[number];

/** File names of the charts, in the order the report writes them: version 1's, then the learning analytics'. */
export const CHART_FILES = [...AUDIENCE_CHART_FILES, ...ANALYTICS_CHART_FILES] as const;
export type ChartFileName = (typeof CHART_FILES)[number];

/**
 * Whether a parsed summary.json looks like one `analyze` wrote, of any version: the counts every
 * version has. What `--force` asks before replacing a report directory; `compare` checks more.
 */
export function isSummaryShaped(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s['events'] === 'number' &&
    typeof s['users'] === 'number' &&
    typeof s['input'] === 'object' &&
    s['input'] !== null &&
    typeof (s['input'] as { lines?: unknown }).lines === 'number'
  );
}
