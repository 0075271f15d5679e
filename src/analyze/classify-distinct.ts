/** Values only JavaScript reads exactly (page and referrer URLs), classified once per distinct value. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { guarded, unguard } from '../duckdb/guarded-text.js';
import { forEachChunk } from '../duckdb/query-rows.js';
import { appendValues, createTempTable } from '../duckdb/temp-table.js';
import { YieldPoint } from '../util/yield-point.js';

/**
 * Classifies every distinct non-null value of `column` in the `grp` rows `rowsOf` with `classify` into a temp table
 * `name` (`column`, then `outputs`), and returns what `classify` gives for null: rows with a null
 * value do not join, so callers use it in their place.
 */
export async function classifyDistinct(
  conn: DuckDBConnection,
  name: string,
  column: string,
  rowsOf: string,
  outputs: string[],
  classify: (value: string | null) => Array<string | null>,
): Promise<Array<string | null>> {
  const appender = await createTempTable(conn, name, [[column, 'VARCHAR'], ...outputs.map((o): [string, string] => [o, 'VARCHAR'])]);
  const turn = new YieldPoint();
  await forEachChunk(conn, `SELECT DISTINCT ${guarded(column)} FROM grp WHERE ${rowsOf} AND ${column} IS NOT NULL`, async (chunk) => {
    for (const [value] of chunk) {
      const text = unguard(value);
      appendValues(appender, [text, ...classify(text)]);
      if (turn.due()) await turn.pause();
    }
  });
  appender.closeSync();
  return classify(null);
}
