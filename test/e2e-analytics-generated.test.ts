/**
 * Learning analytics (DATA-CONTRACT §6) end to end: fixtures/recount.py, an independent Python
 * reimplementation of the contract, is first held against answers derived by hand on a tiny export
 * and against Node's own WHATWG URL parser; then a generated export of a ten-week course is
 * converted and analyzed by the CLI (with the defaults, and with --tz, --from, --to, --exclude-bots
 * and --session-gap) and every §6 figure and every row of every §6 CSV (and learners.parquet) must
 * equal the recount's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, describeRun, named, readCsv, run, type NamedCount, type Run } from './helpers/e2e.js';

const GENERATOR = join(ROOT, 'dist', 'fixtures', 'generate.js');
const RECOUNT = join(ROOT, 'fixtures', 'recount.py');
const TIMEOUT = 300_000;

type Cell = string | number | null;

/** What recount.py prints with --analytics (the §6 keys named as in summary.json). */
interface Recount {
  input: { lines: number; events: number; blank: number; rejected: Record<string, number> };
  events: number;
  users: number;
  activity: { min: number; median: number; mean: number; p90: number; p99: number; max: number; cdf: Array<{ clicks: number; users: number; fraction: number }> } | null;
  top_users: Array<{ username: string; clicks: number }>;
  users_clicks: Array<[string, number]>;
  user_agents: Array<{ user_agent: string; events: number; users: number }>;
  languages: NamedCount[];
  browsers: NamedCount[];
  os: NamedCount[];
  devices: NamedCount[];
  filter?: { from: string | null; to: string | null; excludeBots: boolean; events: number };
  time: { timezone: string; untimed: number; implausible: number; first: string | null; last: string | null; days: number; activeDays: number };
  eventTypes: NamedCount[];
  sections: NamedCount[];
  referrers: NamedCount[];
  sessions: { gapMinutes: number; count: number; perLearner: Stats; durationSeconds: Stats };
  timeOnTaskSeconds: Stats & { total: number };
  video: { events: number; viewers: number; lectures: number; actions: NamedCount[]; playbackRates: Array<{ rate: number; events: number; users: number }> };
  retention: { weeks: number; lastWeekActive: number; courseStart: string | null };
  daily: Cell[][];
  hour_of_week: Cell[][];
  retention_rows: Cell[][];
  session_durations: Cell[][];
  videos: Cell[][];
  learners: Cell[][];
}

interface Stats {
  median: number;
  mean: number;
  p90: number;
  max: number;
}

/** A recount row as the CSV writes it (§6.4; decision 11: numbers as JavaScript's String, null as ''). */
const csvRow = (row: Cell[]): string[] => row.map((c) => (c === null ? '' : String(c)));

async function recount(args: string[]): Promise<Recount> {
  const r = await run('python3', [RECOUNT, ...args]);
  expect(r.code, describeRun('recount', r)).toBe(0);
  return JSON.parse(r.stdout) as Recount;
}

// ---------------------------------------------------------------------------------------------
// The referee's own check: a tiny export whose every §6 figure was worked out by hand.

/** Raw user agent → browser, OS, device: a hand-made user-agents.csv, so no classifier is involved. */
const HAND_USER_AGENTS = [
  'user_agent,browser,os,device,events,users',
  'UA-Desk,Chrome,Windows,desktop,0,0',
  'UA-Phone,Mobile Safari,iOS,smartphone,0,0',
  'curl/7.30.0,curl,unknown,bot,0,0',
  ',unknown,unknown,unknown,0,0',
].join('\r\n');

const T0 = Date.UTC(2013, 5, 3, 10, 0, 0); // Monday 2013-06-03 10:00 UTC
const at = (iso: string): number => Date.parse(iso);
const url = (path: string): string => `https://class.coursera.org/psy-001/${path}`;
const video = (v: Record<string, unknown>): string => JSON.stringify(v);

