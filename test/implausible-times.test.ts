/**
 * Implausible times (DATA-CONTRACT §6.1): a time before 1990-01-01 or from 2100-01-01 on (UTC) makes its
 * event untimed for the analysis and is counted in summary.time.implausible; convert keeps it as
 * written. Both bounds are tested to the millisecond, in both input formats, in local and Redis
 * mode. The plausible events of the datasets lie 110 years apart, so the report is also a long
 * legitimate span: daily.csv keeps all 40,177 days while the chart draws a bounded number of bars.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlausibleTime, PLAUSIBLE_FROM_MS, PLAUSIBLE_UNTIL_MS } from '../src/analytics/plausible-time.js';
import { dailyBuckets, MAX_DAILY_BARS } from '../src/report/daily-buckets.js';
import type { DailyRow } from '../src/report/report-types.js';
import { cli, describeRun, readCsv } from './helpers/e2e.js';
import { deletePrefix, REDIS_URL, reportDifferences, runCli, startWorker, stopWorkers, testPrefix, type CliProcess } from './helpers/redis-harness.js';

const TIMEOUT = 300_000;

// The instants of the tests, as ms since the epoch, computed by hand: 1990-01-01 is 7305 days
// after 1970-01-01 (20 years, 5 of them leap), 2100-01-01 is 47482 days after it (130 years, 32 leap).
const MS_PER_DAY = 86_400_000;
const JUST_BEFORE_1990 = 7305 * MS_PER_DAY - 1; // 1989-12-31T23:59:59.999Z: implausible
const AT_1990 = 7305 * MS_PER_DAY; // 1990-01-01T00:00:00.000Z: plausible
const JUST_BEFORE_2100 = 47482 * MS_PER_DAY - 1; // 2099-12-31T23:59:59.999Z: plausible
const AT_2100 = 47482 * MS_PER_DAY; // 2100-01-01T00:00:00.000Z: implausible
const YEAR_9999_END = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z: implausible

describe('the plausible range', () => {
  it('is [1990-01-01, 2100-01-01) in UTC, to the millisecond', () => {
    expect([PLAUSIBLE_FROM_MS, PLAUSIBLE_UNTIL_MS]).toEqual([AT_1990, AT_2100]);
    expect(new Date(JUST_BEFORE_1990).toISOString()).toBe('1989-12-31T23:59:59.999Z');
    expect(new Date(JUST_BEFORE_2100).toISOString()).toBe('2099-12-31T23:59:59.999Z');
    expect([JUST_BEFORE_1990, AT_1990, JUST_BEFORE_2100, AT_2100, YEAR_9999_END, 0, -1].map(isPlausibleTime)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('the daily chart draws a bounded number of bars', () => {
  const days = (n: number, from = '2013-01-01'): DailyRow[] =>
    Array.from({ length: n }, (_, i) => ({
      date: new Date(Date.parse(`${from}T00:00:00Z`) + i * MS_PER_DAY).toISOString().slice(0, 10),
      events: 1,
      learners: i % 2 === 0 ? 2 : 0,
      newLearners: 0,
    }));

  it('one bar per day while the days fit', () => {
    const s = dailyBuckets(days(3), 3);
    expect(s.unit).toBe('day');
    expect(s.buckets).toEqual([
      { label: '2013-01-01', events: 1, learners: 2 },
      { label: '2013-01-02', events: 1, learners: 0 },
      { label: '2013-01-03', events: 1, learners: 2 },
    ]);
  });

  it('weeks of 7 days from the first day, the last one shorter; learners the mean per day', () => {
    const s = dailyBuckets(days(10), 5);
    expect(s.unit).toBe('week');
    // Days 0-6: events 7, learners 2,0,2,0,2,0,2 → 8/7; days 7-9: 0,2,0 → 2/3.
    expect(s.buckets).toEqual([
      { label: '2013-01-01', events: 7, learners: 8 / 7 },
      { label: '2013-01-08', events: 3, learners: 2 / 3 },
    ]);
  });

  it('calendar months, then years, then runs of years', () => {
    // 2013-01-01 + 59 days = 2013-03-01: January 31, February 28, March 1 day.
    const months = dailyBuckets(days(60), 3);
    expect(months.unit).toBe('month');
    expect(months.buckets.map((b) => [b.label, b.events])).toEqual([
      ['2013-01', 31],
      ['2013-02', 28],
      ['2013-03', 1],
    ]);
    // 2012-12-31 to 2014-01-01: 368 days over the years 2012, 2013, 2014.
    const years = dailyBuckets(days(368, '2012-12-31'), 3);
    expect(years.unit).toBe('year');
    expect(years.buckets.map((b) => [b.label, b.events])).toEqual([
      ['2012', 1],
      ['2013', 365],
      ['2014', 2],
    ]);
    const runs = dailyBuckets(days(368, '2012-12-31'), 2);
    expect([runs.unit, runs.yearsPerBar]).toEqual(['years', 2]);
    expect(runs.buckets.map((b) => [b.label, b.events])).toEqual([
      ['2012', 366],
      ['2014', 2],
    ]);
  });

  it('110 years of days fit the default number of bars', () => {
    const s = dailyBuckets(days(40_177, '1990-01-01'));
    expect(s.unit).toBe('year');
    expect(s.buckets).toHaveLength(110);
    expect(s.buckets.length).toBeLessThanOrEqual(MAX_DAILY_BARS);
    expect(s.buckets.reduce((n, b) => n + b.events, 0)).toBe(40_177);
  });
});

/** The hand-derived report of both datasets below (UTC): see the lines' comments. */
function expectReport(dir: string): void {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  expect([summary.events, summary.users]).toEqual([8, 4]);
  // Untimed: the five implausible times and the one missing time.
  expect(summary.time).toEqual({
    timezone: 'UTC',
    untimed: 6,
    implausible: 5,
    first: '1990-01-01T00:00:00.000Z',
    last: '2099-12-31T23:59:59.999Z',
    days: 40_177,
    activeDays: 2,
  });
  // 40,176 days between the two active days: the last is in week ⌊40176 / 7⌋ = 5739.
  expect(summary.retention).toEqual({ weeks: 5740, lastWeekActive: 1, courseStart: '1990-01-01' });

  const daily = readCsv(join(dir, 'daily.csv'));
  expect(daily).toHaveLength(1 + 40_177);
  expect(daily[1]).toEqual(['1990-01-01', '1', '1', '1']);
  expect(daily[40_177]).toEqual(['2099-12-31', '1', '1', '1']);
  const quiet = daily.slice(2, -1);
  expect(quiet.every(([, e, l, n]) => e === '0' && l === '0' && n === '0')).toBe(true);
  expect(quiet[0]![0]).toBe('1990-01-02');

  const retention = readCsv(join(dir, 'retention.csv'));
  expect(retention).toHaveLength(1 + 5740);
  expect(retention[1]).toEqual(['0', '1990-01-01', '1', '1', '2']);
  expect(retention[2]).toEqual(['1', '1990-01-08', '0', '0', '1']);
  // Week 5739 starts 40,173 days after 1990-01-01.
  expect(retention[5740]).toEqual(['5739', '2099-12-28', '1', '1', '1']);

  // Monday 1990-01-01 00:00 and Thursday 2099-12-31 23:59.
  const hours = readCsv(join(dir, 'hour-of-week.csv'))
    .slice(1)
    .filter((r) => r[2] !== '0');
  expect(hours).toEqual([
    ['1', '0', '1', '1'],
    ['4', '23', '1', '1'],
  ]);

  const learners = readCsv(join(dir, 'learners.csv')).map((r) => r.slice(0, 6));
  expect(learners.slice(1)).toEqual([
    ['cat', '3', '', '', '0', '0'],
    ['ann', '2', '1990-01-01T00:00:00.000Z', '1990-01-01T00:00:00.000Z', '1', '1'],
    ['bob', '2', '2099-12-31T23:59:59.999Z', '2099-12-31T23:59:59.999Z', '1', '1'],
    ['dan', '1', '', '', '0', '0'],
  ]);
  expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('6 without a time stamp (5 implausible)');
}

