import { describe, expect, it } from 'vitest';
import {
  activityStats,
  mergeNamedCounts,
  mergeUserAgentRows,
  reducePartials,
  sortLearners,
} from '../src/analyze/reduce.js';
import { nearestRank, nearestRankPosition } from '../src/analytics/distribution.js';
import { InternalError } from '../src/errors.js';
import { compareCodePoints } from '../src/util/compare.js';
import type { NamedCount, UserAgentRow, UserClicks } from '../src/report/report-types.js';
import type { PartialLearner, PartialResult } from '../src/run/partial-result.js';
import type { InputCounts } from '../src/types.js';

const input: InputCounts = {
  lines: 200,
  events: 190,
  blank: 4,
  rejected: { invalid_json: 3, not_object: 1, missing_username: 2, too_long: 0 },
};

const nc = (name: string, events: number, users: number): NamedCount => ({ name, events, users });
const uc = (username: string, clicks: number): UserClicks => ({ username, clicks });
/** The learners' report order written as one comparator, the reference sortLearners must match. */
const compareUserClicks = (a: UserClicks, b: UserClicks): number => b.clicks - a.clicks || compareCodePoints(a.username, b.username);

/** A learner with no timed event, as a partition reports them (learning analytics, DATA-CONTRACT §6). */
const untimedLearner = (): PartialLearner => ({
  firstMs: null,
  lastMs: null,
  firstDay: null,
  lastDay: null,
  days: [],
  sessions: 0,
  timeOnTaskMs: 0,
  pageviews: 0,
  videoEvents: 0,
  lectures: 0,
  browser: 'unknown',
  os: 'unknown',
  device: 'unknown',
  language: 'unknown',
});

function partial(partition: number, fields: Partial<PartialResult> = {}): PartialResult {
  const learners = (fields.clicks ?? []).map(untimedLearner);
  return {
    partition,
    events: 0,
    users: 0,
    browsers: [],
    os: [],
    devices: [],
    languages: [],
    userAgents: [],
    clicks: [],
    leftOut: 0,
    analytics: {
      untimed: fields.events ?? 0,
      implausible: 0,
      firstMs: null,
      lastMs: null,
      eventTypes: [],
      sections: [],
      referrers: [],
      days: [],
      hourOfWeek: [],
      sessionDurations: [],
      video: { events: 0, viewers: 0, actions: [], playbackRates: [], lectures: [] },
      learners,
      learnersFile: `partition-${partition}.learners.parquet`,
    },
    ...fields,
  };
}

const chromeWin: UserAgentRow = {
  userAgent: 'Mozilla/5.0 (Windows NT 6.1) Chrome/41',
  browser: 'Chrome',
  os: 'Windows',
  device: 'desktop',
  events: 10,
  users: 2,
};

