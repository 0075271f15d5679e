/**
 * What one partition job produces and a run keeps in its scratch folder until the reduce: counts
 * that add up exactly across partitions, since users are partition-disjoint. Local threads and Redis
 * workers write it, src/run/run-scratch.ts stores and checks it, src/analyze/reduce.ts merges it.
 */
import type { HourOfWeekRow, LectureCounts, NamedCount, PlaybackRateCount, UserAgentRow, UserClicks } from '../report/report-types.js';

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
export interface PartialLecture extends LectureCounts {
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
