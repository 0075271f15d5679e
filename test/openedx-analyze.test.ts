/**
 * The analysis of an Open edX dataset (DATA-CONTRACT §7: every §5 and §6 output) through the real partition
 * job and reduce, against the hand-derived answers of fixtures/expected/openedx.json. The dataset is
 * written the way convert writes one (staging lines from the adapter, DuckDB COPY to one Parquet file
 * per partition of the username hash); the converter itself is wired to the adapter elsewhere.
 * Also: the adapter's model SQL, run by DuckDB, agrees row by row with the plain TypeScript mapping.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregatePartition, closeAggregator } from '../jobs/aggregate-partition.js';
import type { AggregatePartitionPayload } from '../src/analyze/partition-job.js';
import { resolveAnalysisSettings } from '../src/analytics/analysis-settings.js';
import { resultDirectory } from '../src/run/run-scratch.js';
import { reducePartials } from '../src/analyze/reduce.js';
import { judgeLine } from '../src/formats/line-rules.js';
import { partitionOf } from '../src/convert/partition-hash.js';
import { literal, withDuckDB } from '../src/duckdb/session.js';
import { eventFormat } from '../src/formats/format-registry.js';
import {
  OPENEDX_COLUMNS,
  OPENEDX_COURSE_SELECT,
  OPENEDX_FORMAT,
  OPENEDX_MODEL_SELECT,
  serializeOpenEdxEvent,
} from '../src/formats/openedx.js';
import { generateOpenEdx } from '../src/generate/openedx-generator.js';
import type { Report } from '../src/report/report-types.js';
import type { PartialResult } from '../src/run/partial-result.js';
import type { InputCounts } from '../src/types.js';
import { openEdxModelEvent } from './helpers/openedx-model.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINE_BYTES = 2048;
const PARTITIONS = 4;
const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'expected', 'openedx.json'), 'utf8'));

/** The §2 events of a log, as staging lines (plain or gzip; lines split on \n, CR and blank handled). */
function stagingLines(path: string, maxLineBytes: number): { username: string; staged: string }[] {
  let raw = readFileSync(path);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  const text = raw.toString('utf8');
  const out: { username: string; staged: string }[] = [];
  for (const l of (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n')) {
    const line = l.endsWith('\r') ? l.slice(0, -1) : l;
    if (/^[ \t]*$/.test(line) || Buffer.byteLength(line) > maxLineBytes) continue;
    const verdict = judgeLine(line);
    if (verdict.kind === 'event') out.push({ username: verdict.value.username as string, staged: serializeOpenEdxEvent(verdict.value, line) });
  }
  return out;
}

/** Writes `part-NNNNN.parquet` files as convert does; returns each partition's row count. */
async function writeDataset(dir: string, events: { username: string; staged: string }[]): Promise<number[]> {
  const columns = OPENEDX_COLUMNS.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
  const rows: number[] = [];
  await withDuckDB({ threads: 1 }, async (conn) => {
    for (let p = 0; p < PARTITIONS; p++) {
      const mine = events.filter((e) => partitionOf(e.username, PARTITIONS) === p);
      const staging = join(dir, `staging-${p}.jsonl`);
      writeFileSync(staging, mine.map((e) => e.staged + '\n').join(''));
      const target = join(dir, `part-${String(p).padStart(5, '0')}.parquet`);
      const source =
        mine.length === 0
          ? `(SELECT ${OPENEDX_COLUMNS.map((c) => `NULL::${c.type} AS "${c.name}"`).join(', ')} WHERE false)`
          : `read_json(${literal(staging)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 16777216)`;
      await conn.run(`COPY (SELECT * FROM ${source}) TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`);
      rmSync(staging);
      rows.push(mine.length);
    }
  });
  return rows;
}

async function analyzeDataset(dir: string, rows: number[], counts: InputCounts, format: string): Promise<Report> {
  const settings = resolveAnalysisSettings({}, format);
  const partials: PartialResult[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const payload: AggregatePartitionPayload = {
      dataset: dir,
      partition: p,
      file: `part-${String(p).padStart(5, '0')}.parquet`,
      rows: rows[p]!,
      resultDir: resultDirectory(dir, 'openedx'),
      settings,
    };
    const result = await aggregatePartition(payload);
    partials.push(JSON.parse(readFileSync(result.resultFile, 'utf8')) as PartialResult);
  }
  return reducePartials(partials, counts, { top: 20, settings });
}

/** Every number in `actual` equals `expected`; means (floating sums in any order) to 1e-12 relative. */
function expectSummaryClose(actual: unknown, wanted: unknown, path = 'summary'): void {
  if (typeof wanted === 'number' && typeof actual === 'number' && !Number.isInteger(wanted) && /mean|fraction/.test(path)) {
    expect(Math.abs(actual - wanted) / Math.abs(wanted), path).toBeLessThan(1e-12);
  } else if (Array.isArray(wanted)) {
    expect(Array.isArray(actual), path).toBe(true);
    expect((actual as unknown[]).length, path).toBe(wanted.length);
    wanted.forEach((w, i) => expectSummaryClose((actual as unknown[])[i], w, `${path}[${i}]`));
  } else if (wanted !== null && typeof wanted === 'object') {
    for (const [k, w] of Object.entries(wanted)) expectSummaryClose((actual as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else {
    expect(actual, path).toEqual(wanted);
  }
}

describe('an Open edX dataset through the partition jobs and the reduce', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openedx-analyze-'));
  let report: Report;

  beforeAll(async () => {
    const events = [
      ...stagingLines(join(ROOT, 'fixtures/openedx/tracking.log.1.gz'), MAX_LINE_BYTES),
      ...stagingLines(join(ROOT, 'fixtures/openedx/tracking.log'), MAX_LINE_BYTES),
    ];
    const rows = await writeDataset(dir, events);
    report = await analyzeDataset(dir, rows, expected.summary.input as InputCounts, 'openedx');
  }, 300_000);
  afterAll(async () => {
    await closeAggregator();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is a registered analysis format', () => {
    expect(eventFormat('openedx')).toBe(OPENEDX_FORMAT);
  });

  it('gives every figure of summary.json derived by hand (§5, §6, §7 courses)', () => {
    expectSummaryClose(report.summary, expected.summary);
    expect(report.courses).toEqual(expected.summary.courses);
  });

  it('gives the tables behind the CSVs derived by hand', () => {
    expect(report.users.map((u) => [u.username, u.clicks])).toEqual(expected.users);
    expect(report.userAgents.map((u) => ({ user_agent: u.userAgent, browser: u.browser, os: u.os, device: u.device, events: u.events, users: u.users }))).toEqual(expected.userAgents);
    expect(report.eventTypes).toEqual(expected.summary.eventTypes);
    expect(report.sections).toEqual(expected.summary.sections);
    expect(report.referrers).toEqual(expected.summary.referrers);
    expect(report.daily.map((d) => [d.date, d.events, d.learners, d.newLearners])).toEqual(expected.daily);
    expect(report.hourOfWeek).toHaveLength(168);
    expect(report.hourOfWeek.filter((h) => h.events > 0).map((h) => [h.weekday, h.hour, h.events, h.learners])).toEqual(expected.hourOfWeekNonZero);
    expect(report.retention.map((r) => [String(r.week), r.start, r.active, r.new, r.retained])).toEqual(expected.retention);
    expect(report.sessionDurations.map((b) => [b.bucket, b.sessions])).toEqual(expected.sessionDurations);
    expect(report.videos.map((v) => [v.lecture, v.events, v.viewers, v.play, v.pause, v.seeked, v.ratechange, v.other, v.medianFurthestSeconds])).toEqual(expected.videos);
    expect(
      report.learners.map((l) => [
        l.username,
        l.events,
        l.firstEvent,
        l.lastEvent,
        l.activeDays,
        l.sessions,
        l.timeOnTaskSeconds,
        l.pageviews,
        l.videoEvents,
        l.lectures,
        l.browser,
        l.os,
        l.device,
        l.language,
      ]),
    ).toEqual(expected.learners);
  });
});

describe('a generated edX log, filtered, in another zone: the partition jobs and the independent recount agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openedx-filtered-'));
  afterAll(async () => {
    await closeAggregator();
    rmSync(dir, { recursive: true, force: true });
  });

  it('on every §5/§6 figure and table', async () => {
    const gen = await generateOpenEdx({
      out: join(dir, 'tracking.log'),
      events: 6000,
      gzip: true,
      files: 2,
      courses: 4,
      seed: 'filtered',
      dirtyRate: 0.02,
      anonymousRate: 0.1,
      maxLineBytes: 1 << 20,
    });
    const paths = gen.files.map((f) => f.path);
    const events = paths.flatMap((p) => stagingLines(p, 1 << 20));
    const rows = await writeDataset(dir, events);
    const options = { tz: 'America/New_York', from: '2017-01-20', to: '2017-03-05T12:00:00+01:00', sessionGapMinutes: 20 };
    const settings = resolveAnalysisSettings(options, 'openedx');
    const counts: InputCounts = { lines: gen.lines, events: gen.events, blank: gen.blank, rejected: gen.rejected };
    const partials: PartialResult[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const file = `part-${String(p).padStart(5, '0')}.parquet`;
      const result = await aggregatePartition({ dataset: dir, partition: p, file, rows: rows[p]!, resultDir: resultDirectory(dir, 'openedx'), settings });
      partials.push(JSON.parse(readFileSync(result.resultFile, 'utf8')) as PartialResult);
    }
    const report = reducePartials(partials, counts, { top: 20, settings });
    const r = await new Promise<Record<string, any>>((done, fail) =>
      execFile(
        'python3',
        [join(ROOT, 'fixtures', 'recount_openedx.py'), ...paths, '--tz', options.tz, '--from', options.from, '--to', options.to, '--session-gap', '20'],
        { maxBuffer: 256 << 20 },
        (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(JSON.parse(stdout))),
      ),
    );
    const s = report.summary;
    expect(s.filter).toEqual(r.filter);
    expect(s.filter!.events).toBeGreaterThan(1000);
    expect([s.events, s.users]).toEqual([r.events, r.users]);
    expect(s.input).toEqual({ lines: r.input.lines, events: r.input.events, blank: r.input.blank, rejected: r.input.rejected });
    expectSummaryClose(s.activity, r.activity, 'activity');
    expect(s.languages).toEqual(r.languages);
    expect(s.time).toEqual(r.time);
    expect(report.eventTypes).toEqual(r.event_types);
    expect(report.sections).toEqual(r.sections);
    expect(report.referrers).toEqual(r.referrers);
    expect(s.courses).toEqual(r.courses);
    expectSummaryClose(s.sessions, { ...r.sessions, gapMinutes: 20 }, 'sessions');
    expectSummaryClose(s.timeOnTaskSeconds, r.time_on_task, 'timeOnTaskSeconds');
    expect(s.video).toEqual({ events: r.video.events, viewers: r.video.viewers, lectures: r.video.lectures, actions: r.video.actions, playbackRates: r.video.playback_rates });
    expect(s.retention).toEqual(r.retention_summary);
    expect(report.daily.map((d) => [d.date, d.events, d.learners, d.newLearners])).toEqual(r.daily);
    expect(report.hourOfWeek.map((h) => [h.weekday, h.hour, h.events, h.learners])).toEqual(r.hour_of_week);
    expect(report.retention.map((w) => [w.week, w.start, w.active, w.new, w.retained])).toEqual(r.retention);
    expect(report.sessionDurations.map((b) => [b.bucket, b.sessions])).toEqual(r.session_durations);
    expect(report.videos.map((v) => [v.lecture, v.events, v.viewers, v.play, v.pause, v.seeked, v.ratechange, v.other, v.medianFurthestSeconds])).toEqual(r.videos);
    expect(report.users.map((u) => [u.username, u.clicks])).toEqual(r.users_clicks);
    expect(report.learners.map((l) => [l.username, l.events, l.firstEvent, l.lastEvent, l.activeDays, l.sessions, l.pageviews, l.videoEvents, l.lectures, l.language])).toEqual(
      (r.learners as unknown[][]).map((x) => [x[0], x[1], x[2], x[3], x[4], x[5], x[7], x[8], x[9], x[13]]),
    );
    (r.learners as unknown[][]).forEach((x, i) => expect(Math.abs(report.learners[i]!.timeOnTaskSeconds - (x[6] as number))).toBeLessThan(1e-9));
  }, 600_000);
});