describe('nearestRankPosition', () => {
  it.each([
    // n, percent, ⌈percent·n/100⌉
    [1, 50, 1],
    [1, 90, 1],
    [1, 99, 1],
    [10, 50, 5],
    [10, 90, 9], // 0.9*10 = 9.000000000000002 in floating point; must still be 9
    [10, 99, 10], // 9.9 → 10
    [100, 50, 50],
    [100, 90, 90],
    [100, 99, 99],
    [101, 99, 100], // 99.99 → 100
    [3, 50, 2], // 1.5 → 2
    [4, 50, 2], // exactly 2
    [1_000_000, 99, 990_000],
    [1_000_001, 99, 990_001], // 990000.99 → 990001
    [7, 100, 7],
    [7, 0, 1], // never position 0 for a non-empty list
    [0, 50, 0],
  ])('n=%d p=%d → %d', (n, percent, expected) => {
    expect(nearestRankPosition(n, percent)).toBe(expected);
  });

  it('agrees with exact rational ceil for every n up to 1000', () => {
    for (let n = 1; n <= 1000; n++) {
      for (const p of [50, 90, 99]) {
        // Exact ceil of p·n/100 with BigInt.
        const exact = Number((BigInt(p * n) + 99n) / 100n);
        expect(nearestRankPosition(n, p)).toBe(exact);
      }
    }
  });

  it('rejects non-integer percentiles', () => {
    expect(() => nearestRankPosition(10, 0.9)).toThrow(InternalError);
    expect(() => nearestRankPosition(10, 101)).toThrow(InternalError);
  });

  it('nearestRank reads the value at that position', () => {
    expect(nearestRank([], 50)).toBe(0);
    expect(nearestRank([7], 99)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
  });
});

describe('activityStats', () => {
  it('Fibonacci clicks, computed by hand', () => {
    // n = 10, sorted [1,1,2,3,5,8,13,21,34,55]; Σ = 143.
    // median: ⌈0.5·10⌉ = pos 5 → 5; p90: ⌈0.9·10⌉ = pos 9 → 34; p99: ⌈9.9⌉ = pos 10 → 55.
    // mean 143 / 10 = 14.3.
    // cdf: 1 → 2 learners (0.2), 2 → 3 (0.3), 3 → 4 (0.4), 5 → 5 (0.5), 8 → 6 (0.6),
    //      13 → 7 (0.7), 21 → 8 (0.8), 34 → 9 (0.9), 55 → 10 (1).
    expect(activityStats([1, 1, 2, 3, 5, 8, 13, 21, 34, 55])).toEqual({
      min: 1,
      median: 5,
      mean: 14.3,
      p90: 34,
      p99: 55,
      max: 55,
      cdf: [
        { clicks: 1, users: 2, fraction: 2 / 10 },
        { clicks: 2, users: 3, fraction: 3 / 10 },
        { clicks: 3, users: 4, fraction: 4 / 10 },
        { clicks: 5, users: 5, fraction: 5 / 10 },
        { clicks: 8, users: 6, fraction: 6 / 10 },
        { clicks: 13, users: 7, fraction: 7 / 10 },
        { clicks: 21, users: 8, fraction: 8 / 10 },
        { clicks: 34, users: 9, fraction: 9 / 10 },
        { clicks: 55, users: 10, fraction: 1 },
      ],
    });
  });

  it('n = 1: every statistic is the one value', () => {
    expect(activityStats([42])).toEqual({
      min: 42,
      median: 42,
      mean: 42,
      p90: 42,
      p99: 42,
      max: 42,
      cdf: [{ clicks: 42, users: 1, fraction: 1 }],
    });
  });

  it('n = 100 with clicks 1..100: percentiles are the positions themselves', () => {
    const clicks = Array.from({ length: 100 }, (_, i) => i + 1);
    const stats = activityStats(clicks);
    // positions ⌈50⌉ = 50, ⌈90⌉ = 90, ⌈99⌉ = 99; value at position k is k.
    expect([stats.min, stats.median, stats.p90, stats.p99, stats.max]).toEqual([1, 50, 90, 99, 100]);
    expect(stats.mean).toBe(50.5); // 5050 / 100
    expect(stats.cdf).toHaveLength(100);
    expect(stats.cdf[89]).toEqual({ clicks: 90, users: 90, fraction: 0.9 });
  });

  it('mean is not rounded', () => {
    // Σ = 1 + 1 + 2 = 4, n = 3 → 4/3.
    expect(activityStats([1, 1, 2]).mean).toBe(4 / 3);
  });

  it('all equal values give a single CDF point', () => {
    expect(activityStats([3, 3, 3]).cdf).toEqual([{ clicks: 3, users: 3, fraction: 1 }]);
  });

  it('zero learners: zeros and an empty CDF', () => {
    expect(activityStats([])).toEqual({ min: 0, median: 0, mean: 0, p90: 0, p99: 0, max: 0, cdf: [] });
  });
});

describe('mergeNamedCounts', () => {
  it('sums the same name across lists', () => {
    expect(mergeNamedCounts([[nc('Chrome', 10, 3)], [nc('Chrome', 5, 2), nc('IE', 1, 1)]])).toEqual([
      nc('Chrome', 15, 5),
      nc('IE', 1, 1),
    ]);
  });

  it('sorts by users desc, then events desc, then name asc by code point', () => {
    const merged = mergeNamedCounts([
      [nc('b', 5, 2), nc('a', 5, 2), nc('z', 9, 2), nc('top', 1, 3), nc('\u{1f600}', 5, 2), nc('\uff21', 5, 2), nc('B', 5, 2)],
    ]);
    expect(merged.map((c) => c.name)).toEqual([
      'top', // 3 users
      'z', // 2 users, 9 events
      // 2 users, 5 events: by code point: 'B' (0x42) < 'a' < 'b' < U+FF21 < U+1F600
      'B',
      'a',
      'b',
      '\uff21',
      '\u{1f600}',
    ]);
  });

  it('does not modify its inputs', () => {
    const list = [nc('x', 1, 1)];
    mergeNamedCounts([list, [nc('x', 2, 2)]]);
    expect(list).toEqual([nc('x', 1, 1)]);
  });
});

describe('mergeUserAgentRows', () => {
  it('sums the same agent and sorts users desc, events desc, agent asc', () => {
    const other: UserAgentRow = { ...chromeWin, userAgent: 'A', events: 1, users: 1 };
    const tieA: UserAgentRow = { ...chromeWin, userAgent: 'b', events: 3, users: 2 };
    const tieB: UserAgentRow = { ...chromeWin, userAgent: 'a', events: 3, users: 2 };
    const merged = mergeUserAgentRows([[chromeWin, other, tieA], [{ ...chromeWin, events: 4, users: 1 }, tieB]]);
    expect(merged).toEqual([
      { ...chromeWin, events: 14, users: 3 },
      tieB, // 2 users, 3 events, 'a' < 'b'
      tieA,
      other,
    ]);
  });

  it('throws InternalError when partitions classify an agent differently', () => {
    expect(() => mergeUserAgentRows([[chromeWin], [{ ...chromeWin, device: 'bot' }]])).toThrow(InternalError);
    expect(() => mergeUserAgentRows([[chromeWin], [{ ...chromeWin, os: 'Linux' }]])).toThrow(/classified differently/);
  });
});

describe('sortLearners', () => {
  it('gives exactly the order of sort(compareUserClicks), astral usernames included', () => {
    let seed = 42;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    const alphabet = ['a', 'b', 'Z', '\u00e9', '\uff21', '\ue000', '\u{1f600}', '\u{10000}', '0'];
    const names = new Set<string>();
    while (names.size < 5000) {
      let name = '';
      const length = 1 + Math.floor(random() * 4);
      for (let i = 0; i < length; i++) name += alphabet[Math.floor(random() * alphabet.length)];
      names.add(name);
    }
    const all = [...names].map((username) => uc(username, Math.floor(random() * 20)));
    const partials = [partial(0, { clicks: all.slice(0, 2500) }), partial(1, { clicks: all.slice(2500) })];
    const { users, sortedClicks } = sortLearners(partials);
    expect(users).toEqual([...all].sort(compareUserClicks));
    expect([...sortedClicks]).toEqual(all.map((u) => u.clicks).sort((a, b) => a - b));
  });
});

describe('reducePartials', () => {
  // Two partitions, hand-computed.
  // p0: alice 5, bob 3 (8 events, 2 users); p1: carol 5, dave 1, erin 2 (8 events, 3 users).
  const p0 = partial(0, {
    events: 8,
    users: 2,
    browsers: [nc('Chrome', 5, 1), nc('Firefox', 3, 1)],
    os: [nc('Windows', 8, 2)],
    devices: [nc('desktop', 8, 2)],
    languages: [nc('en', 5, 1), nc('fr', 3, 1)],
    userAgents: [
      { ...chromeWin, events: 5, users: 1 },
      { userAgent: 'Firefox-UA', browser: 'Firefox', os: 'Windows', device: 'desktop', events: 3, users: 1 },
    ],
    clicks: [uc('bob', 3), uc('alice', 5)],
  });
  const p1 = partial(1, {
    events: 8,
    users: 3,
    browsers: [nc('Chrome', 6, 2), nc('Safari', 2, 1)],
    os: [nc('Windows', 6, 2), nc('Mac OS', 2, 1)],
    devices: [nc('desktop', 8, 3)],
    languages: [nc('fr', 7, 2), nc('de', 1, 1)],
    userAgents: [
      { ...chromeWin, events: 6, users: 2 },
      { userAgent: 'Safari-UA', browser: 'Safari', os: 'Mac OS', device: 'desktop', events: 2, users: 1 },
    ],
    clicks: [uc('carol', 5), uc('dave', 1), uc('erin', 2)],
  });

  it('merges two partials exactly', () => {
    const report = reducePartials([p0, p1], input, { top: 3 });
    const { summary } = report;
    expect(summary.events).toBe(16);
    expect(summary.users).toBe(5);
    expect(summary.input).toEqual(input);
    expect(summary.input).not.toBe(input);
    expect(summary.input.rejected).not.toBe(input.rejected);
    // Chrome: 5+6 events, 1+2 users.
    expect(summary.browsers).toEqual([nc('Chrome', 11, 3), nc('Firefox', 3, 1), nc('Safari', 2, 1)]);
    expect(summary.os).toEqual([nc('Windows', 14, 4), nc('Mac OS', 2, 1)]);
    expect(summary.devices).toEqual([nc('desktop', 16, 5)]);
    // fr: 3+7 events, 1+2 users; en and de both 1 user: en 5 events before de 1 event.
    expect(summary.languages).toEqual([nc('fr', 10, 3), nc('en', 5, 1), nc('de', 1, 1)]);
    // Users: clicks desc, ties (alice, carol at 5) by name.
    expect(report.users).toEqual([uc('alice', 5), uc('carol', 5), uc('bob', 3), uc('erin', 2), uc('dave', 1)]);
    expect(summary.topUsers).toEqual([uc('alice', 5), uc('carol', 5), uc('bob', 3)]);
    // Activity: sorted [1,2,3,5,5], n=5, Σ=16 → mean 3.2.
    // median pos ⌈2.5⌉=3 → 3; p90 pos ⌈4.5⌉=5 → 5; p99 pos ⌈4.95⌉=5 → 5.
    // cdf: 1→1 (0.2), 2→2 (0.4), 3→3 (0.6), 5→5 (1).
    expect(summary.activity).toEqual({
      min: 1,
      median: 3,
      mean: 3.2,
      p90: 5,
      p99: 5,
      max: 5,
      cdf: [
        { clicks: 1, users: 1, fraction: 1 / 5 },
        { clicks: 2, users: 2, fraction: 2 / 5 },
        { clicks: 3, users: 3, fraction: 3 / 5 },
        { clicks: 5, users: 5, fraction: 5 / 5 },
      ],
    });
    expect(report.userAgents).toEqual([
      { ...chromeWin, events: 11, users: 3 },
      { userAgent: 'Firefox-UA', browser: 'Firefox', os: 'Windows', device: 'desktop', events: 3, users: 1 },
      { userAgent: 'Safari-UA', browser: 'Safari', os: 'Mac OS', device: 'desktop', events: 2, users: 1 },
    ]);
  });

  it('keeps the summary key order of the contract (JSON output is stable)', () => {
    const { summary } = reducePartials([p0], input, { top: 1 });
    expect(Object.keys(summary)).toEqual([
      'events',
      'users',
      'input',
      'browsers',
      'os',
      'devices',
      'languages',
      'activity',
      'topUsers',
      'time',
      'eventTypes',
      'sections',
      'referrers',
      'sessions',
      'timeOnTaskSeconds',
      'video',
      'retention',
    ]);
    expect(Object.keys(summary.activity)).toEqual(['min', 'median', 'mean', 'p90', 'p99', 'max', 'cdf']);
  });

  it('does not depend on the order of the partials', () => {
    expect(reducePartials([p1, p0], input, { top: 3 })).toEqual(reducePartials([p0, p1], input, { top: 3 }));
  });

  it('does not modify or alias the partials', () => {
    const before = structuredClone([p0, p1]);
    const report = reducePartials([p0, p1], input, { top: 10 });
    expect([p0, p1]).toEqual(before);
    report.users[0]!.clicks = 999;
    report.summary.browsers[0]!.events = 999;
    report.userAgents[0]!.events = 999;
    expect([p0, p1]).toEqual(before);
  });

  it('top larger than the learners, zero, and Infinity', () => {
    expect(reducePartials([p0, p1], input, { top: 100 }).summary.topUsers).toHaveLength(5);
    expect(reducePartials([p0, p1], input, { top: 0 }).summary.topUsers).toEqual([]);
    expect(reducePartials([p0, p1], input, { top: Infinity }).summary.topUsers).toHaveLength(5);
    expect(() => reducePartials([p0], input, { top: -1 })).toThrow(InternalError);
    expect(() => reducePartials([p0], input, { top: 1.5 })).toThrow(InternalError);
    expect(() => reducePartials([p0], input, { top: NaN })).toThrow(InternalError);
  });

  it('orders usernames by code point, not UTF-16 code unit', () => {
    const report = reducePartials([partial(0, { clicks: [uc('\u{1f600}', 1), uc('\uff21', 1), uc('Z', 1), uc('a', 1)] })], input, {
      top: 10,
    });
    expect(report.users.map((u) => u.username)).toEqual(['Z', 'a', '\uff21', '\u{1f600}']);
  });

  it('throws InternalError naming a learner found in two partials', () => {
    const a = partial(0, { clicks: [uc('x', 1), uc('mallory', 2)] });
    const b = partial(3, { clicks: [uc('mallory', 4)] });
    expect(() => reducePartials([a, b], input, { top: 10 })).toThrow(InternalError);
    expect(() => reducePartials([a, b], input, { top: 10 })).toThrow(/"mallory" appears in partition 0 and again in partition 3/);
  });

  it('throws InternalError for a learner listed twice in one partial', () => {
    const a = partial(2, { clicks: [uc('twice', 1), uc('twice', 2)] });
    expect(() => reducePartials([a], input, { top: 10 })).toThrow(/"twice" appears in partition 2 and again in partition 2/);
  });

  it('throws InternalError for an impossible click count', () => {
    for (const clicks of [-1, 1.5, NaN, Infinity]) {
      expect(() => reducePartials([partial(0, { clicks: [uc('u', clicks)] })], input, { top: 1 })).toThrow(InternalError);
    }
  });

  it('throws InternalError when two partials classify an agent differently', () => {
    const a = partial(0, { userAgents: [chromeWin] });
    const b = partial(1, { userAgents: [{ ...chromeWin, browser: 'Chromium' }] });
    expect(() => reducePartials([a, b], input, { top: 1 })).toThrow(InternalError);
  });

  it('no partials at all', () => {
    const report = reducePartials([], input, { top: 10 });
    expect(report).toEqual({
      summary: {
        events: 0,
        users: 0,
        input,
        browsers: [],
        os: [],
        devices: [],
        languages: [],
        activity: { min: 0, median: 0, mean: 0, p90: 0, p99: 0, max: 0, cdf: [] },
        topUsers: [],
        // No timed event: empty distributions are all 0, first/last null (LA decision 1).
        time: { timezone: 'UTC', untimed: 0, implausible: 0, first: null, last: null, days: 0, activeDays: 0 },
        eventTypes: [],
        sections: [],
        referrers: [],
        sessions: {
          gapMinutes: 30,
          count: 0,
          perLearner: { median: 0, mean: 0, p90: 0, max: 0 },
          durationSeconds: { median: 0, mean: 0, p90: 0, max: 0 },
        },
        timeOnTaskSeconds: { median: 0, mean: 0, p90: 0, max: 0, total: 0 },
        video: { events: 0, viewers: 0, lectures: 0, actions: [], playbackRates: [] },
        retention: { weeks: 0, lastWeekActive: 0, courseStart: null },
      },
      users: [],
      userAgents: [],
      eventTypes: [],
      sections: [],
      referrers: [],
      daily: [],
      // All 168 cells, zeros.
      hourOfWeek: Array.from({ length: 168 }, (_, i) => ({ weekday: Math.floor(i / 24) + 1, hour: i % 24, events: 0, learners: 0 })),
      retention: [],
      sessionDurations: ['0', '0-1m', '1-5m', '5-15m', '15-30m', '30-60m', '1-2h', '2h+'].map((bucket) => ({ bucket, sessions: 0 })),
      videos: [],
      learners: [],
    });
  });

  it('empty partials', () => {
    const report = reducePartials([partial(0), partial(1)], input, { top: 10 });
    expect(report.summary.activity).toEqual({ min: 0, median: 0, mean: 0, p90: 0, p99: 0, max: 0, cdf: [] });
    expect(report.users).toEqual([]);
  });

  // Exact at scale; its speed is measured by the benchmark (bench/), not asserted here.
  it('handles a million learners and 10k user agents', () => {
    const partitions = 16;
    const partials: PartialResult[] = [];
    let seed = 12345;
    const random = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let p = 0; p < partitions; p++) {
      const clicks: UserClicks[] = [];
      for (let i = p; i < 1_000_000; i += partitions) clicks.push(uc(`user${i}`, 1 + Math.floor(random() * random() * 5000)));
      const userAgents: UserAgentRow[] = [];
      for (let a = 0; a < 10_000; a++) {
        userAgents.push({ userAgent: `agent ${a}`, browser: 'Chrome', os: 'Windows', device: 'desktop', events: a + p, users: 1 + (a % 7) });
      }
      partials.push(partial(p, { events: 1, users: clicks.length, clicks, userAgents, browsers: [nc('Chrome', 1, 1)] }));
    }
    const report = reducePartials(partials, input, { top: 10 });
    expect(report.users).toHaveLength(1_000_000);
    expect(report.userAgents).toHaveLength(10_000);
    expect(report.summary.activity.cdf.at(-1)).toMatchObject({ users: 1_000_000, fraction: 1 });
    for (let i = 1; i < report.users.length; i++) {
      const prev = report.users[i - 1]!;
      const cur = report.users[i]!;
      if (prev.clicks < cur.clicks || (prev.clicks === cur.clicks && prev.username >= cur.username)) {
        expect.fail(`users out of order at ${i}`);
      }
    }
  });
});
