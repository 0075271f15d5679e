/**
 * The exact reduce of the learning analytics (DATA-CONTRACT §6): partitions are learner-disjoint, so sums of
 * events and of distinct learners are exact, and everything that needs the whole run (the first
 * day of the course, medians) is computed here from the per-day, per-lecture and per-learner parts.
 * Pure and deterministic: every list is fully sorted on a unique key.
 */
import { hasFilter, type AnalysisSettings } from '../analytics/analysis-settings.js';
import { expandHistograms, sortedStats } from '../analytics/distribution.js';
import { SESSION_BUCKETS, sessionBucket } from '../analytics/session-buckets.js';
import { dayToDate } from '../analytics/zone-calendar.js';
import { InternalError } from '../errors.js';
import { mergeCounts } from './merge-counts.js';
import { UNKNOWN_LECTURE } from '../formats/event-format.js';
import { compareUtf16 } from '../util/compare.js';
import type { DailyRow, FilterSummary, HourOfWeekRow, LearnerRow, NamedCount, PlaybackRateCount, RetentionRow, Report, Summary, UserClicks, VideoRow } from '../report/report-types.js';
import type { PartialLearner, PartialResult } from '../run/partial-result.js';

/** How many referrers summary.json lists (referrers.csv has all). */
export const SUMMARY_REFERRERS = 20;

/** Order of §6's named lists: users desc, events desc, then name ascending by UTF-16 code units. */
export function compareAnalyticsCounts(a: NamedCount, b: NamedCount): number {
  return b.users - a.users || b.events - a.events || compareUtf16(a.name, b.name);
}

/** Merges §6 named lists by name (sums) and sorts them ({@link compareAnalyticsCounts}). */
export function mergeAnalyticsCounts(lists: Iterable<readonly NamedCount[]>): NamedCount[] {
  return mergeCounts(lists, (c) => c.name, compareAnalyticsCounts);
}

/** Merges playback rates by rate; users desc, events desc, then rate ascending. */
export function mergePlaybackRates(lists: Iterable<readonly PlaybackRateCount[]>): PlaybackRateCount[] {
  return mergeCounts(lists, (r) => r.rate, (a, b) => b.users - a.users || b.events - a.events || a.rate - b.rate);
}

/** Merges the partitions' lectures: sums, and each viewer's furthest position for the median. */
export function mergeLectures(partials: readonly PartialResult[]): VideoRow[] {
  const byLecture = new Map<string, { row: VideoRow; furthest: number[][] }>();
  for (const p of partials) {
    for (const l of p.analytics.video.lectures) {
      let merged = byLecture.get(l.lecture);
      if (merged === undefined) {
        merged = {
          row: { lecture: l.lecture, events: 0, viewers: 0, play: 0, pause: 0, seeked: 0, ratechange: 0, other: 0, medianFurthestSeconds: null },
          furthest: [],
        };
        byLecture.set(l.lecture, merged);
      }
      const r = merged.row;
      r.events += l.events;
      r.viewers += l.viewers;
      r.play += l.play;
      r.pause += l.pause;
      r.seeked += l.seeked;
      r.ratechange += l.ratechange;
      r.other += l.other;
      merged.furthest.push(l.furthest);
    }
  }
  const rows: VideoRow[] = [];
  for (const { row, furthest } of byLecture.values()) {
    const all = Float64Array.from(furthest.flat()).sort();
    // Nearest-rank median: the value at ⌈n/2⌉ (1-based).
    row.medianFurthestSeconds = all.length === 0 ? null : (all[Math.ceil(all.length / 2) - 1] as number);
    rows.push(row);
  }
  return rows.sort((a, b) => b.viewers - a.viewers || b.events - a.events || compareUtf16(a.lecture, b.lecture));
}

/**
 * The course week of a local day (DATA-CONTRACT §6.3, §6.4): ⌊(day − start) / 7⌋, and -1 for every day before the
 * start, however far.
 */
export function courseWeekOf(day: number, startDay: number): number {
  return day < startDay ? -1 : Math.floor((day - startDay) / 7);
}

/**
 * The weeks retention.csv runs over: from the lowest present (the first day's) to the last day's;
 * none (low 0, last -1) without a timed event.
 */
export function courseWeeks(startDay: number | null, span: { firstDay: number; lastDay: number } | null): { low: number; last: number } {
  if (startDay === null || span === null) return { low: 0, last: -1 };
  return { low: courseWeekOf(span.firstDay, startDay), last: courseWeekOf(span.lastDay, startDay) };
}

/** ISO 8601 UTC instant with milliseconds. */
const iso = (ms: number): string => new Date(ms).toISOString();