describe('the model SQL agrees with the TypeScript mapping, row by row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openedx-model-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on the fixture and on a generated log', async () => {
    const gen = await generateOpenEdx({
      out: join(dir, 'gen.log'),
      events: 4000,
      gzip: false,
      files: 1,
      courses: 4,
      seed: 'model-sql',
      dirtyRate: 0.05,
      anonymousRate: 0.1,
      maxLineBytes: 1 << 20,
    });
    const events = [
      ...stagingLines(join(ROOT, 'fixtures/openedx/tracking.log.1.gz'), MAX_LINE_BYTES),
      ...stagingLines(join(ROOT, 'fixtures/openedx/tracking.log'), MAX_LINE_BYTES),
      ...stagingLines(gen.files[0]!.path, 1 << 20),
    ];
    const staging = join(dir, 'staging.jsonl');
    writeFileSync(staging, events.map((e) => e.staged + '\n').join(''));
    const columns = OPENEDX_COLUMNS.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
    // The stored rows and their model columns, in the same (insertion) order.
    const [stored, rows] = await withDuckDB({ threads: 1 }, async (conn) => {
      await conn.run(`CREATE TABLE t AS SELECT * FROM read_json(${literal(staging)}, format = 'newline_delimited', columns = {${columns}}, maximum_object_size = 16777216)`);
      const all = (await conn.runAndReadAll(`SELECT * FROM t ORDER BY rowid`)).getRowObjectsJS();
      const model = (await conn.runAndReadAll(`SELECT ${OPENEDX_MODEL_SELECT}, ${OPENEDX_COURSE_SELECT} AS course FROM t ORDER BY rowid`)).getRowObjectsJS();
      return [all, model];
    });
    expect(rows).toHaveLength(events.length);
    let videos = 0;
    rows.forEach((row, i) => {
      const model = openEdxModelEvent(stored[i]!);
      const where = `row ${i}: ${events[i]!.staged.slice(0, 120)}`;
      expect(row.learner, where).toBe(model.username);
      expect(row.time_ms === null ? null : Number(row.time_ms), where).toBe(model.timestamp);
      expect(row.user_agent, where).toBe(model.userAgent);
      expect(row.accept_language, where).toBe(model.language);
      expect(row.referrer_url, where).toBe(model.referrer);
      expect(row.event_type, where).toBe(model.eventType);
      expect(row.is_pageview, where).toBe(model.pageview);
      expect(row.is_video, where).toBe(model.video !== null);
      expect(OPENEDX_FORMAT.page(row.page_url as string | null).section, where).toBe(model.section);
      expect(row.course, where).toBe(model.course);
      if (model.video !== null) {
        videos++;
        expect(OPENEDX_FORMAT.video(row.video_payload as string, undefined), where).toEqual(model.video);
      } else {
        expect(row.video_payload, where).toBeNull();
      }
    });
    expect(videos).toBeGreaterThan(1000);
  }, 300_000);
});
