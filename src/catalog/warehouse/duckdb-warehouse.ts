/**
 * The catalog warehouse in one DuckDB file: embedded, nothing to set up. The file is created when
 * missing and migrated to the current schema when opened. DuckDB lets one process write a file at a
 * time: a second opener gets a WarehouseError saying the file is locked.
 */
import { DuckDBInstance, LIST, VARCHAR, listValue, type DuckDBAppender, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { WarehouseError } from '../../errors.js';
import { exists } from '../../util/output-dir.js';
import type { CourseRecord } from '../course-record.js';
import type {
  CatalogWarehouse,
  CourseSelection,
  CourseVersion,
  CrawlEnd,
  CrawlId,
  CrawlRow,
  StoredCourse,
  UpsertCounts,
} from './catalog-warehouse.js';
import { prepareBatch, type PreparedRecord } from './content-hash.js';
import { DUCKDB_MIGRATIONS } from './duckdb-migrations.js';
import { applyMigrations } from './migration.js';
import { SerialQueue } from './serial-queue.js';
import { inTransaction, warehouseStep } from './warehouse-step.js';
import {
  CONTENT_COLUMNS_SQL,
  CURRENT_COURSES_SQL,
  errorCausesJson,
  errorTotal,
  sortCourses,
  sortVersions,
  toCourseVersion,
  toCrawlRow,
  toStoredCourse,
} from './warehouse-rows.js';

const BATCH_TABLE = 'catalog_batch';

// The batch of one upsert: the prepared records plus the action SQL decides for each.
const BATCH_DDL = `CREATE OR REPLACE TEMP TABLE ${BATCH_TABLE} (
  platform VARCHAR, id VARCHAR, kind VARCHAR, url VARCHAR, title VARCHAR,
  partners VARCHAR[], instructors VARCHAR[], language VARCHAR, level VARCHAR, categories VARCHAR[],
  price DOUBLE, currency VARCHAR, rating DOUBLE, ratings DOUBLE, enrolments DOUBLE, hours DOUBLE,
  course_ids VARCHAR[], description VARCHAR, content_hash VARCHAR, action VARCHAR)`;

const B_CONTENT = CONTENT_COLUMNS_SQL.split(', ')
  .map((c) => `b.${c}`)
  .join(', ');
const SET_CONTENT = CONTENT_COLUMNS_SQL.split(', ')
  .map((c) => `${c} = b.${c}`)
  .join(', ');

// The statements of one batch after its rows are appended; $1 is the crawl's start, $2 its source.
// The classification is made once, before anything changes, and every later statement follows it.
const CLASSIFY_SQL = `UPDATE ${BATCH_TABLE} AS b SET action = CASE WHEN c.content_hash = b.content_hash THEN 'unchanged' ELSE 'update' END
  FROM courses c WHERE c.platform = b.platform AND c.id = b.id`;

const COUNT_SQL = `SELECT
    count(*) FILTER (WHERE action = 'insert') AS inserted,
    count(*) FILTER (WHERE action = 'update') AS updated,
    count(*) FILTER (WHERE action = 'unchanged') AS unchanged
  FROM ${BATCH_TABLE}`;

const CLOSE_VERSIONS_SQL = `UPDATE course_versions AS v SET valid_to = $1::TIMESTAMPTZ
  FROM ${BATCH_TABLE} b
  WHERE b.action = 'update' AND v.platform = b.platform AND v.id = b.id AND v.valid_to IS NULL`;

const ADD_VERSIONS_SQL = `INSERT INTO course_versions (platform, id, valid_from, valid_to, ${CONTENT_COLUMNS_SQL}, content_hash)
  SELECT b.platform, b.id, $1::TIMESTAMPTZ, NULL, ${B_CONTENT}, b.content_hash
  FROM ${BATCH_TABLE} b WHERE b.action <> 'unchanged'`;

const MERGE_SQL = `MERGE INTO courses AS c USING ${BATCH_TABLE} AS b ON c.platform = b.platform AND c.id = b.id
  WHEN MATCHED AND b.action = 'update' THEN UPDATE SET ${SET_CONTENT}, content_hash = b.content_hash,
    changed_at = $1::TIMESTAMPTZ, last_seen = greatest(c.last_seen, $1::TIMESTAMPTZ), source = $2
  WHEN MATCHED THEN UPDATE SET last_seen = greatest(c.last_seen, $1::TIMESTAMPTZ), source = $2
  WHEN NOT MATCHED THEN INSERT (platform, id, ${CONTENT_COLUMNS_SQL}, first_seen, last_seen, changed_at, content_hash, source)
    VALUES (b.platform, b.id, ${B_CONTENT}, $1::TIMESTAMPTZ, $1::TIMESTAMPTZ, $1::TIMESTAMPTZ, b.content_hash, $2)`;

// A batch of unchanged rows (every row of a re-crawl of a stable catalog) only moves last_seen.
const SEEN_SQL = `UPDATE courses AS c SET last_seen = greatest(c.last_seen, $1::TIMESTAMPTZ), source = $2
  FROM ${BATCH_TABLE} b WHERE c.platform = b.platform AND c.id = b.id`;

/** Options of {@link DuckDBWarehouse.open}. */
export interface DuckDBWarehouseOptions {
  /** DuckDB worker threads. Default: DuckDB's own (all cores). */
  threads?: number;
  /** Refuse a path where no file exists instead of creating the file. Default false. */
  mustExist?: boolean;
}

export class DuckDBWarehouse implements CatalogWarehouse {
  readonly backend = 'duckdb' as const;
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    readonly displayName: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Opens (creating when missing) the DuckDB file at `path` and migrates it. */
  static async open(path: string, options: DuckDBWarehouseOptions = {}): Promise<DuckDBWarehouse> {
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.mustExist && !(await exists(path))) {
      throw new WarehouseError(`there is no DuckDB warehouse at ${path}: the file does not exist`);
    }
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      throw new WarehouseError(`cannot open the DuckDB warehouse ${path}: ${firstLine(err)}`, { cause: err });
    }
    let conn: DuckDBConnection | undefined;
    try {
      conn = await instance.connect();
      const warehouse = new DuckDBWarehouse(path, instance, conn);
      await warehouse.migrate();
      await conn.run(BATCH_DDL);
      return warehouse;
    } catch (err) {
      conn?.closeSync();
      instance.closeSync();
      if (err instanceof WarehouseError) throw err;
      throw new WarehouseError(`cannot prepare the DuckDB warehouse ${path}: ${firstLine(err)}`, { cause: err });
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async () => {
      await this.conn.run(
        `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`,
      );
      const applied = (await this.conn.runAndReadAll('SELECT version FROM schema_migrations')).getRows().map((r) => Number(r[0]));
      await applyMigrations(DUCKDB_MIGRATIONS, applied, `the DuckDB warehouse ${this.displayName}`, (sql, params) => this.conn.run(sql, params as DuckDBValue[] | undefined));
    });
  }

  beginCrawl(source: string, platform: string, started: Date): Promise<CrawlId> {
    return this.serial('begin a crawl', async () => {
      const reader = await this.conn.runAndReadAll(
        'INSERT INTO crawls (source, platform, started) VALUES ($1, $2, $3::TIMESTAMPTZ) RETURNING id',
        [source, platform, started.toISOString()],
      );
      return Number(reader.getRows()[0]![0]);
    });
  }

  upsert(crawl: CrawlId, records: readonly CourseRecord[]): Promise<UpsertCounts> {
    const batch = prepareBatch(records);
    return this.serial('upsert courses', () =>
      this.transaction(async () => {
        const { started, source } = await this.crawlStart(crawl);
        await this.conn.run(`DELETE FROM ${BATCH_TABLE}`);
        const appender = await this.conn.createAppender(BATCH_TABLE, 'main', 'temp');
        try {
          for (const r of batch) appendRecord(appender, r);
          appender.flushSync();
        } finally {
          appender.closeSync();
        }
        await this.conn.run(CLASSIFY_SQL);
        const row = (await this.conn.runAndReadAll(COUNT_SQL)).getRowObjectsJS()[0]!;
        const counts = { inserted: Number(row.inserted), updated: Number(row.updated), unchanged: Number(row.unchanged) };
        // Statements with nothing to do are skipped: each costs a scan of a growing table.
        if (counts.updated > 0) await this.conn.run(CLOSE_VERSIONS_SQL, [started]);
        if (counts.inserted + counts.updated > 0) {
          await this.conn.run(ADD_VERSIONS_SQL, [started]);
          await this.conn.run(MERGE_SQL, [started, source]);
        } else if (counts.unchanged > 0) {
          await this.conn.run(SEEN_SQL, [started, source]);
        }
        await this.conn.run('UPDATE crawls SET inserted = inserted + $1, updated = updated + $2, unchanged = unchanged + $3 WHERE id = $4', [
          counts.inserted,
          counts.updated,
          counts.unchanged,
          crawl,
        ]);
        return counts;
      }),
    );
  }

  finishCrawl(crawl: CrawlId, end: CrawlEnd): Promise<CrawlRow> {
    return this.serial('finish a crawl', () =>
      this.transaction(async () => {
        const { started, source } = await this.crawlStart(crawl);
        let gone = 0;
        if (end.complete) {
          const reader = await this.conn.runAndReadAll('SELECT count(*) FROM courses WHERE source = $1 AND last_seen < $2::TIMESTAMPTZ', [source, started]);
          gone = Number(reader.getRows()[0]![0]);
        }
        const reader = await this.conn.runAndReadAll(
          `UPDATE crawls SET finished = $1::TIMESTAMPTZ, complete = $2, pages = $3, errors = $4, error_causes = $5, gone = $6
           WHERE id = $7 RETURNING *`,
          [end.finished.toISOString(), end.complete, end.pages, errorTotal(end.errorCauses), errorCausesJson(end.errorCauses), gone, crawl],
        );
        return toCrawlRow(reader.getRowObjectsJS()[0]!);
      }),
    );
  }

  courses(selection: CourseSelection): Promise<StoredCourse[]> {
    return this.serial('read courses', async () => {
      const sql = selection === 'current' ? CURRENT_COURSES_SQL : 'SELECT * FROM courses';
      const rows = (await this.conn.runAndReadAll(sql)).getRowObjectsJS();
      return sortCourses(rows.map(toStoredCourse));
    });
  }

  versions(): Promise<CourseVersion[]> {
    return this.serial('read course versions', async () => {
      const rows = (await this.conn.runAndReadAll('SELECT * FROM course_versions')).getRowObjectsJS();
      return sortVersions(rows.map(toCourseVersion));
    });
  }

  crawls(): Promise<CrawlRow[]> {
    return this.serial('read crawls', async () => {
      const rows = (await this.conn.runAndReadAll('SELECT * FROM crawls ORDER BY id')).getRowObjectsJS();
      return rows.map(toCrawlRow);
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }

  /** The crawl's start (ISO text, as the statements bind it) and source; WarehouseError when unknown. */
  private async crawlStart(crawl: CrawlId): Promise<{ started: string; source: string }> {
    const rows = (await this.conn.runAndReadAll('SELECT started, source FROM crawls WHERE id = $1', [crawl])).getRowObjectsJS();
    const row = rows[0];
    if (!row) throw new WarehouseError(`the DuckDB warehouse ${this.displayName} has no crawl ${crawl}`);
    return { started: (row.started as Date).toISOString(), source: String(row.source) };
  }

  private transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.conn.run(sql), 'BEGIN TRANSACTION', fn);
  }

  /** Queues `task`; a DuckDB failure becomes a WarehouseError saying what was being done. */
  private serial<T>(what: string, task: () => Promise<T>): Promise<T> {
    return warehouseStep(
      this.queue,
      () => this.closed,
      `the DuckDB warehouse ${this.displayName}`,
      what,
      task,
      (err, doing) => new WarehouseError(`${doing}: ${firstLine(err)}`, { cause: err }),
    );
  }
}

