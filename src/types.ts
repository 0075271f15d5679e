/**
 * The data contract in types: the records convert reads and writes, and everything analyze reports.
 * docs/DATA-CONTRACT.md says the same in prose; change both together.
 */

/**
 * Why a line of the export did not become an event. `other_format`: a JSON object of the other
 * input format than the dataset's (a Coursera line in an Open edX log, or the reverse).
 */
export type RejectReason = 'invalid_json' | 'not_object' | 'missing_username' | 'too_long' | 'other_format';

export const REJECT_REASONS: readonly RejectReason[] = ['invalid_json', 'not_object', 'missing_username', 'too_long', 'other_format'];

/**
 * Rejected lines by reason. The first four reasons are always counted; `other_format` (newer) only
 * when such a line occurred, so datasets and reports without one keep their earlier shape.
 */
export type RejectCounts = Record<Exclude<RejectReason, 'other_format'>, number> & { other_format?: number };

/** How the lines of an export were accounted for: `lines = events + blank + sum(rejected)`, always. */
export interface InputCounts {
  lines: number;
  events: number;
  blank: number;
  rejected: RejectCounts;
}

/** One line of `_rejected.jsonl`. */
export interface RejectedLine {
  /** The input file the line is in, as given to convert (`-` for standard input). */
  file?: string;
  /** 1-based line number in the (decompressed) input file: numbering restarts in each file. */
  line: number;
  reason: RejectReason;
  /** The line's text (decoded as UTF-8, bad bytes as U+FFFD); for `too_long`, only its first 1 KiB. */
  text: string;
  /** Length of the line in bytes, without its line ending. */
  bytes: number;
  /** For `invalid_json`: the parser's message. */
  error?: string;
}

/** The keys the export documents, in the order the Parquet columns carry them. */
export const STRING_FIELDS = [
  'key',
  'value',
  'username',
  'page_url',
  'client',
  'session',
  'language',
  'from',
  'user_ip',
  'user_agent',
] as const;

/** Documented keys that hold a list or text: a string is stored as its text, anything else as its JSON text. */
export const JSON_FIELDS = ['12', '13', '14', '30'] as const;

/** Column holding, as one JSON object text, every key not in the table and every mistyped value. */
export const EXTRA_COLUMN = '_extra';

/** Parquet column name and DuckDB type, as recorded in the manifest. */
export interface ColumnInfo {
  name: string;
  type: 'VARCHAR' | 'BIGINT';
}

export interface PartitionInfo {
  /** 0-based partition number; each username lives in exactly one partition. */
  id: number;
  /** Parquet file path relative to the dataset directory. */
  file: string;
  rows: number;
  bytes: number;
}

/** One input file of a convert, as the manifest accounts for it (schema version 2). */
export interface ManifestInput {
  /** As given to convert (`-` for standard input). */
  path: string;
  bytes: number;
  /** Bytes after decompression (equal to `bytes` for a plain file). */
  decompressedBytes: number;
  compression: 'gzip' | 'none';
  sha256: string;
  /** This file's lines: `lines = events + blank + rejected`; the files' counts add up to the dataset's. */
  counts: InputCounts;
}

/** `_manifest.json`, written last: a dataset without it is incomplete. */
export interface Manifest {
  schemaVersion: number;
  tool: { name: string; version: string };
  createdAt: string;
  input: {
    path: string;
    bytes: number;
    /** Bytes after decompression (equal to `bytes` for a plain file). */
    decompressedBytes: number;
    compression: 'gzip' | 'none';
    sha256: string;
  };
  counts: InputCounts;
  /**
   * Input format: a name of the format registry (src/formats/format-registry.ts, e.g. `coursera`;
   * checkManifest refuses any other). Schema version 2; a version-1 manifest has none and is a
   * Coursera export (see `datasetFormat`).
   */
  format?: string;
  /** Every input file in the order read (schema version 2); `input` is the first of them. */
  inputs?: ManifestInput[];
  options: { partitions: number; maxLineBytes: number };
  columns: ColumnInfo[];
  partitions: PartitionInfo[];
  durationMs: number;
}

/** A count of events and distinct users under one name (a browser, an OS, a device, a language). */
export interface NamedCount {
  name: string;
  events: number;
  users: number;
}

export interface CdfPoint {
  clicks: number;
  users: number;
  fraction: number;
}

export interface ActivityStats {
  min: number;
  median: number;
  mean: number;
  p90: number;
  p99: number;
  max: number;
  cdf: CdfPoint[];
}

