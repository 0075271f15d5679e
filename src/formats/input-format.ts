/**
 * The one interface an input format implements: what `convert` needs (its columns, the shape that
 * recognises its lines, its lossless staging line, its gzip ratio), what `analyze` needs (the SQL
 * onto the event model and its readings of pages and video payloads: {@link EventFormat}), and how
 * messages and help name it. A format is one file exporting one such object, listed once in
 * format-registry.ts; nothing else in the project names a format.
 */
import type { ColumnInfo } from '../types.js';
import type { EventFormat } from './event-format.js';

/** An input format. Pure: no I/O, safe to call from parse threads and partition jobs. */
export interface InputFormat<Name extends string = string> extends EventFormat {
  /** The name `convert --format`, the manifest and the job payload give it, e.g. `coursera`. */
  readonly name: Name;
  /** The format's name in prose, e.g. `Open edX` ("Open edX datasets"). */
  readonly label: string;
  /** The format in a sentence, with its article, e.g. `a Coursera clickstream export`. */
  readonly title: string;
  /** A shorter title for counts, e.g. `a Coursera export` ("3 look like a Coursera export"). */
  readonly shortTitle: string;
  /** {@link title} and what makes it recognisable, as the refusal messages say it. */
  readonly description: string;
  /** Anchor of the README section on this format's reading rules, when it has one of its own. */
  readonly readmeSection?: string;
  /**
   * How many times gzip compresses this format's exports (measured): the uncompressed size estimate
   * behind the default number of partitions and the ETA.
   */
  readonly gzipRatio: number;
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
