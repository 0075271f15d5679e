/**
 * What an input format adapter gives the analysis: how the dataset's own columns map onto the one
 * event model (DATA-CONTRACT §6.1), and the format's own reading of pages and video payloads. The analysis
 * works on the model only and never asks which format it reads.
 */

/** What a video event tells (DATA-CONTRACT §6.1), once its payload is read. */
export interface VideoFields {
  /** `play`, `pause`, `seeked`, `ratechange`, … or `unknown`. */
  action: string;
  /** Position in the video, seconds, finite and ≥ 0; undefined when none. */
  position: number | undefined;
  /** Playback rate, finite and > 0; undefined when none. */
  rate: number | undefined;
  /** Lecture id, or `unknown`. */
  lecture: string;
}

/** What a page URL tells (DATA-CONTRACT §6.1). */
export interface PageFields {
  /** Where on the course site: a section name, `(root)` or `unknown`. */
  section: string;
  /** The lecture the page itself names, or undefined. */
  lecture: string | undefined;
}

/** The section of a page with no section in its path. */
export const ROOT_SECTION = '(root)';
/** The section of an event with no page, or one that is not a URL. */
export const UNKNOWN_SECTION = 'unknown';

/** The lecture of a video event that names none. */
export const UNKNOWN_LECTURE = 'unknown';
/** The action of a video event whose payload tells none. */
export const UNKNOWN_ACTION = 'unknown';

/**
 * The model columns an adapter's SQL yields, one row per event, in this order:
 * - `learner` VARCHAR (never null: convert refuses events without one);
 * - `time_ms` BIGINT, ms since the epoch, UTC, or null (untimed), as the dataset holds it: the
 *   analysis, not the adapter, makes an implausible time untimed (analytics/plausible-time.ts);
 * - `user_agent`, `accept_language` VARCHAR or null;
 * - `event_type` VARCHAR, never null (`(missing)` when the event names none);
 * - `page_url`, `referrer_url` VARCHAR or null;
 * - `is_pageview`, `is_video` BOOLEAN, never null;
 * - `video_payload` VARCHAR, the video event's raw payload (null for other events).
 */
export const MODEL_COLUMNS = [
  'learner',
  'time_ms',
  'user_agent',
  'accept_language',
  'event_type',
  'page_url',
  'referrer_url',
  'is_pageview',
  'is_video',
  'video_payload',
] as const;

/** An input format, as the analysis sees it. */
export interface EventFormat {
  /** Name recorded in the job payload, e.g. `coursera`. */
  readonly name: string;
  /**
   * The SQL select list (DuckDB) that turns a row of the format's Parquet columns into the model
   * columns, named and ordered as {@link MODEL_COLUMNS}.
   */
  readonly modelSelect: string;
  /** What a page (model `page_url`; null when missing) tells: its section and lecture. Pure. */
  page(page: string | null): PageFields;
  /** What a video event's payload tells, given the lecture its page names (if any). Pure. */
  video(payload: string | null, pageLecture: string | undefined): VideoFields;
  /**
   * True when the format's events name their course (several courses may share a dataset): the
   * report then has `courses.csv` and `summary.courses`, and `analyze --course` applies.
   */
  readonly hasCourses: boolean;
  /** SQL expression (DuckDB, over the format's Parquet columns): the event's course, never null ({@link NO_COURSE} when none). */
  readonly courseSelect: string;
}

/** The course of an event that names none. */
export const NO_COURSE = '(none)';
