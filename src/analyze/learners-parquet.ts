/** learners.parquet (DATA-CONTRACT §6.4): each partition's learner rows, then their union in users.csv order. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal, withDuckDB } from '../duckdb/session.js';
import { createTempTable } from '../duckdb/temp-table.js';
import type { UserClicks } from '../report/report-types.js';
import type { PartialLearner } from '../run/partial-result.js';

/**
 * Writes the rows of every partition's learners file into one Parquet file at `out`, in users.csv
 * order: events (clicks) descending, then username ascending by code point, which is the byte
 * order DuckDB sorts VARCHAR in. One DuckDB thread, so the bytes are the same on every run.
 */
export async function unionLearnersParquet(files: readonly string[], out: string): Promise<void> {
  await withDuckDB({ threads: 1 }, async (conn) => {
    const list = `[${files.map(literal).join(', ')}]`;
    await conn.run(`COPY (SELECT * FROM read_parquet(${list}) ORDER BY events DESC, username) TO ${literal(out)} (FORMAT parquet)`);
  });
}

/** Writes the partition's rows of learners.parquet (columns of DATA-CONTRACT §6.4, times as UTC instants). */
export async function writeLearnersParquet(conn: DuckDBConnection, path: string, clicks: UserClicks[], learners: PartialLearner[]): Promise<void> {
  const appender = await createTempTable(conn, 'learner_rows', [
    ['username', 'VARCHAR'],
    ['events', 'BIGINT'],
    ['first_ms', 'BIGINT'],
    ['last_ms', 'BIGINT'],
    ['active_days', 'BIGINT'],
    ['sessions', 'BIGINT'],
    ['time_on_task_s', 'DOUBLE'],
    ['pageviews', 'BIGINT'],
    ['video_events', 'BIGINT'],
    ['lectures', 'BIGINT'],
    ['browser', 'VARCHAR'],
    ['os', 'VARCHAR'],
    ['device', 'VARCHAR'],
    ['language', 'VARCHAR'],
  ]);
  for (let i = 0; i < clicks.length; i++) {
    const c = clicks[i] as UserClicks;
    const l = learners[i] as PartialLearner;
    appender.appendVarchar(c.username);
    appender.appendBigInt(BigInt(c.clicks));
    if (l.firstMs === null) appender.appendNull();
    else appender.appendBigInt(BigInt(l.firstMs));
    if (l.lastMs === null) appender.appendNull();
    else appender.appendBigInt(BigInt(l.lastMs));
    appender.appendBigInt(BigInt(l.days.length));
    appender.appendBigInt(BigInt(l.sessions));
    appender.appendDouble(l.timeOnTaskMs / 1000);
    appender.appendBigInt(BigInt(l.pageviews));
    appender.appendBigInt(BigInt(l.videoEvents));
    appender.appendBigInt(BigInt(l.lectures));
    appender.appendVarchar(l.browser);
    appender.appendVarchar(l.os);
    appender.appendVarchar(l.device);
    appender.appendVarchar(l.language);
    appender.endRow();
  }
  appender.closeSync();
  // epoch_ms gives a naive UTC timestamp; AT TIME ZONE 'UTC' makes it an instant whatever the
  // session's zone, so Parquet readers see an absolute time (isAdjustedToUTC).
  const instant = (column: string): string => `epoch_ms(${column}) AT TIME ZONE 'UTC'`;
  await conn.run(
    `COPY (SELECT username, events, ${instant('first_ms')} AS first_event, ${instant('last_ms')} AS last_event, active_days, sessions, ` +
      `time_on_task_s, pageviews, video_events, lectures, browser, os, device, language FROM learner_rows) ` +
      `TO ${literal(path)} (FORMAT parquet)`,
  );
}
