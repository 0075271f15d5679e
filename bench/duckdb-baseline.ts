/**
 * The hand-written DuckDB baselines `npm run bench` compares clickstream with, run as their own
 * processes:
 *   node dist/bench/duckdb-baseline.js convert <export> <out.parquet>
 *   node dist/bench/duckdb-baseline.js query <dataset-dir>
 *   node dist/bench/duckdb-baseline.js analytics <dataset-dir>
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
  } else if (mode === 'analytics' && input) {
    await withDuckDB({}, async (conn) => {
      let groups = 0;
      for (const sql of analyticsQueries(literal(`${input}/*.parquet`))) {
        const reader = await conn.runAndReadAll(sql);
        groups += reader.currentRowCount;
      }
      process.stdout.write(`${groups} rows\n`);
    });
  } else {
    process.stderr.write('usage: duckdb-baseline.js convert <export> <out.parquet> | query <dataset-dir> | analytics <dataset-dir>\n');
    process.exitCode = 2;
  }
}

await main();

/**
 * The learning analytics as a user would write them by hand in one DuckDB session (all cores):
 * event types, sections, referrers, daily and hour-of-week counts, sessions with window functions,
 * videos (DuckDB's JSON functions on the value) and one row per learner. UTC days; sections and
 * hosts by regular expression; a close approximation of SPEC §6, not its exact rules.
 */
function analyticsQueries(files: string): string[] {
  const video = `key = 'user.video.lecture.action'`;
  const json = (path: string): string => `CASE WHEN json_valid(value) THEN json_extract_string(value, '${path}') END`;
  return [
    `CREATE TEMP TABLE e AS SELECT username, "timestamp" AS t, key, value, page_url, "from" AS ref FROM read_parquet(${files})`,
    `SELECT coalesce(nullif(key, ''), '(missing)') AS k, count(*), count(DISTINCT username) FROM e GROUP BY k`,
    `SELECT coalesce(nullif(split_part(regexp_extract(page_url, '^[a-z]+://[^/]+(/[^?#]*)', 1), '/', 3), ''), '(root)') AS s, count(*), count(DISTINCT username) FROM e GROUP BY s`,
    `SELECT coalesce(nullif(lower(regexp_extract(ref, '^[a-z]+://([^/:?#]+)', 1)), ''), '(direct)') AS h, count(*), count(DISTINCT username) FROM e GROUP BY h`,
    `SELECT t // 86400000 AS d, count(*), count(DISTINCT username) FROM e WHERE t IS NOT NULL GROUP BY d ORDER BY d`,
    `SELECT dayofweek(epoch_ms(t)) AS w, hour(epoch_ms(t)) AS h, count(*), count(DISTINCT username) FROM e WHERE t IS NOT NULL GROUP BY ALL`,
    `CREATE TEMP TABLE s AS SELECT username, min(t) AS f, max(t) AS l FROM (
       SELECT username, t, sum(CASE WHEN t - p > 1800000 THEN 1 ELSE 0 END) OVER (PARTITION BY username ORDER BY t) AS sid
       FROM (SELECT username, t, lag(t) OVER (PARTITION BY username ORDER BY t) AS p FROM e WHERE t IS NOT NULL))
     GROUP BY username, sid`,
    `SELECT CASE WHEN l - f = 0 THEN 0 WHEN l - f <= 60000 THEN 1 WHEN l - f <= 300000 THEN 2 WHEN l - f <= 900000 THEN 3
       WHEN l - f <= 1800000 THEN 4 WHEN l - f <= 3600000 THEN 5 WHEN l - f <= 7200000 THEN 6 ELSE 7 END AS b, count(*) FROM s GROUP BY b`,
    `CREATE TEMP TABLE v AS SELECT username, coalesce(nullif(regexp_extract(page_url, '[?&]lecture_id=([^&#]*)', 1), ''), ${json('$.lectureID')}, 'unknown') AS lecture,
       coalesce(${json('$.type')}, 'unknown') AS action, TRY_CAST(${json('$.currentTime')} AS DOUBLE) AS pos,
       TRY_CAST(${json('$.playbackRate')} AS DOUBLE) AS rate FROM e WHERE ${video}`,
    `SELECT lecture, sum(n), count(*), sum(play), sum(pause), sum(seeked), sum(rc), sum(n) - sum(play) - sum(pause) - sum(seeked) - sum(rc),
       quantile_disc(furthest, 0.5) FROM (
       SELECT lecture, username, count(*) AS n, count(*) FILTER (WHERE action = 'play') AS play, count(*) FILTER (WHERE action = 'pause') AS pause,
         count(*) FILTER (WHERE action = 'seeked') AS seeked, count(*) FILTER (WHERE action = 'ratechange') AS rc, max(pos) AS furthest
       FROM v GROUP BY lecture, username) GROUP BY lecture`,
    `SELECT action, count(*), count(DISTINCT username) FROM v GROUP BY action`,
    `SELECT rate, count(*), count(DISTINCT username) FROM v WHERE rate > 0 GROUP BY rate`,
    `SELECT e.username, count(*), min(t), max(t), count(DISTINCT t // 86400000), any_value(s.n), any_value(s.tot),
       count(*) FILTER (WHERE key = 'pageview'), count(*) FILTER (WHERE ${video})
     FROM e LEFT JOIN (SELECT username, count(*) AS n, sum(l - f) AS tot FROM s GROUP BY username) s USING (username)
     GROUP BY e.username ORDER BY count(*) DESC, e.username`,
  ];
}
