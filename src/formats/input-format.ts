/**
 * What an input format adapter is: the one place that knows an export's own key names. `convert`
 * asks it how to store a parsed line; `analyze` asks it how a stored row maps onto the one event
 * model of the data contract (§6), and never asks which format it is reading.
 */
import type { ColumnInfo } from '../types.js';

/** The formats `convert --format` names (besides `auto`). */
export type FormatName = 'coursera' | 'openedx';

export const FORMAT_NAMES: readonly FormatName[] = ['coursera', 'openedx'];

/** The video fields of a video event in the event model (§6.1). */
export interface VideoFields {
  /** `play`, `pause`, `seeked`, `ratechange`, `load`, `stop`, … or `unknown`. */
  action: string;
  /** Seconds into the video, finite and ≥ 0; null when the event gives none. */
  position: number | null;
  /** Playback rate, finite and > 0; null when the event gives none. */
  rate: number | null;
  /** The lecture (video) id, or `unknown`. */
  lecture: string;
}

/**
 * One event in the model every analysis reads, whatever the export it came from. Raw header values
 * stay raw (classification by §4's rules is the analysis's own business), so the adapters only say
 * where each value is and what the export-specific derivations give.
 */
export interface ModelEvent {
  username: string;
  /** Integer ms since the epoch (UTC); null for an untimed event. */
  timestamp: number | null;
  /** The raw User-Agent header; null when missing or not a string. */
  userAgent: string | null;
  /** The raw Accept-Language header; null when missing or not a string. */
  language: string | null;
  /** The raw referrer URL text; null when missing or not a string. */
  referrer: string | null;
  /** The event type as the report names it; `(missing)` when the export gives none. */
  eventType: string;
  /** Where on the course site it happened (§6.1, §7); `(root)` or `unknown` when it cannot tell. */
  section: string;
  /** True for the events learners.csv counts in `pageviews`. */
  pageview: boolean;
  /** The video fields, for a video event only. */
  video: VideoFields | null;
  /** The course the event belongs to; `(none)` when the export does not say. */
  course: string;
}

/** The dataset columns that hold the model's raw values, for aggregations written in SQL. */
export interface SourceColumns {
  username: string;
  timestamp: string;
  userAgent: string;
  language: string;
  referrer: string;
}

/** A row of a dataset as read back from Parquet: column name → value (strings, integers, null). */
export type DatasetRow = Readonly<Record<string, unknown>>;

/** An input format adapter. Pure: no I/O, safe to call from parse threads and workers. */
export interface InputFormat {
  readonly name: FormatName;
  /** The Parquet columns, in order, with their DuckDB types (recorded in the manifest). */
  readonly columns: readonly ColumnInfo[];
  /** Which of those columns hold the model's raw user, time, agent, language and referrer. */
  readonly sourceColumns: SourceColumns;
  /** True when a parsed event (a §2 event: an object with a non-empty `username`) has this format's shape. */
  recognizes(event: Readonly<Record<string, unknown>>): boolean;
  /**
   * The staging line (one JSON object, no newline) that becomes the event's Parquet row; `text` is
   * the line it was parsed from, kept whole when the object cannot be re-serialised faithfully.
   */
  serialize(event: Readonly<Record<string, unknown>>, text: string): string;
  /** A stored row mapped onto the event model. */
  toModelEvent(row: DatasetRow): ModelEvent;
}
