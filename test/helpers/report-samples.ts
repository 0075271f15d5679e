/**
 * Hand-made Reports for the report writers' tests: no analysis runs, so every figure a test
 * expects is written here and checked against the writers' output.
 */
import { toCsv } from '../../src/report/csv.js';
import { CSV_FILES, type CsvFileName } from '../../src/report/report-format.js';
import { reportTables } from '../../src/report/tables.js';
import type { HourOfWeekRow, Report, SessionBucketRow, Summary } from '../../src/report/report-types.js';
import { prng } from './prng.js';

/** The eight session-duration buckets of §6.4, in contract order. */
export const BUCKETS = ['0', '0-1m', '1-5m', '5-15m', '15-30m', '30-60m', '1-2h', '2h+'] as const;

/** All 168 hour-of-week rows, weekday then hour ascending, with `cell` giving events and learners. */
export function hourOfWeekRows(cell: (weekday: number, hour: number) => [number, number] = () => [0, 0]): HourOfWeekRow[] {
  const rows: HourOfWeekRow[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    for (let hour = 0; hour < 24; hour++) {
      const [events, learners] = cell(weekday, hour);
      rows.push({ weekday, hour, events, learners });
    }
  }
  return rows;
}

export function bucketRows(counts: readonly number[] = []): SessionBucketRow[] {
  return BUCKETS.map((bucket, i) => ({ bucket, sessions: counts[i] ?? 0 }));
}

const ZERO_STATS = { median: 0, mean: 0, p90: 0, max: 0 };

/** The §6 keys of a summary with nothing timed, no sessions and no videos (LA decision 1). */
export function emptyAnalyticsSummary(): Pick<
  Summary,
  'time' | 'eventTypes' | 'sections' | 'referrers' | 'sessions' | 'timeOnTaskSeconds' | 'video' | 'retention'
> {
  return {
    time: { timezone: 'UTC', untimed: 0, implausible: 0, first: null, last: null, days: 0, activeDays: 0 },
    eventTypes: [],
    sections: [],
    referrers: [],
    sessions: { gapMinutes: 30, count: 0, perLearner: { ...ZERO_STATS }, durationSeconds: { ...ZERO_STATS } },
    timeOnTaskSeconds: { ...ZERO_STATS, total: 0 },
    video: { events: 0, viewers: 0, lectures: 0, actions: [], playbackRates: [] },
    retention: { weeks: 0, lastWeekActive: 0, courseStart: null },
  };
}

/**
 * A small report, consistent with itself, with hostile text wherever data text can go (commas,
 * quotes, newlines, markup): three learners over three days of one course week and a bit.
 */
