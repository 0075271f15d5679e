/**
 * The hand-written DuckDB baselines `npm run bench` compares clickstream with, run as their own
 * processes:
 *   node dist/bench/duckdb-baseline.js convert <export> <out.parquet>
 *   node dist/bench/duckdb-baseline.js query <dataset-dir>
 *   node dist/bench/duckdb-baseline.js analytics <dataset-dir>
 *   node dist/bench/duckdb-baseline.js convert-many <out.parquet> <export>…   (several files, e.g. rotated edX logs)
 *   node dist/bench/duckdb-baseline.js analytics-openedx <dataset-dir>       (the same analytics over edX columns)
 */
import { literal, withDuckDB } from '../src/duckdb/session.js';

async function main(): Promise<void> {
  const [mode, input, out, ...more] = process.argv.slice(2);
  if (mode === 'convert-many' && input && out) {
    // The same baseline over several files at once (DuckDB reads a list, gzip by the .gz name).
    const files = [out, ...more].map(literal).join(', ');
    await withDuckDB({}, async (conn) => {
      await conn.run(
        `COPY (SELECT * FROM read_json([${files}], format='newline_delimited', ignore_errors=true)) TO ${literal(input)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    });
  } else if (mode === 'analytics-openedx' && input) {
    await withDuckDB({}, async (conn) => {
      let groups = 0;
      for (const sql of openEdxAnalyticsQueries(literal(`${input}/*.parquet`))) {
        const reader = await conn.runAndReadAll(sql);
        groups += reader.currentRowCount;
      }
      process.stdout.write(`${groups} rows\n`);
    });
  } else if (mode === 'convert' && input && out) {
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
    process.stderr.write(
      'usage: duckdb-baseline.js convert <export> <out.parquet> | convert-many <out.parquet> <export>… | query <dataset-dir> | ' +
        'analytics <dataset-dir> | analytics-openedx <dataset-dir>\n',
    );
    process.exitCode = 2;
  }
}

await main();

/**
 * The learning analytics as a user would write them by hand in one DuckDB session (all cores):
 * event types, sections, referrers, daily and hour-of-week counts, sessions with window functions,
 * videos (DuckDB's JSON functions on the value) and one row per learner. UTC days; sections and
 * hosts by regular expression; a close approximation of DATA-CONTRACT §6, not its exact rules.
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

/**
 * The same analytics over an Open edX dataset's columns, as a user would write them by hand: event
 * type (`page` for a request path), section (the segment after the course id, by regular
 * expression), referrer host, days, hours, sessions, videos (DuckDB's JSON functions on `event`),
 * courses (`context.course_id`) and one row per learner. A close approximation of DATA-CONTRACT §7.
 */
function openEdxAnalyticsQueries(files: string): string[] {
  const video = `event_type IN ('play_video', 'pause_video', 'seek_video', 'speed_change_video', 'load_video', 'stop_video', 'edx.video.played', 'edx.video.paused', 'edx.video.position.changed', 'edx.video.speed.changed', 'edx.video.loaded', 'edx.video.stopped')`;
  const json = (path: string): string => `CASE WHEN json_valid(event) THEN json_extract_string(event, '${path}') END`;
  const path = `CASE WHEN starts_with(event_type, '/') THEN event_type ELSE regexp_extract(page, '^[a-z]+://[^/]+(/[^?#]*)', 1) END`;
  return [
    `CREATE TEMP TABLE e AS SELECT username, "timestamp" AS t, event_type, event, page, referer AS ref, ` +
      `CASE WHEN json_valid(context) THEN json_extract_string(context, '$.course_id') END AS course, ${path} AS p FROM read_parquet(${files})`,
    `SELECT CASE WHEN starts_with(event_type, '/') THEN 'page' ELSE coalesce(nullif(event_type, ''), '(missing)') END AS k, count(*), count(DISTINCT username) FROM e GROUP BY k`,
    `SELECT coalesce(nullif(CASE WHEN p LIKE '/courses/%' THEN regexp_extract(p, '^/courses/[^/+]+[/+][^/+]+[/+][^/?]+/([^/]*)', 1) ELSE split_part(p, '/', 2) END, ''), '(root)') AS s, count(*), count(DISTINCT username) FROM e GROUP BY s`,
    `SELECT coalesce(nullif(lower(regexp_extract(ref, '^[a-z]+://([^/:?#]+)', 1)), ''), '(direct)') AS h, count(*), count(DISTINCT username) FROM e GROUP BY h`,
    `SELECT coalesce(nullif(course, ''), '(none)') AS c, count(*), count(DISTINCT username) FROM e GROUP BY c`,
    `SELECT t // 86400000 AS d, count(*), count(DISTINCT username) FROM e WHERE t IS NOT NULL GROUP BY d ORDER BY d`,
    `SELECT dayofweek(epoch_ms(t)) AS w, hour(epoch_ms(t)) AS h, count(*), count(DISTINCT username) FROM e WHERE t IS NOT NULL GROUP BY ALL`,
    `CREATE TEMP TABLE s AS SELECT username, min(t) AS f, max(t) AS l FROM (
       SELECT username, t, sum(CASE WHEN t - p > 1800000 THEN 1 ELSE 0 END) OVER (PARTITION BY username ORDER BY t) AS sid
       FROM (SELECT username, t, lag(t) OVER (PARTITION BY username ORDER BY t) AS p FROM e WHERE t IS NOT NULL))
     GROUP BY username, sid`,
    `SELECT CASE WHEN l - f = 0 THEN 0 WHEN l - f <= 60000 THEN 1 WHEN l - f <= 300000 THEN 2 WHEN l - f <= 900000 THEN 3
       WHEN l - f <= 1800000 THEN 4 WHEN l - f <= 3600000 THEN 5 WHEN l - f <= 7200000 THEN 6 ELSE 7 END AS b, count(*) FROM s GROUP BY b`,
    `CREATE TEMP TABLE v AS SELECT username, coalesce(nullif(${json('$.id')}, ''), 'unknown') AS lecture, event_type AS action,
       TRY_CAST(CASE WHEN event_type IN ('seek_video', 'edx.video.position.changed') THEN ${json('$.new_time')} ELSE ${json('$.currentTime')} END AS DOUBLE) AS pos,
       TRY_CAST(coalesce(${json('$.new_speed')}, ${json('$.speed')}) AS DOUBLE) AS rate FROM e WHERE ${video}`,
    `SELECT lecture, sum(n), count(*), sum(play), sum(pause), sum(seeked), sum(rc), sum(n) - sum(play) - sum(pause) - sum(seeked) - sum(rc),
       quantile_disc(furthest, 0.5) FROM (
       SELECT lecture, username, count(*) AS n, count(*) FILTER (WHERE action LIKE 'play%' OR action = 'edx.video.played') AS play,
         count(*) FILTER (WHERE action LIKE 'pause%' OR action = 'edx.video.paused') AS pause,
         count(*) FILTER (WHERE action LIKE 'seek%' OR action = 'edx.video.position.changed') AS seeked,
         count(*) FILTER (WHERE action LIKE 'speed%' OR action = 'edx.video.speed.changed') AS rc, max(pos) AS furthest
       FROM v GROUP BY lecture, username) GROUP BY lecture`,
    `SELECT action, count(*), count(DISTINCT username) FROM v GROUP BY action`,
    `SELECT rate, count(*), count(DISTINCT username) FROM v WHERE rate > 0 GROUP BY rate`,
    `SELECT e.username, count(*), min(t), max(t), count(DISTINCT t // 86400000), any_value(s.n), any_value(s.tot),
       count(*) FILTER (WHERE starts_with(event_type, '/')), count(*) FILTER (WHERE ${video})
     FROM e LEFT JOIN (SELECT username, count(*) AS n, sum(l - f) AS tot FROM s GROUP BY username) s USING (username)
     GROUP BY e.username ORDER BY count(*) DESC, e.username`,
  ];
}
