/**
 * The settings of the learning analytics (DATA-CONTRACT §6.3) as the partition jobs receive them: resolved
 * once by the coordinator from the user's options, checked again by each job (a queue payload is
 * untrusted), identical in local and Redis mode.
 */
import { InvalidPayloadError, UsageError } from '../errors.js';
import { DEFAULT_FORMAT_NAME, eventFormat } from '../formats/format-registry.js';
import { parseTimeBound } from './time-window.js';
import { PLAUSIBLE_FROM_MS, PLAUSIBLE_UNTIL_MS } from './plausible-time.js';
import { dateToDay, dayToDate, MAX_INSTANT_MS, ZoneCalendar } from './zone-calendar.js';

/** Default of `--tz`. */
export const DEFAULT_TIME_ZONE = 'UTC';
/** Default of `--session-gap`, minutes. */
export const DEFAULT_SESSION_GAP_MINUTES = 30;

/** What every partition job of a run computes with. */
export interface AnalysisSettings {
  /** Input format of the dataset (an {@link eventFormat} name). */
  format: string;
  /** IANA zone of days, hours and weekdays. */
  timeZone: string;
  /** Keep events at or after this instant (ms); null: no lower bound. */
  fromMs: number | null;
  /** Keep events before this instant (ms); null: no upper bound. */
  toMs: number | null;
  /** Leave out events whose user agent is a bot. */
  excludeBots: boolean;
  /** Gap (minutes, > 0) after which a learner's next event starts a new session. */
  sessionGapMinutes: number;
  /**
   * `--course`: only the events of this course count (before the filter); absent: every course.
   * Only for formats whose events name their course.
   */
  course?: string;
  /**
   * `--course-start`: the day (days since 1970-01-01 of the local date) course week 0 starts;
   * absent: the first event's day.
   */
  courseStartDay?: number;
}

/** The analysis options of `analyze`, as a user gives them. */
export interface AnalysisOptions {
  /** IANA time zone (`--tz`). Default `UTC`. */
  tz?: string;
  /** `--from`: ISO 8601 instant or `YYYY-MM-DD` (midnight in `tz`). Default: no lower bound. */
  from?: string;
  /** `--to`: ISO 8601 instant or `YYYY-MM-DD` (midnight in `tz`), excluded. Default: no upper bound. */
  to?: string;
  /** `--exclude-bots`. Default false. */
  excludeBots?: boolean;
  /** `--session-gap`, minutes, > 0. Default 30. */
  sessionGapMinutes?: number;
  /** `--course`: keep only this course's events (`(none)`: events naming no course). Default: every course. */
  course?: string;
  /**
   * `--course-start`: `YYYY-MM-DD`, the first day of course week 0 in `tz` (events before it are
   * week -1). Default: the first event's day.
   */
  courseStart?: string;
}

/** Course start days `--course-start` accepts: the days of plausible times (1990-01-01 to 2099-12-31). */
export const COURSE_START_DAYS = { min: PLAUSIBLE_FROM_MS / 86_400_000, max: PLAUSIBLE_UNTIL_MS / 86_400_000 - 1 } as const;

/** Whether `day` is a whole day number `--course-start` accepts. */
const isCourseStartDay = (day: unknown): day is number =>
  Number.isSafeInteger(day) && (day as number) >= COURSE_START_DAYS.min && (day as number) <= COURSE_START_DAYS.max;

/**
 * The day number of a `--course-start` text.
 * @throws UsageError when it is not a real `YYYY-MM-DD` date from 1990-01-01 to 2099-12-31.
 */
export function parseCourseStart(text: string): number {
  const day = dateToDay(text);
  if (day === undefined || !isCourseStartDay(day)) {
    throw new UsageError(
      `--course-start: ${JSON.stringify(text)} is not a date YYYY-MM-DD from ${dayToDate(COURSE_START_DAYS.min)} to ${dayToDate(COURSE_START_DAYS.max)}`,
    );
  }
  return day;
}

/** Whether any filter option was given (then `summary.filter` is written). */
export function hasFilter(settings: AnalysisSettings): boolean {
  return settings.fromMs !== null || settings.toMs !== null || settings.excludeBots;
}

/** The calendar of `timeZone`, or undefined when Intl does not know the zone. */
export function zoneCalendar(timeZone: string): ZoneCalendar | undefined {
  try {
    return ZoneCalendar.create(timeZone);
  } catch {
    return undefined;
  }
}