export interface UserClicks {
  username: string;
  clicks: number;
}

/** Nearest-rank statistics of a distribution (§6.4); all 0 when it is empty. */
export interface DistributionStats {
  median: number;
  mean: number;
  p90: number;
  max: number;
}

/** `summary.time` (§6.4): instants ISO 8601 UTC with ms; null `first`/`last` when no event is timed. */
export interface TimeSummary {
  timezone: string;
  /** Events without a time, implausible ones included. */
  untimed: number;
  /** Of those, events whose time was implausible (before 1990-01-01 or from 2100-01-01 on, UTC). */
  implausible: number;
  first: string | null;
  last: string | null;
  days: number;
  activeDays: number;
}

export interface SessionSummary {
  gapMinutes: number;
  count: number;
  perLearner: DistributionStats;
  durationSeconds: DistributionStats;
}

export interface PlaybackRateCount {
  rate: number;
  events: number;
  users: number;
}

export interface VideoSummary {
  events: number;
  viewers: number;
  /** Known lectures (not `unknown`). */
  lectures: number;
  actions: NamedCount[];
  /** Sorted as every list (users, events desc), then rate ascending numerically. */
  playbackRates: PlaybackRateCount[];
}

/** `summary.filter` (§6.3): present only when a filter was given. */
export interface FilterSummary {
  from: string | null;
  to: string | null;
  excludeBots: boolean;
  /** Events left out by the filter. */
  events: number;
}

/** `summary.json`: version 1's keys (§5) and version 2's learning analytics (§6). */
export interface Summary {
  events: number;
  users: number;
  input: InputCounts;
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
  languages: NamedCount[];
  activity: ActivityStats;
  topUsers: UserClicks[];
  filter?: FilterSummary;
  time: TimeSummary;
  eventTypes: NamedCount[];
  sections: NamedCount[];
  /** The top 20; all are in referrers.csv. */
  referrers: NamedCount[];
  sessions: SessionSummary;
  timeOnTaskSeconds: DistributionStats & { total: number };
  video: VideoSummary;
  /**
   * `weeks`: course weeks 0 to the last (week -1, before the start, not counted); `lastWeekActive`:
   * learners active in the last one (0 without one); `courseStart`: the first day of week 0
   * (`YYYY-MM-DD` in the report's zone), null when neither an event nor `--course-start` gives one.
   */
  retention: { weeks: number; lastWeekActive: number; courseStart: string | null };
  /** `analyze --course`: the course the report is restricted to, and the events of other courses left out. */
  course?: { id: string; otherEvents: number };
  /** Events and learners per course (DATA-CONTRACT §7; Open edX datasets only), sorted as every list. */
  courses?: NamedCount[];
}

/** A row of `daily.csv`: every day from the first to the last, zero days included. */
export interface DailyRow {
  /** `YYYY-MM-DD` in the report's zone. */
  date: string;
  events: number;
  learners: number;
  newLearners: number;
}

/** A row of `hour-of-week.csv` (all 168). */
export interface HourOfWeekRow {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  hour: number;
  events: number;
  learners: number;
}

/** A row of `retention.csv`. */
export interface RetentionRow {
  /** Course week; -1 holds every event before the course start. */
  week: number;
  /** First date of the week, `YYYY-MM-DD`; empty for week -1. */
  start: string;
  active: number;
  new: number;
  retained: number;
}

/** A row of `session-durations.csv`, the eight buckets in contract order. */
export interface SessionBucketRow {
  bucket: string;
  sessions: number;
}

/** A row of `videos.csv`. */
export interface VideoRow {
  lecture: string;
  events: number;
  viewers: number;
  play: number;
  pause: number;
  seeked: number;
  ratechange: number;
  other: number;
  /** Median of each viewer's furthest position, seconds; null when no viewer has a position. */
  medianFurthestSeconds: number | null;
}

/** A row of `learners.csv` / `learners.parquet`; times null for a learner with no timed event. */
export interface LearnerRow {
  username: string;
  events: number;
  /** ISO 8601 UTC with ms. */
  firstEvent: string | null;
  lastEvent: string | null;
  activeDays: number;
  sessions: number;
  timeOnTaskSeconds: number;
  pageviews: number;
  videoEvents: number;
  lectures: number;
  browser: string;
  os: string;
  device: string;
  language: string;
}

/** Device classes of the contract. */
export type DeviceClass =
  | 'desktop'
  | 'smartphone'
  | 'tablet'
  | 'console'
  | 'tv'
  | 'wearable'
  | 'bot'
  | 'other'
  | 'unknown';

