/**
 * The pure derivations of the learning analytics (DATA-CONTRACT §6.1–§6.4), tested directly: referrers,
 * Coursera pages and video values, zone calendars around DST, time bounds, options, session
 * buckets, nearest-rank statistics, majorities, the §6 merges, and the packed DuckDB reader.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { hasFilter, parseSessionGap, resolveAnalysisSettings, validateSettings } from '../src/analytics/analysis-settings.js';
import { expandHistograms, sortedStats } from '../src/analytics/distribution.js';
import { majority } from '../src/analytics/majority.js';
import { referrerHost } from '../src/analytics/referrer.js';
import { SESSION_BUCKETS, sessionBucket } from '../src/analytics/session-buckets.js';
import { parseTimeBound } from '../src/analytics/time-window.js';
import { dateToDay, dayToDate, weekdayOfDay, ZoneCalendar } from '../src/analytics/zone-calendar.js';
import { forEachChunk } from '../src/duckdb/query-rows.js';
import { packSql, unpack } from '../src/duckdb/packed-rows.js';
import { sessionGapMs } from '../src/analyze/session-tables.js';
import { VideoCounter } from '../src/analyze/video-counter.js';
import { compareAnalyticsCounts, mergeAnalyticsCounts, mergeLectures, mergePlaybackRates } from '../src/analyze/reduce-analytics.js';
import { InvalidPayloadError, UsageError } from '../src/errors.js';
import { courseraPage, courseraVideo } from '../src/formats/coursera.js';
import type { PartialResult } from '../src/run/partial-result.js';

const Z = (iso: string): number => Date.parse(iso);

describe('referrerHost (DATA-CONTRACT §6.1, LA decision 3)', () => {
  it.each([
    [undefined, '(direct)'],
    [null, '(direct)'],
    ['', '(direct)'],
    [42, '(direct)'],
    ['https://WWW.Google.COM:8080/search?q=x', 'www.google.com'],
    ['http://[::1]:3000/', '[::1]'],
    ['not a url', '(invalid)'],
    ['mailto:someone@example.com', '(invalid)'],
    ['file:///etc/passwd', '(invalid)'],
    ['HTTPS://Ex%41mple.org', 'example.org'],
  ])('%j → %s', (from, host) => {
    expect(referrerHost(from)).toBe(host);
  });
});

describe('courseraPage (section and lecture, LA decisions 4 and 5)', () => {
  it.each([
    [null, 'unknown', undefined],
    ['', 'unknown', undefined],
    ['not a url', 'unknown', undefined],
    ['https://class.coursera.org/', '(root)', undefined],
    ['https://class.coursera.org/psy-001', '(root)', undefined],
    ['https://class.coursera.org/psy-001/', '(root)', undefined],
    ['https://class.coursera.org/psy-001/lecture/view?lecture_id=12', 'lecture', '12'],
    ['https://class.coursera.org//psy-001//quiz//x', 'quiz', undefined],
    ['https://class.coursera.org/psy-001/Lecture%20Notes/x', 'Lecture%20Notes', undefined],
    ['https://class.coursera.org/psy-001/lecture/view?lecture_id=', 'lecture', undefined],
    ['https://class.coursera.org/psy-001/lecture/view?lecture_id=5&lecture_id=6', 'lecture', '5'],
    ['https://class.coursera.org/psy-001/lecture/view?lecture_id=%37%30', 'lecture', '70'],
  ])('%j → %s (%s)', (page, section, lecture) => {
    expect(courseraPage(page)).toEqual({ section, lecture });
  });
});

describe('courseraVideo (DATA-CONTRACT §6.1, LA decision 5)', () => {
  const v = (action: string, position: number | undefined, rate: number | undefined, lecture: string) => ({ action, position, rate, lecture });
  it.each([
    ['{"type":"play","currentTime":12.5,"playbackRate":1.25,"lectureID":7}', undefined, v('play', 12.5, 1.25, '7')],
    ['{"type":"play","lectureID":7}', '9', v('play', undefined, undefined, '9')],
    ['{"type":"","currentTime":-1,"playbackRate":0}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"type":3,"currentTime":"1","playbackRate":"2"}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"currentTime":1e400,"playbackRate":-2}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"currentTime":0,"lectureID":"007"}', undefined, v('unknown', 0, undefined, '007')],
    ['{"lectureID":"12a"}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"lectureID":""}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"lectureID":1.5}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"lectureID":-1}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"lectureID":9007199254740993}', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{"type":"a","type":"b"}', undefined, v('b', undefined, undefined, 'unknown')],
    ['[{"type":"play"}]', '4', v('unknown', undefined, undefined, '4')],
    ['null', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['"{}"', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['', undefined, v('unknown', undefined, undefined, 'unknown')],
    ['{bad', undefined, v('unknown', undefined, undefined, 'unknown')],
    [null, '3', v('unknown', undefined, undefined, '3')],
    ['\uFEFF{"type":"play"}', undefined, v('unknown', undefined, undefined, 'unknown')],
  ])('%j (page lecture %j)', (value, pageLecture, want) => {
    expect(courseraVideo(value, pageLecture)).toEqual(want);
  });
});

describe('ZoneCalendar (DATA-CONTRACT §6.1, LA decision 6)', () => {
  const paris = ZoneCalendar.create('Europe/Paris');
  const day = (d: string): number => dateToDay(d)!;

  it('UTC is plain arithmetic', () => {
    const utc = ZoneCalendar.create('UTC');
    expect(utc.fields(Z('2013-10-27T00:30:00Z'))).toEqual({ day: day('2013-10-27'), hour: 0, weekday: 7 });
    expect(utc.fields(-1)).toEqual({ day: -1, hour: 23, weekday: 3 });
  });

  it('Paris on the night of the 2013 change: the repeated hour 2 counts twice', () => {
    expect(paris.fields(Z('2013-10-26T22:30:00Z'))).toEqual({ day: day('2013-10-27'), hour: 0, weekday: 7 });
    expect(paris.fields(Z('2013-10-27T00:30:00Z'))).toEqual({ day: day('2013-10-27'), hour: 2, weekday: 7 });
    expect(paris.fields(Z('2013-10-27T00:59:59.999Z'))).toEqual({ day: day('2013-10-27'), hour: 2, weekday: 7 });
    expect(paris.fields(Z('2013-10-27T01:00:00Z'))).toEqual({ day: day('2013-10-27'), hour: 2, weekday: 7 });
    expect(paris.fields(Z('2013-10-27T02:00:00Z'))).toEqual({ day: day('2013-10-27'), hour: 3, weekday: 7 });
  });

  it('Paris in spring: hour 2 is skipped', () => {
    expect(paris.fields(Z('2013-03-31T00:59:59.999Z')).hour).toBe(1);
    expect(paris.fields(Z('2013-03-31T01:00:00Z')).hour).toBe(3);
  });

  it('bucket offsets: constant buckets give the offset, a change inside a bucket gives none', () => {
    const bucket = (iso: string): number => Math.floor(Z(iso) / 900_000);
    expect(paris.bucketOffset(bucket('2013-10-27T00:45:00Z'))).toBe(7_200_000);
    expect(paris.bucketOffset(bucket('2013-10-27T01:00:00Z'))).toBe(3_600_000);
    expect(ZoneCalendar.create('Asia/Kathmandu').bucketOffset(bucket('2013-10-27T01:00:00Z'))).toBe(20_700_000);
    // Paris kept local mean time (+0:09:21) until 1911: hours start inside buckets.
    expect(paris.bucketOffset(bucket('1900-01-01T12:00:00Z'))).toBeUndefined();
    expect(paris.offset(Z('1900-01-01T12:00:00Z'))).toBe(561_000);
    expect(paris.fields(Z('1900-01-01T10:50:39Z')).hour).toBe(11);
    expect(paris.fields(Z('1900-01-01T10:50:38Z')).hour).toBe(10);
  });

  it('startOfDay: local midnight as an instant, also across a change', () => {
    expect(paris.startOfDay(day('2013-10-27'))).toBe(Z('2013-10-26T22:00:00Z'));
    expect(paris.startOfDay(day('2013-10-28'))).toBe(Z('2013-10-27T23:00:00Z'));
    // Havana skipped midnight in spring 2013 (00:00 → 01:00): the day starts at 01:00 local.
    expect(ZoneCalendar.create('America/Havana').startOfDay(day('2013-03-10'))).toBe(Z('2013-03-10T05:00:00Z'));
  });

  it('unknown zones are refused', () => {
    expect(() => ZoneCalendar.create('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('day numbers, dates and ISO weekdays', () => {
    expect(dateToDay('1970-01-01')).toBe(0);
    expect(dayToDate(day('2013-10-21'))).toBe('2013-10-21');
    expect(weekdayOfDay(day('2013-10-21'))).toBe(1);
    expect(weekdayOfDay(day('2013-10-27'))).toBe(7);
    expect(weekdayOfDay(-4)).toBe(7);
    expect(dateToDay('2013-02-29')).toBeUndefined();
    expect(dateToDay('2013-2-01')).toBeUndefined();
  });
});

describe('parseTimeBound (--from/--to, LA decision 7)', () => {
  const paris = ZoneCalendar.create('Europe/Paris');
  it.each([
    ['2013-10-27', Z('2013-10-26T22:00:00Z')],
    ['2013-10-27T10:00Z', Z('2013-10-27T10:00:00Z')],
    ['2013-10-27T10:00:05.1234+02:00', Z('2013-10-27T08:00:05.123Z')],
    ['2013-10-27T10:00:00-0130', Z('2013-10-27T11:30:00Z')],
  ])('%s', (text, ms) => {
    expect(parseTimeBound(text, paris)).toBe(ms);
  });
  it.each(['2013-10-27T10:00', '2013-10-27 10:00Z', '2013-13-01', '2013-10-27T24:00Z', '2013-10-27T10:60Z', 'yesterday', '1382313600000'])(
    'refuses %s',
    (text) => {
      expect(parseTimeBound(text, paris)).toBeUndefined();
    },
  );
});

describe('analysis settings (DATA-CONTRACT §6.3)', () => {
  it('defaults: UTC, no filter, 30 minutes', () => {
    const s = resolveAnalysisSettings({});
    expect(s).toEqual({ format: 'coursera', timeZone: 'UTC', fromMs: null, toMs: null, excludeBots: false, sessionGapMinutes: 30 });
    expect(hasFilter(s)).toBe(false);
    expect(hasFilter({ ...s, excludeBots: true })).toBe(true);
  });

  it.each([
    [{ tz: 'Nowhere/Land' }, '--tz'],
    [{ from: '2013-10-32' }, '--from'],
    [{ to: 'soon' }, '--to'],
    [{ from: '2013-10-02', to: '2013-10-01' }, '--from'],
    [{ sessionGapMinutes: 0 }, '--session-gap'],
    [{ sessionGapMinutes: -5 }, '--session-gap'],
    [{ sessionGapMinutes: Number.NaN }, '--session-gap'],
  ])('%j is a usage error naming %s', (options, name) => {
    expect(() => resolveAnalysisSettings(options)).toThrow(UsageError);
    expect(() => resolveAnalysisSettings(options)).toThrow(name);
  });

  it('--from equal to --to is an empty window, not an error', () => {
    expect(resolveAnalysisSettings({ from: '2013-10-01', to: '2013-10-01' }).fromMs).toBe(Z('2013-10-01T00:00:00Z'));
  });

  it('parseSessionGap takes decimal minutes', () => {
    expect(parseSessionGap('30')).toBe(30);
    expect(parseSessionGap('0.5')).toBe(0.5);
    for (const bad of ['0', '0.0', '-1', '1e3', 'ten', '']) expect(() => parseSessionGap(bad), bad).toThrow(UsageError);
    expect(sessionGapMs(0.001)).toBe(60);
    expect(sessionGapMs(30)).toBe(1_800_000);
  });

  it('job payload settings are checked', () => {
    const good = resolveAnalysisSettings({ tz: 'Europe/Paris' });
    expect(validateSettings(JSON.parse(JSON.stringify(good)))).toEqual(good);
    for (const bad of [null, { ...good, format: 'edx' }, { ...good, timeZone: 'X/Y' }, { ...good, fromMs: 1.5 }, { ...good, excludeBots: 'no' }, { ...good, sessionGapMinutes: 0 }]) {
      expect(() => validateSettings(bad)).toThrow(InvalidPayloadError);
    }
  });
});

describe('session buckets (LA decision 8)', () => {
  it.each([
    [0, '0'],
    [1, '0-1m'],
    [60_000, '0-1m'],
    [60_001, '1-5m'],
    [300_000, '1-5m'],
    [900_000, '5-15m'],
    [1_800_000, '15-30m'],
    [3_600_000, '30-60m'],
    [7_200_000, '1-2h'],
    [7_200_001, '2h+'],
  ])('%d ms → %s', (ms, bucket) => {
    expect(SESSION_BUCKETS[sessionBucket(ms)]).toBe(bucket);
  });
});

describe('distributions (nearest rank, exact means)', () => {
  it('sorted values, scaled', () => {
    expect(sortedStats(Float64Array.of(0, 300_000, 600_000, 840_000, 1_800_000), 1000)).toEqual({ median: 600, mean: 708, p90: 1800, max: 1800 });
    expect(sortedStats([])).toEqual({ median: 0, mean: 0, p90: 0, max: 0 });
  });

  it('histograms expand to their sorted values', () => {
    const values = expandHistograms([
      [
        [0, 4],
        [1_800_000, 1],
      ],
      [
        [0, 3],
        [300_000, 1],
        [600_000, 1],
        [840_000, 1],
      ],
    ]);
    expect([...values]).toEqual([0, 0, 0, 0, 0, 0, 0, 300_000, 600_000, 840_000, 1_800_000]);
    expect(sortedStats(values, 1000)).toEqual({ median: 0, mean: 3540000 / 11000, p90: 840, max: 1800 });
    expect(expandHistograms([])).toHaveLength(0);
  });
});

describe('majority (LA decision 9)', () => {
  it('most events, then the first name by UTF-16 code units', () => {
    expect(majority(new Map([['fr', 1], ['unknown', 1], ['en', 1]]))).toBe('en');
    expect(majority(new Map([['Chrome', 1], ['Firefox', 2]]))).toBe('Firefox');
    expect(majority(new Map([['\uFF21', 1], ['\u{1F600}', 1]]))).toBe('\u{1F600}');
  });
});

describe('§6 merges (LA decision 2)', () => {
  it('named lists: users desc, events desc, then UTF-16 order (unlike §5 code point order)', () => {
    const merged = mergeAnalyticsCounts([
      [
        { name: '\uFF21', events: 1, users: 1 },
        { name: 'b', events: 2, users: 1 },
      ],
      [
        { name: '\u{1F600}', events: 1, users: 1 },
        { name: 'b', events: 1, users: 1 },
      ],
    ]);
    expect(merged.map((c) => c.name)).toEqual(['b', '\u{1F600}', '\uFF21']);
    expect(merged[0]).toEqual({ name: 'b', events: 3, users: 2 });
    expect(compareAnalyticsCounts({ name: '12', events: 1, users: 1 }, { name: '7', events: 1, users: 1 })).toBeLessThan(0);
  });

  it('playback rates sort numerically on ties', () => {
    expect(mergePlaybackRates([[{ rate: 2, events: 1, users: 1 }], [{ rate: 1.5, events: 1, users: 1 }, { rate: 1, events: 3, users: 2 }]]).map((r) => r.rate)).toEqual([1, 1.5, 2]);
  });

  it('lectures: sums, and the nearest-rank median of viewers’ furthest positions across partitions', () => {
    const lecture = (l: string, viewers: number, furthest: number[]) => ({ lecture: l, events: viewers, viewers, play: viewers, pause: 0, seeked: 0, ratechange: 0, other: 0, furthest });
    const partial = (lectures: ReturnType<typeof lecture>[]) => ({ analytics: { video: { lectures } } }) as unknown as PartialResult;
    const rows = mergeLectures([partial([lecture('12', 2, [0, 300.5]), lecture('5', 1, [])]), partial([lecture('12', 1, [30]), lecture('7', 1, [95.5])])]);
    expect(rows).toEqual([
      { lecture: '12', events: 3, viewers: 3, play: 3, pause: 0, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: 30 },
      { lecture: '5', events: 1, viewers: 1, play: 1, pause: 0, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: null },
      { lecture: '7', events: 1, viewers: 1, play: 1, pause: 0, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: 95.5 },
    ]);
  });
});

describe('VideoCounter (one learner’s events together)', () => {
  it('counts distinct learners per action, rate and lecture, and each viewer’s furthest position', () => {
    const counter = new VideoCounter((lecture, payload) => courseraVideo(payload, lecture ?? undefined));
    counter.add('ann', '12', '{"type":"play","currentTime":5,"playbackRate":1}');
    counter.add('ann', '12', '{"type":"pause","currentTime":50,"playbackRate":1}');
    counter.add('ann', null, '{"type":"play"}');
    counter.add('bob', '12', '{"type":"play","currentTime":7,"playbackRate":2}');
    const v = counter.finish();
    expect(v.events).toBe(4);
    expect([...counter.learners]).toEqual([
      ['ann', { events: 3, lectures: 1 }],
      ['bob', { events: 1, lectures: 1 }],
    ]);
    expect(v.actions).toEqual([
      { name: 'play', events: 3, users: 2 },
      { name: 'pause', events: 1, users: 1 },
    ]);
    expect(v.playbackRates).toEqual([
      { rate: 1, events: 2, users: 1 },
      { rate: 2, events: 1, users: 1 },
    ]);
    expect(v.lectures).toEqual([
      { lecture: '12', events: 3, viewers: 2, play: 2, pause: 1, seeked: 0, ratechange: 0, other: 0, furthest: [7, 50] },
      { lecture: 'unknown', events: 1, viewers: 1, play: 1, pause: 0, seeked: 0, ratechange: 0, other: 0, furthest: [] },
    ]);
  });
});

describe('packSql / unpack / forEachChunk (real DuckDB)', () => {
  it('keeps nulls, empty strings, a leading U+FEFF, multi-byte text and digits-and-colons, chunk by chunk', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const conn = await instance.connect();
      try {
        await conn.run(
          `CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a', NULL), (2, '', '12:3n'), (3, '\uFEFFbom', 'é😀'), (4, NULL, 'x'), (5, NULL, 'x')) v(k, a, b)`,
        );
        const seen: Array<Array<string | null>> = [];
        await forEachChunk(conn, `SELECT encode(string_agg(${packSql(['a', 'b'])}, '' ORDER BY k)) FROM t`, (chunk) => {
          for (const [blob] of chunk) {
            const { bytes } = blob as { bytes: Uint8Array };
            unpack(Buffer.from(bytes), 2, (row) => seen.push([...row]));
          }
        });
        expect(seen).toEqual([
          ['a', null],
          ['', '12:3n'],
          ['\uFEFFbom', 'é😀'],
          [null, 'x'],
          [null, 'x'],
        ]);
        let rows = 0;
        let chunks = 0;
        await forEachChunk(conn, 'SELECT * FROM range(5000)', (chunk) => {
          rows += chunk.length;
          chunks++;
        });
        expect([rows, chunks]).toEqual([5000, 3]);
      } finally {
        conn.closeSync();
      }
    } finally {
      instance.closeSync();
    }
  });
});
