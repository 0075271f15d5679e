/** Reading query results from DuckDB into JavaScript without holding the thread for a large result. */
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Runs `sql` and hands its rows to `visit` one DuckDB chunk (at most 2048 rows) at a time, each
 * fetched asynchronously: converting a large result to JavaScript at once would hold the thread.
 */
export async function forEachChunk(conn: DuckDBConnection, sql: string, visit: (rows: unknown[][]) => void | Promise<void>): Promise<void> {
  const result = await conn.run(sql);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    await visit(chunk.getRows() as unknown[][]);
  }
}

/** Every row of `sql`, fetched chunk by chunk (see {@link forEachChunk}). */
export async function queryRows(conn: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const out: unknown[][] = [];
  await forEachChunk(conn, sql, (chunk) => void out.push(...chunk));
  return out;
}

/** The first cell of `sql`'s first row as a number (0 when there is no row). */
export async function queryNumber(conn: DuckDBConnection, sql: string): Promise<number> {
  return Number((await queryRows(conn, sql))[0]?.[0] ?? 0);
}