/** Numbered as in the comments of the hand-derived answers below. */
const HAND_LINES: Array<Record<string, unknown> | string> = [
  /* 1 */ { key: 'pageview', value: '', username: 'alice', timestamp: T0, page_url: url('lecture/index'), from: '', user_agent: 'UA-Desk', language: 'en-US' },
  /* 2 */ { key: 'user.video.lecture.action', value: video({ type: 'play', currentTime: 0, playbackRate: 1.5 }), username: 'alice', timestamp: T0 + 10_000, page_url: url('lecture/view?lecture_id=7'), from: url('lecture/index'), user_agent: 'UA-Desk', language: 'en-US' },
  /* 3 */ { key: 'user.video.lecture.action', value: video({ type: 'pause', currentTime: 90, playbackRate: 1.5 }), username: 'alice', timestamp: T0 + 70_000, page_url: url('lecture/view?lecture_id=7'), from: url('lecture/view?lecture_id=7'), user_agent: 'UA-Desk', language: 'en-US' },
  /* 4 */ { key: 'pageview', value: '', username: 'alice', timestamp: T0 + 40 * 60_000, page_url: url(''), from: 'https://WWW.Google.COM/search?q=x', user_agent: 'UA-Desk', language: 'en-US' },
  /* 5 */ { key: 'user.video.lecture.action', value: video({ type: 'seeked', currentTime: 30.5, lectureID: 9, playbackRate: 2 }), username: 'alice', timestamp: at('2013-06-11T09:00:00Z'), page_url: url('lecture/index'), from: 'https://www.facebook.com/', user_agent: 'UA-Desk', language: 'en-US' },
  /* 6 */ { key: 'pageview', value: '', username: 'alice', page_url: 'not a url', from: '(not set)', user_agent: 'UA-Desk', language: 'en-US' },
  /* 7 */ { key: 'pageview', value: '', username: 'bob', timestamp: at('2013-06-04T23:30:00Z'), page_url: url('forum/thread?thread_id=1'), from: 'http://localhost:8080/x', user_agent: 'UA-Phone', language: 'fr' },
  /* 8 */ { key: 'user.video.lecture.action', value: video({ type: '', currentTime: -1, lectureID: '007', playbackRate: 0 }), username: 'bob', timestamp: at('2013-06-04T23:30:00Z'), page_url: url('lecture/view?lecture_id='), from: 'about:blank', user_agent: 'UA-Phone', language: 'fr-FR' },
  /* 9 */ { key: 'user.video.lecture.action', value: 'not json', username: 'bob', timestamp: at('2013-06-04T23:45:00Z'), page_url: url('lecture/view?lecture_id=7'), from: '', user_agent: 'UA-Desk' },
  /* 10 */ { key: 'pageview', value: '', username: 'carol', timestamp: at('2013-06-05T12:00:00Z'), page_url: url('lecture/download.mp4?lecture_id=9'), user_agent: 'curl/7.30.0' },
  /* 11 */ { key: 'user.quiz.submit', value: '', username: 'carol', timestamp: at('2013-06-05T12:00:05Z'), page_url: url('quiz/attempt?quiz_id=1'), from: url('lecture/index'), user_agent: 'curl/7.30.0' },
  /* 12 */ '{"key":"pageview"}',
  /* 13 */ '',
  /* 14 */ { value: '', username: 'bob', timestamp: String(at('2013-06-05T00:00:00Z')), page_url: 5, from: 0, user_agent: 'UA-Desk', language: 'de' },
];

