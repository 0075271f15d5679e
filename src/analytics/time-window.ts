/** `--from` / `--to` values (DATA-CONTRACT §6.3): an ISO 8601 instant, or a bare date in the report's zone. */
import { dateToDay, type ZoneCalendar } from './zone-calendar.js';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Milliseconds since the epoch of `text`, or undefined when it is neither form:
 * - `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or an offset `±HH:MM` / `±HHMM`
 *   (fraction digits beyond milliseconds are truncated);
 * - `YYYY-MM-DD`: the first instant of that date in `calendar`'s zone (its midnight).
 * Every field must be in range (no month 13, no 24:00, no leap second).
 */
export function parseTimeBound(text: string, calendar: ZoneCalendar): number | undefined {
  const day = dateToDay(text);
  if (day !== undefined) return calendar.startOfDay(day);
  const m = INSTANT.exec(text);
  if (!m) return undefined;
  const date = dateToDay(`${m[1]}-${m[2]}-${m[3]}`);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (date === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMs = 0;
  const zone = m[8] as string;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) return undefined;
    offsetMs = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return date * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms - offsetMs;
}