/** How one user agent string was classified. */
export interface UserAgentClass {
  browser: string;
  os: string;
  device: DeviceClass;
}

/** One row of `user-agents.csv`: a distinct raw user agent (missing ones as ''). */
export interface UserAgentRow extends UserAgentClass {
  userAgent: string;
  events: number;
  users: number;
}

/**
 * What one partition job produces. Users are partition-disjoint, so every count here,
 * distinct users included, adds up exactly across partitions.
 */
export interface PartialResult {
  partition: number;
  events: number;
  users: number;
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
  languages: NamedCount[];
  userAgents: UserAgentRow[];
  /** Every learner of the partition with their click count (any order). */
  clicks: UserClicks[];
  /** Events of the partition the filter left out (DATA-CONTRACT §6.3); `events + leftOut + outsideCourse` = its rows. */
  leftOut: number;
  /** With `--course`: events of other courses (not counted anywhere else); absent otherwise. */
  outsideCourse?: number;
  /** With `--course`: the other courses the partition's events name (for the refusal of a course with no event). */
  otherCourses?: string[];
  /** The partition's learning analytics (DATA-CONTRACT §6), in a form that merges exactly. */
  analytics: PartialAnalytics;
}

/** A local day's figures in one partition (days with at least one event only). */
export interface PartialDay {
  /** Days since 1970-01-01 of the local date. */
  day: number;
  events: number;
  learners: number;
  /** Learners whose first event is on this day. */
  newLearners: number;
}

/** A lecture's figures in one partition. */
export interface PartialLecture {
  lecture: string;
  events: number;
  viewers: number;
  play: number;
  pause: number;
  seeked: number;
  ratechange: number;
  other: number;
  /** Each viewer's largest position on this lecture (seconds), for viewers with one; ascending. */
  furthest: number[];
}

/**
 * A learner's figures in one partition, beside `clicks[i]` (same index, same learner). Days are
 * local day numbers; times and days null, `days` empty, when the learner has no timed event.
 */
export interface PartialLearner {
  firstMs: number | null;
  lastMs: number | null;
  /** Local day of the first and of the last event. */
  firstDay: number | null;
  lastDay: number | null;
  /** Distinct local days with an event, ascending. */
  days: number[];
  sessions: number;
  timeOnTaskMs: number;
  pageviews: number;
  videoEvents: number;
  lectures: number;
  browser: string;
  os: string;
  device: string;
  language: string;
}

/** What one partition contributes to DATA-CONTRACT §6: sums, per-day, per-hour, per-lecture, per-learner. */
export interface PartialAnalytics {
  /** Kept events without a time (implausible ones included). */
  untimed: number;
  /** Kept events whose time was implausible (before 1990 or from 2100 on), analysed as untimed. */
  implausible: number;
  firstMs: number | null;
  lastMs: number | null;
  eventTypes: NamedCount[];
  sections: NamedCount[];
  referrers: NamedCount[];
  days: PartialDay[];
  /** Cells of the hour-of-week grid with events. */
  hourOfWeek: HourOfWeekRow[];
  /** Session durations as `[ms, sessions]`, ascending by duration. */
  sessionDurations: Array<[number, number]>;
  video: {
    events: number;
    viewers: number;
    actions: NamedCount[];
    playbackRates: PlaybackRateCount[];
    lectures: PartialLecture[];
  };
  /** `learners[i]` is `clicks[i]`'s learner. */
  learners: PartialLearner[];
  /** File name, beside the partial result file, of the partition's rows of learners.parquet. */
  learnersFile: string;
  /** Events and learners per course (formats whose events name their course only). */
  courses?: NamedCount[];
}

/** Everything the report writers need: the summary plus the full tables behind it. */
export interface Report {
  summary: Summary;
  /** Every learner, in `topUsers` order. */
  users: UserClicks[];
  /** Every distinct user agent, sorted by users, events desc, then user agent asc. */
  userAgents: UserAgentRow[];
  /** All event types, sections and referrers (summary.json holds the top 20 referrers). */
  eventTypes: NamedCount[];
  sections: NamedCount[];
  referrers: NamedCount[];
  daily: DailyRow[];
  hourOfWeek: HourOfWeekRow[];
  retention: RetentionRow[];
  sessionDurations: SessionBucketRow[];
  videos: VideoRow[];
  /** Every learner, in `users` order. */
  learners: LearnerRow[];
  /** Every course (courses.csv), for formats whose events name their course; absent otherwise. */
  courses?: NamedCount[];
}