describe('recount.py on a hand-made export (every answer derived by hand)', () => {
  let tmp: string;
  let exportPath: string;
  let uaPath: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'clickstream-recount-hand-'));
    exportPath = join(tmp, 'hand.jsonl');
    uaPath = join(tmp, 'user-agents.csv');
    writeFileSync(exportPath, HAND_LINES.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    writeFileSync(uaPath, HAND_USER_AGENTS + '\r\n');
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('UTC, 30-minute sessions, no filter', async () => {
    const rc = await recount([exportPath, '--analytics', '--user-agents', uaPath]);
    // 14 lines: 12 events (alice 1-6, bob 7-9 and 14, carol 10-11), line 12 has no username, 13 is blank.
    expect(rc.input).toEqual({ lines: 14, events: 12, blank: 1, rejected: { invalid_json: 0, not_object: 0, missing_username: 1, too_long: 0 } });
    expect([rc.events, rc.users]).toEqual([12, 3]);
    expect(rc.filter).toBeUndefined();
    // Line 6 has no timestamp; line 14's is a string holding a number (timed). First 1, last 5.
    expect(rc.time).toEqual({ timezone: 'UTC', untimed: 1, implausible: 0, first: '2013-06-03T10:00:00.000Z', last: '2013-06-11T09:00:00.000Z', days: 9, activeDays: 4 });
    // Line 14 has no key: (missing), which ties with user.quiz.submit and sorts first ('(' < 'u').
    expect(rc.eventTypes).toEqual([
      { name: 'pageview', events: 5, users: 3 },
      { name: 'user.video.lecture.action', events: 5, users: 2 },
      { name: '(missing)', events: 1, users: 1 },
      { name: 'user.quiz.submit', events: 1, users: 1 },
    ]);
    // Line 4 is the course root, 6 is not a URL and 14's page_url is a number.
    expect(rc.sections).toEqual([
      { name: 'lecture', events: 7, users: 3 },
      { name: 'unknown', events: 2, users: 2 },
      { name: '(root)', events: 1, users: 1 },
      { name: 'forum', events: 1, users: 1 },
      { name: 'quiz', events: 1, users: 1 },
    ]);
    // (direct): 1, 9 (""), 10 (missing), 14 (a number); (invalid): 6 (not a URL), 8 (about:blank, no host).
    expect(rc.referrers).toEqual([
      { name: '(direct)', events: 4, users: 3 },
      { name: 'class.coursera.org', events: 3, users: 2 },
      { name: '(invalid)', events: 2, users: 2 },
      { name: 'localhost', events: 1, users: 1 },
      { name: 'www.facebook.com', events: 1, users: 1 },
      { name: 'www.google.com', events: 1, users: 1 },
    ]);
    // alice: 10:00:00, :10, 10:01:10 | 10:40 (38 min 50 s later) | 11 June: 3 sessions, 70 s.
    // bob: 23:30, 23:30, 23:45, 00:00 (gaps of 0 and 15 min): 1 session, 1800 s. carol: 5 s.
    expect(rc.sessions).toEqual({
      gapMinutes: 30,
      count: 5,
      perLearner: { median: 1, mean: 5 / 3, p90: 3, max: 3 },
      durationSeconds: { median: 5, mean: 375, p90: 1800, max: 1800 },
    });
    expect(rc.timeOnTaskSeconds).toEqual({ median: 70, mean: 625, p90: 1800, max: 1800, total: 1875 });
    // Video events 2, 3, 5 (alice) and 8, 9 (bob). 8: type "" → unknown, position -1 and rate 0 are
    // none, lecture_id empty so lectureID "007" as written; 9: value not JSON → unknown, lecture 7 from
    // page_url; 5: no lecture_id in page_url, lectureID 9.
    expect(rc.video).toEqual({
      events: 5,
      viewers: 2,
      lectures: 3,
      actions: [
        { name: 'unknown', events: 2, users: 1 },
        { name: 'pause', events: 1, users: 1 },
        { name: 'play', events: 1, users: 1 },
        { name: 'seeked', events: 1, users: 1 },
      ],
      playbackRates: [
        { rate: 1.5, events: 2, users: 1 },
        { rate: 2, events: 1, users: 1 },
      ],
    });
    expect(rc.videos).toEqual([
      ['7', 3, 2, 1, 1, 0, 0, 1, 90],
      ['007', 1, 1, 0, 0, 0, 0, 1, null],
      ['9', 1, 1, 0, 0, 1, 0, 0, 30.5],
    ]);
    expect(rc.session_durations).toEqual([
      ['0', 2],
      ['0-1m', 1],
      ['1-5m', 1],
      ['5-15m', 0],
      ['15-30m', 1],
      ['30-60m', 0],
      ['1-2h', 0],
      ['2h+', 0],
    ]);
    expect(rc.daily).toEqual([
      ['2013-06-03', 4, 1, 1],
      ['2013-06-04', 3, 1, 1],
      ['2013-06-05', 3, 2, 1],
      ['2013-06-06', 0, 0, 0],
      ['2013-06-07', 0, 0, 0],
      ['2013-06-08', 0, 0, 0],
      ['2013-06-09', 0, 0, 0],
      ['2013-06-10', 0, 0, 0],
      ['2013-06-11', 1, 1, 0],
    ]);
    const cells = new Map([
      ['1,10', [4, 1]],
      ['2,23', [3, 1]],
      ['3,0', [1, 1]],
      ['3,12', [2, 1]],
      ['2,9', [1, 1]],
    ]);
    expect(rc.hour_of_week).toHaveLength(168);
    rc.hour_of_week.forEach((row, i) => {
      const [w, h] = [Math.floor(i / 24) + 1, i % 24];
      expect(row).toEqual([w, h, ...(cells.get(`${w},${h}`) ?? [0, 0])]);
    });
    expect(rc.retention).toEqual({ weeks: 2, lastWeekActive: 1, courseStart: '2013-06-03' });
    expect(rc.retention_rows).toEqual([
      [0, '2013-06-03', 3, 3, 3],
      [1, '2013-06-10', 1, 0, 1],
    ]);
    // bob's user agents tie 2–2: Chrome < Mobile Safari, Windows < iOS (UTF-16), desktop < smartphone.
    expect(rc.learners).toEqual([
      ['alice', 6, '2013-06-03T10:00:00.000Z', '2013-06-11T09:00:00.000Z', 2, 3, 70, 3, 3, 2, 'Chrome', 'Windows', 'desktop', 'en'],
      ['bob', 4, '2013-06-04T23:30:00.000Z', '2013-06-05T00:00:00.000Z', 2, 1, 1800, 1, 2, 2, 'Chrome', 'Windows', 'desktop', 'fr'],
      ['carol', 2, '2013-06-05T12:00:00.000Z', '2013-06-05T12:00:05.000Z', 1, 1, 5, 1, 0, 0, 'curl', 'unknown', 'bot', 'unknown'],
    ]);
  });

  it('Europe/Paris, a week from a bare date, bots left out, 10-minute sessions', async () => {
    const rc = await recount([
      exportPath,
      '--analytics',
      '--user-agents', uaPath,
      '--tz', 'Europe/Paris',
      '--from', '2013-06-04',
      '--to', '2013-06-11',
      '--exclude-bots',
      '--session-gap', '10',
    ]);
    // Paris is UTC+2 in June: the window is [06-03 22:00Z, 06-10 22:00Z). Left out: alice's 1-4
    // (before), 5 (after), 6 (untimed), carol's 10-11 (bot). Kept: bob's four events.
    expect(rc.filter).toEqual({ from: '2013-06-03T22:00:00.000Z', to: '2013-06-10T22:00:00.000Z', excludeBots: true, events: 8 });
    expect(rc.input.events).toBe(12);
    expect([rc.events, rc.users]).toEqual([4, 1]);
    expect(rc.users_clicks).toEqual([['bob', 4]]);
    expect(rc.time).toEqual({ timezone: 'Europe/Paris', untimed: 0, implausible: 0, first: '2013-06-04T23:30:00.000Z', last: '2013-06-05T00:00:00.000Z', days: 1, activeDays: 1 });
    expect(rc.eventTypes).toEqual([
      { name: 'user.video.lecture.action', events: 2, users: 1 },
      { name: '(missing)', events: 1, users: 1 },
      { name: 'pageview', events: 1, users: 1 },
    ]);
    // Gaps of 0, 15 and 15 minutes: three sessions under a 10-minute gap, all of 0 s.
    expect(rc.sessions).toEqual({
      gapMinutes: 10,
      count: 3,
      perLearner: { median: 3, mean: 3, p90: 3, max: 3 },
      durationSeconds: { median: 0, mean: 0, p90: 0, max: 0 },
    });
    expect(rc.timeOnTaskSeconds).toEqual({ median: 0, mean: 0, p90: 0, max: 0, total: 0 });
    expect(rc.session_durations[0]).toEqual(['0', 3]);
    expect(rc.video).toEqual({ events: 2, viewers: 1, lectures: 2, actions: [{ name: 'unknown', events: 2, users: 1 }], playbackRates: [] });
    expect(rc.videos).toEqual([
      ['007', 1, 1, 0, 0, 0, 0, 1, null],
      ['7', 1, 1, 0, 0, 0, 0, 1, null],
    ]);
    // 01:30, 01:30, 01:45 and 02:00 on Wednesday 5 June, Paris time.
    expect(rc.daily).toEqual([['2013-06-05', 4, 1, 1]]);
    expect(rc.hour_of_week.filter((r) => (r[2] as number) > 0)).toEqual([
      [3, 1, 3, 1],
      [3, 2, 1, 1],
    ]);
    expect(rc.retention_rows).toEqual([[0, '2013-06-05', 1, 1, 1]]);
    expect(rc.learners).toEqual([['bob', 4, '2013-06-04T23:30:00.000Z', '2013-06-05T00:00:00.000Z', 1, 3, 0, 1, 2, 2, 'Chrome', 'Windows', 'desktop', 'fr']]);
  });

  it('the hour repeated when Paris leaves summer time counts twice in hour 2; an empty window gives empty tables', async () => {
    const dst = join(tmp, 'dst.jsonl');
    const ev = (iso: string) => JSON.stringify({ key: 'pageview', username: 'dan', timestamp: at(iso), page_url: url('class/index'), user_agent: 'UA-Desk' });
    // 00:30Z is 02:30 CEST and 01:30Z is 02:30 CET on Sunday 27 October 2013.
    writeFileSync(dst, [ev('2013-10-27T00:30:00Z'), ev('2013-10-27T01:30:00Z')].join('\n') + '\n');
    const rc = await recount([dst, '--analytics', '--user-agents', uaPath, '--tz', 'Europe/Paris', '--session-gap', '90']);
    expect(rc.hour_of_week.filter((r) => (r[2] as number) > 0)).toEqual([[7, 2, 2, 1]]);
    expect(rc.daily).toEqual([['2013-10-27', 2, 1, 1]]);
    // An hour apart in real time, though both at 02:30 on the wall clock: one session of 3600 s.
    expect([rc.sessions.gapMinutes, rc.sessions.count, rc.timeOnTaskSeconds.total]).toEqual([90, 1, 3600]);

    const empty = await recount([dst, '--analytics', '--user-agents', uaPath, '--from', '2014-01-01T00:00:00+01:00']);
    expect(empty.filter).toEqual({ from: '2013-12-31T23:00:00.000Z', to: null, excludeBots: false, events: 2 });
    expect(empty.time).toEqual({ timezone: 'UTC', untimed: 0, implausible: 0, first: null, last: null, days: 0, activeDays: 0 });
    expect(empty.sessions).toEqual({ gapMinutes: 30, count: 0, perLearner: { median: 0, mean: 0, p90: 0, max: 0 }, durationSeconds: { median: 0, mean: 0, p90: 0, max: 0 } });
    expect(empty.timeOnTaskSeconds).toEqual({ median: 0, mean: 0, p90: 0, max: 0, total: 0 });
    expect(empty.daily).toEqual([]);
    expect(empty.retention_rows).toEqual([]);
    expect(empty.retention).toEqual({ weeks: 0, lastWeekActive: 0, courseStart: null });
    expect(empty.hour_of_week).toHaveLength(168);
    expect(empty.learners).toEqual([]);
  });

  it('sorts §6 names by UTF-16 code units, not code points', async () => {
    const names = join(tmp, 'names.jsonl');
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FF21 in UTF-16 though after it by code point.
    const ev = (key: string) => JSON.stringify({ key, username: 'erin', timestamp: T0, page_url: url('class/index'), user_agent: 'UA-Desk' });
    writeFileSync(names, [ev('user.reaction.\uff21'), ev('user.reaction.\u{1f600}')].join('\n') + '\n');
    const rc = await recount([names, '--analytics', '--user-agents', uaPath]);
    expect(rc.eventTypes.map((t) => t.name)).toEqual(['user.reaction.\u{1f600}', 'user.reaction.\uff21']);
  });
});

