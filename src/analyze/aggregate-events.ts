/**
 * Everything a partition job computes, over one partition's events: version 1's counts (DATA-CONTRACT §5)
 * and the learning analytics (DATA-CONTRACT §6), in the mergeable form of {@link PartialResult}.
 *
 * The partition's Parquet file is read through the format adapter's SQL (the event model) three
 * times, each reading only the columns it needs: one grouped pass (GROUPING SETS) for the counts by
 * learner and agent, event type, page, referrer and (formats that name one) course; the timed events (learner, time) into a narrow
 * temp table for days, hours and the session window functions; and the video payloads. Values only
 * JavaScript reads exactly (user agents, language headers, page and referrer URLs, zone offsets) are
 * classified once per distinct value and joined back; video payloads are parsed one by one, handed
 * over packed in one value. Counting and distinct learners stay in DuckDB.
 */
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import { primaryLanguage } from '../classify/language.js';
import type { UserAgentClassifier } from '../classify/user-agent.js';
import { literal } from '../duckdb/session.js';
import { DatasetError } from '../errors.js';
import type { EventFormat, PageFields, VideoFields } from '../formats/event-format.js';
import { UNKNOWN_LECTURE } from '../formats/event-format.js';
import type {
  HourOfWeekRow,
  NamedCount,
  PartialAnalytics,
  PartialDay,
  PartialLearner,
  PartialLecture,
  PartialResult,
  PlaybackRateCount,
  UserAgentRow,
  UserClicks,
} from '../types.js';
import type { AnalysisSettings } from '../analytics/analysis-settings.js';
import { referrerHost } from '../analytics/referrer.js';
import { BUCKET_MS, type ZoneCalendar } from '../analytics/zone-calendar.js';
import { plausibleTimeSql } from '../analytics/plausible-time.js';
import { majority } from '../analytics/majority.js';
import { YieldPoint } from '../util/yield-point.js';

/** What {@link aggregateEvents} works with, besides the connection. */
export interface AggregateEventsOptions {
  /** The partition's Parquet file. */
  path: string;
  partition: number;
  settings: AnalysisSettings;
  format: EventFormat;
  calendar: ZoneCalendar;
  /** Shared by the jobs of a thread: partitions repeat the same agents. */
  classifier: UserAgentClassifier;
  /** Where to write the partition's rows of learners.parquet (written whole, then renamed by the caller). */
  learnersPath: string;
  /** File name recorded in the partial for {@link learnersPath}. */
  learnersFile: string;
}

/** The partial result, and how many rows the Parquet file held (kept and left out). */
export interface AggregatedPartition {
  partial: PartialResult;
  rows: number;
}

// @duckdb/node-api (1.5.6) decodes strings with a default TextDecoder, which drops a leading U+FEFF:
// strings that go from DuckDB to JS carry one guard character, taken off again here.
const guarded = (column: string): string => `'.' || ${column}`;
const unguard = (value: unknown): string => String(value).slice(1);

const MS_PER_DAY = 86_400_000;
/** Floor division of a BIGINT expression by a positive constant (DuckDB's `//` truncates). */
const floorDiv = (expr: string, by: number): string => `((${expr}) - ((((${expr}) % ${by}) + ${by}) % ${by})) // ${by}`;

