/**
 * End to end on fixtures/analytics.jsonl, the hand-written export of the learning analytics
 * (DATA-CONTRACT §6): the CLI runs as a user runs it, and every §6 output is compared with
 * fixtures/expected/analytics.json, written by hand (fixtures/expected/README.md), never computed by
 * the product. Each option is run on its own; one run goes through Redis and must give the same bytes.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, describeRun, readCsv, type Run } from './helpers/e2e.js';
import { deletePrefix, REDIS_URL, reportDifferences, runCli, startWorker, stopWorkers, testPrefix, type CliProcess } from './helpers/redis-harness.js';

const FIXTURE = join(ROOT, 'fixtures', 'analytics.jsonl');
const TIMEOUT = 180_000;

interface ExpectedRun {
  args: string[];
  summary: Record<string, unknown>;
  csv: Record<string, string[][]>;
  hourOfWeek?: number[][];
}
const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'expected', 'analytics.json'), 'utf8')) as {
  convert: string[];
  runs: Record<string, ExpectedRun>;
};

/** The headers DATA-CONTRACT §6.4 gives each new file. */
const HEADERS: Record<string, string[]> = {
  'event-types.csv': ['name', 'events', 'users'],
  'sections.csv': ['name', 'events', 'users'],
  'referrers.csv': ['name', 'events', 'users'],
  'daily.csv': ['date', 'events', 'learners', 'new_learners'],
  'hour-of-week.csv': ['weekday', 'hour', 'events', 'learners'],
  'retention.csv': ['week', 'start', 'active', 'new', 'retained'],
  'session-durations.csv': ['bucket', 'sessions'],
  'videos.csv': ['lecture', 'events', 'viewers', 'play', 'pause', 'seeked', 'ratechange', 'other', 'median_furthest_s'],
  'learners.csv': [
    'username',
    'events',
    'first_event',
    'last_event',
    'active_days',
    'sessions',
    'time_on_task_s',
    'pageviews',
    'video_events',
    'lectures',
    'browser',
    'os',
    'device',
    'language',
  ],
  'users.csv': ['username', 'clicks'],
};

/** All 168 rows of hour-of-week.csv from the cells with events. */
function hourOfWeekRows(cells: number[][]): string[][] {
  const rows: string[][] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const cell = cells.find(([w, h]) => w === weekday && h === hour);
      rows.push([String(weekday), String(hour), String(cell?.[2] ?? 0), String(cell?.[3] ?? 0)]);
    }
  }
  return rows;
}

async function parquetRows(path: string): Promise<string[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    try {
      // Instants as ISO 8601 UTC with ms, numbers as JavaScript prints them: the CSV's own forms.
      const reader = await conn.runAndReadAll(
        `SELECT username, events, epoch_ms(first_event) AS f, epoch_ms(last_event) AS l, active_days, sessions, time_on_task_s, ` +
          `pageviews, video_events, lectures, browser, os, device, language FROM read_parquet('${path.replaceAll("'", "''")}')`,
      );
      return reader.getRowsJS().map((r) =>
        r.map((v, i) => (v === null ? '' : i === 2 || i === 3 ? new Date(Number(v)).toISOString() : String(typeof v === 'bigint' ? Number(v) : v))),
      );
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

let tmp: string;
let dataset: string;
let convert: Run;
const reports: Record<string, { dir: string; run: Run }> = {};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'clickstream-e2e-analytics-'));
  dataset = join(tmp, 'dataset');
  convert = await cli(['convert', FIXTURE, '--out', dataset, ...expected.convert, '--quiet']);
  if (convert.code !== 0) return;
  // Two at a time: the machine has two cores.
  const names = Object.keys(expected.runs);
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(
      names.slice(i, i + 2).map(async (name) => {
        const dir = join(tmp, `report-${name}`);
        reports[name] = { dir, run: await cli(['analyze', dataset, '--out', dir, '--quiet', ...expected.runs[name]!.args]) };
      }),
    );
  }
}, TIMEOUT);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

it('convert exits 0', () => {
  expect(convert.code, describeRun('convert', convert)).toBe(0);
});

