/** Sessions of the timed events, by window functions over the temp table `ev` (learner, time_ms). */
import type { DuckDBConnection } from '@duckdb/node-api';

/** The session gap in whole milliseconds (timestamps are whole milliseconds). */
export function sessionGapMs(minutes: number): number {
  return Math.round(minutes * 60_000);
}

/**
 * Creates the temp table `sessions` (learner, first, last) of `ev`'s events, a new session after a
 * gap of more than `gapMinutes`. Two window passes: the first keeps only the events that start or
 * end a session (one sort of the events, into the temp table `bounds`); the second pairs each start
 * with its end among those few rows. At equal times a start sorts before an end, so a session's
 * start is always followed by its own end.
 */
export async function createSessionTables(conn: DuckDBConnection, gapMinutes: number): Promise<void> {
  const gapMs = sessionGapMs(gapMinutes);
  await conn.run(
    `CREATE TEMP TABLE bounds AS SELECT learner, t, is_start, is_end FROM (` +
      `SELECT learner, time_ms AS t, coalesce(time_ms - lag(time_ms) OVER w > ${gapMs}, true) AS is_start, ` +
      `coalesce(lead(time_ms) OVER w - time_ms > ${gapMs}, true) AS is_end ` +
      `FROM ev WHERE time_ms IS NOT NULL WINDOW w AS (PARTITION BY learner ORDER BY time_ms)) WHERE is_start OR is_end`,
  );
  await conn.run(
    `CREATE TEMP TABLE sessions AS SELECT learner, t AS first, ` +
      `CASE WHEN is_end THEN t ELSE lead(t) OVER (PARTITION BY learner ORDER BY t, is_start DESC) END AS last ` +
      `FROM bounds QUALIFY is_start`,
  );
}
