/**
 * One partition file read as the event model (the format adapter's SQL), with the analysis filter
 * (DATA-CONTRACT §6.3) as SQL conditions, and with --course, the events of the other courses counted apart.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { UserAgentClassifier } from '../classify/user-agent.js';
import { guarded, unguard } from '../duckdb/guarded-text.js';
import { queryNumber, queryRows } from '../duckdb/query-rows.js';
import { literal } from '../duckdb/session.js';
import { appendValues, createTempTable } from '../duckdb/temp-table.js';
import { DatasetError } from '../errors.js';
import type { EventFormat } from '../formats/event-format.js';
import type { AnalysisSettings } from '../analytics/analysis-settings.js';
import { plausibleTimeSql } from '../analytics/plausible-time.js';
import { YieldPoint } from '../util/yield-point.js';

/** A partition's events as SQL, and what was counted while opening it. */
export interface PartitionModel {
  /** SQL subquery of the model columns; with --course, only that course's events. */
  model: string;
  /** ` WHERE ` with `more` and the filter's conditions on the table aliased `t` ('' for none). */
  where: (t: string, ...more: string[]) => string;
  /** Rows of the Parquet file (kept and left out), from its metadata. */
  total: number;
  /** With --course: events of the other courses. */
  outsideCourse?: number;
  /** With --course: the other courses' names. */
  otherCourses?: string[];
}

/** Opens the partition file at `path` as the event model (creating the temp table `bot_agents` with --exclude-bots). */
export async function openPartitionModel(
  conn: DuckDBConnection,
  path: string,
  settings: AnalysisSettings,
  format: EventFormat,
  classifier: UserAgentClassifier,
): Promise<PartitionModel> {
  // With --course, only that course's events are in the model: everything after, the filter
  // included, sees nothing else (the events of other courses are counted apart).
  const source = `read_parquet(${literal(path)})`;
  const courseOnly = settings.course !== undefined ? ` WHERE course = ${literal(settings.course)}` : '';
  // Implausible times (see plausible-time.ts) are untimed, and flagged so they can be counted.
  const model =
    `(SELECT learner, CASE WHEN ${plausibleTimeSql('time_ms')} THEN time_ms END AS time_ms, ` +
    `coalesce(NOT ${plausibleTimeSql('time_ms')}, false) AS implausible_time, ` +
    `user_agent, accept_language, event_type, page_url, referrer_url, is_pageview, is_video, video_payload, course ` +
    `FROM (SELECT ${format.modelSelect}, ${format.courseSelect} AS course FROM ${source})${courseOnly})`;
  let total: number;
  try {
    total = await queryNumber(conn, `SELECT count(*) FROM ${source}`);
  } catch (err) {
    // DuckDB's messages go on with the SQL and a caret: the first line says what is wrong.
    throw new DatasetError(`cannot read partition file ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }

  // Bots are known by classifying each distinct agent once.
  const filter = (t: string): string[] => [
    ...(settings.fromMs !== null ? [`${t}time_ms >= ${settings.fromMs}`] : []),
    ...(settings.toMs !== null ? [`${t}time_ms < ${settings.toMs}`] : []),
    ...(settings.excludeBots ? [`coalesce(${t}user_agent, '') NOT IN (SELECT ua FROM bot_agents)`] : []),
  ];
  if (settings.excludeBots) await createBotAgents(conn, model, classifier);
  const where = (t: string, ...more: string[]): string => {
    const all = [...more, ...filter(t)];
    return all.length > 0 ? ` WHERE ${all.join(' AND ')}` : '';
  };
  const opened: PartitionModel = { model, where, total };
  if (settings.course !== undefined) {
    // A pass of its own, over the course column only.
    const others = await queryRows(
      conn,
      `SELECT ${guarded('course')}, count(*) FROM (SELECT ${format.courseSelect} AS course FROM ${source}) ` +
        `WHERE course <> ${literal(settings.course)} GROUP BY course`,
    );
    opened.outsideCourse = others.reduce((sum, [, n]) => sum + Number(n), 0);
    opened.otherCourses = others.map(([name]) => unguard(name));
  }
  return opened;
}

/** The temp table `bot_agents` (ua): the distinct user agents of `model` the classifier calls bots. */
async function createBotAgents(conn: DuckDBConnection, model: string, classifier: UserAgentClassifier): Promise<void> {
  const bots = await createTempTable(conn, 'bot_agents', [['ua', 'VARCHAR']]);
  const turn = new YieldPoint();
  for (const [ua] of await queryRows(conn, `SELECT DISTINCT ${guarded(`coalesce(user_agent, '')`)} FROM ${model}`)) {
    const agent = unguard(ua);
    if (classifier.classify(agent).device === 'bot') appendValues(bots, [agent]);
    if (turn.due()) await turn.pause();
  }
  bots.closeSync();
}
