/**
 * What an input format is to `convert`: the columns it stores, the shape that recognises its lines,
 * and how a parsed line becomes a staging record. What it is to `analyze` (the SQL and the readings
 * of pages and video payloads that map its columns onto the event model) is {@link EventFormat}.
 * {@link ModelEvent} is that model for one event, computed in plain TypeScript: the reference the
 * adapters' SQL is tested against.
 */
import type { ColumnInfo } from '../types.js';
import type { VideoFields } from './event-format.js';

/** The formats `convert --format` names (besides `auto`). */
export type FormatName = 'coursera' | 'openedx';

export const FORMAT_NAMES: readonly FormatName[] = ['coursera', 'openedx'];

/** The format a part of the code assumes when it is told none: Coursera's, the only one before Open edX. */
export const DEFAULT_FORMAT_NAME: FormatName = 'coursera';

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

/** A row of a dataset as read back from Parquet: column name → value (strings, integers, null). */
export type DatasetRow = Readonly<Record<string, unknown>>;

/** An input format as `convert` uses it. Pure: no I/O, safe to call from parse threads. */
export interface InputFormat {
  readonly name: FormatName;
  /** The Parquet columns, in order, with their DuckDB types (recorded in the manifest). */
  readonly columns: readonly ColumnInfo[];
  /** True when a parsed JSON object has this format's shape (format detection). */
  recognizes(event: Readonly<Record<string, unknown>>): boolean;
  /**
   * When present and true for a line, the line's own bytes are its staging line (no re-serialising:
   * the fast path of exports whose lines already are what DuckDB should read).
   */
  canPassThrough?(text: string, event: Readonly<Record<string, unknown>>): boolean;
  /**
   * The staging line (one JSON object, no newline) that becomes the event's Parquet row; `text` is
   * the line it was parsed from, kept whole when the object cannot be re-serialised faithfully.
   */
  serialize(event: Readonly<Record<string, unknown>>, text: string): string;
}