describe("recount.py's WHATWG URL subset", () => {
  it("gives Node's URL hostname, pathname and searchParams.get('lecture_id') on every shape the generator writes, and on edge cases", async () => {
    const probes = [
      'https://class.coursera.org/psy-001/lecture/view?lecture_id=12',
      'https://class.coursera.org/psy-001/lecture/view?preview=1&lecture_id=0012',
      'https://class.coursera.org/psy-001/lecture/view?lecture_id=',
      'https://class.coursera.org/psy-001/lecture/view?lecture_id=12\uFFFD',
      'https://class.coursera.org/psy-001/lecture/index\uFFFD',
      'https://class.coursera.org/psy-001',
      'https://class.coursera.org/psy-001/',
      'https://class.coursera.org/psy-001/wiki/view?page=Week%203%20readings',
      'https://class.coursera.org/psy-001/human_grading/view/courses/971234/assessments/2/submissions',
      '/psy-001/lecture/view?lecture_id=3',
      'https://WWW.Google.COM/search?q=coursera',
      'http://www.google.com.br/url?sa=t&rct=j&q=&esrc=s',
      'http://localhost:8080/notes.html',
      'http://m.facebook.com/l.php?u=https%3A%2F%2Fclass.coursera.org',
      'about:blank',
      'http://',
      '(not set)',
      'file:///C:/Users/me/notes.html',
      '',
      'android-app://Com.Google.Android/x',
      'mailto:a@b.c',
      'c:/x/y',
      'HTTPS://user:pw@Example.COM:443/a/../b/./c/%2e%2E/d?x#y',
      'http:\\\\example.com\\a\\b',
      'http:example.com/a',
      'https:///x/y',
      '  https://a.b/c  ',
      'https://a\tb.c/d\ne',
      'http://0x7f.1/',
      'http://192.168.0.257/',
      'http://1.2.3.4.5/',
      'http://%41.com/',
      'http://a b/',
      'https://a.b/x y/\u00e9?q=1 2&lecture_id=a+b%20c',
      'https://a.b/x?lecture_id=1&lecture_id=2',
      'https://a.b/x?Lecture_id=1',
      'https://a.b/x?a=1&&lecture_id=%zz',
      'https://a.b/x?lecture_id=%E2%82',
      'https://a.b:99999/',
      'https://a.b:12a/',
      'https://@a.b/',
      'https://x@/',
      'ws://a.B/x',
      'foo://bar',
      'foo:/bar/../baz',
      'https://a.b/x^y`{}',
      'https://a.b/a/..',
      'https://a.b/a/.',
      'https://a.b/..',
      'https://example.com./',
      'https://ex_ample.com/',
      'https://a.b/%2e/x',
      'https://a.b/x?lecture_id=\ud800',
    ];
    const tmp = mkdtempSync(join(tmpdir(), 'clickstream-url-probe-'));
    try {
      const input = join(tmp, 'probes.json');
      writeFileSync(input, JSON.stringify(probes));
      const r = await run('sh', ['-c', `python3 "${RECOUNT}" --url-probe < "${input}"`]);
      expect(r.code, describeRun('recount --url-probe', r)).toBe(0);
      const got = JSON.parse(r.stdout) as unknown[];
      const want = probes.map((s) => {
        try {
          const u = new URL(s);
          return { hostname: u.hostname, pathname: u.pathname, lecture_id: u.searchParams.get('lecture_id') };
        } catch {
          return null;
        }
      });
      probes.forEach((s, i) => expect(got[i], JSON.stringify(s)).toEqual(want[i]));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// A generated ten-week course, analyzed twice.

const SEED = 'e2e-analytics-1';
const MAX_LINE_BYTES = 16384;
/** Autumn 2013: the course spans the end of summer time in Europe (27 October) and the US (3 November). */
const START = '2013-10-07';
const FILTER = ['--tz', 'Europe/Paris', '--from', '2013-10-14', '--to', '2013-12-01T12:00:00Z', '--exclude-bots', '--session-gap', '10'];

/** Means (and the time-on-task total) are compared to 1e-12 relative: the order of a sum of doubles may differ. */
function expectClose(actual: unknown, expected: number, label: string): void {
  expect(typeof actual, label).toBe('number');
  if (expected === 0) expect(actual, label).toBe(0);
  else expect(Math.abs((actual as number) - expected) / Math.abs(expected), `${label}: ${String(actual)} vs ${expected}`).toBeLessThan(1e-12);
}

function expectStats(actual: Record<string, unknown>, expected: Stats & { total?: number }, label: string): void {
  expectClose(actual.mean, expected.mean, `${label}.mean`);
  if (expected.total !== undefined) expectClose(actual.total, expected.total, `${label}.total`);
  const exact = (s: Record<string, unknown>) => ({ median: s.median, p90: s.p90, max: s.max });
  expect(exact(actual), label).toEqual(exact(expected as unknown as Record<string, unknown>));
  expect(Object.keys(actual).sort(), label).toEqual(Object.keys(expected).sort());
}

/** DuckDB values of learners.parquet as the CSV would print them. */
function parquetCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'string') return v;
  return String(v);
}

interface Analysis {
  name: string;
  options: string[];
  report: string;
  analyze?: Run;
  rc?: Recount;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  summary?: any;
}

describe('generated course: analyze and the independent recount agree on every §6 figure', () => {
  let tmp: string;
  let exportPath: string;
  let dataset: string;
  let gen: Run | undefined;
  let convert: Run | undefined;
  let stats: { events: number; users: number; untimed: number; videoEvents: number; botEvents: number; start: string };
  const analyses: Analysis[] = [
    { name: 'defaults', options: [], report: '' },
    { name: 'filtered', options: FILTER, report: '' },
    // Course weeks from a start 16 days into the data: a week -1, whose days span two weeks.
    { name: 'courseStart', options: ['--tz', 'Asia/Tokyo', '--course-start', '2013-10-23'], report: '' },
  ];

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'clickstream-e2e-analytics-'));
    exportPath = join(tmp, 'psy-001_clickstream_export.gz');
    dataset = join(tmp, 'dataset');
    const statsPath = join(tmp, 'generate-stats.json');
    gen = await run(process.execPath, [
      GENERATOR,
      '--out', exportPath,
      '--bytes', '6MB',
      '--gzip',
      '--seed', SEED,
      '--start', START,
      '--dirty-rate', '0.01',
      '--max-line-bytes', String(MAX_LINE_BYTES),
      '--stats', statsPath,
      '--quiet',
    ]);
    if (gen.code !== 0) return;
    stats = JSON.parse(readFileSync(statsPath, 'utf8'));
    convert = await cli(['convert', exportPath, '--out', dataset, '--max-line-bytes', String(MAX_LINE_BYTES), '--partitions', '4', '--quiet']);
    if (convert.code !== 0) return;
    for (const a of analyses) {
      a.report = join(tmp, `report-${a.name}`);
      a.analyze = await cli(['analyze', dataset, '--out', a.report, '--quiet', ...a.options]);
    }
    const unfiltered = analyses[0] as Analysis;
    if (unfiltered.analyze?.code !== 0) return;
    // Every analysis maps user agents (and decides bots) through the unfiltered report's
    // user-agents.csv, the only one that lists every user agent of the export.
    const mapping = join(unfiltered.report, 'user-agents.csv');
    for (const a of analyses) {
      if (a.analyze?.code !== 0) continue;
      const r = await run('python3', [RECOUNT, exportPath, '--max-line-bytes', String(MAX_LINE_BYTES), '--user-agents', mapping, '--analytics', ...a.options]);
      if (r.code === 0) a.rc = JSON.parse(r.stdout) as Recount;
      else a.rc = undefined;
      a.summary = JSON.parse(readFileSync(join(a.report, 'summary.json'), 'utf8'));
    }
  }, TIMEOUT);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('the generator writes a course with sessions, video events, untimed events and bots; convert exits 0', () => {
    expect(gen, 'generator ran').toBeDefined();
    expect(gen!.code, describeRun('generate', gen!)).toBe(0);
    expect(stats.start).toBe(START);
    expect(stats.untimed).toBeGreaterThan(0);
    expect(stats.videoEvents).toBeGreaterThan(0);
    expect(stats.botEvents).toBeGreaterThan(0);
    expect(convert!.code, describeRun('convert', convert!)).toBe(0);
  });

  for (const a of analyses) {
    describe(`analyze with ${a.name === 'defaults' ? 'the defaults' : a.options.join(' ')}`, () => {
      const ready = (): { rc: Recount; summary: Record<string, unknown>; csv: (name: string) => string[][] } => {
        expect(a.analyze, 'analyze ran').toBeDefined();
        expect(a.analyze!.code, describeRun('analyze', a.analyze!)).toBe(0);
        expect(a.rc, 'recount ran').toBeDefined();
        return { rc: a.rc!, summary: a.summary, csv: (name: string) => readCsv(join(a.report, name)) };
      };

      it('what the generator knows agrees with the recount', () => {
        const { rc } = ready();
        if (a.name === 'courseStart') {
          // Not a filter: every event stays; the first retention row is the pre-course week.
          expect(rc.events).toBe(stats.events);
          expect(rc.retention.courseStart).toBe('2013-10-23');
          expect(rc.retention_rows[0]?.slice(0, 2)).toEqual([-1, '']);
          return;
        }
        if (a.name !== 'defaults') {
          // The filter leaves out untimed events, events outside the window and every bot event.
          expect(rc.filter!.events).toBeGreaterThan(stats.untimed + stats.botEvents);
          expect(rc.events + rc.filter!.events).toBe(stats.events);
          expect(rc.time.untimed).toBe(0);
          expect(rc.devices.map((d) => d.name)).not.toContain('bot');
          return;
        }
        expect(rc.events).toBe(stats.events);
        expect(rc.users).toBe(stats.users);
        expect(rc.time.untimed).toBe(stats.untimed);
        expect(rc.video.events).toBe(stats.videoEvents);
        // The events the product's classification calls bots are exactly those the generator sent with
        // its bot user agents. (Not on every seed: isbot also calls the generator's GoogleTV user
        // agent a bot; no learner of this seed uses it.)
        expect(rc.devices.find((d) => d.name === 'bot')?.events).toBe(stats.botEvents);
      });

      it('version 1 figures over the events kept', () => {
        const { rc, summary, csv } = ready();
        expect(summary.input).toEqual(rc.input);
        expect(summary.events).toBe(rc.events);
        expect(summary.users).toBe(rc.users);
        expect(summary.filter).toEqual(rc.filter);
        expect(summary.topUsers).toEqual(rc.top_users);
        expect(csv('users.csv')).toEqual([['username', 'clicks'], ...rc.users_clicks.map(([u, c]) => [u, String(c)])]);
        for (const k of ['browsers', 'os', 'devices', 'languages'] as const) {
          expect(summary[k], k).toEqual(rc[k]);
          expect(csv(`${k}.csv`), k).toEqual([['name', 'events', 'users'], ...named(rc[k])]);
        }
        const uas = csv('user-agents.csv');
        expect(uas.slice(1).map((r) => [r[0], r[4], r[5]])).toEqual(rc.user_agents.map((u) => [u.user_agent, String(u.events), String(u.users)]));
        const act = summary.activity as Recount['activity'] & object;
        const want = rc.activity!;
        for (const k of ['min', 'median', 'p90', 'p99', 'max'] as const) expect(act[k], k).toBe(want[k]);
        expectClose(act.mean, want.mean, 'activity.mean');
        expect(act.cdf).toEqual(want.cdf);
      });

      it('summary: time, event types, sections, referrers', () => {
        const { rc, summary, csv } = ready();
        expect(summary.time).toEqual(rc.time);
        expect(summary.eventTypes).toEqual(rc.eventTypes);
        expect(summary.sections).toEqual(rc.sections);
        expect(summary.referrers).toEqual(rc.referrers.slice(0, 20));
        expect(csv('event-types.csv')).toEqual([['name', 'events', 'users'], ...named(rc.eventTypes)]);
        expect(csv('sections.csv')).toEqual([['name', 'events', 'users'], ...named(rc.sections)]);
        expect(csv('referrers.csv')).toEqual([['name', 'events', 'users'], ...named(rc.referrers)]);
        // The generated course really has every kind of section and referrer.
        for (const s of ['lecture', 'quiz', 'forum', 'wiki', 'class', 'assignment', '(root)']) expect(rc.sections.map((x) => x.name), s).toContain(s);
        for (const r of ['class.coursera.org', 'www.coursera.org', 'www.google.com', 'www.facebook.com', '(direct)', '(invalid)']) expect(rc.referrers.map((x) => x.name), r).toContain(r);
      });

      it('summary: sessions, time on task, video, retention', () => {
        const { rc, summary } = ready();
        const s = summary.sessions as Record<string, unknown>;
        expect([s.gapMinutes, s.count]).toEqual([rc.sessions.gapMinutes, rc.sessions.count]);
        expectStats(s.perLearner as Record<string, unknown>, rc.sessions.perLearner, 'sessions.perLearner');
        expectStats(s.durationSeconds as Record<string, unknown>, rc.sessions.durationSeconds, 'sessions.durationSeconds');
        expect(Object.keys(s).sort()).toEqual(['count', 'durationSeconds', 'gapMinutes', 'perLearner']);
        expectStats(summary.timeOnTaskSeconds as Record<string, unknown>, rc.timeOnTaskSeconds, 'timeOnTaskSeconds');
        expect(summary.video).toEqual(rc.video);
        expect(summary.retention).toEqual(rc.retention);
        expect(rc.sessions.count).toBeGreaterThan(rc.users);
        expect(rc.video.lectures).toBeGreaterThan(20);
      });

      it('daily.csv, hour-of-week.csv, retention.csv, session-durations.csv', () => {
        const { rc, csv } = ready();
        expect(csv('daily.csv')).toEqual([['date', 'events', 'learners', 'new_learners'], ...rc.daily.map(csvRow)]);
        expect(csv('hour-of-week.csv')).toEqual([['weekday', 'hour', 'events', 'learners'], ...rc.hour_of_week.map(csvRow)]);
        expect(csv('retention.csv')).toEqual([['week', 'start', 'active', 'new', 'retained'], ...rc.retention_rows.map(csvRow)]);
        expect(csv('session-durations.csv')).toEqual([['bucket', 'sessions'], ...rc.session_durations.map(csvRow)]);
        expect(rc.retention.weeks).toBeGreaterThanOrEqual(a.name === 'defaults' ? 10 : 6);
      });

      it('videos.csv', () => {
        const { rc, csv } = ready();
        expect(csv('videos.csv')).toEqual([
          ['lecture', 'events', 'viewers', 'play', 'pause', 'seeked', 'ratechange', 'other', 'median_furthest_s'],
          ...rc.videos.map(csvRow),
        ]);
      });

      it('learners.csv and learners.parquet', async () => {
        const { rc, csv } = ready();
        const header = ['username', 'events', 'first_event', 'last_event', 'active_days', 'sessions', 'time_on_task_s', 'pageviews', 'video_events', 'lectures', 'browser', 'os', 'device', 'language'];
        expect(csv('learners.csv')).toEqual([header, ...rc.learners.map(csvRow)]);
        const instance = await DuckDBInstance.create(':memory:');
        const con = await instance.connect();
        try {
          const file = join(a.report, 'learners.parquet').replace(/'/g, "''");
          const reader = await con.runAndReadAll(`SELECT * EXCLUDE (file_row_number) FROM read_parquet('${file}', file_row_number = true) ORDER BY file_row_number`);
          expect(reader.columnNames()).toEqual(header);
          const rows = reader.getRowsJS().map((r) => r.map(parquetCell));
          expect(rows).toEqual(rc.learners);
        } finally {
          con.closeSync();
          instance.closeSync();
        }
      });
    });
  }
});