/**
 * Resolves and checks the user's options.
 * @throws UsageError naming the option: unknown zone, a bound that is not a date or instant,
 *   `--from` after `--to`, a session gap that is not a number > 0.
 */
export function resolveAnalysisSettings(options: AnalysisOptions, format: string = DEFAULT_FORMAT_NAME): AnalysisSettings {
  const timeZone = options.tz ?? DEFAULT_TIME_ZONE;
  const calendar = zoneCalendar(timeZone);
  if (calendar === undefined) throw new UsageError(`--tz: unknown time zone ${JSON.stringify(timeZone)}; give an IANA zone such as Europe/Paris`);
  const bound = (name: 'from' | 'to', text: string | undefined): number | null => {
    if (text === undefined) return null;
    const ms = parseTimeBound(text, calendar);
    if (ms === undefined || Math.abs(ms) > MAX_INSTANT_MS) {
      throw new UsageError(`--${name}: ${JSON.stringify(text)} is neither a date (YYYY-MM-DD) nor an ISO 8601 instant with Z or an offset`);
    }
    return ms;
  };
  const fromMs = bound('from', options.from);
  const toMs = bound('to', options.to);
  if (fromMs !== null && toMs !== null && fromMs > toMs) {
    throw new UsageError(`--from (${options.from}) is after --to (${options.to})`);
  }
  const gap = options.sessionGapMinutes ?? DEFAULT_SESSION_GAP_MINUTES;
  if (typeof gap !== 'number' || !Number.isFinite(gap) || gap <= 0) {
    throw new UsageError(`--session-gap must be a number of minutes greater than 0, got ${String(gap)}`);
  }
  if (options.course !== undefined && options.course === '') throw new UsageError('--course needs a course id, e.g. course-v1:MITx+6.00.1x+2T2017');
  const courseStartDay = options.courseStart === undefined ? undefined : parseCourseStart(options.courseStart);
  return {
    format,
    timeZone,
    fromMs,
    toMs,
    excludeBots: options.excludeBots ?? false,
    sessionGapMinutes: gap,
    ...(options.course !== undefined ? { course: options.course } : {}),
    ...(courseStartDay !== undefined ? { courseStartDay } : {}),
  };
}

/** Parses the text of `--session-gap`: a decimal number of minutes (`30`, `0.5`). */
export function parseSessionGap(text: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text) || Number(text) <= 0) {
    throw new UsageError(`--session-gap must be a number of minutes greater than 0, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** The settings of a job payload, checked. @throws InvalidPayloadError */
export function validateSettings(data: unknown): AnalysisSettings {
  const s = data as Partial<AnalysisSettings> | null;
  const bad = (why: string): never => {
    throw new InvalidPayloadError(`refusing job payload: settings: ${why}`);
  };
  if (typeof s !== 'object' || s === null) return bad('not an object');
  if (typeof s.format !== 'string' || eventFormat(s.format) === undefined) return bad(`unknown format ${JSON.stringify(s.format)}`);
  if (typeof s.timeZone !== 'string' || zoneCalendar(s.timeZone) === undefined) return bad(`unknown time zone ${JSON.stringify(s.timeZone)}`);
  const instant = (v: unknown): v is number | null => v === null || (Number.isSafeInteger(v) && Math.abs(v as number) <= MAX_INSTANT_MS);
  if (!instant(s.fromMs) || !instant(s.toMs)) return bad('fromMs and toMs must be whole ms or null');
  if (typeof s.excludeBots !== 'boolean') return bad('excludeBots must be a boolean');
  if (typeof s.sessionGapMinutes !== 'number' || !Number.isFinite(s.sessionGapMinutes) || s.sessionGapMinutes <= 0) {
    return bad('sessionGapMinutes must be a number > 0');
  }
  if (s.course !== undefined && (typeof s.course !== 'string' || s.course === '')) return bad('course must be a non-empty string when given');
  if (s.courseStartDay !== undefined && !isCourseStartDay(s.courseStartDay)) return bad('courseStartDay must be a day from 1990-01-01 to 2099-12-31 when given');
  return {
    format: s.format,
    timeZone: s.timeZone,
    fromMs: s.fromMs,
    toMs: s.toMs,
    excludeBots: s.excludeBots,
    sessionGapMinutes: s.sessionGapMinutes,
    ...(s.course !== undefined ? { course: s.course } : {}),
    ...(s.courseStartDay !== undefined ? { courseStartDay: s.courseStartDay } : {}),
  };
}
