/**
 * The catalog warehouse (DATA-CONTRACT §8, docs/CATALOG.md "Warehouse"): tables `courses`, `course_versions`
 * and `crawls`, updated incrementally by crawls. Two implementations behave identically: a DuckDB
 * file (the default) and a PostgreSQL database; {@link openWarehouse} picks one from a target string.
 */
import type { CourseRecord } from '../course-record.js';

/** Identifies one crawl (one row of `crawls`) within its warehouse. */
export type CrawlId = number;

/** What one {@link CatalogWarehouse.upsert} batch did, decided by SQL from the content hashes. */
export interface UpsertCounts {
  /** Rows new to `courses` (and their first version). */
  inserted: number;
  /** Rows whose content hash differed: row updated, previous version closed, new version appended. */
  updated: number;
  /** Rows with the same content hash: only `last_seen` (and `source`) moved. */
  unchanged: number;
}

/** How a crawl ended, given to {@link CatalogWarehouse.finishCrawl}. */
export interface CrawlEnd {
  finished: Date;
  /** False when cut short (`--max-pages`, Ctrl-C): such a crawl counts nothing gone. */
  complete: boolean;
  /** Pages (HTTP responses) the crawl used. */
  pages: number;
  /** Cause → count; `crawls.errors` is their sum. */
  errorCauses: Record<string, number>;
}

/** One row of `courses`: the record plus what the warehouse keeps about it. */
export interface StoredCourse extends CourseRecord {
  /** The source whose crawl saw the row last (e.g. `coursera`, `sitemap:https://…`); gone is counted per source. */
  source: string;
  /** Start of the crawl that first inserted the row. */
  first_seen: Date;
  /** Start of the latest crawl that saw the row. */
  last_seen: Date;
  /** Start of the crawl that last changed its content (its first crawl when never changed). */
  changed_at: Date;
  /** SHA-256 (hex) of the content columns, see {@link contentHash}. */
  content_hash: string;
}

/** One row of `course_versions`: one distinct content of one course over a time range. */
export interface CourseVersion extends CourseRecord {
  /** Start of the crawl that saw this content first. */
  valid_from: Date;
  /** Start of the crawl that saw a different content; null for the current version. */
  valid_to: Date | null;
  content_hash: string;
}

/** One row of `crawls`. */
export interface CrawlRow {
  id: CrawlId;
  source: string;
  platform: string;
  started: Date;
  /** Null while the crawl runs (or when it died without finishing). */
  finished: Date | null;
  complete: boolean;
  pages: number;
  /** Sum of `error_causes`. */
  errors: number;
  error_causes: Record<string, number>;
  /** Sums over every upsert batch of the crawl. */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of the source not seen by this complete crawl; 0 for a crawl cut short. */
  gone: number;
}

/** Which rows of `courses` {@link CatalogWarehouse.courses} returns. */
export type CourseSelection =
  /** Every row ever stored. */
  | 'all'
  /**
   * Rows not gone: seen by the latest complete crawl of their source (rows of a source that has no
   * complete crawl yet are all current).
   */
  | 'current';

/**
 * A catalog warehouse. Obtain one with {@link openWarehouse}; always {@link close} it.
 *
 * A crawl is `beginCrawl` → any number of `upsert` batches → `finishCrawl`. Every batch is one
 * transaction; a crawl that dies between batches keeps the batches it committed, and its `crawls`
 * row stays unfinished (finished null, complete false), so it never counts anything gone.
 */
export interface CatalogWarehouse {
  /** `duckdb` or `postgres`. */
  readonly backend: 'duckdb' | 'postgres';
  /** The target as given, with any password replaced by `***`: safe to print. */
  readonly displayName: string;

  /** Records the start of one source's crawl (a `crawls` row) and returns its id. */
  beginCrawl(source: string, platform: string, started: Date): Promise<CrawlId>;

  /**
   * Upserts one batch in one transaction (DATA-CONTRACT §8): new rows are inserted with their first version;
   * rows whose content hash differs are updated (`changed_at` moves), their current version closed
   * and a new one appended; other rows only have `last_seen` moved. Every timestamp written is the
   * crawl's start. Records with the same platform and id within one batch: the last one wins (the
   * earlier ones are ignored and not counted). The batch's counts are added to the crawl's row.
   */
  upsert(crawl: CrawlId, records: readonly CourseRecord[]): Promise<UpsertCounts>;

  /**
   * Finishes the crawl's row. When `end.complete`, counts the rows of its source not seen by it
   * (`last_seen` before its start) as gone; rows are never deleted. Returns the finished row.
   */
  finishCrawl(crawl: CrawlId, end: CrawlEnd): Promise<CrawlRow>;

  /** Rows of `courses`, ordered by platform then id (code point order). */
  courses(selection: CourseSelection): Promise<StoredCourse[]>;
  /** Every row of `course_versions`, ordered by platform, id, then valid_from. */
  versions(): Promise<CourseVersion[]>;
  /** Every row of `crawls`, in id order. */
  crawls(): Promise<CrawlRow[]>;

  /** Closes the connection (and the DuckDB instance). Idempotent. */
  close(): Promise<void>;
}
