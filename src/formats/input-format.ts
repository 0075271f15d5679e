/**
 * What an input format is to `convert`: the columns it stores, the shape that recognises its lines,
 * and how a parsed line becomes a staging record. What it is to `analyze` (the SQL and the readings
 * of pages and video payloads that map its columns onto the event model) is EventFormat
 * (event-format.ts).
 */
import type { ColumnInfo } from '../types.js';

/** The formats `convert --format` names (besides `auto`). */
export type FormatName = 'coursera' | 'openedx';

export const FORMAT_NAMES: readonly FormatName[] = ['coursera', 'openedx'];

/** The format a part of the code assumes when it is told none: Coursera's, the only one before Open edX. */
export const DEFAULT_FORMAT_NAME: FormatName = 'coursera';

/** An input format as `convert` uses it. Pure: no I/O, safe to call from parse threads. */
export interface InputFormat {
  readonly name: FormatName;
  /** The Parquet columns, in order, with their DuckDB types (recorded in the manifest). */
  readonly columns: readonly ColumnInfo[];
  /**
   * True when a parsed JSON object has this format's shape. Detection (detect-format.ts) asks every
   * format: a line is a format's when exactly one says yes.
   */
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
