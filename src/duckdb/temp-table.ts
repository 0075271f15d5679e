/** Temp tables filled from JavaScript through an appender. */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';

/** Creates the temp table `name` with `columns` (name, SQL type) and returns an appender onto it (the caller closes it). */
export async function createTempTable(conn: DuckDBConnection, name: string, columns: Array<[string, string]>): Promise<DuckDBAppender> {
  await conn.run(`CREATE TEMP TABLE ${name} (${columns.map(([c, type]) => `${c} ${type}`).join(', ')})`);
  return conn.createAppender(name, 'main', 'temp');
}

/** Appends one row of VARCHAR cells (null as NULL). */
export function appendValues(appender: DuckDBAppender, values: Array<string | null>): void {
  for (const v of values) {
    if (v === null) appender.appendNull();
    else appender.appendVarchar(v);
  }
  appender.endRow();
}

/** Appends one row of BIGINT cells. */
export function appendNumbers(appender: DuckDBAppender, values: number[]): void {
  for (const v of values) appender.appendBigInt(BigInt(v));
  appender.endRow();
}
