/**
 * The catalog warehouse in a PostgreSQL database, through one `pg` connection. The database must
 * exist; its tables and the `catalog_upsert` procedure are created by versioned migrations when it
 * is opened. Each batch is one `CALL catalog_upsert(…)`: one transaction, all decisions on the server.
 */
import pg from 'pg';
import { WarehouseError } from '../../errors.js';
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
import { prepareBatch } from './content-hash.js';
import { applyMigrations } from './migration.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { SerialQueue } from './serial-queue.js';
import { inTransaction, warehouseStep } from './warehouse-step.js';
import { CURRENT_COURSES_SQL, errorCausesJson, errorTotal, sortCourses, sortVersions, toCourseVersion, toCrawlRow, toStoredCourse } from './warehouse-rows.js';
import { redactTarget, scrubSecrets } from './warehouse-target.js';

/** How long connecting may take before the server counts as unreachable (pg waits forever by default). */
export const CONNECT_TIMEOUT_MS = 15_000;

// Any fixed number: serialises migrations of concurrent openers of the same database.
const MIGRATION_LOCK = 0x636c6963;

export class PostgresWarehouse implements CatalogWarehouse {
  readonly backend = 'postgres' as const;
  private readonly queue = new SerialQueue();
  private closed = false;

  private constructor(
    private readonly target: string,
    readonly displayName: string,
    private readonly client: pg.Client,
  ) {}

  /** Connects to the database a `postgres://` URL names and migrates it. */
  static async open(url: string): Promise<PostgresWarehouse> {
    const displayName = redactTarget(url);
    let client: pg.Client;
    try {
      client = new pg.Client({ connectionString: url, application_name: 'clickstream catalog', connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    } catch (err) {
      throw new WarehouseError(`cannot use the PostgreSQL warehouse ${displayName}: ${scrubSecrets(message(err), url)}`);
    }
    // A server that goes away later must not crash the process through an unhandled 'error' event;
    // the next query fails with its own error instead.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new WarehouseError(`cannot connect to the PostgreSQL warehouse ${displayName}: ${scrubSecrets(message(err), url)}`);
    }
    const warehouse = new PostgresWarehouse(url, displayName, client);
    try {
      await warehouse.migrate();
      return warehouse;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (err instanceof WarehouseError) throw err;
      throw new WarehouseError(`cannot migrate the PostgreSQL warehouse ${displayName}: ${scrubSecrets(message(err), url)}`);
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async () => {
      await this.client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await this.client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)',
      );
      const applied = (await this.client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version));
      await applyMigrations(POSTGRES_MIGRATIONS, applied, `the PostgreSQL warehouse ${this.displayName}`, (sql, params) => this.client.query(sql, params));
    });
  }

  beginCrawl(source: string, platform: string, started: Date): Promise<CrawlId> {
    return this.serial('begin a crawl', async () => {
      const result = await this.client.query<{ id: string }>('INSERT INTO crawls (source, platform, started) VALUES ($1, $2, $3) RETURNING id', [
        source,
        platform,
        started,
      ]);
      return Number(result.rows[0]!.id);
    });
  }

  upsert(crawl: CrawlId, records: readonly CourseRecord[]): Promise<UpsertCounts> {
    const batch = JSON.stringify(prepareBatch(records));
    return this.serial('upsert courses', async () => {
      const result = await this.client.query<{ n_inserted: string; n_updated: string; n_unchanged: string }>(
        'CALL catalog_upsert($1, $2::jsonb)',
        [crawl, batch],
      );
      const row = result.rows[0]!;
      return { inserted: Number(row.n_inserted), updated: Number(row.n_updated), unchanged: Number(row.n_unchanged) };
    });
  }

  finishCrawl(crawl: CrawlId, end: CrawlEnd): Promise<CrawlRow> {
    return this.serial('finish a crawl', () =>
      this.transaction(async () => {
        const found = await this.client.query<{ started: Date; source: string }>('SELECT started, source FROM crawls WHERE id = $1 FOR UPDATE', [crawl]);
        const c = found.rows[0];
        if (!c) throw new WarehouseError(`the PostgreSQL warehouse ${this.displayName} has no crawl ${crawl}`);
        let gone = 0;
        if (end.complete) {
          const r = await this.client.query<{ n: string }>('SELECT count(*) AS n FROM courses WHERE source = $1 AND last_seen < $2', [c.source, c.started]);
          gone = Number(r.rows[0]!.n);
        }
        const updated = await this.client.query(
          `UPDATE crawls SET finished = $1, complete = $2, pages = $3, errors = $4, error_causes = $5, gone = $6
           WHERE id = $7 RETURNING *`,
          [end.finished, end.complete, end.pages, errorTotal(end.errorCauses), errorCausesJson(end.errorCauses), gone, crawl],
        );
        return toCrawlRow(updated.rows[0]!);
      }),
    );
  }

  courses(selection: CourseSelection): Promise<StoredCourse[]> {
    return this.serial('read courses', async () => {
      const sql = selection === 'current' ? CURRENT_COURSES_SQL : 'SELECT * FROM courses';
      return sortCourses((await this.client.query(sql)).rows.map(toStoredCourse));
    });
  }

  versions(): Promise<CourseVersion[]> {
    return this.serial('read course versions', async () => sortVersions((await this.client.query('SELECT * FROM course_versions')).rows.map(toCourseVersion)));
  }

  crawls(): Promise<CrawlRow[]> {
    return this.serial('read crawls', async () => (await this.client.query('SELECT * FROM crawls ORDER BY id')).rows.map(toCrawlRow));
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.client.end().catch(() => undefined);
    });
  }

  private transaction<T>(fn: () => Promise<T>): Promise<T> {
    return inTransaction((sql) => this.client.query(sql), 'BEGIN', fn);
  }

  /** Queues `task`; a PostgreSQL failure becomes a WarehouseError saying what was being done. */
  private serial<T>(what: string, task: () => Promise<T>): Promise<T> {
    return warehouseStep(
      this.queue,
      () => this.closed,
      `the PostgreSQL warehouse ${this.displayName}`,
      what,
      task,
      (err, doing) => new WarehouseError(`${doing}: ${scrubSecrets(message(err), this.target)}`),
    );
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
