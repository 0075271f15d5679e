/**
 * daily.csv as the activity chart draws it: one bar per day while the days fit the chart, else per
 * week, month, year or run of years, so that drawing costs what the chart's pixels allow however
 * long the span (a span of decades has thousands of days; a bar narrower than a pixel shows
 * nothing). daily.csv itself always keeps every day.
 */
import type { DailyRow } from './report-types.js';

/** Most bars the daily activity chart draws (its plot is about a thousand pixels wide). Default of {@link dailyBuckets}. */
export const MAX_DAILY_BARS = 400;

/** What one bar stands for. */
export type DailyUnit = 'day' | 'week' | 'month' | 'year' | 'years';

/** One bar: consecutive days of daily.csv. */
export interface DailyBucket {
  /** Its first day (`YYYY-MM-DD`) for days and weeks, `YYYY-MM` for months, `YYYY` for years. */
  label: string;
  /** Events of its days. */
  events: number;
  /**
   * Active learners: the day's for a day; for longer buckets the mean over its days (quiet days
   * included), since learners active on several days cannot be told apart from the daily rows.
   */
  learners: number;
}

/** The bars, and what each stands for (`years`: `yearsPerBar` calendar years). */
export interface DailySeries {
  unit: DailyUnit;
  yearsPerBar: number;
  buckets: DailyBucket[];
}

/**
 * Groups daily rows (every day from the first to the last, ascending, as daily.csv) into at most
 * `maxBars` bars (at least 1): the finest of day, week (7 days from the first day), calendar month,
 * calendar year, or runs of whole years, that fits.
 */
export function dailyBuckets(days: readonly DailyRow[], maxBars = MAX_DAILY_BARS): DailySeries {
  const limit = Math.max(1, Math.floor(maxBars));
  const first = days[0]?.date;
  const last = days.at(-1)?.date;
  if (first === undefined || last === undefined || days.length <= limit) {
    return { unit: 'day', yearsPerBar: 0, buckets: days.map((d) => ({ label: d.date, events: d.events, learners: d.learners })) };
  }
  const year = (date: string): number => Number(date.slice(0, 4));
  const month = (date: string): number => year(date) * 12 + Number(date.slice(5, 7)) - 1;
  const years = year(last) - year(first) + 1;
  let unit: DailyUnit;
  let key: (date: string, i: number) => number;
  let label: (date: string) => string;
  let yearsPerBar = 0;
  if (Math.ceil(days.length / 7) <= limit) {
    unit = 'week';
    key = (_, i) => Math.floor(i / 7);
    label = (date) => date;
  } else if (month(last) - month(first) + 1 <= limit) {
    unit = 'month';
    key = (date) => month(date);
    label = (date) => date.slice(0, 7);
  } else {
    yearsPerBar = Math.ceil(years / limit);
    unit = yearsPerBar === 1 ? 'year' : 'years';
    key = (date) => Math.floor((year(date) - year(first)) / yearsPerBar);
    label = (date) => date.slice(0, 4);
  }
  const buckets: DailyBucket[] = [];
  let current: number | undefined;
  let dayCount = 0;
  let learnerDays = 0;
  days.forEach((d, i) => {
    const k = key(d.date, i);
    if (k !== current) {
      if (dayCount > 0) (buckets.at(-1) as DailyBucket).learners = learnerDays / dayCount;
      buckets.push({ label: label(d.date), events: 0, learners: 0 });
      current = k;
      dayCount = 0;
      learnerDays = 0;
    }
    const b = buckets.at(-1) as DailyBucket;
    b.events += d.events;
    learnerDays += d.learners;
    dayCount++;
  });
  if (dayCount > 0) (buckets.at(-1) as DailyBucket).learners = learnerDays / dayCount;
  return { unit, yearsPerBar, buckets };
}