export function sampleReport(): Report {
  const hourOfWeek = hourOfWeekRows((weekday, hour) => {
    if (weekday === 1 && hour === 9) return [6, 2];
    if (weekday === 2 && hour === 14) return [4, 2];
    if (weekday === 3 && hour === 23) return [2, 1];
    return [0, 0];
  });
  return {
    summary: {
      events: 13,
      users: 3,
      input: { lines: 20, events: 13, blank: 2, rejected: { invalid_json: 3, not_object: 1, missing_username: 1, too_long: 0 } },
      browsers: [
        { name: 'Chrome', events: 10, users: 2 },
        { name: 'Weird, "Browser"', events: 2, users: 1 },
        { name: 'Firefox', events: 1, users: 1 },
      ],
      os: [
        { name: 'Windows', events: 8, users: 2 },
        { name: 'Linux', events: 5, users: 2 },
      ],
      devices: [
        { name: 'desktop', events: 11, users: 3 },
        { name: 'smartphone', events: 2, users: 1 },
      ],
      languages: [
        { name: 'en-US', events: 9, users: 3 },
        { name: '', events: 4, users: 1 },
      ],
      activity: {
        min: 1,
        median: 4,
        mean: 13 / 3,
        p90: 8,
        p99: 8,
        max: 8,
        cdf: [
          { clicks: 1, users: 1, fraction: 1 / 3 },
          { clicks: 4, users: 1, fraction: 2 / 3 },
          { clicks: 8, users: 1, fraction: 1 },
        ],
      },
      topUsers: [
        { username: 'alice', clicks: 8 },
        { username: 'bob\nsmith', clicks: 4 },
        { username: '<b>carol</b>', clicks: 1 },
      ],
      time: { timezone: 'Europe/Paris', untimed: 1, implausible: 0, first: '2013-07-01T07:05:00.000Z', last: '2013-07-10T21:30:00.500Z', days: 10, activeDays: 3 },
      eventTypes: [
        { name: 'pageview', events: 7, users: 3 },
        { name: 'user.video.lecture.action', events: 5, users: 2 },
        { name: '<i>odd</i>, "type"', events: 1, users: 1 },
      ],
      sections: [
        { name: 'lecture', events: 9, users: 3 },
        { name: 'quiz', events: 3, users: 1 },
        { name: 'unknown', events: 1, users: 1 },
      ],
      referrers: [
        { name: '(direct)', events: 10, users: 3 },
        { name: 'www.google.com', events: 3, users: 1 },
      ],
      sessions: {
        gapMinutes: 30,
        count: 5,
        perLearner: { median: 2, mean: 5 / 3, p90: 2, max: 2 },
        durationSeconds: { median: 60, mean: 1322.1, p90: 5400.5, max: 5400.5 },
      },
      timeOnTaskSeconds: { median: 60, mean: 2203.5, p90: 6450.5, max: 6450.5, total: 6610.5 },
      video: {
        events: 5,
        viewers: 2,
        lectures: 2,
        actions: [
          { name: 'play', events: 3, users: 2 },
          { name: 'pause', events: 2, users: 1 },
        ],
        playbackRates: [{ rate: 1.5, events: 2, users: 1 }],
      },
      retention: { weeks: 2, lastWeekActive: 1, courseStart: '2013-07-01' },
    },
    users: [
      { username: 'alice', clicks: 8 },
      { username: 'bob\nsmith', clicks: 4 },
      { username: '<b>carol</b>', clicks: 1 },
    ],
    userAgents: [
      { userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0', browser: 'Chrome', os: 'Windows', device: 'desktop', events: 8, users: 2 },
      { userAgent: '<script>alert(1)</script>', browser: 'Weird, "Browser"', os: 'Linux', device: 'smartphone', events: 2, users: 1 },
      { userAgent: '', browser: 'unknown', os: 'unknown', device: 'unknown', events: 3, users: 1 },
    ],
    eventTypes: [
      { name: 'pageview', events: 7, users: 3 },
      { name: 'user.video.lecture.action', events: 5, users: 2 },
      { name: '<i>odd</i>, "type"', events: 1, users: 1 },
    ],
    sections: [
      { name: 'lecture', events: 9, users: 3 },
      { name: 'quiz', events: 3, users: 1 },
      { name: 'unknown', events: 1, users: 1 },
    ],
    referrers: [
      { name: '(direct)', events: 10, users: 3 },
      { name: 'www.google.com', events: 3, users: 1 },
    ],
    daily: [
      { date: '2013-07-01', events: 6, learners: 2, newLearners: 2 },
      { date: '2013-07-02', events: 4, learners: 2, newLearners: 0 },
      { date: '2013-07-03', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-04', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-05', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-06', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-07', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-08', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-09', events: 0, learners: 0, newLearners: 0 },
      { date: '2013-07-10', events: 2, learners: 1, newLearners: 1 },
    ],
    hourOfWeek,
    retention: [
      { week: 0, start: '2013-07-01', active: 2, new: 2, retained: 2 },
      { week: 1, start: '2013-07-08', active: 1, new: 1, retained: 1 },
    ],
    sessionDurations: bucketRows([1, 2, 0, 0, 1, 0, 1, 0]),
    videos: [
      { lecture: '12', events: 3, viewers: 2, play: 2, pause: 1, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: 61.5 },
      { lecture: '7', events: 1, viewers: 1, play: 1, pause: 0, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: null },
      { lecture: 'unknown', events: 1, viewers: 1, play: 0, pause: 1, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: 3 },
    ],
    learners: [
      {
        username: 'alice',
        events: 8,
        firstEvent: '2013-07-01T07:05:00.000Z',
        lastEvent: '2013-07-02T12:00:00.000Z',
        activeDays: 2,
        sessions: 2,
        timeOnTaskSeconds: 6450.5,
        pageviews: 4,
        videoEvents: 4,
        lectures: 2,
        browser: 'Chrome',
        os: 'Windows',
        device: 'desktop',
        language: 'en-US',
      },
      {
        username: 'bob\nsmith',
        events: 4,
        firstEvent: '2013-07-01T08:00:00.000Z',
        lastEvent: '2013-07-10T21:30:00.500Z',
        activeDays: 2,
        sessions: 2,
        timeOnTaskSeconds: 60,
        pageviews: 2,
        videoEvents: 1,
        lectures: 1,
        browser: 'Weird, "Browser"',
        os: 'Linux',
        device: 'smartphone',
        language: '',
      },
      {
        username: '<b>carol</b>',
        events: 1,
        firstEvent: null,
        lastEvent: null,
        activeDays: 0,
        sessions: 0,
        timeOnTaskSeconds: 0,
        pageviews: 1,
        videoEvents: 0,
        lectures: 0,
        browser: 'Firefox',
        os: 'Linux',
        device: 'desktop',
        language: 'en-US',
      },
    ],
  };
}

/** A report without any event: every table empty but hour-of-week's zeros and the eight empty buckets. */
export function emptyReport(): Report {
  return {
    summary: {
      events: 0,
      users: 0,
      input: { lines: 0, events: 0, blank: 0, rejected: { invalid_json: 0, not_object: 0, missing_username: 0, too_long: 0 } },
      browsers: [],
      os: [],
      devices: [],
      languages: [],
      activity: { min: 0, median: 0, mean: 0, p90: 0, p99: 0, max: 0, cdf: [] },
      topUsers: [],
      ...emptyAnalyticsSummary(),
    },
    users: [],
    userAgents: [],
    eventTypes: [],
    sections: [],
    referrers: [],
    daily: [],
    hourOfWeek: hourOfWeekRows(),
    retention: [],
    sessionDurations: bucketRows(),
    videos: [],
    learners: [],
  };
}

/**
 * A plausible ten-week course of a few thousand learners, from a seeded PRNG: for looking at the
 * charts and the page at a realistic scale (many days, busy and quiet hours, dozens of lectures).
 * Its figures are shaped like a course's, not derived from events; tests assert layout, not values.
 * Only the 40 most active learners are listed (users, learners), enough to fill the page's tables.
 */
export function courseReport(seed = 7, learners = 6214): Report {
  const rand = prng(seed);
  const base = sampleReport();
  // Clicks per learner: heavy-tailed, as in real courses (many try once, a few do everything).
  const clicks = Array.from({ length: learners }, () => Math.max(1, Math.round(Math.exp(0.2 + 2.4 * rand() * rand() * 2.2 + rand()))));
  clicks.sort((a, b) => a - b);
  const cdf: { clicks: number; users: number; fraction: number }[] = [];
  clicks.forEach((c, i) => {
    const last = cdf.at(-1);
    if (last && last.clicks === c) {
      last.users++;
    } else {
      cdf.push({ clicks: c, users: 1, fraction: 0 });
    }
    cdf.at(-1)!.fraction = (i + 1) / learners;
  });
  const rank = (p: number): number => clicks[Math.ceil(p * learners) - 1]!;
  const named = (entries: [string, number][]) =>
    entries.map(([name, share]) => {
      const users = Math.min(learners, Math.round(learners * share * (0.8 + 0.4 * rand())));
      return { name, events: users * 31, users };
    }).sort((a, b) => b.users - a.users || b.events - a.events || (a.name < b.name ? -1 : 1));
  const days = 70;
  const start = Date.UTC(2013, 6, 1);
  const daily = Array.from({ length: days }, (_, d) => {
    const week = Math.floor(d / 7);
    const weekday = d % 7;
    const level = 2400 * Math.exp(-week / 4) * (weekday >= 5 ? 0.6 : 1) * (0.85 + 0.3 * rand()) + 80;
    const learners = Math.round(level);
    return {
      date: new Date(start + d * 86_400_000).toISOString().slice(0, 10),
      events: Math.round(learners * (18 + 10 * rand())),
      learners,
      newLearners: Math.round(d < 7 ? learners * 0.5 : learners * 0.03),
    };
  });
  const hourOfWeek = hourOfWeekRows((weekday, hour) => {
    const dayShape = Math.exp(-((hour - 20) ** 2) / 18) + 0.6 * Math.exp(-((hour - 11) ** 2) / 10) + 0.03;
    const events = Math.round(9000 * dayShape * (weekday >= 6 ? 0.55 : 1) * (0.9 + 0.2 * rand()));
    return [events, Math.round(events / 21)];
  });
  // Retained (last event in the week or later) is never below active (an event in the week).
  const retention = Array.from({ length: 10 }, (_, w) => {
    const active = Math.round(5200 * Math.exp(-w / 3.2));
    return {
      week: w,
      start: daily[w * 7]!.date,
      active,
      new: Math.round(w === 0 ? 5200 : 300 * Math.exp(-w)),
      retained: w === 9 ? active : Math.round(active * 1.12 + 900 * Math.exp(-w / 2)),
    };
  });
  const videos = Array.from({ length: 48 }, (_, i) => {
    const viewers = Math.round(4100 * Math.exp(-i / 9)) + 12;
    const play = viewers * 3;
    const pause = viewers * 2;
    return {
      lecture: i === 5 ? 'unknown' : String(100 + ((i * 37) % 97)),
      events: play + pause + viewers,
      viewers,
      play,
      pause,
      seeked: Math.round(viewers * 0.7),
      ratechange: Math.round(viewers * 0.2),
      other: Math.round(viewers * 0.1),
      medianFurthestSeconds: i % 11 === 3 ? null : Math.round(300 + 900 * rand()) + 0.5,
    };
  });
  const eventTypes = [
    ['pageview', 810_311, 6120],
    ['user.video.lecture.action', 402_977, 4180],
    ['user.forum.post', 22_102, 903],
    ['user.quiz.submit', 61_530, 3320],
    ['user.wiki.edit', 1_204, 88],
    ['(missing)', 311, 40],
  ].map(([name, events, users]) => ({
    name: String(name),
    events: Math.round((Number(events) * learners) / 6214),
    users: Math.round((Number(users) * learners) / 6214),
  }));
  const totalEvents = eventTypes.reduce((s, t) => s + t.events, 0);
  const scaled = (entries: [string, number, number][]) =>
    entries.map(([name, eventShare, userShare]) => ({
      name,
      events: Math.round(totalEvents * eventShare),
      users: Math.round(learners * userShare),
    }));
  const sections = scaled([
    ['lecture', 0.58, 0.81],
    ['quiz', 0.14, 0.55],
    ['forum', 0.11, 0.31],
    ['class', 0.09, 0.97],
    ['wiki', 0.03, 0.12],
    ['(root)', 0.04, 0.44],
    ['unknown', 0.01, 0.02],
  ]);
  const referrers = scaled([
    ['(direct)', 0.41, 0.93],
    ['class.coursera.org', 0.52, 0.9],
    ['www.coursera.org', 0.04, 0.61],
    ['www.google.com', 0.01, 0.12],
    ['www.facebook.com', 0.004, 0.05],
    ['t.co', 0.001, 0.01],
    ['(invalid)', 0.0001, 0.001],
  ]);
  // Learners, most clicks first, with made-up 40-hex usernames as in real exports.
  const hex = (): string => Array.from({ length: 5 }, () => Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0')).join('');
  const devicesOf = ['desktop', 'desktop', 'desktop', 'smartphone', 'tablet'];
  const languagesOf = ['en', 'en', 'es', 'pt', 'zh', 'fr'];
  const learnerRows = [...clicks]
    .reverse()
    .slice(0, 40)
    .map((n, i) => {
      const activeDays = Math.max(1, Math.min(days, Math.round(n / 40)));
      const first = start + Math.floor(rand() * 3) * 86_400_000 + Math.floor(rand() * 86_400_000);
      return {
        username: hex(),
        events: n,
        firstEvent: new Date(first).toISOString(),
        lastEvent: new Date(first + activeDays * 86_400_000).toISOString(),
        activeDays,
        sessions: Math.max(1, Math.round(n / 25)),
        timeOnTaskSeconds: Math.round(n * (40 + 30 * rand()) * 10) / 10,
        pageviews: Math.round(n * 0.6),
        videoEvents: Math.round(n * 0.3),
        lectures: Math.min(47, Math.round(n / 30)),
        browser: i % 3 === 0 ? 'Firefox' : 'Chrome',
        os: i % 4 === 0 ? 'Mac OS' : 'Windows',
        device: devicesOf[i % devicesOf.length]!,
        language: languagesOf[i % languagesOf.length]!,
      };
    });
  const users = learnerRows.map((l) => ({ username: l.username, clicks: l.events }));
  return {
    ...base,
    summary: {
      ...base.summary,
      events: totalEvents,
      users: learners,
      input: {
        lines: totalEvents + 1203 + 87,
        events: totalEvents,
        blank: 1203,
        rejected: { invalid_json: 61, not_object: 3, missing_username: 21, too_long: 2 },
      },
      topUsers: users.slice(0, 20),
      sections,
      referrers,
      browsers: named([['Chrome', 0.52], ['Firefox', 0.21], ['Safari', 0.12], ['IE', 0.09], ['Opera', 0.03], ['Mobile Safari', 0.06], ['Android Browser', 0.02]]),
      os: named([['Windows', 0.61], ['Mac OS', 0.22], ['Linux', 0.08], ['iOS', 0.06], ['Android', 0.04]]),
      devices: named([['desktop', 0.9], ['smartphone', 0.07], ['tablet', 0.04], ['unknown', 0.01], ['bot', 0.003], ['console', 0.0005]]),
      languages: named([['en', 0.55], ['es', 0.1], ['pt', 0.06], ['zh', 0.05], ['de', 0.04], ['fr', 0.045], ['ru', 0.03], ['unknown', 0.02]]),
      activity: {
        min: clicks[0]!,
        median: rank(0.5),
        mean: clicks.reduce((s, c) => s + c, 0) / learners,
        p90: rank(0.9),
        p99: rank(0.99),
        max: clicks.at(-1)!,
        cdf,
      },
      time: { timezone: 'Europe/Paris', untimed: 311, implausible: 0, first: '2013-06-30T22:04:11.120Z', last: '2013-09-08T21:58:40.002Z', days, activeDays: days },
      eventTypes,
      sessions: {
        gapMinutes: 30,
        count: 48_211,
        perLearner: { median: 4, mean: 7.76, p90: 19, max: 211 },
        durationSeconds: { median: 742, mean: 1310.4, p90: 3560, max: 41_020 },
      },
      timeOnTaskSeconds: { median: 3120, mean: 10_171.2, p90: 27_300, max: 402_110, total: 63_203_836.8 },
      video: {
        events: 402_977,
        viewers: 4180,
        lectures: 47,
        actions: scaled([
          ['play', 0.17, 0.67],
          ['pause', 0.11, 0.6],
          ['seeked', 0.02, 0.41],
          ['ratechange', 0.006, 0.15],
          ['unknown', 0.0004, 0.01],
        ]),
        playbackRates: [
          { rate: 1, events: 21_022, users: 2_630 },
          { rate: 1.5, events: 9_310, users: 820 },
          { rate: 1.25, events: 4_121, users: 702 },
          { rate: 2, events: 1_012, users: 155 },
          { rate: 0.75, events: 240, users: 41 },
        ],
      },
      retention: { weeks: 10, lastWeekActive: retention[9]!.active, courseStart: daily[0]!.date },
    },
    eventTypes,
    sections,
    referrers,
    daily,
    hourOfWeek,
    retention,
    sessionDurations: bucketRows([2210, 9120, 10_880, 11_240, 7010, 4870, 2220, 661]),
    videos,
    users,
    learners: learnerRows,
  };
}

/** The text of every CSV file of a report, keyed by file name. All in memory, for comparing whole files. */
export function reportCsvs(report: Report): Record<CsvFileName, string> {
  const tables = reportTables(report);
  const out = {} as Record<CsvFileName, string>;
  for (const name of CSV_FILES) out[name] = toCsv(tables[name].header, tables[name].rows);
  return out;
}

/** Every file of a report, in the order analyze writes them: written out here, apart from the code's constants. */
export const REPORT_FILES: readonly string[] = [
  'summary.json',
  'browsers.csv',
  'os.csv',
  'devices.csv',
  'languages.csv',
  'users.csv',
  'activity-cdf.csv',
  'user-agents.csv',
  'event-types.csv',
  'sections.csv',
  'referrers.csv',
  'daily.csv',
  'hour-of-week.csv',
  'retention.csv',
  'session-durations.csv',
  'videos.csv',
  'learners.csv',
  'browser.png',
  'device.png',
  'language.png',
  'activity-cdf.png',
  'event-types.png',
  'daily-activity.png',
  'hour-of-week.png',
  'retention.png',
  'session-durations.png',
  'videos.png',
  'index.html',
];