/** Aggregates one partition. The connection's temp tables are the caller's to drop (close it). */
export async function aggregateEvents(conn: DuckDBConnection, options: AggregateEventsOptions): Promise<AggregatedPartition> {
  const { path, partition, settings, format, calendar, classifier } = options;
  const rows = async (sql: string): Promise<unknown[][]> => {
    const out: unknown[][] = [];
    await forEachChunk(conn, sql, (chunk) => void out.push(...chunk));
    return out;
  };
  const count = async (sql: string): Promise<number> => Number((await rows(sql))[0]?.[0] ?? 0);

  // 1. The model columns of the partition file (the format's SQL). Implausible times are untimed
  // (see the contract). Its rows are counted from the Parquet metadata.
  // With --course, only that course's events are in the model: everything below, the filter
  // included, sees nothing else (the events of other courses are counted apart).
  const source = `read_parquet(${literal(path)})`;
  const courseOnly = settings.course !== undefined ? ` WHERE course = ${literal(settings.course)}` : '';
  // Implausible times (see plausible-time.ts) are untimed too, and flagged so they can be counted.
  const model =
    `(SELECT learner, CASE WHEN ${plausibleTimeSql('time_ms')} THEN time_ms END AS time_ms, ` +
    `coalesce(NOT ${plausibleTimeSql('time_ms')}, false) AS implausible_time, ` +
    `user_agent, accept_language, event_type, page_url, referrer_url, is_pageview, is_video, video_payload, course ` +
    `FROM (SELECT ${format.modelSelect}, ${format.courseSelect} AS course FROM ${source})${courseOnly})`;
  let total: number;
  try {
    total = await count(`SELECT count(*) FROM ${source}`);
  } catch (err) {
    // DuckDB's messages go on with the SQL and a caret: the first line says what is wrong.
    throw new DatasetError(`cannot read partition file ${path}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }

  // 2. The filter (DATA-CONTRACT §6.3), as conditions on the model columns of the table aliased `t` ('' for
  // none). Bots are known by classifying each distinct agent once.
  const filter = (t: string): string[] => [
    ...(settings.fromMs !== null ? [`${t}time_ms >= ${settings.fromMs}`] : []),
    ...(settings.toMs !== null ? [`${t}time_ms < ${settings.toMs}`] : []),
    ...(settings.excludeBots ? [`coalesce(${t}user_agent, '') NOT IN (SELECT ua FROM bot_agents)`] : []),
  ];
  if (settings.excludeBots) {
    const bots = await createTable(conn, 'bot_agents', [['ua', 'VARCHAR']]);
    const turn = new YieldPoint();
    for (const [ua] of await rows(`SELECT DISTINCT ${guarded(`coalesce(user_agent, '')`)} FROM ${model}`)) {
      const agent = unguard(ua);
      if (classifier.classify(agent).device === 'bot') appendValues(bots, [agent]);
      if (turn.due()) await turn.pause();
    }
    bots.closeSync();
  }
  const where = (t: string, ...more: string[]): string => {
    const all = [...more, ...filter(t)];
    return all.length > 0 ? ` WHERE ${all.join(' AND ')}` : '';
  };

  // With --course: the events of the other courses (a pass of their own, over the course column only).
  let outsideCourse: number | undefined;
  let otherCourses: string[] | undefined;
  if (settings.course !== undefined) {
    const others = await rows(
      `SELECT ${guarded('course')}, count(*) FROM (SELECT ${format.courseSelect} AS course FROM ${source}) ` +
        `WHERE course <> ${literal(settings.course)} GROUP BY course`,
    );
    outsideCourse = others.reduce((sum, [, n]) => sum + Number(n), 0);
    otherCourses = others.map(([name]) => unguard(name));
  }

  // 3. One grouped pass over the kept events, per learner and agent and language header, event
  // type, page and referrer, and for formats whose events name one, course (GROUPING() tells the
  // sets apart: a bit for each column not grouped).
  // Without courses the column is in no set, so GROUPING may not name it: the same bits, course's set.
  const grouping = format.hasCourses
    ? 'GROUPING(user_agent, event_type, page_url, referrer_url, course)'
    : 'GROUPING(user_agent, event_type, page_url, referrer_url) * 2 + 1';
  await conn.run(
    `CREATE TEMP TABLE grp AS SELECT ${grouping} AS g, learner, user_agent, accept_language, event_type, page_url, referrer_url, ` +
      `${format.hasCourses ? 'course' : 'NULL::VARCHAR AS course'}, count(*) AS n, count(*) FILTER (WHERE is_pageview) AS pv, ` +
      `count(*) FILTER (WHERE implausible_time) AS bad ` +
      `FROM ${model}${where('')} GROUP BY GROUPING SETS ((learner, user_agent, accept_language), (learner, event_type), ` +
      `(learner, page_url), (learner, referrer_url)${format.hasCourses ? ', (learner, course)' : ''})`,
  );
  const [BY_AGENT, BY_TYPE, BY_PAGE, BY_REFERRER, BY_COURSE] = [0b01111, 0b10111, 0b11011, 0b11101, 0b11110];
  const courses = format.hasCourses
    ? namedCounts(await rows(`SELECT ${guarded('course')}, sum(n), count(DISTINCT learner) FROM grp WHERE g = ${BY_COURSE} GROUP BY course`))
    : undefined;
  const perAgent = await rows(
    `SELECT ${guarded('learner')}, ${guarded(`coalesce(user_agent, '')`)}, ${guarded(`coalesce(accept_language, '')`)}, n, pv ` +
      `FROM grp WHERE g = ${BY_AGENT}`,
  );
  const v1 = await countAgents(perAgent, classifier);
  let events = 0;
  for (const c of v1.clicks) events += c.clicks;

  // 4. Event types, sections and referrers.
  const eventTypes = namedCounts(
    await rows(`SELECT ${guarded('event_type')}, sum(n), count(DISTINCT learner) FROM grp WHERE g = ${BY_TYPE} GROUP BY event_type`),
  );
  const [sectionForNull, lectureForNull] = await classifyDistinct(conn, 'page_class', 'page_url', `g = ${BY_PAGE}`, ['section', 'lecture'], (page) => {
    const fields: PageFields = format.page(page);
    return [fields.section, fields.lecture ?? null];
  });
  const sections = namedCounts(
    await rows(
      `SELECT ${guarded(`coalesce(p.section, ${literal(sectionForNull as string)})`)}, sum(n), count(DISTINCT learner) ` +
        `FROM grp LEFT JOIN page_class p USING (page_url) WHERE g = ${BY_PAGE} GROUP BY 1`,
    ),
  );
  const [hostForNull] = await classifyDistinct(conn, 'referrer_class', 'referrer_url', `g = ${BY_REFERRER}`, ['host'], (from) => [
    referrerHost(from),
  ]);
  const referrers = namedCounts(
    await rows(
      `SELECT ${guarded(`coalesce(r.host, ${literal(hostForNull as string)})`)}, sum(n), count(DISTINCT learner) ` +
        `FROM grp LEFT JOIN referrer_class r USING (referrer_url) WHERE g = ${BY_REFERRER} GROUP BY 1`,
    ),
  );

  // 5. Videos: each video event's payload read by the format (with its page's lecture), counted
  // here. The payloads come straight from the Parquet file, packed into one value per learner:
  // converting DuckDB values to JavaScript one by one costs more than parsing them.
  const pageLecture = `CASE WHEN v.page_url IS NULL THEN ${lectureForNull === null ? 'NULL' : literal(lectureForNull as string)} ELSE p.lecture END`;
  const counter = new VideoCounter((lecture, payload) => format.video(payload, lecture ?? undefined));
  const turn = new YieldPoint();
  await forEachChunk(
    conn,
    `SELECT ${guarded('v.learner')}, encode(string_agg(${packSql([pageLecture, 'v.video_payload'])}, '')) ` +
      // A learner's events in up to 8 parts (consecutive all the same): no one value is so large
      // that unpacking it holds the thread for long.
      `FROM ${model} v LEFT JOIN page_class p USING (page_url)${where('v.', 'v.is_video')} ` +
      `GROUP BY v.learner, hash(v.video_payload) % 8 ORDER BY v.learner`,
    async (chunk) => {
      for (const [learner, packed] of chunk) {
        const name = unguard(learner);
        let events = 0;
        unpack(blobBytes(packed) as Buffer, 2, ([lecture, payload]) => {
          counter.add(name, lecture ?? null, payload ?? null);
          events++;
        });
        if (turn.due(events)) await turn.pause();
      }
    },
  );
  const video = { ...counter.finish(), learners: counter.learners };

  // 6. Time: the kept timed events (learner and time only); per learner, local day and hour, then
  // days and hours of the week; and, over the events themselves, sessions.
  await conn.run(`CREATE TEMP TABLE ev AS SELECT learner, time_ms FROM ${model}${where('', 'time_ms IS NOT NULL')}`);
  const local = await localTimeColumns(conn, calendar);
  await conn.run(
    `CREATE TEMP TABLE ldh AS SELECT learner, day, hour, count(*) AS n, min(time_ms) AS f, max(time_ms) AS l FROM (` +
      `SELECT ev.learner, ev.time_ms, ${local.day} AS day, ${local.hour} AS hour FROM ev${local.joins} WHERE ev.time_ms IS NOT NULL) ` +
      `GROUP BY learner, day, hour`,
  );
  const untimed = events - (await count(`SELECT coalesce(sum(n), 0) FROM ldh`));
  const implausible = await count(`SELECT coalesce(sum(bad), 0) FROM grp WHERE g = ${BY_TYPE}`);
  const days: PartialDay[] = (await rows(`SELECT day, sum(n), count(DISTINCT learner) FROM ldh GROUP BY day ORDER BY day`)).map(
    ([day, ev, learners]) => ({ day: Number(day), events: Number(ev), learners: Number(learners), newLearners: 0 }),
  );
  const hourOfWeek: HourOfWeekRow[] = (
    await rows(
      `SELECT ((day + 3) % 7 + 7) % 7 + 1 AS weekday, hour, sum(n), count(DISTINCT learner) FROM ldh GROUP BY ALL ORDER BY weekday, hour`,
    )
  ).map(([weekday, hour, ev, learners]) => ({ weekday: Number(weekday), hour: Number(hour), events: Number(ev), learners: Number(learners) }));

  // Sessions in two window passes: the first keeps only the events that start or end a session (one
  // sort of the events); the second pairs each start with its end among those few rows. At equal
  // times a start sorts before an end, so a session's start is always followed by its own end.
  const gapMs = sessionGapMs(settings.sessionGapMinutes);
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
  const sessionDurations = (await rows(`SELECT last - first AS d, count(*) FROM sessions GROUP BY d ORDER BY d`)).map(
    ([d, n]) => [Number(d), Number(n)] as [number, number],
  );
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
  const newByDay = new Map<number, number>();
  for (const t of timed.values()) newByDay.set(t.firstDay, (newByDay.get(t.firstDay) ?? 0) + 1);
  for (const d of days) d.newLearners = newByDay.get(d.day) ?? 0;

  // 7. Learners, in clicks order.
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  const learners: PartialLearner[] = v1.clicks.map(({ username }) => {
    const a = v1.learners.get(username) as LearnerAgents;
    const t = timed.get(username);
    const v = video.learners.get(username);
    if (t !== undefined) {
      if (firstMs === null || t.firstMs < firstMs) firstMs = t.firstMs;
      if (lastMs === null || t.lastMs > lastMs) lastMs = t.lastMs;
    }
    return {
      firstMs: t?.firstMs ?? null,
      lastMs: t?.lastMs ?? null,
      firstDay: t?.firstDay ?? null,
      lastDay: t?.lastDay ?? null,
      days: t?.days ?? [],
      sessions: t?.sessions ?? 0,
      timeOnTaskMs: t?.timeOnTaskMs ?? 0,
      pageviews: a.pageviews,
      videoEvents: v?.events ?? 0,
      lectures: v?.lectures ?? 0,
      browser: majority(a.browsers),
      os: majority(a.os),
      device: majority(a.devices),
      language: majority(a.languages),
    };
  });
  await writeLearnersParquet(conn, options.learnersPath, v1.clicks, learners);

  const analytics: PartialAnalytics = {
    untimed,
    implausible,
    firstMs,
    lastMs,
    eventTypes,
    sections,
    referrers,
    days,
    hourOfWeek,
    sessionDurations,
    video: {
      events: video.events,
      viewers: video.learners.size,
      actions: video.actions,
      playbackRates: video.playbackRates,
      lectures: video.lectures,
    },
    learners,
    learnersFile: options.learnersFile,
  };
  const partial: PartialResult = {
    partition,
    events,
    users: v1.clicks.length,
    browsers: v1.browsers,
    os: v1.os,
    devices: v1.devices,
    languages: v1.languages,
    userAgents: v1.userAgents,
    clicks: v1.clicks,
    leftOut: total - events,
    analytics,
  };
  if (outsideCourse !== undefined) {
    partial.leftOut -= outsideCourse;
    partial.outsideCourse = outsideCourse;
    partial.otherCourses = otherCourses ?? [];
  }
  if (courses !== undefined) analytics.courses = courses;
  return { partial, rows: total };
}

interface TimedLearner {
  days: number[];
  firstDay: number;
  lastDay: number;
  sessions: number;
  timeOnTaskMs: number;
  firstMs: number;
  lastMs: number;
}

/** A learner's events by class, for the majority columns of learners.csv. */
interface LearnerAgents {
  pageviews: number;
  browsers: Map<string, number>;
  os: Map<string, number>;
  devices: Map<string, number>;
  languages: Map<string, number>;
}

const add = (map: Map<string, number>, key: string, n: number): void => {
  map.set(key, (map.get(key) ?? 0) + n);
};

/**
 * Version 1's figures from rows (learner, agent, language header, events, pageviews): events and
 * distinct learners per agent, browser, OS, device and language; clicks per learner; and each
 * learner's events per class.
 */
async function countAgents(perAgent: unknown[][], classifier: UserAgentClassifier) {
  const learners = new Map<string, LearnerAgents>();
  const agents = new Map<string, { events: number; learners: Set<string> }>();
  const languageOf = new Map<string, string>();
  // Classifying a new user agent takes tens of microseconds: thousands of them, on a first job.
  const turn = new YieldPoint();
  for (const [l, u, h, n, pv] of perAgent) {
    if (turn.due()) await turn.pause();
    const learner = unguard(l);
    const ua = unguard(u);
    const header = unguard(h);
    const events = Number(n);
    let language = languageOf.get(header);
    if (language === undefined) {
      language = primaryLanguage(header);
      languageOf.set(header, language);
    }
    const c = classifier.classify(ua);
    let a = learners.get(learner);
    if (a === undefined) {
      a = { pageviews: 0, browsers: new Map(), os: new Map(), devices: new Map(), languages: new Map() };
      learners.set(learner, a);
    }
    a.pageviews += Number(pv);
    add(a.browsers, c.browser, events);
    add(a.os, c.os, events);
    add(a.devices, c.device, events);
    add(a.languages, language, events);
    let agent = agents.get(ua);
    if (agent === undefined) {
      agent = { events: 0, learners: new Set() };
      agents.set(ua, agent);
    }
    agent.events += events;
    agent.learners.add(learner);
  }
  const byClass = (pick: (a: LearnerAgents) => Map<string, number>): NamedCount[] => {
    const counts = new Map<string, NamedCount>();
    for (const a of learners.values()) {
      for (const [name, events] of pick(a)) {
        const c = counts.get(name);
        if (c === undefined) counts.set(name, { name, events, users: 1 });
        else {
          c.events += events;
          c.users++;
        }
      }
    }
    return [...counts.values()];
  };
  const userAgents: UserAgentRow[] = [...agents].map(([userAgent, a]) => {
    const c = classifier.classify(userAgent);
    return { userAgent, browser: c.browser, os: c.os, device: c.device, events: a.events, users: a.learners.size };
  });
  const clicks: UserClicks[] = [];
  for (const [username, a] of learners) {
    let n = 0;
    for (const events of a.browsers.values()) n += events;
    clicks.push({ username, clicks: n });
  }
  return {
    learners,
    clicks,
    userAgents,
    browsers: byClass((a) => a.browsers),
    os: byClass((a) => a.os),
    devices: byClass((a) => a.devices),
    languages: byClass((a) => a.languages),
  };
}

/** Rows (guarded name, events, users) as NamedCounts. */
function namedCounts(result: unknown[][]): NamedCount[] {
  return result.map(([name, events, users]) => ({ name: unguard(name), events: Number(events), users: Number(users) }));
}

/**
 * Classifies every distinct non-null value of `column` in the `grp` rows `rowsOf` with `classify` into a temp table
 * `name` (`column`, then `outputs`), and returns what `classify` gives for null: rows with a null
 * value do not join, so callers use it in their place.
 */
async function classifyDistinct(
  conn: DuckDBConnection,
  name: string,
  column: string,
  rowsOf: string,
  outputs: string[],
  classify: (value: string | null) => Array<string | null>,
): Promise<Array<string | null>> {
  const appender = await createTable(conn, name, [[column, 'VARCHAR'], ...outputs.map((o): [string, string] => [o, 'VARCHAR'])]);
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

/** SQL packing VARCHAR `columns` of a row into one text: each `n` for null or `<UTF-8 bytes>:<text>`. */
export function packSql(columns: string[]): string {
  return columns.map((c) => `CASE WHEN ${c} IS NULL THEN 'n' ELSE strlen(${c})::VARCHAR || ':' || ${c} END`).join(' || ');
}

/**
 * Unpacks rows of `width` cells packed by {@link packSql} (many rows concatenated, as bytes) and hands
 * each to `visit` (the same array each time). One conversion from DuckDB for many cells, and no text
 * decoder that could drop a leading U+FEFF. A cell equal to the same cell of the previous row reuses
 * its string rather than decoding the bytes again.
 */
export function unpack(bytes: Buffer, width: number, visit: (row: Array<string | null>) => void): void {
  const previousStart = new Array<number>(width).fill(-1);
  const previousLength = new Array<number>(width).fill(-1);
  const previousText = new Array<string>(width).fill('');
  const row = new Array<string | null>(width).fill(null);
  let c = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === 0x6e) {
      row[c] = null;
      i++;
    } else {
      let length = 0;
      for (; bytes[i] !== 0x3a; i++) length = length * 10 + (bytes[i] as number) - 0x30;
      i++;
      const start = previousStart[c] as number;
      if (length === previousLength[c] && bytes.compare(bytes, start, start + length, i, i + length) === 0) {
        row[c] = previousText[c] as string;
      } else {
        const text = bytes.toString('utf8', i, i + length);
        previousText[c] = text;
        previousLength[c] = length;
        row[c] = text;
      }
      previousStart[c] = i;
      i += length;
    }
    if (++c === width) {
      visit(row);
      c = 0;
    }
  }
}

/** The bytes of a BLOB value from DuckDB (null stays null). */
function blobBytes(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  const { bytes } = value as { bytes: Uint8Array };
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The session gap in whole milliseconds (timestamps are whole milliseconds). */
export function sessionGapMs(minutes: number): number {
  return Math.round(minutes * 60_000);
}

/** One lecture's figures while a partition's video events are counted. */
interface LectureAccumulator {
  row: PartialLecture;
}

/**
 * Counts a partition's video events, given learner by learner (one learner's events consecutive,
 * possibly over several {@link add} calls): distinct learners per action, rate and lecture and
 * each viewer's furthest position are counted without sets of learners.
 */
export class VideoCounter {
  private readonly actions = new Map<string, NamedCount>();
  private readonly rates = new Map<number, PlaybackRateCount>();
  private readonly lectures = new Map<string, LectureAccumulator>();
  /** Per learner: video events and known lectures. */
  readonly learners = new Map<string, { events: number; lectures: number }>();
  private events = 0;
  // The current learner's events, actions, rates and lectures (with the furthest position, -1 for none).
  private current: string | undefined;
  private mine = 0;
  private readonly mineActions = new Set<NamedCount>();
  private readonly mineRates = new Set<PlaybackRateCount>();
  private readonly mineLectures = new Map<LectureAccumulator, number>();

  constructor(private readonly read: (pageLecture: string | null, payload: string | null) => VideoFields) {}

  /** One video event of `learner`: the lecture its page names (or null) and its payload (or null). */
  add(learner: string, pageLecture: string | null, payload: string | null): void {
    if (learner !== this.current) {
      this.flush();
      this.current = learner;
    }
    this.events++;
    this.mine++;
    const v = this.read(pageLecture, payload);
    let action = this.actions.get(v.action);
    if (action === undefined) this.actions.set(v.action, (action = { name: v.action, events: 0, users: 0 }));
    action.events++;
    this.mineActions.add(action);
    if (v.rate !== undefined) {
      let rate = this.rates.get(v.rate);
      if (rate === undefined) this.rates.set(v.rate, (rate = { rate: v.rate, events: 0, users: 0 }));
      rate.events++;
      this.mineRates.add(rate);
    }
    let lecture = this.lectures.get(v.lecture);
    if (lecture === undefined) {
      lecture = { row: { lecture: v.lecture, events: 0, viewers: 0, play: 0, pause: 0, seeked: 0, ratechange: 0, other: 0, furthest: [] } };
      this.lectures.set(v.lecture, lecture);
    }
    const row = lecture.row;
    row.events++;
    switch (v.action) {
      case 'play':
        row.play++;
        break;
      case 'pause':
        row.pause++;
        break;
      case 'seeked':
        row.seeked++;
        break;
      case 'ratechange':
        row.ratechange++;
        break;
      default:
        row.other++;
    }
    const furthest = this.mineLectures.get(lecture) ?? -1;
    this.mineLectures.set(lecture, v.position !== undefined && v.position > furthest ? v.position : furthest);
  }

  /** The partition's video figures (call once, after the last {@link add}). */
  finish() {
    this.flush();
    return {
      events: this.events,
      actions: [...this.actions.values()],
      playbackRates: [...this.rates.values()],
      lectures: [...this.lectures.values()].map(({ row }) => ({ ...row, furthest: row.furthest.sort((x, y) => x - y) })),
    };
  }

  private flush(): void {
    if (this.current === undefined) return;
    for (const a of this.mineActions) a.users++;
    for (const r of this.mineRates) r.users++;
    let known = 0;
    for (const [lecture, furthest] of this.mineLectures) {
      lecture.row.viewers++;
      if (furthest >= 0) lecture.row.furthest.push(furthest);
      if (lecture.row.lecture !== UNKNOWN_LECTURE) known++;
    }
    this.learners.set(this.current, { events: this.mine, lectures: known });
    this.mineActions.clear();
    this.mineRates.clear();
    this.mineLectures.clear();
    this.mine = 0;
    this.current = undefined;
  }
}

/**
 * SQL for the local day number and hour of `ev.time_ms`, and the joins they need. UTC needs no
 * lookup; another zone's offset is looked up once per 15-minute bucket, and instant by instant only
 * in buckets where the offset changes (or is not a whole number of 15 minutes).
 */
async function localTimeColumns(conn: DuckDBConnection, calendar: ZoneCalendar): Promise<{ day: string; hour: string; joins: string }> {
  let offset = '0';
  let joins = '';
  if (calendar.timeZone !== 'UTC') {
    const bucket = floorDiv('ev.time_ms', BUCKET_MS);
    const zb = await createTable(conn, 'zone_buckets', [['bucket', 'BIGINT'], ['off', 'BIGINT']]);
    const irregular: number[] = [];
    await forEachChunk(conn, `SELECT DISTINCT ${bucket} FROM ev WHERE time_ms IS NOT NULL`, (chunk) => {
      for (const [b] of chunk) {
        const n = Number(b);
        const bucketOffset = calendar.bucketOffset(n);
        if (bucketOffset === undefined) irregular.push(n);
        else appendNumbers(zb, [n, bucketOffset]);
      }
    });
    zb.closeSync();
    joins = ` LEFT JOIN zone_buckets zb ON zb.bucket = ${bucket}`;
    offset = 'zb.off';
    if (irregular.length > 0) {
      const zi = await createTable(conn, 'zone_instants', [['time_ms', 'BIGINT'], ['off', 'BIGINT']]);
      await forEachChunk(conn, `SELECT DISTINCT time_ms FROM ev WHERE ${bucket} IN (${irregular.join(', ')})`, (chunk) => {
        for (const [t] of chunk) appendNumbers(zi, [Number(t), calendar.offset(Number(t))]);
      });
      zi.closeSync();
      joins += ` LEFT JOIN zone_instants zi ON zi.time_ms = ev.time_ms`;
      offset = 'coalesce(zi.off, zb.off)';
    }
  }
  const localMs = `(ev.time_ms + ${offset})`;
  const day = floorDiv(localMs, MS_PER_DAY);
  return { day, hour: `(${localMs} - ${day} * ${MS_PER_DAY}) // 3600000`, joins };
}

/** Writes the partition's rows of learners.parquet (columns of DATA-CONTRACT §6.4, times as UTC instants). */
async function writeLearnersParquet(conn: DuckDBConnection, path: string, clicks: UserClicks[], learners: PartialLearner[]): Promise<void> {
  const appender = await createTable(conn, 'learner_rows', [
    ['username', 'VARCHAR'],
    ['events', 'BIGINT'],
    ['first_ms', 'BIGINT'],
    ['last_ms', 'BIGINT'],
    ['active_days', 'BIGINT'],
    ['sessions', 'BIGINT'],
    ['time_on_task_s', 'DOUBLE'],
    ['pageviews', 'BIGINT'],
    ['video_events', 'BIGINT'],
    ['lectures', 'BIGINT'],
    ['browser', 'VARCHAR'],
    ['os', 'VARCHAR'],
    ['device', 'VARCHAR'],
    ['language', 'VARCHAR'],
  ]);
  for (let i = 0; i < clicks.length; i++) {
    const c = clicks[i] as UserClicks;
    const l = learners[i] as PartialLearner;
    appender.appendVarchar(c.username);
    appender.appendBigInt(BigInt(c.clicks));
    if (l.firstMs === null) appender.appendNull();
    else appender.appendBigInt(BigInt(l.firstMs));
    if (l.lastMs === null) appender.appendNull();
    else appender.appendBigInt(BigInt(l.lastMs));
    appender.appendBigInt(BigInt(l.days.length));
    appender.appendBigInt(BigInt(l.sessions));
    appender.appendDouble(l.timeOnTaskMs / 1000);
    appender.appendBigInt(BigInt(l.pageviews));
    appender.appendBigInt(BigInt(l.videoEvents));
    appender.appendBigInt(BigInt(l.lectures));
    appender.appendVarchar(l.browser);
    appender.appendVarchar(l.os);
    appender.appendVarchar(l.device);
    appender.appendVarchar(l.language);
    appender.endRow();
  }
  appender.closeSync();
  // epoch_ms gives a naive UTC timestamp; AT TIME ZONE 'UTC' makes it an instant whatever the
  // session's zone, so Parquet readers see an absolute time (isAdjustedToUTC).
  const instant = (column: string): string => `epoch_ms(${column}) AT TIME ZONE 'UTC'`;
  await conn.run(
    `COPY (SELECT username, events, ${instant('first_ms')} AS first_event, ${instant('last_ms')} AS last_event, active_days, sessions, ` +
      `time_on_task_s, pageviews, video_events, lectures, browser, os, device, language FROM learner_rows) ` +
      `TO ${literal(path)} (FORMAT parquet)`,
  );
}

async function createTable(conn: DuckDBConnection, name: string, columns: Array<[string, string]>): Promise<DuckDBAppender> {
  await conn.run(`CREATE TEMP TABLE ${name} (${columns.map(([c, type]) => `${c} ${type}`).join(', ')})`);
  return conn.createAppender(name, 'main', 'temp');
}

function appendValues(appender: DuckDBAppender, values: Array<string | null>): void {
  for (const v of values) {
    if (v === null) appender.appendNull();
    else appender.appendVarchar(v);
  }
  appender.endRow();
}

function appendNumbers(appender: DuckDBAppender, values: number[]): void {
  for (const v of values) appender.appendBigInt(BigInt(v));
  appender.endRow();
}
