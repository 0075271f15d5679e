/**
 * The CSV tables of a report: which file holds which rows, with which header.
 * Each table is defined once as header + rows so it can be rendered to a string or streamed to disk.
 */
import type { NamedCount, Report } from './report-types.js';
import { toCsv, type CsvValue } from './csv.js';
import type { CsvFileName } from './report-format.js';

/** A table ready for CSV encoding; `rows` may be iterated more than once. */
export interface CsvTable {
  header: readonly string[];
  rows: Iterable<readonly CsvValue[]>;
}


/** Header of browsers.csv, os.csv, devices.csv and languages.csv. */
export const NAMED_COUNT_HEADER = ['name', 'events', 'users'] as const;
/** Header of users.csv. */
export const USERS_HEADER = ['username', 'clicks'] as const;
/** Header of activity-cdf.csv. */
export const CDF_HEADER = ['clicks', 'users', 'fraction'] as const;
/** Header of user-agents.csv. */
export const USER_AGENTS_HEADER = ['user_agent', 'browser', 'os', 'device', 'events', 'users'] as const;

/** Header of daily.csv. */
export const DAILY_HEADER = ['date', 'events', 'learners', 'new_learners'] as const;
/** Header of hour-of-week.csv. */
export const HOUR_OF_WEEK_HEADER = ['weekday', 'hour', 'events', 'learners'] as const;
/** Header of retention.csv. */
export const RETENTION_HEADER = ['week', 'start', 'active', 'new', 'retained'] as const;
/** Header of session-durations.csv. */
export const SESSION_DURATIONS_HEADER = ['bucket', 'sessions'] as const;
/** Header of videos.csv. */
export const VIDEOS_HEADER = ['lecture', 'events', 'viewers', 'play', 'pause', 'seeked', 'ratechange', 'other', 'median_furthest_s'] as const;
/** Header of learners.csv (and the columns of learners.parquet). */
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

/** `daily.csv`: every day from the first to the last. */
export function dailyTable(report: Report): CsvTable {
  return { header: DAILY_HEADER, rows: lazy(report.daily, (d) => [d.date, d.events, d.learners, d.newLearners]) };
}

/** `hour-of-week.csv`: the 168 cells, weekday then hour. */
export function hourOfWeekTable(report: Report): CsvTable {
  return { header: HOUR_OF_WEEK_HEADER, rows: lazy(report.hourOfWeek, (h) => [h.weekday, h.hour, h.events, h.learners]) };
}

/** `retention.csv`: every course week. */
export function retentionTable(report: Report): CsvTable {
  return { header: RETENTION_HEADER, rows: lazy(report.retention, (r) => [r.week, r.start, r.active, r.new, r.retained]) };
}

/** `session-durations.csv`: the eight buckets. */
export function sessionDurationsTable(report: Report): CsvTable {
  return { header: SESSION_DURATIONS_HEADER, rows: lazy(report.sessionDurations, (b) => [b.bucket, b.sessions]) };
}

/** `videos.csv`: every lecture; an empty median when no viewer has a position. */
export function videosTable(report: Report): CsvTable {
  return {
    header: VIDEOS_HEADER,
    rows: lazy(report.videos, (v) => [
      v.lecture,
      v.events,
      v.viewers,
      v.play,
      v.pause,
      v.seeked,
      v.ratechange,
      v.other,
      v.medianFurthestSeconds ?? '',
    ]),
  };
}

/** `learners.csv`: one row per learner in users.csv order; times empty for a learner with none. */
export function learnersTable(report: Report): CsvTable {
  return {
    header: LEARNERS_HEADER,
    rows: lazy(report.learners, (l) => [
      l.username,
      l.events,
      l.firstEvent ?? '',
      l.lastEvent ?? '',
      l.activeDays,
      l.sessions,
      l.timeOnTaskSeconds,
      l.pageviews,
      l.videoEvents,
      l.lectures,
      l.browser,
      l.os,
      l.device,
      l.language,
    ]),
  };
}

/** Every CSV table of a report, keyed by file name, in `CSV_FILES` order. */
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

/** The rows of `courses.csv` (DATA-CONTRACT §7: `course_id,events,users`). */
export function coursesTable(courses: readonly NamedCount[]): CsvTable {
  return { header: ['course_id', 'events', 'users'], rows: courses.map((c) => [c.name, c.events, c.users]) };
}
