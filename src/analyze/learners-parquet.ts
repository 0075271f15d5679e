/** learners.parquet (DATA-CONTRACT §6.4): the union of the partitions' learner rows, in users.csv order. */
import { literal, withDuckDB } from '../duckdb/session.js';

/** Name of the learners table in Parquet, in a report directory. */
export const LEARNERS_PARQUET = 'learners.parquet';

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
