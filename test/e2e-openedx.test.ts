/**
 * Open edX tracking logs end to end through the built CLI (DATA-CONTRACT §7): several files in one convert,
 * the format decided from the data, the manifest's per-file accounting, the quarantine naming each
 * rejected line's file, every §5/§6 output plus courses.csv, `analyze --course`, and the refusals.
 * First on the hand-built fixture against the answers derived by hand (fixtures/expected/openedx.json),
 * then on a generated log (gzip, rotated files, several courses, dirty lines) against the independent
 * recount (fixtures/recount_openedx.py), in local and in Redis mode.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENEDX_COLUMNS } from '../src/formats/openedx.js';
import { ROOT, cli, describeRun, named, readCsv, run, type NamedCount } from './helpers/e2e.js';
import { deletePrefix, REDIS_URL, reportDifferences, runCli, startWorker, stopWorkers, testPrefix, type CliProcess } from './helpers/redis-harness.js';

const TIMEOUT = 300_000;
const RECOUNT = join(ROOT, 'fixtures', 'recount_openedx.py');
const GENERATOR = join(ROOT, 'dist', 'fixtures', 'generate.js');
const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'expected', 'openedx.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'e2e-openedx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Cell = string | number | null;
const csvRow = (row: readonly Cell[]): string[] => row.map((c) => (c === null ? '' : String(c)));
const body = (path: string): string[][] => readCsv(path).slice(1);
const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

/** Every number of `wanted` in `actual`; means and fractions (float sums in any order) to 1e-12 relative. */
function expectClose(actual: unknown, wanted: unknown, path: string): void {
  if (typeof wanted === 'number' && typeof actual === 'number' && !Number.isInteger(wanted) && /mean|fraction/.test(path)) {
    expect(Math.abs(actual - wanted) / Math.abs(wanted), path).toBeLessThan(1e-12);
  } else if (Array.isArray(wanted)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(wanted.length);
    wanted.forEach((w, i) => expectClose((actual as unknown[])[i], w, `${path}[${i}]`));
  } else if (wanted !== null && typeof wanted === 'object') {
    for (const [k, w] of Object.entries(wanted)) expectClose((actual as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(wanted);
  }
}

/** learners.csv rows against expected rows; time on task (column 6) to 1e-9 s, the rest exactly. */
function expectLearners(path: string, wanted: readonly Cell[][]): void {
  const rows = body(path);
  expect(rows.length, path).toBe(wanted.length);
  rows.forEach((row, i) => {
    const w = csvRow(wanted[i]!);
    expect([...row.slice(0, 6), ...row.slice(7)], `${path} row ${i}`).toEqual([...w.slice(0, 6), ...w.slice(7)]);
    expect(Math.abs(Number(row[6]) - Number(w[6])), `${path} row ${i} time_on_task_s`).toBeLessThan(1e-9);
  });
}

describe('the hand-built fixture: two files, one convert, answers derived by hand', () => {
  const dataset = join(tmp, 'fixture-ds');
  const report = join(tmp, 'fixture-report');

  beforeAll(async () => {
    const c = await cli(['convert', ...expected.convert.args, '--out', dataset, '--quiet'], { cwd: ROOT });
    expect(c.code, describeRun('convert', c)).toBe(0);
    const a = await cli(['analyze', dataset, '--out', report, '--quiet', '--workers', '2']);
    expect(a.code, describeRun('analyze', a)).toBe(0);
  }, TIMEOUT);

  it('decides the format from the data and accounts for every line, per file and in total', () => {
    const m = readJson(join(dataset, '_manifest.json'));
    expect(m.schemaVersion).toBe(2);
    expect(m.format).toBe(expected.convert.format);
    expect(m.columns).toEqual(OPENEDX_COLUMNS);
    expect(m.counts).toEqual(expected.convert.counts);
    expect(
      m.inputs.map((i: any) => ({ path: i.path, compression: i.compression, ...i.counts })),
    ).toEqual(expected.convert.files);
    expect(m.input.path).toBe(expected.convert.files[0].path);
    for (const i of m.inputs) expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('quarantines each rejected line with its file and its line number in that file', () => {
    const records = readFileSync(join(dataset, '_rejected.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => ({ file: r.file, line: r.line, reason: r.reason, bytes: r.bytes }))).toEqual(expected.convert.rejectedLines);
  });

  it('gives every figure of summary.json derived by hand, courses included', () => {
    const s = readJson(join(report, 'summary.json'));
    expectClose(s, expected.summary, 'summary');
    expect(Object.keys(s).sort()).toEqual(Object.keys(expected.summary).sort());
  });

  it('gives every CSV derived by hand, and courses.csv', () => {
    const s = expected.summary;
    expect(body(join(report, 'courses.csv'))).toEqual(named(s.courses));
    expect(readCsv(join(report, 'courses.csv'))[0]).toEqual(['course_id', 'events', 'users']);
    for (const [file, list] of [
      ['browsers.csv', s.browsers],
      ['os.csv', s.os],
      ['devices.csv', s.devices],
      ['languages.csv', s.languages],
      ['event-types.csv', s.eventTypes],
      ['sections.csv', s.sections],
      ['referrers.csv', s.referrers],
    ] as [string, NamedCount[]][]) {
      expect(body(join(report, file)), file).toEqual(named(list));
    }
    expect(body(join(report, 'users.csv'))).toEqual(expected.users.map(csvRow));
    expect(body(join(report, 'user-agents.csv'))).toEqual(
      expected.userAgents.map((u: any) => csvRow([u.user_agent, u.browser, u.os, u.device, u.events, u.users])),
    );
    expect(body(join(report, 'daily.csv'))).toEqual(expected.daily.map(csvRow));
    const hours = body(join(report, 'hour-of-week.csv'));
    expect(hours).toHaveLength(168);
    expect(hours.filter((h) => h[2] !== '0')).toEqual(expected.hourOfWeekNonZero.map(csvRow));
    expect(body(join(report, 'retention.csv'))).toEqual(expected.retention.map(csvRow));
    expect(body(join(report, 'session-durations.csv'))).toEqual(expected.sessionDurations.map(csvRow));
    expect(body(join(report, 'videos.csv'))).toEqual(expected.videos.map(csvRow));
    expectLearners(join(report, 'learners.csv'), expected.learners);
    expect(readFileSync(join(report, 'index.html'), 'utf8')).toContain('href="courses.csv"');
  });

  it('--course keeps one course: every figure of that course, the other courses counted apart', async () => {
    for (const [course, want] of Object.entries<any>(expected.byCourse)) {
      const out = join(tmp, `fixture-course-${want.events}`);
      const a = await cli(['analyze', dataset, '--out', out, '--quiet', '--course', course]);
      expect(a.code, describeRun(`analyze --course ${course}`, a)).toBe(0);
      const s = readJson(join(out, 'summary.json'));
      expect([s.events, s.users]).toEqual([want.events, want.users]);
      expect(s.course).toEqual({ id: course, otherEvents: expected.summary.events - want.events });
      expect(s.input).toEqual(expected.summary.input); // the manifest's, always
      expect(s.eventTypes).toEqual(want.eventTypes);
      expect(s.sections).toEqual(want.sections);
      expect({ events: s.video.events, viewers: s.video.viewers, lectures: s.video.lectures }).toEqual(want.video);
      expect(s.courses).toEqual(want.courses);
      expect(body(join(out, 'users.csv'))).toEqual(want.usersClicks.map(csvRow));
      expect(body(join(out, 'courses.csv'))).toEqual(named(want.courses));
    }
  }, TIMEOUT);

  it('refuses --course with no event, listing the courses (exit 2), and --course on a Coursera dataset', async () => {
    const none = await cli(['analyze', dataset, '--out', join(tmp, 'no-course'), '--quiet', '--course', 'course-v1:Nobody+X+1']);
    expect(none.code, describeRun('analyze --course unknown', none)).toBe(2);
    expect(none.stderr).toContain('"course-v1:Nobody+X+1"');
    for (const c of expected.summary.courses as NamedCount[]) expect(none.stderr).toContain(c.name);
    expect(none.stderr).not.toContain('    at ');
    expect(existsSync(join(tmp, 'no-course'))).toBe(false);

    const coursera = join(tmp, 'coursera-ds');
    const c = await cli(['convert', join(ROOT, 'fixtures', 'quirks.jsonl'), '--out', coursera, '--quiet', '--partitions', '2']);
    expect(c.code, describeRun('convert quirks', c)).toBe(0);
    const m = readJson(join(coursera, '_manifest.json'));
    expect(m.format).toBe('coursera');
    expect(m.inputs).toHaveLength(1);
    const r = await cli(['analyze', coursera, '--out', join(tmp, 'coursera-course'), '--quiet', '--course', 'x']);
    expect(r.code, describeRun('analyze coursera --course', r)).toBe(2);
    expect(r.stderr).toMatch(/--course: .*coursera dataset/);
    expect(existsSync(join(tmp, 'coursera-course'))).toBe(false);
  }, TIMEOUT);

  it('refuses an export in neither format, and a format that is not the one asked for, naming the file (exit 3, no dataset)', async () => {
    for (const refusal of expected.convert.refused as { args: string[]; exitCode: number; messageIncludes: string[] }[]) {
      const out = join(tmp, 'refused');
      const r = await cli(['convert', ...refusal.args, '--out', out, '--quiet'], { cwd: ROOT });
      const what = `convert ${refusal.args.join(' ')}`;
      expect(r.code, describeRun(what, r)).toBe(refusal.exitCode);
      for (const text of refusal.messageIncludes) expect(r.stderr, what).toContain(text);
      expect(r.stderr, what).not.toContain('    at ');
      expect(existsSync(out), what).toBe(false);
    }
  }, TIMEOUT);
});

/** What recount_openedx.py prints (the keys this test reads). */
interface Recount {
  input: { lines: number; events: number; blank: number; rejected: Record<string, number>; files: any[] };
  rejected_lines: [string, number, string, number][];
  events: number;
  users: number;
  activity: Record<string, unknown>;
  top_users: { username: string; clicks: number }[];
  user_agents: { user_agent: string; events: number; users: number }[];
  languages: NamedCount[];
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
  time: Record<string, unknown>;
  event_types: NamedCount[];
  sections: NamedCount[];
  referrers: NamedCount[];
  sessions: Record<string, unknown>;
  time_on_task: Record<string, unknown>;
  video: { events: number; viewers: number; lectures: number; actions: NamedCount[]; playback_rates: unknown[] };
  videos: Cell[][];
  daily: Cell[][];
  hour_of_week: Cell[][];
  retention: Cell[][];
  retention_summary: Record<string, unknown>;
  session_durations: Cell[][];
  learners: Cell[][];
  courses: NamedCount[];
  users_clicks: [string, number][];
}

async function recount(args: string[]): Promise<Recount> {
  const r = await run('python3', [RECOUNT, ...args]);
  expect(r.code, describeRun('recount_openedx.py', r)).toBe(0);
  return JSON.parse(r.stdout) as Recount;
}

/** Every figure of a report against the recount (run with that report's user-agents.csv). */
function expectReportMatches(report: string, r: Recount): void {
  const s = readJson(join(report, 'summary.json'));
  expect([s.events, s.users]).toEqual([r.events, r.users]);
  expect(s.input).toEqual({ lines: r.input.lines, events: r.input.events, blank: r.input.blank, rejected: r.input.rejected });
  expectClose(s.activity, r.activity, 'activity');
  expect(s.topUsers).toEqual(r.top_users);
  for (const [key, list] of [
    ['browsers', r.browsers],
    ['os', r.os],
    ['devices', r.devices],
    ['languages', r.languages],
    ['eventTypes', r.event_types],
    ['sections', r.sections],
    ['courses', r.courses],
  ] as [string, NamedCount[]][]) {
    expect(s[key], key).toEqual(list);
  }
  expect(s.referrers).toEqual(r.referrers.slice(0, 20));
  expect(s.time).toEqual(r.time);
  expectClose(s.sessions, r.sessions, 'sessions');
  expectClose(s.timeOnTaskSeconds, r.time_on_task, 'timeOnTaskSeconds');
  expect(s.video).toEqual({ events: r.video.events, viewers: r.video.viewers, lectures: r.video.lectures, actions: r.video.actions, playbackRates: r.video.playback_rates });
  expect(s.retention).toEqual(r.retention_summary);

  for (const [file, list] of [
    ['browsers.csv', r.browsers],
    ['os.csv', r.os],
    ['devices.csv', r.devices],
    ['languages.csv', r.languages],
    ['event-types.csv', r.event_types],
    ['sections.csv', r.sections],
    ['referrers.csv', r.referrers],
    ['courses.csv', r.courses],
  ] as [string, NamedCount[]][]) {
    expect(body(join(report, file)), file).toEqual(named(list));
  }
  expect(body(join(report, 'users.csv'))).toEqual(r.users_clicks.map(csvRow));
  expect(body(join(report, 'user-agents.csv')).map((u) => [u[0], u[4], u[5]])).toEqual(r.user_agents.map((u) => csvRow([u.user_agent, u.events, u.users])));
  expect(body(join(report, 'daily.csv'))).toEqual(r.daily.map(csvRow));
  expect(body(join(report, 'hour-of-week.csv'))).toEqual(r.hour_of_week.map(csvRow));
  expect(body(join(report, 'retention.csv'))).toEqual(r.retention.map(csvRow));
  expect(body(join(report, 'session-durations.csv'))).toEqual(r.session_durations.map(csvRow));
  expect(body(join(report, 'videos.csv'))).toEqual(r.videos.map(csvRow));
  expectLearners(join(report, 'learners.csv'), r.learners);
}

describe('a generated edX log (gzip, rotated files, several courses, dirty lines) against the independent recount', () => {
  const gen = join(tmp, 'gen');
  const dataset = join(tmp, 'gen-ds');
  const local = join(tmp, 'gen-local');
  let files: string[] = [];
  let r: Recount;

  beforeAll(async () => {
    const g = await run(process.execPath, [
      GENERATOR, '--format', 'openedx', '--out', join(tmp, 'tracking.log.gz'), '--bytes', '8MB', '--gzip', '--files', '3',
      '--courses', '5', '--seed', 'e2e-openedx', '--dirty-rate', '0.01', '--stats', join(tmp, 'gen-stats.json'), '--quiet',
    ]);
    expect(g.code, describeRun('generate --format openedx', g)).toBe(0);
    files = readJson(join(tmp, 'gen-stats.json')).files.map((f: { path: string }) => f.path);
    expect(files).toHaveLength(3);
    const c = await cli(['convert', ...files, '--out', dataset, '--quiet', '--partitions', '5']);
    expect(c.code, describeRun('convert', c)).toBe(0);
    const a = await cli(['analyze', dataset, '--out', local, '--quiet', '--workers', '2']);
    expect(a.code, describeRun('analyze', a)).toBe(0);
    r = await recount([...files, '--user-agents', join(local, 'user-agents.csv')]);
  }, TIMEOUT);

  it('converts every line as the recount reads it: per file, in total, and the quarantine', () => {
    const m = readJson(join(dataset, '_manifest.json'));
    expect(m.format).toBe('openedx');
    expect(m.counts).toEqual({ lines: r.input.lines, events: r.input.events, blank: r.input.blank, rejected: r.input.rejected });
    expect(m.counts.events).toBeGreaterThan(5000);
    expect(m.counts.rejected.missing_username).toBeGreaterThan(0); // anonymous requests
    expect(m.inputs.map((i: any) => ({ path: i.path, ...i.counts }))).toEqual(
      r.input.files.map((f) => ({ path: f.path, lines: f.lines, events: f.events, blank: f.blank, rejected: f.rejected })),
    );
    expect(m.inputs.every((i: any) => i.compression === 'gzip')).toBe(true);
    const quarantined = readFileSync(join(dataset, '_rejected.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));
    expect(quarantined.map((q) => [q.file, q.line, q.reason, q.bytes])).toEqual(r.rejected_lines);
  });

  it('local mode: every §5, §6 and §7 figure and table equals the recount', () => {
    expect(r.courses.length).toBeGreaterThan(3);
    expectReportMatches(local, r);
  });

  it('--course with a filter: the course alone, then the filter', async () => {
    const course = r.courses[1]!.name;
    const out = join(tmp, 'gen-course');
    const args = ['--course', course, '--tz', 'Europe/Paris', '--from', '2017-01-20'];
    const a = await cli(['analyze', dataset, '--out', out, '--quiet', ...args]);
    expect(a.code, describeRun('analyze --course', a)).toBe(0);
    const rc = await recount([...files, '--user-agents', join(out, 'user-agents.csv'), ...args]);
    const s = readJson(join(out, 'summary.json'));
    expect(s.courses).toEqual([{ name: course, events: rc.events, users: rc.users }]);
    expect(s.course).toEqual({ id: course, otherEvents: r.input.events - rc.events - s.filter.events });
    expect(s.filter.events).toBe((rc as any).filter.events);
    expectReportMatches(out, rc);
  }, TIMEOUT);

  describe('Redis mode', () => {
    const prefix = testPrefix();
    let workers: CliProcess[] = [];
    afterAll(async () => {
      await stopWorkers(workers);
      await deletePrefix(prefix);
    });

    it('gives the recount\'s figures and the same bytes as local mode', async () => {
      workers = [await startWorker(prefix, ['--data-root', tmp])];
      const queued = join(tmp, 'gen-redis');
      const q = await runCli(['analyze', dataset, '--out', queued, '--quiet', '--redis', REDIS_URL, '--prefix', prefix]);
      expect(q.code, q.stderr).toBe(0);
      expectReportMatches(queued, r);
      expect(await reportDifferences(local, queued)).toEqual([]);
    }, TIMEOUT);
  });
});
