/**
 * The CSV tables of a report: which file holds which rows, with which header.
 * Each table is defined once as header + rows so it can be rendered to a string or streamed to disk.
 */
import type {
  DailyRow,
  HourOfWeekRow,
  LearnerRow,
  NamedCount,
  Report,
  RetentionRow,
  SessionBucketRow,
  VideoRow,
} from '../types.js';
import { toCsv, type CsvValue } from './csv.js';

/** A table ready for CSV encoding; `rows` may be iterated more than once. */
export interface CsvTable {
  header: readonly string[];
  rows: Iterable<readonly CsvValue[]>;
}

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

/** Header of browsers.csv, os.csv, devices.csv, languages.csv, event-types.csv, sections.csv and referrers.csv. */
export const NAMED_COUNT_HEADER = ['name', 'events', 'users'] as const;
/** Header of users.csv. */
export const USERS_HEADER = ['username', 'clicks'] as const;
/** Header of activity-cdf.csv. */
export const CDF_HEADER = ['clicks', 'users', 'fraction'] as const;
/** Header of user-agents.csv. */
export const USER_AGENTS_HEADER = ['user_agent', 'browser', 'os', 'device', 'events', 'users'] as const;

/** Header of daily.csv (§6.4). */
export const DAILY_HEADER = ['date', 'events', 'learners', 'new_learners'] as const;
/** Header of hour-of-week.csv. */
export const HOUR_OF_WEEK_HEADER = ['weekday', 'hour', 'events', 'learners'] as const;
/** Header of retention.csv. */
export const RETENTION_HEADER = ['week', 'start', 'active', 'new', 'retained'] as const;
/** Header of session-durations.csv. */
export const SESSION_DURATIONS_HEADER = ['bucket', 'sessions'] as const;
/** Header of videos.csv. */
export const VIDEOS_HEADER = [
  'lecture',
  'events',
  'viewers',
  'play',
  'pause',
  'seeked',
  'ratechange',
  'other',
  'median_furthest_s',
] as const;
/** Header of learners.csv (learners.parquet has the same columns). */
export const LEARNERS_HEADER = [
  'username',
  'events',
  'first_event',
  'last_event',
  'active_days',
  'sessions',
  'time_on_task_s',
  'pageviews',
  'video_events',
  'lectures',
  'browser',
  'os',
  'device',
  'language',
] as const;

/** A nullable value as a CSV field: null (no value) is an empty cell, as §6.4 writes it. */
function orEmpty(value: string | number | null): CsvValue {
  return value ?? '';
}

// Rows are produced lazily (generators wrapped in iterables) so a report with a million learners is
// never copied into a second array before it is encoded.
function lazy<T>(items: readonly T[], toRow: (item: T) => readonly CsvValue[]): Iterable<readonly CsvValue[]> {
  return {
    *[Symbol.iterator]() {
      for (const item of items) yield toRow(item);
    },
  };
}

/** Rows `name,events,users`, in the order of `counts`. */
export function namedCountTable(counts: readonly NamedCount[]): CsvTable {
  return { header: NAMED_COUNT_HEADER, rows: lazy(counts, (c) => [c.name, c.events, c.users]) };
}

/** `users.csv`: every learner as `username,clicks`, in `report.users` order. */
export function usersTable(report: Report): CsvTable {
  return { header: USERS_HEADER, rows: lazy(report.users, (u) => [u.username, u.clicks]) };
}

/** `activity-cdf.csv`: `clicks,users,fraction`, one row per CDF point. */
export function activityCdfTable(report: Report): CsvTable {
  return { header: CDF_HEADER, rows: lazy(report.summary.activity.cdf, (p) => [p.clicks, p.users, p.fraction]) };
}

/** `user-agents.csv`: every distinct user agent with its classification; a missing one is ''. */
export function userAgentsTable(report: Report): CsvTable {
  return {
    header: USER_AGENTS_HEADER,
    rows: lazy(report.userAgents, (r) => [r.userAgent, r.browser, r.os, r.device, r.events, r.users]),
  };
}

/** One row of daily.csv. */
export function dailyRecord(r: DailyRow): readonly CsvValue[] {
  return [r.date, r.events, r.learners, r.newLearners];
}

