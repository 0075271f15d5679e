/**
 * The report's shapes: summary.json (`Summary`, DATA-CONTRACT §5 and §6.4), the rows of its CSV
 * tables, and `Report`, everything the report writers need. Its file names and the summary's
 * version are src/report/report-format.ts's. Below every module that computes, merges, writes or
 * compares these figures (see docs/ARCHITECTURE.md), so it imports only the line contract and the
 * user agent classes.
 */
import type { UserAgentClass } from '../classify/user-agent.js';
import type { InputCounts } from '../types.js';

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

/** A lecture's events, viewers and player actions: a row of `videos.csv` and a partition's part of it. */
export interface LectureCounts {
  lecture: string;
  events: number;
  viewers: number;
  play: number;
  pause: number;
  seeked: number;
  ratechange: number;
  other: number;
}

/** A row of `videos.csv`. */
export interface VideoRow extends LectureCounts {
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

/** One row of `user-agents.csv`: a distinct raw user agent (missing ones as ''). */
export interface UserAgentRow extends UserAgentClass {
  userAgent: string;
  events: number;
  users: number;
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