async function parquetValues(dataset: string, sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    try {
      const glob = join(dataset, '**', '*.parquet').replaceAll("'", "''");
      return (await conn.runAndReadAll(sql.replace('$FILES', `read_parquet('${glob}', union_by_name = true)`))).getRowsJS();
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'clickstream-implausible-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('a Coursera export with implausible times', () => {
  const prefix = testPrefix();
  let workers: CliProcess[] = [];
  let dataset: string;
  afterAll(async () => {
    await stopWorkers(workers);
    await deletePrefix(prefix);
  });

  beforeAll(async () => {
    const line = (username: string, timestamp?: number | string): string =>
      JSON.stringify({ key: 'pageview', username, page_url: 'https://class.coursera.org/x-001/lecture/index', ...(timestamp !== undefined ? { timestamp } : {}) });
    const input = join(tmp, 'coursera.jsonl');
    writeFileSync(
      input,
      [
        line('ann', JUST_BEFORE_1990), // implausible
        line('ann', AT_1990),
        line('bob', JUST_BEFORE_2100),
        line('bob', AT_2100), // implausible
        line('cat', YEAR_9999_END), // implausible
        line('cat'), // untimed, not implausible
        line('cat', '0'), // 1970: implausible
        line('dan', -1), // 1969: implausible
      ].join('\n') + '\n',
    );
    dataset = join(tmp, 'coursera-dataset');
    const c = await cli(['convert', input, '--out', dataset, '--partitions', '2', '--quiet']);
    expect(c.code, describeRun('convert', c)).toBe(0);
  }, TIMEOUT);

  it('convert keeps the times as written', async () => {
    const rows = await parquetValues(dataset, 'SELECT "timestamp" FROM $FILES ORDER BY "timestamp" NULLS LAST');
    expect(rows.map(([t]) => (t === null ? null : Number(t)))).toEqual([
      -1,
      0,
      JUST_BEFORE_1990,
      AT_1990,
      JUST_BEFORE_2100,
      AT_2100,
      YEAR_9999_END,
      null,
    ]);
  });

  it(
    'analyze: implausible events are untimed and counted; local and Redis mode give the same bytes',
    async () => {
      const local = join(tmp, 'coursera-local');
      const a = await cli(['analyze', dataset, '--out', local, '--quiet']);
      expect(a.code, describeRun('analyze', a)).toBe(0);
      expectReport(local);

      workers = [await startWorker(prefix, ['--data-root', tmp])];
      const queued = join(tmp, 'coursera-queued');
      const r = await runCli(['analyze', dataset, '--out', queued, '--quiet', '--redis', REDIS_URL, '--prefix', prefix]);
      expect(r.code, r.stderr).toBe(0);
      expect(await reportDifferences(local, queued)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'with --from, the implausible events are left out with the untimed ones',
    async () => {
      const out = join(tmp, 'coursera-from');
      const a = await cli(['analyze', dataset, '--out', out, '--quiet', '--from', '1990-01-01']);
      expect(a.code, describeRun('analyze', a)).toBe(0);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect([summary.events, summary.users, summary.filter.events]).toEqual([2, 2, 6]);
      expect([summary.time.untimed, summary.time.implausible]).toEqual([0, 0]);
    },
    TIMEOUT,
  );
});

describe('an Open edX log with implausible times', () => {
  let dataset: string;
  beforeAll(async () => {
    const course = 'course-v1:TestX+T1+2017';
    const line = (username: string, time: string): string =>
      JSON.stringify({
        username,
        event_source: 'server',
        event_type: `/courses/${course}/courseware/`,
        context: { course_id: course, path: `/courses/${course}/courseware/` },
        time,
        event: '{"POST": {}, "GET": {}}',
        agent: 'Mozilla/5.0',
        page: null,
      });
    const input = join(tmp, 'tracking.log');
    writeFileSync(
      input,
      [
        line('ann', '1989-12-31T23:59:59.999000+00:00'), // implausible
        line('ann', '1990-01-01T00:00:00+00:00'),
        line('bob', '2099-12-31T23:59:59.999000+00:00'),
        line('bob', '2100-01-01T00:00:00+00:00'), // implausible
        line('cat', '9999-12-31T23:59:59.999Z'), // implausible
        line('cat', ''), // untimed, not implausible
        line('cat', '1970-01-01T00:00:00Z'), // implausible
        line('dan', '1969-12-31T23:59:59.999+00:00'), // implausible
      ].join('\n') + '\n',
    );
    dataset = join(tmp, 'openedx-dataset');
    const c = await cli(['convert', input, '--out', dataset, '--partitions', '2', '--quiet']);
    expect(c.code, describeRun('convert', c)).toBe(0);
  }, TIMEOUT);

  it('convert keeps the time as written', async () => {
    const rows = await parquetValues(dataset, `SELECT "time", "timestamp" FROM $FILES WHERE username = 'cat' ORDER BY "time"`);
    expect(rows.map(([time, ms]) => [time, ms === null ? null : Number(ms)])).toEqual([
      ['', null],
      ['1970-01-01T00:00:00Z', 0],
      ['9999-12-31T23:59:59.999Z', YEAR_9999_END],
    ]);
  });

  it(
    'analyze: implausible events are untimed and counted',
    async () => {
      const out = join(tmp, 'openedx-report');
      const a = await cli(['analyze', dataset, '--out', out, '--quiet']);
      expect(a.code, describeRun('analyze', a)).toBe(0);
      expectReport(out);
    },
    TIMEOUT,
  );
});
