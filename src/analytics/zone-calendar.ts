/**
 * Calendar dates, hours and weekdays of instants in a time zone (DATA-CONTRACT §6.1), from Intl (the IANA
 * database Node carries), exact around daylight-saving changes: local time is the instant plus the
 * zone's offset at that instant, so a repeated hour counts twice in its hour and a skipped hour
 * simply has no events.
 *
 * Days are numbered as days since 1970-01-01 of the local calendar date, so that weeks and spans are
 * plain integer arithmetic.
 */

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;
/** Width of the time buckets the partition jobs map through {@link ZoneCalendar.bucketOffset}. */
export const BUCKET_MS = 900_000;
/** The instants JavaScript's Date (and so Intl) can place: ±8.64e15 ms around the epoch. */
export const MAX_INSTANT_MS = 8.64e15;

/** Local calendar fields of an instant. */
export interface LocalFields {
  /** Days since 1970-01-01 of the local date. */
  day: number;
  /** 0–23. */
  hour: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): number {
  return (((day + 3) % 7) + 7) % 7 + 1;
}

/** `YYYY-MM-DD` of a day number. */
export function dayToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Day number of a `YYYY-MM-DD` text, or undefined when it is not a real date of years 0000–9999. */
export function dateToDay(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return Math.round(date.getTime() / MS_PER_DAY);
}

/** Floor division of integers that JavaScript holds exactly. */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Local fields of an instant given the zone's offset at it. */
export function fieldsAt(ms: number, offsetMs: number): LocalFields {
  const local = ms + offsetMs;
  const day = floorDiv(local, MS_PER_DAY);
  return { day, hour: Math.floor((local - day * MS_PER_DAY) / MS_PER_HOUR), weekday: weekdayOfDay(day) };
}

/** A time zone's calendar. Create with {@link ZoneCalendar.create}. */
export class ZoneCalendar {
  /** Offsets at whole UTC hours, by hour number: buckets look them up by the thousand. */
  private readonly hourOffsets = new Map<number, number>();

  private constructor(
    /** The zone as given, e.g. `UTC` or `Europe/Paris`. */
    readonly timeZone: string,
    private readonly format: Intl.DateTimeFormat | undefined,
  ) {}

  /**
   * The calendar of an IANA zone (`UTC` needs no lookup).
   * @throws RangeError when Intl does not know the zone.
   */
  static create(timeZone: string): ZoneCalendar {
    if (timeZone === 'UTC') return new ZoneCalendar(timeZone, undefined);
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    return new ZoneCalendar(timeZone, format);
  }

  /** The zone's offset from UTC at instant `ms` (local wall clock minus UTC), in ms. */
  offset(ms: number): number {
    if (this.format === undefined) return 0;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(ms)) {
      switch (part.type) {
        case 'era':
          bc = part.value === 'BC' || part.value === 'B';
          break;
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    const wall = new Date(0);
    wall.setUTCFullYear(bc ? 1 - year : year, month - 1, day);
    wall.setUTCHours(hour, minute, second, 0);
    const wholeSeconds = Math.floor(ms / 1000) * 1000;
    return wall.getTime() - wholeSeconds;
  }

  /** Local day, hour and weekday of instant `ms`. */
  fields(ms: number): LocalFields {
    return fieldsAt(ms, this.offset(ms));
  }

  /**
   * The offset that holds for every instant of the 15-minute bucket `bucket` (instants
   * `bucket·BUCKET_MS` up to the next bucket), or undefined when the zone changes offset inside
   * it or has an offset that is not a whole number of 15 minutes (local hours would then start
   * inside the bucket): such buckets are mapped instant by instant.
   */
  bucketOffset(bucket: number): number | undefined {
    // Zones change offset at most once in an hour (true of the whole IANA database), so an hour
    // whose start and end have the same offset has it throughout: one Intl call per hour, not two
    // per bucket. Only the hours of a change are looked at bucket by bucket.
    const hour = Math.floor(bucket / 4);
    const atHour = this.hourOffset(hour);
    if (atHour === this.hourOffset(hour + 1)) return atHour % BUCKET_MS === 0 ? atHour : undefined;
    const start = bucket * BUCKET_MS;
    const first = this.offset(start);
    if (first % BUCKET_MS !== 0) return undefined;
    return this.offset(start + BUCKET_MS - 1) === first ? first : undefined;
  }

  private hourOffset(hour: number): number {
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      offset = this.offset(hour * MS_PER_HOUR);
      this.hourOffsets.set(hour, offset);
    }
    return offset;
  }

  /**
   * The first instant of local date `day` (its midnight, or the first instant after it when the
   * zone skips midnight): the smallest instant whose local day is `day` or later.
   */
  startOfDay(day: number): number {
    // Offsets stay within ±18 h (±15 h even in local mean time), so the answer lies within a day
    // and a half of UTC midnight; local day is non-decreasing in time outside rare fall-backs
    // across midnight, where this finds the first instant after the last one still before `day`.
    let lo = day * MS_PER_DAY - 1.5 * MS_PER_DAY;
    let hi = day * MS_PER_DAY + 1.5 * MS_PER_DAY;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.fields(mid).day >= day) hi = mid;
      else lo = mid;
    }
    return hi;
  }
}