/** The §6 part of the summary and the §6 tables: the report's own shapes, picked. */
export type AnalyticsReport = Pick<
  Report,
  'eventTypes' | 'sections' | 'referrers' | 'daily' | 'hourOfWeek' | 'retention' | 'sessionDurations' | 'videos' | 'learners'
> & {
  summary: Pick<Summary, 'filter' | 'time' | 'eventTypes' | 'sections' | 'referrers' | 'sessions' | 'timeOnTaskSeconds' | 'video' | 'retention'>;
};

/**
 * Reduces the partitions' analytics. `users` is every learner in report order (users.csv): the
 * learners table follows it.
 *
 * @throws InternalError when a partial's learners do not line up with its clicks, or a learner of
 *   `users` has no analytics: bugs upstream, never bad input.
 */
export function reduceAnalytics(partials: readonly PartialResult[], users: readonly UserClicks[], settings: AnalysisSettings): AnalyticsReport {
  const learnerOf = new Map<string, PartialLearner>();
  for (const p of partials) {
    const { learners } = p.analytics;
    if (learners.length !== p.clicks.length) {
      throw new InternalError(`partition ${p.partition} has ${p.clicks.length} learners but analytics for ${learners.length}`);
    }
    for (let i = 0; i < learners.length; i++) learnerOf.set((p.clicks[i] as UserClicks).username, learners[i] as PartialLearner);
  }

  // Time: first and last instants and local days.
  let untimed = 0;
  let implausible = 0;
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  const byDay = new Map<number, { events: number; learners: number; newLearners: number }>();
  const hours = Array.from({ length: 7 * 24 }, () => ({ events: 0, learners: 0 }));
  for (const p of partials) {
    const a = p.analytics;
    untimed += a.untimed;
    implausible += a.implausible;
    if (a.firstMs !== null && (firstMs === null || a.firstMs < firstMs)) firstMs = a.firstMs;
    if (a.lastMs !== null && (lastMs === null || a.lastMs > lastMs)) lastMs = a.lastMs;
    for (const d of a.days) {
      const merged = byDay.get(d.day);
      if (merged === undefined) byDay.set(d.day, { events: d.events, learners: d.learners, newLearners: d.newLearners });
      else {
        merged.events += d.events;
        merged.learners += d.learners;
        merged.newLearners += d.newLearners;
      }
    }
    for (const h of a.hourOfWeek) {
      const cell = hours[(h.weekday - 1) * 24 + h.hour];
      if (cell === undefined) throw new InternalError(`partition ${p.partition}: no hour-of-week cell ${h.weekday}/${h.hour}`);
      cell.events += h.events;
      cell.learners += h.learners;
    }
  }
  const dayNumbers = [...byDay.keys()];
  const firstDay = dayNumbers.length > 0 ? Math.min(...dayNumbers) : 0;
  const lastDay = dayNumbers.length > 0 ? Math.max(...dayNumbers) : -1;
  const daily: DailyRow[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const d = byDay.get(day);
    daily.push({ date: dayToDate(day), events: d?.events ?? 0, learners: d?.learners ?? 0, newLearners: d?.newLearners ?? 0 });
  }
  const hourOfWeek: HourOfWeekRow[] = hours.map((cell, i) => ({ weekday: Math.floor(i / 24) + 1, hour: i % 24, ...cell }));

  // Retention: course weeks counted from the course start (the first local day of the run unless
  // --course-start gives one); every day before it is week -1.
  const startDay = settings.courseStartDay ?? (dayNumbers.length > 0 ? firstDay : null);
  const weeks = courseWeeks(startDay, dayNumbers.length > 0 ? { firstDay, lastDay } : null);
  const size = weeks.last - weeks.low + 1;
  const active = new Array<number>(size).fill(0);
  const fresh = new Array<number>(size).fill(0);
  const leaving = new Array<number>(size).fill(0);
  const slot = (day: number): number => courseWeekOf(day, startDay as number) - weeks.low;
  const sessionsPerLearner: number[] = [];
  const timeOnTask: number[] = [];
  let sessionCount = 0;
  for (const l of learnerOf.values()) {
    if (l.firstDay === null || l.lastDay === null) continue;
    let previous = -1;
    for (const day of l.days) {
      const w = slot(day);
      if (w !== previous) active[w] = (active[w] as number) + 1;
      previous = w;
    }
    fresh[slot(l.firstDay)] = (fresh[slot(l.firstDay)] as number) + 1;
    leaving[slot(l.lastDay)] = (leaving[slot(l.lastDay)] as number) + 1;
    sessionsPerLearner.push(l.sessions);
    timeOnTask.push(l.timeOnTaskMs);
    sessionCount += l.sessions;
  }
  const retention: RetentionRow[] = [];
  let retained = 0;
  for (let i = size - 1; i >= 0; i--) {
    const w = weeks.low + i;
    retained += leaving[i] as number;
    const start = w < 0 ? '' : dayToDate((startDay as number) + 7 * w);
    retention.push({ week: w, start, active: active[i] as number, new: fresh[i] as number, retained });
  }
  retention.reverse();
  const weekCount = weeks.last + 1;

  // Sessions and time on task.
  const durations = expandHistograms(partials.map((p) => p.analytics.sessionDurations));
  const buckets = new Array<number>(SESSION_BUCKETS.length).fill(0);
  for (const ms of durations) buckets[sessionBucket(ms)] = (buckets[sessionBucket(ms)] as number) + 1;
  if (durations.length !== sessionCount) {
    throw new InternalError(`the partitions count ${durations.length} session durations but ${sessionCount} sessions of learners`);
  }
  const bySize = (values: number[]): Float64Array => Float64Array.from(values).sort();
  const timeOnTaskSorted = bySize(timeOnTask);
  let totalMs = 0;
  for (const ms of timeOnTaskSorted) totalMs += ms;

  // Video.
  const videos = mergeLectures(partials);
  let videoEvents = 0;
  let viewers = 0;
  for (const p of partials) {
    videoEvents += p.analytics.video.events;
    viewers += p.analytics.video.viewers;
  }

  const referrers = mergeAnalyticsCounts(partials.map((p) => p.analytics.referrers));
  const eventTypes = mergeAnalyticsCounts(partials.map((p) => p.analytics.eventTypes));
  const sections = mergeAnalyticsCounts(partials.map((p) => p.analytics.sections));

  const learners: LearnerRow[] = users.map(({ username, clicks }) => {
    const l = learnerOf.get(username);
    if (l === undefined) throw new InternalError(`learner ${JSON.stringify(username)} has no analytics`);
    return {
      username,
      events: clicks,
      firstEvent: l.firstMs === null ? null : iso(l.firstMs),
      lastEvent: l.lastMs === null ? null : iso(l.lastMs),
      activeDays: l.days.length,
      sessions: l.sessions,
      timeOnTaskSeconds: l.timeOnTaskMs / 1000,
      pageviews: l.pageviews,
      videoEvents: l.videoEvents,
      lectures: l.lectures,
      browser: l.browser,
      os: l.os,
      device: l.device,
      language: l.language,
    };
  });

  let filter: FilterSummary | undefined;
  if (hasFilter(settings)) {
    let leftOut = 0;
    for (const p of partials) leftOut += p.leftOut;
    filter = {
      from: settings.fromMs === null ? null : iso(settings.fromMs),
      to: settings.toMs === null ? null : iso(settings.toMs),
      excludeBots: settings.excludeBots,
      events: leftOut,
    };
  }

  return {
    summary: {
      ...(filter ? { filter } : {}),
      time: {
        timezone: settings.timeZone,
        untimed,
        implausible,
        first: firstMs === null ? null : iso(firstMs),
        last: lastMs === null ? null : iso(lastMs),
        days: dayNumbers.length > 0 ? lastDay - firstDay + 1 : 0,
        activeDays: dayNumbers.length,
      },
      eventTypes,
      sections,
      referrers: referrers.slice(0, SUMMARY_REFERRERS),
      sessions: {
        gapMinutes: settings.sessionGapMinutes,
        count: sessionCount,
        perLearner: sortedStats(bySize(sessionsPerLearner)),
        durationSeconds: sortedStats(durations, 1000),
      },
      timeOnTaskSeconds: { ...sortedStats(timeOnTaskSorted, 1000), total: totalMs / 1000 },
      video: {
        events: videoEvents,
        viewers,
        lectures: videos.filter((v) => v.lecture !== UNKNOWN_LECTURE).length,
        actions: mergeAnalyticsCounts(partials.map((p) => p.analytics.video.actions)),
        playbackRates: mergePlaybackRates(partials.map((p) => p.analytics.video.playbackRates)),
      },
      retention: {
        weeks: weekCount,
        lastWeekActive: weekCount > 0 ? (active[weeks.last - weeks.low] as number) : 0,
        courseStart: startDay === null ? null : dayToDate(startDay),
      },
    },
    eventTypes,
    sections,
    referrers,
    daily,
    hourOfWeek,
    retention,
    sessionDurations: SESSION_BUCKETS.map((bucket, i) => ({ bucket, sessions: buckets[i] as number })),
    videos,
    learners,
  };
}
