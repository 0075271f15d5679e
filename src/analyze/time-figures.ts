/**
 * The time figures of a partition: the kept timed events (learner and time only) into the temp table
 * `ev`; per learner, local day and hour (`ldh`), then days and hours of the week; and, over the events
 * themselves, sessions.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { guarded, unguard } from '../duckdb/guarded-text.js';
import { forEachChunk, queryNumber, queryRows } from '../duckdb/query-rows.js';
import type { HourOfWeekRow } from '../report/report-types.js';
import type { PartialDay } from '../run/partial-result.js';
import type { ZoneCalendar } from '../analytics/zone-calendar.js';
import { localTimeColumns } from './local-time-columns.js';
import type { PartitionModel } from './partition-model.js';
import { createSessionTables } from './session-tables.js';

/** One learner's timed figures in a partition. */
export interface TimedLearner {
  days: number[];
  firstDay: number;
  lastDay: number;
  sessions: number;
  timeOnTaskMs: number;
  firstMs: number;
  lastMs: number;
}

/** What {@link timeFigures} gives. */
export interface TimeFigures {
  /** Kept events with no (plausible) time. */
  untimed: number;
  days: PartialDay[];
  hourOfWeek: HourOfWeekRow[];
  /** Pairs (duration in ms, sessions), by duration. */
  sessionDurations: Array<[number, number]>;
  /** Per learner with timed events. */
  timed: Map<string, TimedLearner>;
}

/** Days, hours of the week and sessions of the model's kept events (`events` of them, timed or not). */
export async function timeFigures(
  conn: DuckDBConnection,
  opened: PartitionModel,
  calendar: ZoneCalendar,
  sessionGapMinutes: number,
  events: number,
): Promise<TimeFigures> {
  const rows = (sql: string): Promise<unknown[][]> => queryRows(conn, sql);
  await conn.run(`CREATE TEMP TABLE ev AS SELECT learner, time_ms FROM ${opened.model}${opened.where('', 'time_ms IS NOT NULL')}`);
  const local = await localTimeColumns(conn, calendar);
  await conn.run(
    `CREATE TEMP TABLE ldh AS SELECT learner, day, hour, count(*) AS n, min(time_ms) AS f, max(time_ms) AS l FROM (` +
      `SELECT ev.learner, ev.time_ms, ${local.day} AS day, ${local.hour} AS hour FROM ev${local.joins} WHERE ev.time_ms IS NOT NULL) ` +
      `GROUP BY learner, day, hour`,
  );
  const untimed = events - (await queryNumber(conn, `SELECT coalesce(sum(n), 0) FROM ldh`));
  const days: PartialDay[] = (await rows(`SELECT day, sum(n), count(DISTINCT learner) FROM ldh GROUP BY day ORDER BY day`)).map(
    ([day, ev, learners]) => ({ day: Number(day), events: Number(ev), learners: Number(learners), newLearners: 0 }),
  );
  const hourOfWeek: HourOfWeekRow[] = (
    await rows(
      `SELECT ((day + 3) % 7 + 7) % 7 + 1 AS weekday, hour, sum(n), count(DISTINCT learner) FROM ldh GROUP BY ALL ORDER BY weekday, hour`,
    )
  ).map(([weekday, hour, ev, learners]) => ({ weekday: Number(weekday), hour: Number(hour), events: Number(ev), learners: Number(learners) }));

  await createSessionTables(conn, sessionGapMinutes);
  const sessionDurations = (await rows(`SELECT last - first AS d, count(*) FROM sessions GROUP BY d ORDER BY d`)).map(
    ([d, n]) => [Number(d), Number(n)] as [number, number],
  );
  const timed = await timedLearners(conn);
  const newByDay = new Map<number, number>();
  for (const t of timed.values()) newByDay.set(t.firstDay, (newByDay.get(t.firstDay) ?? 0) + 1);
  for (const d of days) d.newLearners = newByDay.get(d.day) ?? 0;
  return { untimed, days, hourOfWeek, sessionDurations, timed };
}

/** Each learner's days, first and last day and instant, sessions and time on task, from `ldh` and `sessions`. */
async function timedLearners(conn: DuckDBConnection): Promise<Map<string, TimedLearner>> {
  const timed = new Map<string, TimedLearner>();
  const timedRows: unknown[][] = [];
  await forEachChunk(
    conn,
    `WITH d AS (SELECT learner, list_sort(list_distinct(list(day))) AS days, arg_min(day, f) AS fd, arg_max(day, l) AS ld, ` +
      `min(f) AS f, max(l) AS l FROM ldh GROUP BY learner), ` +
      `s AS (SELECT learner, count(*) AS n, sum(last - first) AS tot FROM sessions GROUP BY learner) ` +
      `SELECT ${guarded('learner')}, days, fd, ld, n, tot, f, l FROM d JOIN s USING (learner)`,
    (chunk) => void timedRows.push(...chunk),
  );
  for (const [learner, dayList, fd, ld, n, tot, f, l] of timedRows) {
    timed.set(unguard(learner), {
      days: (dayList as { items: unknown[] }).items.map(Number),
      firstDay: Number(fd),
      lastDay: Number(ld),
      sessions: Number(n),
      timeOnTaskMs: Number(tot),
      firstMs: Number(f),
      lastMs: Number(l),
    });
  }
  return timed;
}
