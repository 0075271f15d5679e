/**
 * The data contract in types: the records convert reads and writes, and everything analyze reports.
 * docs/DATA-CONTRACT.md says the same in prose; change both together.
 */

/** Version of the dataset layout (owned by src/dataset/dataset-format.ts, re-exported for the API). */
export { DATASET_SCHEMA_VERSION } from './dataset/dataset-format.js';

/** Why a line of the export did not become an event. */
export type RejectReason = 'invalid_json' | 'not_object' | 'missing_username' | 'too_long';

export const REJECT_REASONS: readonly RejectReason[] = ['invalid_json', 'not_object', 'missing_username', 'too_long'];

export type RejectCounts = Record<RejectReason, number>;

/** How the lines of an export were accounted for: `lines = events + blank + sum(rejected)`, always. */
export interface InputCounts {
  lines: number;
  events: number;
  blank: number;
  rejected: RejectCounts;
}

/** One line of `_rejected.jsonl`. */
export interface RejectedLine {
  /** 1-based line number in the (decompressed) export. */
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

/** `summary.json`. */
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
}

/** Everything the report writers need: the summary plus the full tables behind it. */
export interface Report {
  summary: Summary;
  /** Every learner, in `topUsers` order. */
  users: UserClicks[];
  /** Every distinct user agent, sorted by users, events desc, then user agent asc. */
  userAgents: UserAgentRow[];
}
