/**
 * The hand-written Open edX fixture against its hand-derived answers (fixtures/expected/openedx.json):
 * the adapter's per-event mapping, the format detection, and the independent recount
 * (fixtures/recount_openedx.py) all have to give exactly those answers. The end-to-end run through
 * `convert` and `analyze` uses the same expected file once they read edX logs.
 */
import type { RejectReason } from '../src/types.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { judgeLine } from '../src/formats/line-rules.js';
import { InputFormatError } from '../src/errors.js';
import { FormatSampler, decideFormat, type FormatChoice } from '../src/formats/detect-format.js';
import { serializeOpenEdxEvent } from '../src/formats/openedx.js';
import { openEdxModelEvent, type ModelEvent } from './helpers/openedx-model.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'fixtures', 'openedx');
const OLDER = 'fixtures/openedx/tracking.log.1.gz';
const CURRENT = 'fixtures/openedx/tracking.log';
const MAX_LINE_BYTES = 2048;

interface Named {
  name: string;
  events: number;
  users: number;
}
const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'expected', 'openedx.json'), 'utf8')) as {
  convert: { counts: unknown; files: { path: string; compression: string; lines: number; events: number; blank: number; rejected: unknown }[]; rejectedLines: unknown[] };
  summary: {
    events: number;
    users: number;
    eventTypes: Named[];
    sections: Named[];
    courses: Named[];
    time: { untimed: number; first: string; last: string };
    video: { events: number; viewers: number; lectures: number; actions: Named[]; playbackRates: { rate: number; events: number; users: number }[] };
  };
  users: [string, number][];
  videos: (string | number)[][];
  byCourse: Record<string, { events: number; users: number; eventTypes: Named[]; sections: Named[] }>;
};

/** The decompressed bytes of a fixture file. */
function bytesOf(path: string): Buffer {
  const raw = readFileSync(join(ROOT, path));
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

/** §2 over one file's lines (these files have no BOM and no CR), as the converter applies it. */
function readFile(path: string) {
  const text = bytesOf(path).toString('utf8');
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const account = { path, lines: lines.length, events: 0, blank: 0, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 } as Partial<Record<RejectReason, number>> };
  const rejects: { file: string; line: number; reason: string; bytes: number }[] = [];
  const events: ModelEvent[] = [];
  lines.forEach((line, i) => {
    const bytes = Buffer.byteLength(line);
    if (/^[ \t]*$/.test(line)) {
      account.blank++;
      return;
    }
    const verdict = bytes > MAX_LINE_BYTES ? ({ kind: 'rejected', reason: 'too_long' } as const) : judgeLine(line);
    if (verdict.kind === 'rejected') {
      account.rejected[verdict.reason] = (account.rejected[verdict.reason] ?? 0) + 1;
      rejects.push({ file: path, line: i + 1, reason: verdict.reason, bytes });
    } else if (verdict.kind === 'event') {
      account.events++;
      events.push(openEdxModelEvent(JSON.parse(serializeOpenEdxEvent(verdict.value, line)) as Record<string, unknown>));
    }
  });
  return { account, rejects, events };
}

