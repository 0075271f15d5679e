/**
 * Which event times the analysis believes. A clickstream line stamped in year 9999 (or 1970, a
 * zero that meant "unknown") is a fault of the platform that wrote it, and taken at its word it
 * stretches every per-day table and chart over thousands of years. Such a time is implausible: the
 * event is analysed as untimed and counted apart. Convert still keeps the value as written.
 */

/** The first plausible instant: 1990-01-01T00:00:00.000Z (ms since the epoch). */
export const PLAUSIBLE_FROM_MS = Date.UTC(1990, 0, 1);
/** The first implausible instant after the plausible ones: 2100-01-01T00:00:00.000Z (ms). */
export const PLAUSIBLE_UNTIL_MS = Date.UTC(2100, 0, 1);

/** Whether a time (ms since the epoch, UTC) is plausible: from 1990-01-01 on, before 2100-01-01. */
export function isPlausibleTime(ms: number): boolean {
  return ms >= PLAUSIBLE_FROM_MS && ms < PLAUSIBLE_UNTIL_MS;
}

/** SQL (DuckDB) condition that the BIGINT expression `column` is a plausible time (null is not). */
export function plausibleTimeSql(column: string): string {
  return `(${column} >= ${PLAUSIBLE_FROM_MS} AND ${column} < ${PLAUSIBLE_UNTIL_MS})`;
}