/** One row of hour-of-week.csv. */
export function hourOfWeekRecord(r: HourOfWeekRow): readonly CsvValue[] {
  return [r.weekday, r.hour, r.events, r.learners];
}

/** One row of retention.csv. */
export function retentionRecord(r: RetentionRow): readonly CsvValue[] {
  return [r.week, r.start, r.active, r.new, r.retained];
}

/** One row of session-durations.csv. */
export function sessionBucketRecord(r: SessionBucketRow): readonly CsvValue[] {
  return [r.bucket, r.sessions];
}

/** One row of videos.csv; no median position is an empty cell. */
export function videoRecord(r: VideoRow): readonly CsvValue[] {
  return [r.lecture, r.events, r.viewers, r.play, r.pause, r.seeked, r.ratechange, r.other, orEmpty(r.medianFurthestSeconds)];
}

/** One row of learners.csv; a learner with no timed event has empty first/last event cells. */
export function learnerRecord(r: LearnerRow): readonly CsvValue[] {
  return [
    r.username,
    r.events,
    orEmpty(r.firstEvent),
    orEmpty(r.lastEvent),
    r.activeDays,
    r.sessions,
    r.timeOnTaskSeconds,
    r.pageviews,
    r.videoEvents,
    r.lectures,
    r.browser,
    r.os,
    r.device,
    r.language,
  ];
}

/** `daily.csv`: every day from the first to the last, in `report.daily` order. */
export function dailyTable(report: Report): CsvTable {
  return { header: DAILY_HEADER, rows: lazy(report.daily, dailyRecord) };
}

/** `hour-of-week.csv`: the 168 weekday × hour cells, in `report.hourOfWeek` order. */
export function hourOfWeekTable(report: Report): CsvTable {
  return { header: HOUR_OF_WEEK_HEADER, rows: lazy(report.hourOfWeek, hourOfWeekRecord) };
}

/** `retention.csv`: one row per course week. */
export function retentionTable(report: Report): CsvTable {
  return { header: RETENTION_HEADER, rows: lazy(report.retention, retentionRecord) };
}

/** `session-durations.csv`: the eight buckets. */
export function sessionDurationsTable(report: Report): CsvTable {
  return { header: SESSION_DURATIONS_HEADER, rows: lazy(report.sessionDurations, sessionBucketRecord) };
}

/** `videos.csv`: every lecture, `unknown` included. */
export function videosTable(report: Report): CsvTable {
  return { header: VIDEOS_HEADER, rows: lazy(report.videos, videoRecord) };
}

/** `learners.csv`: one row per learner, in `report.learners` order (streamed: it can be millions of rows). */
export function learnersTable(report: Report): CsvTable {
  return { header: LEARNERS_HEADER, rows: lazy(report.learners, learnerRecord) };
}

/** Every CSV table of a report, keyed by file name, in {@link CSV_FILES} order. */
export function reportTables(report: Report): Record<CsvFileName, CsvTable> {
  const { summary } = report;
  return {
    'browsers.csv': namedCountTable(summary.browsers),
    'os.csv': namedCountTable(summary.os),
    'devices.csv': namedCountTable(summary.devices),
    'languages.csv': namedCountTable(summary.languages),
    'users.csv': usersTable(report),
    'activity-cdf.csv': activityCdfTable(report),
    'user-agents.csv': userAgentsTable(report),
    // The full lists: summary.json holds only the top 20 referrers.
    'event-types.csv': namedCountTable(report.eventTypes),
    'sections.csv': namedCountTable(report.sections),
    'referrers.csv': namedCountTable(report.referrers),
    'daily.csv': dailyTable(report),
    'hour-of-week.csv': hourOfWeekTable(report),
    'retention.csv': retentionTable(report),
    'session-durations.csv': sessionDurationsTable(report),
    'videos.csv': videosTable(report),
    'learners.csv': learnersTable(report),
  };
}

/** The text of one table. */
export function tableCsv(table: CsvTable): string {
  return toCsv(table.header, table.rows);
}

/** The text of every CSV file of a report, keyed by file name. Holds them all in memory: for tests and small reports. */
export function reportCsvs(report: Report): Record<CsvFileName, string> {
  const tables = reportTables(report);
  const out = {} as Record<CsvFileName, string>;
  for (const name of CSV_FILES) out[name] = tableCsv(tables[name]);
  return out;
}