/** A `name,events,users` table sorted as §6 lists are (users, events desc, name by UTF-16). */
function table(events: readonly ModelEvent[], name: (e: ModelEvent) => string | null): Named[] {
  const map = new Map<string, { events: number; users: Set<string> }>();
  for (const e of events) {
    const key = name(e);
    if (key === null) continue;
    const entry = map.get(key) ?? { events: 0, users: new Set<string>() };
    entry.events++;
    entry.users.add(e.username);
    map.set(key, entry);
  }
  return [...map]
    .map(([n, v]) => ({ name: n, events: v.events, users: v.users.size }))
    .sort((a, b) => b.users - a.users || b.events - a.events || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const files = [readFile(OLDER), readFile(CURRENT)];
const events = files.flatMap((f) => f.events);

describe('the Open edX fixture through the adapter', () => {
  it('accounts for every line of each file, and in total, as expected', () => {
    expect(files.map((f) => f.account)).toEqual(expected.convert.files.map(({ path, lines, events: ev, blank, rejected }) => ({ path, lines, events: ev, blank, rejected })));
    expect(files.flatMap((f) => f.rejects)).toEqual(expected.convert.rejectedLines);
    expect(events).toHaveLength(expected.summary.events);
    expect(new Set(events.map((e) => e.username)).size).toBe(expected.summary.users);
  });

  it('maps event types, sections and courses as derived by hand', () => {
    expect(table(events, (e) => e.eventType)).toEqual(expected.summary.eventTypes);
    expect(table(events, (e) => e.section)).toEqual(expected.summary.sections);
    expect(table(events, (e) => e.course)).toEqual(expected.summary.courses);
  });

  it('reads every time variant: untimed, first and last as derived by hand', () => {
    const times = events.map((e) => e.timestamp).filter((t): t is number => t !== null);
    expect(events.length - times.length).toBe(expected.summary.time.untimed);
    expect(new Date(Math.min(...times)).toISOString()).toBe(expected.summary.time.first);
    expect(new Date(Math.max(...times)).toISOString()).toBe(expected.summary.time.last);
  });

  it('gives the video actions, rates, lectures and furthest positions derived by hand', () => {
    const video = events.filter((e) => e.video !== null);
    expect(video).toHaveLength(expected.summary.video.events);
    expect(new Set(video.map((e) => e.username)).size).toBe(expected.summary.video.viewers);
    expect(table(video, (e) => e.video!.action)).toEqual(expected.summary.video.actions);
    const rates = table(video, (e) => (e.video!.rate === undefined ? null : String(e.video!.rate)))
      .map((r) => ({ rate: Number(r.name), events: r.events, users: r.users }))
      .sort((a, b) => b.users - a.users || b.events - a.events || a.rate - b.rate);
    expect(rates).toEqual(expected.summary.video.playbackRates);
    const lectures = new Set(video.map((e) => e.video!.lecture).filter((l) => l !== 'unknown'));
    expect(lectures.size).toBe(expected.summary.video.lectures);
    for (const [lecture, evs, viewers, play, pause, seeked, ratechange, other, furthest] of expected.videos) {
      const of = video.filter((e) => e.video!.lecture === lecture);
      const actions = (a: string) => of.filter((e) => e.video!.action === a).length;
      expect([of.length, new Set(of.map((e) => e.username)).size], String(lecture)).toEqual([evs, viewers]);
      expect([actions('play'), actions('pause'), actions('seeked'), actions('ratechange')]).toEqual([play, pause, seeked, ratechange]);
      expect(of.length - actions('play') - actions('pause') - actions('seeked') - actions('ratechange')).toBe(other);
      const perViewer = new Map<string, number>();
      for (const e of of) if (e.video!.position !== undefined) perViewer.set(e.username, Math.max(perViewer.get(e.username) ?? 0, e.video!.position));
      const sorted = [...perViewer.values()].sort((a, b) => a - b);
      expect(sorted[Math.ceil(sorted.length / 2) - 1]).toBe(furthest);
    }
  });

  it('counts pageviews as events of type page', () => {
    expect(events.filter((e) => e.pageview)).toHaveLength(expected.summary.eventTypes.find((t) => t.name === 'page')!.events);
  });

  it('restricted to one course, gives the --course answers derived by hand', () => {
    for (const [course, answer] of Object.entries(expected.byCourse)) {
      const of = events.filter((e) => e.course === course);
      expect(of).toHaveLength(answer.events);
      expect(new Set(of.map((e) => e.username)).size).toBe(answer.users);
      expect(table(of, (e) => e.eventType)).toEqual(answer.eventTypes);
      expect(table(of, (e) => e.section)).toEqual(answer.sections);
    }
  });
});

describe('format detection on the fixture files', () => {
  const sample = (path: string) => {
    const sampler = new FormatSampler(MAX_LINE_BYTES);
    sampler.push(bytesOf(path));
    return { file: path, sample: sampler.end() };
  };
  const decide = (choice: FormatChoice, ...paths: string[]) => decideFormat(choice, paths.map(sample));

  it('auto and --format openedx decide openedx for the two rotated logs', () => {
    expect(decide('auto', OLDER, CURRENT)).toBe('openedx');
    expect(decide('openedx', OLDER, CURRENT)).toBe('openedx');
    expect(decide('auto', 'fixtures/quirks.jsonl')).toBe('coursera');
  });

  it('refuses neither.jsonl, --format coursera on an edX log, --format openedx on a Coursera export, and a mix of files', () => {
    const cases: [FormatChoice, string[], string[]][] = [
      ['auto', ['fixtures/openedx/neither.jsonl'], ['fixtures/openedx/neither.jsonl', 'Coursera clickstream export', 'Open edX tracking log']],
      ['coursera', [CURRENT], [CURRENT, '--format coursera', 'Open edX tracking log']],
      ['openedx', ['fixtures/quirks.jsonl'], ['fixtures/quirks.jsonl', '--format openedx', 'Coursera clickstream export']],
      ['auto', [CURRENT, 'fixtures/quirks.jsonl'], [CURRENT, 'fixtures/quirks.jsonl']],
    ];
    for (const [choice, paths, includes] of cases) {
      let error: unknown;
      try {
        decide(choice, ...paths);
      } catch (err) {
        error = err;
      }
      expect(error, paths.join(' ')).toBeInstanceOf(InputFormatError);
      for (const text of includes) expect((error as Error).message).toContain(text);
    }
  });
});

describe('the independent recount (fixtures/recount_openedx.py)', () => {
  const recount = (...args: string[]): Promise<Record<string, unknown>> =>
    new Promise((done, fail) => {
      execFile('python3', [join(ROOT, 'fixtures', 'recount_openedx.py'), OLDER, CURRENT, '--max-line-bytes', String(MAX_LINE_BYTES), ...args], { cwd: ROOT }, (err, stdout, stderr) => {
        if (err) fail(new Error(`${err.message}\n${stderr}`));
        else done(JSON.parse(stdout) as Record<string, unknown>);
      });
    });

  it('agrees with the hand-derived answers', async () => {
    const r = await recount();
    expect(r.events).toBe(expected.summary.events);
    expect(r.users_clicks).toEqual(expected.users);
    expect(r.event_types).toEqual(expected.summary.eventTypes);
    expect(r.sections).toEqual(expected.summary.sections);
    expect(r.courses).toEqual(expected.summary.courses);
    expect((r.input as { files: unknown[] }).files).toEqual(expected.convert.files.map(({ compression: _c, ...rest }) => rest));
    expect(r.videos).toEqual(expected.videos);
    const full = expected as unknown as Record<string, unknown>;
    const summary = expected.summary as unknown as Record<string, unknown>;
    expect(r.daily).toEqual(full.daily);
    expect((r.hour_of_week as number[][]).filter((c) => c[2] !== 0)).toEqual(full.hourOfWeekNonZero);
    expect(r.session_durations).toEqual(full.sessionDurations);
    expect((r.retention as unknown[][]).map(([w, ...rest]) => [String(w), ...rest])).toEqual(full.retention);
    expect(r.time).toEqual(summary.time);
    expect(r.referrers).toEqual(summary.referrers);
    expect(r.languages).toEqual(summary.languages);
    expect(r.activity).toEqual(summary.activity);
    expect(r.sessions).toEqual(summary.sessions);
    expect(r.time_on_task).toEqual(summary.timeOnTaskSeconds);
  });

  it('agrees on one course', async () => {
    const course = 'course-v1:MITx+6.00.1x+2T2017';
    const r = await recount('--course', course);
    const answer = expected.byCourse[course]!;
    expect([r.events, r.users]).toEqual([answer.events, answer.users]);
    expect(r.event_types).toEqual(answer.eventTypes);
    expect(r.sections).toEqual(answer.sections);
  });
});

// The fixture's own generator lives beside it; a stale fixture would make every answer above moot.
describe('fixture files', () => {
  it('are the bytes make-fixture.mjs writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openedx-fixture-'));
    try {
      await new Promise<void>((done, fail) => execFile('node', [join(FIXTURES, 'make-fixture.mjs'), dir], (err) => (err ? fail(err) : done())));
      for (const name of ['tracking.log.1.gz', 'tracking.log', 'neither.jsonl']) {
        expect(readFileSync(join(dir, name)).equals(readFileSync(join(FIXTURES, name))), name).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
