/**
 * The one grouped pass over a partition's kept events (GROUPING SETS), per learner and agent and
 * language header, event type, page, referrer and, for formats whose events name one, course; and the
 * counts read from it: courses, event types, sections (pages classified once per distinct URL) and
 * referrer hosts.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { guarded, unguard } from '../duckdb/guarded-text.js';
import { queryNumber, queryRows } from '../duckdb/query-rows.js';
import { literal } from '../duckdb/session.js';
import type { EventFormat, PageFields } from '../formats/event-format.js';
import type { NamedCount } from '../report/report-types.js';
import { referrerHost } from '../analytics/referrer.js';
import { classifyDistinct } from './classify-distinct.js';
import type { PartitionModel } from './partition-model.js';

// GROUPING() tells the sets apart: a bit for each column not grouped.
const [BY_AGENT, BY_TYPE, BY_PAGE, BY_REFERRER, BY_COURSE] = [0b01111, 0b10111, 0b11011, 0b11101, 0b11110];

/** What the grouped pass gives; it leaves the temp tables `grp` and `page_class` (page_url, section, lecture). */
export interface GroupedCounts {
  /** Rows (guarded learner, guarded agent, guarded language header, events, pageviews). */
  perAgent: unknown[][];
  /** Formats whose events name a course: events and learners per course. */
  courses?: NamedCount[];
  eventTypes: NamedCount[];
  sections: NamedCount[];
  referrers: NamedCount[];
  /** Kept events with an implausible time. */
  implausible: number;
  /** The lecture of an event without a page (rows with a null page do not join `page_class`). */
  lectureForNull: string | null;
}

/** Runs the grouped pass into the temp table `grp` and reads its counts. */
export async function groupedPass(conn: DuckDBConnection, opened: PartitionModel, format: EventFormat): Promise<GroupedCounts> {
  // Without courses the column is in no set, so GROUPING may not name it: the same bits, course's set.
  const grouping = format.hasCourses
    ? 'GROUPING(user_agent, event_type, page_url, referrer_url, course)'
    : 'GROUPING(user_agent, event_type, page_url, referrer_url) * 2 + 1';
  await conn.run(
    `CREATE TEMP TABLE grp AS SELECT ${grouping} AS g, learner, user_agent, accept_language, event_type, page_url, referrer_url, ` +
      `${format.hasCourses ? 'course' : 'NULL::VARCHAR AS course'}, count(*) AS n, count(*) FILTER (WHERE is_pageview) AS pv, ` +
      `count(*) FILTER (WHERE implausible_time) AS bad ` +
      `FROM ${opened.model}${opened.where('')} GROUP BY GROUPING SETS ((learner, user_agent, accept_language), (learner, event_type), ` +
      `(learner, page_url), (learner, referrer_url)${format.hasCourses ? ', (learner, course)' : ''})`,
  );
  const rows = (sql: string): Promise<unknown[][]> => queryRows(conn, sql);
  const counted: GroupedCounts = {
    perAgent: await rows(
      `SELECT ${guarded('learner')}, ${guarded(`coalesce(user_agent, '')`)}, ${guarded(`coalesce(accept_language, '')`)}, n, pv ` +
        `FROM grp WHERE g = ${BY_AGENT}`,
    ),
    eventTypes: namedCounts(
      await rows(`SELECT ${guarded('event_type')}, sum(n), count(DISTINCT learner) FROM grp WHERE g = ${BY_TYPE} GROUP BY event_type`),
    ),
    ...(await pagesAndReferrers(conn, format)),
    implausible: await queryNumber(conn, `SELECT coalesce(sum(bad), 0) FROM grp WHERE g = ${BY_TYPE}`),
  };
  if (format.hasCourses) {
    counted.courses = namedCounts(
      await rows(`SELECT ${guarded('course')}, sum(n), count(DISTINCT learner) FROM grp WHERE g = ${BY_COURSE} GROUP BY course`),
    );
  }
  return counted;
}

/** Sections and referrer hosts, each page and referrer URL classified once (temp tables `page_class`, `referrer_class`). */
async function pagesAndReferrers(
  conn: DuckDBConnection,
  format: EventFormat,
): Promise<Pick<GroupedCounts, 'sections' | 'referrers' | 'lectureForNull'>> {
  const [sectionForNull, lectureForNull] = await classifyDistinct(conn, 'page_class', 'page_url', `g = ${BY_PAGE}`, ['section', 'lecture'], (page) => {
    const fields: PageFields = format.page(page);
    return [fields.section, fields.lecture ?? null];
  });
  const sections = namedCounts(
    await queryRows(
      conn,
      `SELECT ${guarded(`coalesce(p.section, ${literal(sectionForNull as string)})`)}, sum(n), count(DISTINCT learner) ` +
        `FROM grp LEFT JOIN page_class p USING (page_url) WHERE g = ${BY_PAGE} GROUP BY 1`,
    ),
  );
  const [hostForNull] = await classifyDistinct(conn, 'referrer_class', 'referrer_url', `g = ${BY_REFERRER}`, ['host'], (from) => [
    referrerHost(from),
  ]);
  const referrers = namedCounts(
    await queryRows(
      conn,
      `SELECT ${guarded(`coalesce(r.host, ${literal(hostForNull as string)})`)}, sum(n), count(DISTINCT learner) ` +
        `FROM grp LEFT JOIN referrer_class r USING (referrer_url) WHERE g = ${BY_REFERRER} GROUP BY 1`,
    ),
  );
  return { sections, referrers, lectureForNull: lectureForNull ?? null };
}

/** Rows (guarded name, events, users) as NamedCounts. */
function namedCounts(result: unknown[][]): NamedCount[] {
  return result.map(([name, events, users]) => ({ name: unguard(name), events: Number(events), users: Number(users) }));
}
