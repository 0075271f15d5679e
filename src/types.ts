/**
 * The line contract: how convert accounts for each line of an export (events, blank, rejected and
 * why) and the columns it writes. Shared by the input formats, convert, the dataset's manifest and
 * the report's summary (`input`); docs/DATA-CONTRACT.md says the same in prose, change both together.
 * The manifest's types are src/dataset/manifest.ts's, the report's src/report/report-types.ts's, a
 * partition's partial result src/run/partial-result.ts's.
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