const STRING_LIST = LIST(VARCHAR);

function appendText(appender: DuckDBAppender, value: string | null): void {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}

function appendNumber(appender: DuckDBAppender, value: number | null): void {
  if (value === null) appender.appendNull();
  else appender.appendDouble(value);
}

function appendList(appender: DuckDBAppender, value: readonly string[]): void {
  appender.appendList(listValue(value), STRING_LIST);
}

/** Appends one batch row in {@link BATCH_DDL} column order; every row starts as 'insert'. */
function appendRecord(a: DuckDBAppender, r: PreparedRecord): void {
  a.appendVarchar(r.platform);
  a.appendVarchar(r.id);
  a.appendVarchar(r.kind);
  appendText(a, r.url);
  appendText(a, r.title);
  appendList(a, r.partners);
  appendList(a, r.instructors);
  appendText(a, r.language);
  appendText(a, r.level);
  appendList(a, r.categories);
  appendNumber(a, r.price);
  appendText(a, r.currency);
  appendNumber(a, r.rating);
  appendNumber(a, r.ratings);
  appendNumber(a, r.enrolments);
  appendNumber(a, r.hours);
  appendList(a, r.course_ids);
  appendText(a, r.description);
  a.appendVarchar(r.content_hash);
  a.appendVarchar('insert');
  a.endRow();
}

/** The first line of an error's message: DuckDB appends context lines that only repeat it. */
export function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.trim();
}
