/**
 * The hand-written DuckDB baselines `npm run bench` compares clickstream with, run as their own
 * processes:
 *   node dist/bench/duckdb-baseline.js convert <export> <out.parquet>
 *   node dist/bench/duckdb-baseline.js query <dataset-dir>
 */
import { literal, withDuckDB } from '../src/duckdb/session.js';

async function main(): Promise<void> {
  const [mode, input, out] = process.argv.slice(2);
  if (mode === 'convert' && input && out) {
    // The baseline a user would write: DuckDB's own reader with all cores, bad lines ignored.
    await withDuckDB({}, async (conn) => {
      await conn.run(
        `COPY (SELECT * FROM read_json(${literal(input)}, format='newline_delimited', ignore_errors=true)) TO ${literal(out)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    });
  } else if (mode === 'query' && input) {
    // Events and distinct users per raw user agent and per raw language header, clicks per learner.
    await withDuckDB({}, async (conn) => {
      const files = literal(`${input}/*.parquet`);
      const reader = await conn.runAndReadAll(
        `SELECT user_agent, language, username, count(*) AS events, count(DISTINCT username) AS users
         FROM read_parquet(${files}) GROUP BY GROUPING SETS ((user_agent), (language), (username))`,
      );
      process.stdout.write(`${reader.currentRowCount} groups\n`);
    });
  } else {
    process.stderr.write('usage: duckdb-baseline.js convert <export> <out.parquet> | query <dataset-dir>\n');
    process.exitCode = 2;
  }
}

await main();