describe.each(Object.keys(expected.runs))('analyze %s', (name) => {
  const want = expected.runs[name]!;

  it('exits 0', () => {
    const r = reports[name]!.run;
    expect(r.code, describeRun(`analyze ${want.args.join(' ')}`, r)).toBe(0);
  });

  it('summary.json holds the hand-derived figures', () => {
    const summary = JSON.parse(readFileSync(join(reports[name]!.dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const [key, value] of Object.entries(want.summary)) expect(summary[key], `summary.${key}`).toEqual(value);
    if (!('filter' in want.summary)) expect(summary, 'no filter option: no summary.filter').not.toHaveProperty('filter');
  });

  it.each(Object.keys(want.csv))('%s', (file) => {
    const rows = readCsv(join(reports[name]!.dir, file));
    expect(rows[0]).toEqual(HEADERS[file]);
    expect(rows.slice(1)).toEqual(want.csv[file]);
  });

  if (want.hourOfWeek) {
    it('hour-of-week.csv: all 168 cells', () => {
      const rows = readCsv(join(reports[name]!.dir, 'hour-of-week.csv'));
      expect(rows[0]).toEqual(HEADERS['hour-of-week.csv']);
      expect(rows.slice(1)).toEqual(hourOfWeekRows(want.hourOfWeek!));
    });
  }
});

describe('analyze default: every file', () => {
  it('writes every §5 and §6 file', () => {
    const dir = reports.default!.dir;
    for (const file of [
      'summary.json',
      'browsers.csv',
      'os.csv',
      'devices.csv',
      'languages.csv',
      'users.csv',
      'activity-cdf.csv',
      'user-agents.csv',
      ...Object.keys(HEADERS),
      'learners.parquet',
      'index.html',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
  });

  it('summary.referrers is the whole list here (fewer than 20)', () => {
    const summary = JSON.parse(readFileSync(join(reports.default!.dir, 'summary.json'), 'utf8'));
    expect(summary.referrers).toHaveLength(5);
  });

  it('learners.parquet holds the rows of learners.csv, in the same order, times as instants', async () => {
    const rows = await parquetRows(join(reports.default!.dir, 'learners.parquet'));
    expect(rows).toEqual(expected.runs.default!.csv['learners.csv']);
  });
});

describe('bad option values are usage errors (exit 2) naming the option', () => {
  it.each([
    [['--tz', 'Mars/Olympus_Mons'], '--tz'],
    [['--from', '2013-13-01'], '--from'],
    [['--to', 'tomorrow'], '--to'],
    [['--from', '2013-10-28', '--to', '2013-10-22'], '--from'],
    [['--session-gap', '0'], '--session-gap'],
    [['--session-gap', 'ten'], '--session-gap'],
    [['--course-start', '2013-02-30'], '--course-start'],
    [['--course-start', '2013-10-24T00:00:00Z'], '--course-start'],
    [['--course-start', '1989-12-31'], '--course-start'],
  ])('%j', async (args, option) => {
    const r = await cli(['analyze', dataset, '--out', join(tmp, 'never'), '--quiet', ...args]);
    expect(r.code, describeRun('analyze', r)).toBe(2);
    expect(r.stderr).toContain(option);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });
});

describe('Redis mode', () => {
  const prefix = testPrefix();
  let workers: CliProcess[] = [];
  afterAll(async () => {
    await stopWorkers(workers);
    await deletePrefix(prefix);
  });

  it(
    'gives the same bytes as local mode, with every option',
    async () => {
      const args = ['--tz', 'Europe/Paris', '--from', '2013-10-22', '--exclude-bots', '--session-gap', '5', '--course-start', '2013-10-24'];
      const local = join(tmp, 'redis-local');
      const queued = join(tmp, 'redis-queued');
      const l = await runCli(['analyze', dataset, '--out', local, '--quiet', ...args]);
      expect(l.code, l.stderr).toBe(0);
      workers = [await startWorker(prefix, ['--data-root', tmp])];
      const r = await runCli(['analyze', dataset, '--out', queued, '--quiet', '--redis', REDIS_URL, '--prefix', prefix, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(await reportDifferences(local, queued)).toEqual([]);
    },
    TIMEOUT,
  );
});
